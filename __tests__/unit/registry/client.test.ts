import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FetchLike } from '../../../src/registry/auth.js';
import { bufferSource } from '../../../src/registry/blobs.js';
import { RegistryClient } from '../../../src/registry/client.js';
import { sha256 } from '../../../src/registry/digest.js';
import { parseReference } from '../../../src/registry/reference.js';
import { startHttpServer, type LocalServer } from '../../support/http-server.js';
import { serveImage, startBlobServer, type BlobServer } from '../../support/registry.js';

describe('RegistryClient manifest requests', () => {
  /** A client whose fetch answers `status` to everything and records method, path and headers. */
  function recordingClient(status: number, headers: Record<string, string> = {}) {
    const sent: { method: string; path: string; headers: Headers }[] = [];
    const fetch: FetchLike = async (input, init) => {
      sent.push({
        method: init?.method ?? 'GET',
        path: new URL(String(input)).pathname,
        headers: new Headers(init?.headers),
      });
      return new Response(status === 200 ? '{}' : null, { status, headers });
    };
    return { sent, client: new RegistryClient({ userAgent: 'unit', fetch }) };
  }
  const digest = sha256('a manifest');

  it('asks for a manifest by digest when the reference has one, accepting every manifest type', async () => {
    const { sent, client } = recordingClient(404);
    expect(await client.headManifest(parseReference(`registry.example/o/app:v1@${digest}`))).toBeUndefined();
    expect(await client.headManifest(parseReference('registry.example/o/app:v1'))).toBeUndefined();
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `HEAD /v2/o/app/manifests/${digest}`,
      'HEAD /v2/o/app/manifests/v1',
    ]);
    expect(sent[0]?.headers.get('accept')).toContain('application/vnd.oci.image.index.v1+json');
  });

  it('puts with the manifest media type and deletes by digest without an Accept header', async () => {
    const { sent, client } = recordingClient(201, { 'Docker-Content-Digest': digest });
    const bytes = Buffer.from('a manifest');
    const manifest = { bytes, digest, mediaType: 'application/vnd.oci.image.manifest.v1+json' };
    expect(await client.putManifest(parseReference('registry.example/o/app:v1'), manifest)).toBe(digest);
    const deleter = recordingClient(202);
    await deleter.client.deleteManifest(parseReference(`registry.example/o/app@${digest}`));
    expect(sent[0]?.headers.get('content-type')).toBe(manifest.mediaType);
    expect(deleter.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE /v2/o/app/manifests/${digest}`,
    ]);
    expect(deleter.sent[0]?.headers.has('accept')).toBe(false);
  });

  it('refuses a reference that names neither tag nor digest, and a delete by tag', async () => {
    const { sent, client } = recordingClient(200);
    const bare = { ...parseReference('registry.example/o/app'), tag: undefined };
    await expect(client.getManifest(bare)).rejects.toThrow('registry.example/o/app names no tag or digest');
    await expect(client.deleteManifest(parseReference('registry.example/o/app:v1'))).rejects.toThrow(
      /deleted by digest, not by tag/,
    );
    expect(sent).toEqual([]);
  });
});

describe('RegistryClient blob methods', () => {
  const REPO = 'octo/blob-methods';
  let blobs: BlobServer;
  let work: string;

  beforeAll(async () => {
    blobs = await startBlobServer(REPO, 30);
    work = mkdtempSync(join(tmpdir(), 'client-unit-'));
  });
  afterAll(async () => {
    await blobs.close();
    rmSync(work, { recursive: true, force: true });
  });

  const read = async (stream: AsyncIterable<unknown>) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  it('reach the repository of the reference on its registry, whatever its tag', async () => {
    const { made } = serveImage(blobs);
    const [digest, bytes] = [...made.blobs][0] ?? [];
    if (!digest || !bytes) throw new Error('the made image has no blob');
    const client = new RegistryClient({ userAgent: 'unit' });
    const repo = parseReference(`${blobs.host}/${REPO}:some-tag`);
    const blob = { digest, size: bytes.length };
    expect(await client.blobExists(repo, blob)).toBe(true);
    expect(await client.blobExists({ ...repo, repository: 'octo/elsewhere' }, blob)).toBe(false);
    expect((await read(await client.openBlob(repo, blob))).equals(bytes)).toBe(true);
    expect((await read(await client.blobSource(repo, blob).open(1))).equals(bytes.subarray(1))).toBe(true);
    expect(blobs.requests.filter((path) => path === `/v2/${REPO}/blobs/${digest}`)).toHaveLength(3);
  });

  it('read a small blob whole from the repository of the reference, refusing one over the cap unread', async () => {
    const { made } = serveImage(blobs, { label: 'read-whole' });
    const [digest, bytes] = [...made.blobs][0] ?? [];
    if (!digest || !bytes) throw new Error('the made image has no blob');
    const client = new RegistryClient({ userAgent: 'unit' });
    const repo = parseReference(`${blobs.host}/${REPO}:some-tag`);
    expect((await client.readBlob(repo, { digest, size: bytes.length })).equals(bytes)).toBe(true);
    const before = blobs.requests.length;
    await expect(client.readBlob(repo, { digest, size: 5 * 1024 * 1024 })).rejects.toThrow(
      /more than the 4194304 read whole/,
    );
    await expect(client.readBlob(repo, { digest, size: bytes.length }, bytes.length - 1)).rejects.toThrow(
      /read whole/,
    );
    expect(blobs.requests.length).toBe(before);
  });

  it('upload to the repository of the reference', async () => {
    const bytes = Buffer.from('uploaded through the client');
    const digest = sha256(bytes);
    const sent: string[] = [];
    const fetch: FetchLike = async (input, init) => {
      const url = new URL(String(input));
      sent.push(`${init?.method ?? 'GET'} ${url.host}${url.pathname}`);
      if (init?.method === 'HEAD') return new Response(null, { status: 404 });
      if (init?.method === 'POST') return new Response(null, { status: 202, headers: { Location: '/up/1' } });
      return new Response(null, { status: 201 });
    };
    const client = new RegistryClient({ userAgent: 'unit', fetch });
    const repo = parseReference('registry.example/o/app:v1');
    expect(await client.uploadBlob(repo, { digest, size: bytes.length }, bufferSource(bytes))).toBe(
      'uploaded',
    );
    expect(sent).toEqual([
      `HEAD registry.example/v2/o/app/blobs/${digest}`,
      'POST registry.example/v2/o/app/blobs/uploads/',
      'PUT registry.example/up/1',
    ]);
  });

  it("write an OCI layout with the client's own concurrency", async () => {
    const images = [1, 2, 3].map((i) => serveImage(blobs, { label: `concurrency-${i}` }).manifest);
    const [root] = images;
    if (!root) throw new Error('no image');
    const image = { root, images, refName: 'x' };
    const repo = parseReference(`${blobs.host}/${REPO}:x`);

    const mostAtOnce = async (concurrency: number, dir: string) => {
      blobs.maxInFlight = 0;
      await new RegistryClient({ userAgent: 'unit', concurrency }).writeOciLayout(
        repo,
        join(work, dir),
        image,
      );
      return blobs.maxInFlight;
    };
    expect(await mostAtOnce(1, 'one')).toBe(1);
    const withThree = await mostAtOnce(3, 'three');
    expect(withThree).toBeGreaterThan(1);
    expect(withThree).toBeLessThanOrEqual(3);
    expect(JSON.parse(readFileSync(join(work, 'three', 'index.json'), 'utf8')).manifests).toHaveLength(1);
  });

  it('write a docker archive of an image', async () => {
    const { manifest } = serveImage(blobs, { label: 'archive' });
    if (manifest.kind !== 'image') throw new Error('expected an image');
    const file = join(work, 'image.tar');
    const client = new RegistryClient({ userAgent: 'unit' });
    await client.writeDockerArchive(
      parseReference(`${blobs.host}/${REPO}:a`),
      file,
      manifest.image,
      'o/app:a',
    );
    expect(readFileSync(file).includes(Buffer.from('"RepoTags":["o/app:a"]'))).toBe(true);
  });
});

describe('RegistryClient.getManifest from a hostile registry', () => {
  let server: LocalServer;
  let answer: (res: import('node:http').ServerResponse) => void = (res) => res.writeHead(404).end();
  beforeAll(async () => {
    server = await startHttpServer((_req, res) => answer(res));
  });
  afterAll(() => server.close());
  const get = () =>
    new RegistryClient({ userAgent: 'unit', retry: { attempts: 1 } }).getManifest(
      parseReference(`${server.host}/o/app:1`),
    );

  it('refuses a manifest over 4 MiB, by its Content-Length or as it streams', async () => {
    answer = (res) => res.writeHead(200, { 'content-length': String(400 * 1024 * 1024) }).end();
    await expect(get()).rejects.toThrow('more than the 4194304 accepted');
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 5; i++) res.write(chunk);
      res.end('{}');
    };
    await expect(get()).rejects.toThrow('larger than the 4194304 bytes accepted');
  });

  it('refuses a Docker-Content-Digest that is not a digest, quoting it printably', async () => {
    answer = (res) =>
      res
        .writeHead(200, { 'docker-content-digest': 'md5:../../x', 'content-type': 'application/json' })
        .end('{"schemaVersion":2,"manifests":[]}');
    await expect(get()).rejects.toThrow(
      "the registry's Docker-Content-Digest is not a digest ('md5:../../x')",
    );
  });

  it('refuses bytes that do not hash to the Docker-Content-Digest (a lie)', async () => {
    answer = (res) =>
      res
        .writeHead(200, {
          'docker-content-digest': sha256('other bytes'),
          'content-type': 'application/json',
        })
        .end('{"schemaVersion":2,"manifests":[]}');
    await expect(get()).rejects.toThrow(`expected ${sha256('other bytes')}`);
  });
});
