import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RegistryError,
  parseReference,
  withDigest,
  withTag,
  type Platform,
} from '../../src/registry/index.js';
import { bufferSource } from '../../src/registry/blobs.js';
import { sha256 } from '../../src/registry/digest.js';
import { MediaType } from '../../src/registry/manifests.js';
import { mustRun, runProgram } from '../support/exec.js';
import {
  makeImage,
  makeIndex,
  stackClient,
  uniqueTag,
  type MadeImage,
  type MakeImageOptions,
} from '../support/registry.js';
import { skopeo, skopeoCreds, skopeoDigest } from '../support/skopeo.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, stackJob } from '../support/step.js';

// command: merge end to end through the bundle on the stand-in's token registry: per-platform images pushed by
// digest become one index with the merge's tags only; docker pulls it here (amd64); the pull command takes the
// arm64 child out of it; a rerun (in any order) gives the same digest; children of another repository are copied
// in by mounts; bad inputs fail before anything is written.
describeWithStack('merge', (stack) => {
  const e = stack.env;
  const run = uniqueTag('merge');
  const repoOf = (what: string) => `${e.REGISTRY_TOKEN}/${e.OWNER}/${run}-${what}`;
  const name = repoOf('app');
  const creds = skopeoCreds(e.ACTOR, e.TOKEN_GHS_WRITE);
  const client = stackClient(e).client;
  const source = 'https://github.com/octo-org/merge-app';
  const platformImage = (platform: Platform, options: MakeImageOptions = {}) =>
    makeImage({ platform, label: JSON.stringify(platform), ...options });
  const amd64 = platformImage(
    { os: 'linux', architecture: 'amd64' },
    { labels: { 'org.opencontainers.image.source': source, 'org.opencontainers.image.licenses': 'MIT' } },
  );
  const arm64 = platformImage({ os: 'linux', architecture: 'arm64', variant: 'v8' });
  let work: string;

  /** Blobs, then the manifest by digest: no tag anywhere. Returns `repository@digest`. */
  async function pushByDigest(repository: string, image: MadeImage): Promise<string> {
    const ref = parseReference(repository);
    for (const [digest, bytes] of image.blobs)
      await client.uploadBlob(ref, { digest, size: bytes.length }, bufferSource(bytes));
    await client.putManifest(withDigest(ref, image.manifest.digest), image.manifest);
    return `${repository}@${image.manifest.digest}`;
  }
  const merge = (inputs: Record<string, string>) =>
    stackJob(stack).main({ command: 'merge', 'github-token': e.TOKEN_GHS_WRITE, image: name, ...inputs });
  /** The repository's tags, sorted; none when it has none (the registry answers 404 for a tag list then). */
  const tagsOf = async (repository: string) =>
    (
      await client.listTags(parseReference(repository)).catch((error: unknown) => {
        if (error instanceof RegistryError && error.status === 404) return [];
        throw error;
      })
    ).sort();
  const rawIndex = async (reference: string) =>
    JSON.parse(
      await skopeo(['inspect', '--tls-verify=false', ...creds, '--raw', `docker://${reference}`]),
    ) as {
      mediaType: string;
      manifests: { digest: string; platform: Platform }[];
      annotations?: Record<string, string>;
    };
  let sources: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'merge-test-'));
    sources = [await pushByDigest(name, amd64), await pushByDigest(name, arm64)];
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes one index of both platforms, tagged with the merge tags only, verified', async () => {
    expect(await tagsOf(name)).toEqual([]);
    const result = await merge({ source: sources.join('\n'), tags: '1.0\nlatest' });
    expect(result.code).toBe(0);
    const index = await rawIndex(`${name}:1.0`);
    expect(index.mediaType).toBe(MediaType.ociIndex);
    expect(index.manifests.map((m) => [m.digest, m.platform])).toEqual([
      [amd64.manifest.digest, { architecture: 'amd64', os: 'linux' }],
      [arm64.manifest.digest, { architecture: 'arm64', os: 'linux', variant: 'v8' }],
    ]);
    expect(index.annotations).toEqual({
      'org.opencontainers.image.licenses': 'MIT',
      'org.opencontainers.image.source': source,
    });
    const digest = await skopeoDigest(`${name}:latest`, creds);
    expect(result.outputs).toMatchObject({
      digest,
      ref: `${name}@${digest}`,
      image: name,
      tags: `${name}:1.0\n${name}:latest`,
    });
    expect(JSON.parse(result.outputs['platform-digests'] ?? '{}')).toEqual({
      'linux/amd64': amd64.manifest.digest,
      'linux/arm64/v8': arm64.manifest.digest,
    });
    expect(await tagsOf(name)).toEqual(['1.0', 'latest']);
    expect(result.summary).toContain(`docker pull ${name}@${digest}`);
  });

  it('is pulled by docker on this machine (amd64) by the tag', async () => {
    const docker = { ...stack.processEnv, DOCKER_CONFIG: join(work, 'docker') };
    await mustRun('docker', ['login', e.REGISTRY_TOKEN, '-u', e.ACTOR, '--password-stdin'], {
      env: docker,
      input: e.TOKEN_GHS_WRITE,
    });
    try {
      await mustRun('docker', ['pull', `${name}:1.0`], { env: docker });
      const inspected = await mustRun(
        'docker',
        ['image', 'inspect', '--format', '{{.Architecture}} {{index .Config.Labels "test"}}', `${name}:1.0`],
        { env: docker },
      );
      expect(inspected.stdout.trim()).toBe(`amd64 ${JSON.stringify({ os: 'linux', architecture: 'amd64' })}`);
    } finally {
      await runProgram('docker', ['rmi', '-f', `${name}:1.0`], { env: docker });
    }
  });

  it('gives the arm64 child to the pull command asked for linux/arm64 (to an OCI layout)', async () => {
    const dir = join(work, 'arm64-layout');
    const result = await stackJob(stack).main({
      command: 'pull',
      'github-token': e.TOKEN_GHS_WRITE,
      source: `${name}:1.0`,
      platform: 'linux/arm64',
      destination: `oci-layout:${dir}`,
    });
    expect(result.code).toBe(0);
    expect(await skopeo(['inspect', '--format', '{{.Digest}} {{.Architecture}}', `oci:${dir}:1.0`])).toBe(
      `${arm64.manifest.digest} arm64`,
    );
  });

  it('gives the same digest when run again, in any order of the sources', async () => {
    const before = await skopeoDigest(`${name}:1.0`, creds);
    const again = await merge({ source: [...sources].reverse().join('\n'), tags: 'again' });
    expect(again.code).toBe(0);
    expect(again.outputs.digest).toBe(before);
    expect(await skopeoDigest(`${name}:again`, creds)).toBe(before);
  });

  it('copies children of other repositories of the registry in (mounted), and with no tags writes none', async () => {
    const target = repoOf('copied');
    const result = await merge({ image: target, source: sources.join('\n') });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Copied .*: 2 blobs mounted, 0 uploaded/);
    for (const image of [amd64, arm64]) {
      const copied = await client.getManifest(withDigest(parseReference(target), image.manifest.digest));
      expect(copied.bytes.equals(image.manifest.bytes)).toBe(true);
    }
    expect(result.outputs.digest).toBe(await skopeoDigest(`${name}:1.0`, creds));
    expect(result.outputs.tags).toBe('');
    expect(await tagsOf(target)).toEqual([]);
    const stored = await client.getManifest(withDigest(parseReference(target), result.outputs.digest ?? ''));
    expect(stored.kind).toBe('index');
  });

  it('takes the images of a listed index, leaving its attestations out, and Docker images into a Docker list', async () => {
    const attestation = platformImage({ os: 'unknown', architecture: 'unknown' });
    const listed = makeIndex([amd64, arm64, attestation]);
    const body = JSON.parse(listed.bytes.toString()) as { manifests: Record<string, unknown>[] };
    const last = body.manifests[2] as Record<string, unknown>;
    last.annotations = { 'vnd.docker.reference.type': 'attestation-manifest' };
    const bytes = Buffer.from(JSON.stringify(body));
    const withAttestation = { ...listed, bytes, digest: sha256(bytes) };
    await pushByDigest(name, attestation);
    await client.putManifest(withTag(parseReference(name), 'built'), withAttestation);
    const fromIndex = await merge({ source: `${name}:built`, tags: 'from-index' });
    expect(fromIndex.code).toBe(0);
    // An attestation that names no image of its index is left out: the index is the images' alone.
    expect(fromIndex.stdout).toContain('an attestation of no image listed here; left out of the index');
    expect(fromIndex.outputs.digest).toBe(await skopeoDigest(`${name}:1.0`, creds));

    // One that names an image (as buildx writes them) is kept right after it.
    last.annotations = {
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': amd64.manifest.digest,
    };
    const named = Buffer.from(JSON.stringify(body));
    await client.putManifest(withTag(parseReference(name), 'built'), {
      ...listed,
      bytes: named,
      digest: sha256(named),
    });
    const kept = await merge({ source: `${name}:built`, tags: 'with-attestation' });
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain(`an attestation of ${amd64.manifest.digest}; kept beside it`);
    const index = await rawIndex(`${name}:with-attestation`);
    const entries = index.manifests as unknown as { digest: string; annotations?: Record<string, string> }[];
    const at = entries.findIndex((m) => m.digest === amd64.manifest.digest);
    expect(entries[at + 1]).toMatchObject({
      digest: attestation.manifest.digest,
      annotations: { 'vnd.docker.reference.digest': amd64.manifest.digest },
    });

    const dockerRepo = repoOf('docker');
    const docker = [
      platformImage({ os: 'linux', architecture: 'amd64' }, { format: 'docker', labels: { x: 'y' } }),
      platformImage({ os: 'linux', architecture: 'arm', variant: 'v7' }, { format: 'docker' }),
    ];
    const children = [
      await pushByDigest(dockerRepo, docker[0] as MadeImage),
      await pushByDigest(dockerRepo, docker[1] as MadeImage),
    ];
    const list = await merge({ image: dockerRepo, source: children.join('\n'), tags: 'multi' });
    expect(list.code).toBe(0);
    const raw = await rawIndex(`${dockerRepo}:multi`);
    expect(raw.mediaType).toBe(MediaType.dockerList);
    expect(raw).not.toHaveProperty('annotations');
  });

  it('fails bad inputs with the value and the fix, writing nothing: the tag list stays as it was', async () => {
    const other = platformImage({ os: 'linux', architecture: 'amd64' });
    const noArchitecture = platformImage({ os: 'linux' } as Platform);
    const artifact = platformImage(
      { os: 'linux', architecture: 'amd64' },
      {
        configMediaType: 'application/vnd.example.config+json',
      },
    );
    const [otherRef, noArchRef, artifactRef] = [
      await pushByDigest(name, other),
      await pushByDigest(name, noArchitecture),
      await pushByDigest(name, artifact),
    ];
    const before = await tagsOf(name);
    const missing = `${name}@sha256:${'e'.repeat(64)}`;
    const cases: [Record<string, string>, string[]][] = [
      [
        { source: `${sources.join('\n')}\n${missing}` },
        [`The digest sha256:${'e'.repeat(64)} does not exist`, 'again'],
      ],
      [
        { source: `${sources.join('\n')}\n${otherRef}` },
        ['Two images are for linux/amd64', otherRef.split('@')[1] ?? ''],
      ],
      [{ source: `${sources[0]}\n${noArchRef}` }, ['its config names no os and architecture', noArchRef]],
      [
        { source: `${sources[0]}\n${artifactRef}` },
        ['application/vnd.example.config+json', 'it is not a container image'],
      ],
      [
        { source: `${e.REGISTRY_BASIC}/${e.OWNER}/x@${amd64.manifest.digest}` },
        [`on ${e.REGISTRY_BASIC}, but the index is written to ${e.REGISTRY_TOKEN}`],
      ],
      [{ source: '' }, ["Input 'source' is empty"]],
      [{ source: sources.join('\n'), tags: 'ok,bad tag' }, ["The tag 'bad tag' in 'tags' is not valid"]],
    ];
    const log = (since: number) =>
      readFileSync(e.REGISTRY_TOKEN_LOG, 'utf8')
        .split('\n')
        .slice(since)
        .filter(
          (line) =>
            line.includes(`/v2/${e.OWNER}/${run}-app/`) &&
            /"(PUT|PATCH) |"DELETE [^ ]*\/manifests\//.test(line),
        );
    // The push-permission check opens an upload (POST) and leaves it to expire: it writes nothing.
    const since = readFileSync(e.REGISTRY_TOKEN_LOG, 'utf8').split('\n').length - 1;
    for (const [inputs, phrases] of cases) {
      const result = await merge({ tags: 'must-not-appear', ...inputs });
      const error = annotations(result, 'error')[0] ?? '';
      expect({
        code: result.code,
        missing: phrases.filter((p) => !error.includes(p)),
        fix: error.includes('Fix:'),
      }).toEqual({
        code: 1,
        missing: [],
        fix: true,
      });
      expect(result.outputs).toEqual({});
    }
    expect(await tagsOf(name)).toEqual(before);
    expect(log(since)).toEqual([]);
  });
});
