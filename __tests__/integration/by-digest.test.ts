import { afterAll, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryError, parseReference } from '../../src/registry/index.js';
import { mustRun } from '../support/exec.js';
import { stackClient, uniqueTag } from '../support/registry.js';
import { skopeo, skopeoCreds } from '../support/skopeo.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, stackJob, type Job } from '../support/step.js';

// Issue 14's flow through the bundle, with real builders on the stand-in: two runs publish one platform each
// with `push: by-digest` (docker: linux/amd64, uploaded by the action from `docker save`; buildah: linux/arm64
// from scratch, uploaded from an OCI layout), with no tag anywhere; a third run merges them with tags 1.0 and
// latest. The index holds both platforms, the repository holds exactly the merge's tags, docker runs the tag
// here, the pull command takes the arm64 child out to an OCI layout, and a rerun of everything gives the same
// digests.
describeWithStack('push: by-digest, then merge', (stack) => {
  const e = stack.env;
  const name = `${e.REGISTRY_TOKEN}/${e.OWNER}/${uniqueTag('by-digest')}`;
  const creds = skopeoCreds(e.ACTOR, e.TOKEN_GHS_WRITE);
  const { client } = stackClient(e);
  const work = mkdtempSync(join(tmpdir(), 'by-digest-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A context in the job's RUNNER_TEMP whose Dockerfile has no RUN (no emulation for arm64): a file naming `what`. */
  function context(job: Job, what: string, from: string): string {
    const dir = mkdtempSync(join(job.env.RUNNER_TEMP as string, `${what}-`));
    writeFileSync(join(dir, 'hello'), `hello from ${what}\n`);
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${from}\nCOPY hello /hello\n`);
    return dir;
  }
  const FROM = { amd64: e.BASE_IMAGE, arm64: 'scratch' };
  const publish = async (what: 'amd64' | 'arm64', inputs: Record<string, string>) => {
    const job = stackJob(stack);
    const result = await job.main({
      'github-token': e.TOKEN_GHS_WRITE,
      image: name,
      push: 'by-digest',
      network: 'none',
      context: context(job, what, FROM[what]),
      ...inputs,
    });
    expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
    return result;
  };
  const tags = async () =>
    (
      await client.listTags(parseReference(name)).catch((error: unknown) => {
        if (error instanceof RegistryError && error.status === 404) return [];
        throw error;
      })
    ).sort();
  const merge = () =>
    stackJob(stack).main({
      command: 'merge',
      'github-token': e.TOKEN_GHS_WRITE,
      image: name,
      source: refs.join('\n'),
      tags: '1.0\nlatest',
    });
  let refs: string[] = [];
  let mergedDigest = '';

  it('docker (amd64) and buildah (arm64) push by digest: outputs digest, ref and platform; no tag written', async () => {
    const docker = await publish('amd64', { builder: 'docker' });
    const buildah = await publish('arm64', { builder: 'buildah', platforms: 'linux/arm64' });
    for (const [result, platform] of [
      [docker, 'linux/amd64'],
      [buildah, 'linux/arm64'],
    ] as const) {
      expect(result.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(result.outputs.ref).toBe(`${name}@${result.outputs.digest}`);
      expect(result.outputs.platform).toBe(platform);
      expect(result.outputs.tags).toBeUndefined();
      expect(result.stdout).toContain(`Pushed ${name}@${result.outputs.digest} by digest, no tag`);
      const raw = await skopeo([
        'inspect',
        '--tls-verify=false',
        ...creds,
        '--raw',
        `docker://${result.outputs.ref}`,
      ]);
      expect(JSON.parse(raw)).toHaveProperty('layers');
    }
    refs = [docker.outputs.ref ?? '', buildah.outputs.ref ?? ''];
    expect(await tags()).toEqual([]);
    // A rerun pushes the same bytes: the same digest, nothing uploaded.
    const again = await publish('amd64', { builder: 'docker' });
    expect(again.outputs.digest).toBe(docker.outputs.digest);
    expect(again.stdout).toMatch(/by digest, no tag: 0 blobs uploaded \(0 bytes\)/);
  });

  it('merge writes one index with both platforms and exactly its tags; docker runs the tag here', async () => {
    const result = await merge();
    expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
    mergedDigest = result.outputs.digest ?? '';
    const index = JSON.parse(
      await skopeo(['inspect', '--tls-verify=false', ...creds, '--raw', `docker://${name}:1.0`]),
    ) as { manifests: { digest: string; platform: { architecture: string } }[] };
    expect(index.manifests.map((m) => m.platform.architecture).sort()).toEqual(['amd64', 'arm64']);
    expect(await tags()).toEqual(['1.0', 'latest']);
    const env = { ...stack.processEnv, DOCKER_CONFIG: join(work, 'docker') };
    await mustRun('docker', ['login', e.REGISTRY_TOKEN, '-u', e.ACTOR, '--password-stdin'], {
      env,
      input: e.TOKEN_GHS_WRITE,
    });
    await mustRun('docker', ['pull', `${name}:1.0`], { env });
    const ran = await mustRun(
      'docker',
      ['run', '--rm', '--network', 'none', `${name}:1.0`, 'cat', '/hello'],
      {
        env,
      },
    );
    await mustRun('docker', ['rmi', '-f', `${name}:1.0`], { env });
    expect(ran.stdout).toBe('hello from amd64\n');
    expect((await merge()).outputs.digest).toBe(mergedDigest);
  });

  it('pull with platform linux/arm64 to an OCI layout gets the arm64 child', async () => {
    const layout = join(work, 'arm64-layout');
    const result = await stackJob(stack).main({
      command: 'pull',
      'github-token': e.TOKEN_GHS_WRITE,
      source: `${name}:1.0`,
      platform: 'linux/arm64',
      destination: `oci-layout:${layout}`,
    });
    expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
    const arm64 = (refs[1] ?? '').split('@')[1];
    expect(await skopeo(['inspect', '--format', '{{.Digest}} {{.Architecture}}', `oci:${layout}:1.0`])).toBe(
      `${arm64} arm64`,
    );
  });
});
