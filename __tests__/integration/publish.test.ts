import { expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReference } from '../../src/registry/index.js';
import { mustRun, runProgram } from '../support/exec.js';
import { stackClient, uniqueTag } from '../support/registry.js';
import { skopeoCreds, skopeoDigest, skopeoInspect } from '../support/skopeo.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, leakSurface, stackJob } from '../support/step.js';

// command: publish end to end: the bundle builds examples/hello with the real docker daemon or buildah, pushes
// to the stand-in's token registry, tags in the registry, and reports digests that skopeo and docker agree on.
const EXAMPLE = join(import.meta.dirname ?? process.cwd(), '..', '..', 'examples', 'hello');

describeWithStack('publish', (stack) => {
  const e = stack.env;
  const creds = skopeoCreds(e.ACTOR, e.TOKEN_GHS_WRITE);
  /** Blob uploads the registry completed for a repository (its access log: PUT .../blobs/uploads/...?digest=). */
  const blobUploads = (repository: string) =>
    readFileSync(e.REGISTRY_TOKEN_LOG, 'utf8')
      .split('\n')
      .filter(
        (line) =>
          line.includes(`"PUT /v2/${repository}/blobs/uploads/`) &&
          line.includes('digest=') &&
          / 201 /.test(line),
      );
  const base = (inputs: Record<string, string>) => ({
    'github-token': e.TOKEN_GHS_WRITE,
    context: EXAMPLE,
    'build-args': `BASE_IMAGE=${e.BASE_IMAGE}\nGREETING=Hi`,
    ...inputs,
  });
  const tagsAbsent = async (repository: string) => {
    const error = await stackClient(e)
      .client.listTags(parseReference(`${e.REGISTRY_TOKEN}/${repository}`))
      .catch((err: unknown) => err);
    return (error as { status?: number }).status === 404;
  };

  it('builds with docker, pushes once, tags the rest in the registry; every tag verified; ref pulls and runs', async () => {
    const name = `${e.OWNER}/publish-docker-${uniqueTag('d')}`;
    const job = stackJob(stack);
    const result = await job.main(
      base({ image: `${e.REGISTRY_TOKEN}/${name}`, tags: '1.0\nstable', builder: 'docker' }),
    );
    expect(result.code).toBe(0);
    const digest = result.outputs.digest ?? '';
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.outputs.tags?.split('\n')).toEqual([
      `${e.REGISTRY_TOKEN}/${name}:1.0`,
      `${e.REGISTRY_TOKEN}/${name}:stable`,
    ]);
    expect(result.outputs.ref).toBe(`${e.REGISTRY_TOKEN}/${name}@${digest}`);
    expect(result.outputs['image-id']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.outputs['auth-method']).toBe('github-token');
    for (const tag of ['1.0', 'stable'])
      expect(await skopeoDigest(`${e.REGISTRY_TOKEN}/${name}:${tag}`, creds)).toBe(digest);
    // Uploaded once: no blob is uploaded twice (docker may mount a base layer it pushed elsewhere instead).
    const manifest = await stackClient(e).client.getManifest(
      parseReference(`${e.REGISTRY_TOKEN}/${name}:1.0`),
    );
    if (manifest.kind !== 'image') throw new Error('expected an image manifest');
    const uploaded = blobUploads(name).map((line) =>
      decodeURIComponent(/digest=([^ &]+)/.exec(line)?.[1] ?? ''),
    );
    expect(uploaded.length).toBeGreaterThan(0);
    expect(new Set(uploaded).size).toBe(uploaded.length);
    const blobs = [manifest.image.config, ...manifest.image.layers].map((b) => b.digest);
    expect(uploaded.every((digest) => blobs.includes(digest))).toBe(true);
    expect(result.stdout).toContain(
      `Tagged ${e.REGISTRY_TOKEN}/${name}:stable in the registry (manifest PUT, nothing uploaded)`,
    );

    const metadata = JSON.parse(result.outputs.metadata ?? '{}') as {
      labels: Record<string, string>;
      builder: string;
    };
    expect(metadata.builder).toBe('docker');
    expect(metadata.labels['org.opencontainers.image.source']).toBe(`${e.GITHUB_API_URL}/${e.REPOSITORY}`);
    expect(result.summary).toContain(`docker pull ${e.REGISTRY_TOKEN}/${name}@${digest}`);

    const env = { ...stack.processEnv, DOCKER_CONFIG: job.dockerConfig };
    await mustRun(
      'docker',
      ['rmi', '-f', `${e.REGISTRY_TOKEN}/${name}:1.0`, `${e.REGISTRY_TOKEN}/${name}:stable`],
      { env },
    );
    await mustRun('docker', ['pull', result.outputs.ref ?? ''], { env });
    const ran = await mustRun('docker', ['run', '--rm', '--network', 'none', result.outputs.ref ?? ''], {
      env,
    });
    expect(ran.stdout.trim()).toBe('Hi from 1.2.3');
    expect(leakSurface(result)).not.toContain(e.TOKEN_GHS_WRITE);
  });

  it('republishing an unchanged image gives the same digest and uploads no blob', async () => {
    const name = `${e.OWNER}/publish-again-${uniqueTag('a')}`;
    const inputs = base({ image: `${e.REGISTRY_TOKEN}/${name}`, tags: 'v1', builder: 'docker' });
    const first = await stackJob(stack).main(inputs);
    expect(first.code).toBe(0);
    const uploads = blobUploads(name).length;
    const second = await stackJob(stack).main(inputs);
    expect(second.code).toBe(0);
    expect(second.outputs.digest).toBe(first.outputs.digest);
    expect(blobUploads(name)).toHaveLength(uploads);
  });

  it('builds with buildah (no daemon needed) and pushes with --digestfile; the digest matches skopeo', async () => {
    const name = `${e.OWNER}/publish-buildah-${uniqueTag('b')}`;
    const result = await stackJob(stack).main(
      base({ image: `${e.REGISTRY_TOKEN}/${name}`, tags: 'b1,b2', builder: 'buildah' }),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Builder: buildah');
    const digest = result.outputs.digest ?? '';
    for (const tag of ['b1', 'b2'])
      expect(await skopeoDigest(`${e.REGISTRY_TOKEN}/${name}:${tag}`, creds)).toBe(digest);
    expect(JSON.parse(result.outputs.metadata ?? '{}')).toMatchObject({ builder: 'buildah', digest });
  });

  it('publishes an existing local image by name and by image ID', async () => {
    const env = { ...stack.processEnv };
    const local = `local/publish-source:${uniqueTag('s')}`;
    await mustRun('docker', ['tag', e.BASE_IMAGE, local], { env });
    const id = (
      await mustRun('docker', ['image', 'inspect', '--format', '{{.Id}}', local], { env })
    ).stdout.trim();
    for (const source of [local, id.replace('sha256:', '').slice(0, 12)]) {
      const name = `${e.OWNER}/publish-source-${uniqueTag('s')}`;
      const result = await stackJob(stack).main({
        'github-token': e.TOKEN_GHS_WRITE,
        image: `${e.REGISTRY_TOKEN}/${name}`,
        tags: 'latest',
        source,
      });
      expect(result.code).toBe(0);
      expect(result.outputs['image-id']).toBe(id);
      expect(await skopeoDigest(`${e.REGISTRY_TOKEN}/${name}:latest`, creds)).toBe(result.outputs.digest);
      // The image is published as it is: the metadata claims none of the labels a build would add, and the
      // registry's config agrees (no org.opencontainers.image.source).
      expect(JSON.parse(result.outputs.metadata ?? '{}')).toMatchObject({ labels: {} });
      const labels = await skopeoInspect(`${e.REGISTRY_TOKEN}/${name}:latest`, creds, '{{.Labels}}');
      expect(labels).not.toContain('org.opencontainers.image.source');
    }
  });

  it('derives tags from the event and lower-cases an owner with capitals, with a notice', async () => {
    const name = `Octo-Org/Publish-Case-${uniqueTag('c')}`;
    const result = await stackJob(stack).main(
      base({ image: `${e.REGISTRY_TOKEN}/${name}`, builder: 'docker' }),
    );
    expect(result.code).toBe(0);
    expect(
      annotations(result, 'notice').some(
        (n) => n.includes('was lower-cased to') && n.includes(name.toLowerCase()),
      ),
    ).toBe(true);
    expect(result.outputs.tags?.split('\n')).toEqual([
      `${e.REGISTRY_TOKEN}/${name.toLowerCase()}:latest`,
      `${e.REGISTRY_TOKEN}/${name.toLowerCase()}:sha-4f6d3a1`,
    ]);
  });

  it('does not push a pull request with push: auto, but builds and sets image-id, and says why', async () => {
    const name = `${e.OWNER}/publish-pr-${uniqueTag('p')}`;
    const job = stackJob(stack, {
      event: 'pull_request_fork.json',
      eventName: 'pull_request',
      env: { GITHUB_REF: 'refs/pull/42/merge' },
    });
    const result = await job.main(
      base({ image: `${e.REGISTRY_TOKEN}/${name}`, builder: 'docker', 'github-token': e.TOKEN_GHS_READ }),
    );
    expect(result.code).toBe(0);
    expect(result.outputs['image-id']).toMatch(/^sha256:/);
    expect(result.outputs.digest).toBeUndefined();
    // Nothing was written: no tags output (the metadata lists the tag made here, pr-42, and none written).
    expect(result.outputs.tags).toBeUndefined();
    expect(JSON.parse(result.outputs.metadata ?? '{}')).toMatchObject({
      tags: [`${e.REGISTRY_TOKEN}/${name}:pr-42`],
      written: [],
    });
    expect(result.stdout).toContain(
      "no digest exists because nothing was pushed: this is a pull_request event and 'push: auto' does not push pull requests",
    );
    expect(await tagsAbsent(name)).toBe(true);
  });

  it.each([
    [
      'a missing Dockerfile',
      { file: 'no/such/Dockerfile' },
      /The Dockerfile 'no\/such\/Dockerfile' does not exist/,
    ],
    ['a bad tag', { tags: 'ok,bad tag!' }, /'bad tag!'/],
    ['a bad build-arg', { 'build-args': 'NOEQUALS' }, /'NOEQUALS'.*build-args.*KEY=VALUE/s],
    [
      'an image on another registry than registry',
      { image: `${e.REGISTRY_BASIC}/${e.OWNER}/elsewhere` },
      /'image' is on 127\.0\.0\.1:\d+, but 'registry' is/,
    ],
    ['an unknown builder', { builder: 'kaniko' }, /'builder' is 'kaniko'.*auto, buildx, docker, buildah/s],
    [
      'several platforms without buildx',
      { builder: 'docker', platforms: 'linux/amd64,linux/arm64' },
      /2 platforms.*buildx/s,
    ],
  ])('fails on %s with a clear error, nothing built or pushed', async (_name, inputs, message) => {
    const name = `${e.OWNER}/publish-bad-${uniqueTag('x')}`;
    const images = async () =>
      (
        await runProgram('docker', ['images', '-q', `${e.REGISTRY_TOKEN}/${name}`], { env: stack.processEnv })
      ).stdout.trim();
    const result = await stackJob(stack).main(base({ image: `${e.REGISTRY_TOKEN}/${name}`, ...inputs }));
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')[0]).toMatch(message);
    expect(annotations(result, 'error')[0]).toContain('Fix:');
    expect(await tagsAbsent(name)).toBe(true);
    expect(await images()).toBe('');
  });
});
