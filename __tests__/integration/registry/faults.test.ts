import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RegistryClient,
  copyImage,
  parseReference,
  type Logger,
  type Reference,
} from '../../../src/registry/index.js';
import { bufferSource } from '../../../src/registry/blobs.js';
import { sha256 } from '../../../src/registry/digest.js';
import { DigestMismatchError } from '../../../src/registry/errors.js';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';
import {
  makeImage,
  pushImage,
  stackClient,
  tarWithFile,
  uniqueTag,
  type MadeImage,
} from '../../support/registry.js';
import { describeWithStack } from '../../support/stack.js';

// A fault-injecting proxy between the client and the real htpasswd registry: transient faults are survived
// with identical digests, corruption fails closed with nothing tagged, and Authorization never reaches
// another origin.
describeWithStack('registry client through a fault-injecting proxy', (stack) => {
  const e = stack.env;
  let proxy: FaultProxy;
  let image: MadeImage;
  let upstreamRef: Reference;

  /** A client that reaches the htpasswd registry through the proxy (credentials for any host). */
  function proxiedClient(): { client: RegistryClient; debug: string[] } {
    const debug: string[] = [];
    const logger: Logger = { debug: (m) => debug.push(m), info: (m) => debug.push(m) };
    const client = new RegistryClient({
      userAgent: 'fault-tests',
      credentials: (registry) =>
        registry === e.REGISTRY_ANONYMOUS
          ? undefined
          : { username: e.BASIC_USER, password: e.BASIC_PASSWORD },
      logger,
      retry: { attempts: 5, baseDelayMs: 10, maxDelayMs: 2000 },
    });
    return { client, debug };
  }
  const viaProxy = (ref: Reference): Reference => ({ ...ref, registry: proxy.host });

  beforeAll(async () => {
    proxy = await startFaultProxy(`http://${e.REGISTRY_BASIC}`);
    // A 3 MiB layer, so uploads take the streamed PATCH path rather than one small PUT.
    image = makeImage({ layerBytes: tarWithFile('big.bin', randomBytes(3 * 1024 * 1024)) });
    upstreamRef = parseReference(`${e.REGISTRY_BASIC}/${e.OWNER}/faults:${uniqueTag('seed')}`);
    await pushImage(stackClient(e).client, upstreamRef, image);
  });
  afterEach(() => proxy.clearRules());
  afterAll(() => proxy.close());

  it('survives 500s and 503s on manifest reads, with the same digest, logging each retry', async () => {
    proxy.addRule({ method: 'GET', path: /\/manifests\//, times: 2, fault: { kind: 'status', status: 503 } });
    proxy.addRule({ method: 'GET', path: /\/manifests\//, times: 1, fault: { kind: 'status', status: 500 } });
    const { client, debug } = proxiedClient();
    const manifest = await client.getManifest(viaProxy(upstreamRef));
    expect(manifest.digest).toBe(image.manifest.digest);
    expect(debug.filter((line) => /get manifest .*HTTP 50[03].*try \d of 5/.test(line))).toHaveLength(3);
  });

  it('waits as long as a 429 Retry-After asks, then succeeds', async () => {
    proxy.addRule({
      path: /\/manifests\//,
      fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
    });
    const { client, debug } = proxiedClient();
    const started = Date.now();
    const manifest = await client.getManifest(viaProxy(upstreamRef));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(manifest.digest).toBe(image.manifest.digest);
    expect(debug.some((line) => /HTTP 429.*in 1000 ms/.test(line))).toBe(true);
  });

  it('survives dropped connections and truncated blob bodies while copying out, with identical digests', async () => {
    proxy.addRule({ method: 'GET', path: /\/blobs\/sha256:/, times: 1, fault: { kind: 'drop' } });
    proxy.addRule({
      method: 'GET',
      path: /\/blobs\/sha256:/,
      times: 1,
      fault: { kind: 'truncate', bytes: 100_000 },
    });
    proxy.addRule({ method: 'HEAD', path: /\/manifests\//, times: 1, fault: { kind: 'drop' } });
    const { client } = proxiedClient();
    const destination = parseReference(`${e.REGISTRY_ANONYMOUS}/${e.OWNER}/faults-out:${uniqueTag('out')}`);
    const result = await copyImage(client, viaProxy(upstreamRef), destination);
    expect(result.digest).toBe(image.manifest.digest);
    expect(proxy.requests.some((r) => r.fault === 'drop')).toBe(true);
    expect(proxy.requests.some((r) => r.fault?.startsWith('truncate'))).toBe(true);
    expect((await client.getManifest(destination)).digest).toBe(image.manifest.digest);
  });

  it('restarts an upload cleanly when its PATCH connection drops, and when the final PUT fails', async () => {
    const source = parseReference(`${e.REGISTRY_ANONYMOUS}/${e.OWNER}/faults-src:${uniqueTag('src')}`);
    const seed = makeImage({ layerBytes: tarWithFile('big.bin', randomBytes(2 * 1024 * 1024)) });
    await pushImage(stackClient(e).client, source, seed);
    proxy.addRule({ method: 'PATCH', path: /\/blobs\/uploads\//, times: 1, fault: { kind: 'drop' } });
    proxy.addRule({
      method: 'PUT',
      path: /\/blobs\/uploads\/.*digest=/,
      times: 1,
      fault: { kind: 'status', status: 502 },
    });
    const before = proxy.requests.length;
    const { client } = proxiedClient();
    const destination = viaProxy(
      parseReference(`${e.REGISTRY_BASIC}/${e.OWNER}/faults-in:${uniqueTag('in')}`),
    );
    const result = await copyImage(client, source, destination);
    expect(result.digest).toBe(seed.manifest.digest);
    const mine = proxy.requests.slice(before);
    // Each restart begins with a fresh upload session (POST), and the failed sessions were cancelled.
    expect(
      mine.filter((r) => r.method === 'POST' && r.path.includes('/blobs/uploads/')).length,
    ).toBeGreaterThanOrEqual(3);
    expect(
      mine.filter((r) => r.method === 'DELETE' && r.path.includes('/blobs/uploads/')).length,
    ).toBeGreaterThanOrEqual(1);
    expect(
      (await stackClient(e).client.getManifest({ ...destination, registry: e.REGISTRY_BASIC })).digest,
    ).toBe(seed.manifest.digest);
  });

  it('sends chunks of at most 4 MiB with Content-Range when asked, and the registry assembles the blob', async () => {
    const bytes = randomBytes(9 * 1024 * 1024 + 123);
    const repo = viaProxy(parseReference(`${e.REGISTRY_BASIC}/${e.OWNER}/faults-chunked`));
    const blob = { digest: sha256(bytes), size: bytes.length };
    const before = proxy.requests.length;
    const { client } = proxiedClient();
    expect(await client.uploadBlob(repo, blob, bufferSource(bytes), { chunked: true })).toBe('uploaded');
    const patches = proxy.requests.slice(before).filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(3);
    expect(await stackClient(e).client.blobExists({ ...repo, registry: e.REGISTRY_BASIC }, blob)).toBe(true);
  });

  it('falls back to chunks when the registry refuses one streamed PATCH (413)', async () => {
    const bytes = randomBytes(5 * 1024 * 1024);
    const repo = viaProxy(parseReference(`${e.REGISTRY_BASIC}/${e.OWNER}/faults-413`));
    const blob = { digest: sha256(bytes), size: bytes.length };
    proxy.addRule({ method: 'PATCH', path: /\/blobs\/uploads\//, fault: { kind: 'status', status: 413 } });
    const before = proxy.requests.length;
    const { client, debug } = proxiedClient();
    expect(await client.uploadBlob(repo, blob, bufferSource(bytes))).toBe('uploaded');
    const mine = proxy.requests.slice(before);
    expect(mine.filter((r) => r.method === 'PATCH').map((r) => r.status)).toEqual([413, 202, 202]);
    expect(debug.some((line) => line.includes('sending chunks of 4194304 bytes'))).toBe(true);
    expect(await stackClient(e).client.blobExists({ ...repo, registry: e.REGISTRY_BASIC }, blob)).toBe(true);
  });

  it('writes an OCI layout through a cut download by fetching the blob again', async () => {
    proxy.addRule({
      method: 'GET',
      path: /\/blobs\/sha256:/,
      times: 1,
      fault: { kind: 'truncate', bytes: 50_000 },
    });
    const { client } = proxiedClient();
    const ref = viaProxy(upstreamRef);
    const manifest = await client.getManifest(ref);
    const dir = join(mkdtempSync(join(tmpdir(), 'faults-layout-')), 'layout');
    await client.writeOciLayout(ref, dir, {
      root: manifest,
      images: [manifest],
      refName: 'x',
    });
    expect(proxy.requests.some((r) => r.fault?.startsWith('truncate'))).toBe(true);
    if (manifest.kind !== 'image') throw new Error('expected an image');
    for (const blob of [manifest.image.config, ...manifest.image.layers]) {
      const bytes = readFileSync(join(dir, 'blobs', 'sha256', blob.digest.slice(7)));
      expect(sha256(bytes)).toBe(blob.digest);
    }
  });

  it('fails closed on a corrupted manifest: DigestMismatchError, no retry', async () => {
    const { client } = proxiedClient();
    await client.headManifest(viaProxy(upstreamRef)); // authenticated from here on: one GET, one answer
    proxy.addRule({ method: 'GET', path: /\/manifests\//, times: Infinity, fault: { kind: 'corrupt' } });
    const before = proxy.requests.length;
    const error = await client.getManifest(viaProxy(upstreamRef)).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DigestMismatchError);
    expect(proxy.requests.slice(before).filter((r) => r.path.includes('/manifests/'))).toHaveLength(1);
  });

  it('fails closed on a corrupted blob while copying: the destination tag is never written', async () => {
    proxy.addRule({ method: 'GET', path: /\/blobs\/sha256:/, times: Infinity, fault: { kind: 'corrupt' } });
    const { client } = proxiedClient();
    const destination = parseReference(`${e.REGISTRY_ANONYMOUS}/${e.OWNER}/faults-corrupt:${uniqueTag('c')}`);
    const error = await copyImage(client, viaProxy(upstreamRef), destination).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DigestMismatchError);
    expect(await client.headManifest(destination)).toBeUndefined();
    expect(await client.listTags(destination).catch(() => [])).not.toContain(destination.tag);
  });

  it('follows a redirect to another origin without sending Authorization there', async () => {
    // Like ghcr.io, whose blobs come from another host that needs no registry credentials: the other origin
    // serves from the anonymous registry, which holds the same blobs.
    const cdn = await startFaultProxy(`http://${e.REGISTRY_BASIC}`, `http://${e.REGISTRY_ANONYMOUS}`);
    try {
      await pushImage(stackClient(e).client, { ...upstreamRef, registry: e.REGISTRY_ANONYMOUS }, image);
      cdn.addRule({
        method: 'GET',
        path: /\/blobs\/sha256:/,
        times: Infinity,
        fault: { kind: 'redirect', to: 'other-origin' },
      });
      const { client } = proxiedClient();
      const destination = parseReference(
        `${e.REGISTRY_ANONYMOUS}/${e.OWNER}/faults-redirect:${uniqueTag('r')}`,
      );
      const result = await copyImage(client, { ...upstreamRef, registry: cdn.host }, destination);
      expect(result.digest).toBe(image.manifest.digest);
      expect(result.blobs.uploaded).toBe(2);
      expect(cdn.otherOriginRequests.filter((r) => r.path.includes('/blobs/sha256:'))).toHaveLength(2);
      expect(cdn.otherOriginRequests.every((r) => r.authorization === undefined)).toBe(true);
      // The registry's own origin did get the credentials, on the very requests that were redirected.
      const redirected = cdn.requests.filter((r) => r.status === 307);
      expect(redirected).toHaveLength(2);
      expect(redirected.every((r) => r.authorization?.startsWith('Basic '))).toBe(true);
    } finally {
      await cdn.close();
    }
  });
});
