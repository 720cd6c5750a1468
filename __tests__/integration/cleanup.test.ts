import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference, withDigest, withTag } from '../../src/registry/index.js';
import { bufferSource } from '../../src/registry/blobs.js';
import { mustRun, runProgram } from '../support/exec.js';
import {
  makeImage,
  makeIndex,
  pushImage,
  stackClient,
  uniqueTag,
  type MadeImage,
} from '../support/registry.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, stackJob } from '../support/step.js';

// command: cleanup end to end through the bundle on the stand-in (token registry + Packages API): a package of
// 16 versions (releases, sha-* and pr-* tags, untagged leftovers, a two-platform index whose children are
// untagged, cosign-style signature tags), a dry-run plan that keeps the index's children and the signature of a
// kept image, refusals that delete nothing, a real run that deletes exactly the plan, every kept tag pulled by
// docker and by the pull command (both platforms of the index), and a second run that deletes nothing.
describeWithStack('cleanup', (stack) => {
  const e = stack.env;
  const name = uniqueTag('cleanup');
  const image = `${e.REGISTRY_TOKEN}/${e.OWNER}/${name}`;
  const repo = parseReference(image);
  const client = stackClient(e).client;
  const DAY = 86_400_000;
  const made: Record<string, MadeImage> = {};
  const digests: Record<string, string> = {};
  let work: string;

  const cleanup = (inputs: Record<string, string>) =>
    stackJob(stack).main({
      command: 'cleanup',
      'github-token': e.TOKEN_GHS_WRITE,
      image,
      'keep-last': '2',
      'older-than': '30d',
      ...inputs,
    });
  const api = async (path: string, token = e.TOKEN_GHS_WRITE) =>
    fetch(`${e.GITHUB_API_URL}${path}`, { headers: { Authorization: `token ${token}` } });
  const versions = async () =>
    (await (await api(`/orgs/${e.OWNER}/packages/container/${name}/versions?per_page=100`)).json()) as {
      id: number;
      name: string;
      metadata: { container: { tags: string[] } };
    }[];
  const setAge = async (digest: string, days: number) => {
    const answer = await fetch(`${e.GITHUB_API_URL}/_standin/created-at`, {
      method: 'POST',
      body: JSON.stringify({
        repository: repo.repository,
        digest,
        created_at: new Date(Date.now() - days * DAY).toISOString(),
      }),
    });
    expect(answer.status).toBe(200);
  };
  const push = async (key: string, tag: string | undefined, days: number) => {
    const img = makeImage({ label: key });
    made[key] = img;
    if (tag) await pushImage(client, withTag(repo, tag), img);
    else {
      for (const [digest, bytes] of img.blobs)
        await client.uploadBlob(repo, { digest, size: bytes.length }, bufferSource(bytes));
      await client.putManifest(withDigest(repo, img.manifest.digest), img.manifest);
    }
    digests[key] = img.manifest.digest;
    await setAge(img.manifest.digest, days);
  };
  const hex = (key: string) => (digests[key] ?? '').slice('sha256:'.length);
  const deletedDigests = (outputs: Record<string, string>) =>
    (JSON.parse(outputs.deleted ?? '[]') as { digest: string }[]).map((d) => d.digest);
  const expectedDeleted = () =>
    ['sha1', 'sha2', 'sha3', 'pr1', 'untagged1', 'sig-of-sha1'].map((k) => digests[k]);
  const keptTags = ['1.0.0', '1.1.0', 'latest', '1.2.0', 'sha-4', 'sha-5', 'pr-2'];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cleanup-test-'));
    await push('release1', '1.0.0', 200);
    await push('release2', '1.1.0', 100);
    for (const [n, days] of [
      [1, 90],
      [2, 80],
      [3, 70],
      [4, 10],
      [5, 1],
    ] as const)
      await push(`sha${n}`, `sha-${n}`, days);
    await push('pr1', 'pr-1', 60);
    await push('pr2', 'pr-2', 0.5);
    await push('untagged1', undefined, 60);
    await push('untagged2', undefined, 5);
    // A two-platform index: its children pushed by digest (untagged), old; the index tagged latest and 1.2.0.
    const amd64 = makeImage({ platform: { os: 'linux', architecture: 'amd64' }, label: 'amd64' });
    const arm64 = makeImage({ platform: { os: 'linux', architecture: 'arm64' }, label: 'arm64' });
    for (const [key, img] of [
      ['amd64', amd64],
      ['arm64', arm64],
    ] as const) {
      for (const [digest, bytes] of img.blobs)
        await client.uploadBlob(repo, { digest, size: bytes.length }, bufferSource(bytes));
      await client.putManifest(withDigest(repo, img.manifest.digest), img.manifest);
      digests[key] = img.manifest.digest;
      await setAge(img.manifest.digest, 120);
    }
    const index = makeIndex([amd64, arm64]);
    for (const tag of ['latest', '1.2.0']) await client.putManifest(withTag(repo, tag), index);
    digests.index = index.digest;
    await setAge(index.digest, 120);
    // cosign-style signatures: one of a kept release, one of a sha-* image the policy deletes.
    await push('sig-of-release1', `sha256-${hex('release1')}.sig`, 150);
    await push('sig-of-sha1', `sha256-${hex('sha1')}.sig`, 90);
    expect((await versions()).length).toBe(16);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('plans in a dry run: keeps the index children and the signature of a kept image, deletes nothing', async () => {
    const before = await versions();
    const result = await cleanup({});
    expect(result.code).toBe(0);
    expect(deletedDigests(result.outputs).sort()).toEqual(expectedDeleted().sort());
    expect(result.outputs.kept).toBe('10');
    // The signature goes before its subject.
    const order = deletedDigests(result.outputs);
    expect(order.indexOf(digests['sig-of-sha1'] ?? '')).toBeLessThan(order.indexOf(digests.sha1 ?? ''));
    expect(result.stdout).toContain(`in the index ${digests.index}, which is kept`);
    expect(result.stdout).toContain(`refers to ${digests.release1}, which is kept`);
    expect(result.summary).toContain('dry run');
    expect(result.summary).toContain('private');
    expect((await versions()).map((v) => v.id).sort()).toEqual(before.map((v) => v.id).sort());
  });

  it('refuses a token without the right to delete, explained, and deletes nothing', async () => {
    const before = await versions();
    const read = await cleanup({ 'github-token': e.TOKEN_GHS_READ, 'dry-run': 'false' });
    expect(read.code).toBe(1);
    const error = annotations(read, 'error')[0] ?? '';
    expect(error).toContain('HTTP 403');
    expect(error).toContain('Admin role');
    expect(error).toContain('Nothing was deleted.');
    const pat = await cleanup({ 'github-token': '', pat: e.TOKEN_PAT_WRITE, 'dry-run': 'false' });
    expect(pat.code).toBe(1);
    expect(annotations(pat, 'error')[0]).toContain('delete:packages');
    expect((await versions()).map((v) => v.id).sort()).toEqual(before.map((v) => v.id).sort());
  });

  it('deletes exactly the plan, and every kept tag still pulls (docker, and pull on both platforms)', async () => {
    const result = await cleanup({ 'dry-run': 'false' });
    expect(result.code).toBe(0);
    expect(deletedDigests(result.outputs).sort()).toEqual(expectedDeleted().sort());
    const left = await versions();
    expect(left.map((v) => v.name).sort()).toEqual(
      [
        'release1',
        'release2',
        'sha4',
        'sha5',
        'pr2',
        'untagged2',
        'amd64',
        'arm64',
        'index',
        'sig-of-release1',
      ]
        .map((k) => digests[k])
        .sort(),
    );
    const docker = { ...stack.processEnv, DOCKER_CONFIG: join(work, 'docker') };
    await mustRun('docker', ['login', e.REGISTRY_TOKEN, '-u', e.ACTOR, '--password-stdin'], {
      env: docker,
      input: e.TOKEN_GHS_WRITE,
    });
    const tags = [...keptTags, `sha256-${hex('release1')}.sig`];
    try {
      for (const tag of tags) await mustRun('docker', ['pull', '-q', `${image}:${tag}`], { env: docker });
    } finally {
      await runProgram('docker', ['rmi', '-f', ...tags.map((t) => `${image}:${t}`)], { env: docker });
    }
    for (const tag of tags) {
      const platforms =
        tag === 'latest' || tag === '1.2.0' ? ['linux/amd64', 'linux/arm64'] : ['linux/amd64'];
      for (const platform of platforms) {
        const pulled = await stackJob(stack).main({
          command: 'pull',
          'github-token': e.TOKEN_GHS_WRITE,
          source: `${image}:${tag}`,
          platform,
          destination: `oci-layout:${join(work, `${tag}-${platform.replace('/', '-')}`)}`,
        });
        expect([tag, platform, pulled.code]).toEqual([tag, platform, 0]);
      }
    }
  });

  it('deletes nothing when run again', async () => {
    const result = await cleanup({ 'dry-run': 'false' });
    expect(result.code).toBe(0);
    expect(result.outputs.deleted).toBe('[]');
    expect(result.outputs.kept).toBe('10');
    expect((await versions()).length).toBe(10);
  });
});
