import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { FetchLike } from '../../../src/registry/auth.js';
import { bufferSource, type BlobSource } from '../../../src/registry/blobs.js';
import { sha256 } from '../../../src/registry/digest.js';
import { DigestMismatchError } from '../../../src/registry/errors.js';
import { pushScope } from '../../../src/registry/scope.js';
import { Transport } from '../../../src/registry/transport.js';
import { CHUNK_SIZE, sendChunks } from '../../../src/registry/upload-chunks.js';
import type { UploadSession } from '../../../src/registry/upload-session.js';

interface Patch {
  path: string;
  range: string | undefined;
  length: number;
}

/** A registry that takes every chunk whole, answering a new Location each time; PATCHes are recorded. */
function chunkRegistry() {
  const patches: Patch[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(String(input));
    const body = init?.body instanceof Uint8Array ? init.body : new Uint8Array(0);
    const range = new Headers(init?.headers).get('content-range') ?? undefined;
    patches.push({ path: url.pathname, range, length: body.length });
    const end = Number(range?.split('-')[1] ?? -1);
    return new Response(null, {
      status: 202,
      headers: { Location: `/up/${patches.length + 1}`, Range: `0-${end}` },
    });
  };
  return { patches, t: new Transport({ registry: 'registry.example', userAgent: 'unit', fetch }) };
}

function session(t: Transport, bytes: Buffer, source: BlobSource = bufferSource(bytes)): UploadSession {
  return {
    t,
    blob: { repository: 'o/app', digest: sha256(bytes), size: bytes.length },
    source,
    scopes: pushScope('o/app'),
    options: {},
    location: '/up/1',
    reference: 'registry.example/o/app@digest',
  };
}

describe('sendChunks', () => {
  it('sends the blob in order in chunks of at most CHUNK_SIZE, each to the Location the last one answered', async () => {
    const bytes = randomBytes(2 * CHUNK_SIZE + 10);
    const { patches, t } = chunkRegistry();
    const upload = session(t, bytes);
    await sendChunks(upload);
    expect(patches).toEqual([
      { path: '/up/1', range: `0-${CHUNK_SIZE - 1}`, length: CHUNK_SIZE },
      { path: '/up/2', range: `${CHUNK_SIZE}-${2 * CHUNK_SIZE - 1}`, length: CHUNK_SIZE },
      { path: '/up/3', range: `${2 * CHUNK_SIZE}-${2 * CHUNK_SIZE + 9}`, length: 10 },
    ]);
    expect(upload.location).toBe('/up/4');
  });

  it('reads the source to its end and fails with DigestMismatchError when it is corrupt', async () => {
    const bytes = randomBytes(CHUNK_SIZE + 1);
    const corrupt = Buffer.from(bytes);
    corrupt.writeUInt8(corrupt.readUInt8(5) ^ 0xff, 5);
    const { t } = chunkRegistry();
    await expect(sendChunks(session(t, bytes, bufferSource(corrupt)))).rejects.toBeInstanceOf(
      DigestMismatchError,
    );
  });

  it('fails when the source has fewer bytes than the descriptor says', async () => {
    const bytes = randomBytes(1000);
    const { patches, t } = chunkRegistry();
    await expect(sendChunks(session(t, bytes, bufferSource(bytes.subarray(0, 600))))).rejects.toThrow(
      /received 600 of 1000 bytes/,
    );
    expect(patches).toEqual([]);
  });

  it('fails when the registry keeps answering a Range that does not move, instead of sending forever', async () => {
    const bytes = randomBytes(CHUNK_SIZE + 10);
    let patches = 0;
    const fetch: FetchLike = async () => {
      patches++;
      return new Response(null, { status: 202, headers: { Location: '/up/again', Range: '0-0' } });
    };
    const t = new Transport({ registry: 'registry.example', userAgent: 'unit', fetch });
    await expect(sendChunks(session(t, bytes))).rejects.toThrow(
      `the registry's Range says it holds 1 of ${CHUNK_SIZE + 10} bytes after 1`,
    );
    expect(patches).toBe(2);
  });
});
