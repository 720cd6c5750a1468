import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bufferSource } from '../../../src/registry/blobs.js';
import { CHUNK_SIZE, uploadBlob } from '../../../src/registry/upload.js';
import { sha256 } from '../../../src/registry/digest.js';
import { Transport } from '../../../src/registry/transport.js';
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
