import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram } from '../support/exec.js';
import { uniqueTag } from '../support/registry.js';
import { skopeoCreds, skopeoDigest } from '../support/skopeo.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, stackJob, type Job } from '../support/step.js';

// command: publish end to end, for what a build leaves behind and how buildah reaches a registry: a failed build
// leaves no container (docker) and no working container (buildah); buildah pushes to (and bud pulls from) a
// plain-http registry on this machine with no registries.conf entry calling it insecure. Checked with docker,
// buildah and skopeo themselves; every image and container made here is removed.
const EXAMPLE = join(import.meta.dirname ?? process.cwd(), '..', '..', 'examples', 'hello');
const BUILD_FIX = 'Fix: read the build log above; fix the Dockerfile or the inputs.';

describeWithStack('publish: clean failures, plain http to loopback registries', (stack) => {
  const e = stack.env;
  const creds = skopeoCreds(e.ACTOR, e.TOKEN_GHS_WRITE);
  const docker = (args: string[]) => runProgram('docker', args, { env: stack.processEnv });
  /** buildah on the stand-in's store (the one the action's buildah uses: CONTAINERS_STORAGE_CONF). */
  const buildahEnv = { ...process.env, CONTAINERS_STORAGE_CONF: e.CONTAINERS_STORAGE_CONF };
  const buildah = (args: string[]) =>
    runProgram('buildah', ['--root', e.BUILDAH_ROOT, '--runroot', e.BUILDAH_RUNROOT, ...args], {
      env: { ...buildahEnv, CONTAINERS_REGISTRIES_CONF: e.CONTAINERS_REGISTRIES_CONF },
    });
  const mustBuildah = async (args: string[]) => {
    const ran = await buildah(args);
    if (ran.code !== 0) throw new Error(`buildah ${args.join(' ')} exited ${ran.code}\n${ran.stderr}`);
    return ran.stdout.trim();
  };
  /** A registries.conf of this file's own: no registry listed, so none is insecure. */
  let confDir = '';
  let strictConf = '';
  /** Whether the base image was in buildah's store before these tests (if not, they remove it after). */
  let baseWasThere = true;

  beforeAll(async () => {
    confDir = mkdtempSync(join(tmpdir(), 'publish-clean-'));
    strictConf = join(confDir, 'registries.conf');
    writeFileSync(strictConf, 'unqualified-search-registries = []\n');
    baseWasThere = (await buildah(['inspect', '--type', 'image', e.BASE_IMAGE])).code === 0;
  });

  afterAll(async () => {
    rmSync(confDir, { recursive: true, force: true });
    // Best effort: another build may use it right now, and then it stays.
    if (!baseWasThere) await buildah(['rmi', e.BASE_IMAGE]);
  });

  /** A context in the job's RUNNER_TEMP whose Dockerfile's RUN prints `marker` and exits 3. */
  function failingContext(job: Job, marker: string): string {
    const context = join(job.env.RUNNER_TEMP as string, 'failing');
    mkdirSync(context);
    writeFileSync(
      join(context, 'Dockerfile'),
      `ARG BASE_IMAGE\nFROM \${BASE_IMAGE}\nRUN echo ${marker} && exit 3\n`,
    );
    return context;
  }

  /** Publishes the failing context with `builder`, from `base`; the step must fail on the build, not the network. */
  async function publishFailing(builder: string, marker: string, base: string): Promise<void> {
    const job = stackJob(stack);
    const result = await job.main({
      'github-token': e.TOKEN_GHS_WRITE,
      image: `${e.REGISTRY_TOKEN}/${e.OWNER}/${marker}`,
      tags: 'fail',
      builder,
      context: failingContext(job, marker),
      'build-args': `BASE_IMAGE=${base}`,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(marker);
    const error = annotations(result, 'error')[0] ?? '';
    expect(error).toContain(`${builder === 'docker' ? 'docker build' : 'buildah bud'} failed (exit`);
    expect(error).toContain(BUILD_FIX);
    expect(error).not.toMatch(/network|TLS|certificate/i);
  }

  it('docker: a failed RUN leaves no stopped container (and no image)', async () => {
    const marker = uniqueTag('publish-clean-docker');
    /** Containers whose command carries the marker: those of this build's RUN step. */
    const leftovers = async () =>
      (await docker(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Command}}'])).stdout
        .split('\n')
        .filter((line) => line.includes(marker))
        .map((line) => line.split(' ')[0] ?? '');
    try {
      await publishFailing('docker', marker, e.BASE_IMAGE);
      expect(await leftovers()).toEqual([]);
      expect((await docker(['images', '-q', `${e.REGISTRY_TOKEN}/${e.OWNER}/${marker}`])).stdout.trim()).toBe(
        '',
      );
    } finally {
      const ids = await leftovers();
      if (ids.length) await docker(['rm', '-f', ...ids]);
    }
  });

  it('buildah: a failed RUN leaves no working container', async () => {
    const marker = uniqueTag('publish-clean-buildah');
    // FROM a local name of the base, all of this test's own: buildah names the working container after it
    // (<marker>-working-container), so no other build's container can be taken for this one's.
    const base = `localhost/${marker}:base`;
    if (!baseWasThere) await mustBuildah(['pull', '--quiet', '--tls-verify=false', e.BASE_IMAGE]);
    await mustBuildah(['tag', e.BASE_IMAGE, base]);
    const leftovers = async () =>
      (await mustBuildah(['containers', '--all', '--format', '{{.ContainerID}} {{.ContainerName}}']))
        .split('\n')
        .filter((line) => line.split(/\s+/)[1]?.startsWith(`${marker}-working-container`))
        .map((line) => line.split(' ')[0] ?? '');
    try {
      await publishFailing('buildah', marker, base);
      expect(await leftovers()).toEqual([]);
    } finally {
      const ids = await leftovers();
      if (ids.length) await buildah(['rm', ...ids]);
      await buildah(['rmi', base]);
    }
  });

  it('buildah: pulls from and pushes to plain-http loopback registries that registries.conf does not call insecure', async () => {
    const strictEnv = { ...buildahEnv, CONTAINERS_REGISTRIES_CONF: strictConf };
    // The registries.conf is strict: a client that verifies TLS fails on the stand-in's plain-http registries.
    const strict = await runProgram('skopeo', ['inspect', '--raw', `docker://${e.BASE_IMAGE}`], {
      env: strictEnv,
    });
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('server gave HTTP response to HTTPS client');

    const unique = uniqueTag('t');
    const name = `${e.OWNER}/publish-clean-http-${unique}`;
    const ref = `${e.REGISTRY_TOKEN}/${name}:h1`;
    try {
      const result = await stackJob(stack, { env: { CONTAINERS_REGISTRIES_CONF: strictConf } }).main({
        'github-token': e.TOKEN_GHS_WRITE,
        image: `${e.REGISTRY_TOKEN}/${name}`,
        tags: 'h1',
        builder: 'buildah',
        context: EXAMPLE,
        // pull: bud pulls the base from the anonymous registry over plain http even when its store has it.
        pull: 'true',
        'build-args': `BASE_IMAGE=${e.BASE_IMAGE}\nGREETING=Clean ${unique}`,
      });
      expect(annotations(result, 'error')).toEqual([]);
      expect(result.code).toBe(0);
      expect(`${result.stdout}${result.stderr}`).toContain(`Trying to pull ${e.BASE_IMAGE}`);
      const digest = result.outputs.digest ?? '';
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await skopeoDigest(ref, creds)).toBe(digest);
    } finally {
      await buildah(['rmi', ref]);
    }
  });
});
