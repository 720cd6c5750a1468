import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference, withDigest, withTag } from '../../src/registry/index.js';
import { sha256 } from '../../src/registry/digest.js';
import { mustRun, runProgram } from '../support/exec.js';
import { makeImage, makeIndex, pushImage, stackClient, uniqueTag } from '../support/registry.js';
import { skopeo, skopeoCreds, skopeoDigest, skopeoInspect } from '../support/skopeo.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, stackJob } from '../support/step.js';

// command: pull and resolve end to end through the bundle, against the stand-in's token registry: by digest, tag,
// latest and bare name into the docker daemon; to an OCI layout and a docker archive without a daemon; platform
// selection; errors that name the value; and a tag that moves while pulls run.
describeWithStack('pull and resolve', (stack) => {
  const e = stack.env;
  const creds = skopeoCreds(e.ACTOR, e.TOKEN_GHS_WRITE);
  const repository = `${e.OWNER}/pull-${uniqueTag('p')}`;
  const name = `${e.REGISTRY_TOKEN}/${repository}`;
  let work: string;
  let builtDigest = '';
  let docker: NodeJS.ProcessEnv;
  /** What skopeo reads from the OCI layout in `dir` for `tag`: the digest unless another format is asked for. */
  const layoutInspect = (dir: string, tag: string, format = '{{.Digest}}') =>
    skopeo(['inspect', '--format', format, `oci:${dir}:${tag}`]);
  const pullStep = (inputs: Record<string, string>) =>
    stackJob(stack).main({ command: 'pull', 'github-token': e.TOKEN_GHS_WRITE, ...inputs });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'pull-test-'));
    docker = { ...stack.processEnv, DOCKER_CONFIG: join(work, 'docker') };
    // A runnable image built by docker, pushed as 1.14.1 and latest.
    writeFileSync(join(work, 'Dockerfile'), `FROM ${e.BASE_IMAGE}\nRUN echo pulled > /marker\n`);
    await mustRun('docker', ['login', e.REGISTRY_TOKEN, '-u', e.ACTOR, '--password-stdin'], {
      env: docker,
      input: e.TOKEN_GHS_WRITE,
    });
    await mustRun('docker', ['build', '-q', '-t', `${name}:1.14.1`, '-t', `${name}:latest`, work], {
      env: docker,
    });
    for (const tag of ['1.14.1', 'latest'])
      await mustRun('docker', ['push', `${name}:${tag}`], { env: docker });
    builtDigest = await skopeoDigest(`${name}:1.14.1`, creds);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const removeLocal = async () => {
    const ids = (await runProgram('docker', ['images', '-q', name], { env: docker })).stdout
      .trim()
      .split('\n')
      .filter(Boolean);
    if (ids.length) await runProgram('docker', ['rmi', '-f', ...new Set(ids)], { env: docker });
  };

  it.each([
    ['by digest', () => `${name}@${builtDigest}`, undefined],
    ['by tag', () => `${name}:1.14.1`, '1.14.1'],
    ['by latest', () => `${name}:latest`, 'latest'],
    ['by bare name (latest)', () => repository, 'latest'],
  ])(
    'pulls %s into docker; the digest matches skopeo, the image runs, the asked-for tag is applied',
    async (_how, source, tag) => {
      await removeLocal();
      const result = await pullStep({ source: source() });
      expect(result.code).toBe(0);
      expect(result.outputs.digest).toBe(builtDigest);
      expect(result.outputs.ref).toBe(`${name}@${builtDigest}`);
      expect(result.summary).toContain(`<h2>Pulled ${name}@${builtDigest}</h2>`);
      const run = await mustRun(
        'docker',
        ['run', '--rm', '--network', 'none', `${name}@${builtDigest}`, 'cat', '/marker'],
        { env: docker },
      );
      expect(run.stdout.trim()).toBe('pulled');
      const id = (
        await mustRun('docker', ['image', 'inspect', '--format', '{{.Id}}', `${name}@${builtDigest}`], {
          env: docker,
        })
      ).stdout.trim();
      expect(result.outputs['image-id']).toBe(id);
      if (tag)
        expect(
          (
            await mustRun('docker', ['image', 'inspect', '--format', '{{.Id}}', `${name}:${tag}`], {
              env: docker,
            })
          ).stdout.trim(),
        ).toBe(id);
    },
  );

  it('resolves a tag to its digest without pulling anything', async () => {
    const result = await stackJob(stack).main({
      command: 'resolve',
      'github-token': e.TOKEN_GHS_WRITE,
      source: `${name}:1.14.1`,
    });
    expect(result.code).toBe(0);
    expect(result.outputs.digest).toBe(builtDigest);
    expect(result.outputs['platform-digests']).toBe('{}');
  });

  it('writes an OCI layout without a daemon that skopeo reads (an OCI image keeps its digest)', async () => {
    const image = makeImage();
    const ref = parseReference(`${name}:oci-format`);
    await pushImage(stackClient(e).client, ref, image);
    const dir = join(work, 'layout-oci');
    const since = readFileSync(e.REGISTRY_TOKEN_LOG, 'utf8').split('\n').length - 1;
    const result = await stackJob(stack, { env: { PATH: mkdtempSync(join(tmpdir(), 'no-docker-')) } }).main({
      command: 'pull',
      'github-token': e.TOKEN_GHS_WRITE,
      source: `${name}:oci-format`,
      destination: `oci-layout:${dir}`,
    });
    expect(result.code).toBe(0);
    expect(result.outputs.digest).toBe(image.manifest.digest);
    expect(await layoutInspect(dir, 'oci-format')).toBe(image.manifest.digest);
    // The config, read once to check what the image is, is written from those bytes, not fetched again.
    const { config } = JSON.parse(image.manifest.bytes.toString('utf8')) as { config: { digest: string } };
    const configReads = readFileSync(e.REGISTRY_TOKEN_LOG, 'utf8')
      .split('\n')
      .slice(since)
      .filter((line) => line.includes(`"GET /v2/${repository}/blobs/${config.digest}`) && / 200 /.test(line));
    expect(configReads).toHaveLength(1);
  });

  it('stores a Docker-format image in an OCI layout in OCI media types, as skopeo copy does; the blobs are the same', async () => {
    const dir = join(work, 'layout-docker');
    const result = await pullStep({ source: `${name}:1.14.1`, destination: `oci-layout:${dir}` });
    expect(result.code).toBe(0);
    expect(result.outputs.digest).toBe(builtDigest);
    const stored = /stored in OCI media types \(as skopeo copy does\), as (sha256:[0-9a-f]{64})/.exec(
      result.stdout,
    )?.[1];
    expect(await layoutInspect(dir, '1.14.1')).toBe(stored);
    const fromRegistry = await skopeoInspect(`${name}:1.14.1`, creds, '{{.Layers}}');
    expect(await layoutInspect(dir, '1.14.1', '{{.Layers}}')).toBe(fromRegistry);
  });

  it('writes a docker archive that skopeo reads and docker loads and runs, with the image ID as config', async () => {
    const file = join(work, 'image.tar');
    const result = await pullStep({ source: `${name}:1.14.1`, destination: `docker-archive:${file}` });
    expect(result.code).toBe(0);
    const raw = JSON.parse(await skopeo(['inspect', '--raw', `docker-archive:${file}`])) as {
      config: { digest: string };
    };
    expect(raw.config.digest).toBe(result.outputs['image-id']);
    await removeLocal();
    const loaded = await mustRun('docker', ['load', '-i', file], { env: docker });
    expect(loaded.stdout).toContain(`${name}:1.14.1`);
    expect(
      (
        await mustRun('docker', ['run', '--rm', '--network', 'none', `${name}:1.14.1`, 'cat', '/marker'], {
          env: docker,
        })
      ).stdout.trim(),
    ).toBe('pulled');
  });

  describe('a multi-platform index', () => {
    const amd64 = makeImage({ platform: { os: 'linux', architecture: 'amd64' }, label: 'amd64' });
    const arm64 = makeImage({
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      label: 'arm64',
    });
    const index = makeIndex([amd64, arm64]);
    beforeAll(async () => {
      const client = stackClient(e).client;
      const base = parseReference(name);
      for (const image of [amd64, arm64])
        await pushImage(client, withDigest(base, image.manifest.digest), image);
      await client.putManifest(withTag(base, 'multi'), index);
    });

    /** Pulls one platform of the index into a fresh OCI layout, `layout-<arch>` under the work folder. */
    const pullPlatform = async (arch: string) => {
      const dir = join(work, `layout-${arch}`);
      const result = await pullStep({
        source: `${name}:multi`,
        destination: `oci-layout:${dir}`,
        platform: `linux/${arch}`,
      });
      return { dir, result };
    };

    it('picks the asked-for platform and reports every platform digest', async () => {
      const { dir, result } = await pullPlatform('arm64');
      expect(result.code).toBe(0);
      expect(result.outputs.digest).toBe(index.digest);
      expect(JSON.parse(result.outputs['platform-digests'] ?? '{}')).toEqual({
        'linux/amd64': amd64.manifest.digest,
        'linux/arm64/v8': arm64.manifest.digest,
      });
      expect(
        await skopeo(['inspect', '--override-arch', 'arm64', '--format', '{{.Digest}}', `oci:${dir}:multi`]),
      ).toBe(arm64.manifest.digest);
    });

    it('fails for a platform the index lacks, listing the ones it has, and writes nothing', async () => {
      const { dir, result } = await pullPlatform('s390x');
      expect(result.code).toBe(1);
      expect(annotations(result, 'error')[0]).toMatch(
        /no image for linux\/s390x.*linux\/amd64, linux\/arm64\/v8/s,
      );
      expect(existsSync(dir)).toBe(false);
    });
  });

  it.each([
    [
      'a tag that does not exist',
      { source: `${repository}:9.9.9` },
      /The tag '9\.9\.9' does not exist.*1\.14\.1/s,
    ],
    [
      'a malformed digest',
      { source: `${repository}@sha256:82jf9a84u29hiasldj289498uhois8498hjs29hkuhs` },
      /Invalid digest 'sha256:82jf9a84u29hiasldj289498uhois8498hjs29hkuhs'.*64/s,
    ],
    [
      'a digest that does not exist',
      { source: `${repository}@${sha256('nothing')}` },
      /The digest sha256:[0-9a-f]{64} does not exist/,
    ],
    [
      'an unknown destination',
      { source: repository, destination: 'tarball:x' },
      /'tarball:x'.*oci-layout:DIR.*docker-archive:FILE/s,
    ],
    ['a malformed platform', { source: repository, platform: 'linux' }, /Invalid platform 'linux'/],
  ])('fails on %s, naming it and what would work', async (_what, inputs, message) => {
    const result = await pullStep(inputs);
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')[0]).toMatch(message);
    expect(result.outputs).toEqual({});
  });

  it('refuses a destination folder that exists and is not an OCI layout, leaving it as it was', async () => {
    const dir = join(work, 'not-a-layout');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    const result = await pullStep({ source: repository, destination: `oci-layout:${dir}` });
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')[0]).toMatch(/is not an OCI image layout/);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('never mixes images when the tag moves while pulls run: each result is whole and matches its digest', async () => {
    const [a, b] = [makeImage({ label: 'a' }), makeImage({ label: 'b' })];
    const client = stackClient(e).client;
    const moving = parseReference(`${name}:moving`);
    await pushImage(client, moving, a);
    await pushImage(client, withTag(moving, 'other'), b);
    let stop = false;
    const mover = (async () => {
      for (let i = 0; !stop && i < 500; i++)
        await client.putManifest(moving, i % 2 ? a.manifest : b.manifest);
    })();
    try {
      const configs = new Map<string, string>(
        [a, b].map((image) => [
          image.manifest.digest,
          JSON.parse(image.manifest.bytes.toString()).config.digest as string,
        ]),
      );
      for (let i = 0; i < 4; i++) {
        const dir = join(work, `moving-${i}`);
        const result = await pullStep({ source: `${name}:moving`, destination: `oci-layout:${dir}` });
        expect(result.code).toBe(0);
        const digest = result.outputs.digest ?? '';
        expect(configs.has(digest)).toBe(true);
        expect(result.outputs['image-id']).toBe(configs.get(digest));
        expect(await layoutInspect(dir, 'moving')).toBe(digest);
      }
    } finally {
      stop = true;
      await mover;
    }
  });
});
