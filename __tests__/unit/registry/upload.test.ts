import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchLike } from '../../../src/registry/auth.js';
import { bufferSource } from '../../../src/registry/blobs.js';
import { sha256 } from '../../../src/registry/digest.js';
import { DigestMismatchError } from '../../../src/registry/errors.js';
import { Transport } from '../../../src/registry/transport.js';
import { CHUNK_SIZE } from '../../../src/registry/upload-chunks.js';
import { uploadBlob } from '../../../src/registry/upload.js';
import { startHttpServer, type LocalServer } from '../../support/http-server.js';

/**
 * A registry's upload endpoint with a quirk: for the first chunk it stores only half of what it received and
 * says so in its Range header, as the distribution spec allows. The client must resume from there.
 */
interface Upload {
  stored: Buffer;
  patches: { range: string | undefined; length: number }[];
  states: (string | null)[];
  completedDigest?: string;
}

let server: LocalServer;
let host = '';
const upload: Upload = { stored: Buffer.alloc(0), patches: [], states: [] };

function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const url = new URL(req.url ?? '/', `http://${host}`);
  if (req.method === 'HEAD') return void res.writeHead(404).end();
  if (req.method === 'POST') return void res.writeHead(202, { Location: '/upload/1?state=abc' }).end();
  if (req.method === 'PATCH') {
    const range = req.headers['content-range'];
    upload.patches.push({ range, length: body.length });
    const start = Number(range?.split('-')[0] ?? 0);
    if (start !== upload.stored.length) {
      return void res.writeHead(416, { Range: `0-${upload.stored.length - 1}` }).end();
    }
    const keep = upload.patches.length === 1 ? body.subarray(0, body.length / 2) : body;
    upload.stored = Buffer.concat([upload.stored, keep]);
    upload.states.push(url.searchParams.get('state'));
    return void res
      .writeHead(202, { Location: '/upload/1?state=abc', Range: `0-${upload.stored.length - 1}` })
      .end();
  }
  if (req.method === 'PUT') {
    upload.completedDigest = url.searchParams.get('digest') ?? undefined;
    const ok = upload.completedDigest === sha256(upload.stored);
    return void res
      .writeHead(ok ? 201 : 400, ok ? { 'Docker-Content-Digest': sha256(upload.stored) } : {})
      .end();
  }
  res.writeHead(405).end();
}

beforeAll(async () => {
  server = await startHttpServer(handle);
  host = server.host;
});
afterAll(() => server.close());

describe('chunked upload', () => {
  it('sends chunks of at most 4 MiB, resumes where the Range says, keeps the upload query, and completes', async () => {
    const bytes = randomBytes(2 * CHUNK_SIZE + 1000);
    const t = new Transport({ registry: host, userAgent: 'unit' });
    const result = await uploadBlob(
      t,
      { repository: 'o/r', digest: sha256(bytes), size: bytes.length },
      bufferSource(bytes),
      {
        chunked: true,
      },
    );
    expect(result).toBe('uploaded');
    expect(upload.stored.equals(bytes)).toBe(true);
    expect(upload.completedDigest).toBe(sha256(bytes));
    expect(upload.patches.every((p) => p.length <= CHUNK_SIZE)).toBe(true);
    expect(upload.states.every((state) => state === 'abc')).toBe(true);
    const half = CHUNK_SIZE / 2;
    // First chunk 0..4MiB-1; the registry kept half, so the second starts at 2 MiB.
    expect(upload.patches.slice(0, 2).map((p) => p.range)).toEqual([
      `0-${CHUNK_SIZE - 1}`,
      `${half}-${half + CHUNK_SIZE - 1}`,
    ]);
  });
});

interface Sent {
  method: string;
  url: URL;
  bytes: number;
}

/** A registry as a fetch function: `answer` decides each response; every request is recorded. */
function fakeRegistry(answer: (method: string, url: URL) => Response) {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    const body = init?.body;
    sent.push({ method, url, bytes: body instanceof Uint8Array ? body.length : 0 });
    return answer(method, url);
  };
  const t = new Transport({ registry: 'registry.example', userAgent: 'unit', fetch, retry: { attempts: 1 } });
  return { sent, t };
}

const calls = (sent: Sent[]) => sent.map((s) => `${s.method} ${s.url.pathname}${s.url.search}`);

describe('uploadBlob', () => {
  const bytes = Buffer.from('a small blob');
  const blob = { repository: 'o/app', digest: sha256(bytes), size: bytes.length };

  it('uploads nothing when the repository has the blob', async () => {
    const { sent, t } = fakeRegistry(() => new Response(null, { status: 200 }));
    expect(await uploadBlob(t, blob, bufferSource(bytes))).toBe('exists');
    expect(calls(sent)).toEqual([`HEAD /v2/o/app/blobs/${blob.digest}`]);
  });

  it('mounts from another repository when the registry accepts the mount (201)', async () => {
    const { sent, t } = fakeRegistry(
      (method) => new Response(null, { status: method === 'HEAD' ? 404 : 201 }),
    );
    expect(await uploadBlob(t, blob, bufferSource(bytes), { mountFrom: 'o/source' })).toBe('mounted');
    expect(calls(sent)).toEqual([
      `HEAD /v2/o/app/blobs/${blob.digest}`,
      `POST /v2/o/app/blobs/uploads/?mount=${encodeURIComponent(blob.digest)}&from=o%2Fsource`,
    ]);
  });

  it('sends a small blob in one PUT ?digest=, keeping the upload query, and reports its bytes', async () => {
    const { sent, t } = fakeRegistry((method) => {
      if (method === 'HEAD') return new Response(null, { status: 404 });
      if (method === 'POST')
        return new Response(null, { status: 202, headers: { Location: '/up/1?state=s' } });
      return new Response(null, { status: 201, headers: { 'Docker-Content-Digest': blob.digest } });
    });
    const reported: number[] = [];
    const result = await uploadBlob(t, blob, bufferSource(bytes), { onBytes: (n) => reported.push(n) });
    expect(result).toBe('uploaded');
    expect(calls(sent)).toEqual([
      `HEAD /v2/o/app/blobs/${blob.digest}`,
      'POST /v2/o/app/blobs/uploads/',
      `PUT /up/1?state=s&digest=${encodeURIComponent(blob.digest)}`,
    ]);
    expect(sent[2]?.bytes).toBe(bytes.length);
    expect(reported).toEqual([bytes.length]);
  });

  it('refuses a small source that does not match its digest, and cancels the upload session', async () => {
    const { sent, t } = fakeRegistry((method) => {
      if (method === 'HEAD') return new Response(null, { status: 404 });
      if (method === 'POST') return new Response(null, { status: 202, headers: { Location: '/up/2' } });
      return new Response(null, { status: 204 });
    });
    const wrong = Buffer.from('other bytes!');
    await expect(uploadBlob(t, blob, bufferSource(wrong))).rejects.toBeInstanceOf(DigestMismatchError);
    expect(calls(sent)).toEqual([
      `HEAD /v2/o/app/blobs/${blob.digest}`,
      'POST /v2/o/app/blobs/uploads/',
      'DELETE /up/2',
    ]);
  });

  it('fails when the registry stores the blob under another digest', async () => {
    const { t } = fakeRegistry((method) => {
      if (method === 'HEAD') return new Response(null, { status: 404 });
      if (method === 'POST') return new Response(null, { status: 202, headers: { Location: '/up/3' } });
      if (method === 'PUT')
        return new Response(null, { status: 201, headers: { 'Docker-Content-Digest': sha256('x') } });
      return new Response(null, { status: 204 });
    });
    await expect(uploadBlob(t, blob, bufferSource(bytes))).rejects.toThrow(DigestMismatchError);
  });
});
