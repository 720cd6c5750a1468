import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference, withDigest, withTag } from '../../src/registry/index.js';
import { sha256 } from '../../src/registry/digest.js';
import { MediaType } from '../../src/registry/manifests.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { makeImage, makeIndex, pushImage, stackClient, uniqueTag } from '../support/registry.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, stackJob } from '../support/step.js';

// command: promote end to end through the bundle: registry-side copies within a repository, across
// repositories (mount), across registries, of indexes and of images with foreign layers; an interrupted
// promotion leaves no destination tag and a rerun completes it.
describeWithStack('promote', (stack) => {
  const e = stack.env;
  const image = makeImage();
  const sourceRepo = `${e.OWNER}/promote-src-${uniqueTag('s')}`;
  const source = `${e.REGISTRY_TOKEN}/${sourceRepo}:1.0`;
  /** Registry access-log lines for a repository (the registry logs every request it serves). */
  const logLines = (file: string, repository: string, since: number) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(since)
      .filter((line) => line.includes(`/v2/${repository}/`));
  const lineCount = (file: string) => readFileSync(file, 'utf8').split('\n').length - 1;
  /** Who the token service saw (its log's identity per token asked for), from line `since` on. */
  const identitiesSince = (since: number) =>
    readFileSync(e.TOKEN_LOG, 'utf8')
      .trim()
      .split('\n')
      .slice(since)
      .map((l) => (JSON.parse(l) as { identity: string }).identity);
  const promote = (inputs: Record<string, string>, job = stackJob(stack)) =>
    job.main({ command: 'promote', 'github-token': e.TOKEN_GHS_WRITE, source, ...inputs });
  const digestOf = async (reference: string) =>
    (await stackClient(e).client.headManifest(parseReference(reference)))?.digest;

  beforeAll(async () => {
    await pushImage(stackClient(e).client, parseReference(source), image);
  });

  it('within a repository: manifest PUTs only, no blob read or upload (beyond the push-permission check)', async () => {
    const since = lineCount(e.REGISTRY_TOKEN_LOG);
    const result = await promote({ image: `${e.REGISTRY_TOKEN}/${sourceRepo}`, tags: 'prod,stable' });
    expect(result.code).toBe(0);
    expect(result.outputs.digest).toBe(image.manifest.digest);
    expect(result.summary).toContain(
      `docker pull ${e.REGISTRY_TOKEN}/${sourceRepo}@${image.manifest.digest}`,
    );
    expect(result.outputs.tags?.split('\n')).toEqual([
      `${e.REGISTRY_TOKEN}/${sourceRepo}:prod`,
      `${e.REGISTRY_TOKEN}/${sourceRepo}:stable`,
    ]);
    // The access log's request lines; the permission check opens one upload (POST) and leaves it to expire.
    const lines = logLines(e.REGISTRY_TOKEN_LOG, sourceRepo, since).filter((line) =>
      line.startsWith('127.0.0.1 - -'),
    );
    const blobWork = lines.filter((line) => /"(GET|HEAD|PATCH|PUT) \/v2\/[^ ]*\/blobs\//.test(line));
    expect(blobWork).toEqual([]);
    expect(lines.filter((line) => line.includes('"POST ') && line.includes('/blobs/uploads/'))).toHaveLength(
      1,
    );
    expect(lines.filter((line) => line.includes('"PUT ') && line.includes('/manifests/'))).toHaveLength(2);
    // Within one repository the manifest is known to be there (it was just read there): not asked again.
    expect(lines.filter((line) => line.includes('"HEAD ') && line.includes('/manifests/sha256:'))).toEqual(
      [],
    );
    expect(lines.filter((line) => line.includes('"DELETE '))).toEqual([]);
  });

  it('across repositories of one registry: cross-repository mounts, no upload', async () => {
    const target = `${e.OWNER}/promote-mount-${uniqueTag('m')}`;
    const since = lineCount(e.REGISTRY_TOKEN_LOG);
    const result = await promote({ image: `${e.REGISTRY_TOKEN}/${target}`, tags: 'v1' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 blobs mounted, 0 uploaded');
    const lines = logLines(e.REGISTRY_TOKEN_LOG, target, since).filter((line) =>
      line.startsWith('127.0.0.1 - -'),
    );
    expect(lines.filter((line) => line.includes('mount=') && / 201 /.test(line))).toHaveLength(2);
    expect(lines.filter((line) => line.includes('"PATCH '))).toEqual([]);
    expect(await digestOf(`${e.REGISTRY_TOKEN}/${target}:v1`)).toBe(image.manifest.digest);
  });

  it('across registries: the source is read with the docker config entry for its registry, never the GitHub token', async () => {
    const job = stackJob(stack);
    // A later-step login for the source registry, with a read-only PAT (the docker config's own entry).
    const auth = Buffer.from(`${e.ACTOR}:${e.TOKEN_PAT_READ}`).toString('base64');
    writeFileSync(
      join(job.dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [e.REGISTRY_TOKEN]: { auth } } }),
    );
    const target = `${e.REGISTRY_BASIC}/${e.OWNER}/promote-cross-${uniqueTag('x')}`;
    const tokenLog = lineCount(e.TOKEN_LOG);
    const result = await promote(
      {
        registry: e.REGISTRY_BASIC,
        image: target,
        tags: 'v1',
        username: e.BASIC_USER,
        password: e.BASIC_PASSWORD,
      },
      job,
    );
    expect(result.code).toBe(0);
    expect(result.outputs['auth-method']).toBe('password');
    expect(result.outputs.digest).toBe(image.manifest.digest);
    const identities = identitiesSince(tokenLog);
    expect(new Set(identities)).toEqual(new Set(['pat-read']));
    const copied = await stackClient(e).client.getManifest(parseReference(`${target}:v1`));
    expect(copied.bytes.equals(image.manifest.bytes)).toBe(true);
  });

  it("across registries: the source's credentials come from the docker config's credential helper (credHelpers)", async () => {
    // A real helper program on PATH, speaking docker's protocol: the server on stdin, JSON on stdout.
    const bin = mkdtempSync(join(tmpdir(), 'credential-helper-'));
    const answer = JSON.stringify({
      ServerURL: e.REGISTRY_TOKEN,
      Username: e.ACTOR,
      Secret: e.TOKEN_PAT_READ,
    });
    writeFileSync(
      join(bin, 'docker-credential-stand-in'),
      `#!/bin/sh\nread -r server\n[ "$server" = "${e.REGISTRY_TOKEN}" ] || exit 1\necho '${answer}'\n`,
      { mode: 0o755 },
    );
    const job = stackJob(stack, { env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
    writeFileSync(
      join(job.dockerConfig, 'config.json'),
      JSON.stringify({ credHelpers: { [e.REGISTRY_TOKEN]: 'stand-in' } }),
    );
    const target = `${e.REGISTRY_BASIC}/${e.OWNER}/promote-helper-${uniqueTag('h')}`;
    const tokenLog = lineCount(e.TOKEN_LOG);
    try {
      const result = await promote(
        {
          registry: e.REGISTRY_BASIC,
          image: target,
          tags: 'v1',
          username: e.BASIC_USER,
          password: e.BASIC_PASSWORD,
        },
        job,
      );
      expect(result.code).toBe(0);
      expect(result.outputs.digest).toBe(image.manifest.digest);
      expect(result.stdout).toContain(`::add-mask::${e.TOKEN_PAT_READ}`);
      const identities = identitiesSince(tokenLog);
      expect(new Set(identities)).toEqual(new Set(['pat-read']));
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('copies a whole multi-platform index byte for byte, with its platform digests', async () => {
    const amd64 = makeImage({ platform: { os: 'linux', architecture: 'amd64' }, label: 'p-amd64' });
    const arm64 = makeImage({
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      label: 'p-arm64',
    });
    const index = makeIndex([amd64, arm64]);
    const repo = parseReference(`${e.REGISTRY_TOKEN}/${e.OWNER}/public-promote-index-${uniqueTag('i')}`);
    const client = stackClient(e).client;
    for (const child of [amd64, arm64])
      await pushImage(client, withDigest(repo, child.manifest.digest), child);
    await client.putManifest(withTag(repo, 'multi'), index);
    const target = `${e.REGISTRY_BASIC}/${e.OWNER}/promote-index-${uniqueTag('i')}`;
    const result = await promote({
      source: `${repo.registry}/${repo.repository}:multi`,
      registry: e.REGISTRY_BASIC,
      image: target,
      tags: 'multi',
      username: e.BASIC_USER,
      password: e.BASIC_PASSWORD,
    });
    expect(result.code).toBe(0);
    expect(result.outputs.digest).toBe(index.digest);
    expect(JSON.parse(result.outputs['platform-digests'] ?? '{}')).toEqual({
      'linux/amd64': amd64.manifest.digest,
      'linux/arm64/v8': arm64.manifest.digest,
    });
    const copied = await stackClient(e).client.getManifest(parseReference(`${target}:multi`));
    expect(copied.bytes.equals(index.bytes)).toBe(true);
  });

  it('never copies a foreign layer whose URL is unreachable, and keeps the manifest byte-identical', async () => {
    const foreign = {
      mediaType: MediaType.dockerForeignLayer,
      digest: sha256('windows base layer'),
      size: 987654321,
      urls: ['https://foreign-layer.invalid/base.tar.gz'],
    };
    const withForeign = makeImage({ extraLayers: [foreign] });
    const from = `${e.REGISTRY_TOKEN}/${e.OWNER}/public-promote-foreign-${uniqueTag('f')}:1`;
    await pushImage(stackClient(e).client, parseReference(from), withForeign);
    const target = `${e.REGISTRY_BASIC}/${e.OWNER}/promote-foreign-${uniqueTag('f')}`;
    const result = await promote({
      source: from,
      registry: e.REGISTRY_BASIC,
      image: target,
      tags: '1',
      username: e.BASIC_USER,
      password: e.BASIC_PASSWORD,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 foreign layers left in place');
    const copied = await stackClient(e).client.getManifest(parseReference(`${target}:1`));
    expect(copied.bytes.equals(withForeign.manifest.bytes)).toBe(true);
  });

  describe('interrupted by faults', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy(`http://${e.REGISTRY_BASIC}`);
    });
    afterAll(() => proxy.close());
    // A source of this run's own: concurrent runs on one stand-in must not overwrite each other's.
    const faultSource = `${e.REGISTRY_TOKEN}/${e.OWNER}/public-promote-fault-${uniqueTag('src')}:1`;
    /** Inputs that promote the public fault source as `release` to `repository`, through the fault proxy. */
    const throughProxy = (repository: string) => ({
      source: faultSource,
      registry: proxy.host,
      image: `${proxy.host}/${repository}`,
      tags: 'release',
      username: e.BASIC_USER,
      password: e.BASIC_PASSWORD,
    });

    it('leaves no destination tag when the tag write keeps failing; a rerun completes with the same digest', async () => {
      const repository = `${e.OWNER}/promote-fault-${uniqueTag('f')}`;
      const inputs = throughProxy(repository);
      await pushImage(stackClient(e).client, parseReference(inputs.source), image);
      proxy.addRule({
        method: 'PUT',
        path: /\/manifests\/release$/,
        times: Infinity,
        fault: { kind: 'status', status: 503 },
      });
      const failed = await promote(inputs);
      expect(failed.code).toBe(1);
      expect(annotations(failed, 'error')[0]).toMatch(/put manifest .*:release failed \(HTTP 503\)/);
      expect(await digestOf(`${e.REGISTRY_BASIC}/${repository}:release`)).toBeUndefined();

      proxy.clearRules();
      const rerun = await promote(inputs);
      expect(rerun.code).toBe(0);
      expect(rerun.outputs.digest).toBe(image.manifest.digest);
      expect(await digestOf(`${e.REGISTRY_BASIC}/${repository}:release`)).toBe(image.manifest.digest);
      // The rerun found the blobs in place: nothing uploaded twice.
      expect(rerun.stdout).toMatch(/0 uploaded/);
    });

    it('leaves no destination tag when a blob upload keeps dropping', async () => {
      const repository = `${e.OWNER}/promote-drop-${uniqueTag('d')}`;
      proxy.addRule({ method: 'PUT', path: /\/blobs\/uploads\//, times: Infinity, fault: { kind: 'drop' } });
      const failed = await promote(throughProxy(repository));
      proxy.clearRules();
      expect(failed.code).toBe(1);
      expect(await digestOf(`${e.REGISTRY_BASIC}/${repository}:release`)).toBeUndefined();
    });
  });
});
