import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBuilder } from '../../../src/build/select.js';
import { ActionError } from '../../../src/errors.js';

// The builder probes run real programs found on PATH: here a PATH of stand-in docker and buildah scripts that
// answer as the real ones do when a daemon, buildx or buildah is there or not.
const bin = mkdtempSync(join(tmpdir(), 'select-builder-'));
const savedPath = process.env.PATH;
afterAll(() => rmSync(bin, { recursive: true, force: true }));
afterEach(() => {
  process.env.PATH = savedPath;
  rmSync(join(bin, 'docker'), { force: true });
  rmSync(join(bin, 'buildah'), { force: true });
});

function onPath(tools: { docker?: { daemon: boolean; buildx: boolean }; buildah?: boolean }): void {
  const script = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  if (tools.docker) {
    const { daemon, buildx } = tools.docker;
    script(
      'docker',
      `case "$1" in buildx) exit ${buildx ? 0 : 1};; version) ${daemon ? 'echo 24.0.7; exit 0' : 'exit 1'};; esac; exit 1`,
    );
  }
  if (tools.buildah) script('buildah', 'echo "buildah version 1.28.2"');
  process.env.PATH = bin;
}

const options = { builder: 'auto' as const, platforms: [], source: '' };

describe('selectBuilder', () => {
  it("publishes a local image without building when 'source' is set, whatever is installed", async () => {
    onPath({});
    const selection = await selectBuilder({ ...options, source: 'local/app:1' });
    expect(selection).toMatchObject({
      builds: false,
      why: "'source' names a local image (local/app:1)",
      title: 'Tag local/app:1',
    });
    expect(selection.builder.name).toBe('source');
  });

  it('picks buildx first, then docker, then buildah, saying why the others were passed over', async () => {
    onPath({ docker: { daemon: true, buildx: true }, buildah: true });
    expect((await selectBuilder(options)).builder.name).toBe('buildx');
    onPath({ docker: { daemon: true, buildx: false }, buildah: true });
    expect(await selectBuilder(options)).toMatchObject({
      why: "not buildx: 'docker buildx' is not installed; docker works",
      builds: true,
      title: 'Build with docker',
    });
    onPath({ docker: { daemon: false, buildx: false }, buildah: true });
    const buildah = await selectBuilder(options);
    expect(buildah.builder.name).toBe('buildah');
    expect(buildah.why).toContain('not docker: no docker daemon answers');
  });

  it('fails with every reason and the fix when nothing can build', async () => {
    onPath({});
    const run = selectBuilder(options);
    await expect(run).rejects.toThrow(ActionError);
    await expect(run).rejects.toThrow(
      'No builder can run on this runner (not buildx: there is no docker CLI; not docker: there is no docker CLI; not buildah: buildah is not installed).',
    );
  });

  it('fails when the builder asked for is not here, naming it', async () => {
    onPath({ docker: { daemon: true, buildx: false } });
    await expect(selectBuilder({ ...options, builder: 'buildah' })).rejects.toThrow(
      "Input 'builder' is 'buildah', but buildah is not installed on this runner.",
    );
  });

  it('refuses several platforms for a builder that builds one at a time', async () => {
    onPath({ docker: { daemon: true, buildx: false } });
    await expect(selectBuilder({ ...options, platforms: ['linux/amd64', 'linux/arm64'] })).rejects.toThrow(
      /lists 2 platforms .* but the docker builder builds one platform at a time/,
    );
  });
});

describe('selectBuilder with secrets or ssh', () => {
  /** A docker without buildx whose `docker version` prints `client|server|os`, and buildah. */
  function dockerAnswering(versions: string): void {
    const script = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    script('docker', `case "$1" in version) echo '${versions}'; exit 0;; esac; exit 1`);
    script('buildah', 'echo "buildah version 1.28.2"');
    process.env.PATH = bin;
  }
  const withSecrets = { ...options, secrets: ['token=x'] };
  const savedBuildkit = process.env.DOCKER_BUILDKIT;
  afterEach(() => {
    if (savedBuildkit === undefined) delete process.env.DOCKER_BUILDKIT;
    else process.env.DOCKER_BUILDKIT = savedBuildkit;
  });

  it('keeps docker when it runs BuildKit (a CLI older than 23, a Linux daemon of 18.09 or later)', async () => {
    dockerAnswering('20.10.24|20.10.24|linux');
    expect((await selectBuilder({ ...withSecrets, builder: 'docker' })).builder.name).toBe('docker');
    expect((await selectBuilder({ ...options, ssh: ['default'] })).builder.name).toBe('docker');
  });

  it('auto passes over a classic docker for buildah, saying why', async () => {
    dockerAnswering('28.2.2|28.2.2|linux');
    const selection = await selectBuilder(withSecrets);
    expect(selection.builder.name).toBe('buildah');
    expect(selection.why).toContain(
      'not docker: docker builds with the classic builder, which cannot mount secrets (the docker CLI 28.2.2 runs BuildKit only through the buildx plugin',
    );
    // Without secrets the same docker is fine.
    expect((await selectBuilder(options)).builder.name).toBe('docker');
  });

  it("'builder: docker' with a classic docker is refused before building, naming the fix", async () => {
    dockerAnswering('20.10.24|20.10.24|linux');
    process.env.DOCKER_BUILDKIT = '0';
    const run = selectBuilder({ ...options, builder: 'docker', secretFiles: ['npmrc=.npmrc'] });
    await expect(run).rejects.toThrow(ActionError);
    await expect(run).rejects.toThrow(
      /Input 'builder' is 'docker', but docker builds with the classic builder, which cannot mount secrets \(DOCKER_BUILDKIT=0 is set in the step's environment\)\.\nFix: use the buildx builder .*'builder: buildah'/,
    );
  });

  it("'builder: docker' with no daemon still says so", async () => {
    onPath({ docker: { daemon: false, buildx: false } });
    await expect(selectBuilder({ ...withSecrets, builder: 'docker' })).rejects.toThrow(
      "Input 'builder' is 'docker', but no docker daemon answers on this runner.",
    );
  });
});

describe('selectBuilder: attestations need buildx', () => {
  it.each([
    [{ provenance: 'true' }, "'provenance' asks"],
    [{ sbom: 'generator=x/y' }, "'sbom' asks"],
    [{ provenance: 'mode=max', sbom: 'true' }, "'provenance' and 'sbom' ask"],
  ])('refuses %j with docker or buildah, naming the recipe', async (given, words) => {
    onPath({ docker: { daemon: false, buildx: false }, buildah: true });
    const run = selectBuilder({ ...options, ...given });
    await expect(run).rejects.toThrow(ActionError);
    await expect(selectBuilder({ ...options, ...given })).rejects.toThrow(
      `${words} for buildx attestations, but the buildah builder cannot make them.`,
    );
    await expect(selectBuilder({ ...options, ...given })).rejects.toThrow('actions/attest-build-provenance');
  });

  it('takes them with buildx, and false or nothing with any builder', async () => {
    onPath({ docker: { daemon: true, buildx: true } });
    expect((await selectBuilder({ ...options, provenance: 'true', sbom: 'true' })).builder.name).toBe(
      'buildx',
    );
    onPath({ docker: { daemon: false, buildx: false }, buildah: true });
    const off = await selectBuilder({ ...options, provenance: 'false', sbom: 'FALSE' });
    expect(off.builder.name).toBe('buildah');
  });
});
