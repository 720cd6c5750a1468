import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import {
  blobExists,
  blobName,
  blobRef,
  bufferSource,
  fileSource,
  forwardErrors,
  MAX_SMALL_BLOB_BYTES,
  openBlob,
  readBlob,
  remoteSource,
} from '../../../src/registry/blobs.js';
import { sha256 } from '../../../src/registry/digest.js';
import { DigestMismatchError } from '../../../src/registry/errors.js';
import { parseReference } from '../../../src/registry/reference.js';
import { Transport } from '../../../src/registry/transport.js';
import { startBlobServer, type BlobServer } from '../../support/registry.js';

const REPO = 'octo/blobs';
const BYTES = randomBytes(100_000);
const BLOB = { repository: REPO, digest: sha256(BYTES), size: BYTES.length };
let server: BlobServer;
let t: Transport;
let work: string;

beforeAll(async () => {
  server = await startBlobServer(REPO);
  server.stored.set(BLOB.digest, BYTES);
  t = new Transport({ registry: server.host, userAgent: 'unit', retry: { attempts: 1 } });
  work = mkdtempSync(join(tmpdir(), 'blobs-unit-'));
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

describe('blobRef and blobName', () => {
  it('takes the repository of the reference and only the digest and size of the descriptor', () => {
    const repo = parseReference('ghcr.io/octo/app:v1@' + BLOB.digest);
    const descriptor = { mediaType: 'application/octet-stream', digest: BLOB.digest, size: 3, urls: [] };
    expect(blobRef(repo, descriptor)).toEqual({ repository: 'octo/app', digest: BLOB.digest, size: 3 });
    expect(blobName(blobRef(repo, descriptor))).toBe(`octo/app@${BLOB.digest}`);
  });
});

describe('bufferSource and fileSource', () => {
  it('open at an offset, for a restarted or resumed upload', async () => {
    const file = join(work, 'blob.bin');
    writeFileSync(file, BYTES);
    for (const source of [bufferSource(BYTES), fileSource(file)]) {
      expect((await readAll(await source.open(0))).equals(BYTES)).toBe(true);
      expect((await readAll(await source.open(70_000))).equals(BYTES.subarray(70_000))).toBe(true);
    }
  });
});

describe('blobExists', () => {
  it('is true for a blob the repository has and false for one it lacks', async () => {
    expect(await blobExists(t, BLOB)).toBe(true);
    expect(await blobExists(t, { ...BLOB, digest: sha256('absent') })).toBe(false);
    expect(await blobExists(t, { ...BLOB, repository: 'octo/other' })).toBe(false);
  });
});

describe('openBlob and remoteSource', () => {
  it('stream the verified bytes, from an offset for a remote source', async () => {
    expect((await readAll(await openBlob(t, BLOB))).equals(BYTES)).toBe(true);
    const source = remoteSource(t, BLOB);
    expect((await readAll(await source.open(0))).equals(BYTES)).toBe(true);
    expect((await readAll(await source.open(99_000))).equals(BYTES.subarray(99_000))).toBe(true);
  });

  it('fail with DigestMismatchError when the bytes served are not the blob', async () => {
    const bad = randomBytes(5000);
    const blob = { repository: REPO, digest: sha256(bad), size: bad.length };
    server.stored.set(blob.digest, bad);
    server.corrupt.add(blob.digest);
    await expect(readAll(await openBlob(t, blob))).rejects.toBeInstanceOf(DigestMismatchError);
    await expect(readAll(await remoteSource(t, blob).open(10))).rejects.toBeInstanceOf(DigestMismatchError);
  });

  it('fail when the registry does not have the blob', async () => {
    await expect(openBlob(t, { ...BLOB, digest: sha256('absent') })).rejects.toMatchObject({
      name: 'RegistryError',
      status: 404,
    });
  });
});

describe('readBlob: a small blob read whole', () => {
  const small = (bytes: Buffer) => {
    const blob = { repository: REPO, digest: sha256(bytes), size: bytes.length };
    server.stored.set(blob.digest, bytes);
    return blob;
  };
  const asked = (digest: string) =>
    server.requests.filter((path) => path.endsWith(`/blobs/${digest}`)).length;

  it('returns the bytes, verified', async () => {
    const bytes = Buffer.from('{"os":"linux","architecture":"amd64"}');
    expect((await readBlob(t, small(bytes))).equals(bytes)).toBe(true);
  });

  it('refuses a descriptor over the cap before any request: 4 MiB at most, whatever is asked', async () => {
    const big = { repository: REPO, digest: sha256('big'), size: 1001 };
    await expect(readBlob(t, big, 1000)).rejects.toMatchObject({ name: 'BodyLimitError' });
    await expect(readBlob(t, big, 1000)).rejects.toThrow(/1001 bytes, more than the 1000 read whole/);
    const huge = { ...big, size: MAX_SMALL_BLOB_BYTES + 1 };
    await expect(readBlob(t, huge, Number.MAX_SAFE_INTEGER)).rejects.toThrow(
      `more than the ${MAX_SMALL_BLOB_BYTES} read whole`,
    );
    expect(MAX_SMALL_BLOB_BYTES).toBe(4 * 1024 * 1024);
    expect(asked(big.digest)).toBe(0);
  });

  it('fails with DigestMismatchError on corrupted bytes', async () => {
    const blob = small(randomBytes(300));
    server.corrupt.add(blob.digest);
    await expect(readBlob(t, blob)).rejects.toBeInstanceOf(DigestMismatchError);
  });

  it('reads no more than the descriptor says, and fails on fewer', async () => {
    const blob = small(randomBytes(300));
    await expect(readBlob(t, { ...blob, size: 299 })).rejects.toMatchObject({ name: 'BodyLimitError' });
    await expect(readBlob(t, { ...blob, size: 301 })).rejects.toThrow(/received 300 of 301 bytes/);
  });
});

describe('forwardErrors', () => {
  it('destroys the destination with an error of the source', async () => {
    const from = new PassThrough();
    const to = forwardErrors(from, new PassThrough());
    const failed = new Promise<Error>((resolve) => to.once('error', resolve));
    from.destroy(new Error('cut'));
    expect((await failed).message).toBe('cut');
  });

  it('destroys the source when the destination closes early', async () => {
    const from = new PassThrough();
    const to = forwardErrors(from, new PassThrough());
    to.destroy();
    await new Promise((resolve) => to.once('close', resolve));
    expect(from.destroyed).toBe(true);
  });
});
