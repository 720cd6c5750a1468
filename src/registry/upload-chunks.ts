/**
 * Chunked uploads: PATCHes of at most CHUNK_SIZE bytes with Content-Range, for registries that refuse one
 * streamed PATCH; the registry's Range says how much it kept, and the next chunk starts there.
 */
import type { Readable } from 'node:stream';
import { requireLocation, verifiedSource, type UploadSession } from './upload-session.js';

/** ghcr.io refuses PATCHes with Content-Range above 4 MiB. */
export const CHUNK_SIZE = 4 * 1024 * 1024;

/** Reads a stream in pieces of an exact size (the last may be shorter). */
class ChunkReader {
  private readonly chunks: AsyncIterator<unknown>;
  private pending = Buffer.alloc(0);

  constructor(stream: Readable) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  async read(size: number): Promise<Buffer> {
    while (this.pending.length < size) {
      const next = await this.chunks.next();
      if (next.done) break;
      this.pending = Buffer.concat([this.pending, next.value as Buffer]);
    }
    const piece = this.pending.subarray(0, size);
    this.pending = this.pending.subarray(size);
    return piece;
  }
}

/** PATCHes one chunk at `offset`; returns how many bytes the registry holds now (its Range, else all sent). */
async function patchChunk(session: UploadSession, offset: number, chunk: Buffer): Promise<number> {
  const response = await session.t.request({
    method: 'PATCH',
    url: session.location,
    scopes: session.scopes,
    expect: [202],
    operation: 'upload blob chunk',
    reference: session.reference,
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Range': `${offset}-${offset + chunk.length - 1}`,
    },
    body: chunk,
    retry: false,
  });
  await response.body?.cancel();
  session.location = requireLocation(response, session.blob);
  const range = /^(?:bytes=)?0-(\d+)$/.exec(response.headers.get('range') ?? '');
  return range?.[1] !== undefined ? Number(range[1]) + 1 : offset + chunk.length;
}

/**
 * PATCHes of at most CHUNK_SIZE bytes with Content-Range, read in order from one verified stream of the
 * source; when the registry's Range says it kept less, the source is reopened where the registry is.
 */
export async function sendChunks(session: UploadSession): Promise<void> {
  const { blob, reference } = session;
  const verified = await verifiedSource(session);
  const verifier = verified.verifier;
  let stream: Readable = verified.stream;
  let close = verified.close;
  let reader = new ChunkReader(stream);
  let offset = 0;
  try {
    while (offset < blob.size) {
      const chunk = await reader.read(Math.min(CHUNK_SIZE, blob.size - offset));
      if (chunk.length === 0)
        throw new Error(`upload of ${reference}: the source ended at byte ${offset} of ${blob.size}`);
      const kept = await patchChunk(session, offset, chunk);
      // The registry must hold more than before: a Range that does not move would send the same bytes forever.
      if (kept <= offset || kept > blob.size)
        throw new Error(
          `upload of ${reference}: the registry's Range says it holds ${kept} of ${blob.size} bytes after ${offset}`,
        );
      if (kept !== offset + chunk.length) {
        // The registry kept less than was sent: continue from its end (unverified from here; the registry
        // checks the digest on the final PUT).
        close();
        const reopened = await session.source.open(kept);
        stream = reopened;
        close = () => reopened.destroy();
        reader = new ChunkReader(stream);
      }
      offset = kept;
    }
    // Reading to the end lets the verifier check the whole blob before the upload is completed.
    if (stream === verifier) {
      await reader.read(1);
      if (verifier.errored) throw verifier.errored;
    }
  } finally {
    close();
  }
}
