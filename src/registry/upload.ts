/** Blob uploads: a cross-repository mount, one streamed PATCH, one PUT for small blobs, or chunks. */
import type { Readable } from 'node:stream';
import type { Scope } from './auth.js';
import { blobExists, blobName, forwardErrors, type BlobRef, type BlobSource } from './blobs.js';
import { VerifyingStream, digestLike } from './digest.js';
import { DigestMismatchError } from './errors.js';
import { retrying } from './retry.js';
import type { Transport } from './transport.js';

export type UploadResult = 'exists' | 'mounted' | 'uploaded';

export interface UploadOptions {
  /** Another repository on the same registry that has the blob: try a cross-repository mount first. */
  mountFrom?: string;
  /** Force chunked PATCHes (otherwise used only when the registry refuses one streamed PATCH). */
  chunked?: boolean;
  /** Blobs up to this size go in one PUT. */
  monolithicMax?: number;
  /** Called with the bytes sent so far for this blob. */
  onBytes?: (bytes: number) => void;
}

/** ghcr.io refuses PATCHes with Content-Range above 4 MiB. */
export const CHUNK_SIZE = 4 * 1024 * 1024;
const MONOLITHIC_MAX = 1024 * 1024;

const pull = (repository: string): Scope[] => [{ repository, actions: ['pull'] }];
const push = (repository: string): Scope[] => [{ repository, actions: ['pull', 'push'] }];

/**
 * Uploads a blob unless the repository has it: a cross-repository mount when a source repository is known,
 * otherwise POST + one streamed PATCH + PUT ?digest= (one PUT for small blobs), falling back to chunks of at
 * most 4 MiB when the registry refuses the single PATCH. A failed upload is cancelled and, when the failure is
 * transient, started again from the first byte (the requests inside are not retried on their own, so failures
 * are not retried twice over). Corrupt source bytes are never retried.
 */
export async function uploadBlob(
  t: Transport,
  blob: BlobRef,
  source: BlobSource,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const scopes = push(blob.repository);
  if (options.mountFrom && options.mountFrom !== blob.repository) scopes.push(...pull(options.mountFrom));
  return retrying(`upload blob ${blobName(blob)}`, t.retryPolicy, t.log, async () => {
    if (await blobExists(t, blob, scopes, false)) return 'exists';
    const mountFrom = options.mountFrom !== blob.repository ? options.mountFrom : undefined;
    const location = await startUpload(t, blob, scopes, mountFrom);
    if (location === 'mounted') return 'mounted';
    // The session moves on (each PATCH answers a new Location; a 413 opens a new one): cancel the current one.
    const session = { location };
    try {
      await sendBytes(t, blob, source, session, scopes, options);
    } catch (error) {
      await cancelUpload(t, session.location, scopes);
      throw error;
    }
    return 'uploaded';
  });
}

/** POST an upload (a mount when a source repository is given): 'mounted', or the upload's Location. */
async function startUpload(
  t: Transport,
  blob: BlobRef,
  scopes: Scope[],
  mountFrom?: string,
): Promise<string> {
  const query = mountFrom
    ? `?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(mountFrom)}`
    : '';
  const started = await t.request({
    method: 'POST',
    url: `/v2/${blob.repository}/blobs/uploads/${query}`,
    scopes,
    expect: mountFrom ? [201, 202] : [202],
    operation: mountFrom ? 'mount blob' : 'start upload of blob',
    reference: `${t.registry}/${blobName(blob)}`,
    retry: false,
  });
  await started.body?.cancel();
  return started.status === 201 ? 'mounted' : requireLocation(started, blob);
}

function requireLocation(response: Response, blob: BlobRef): string {
  const location = response.headers.get('location');
  if (!location) throw new Error(`upload of ${blobName(blob)}: the registry gave no upload Location`);
  return location;
}

/** The upload URL with ?digest= added, keeping the registry's own query (its upload state). */
function withDigest(t: Transport, location: string, digest: string): string {
  const url = t.resolve(location);
  url.searchParams.set('digest', digest);
  return url.toString();
}

/** The source's bytes through a verifier (digest, size, progress), destroyed with the returned cleanup. */
async function verifiedSource(blob: BlobRef, source: BlobSource, what: string, options: UploadOptions) {
  const raw = await source.open(0);
  const verifier = new VerifyingStream(what, blob.digest, blob.size, options.onBytes);
  const stream = forwardErrors(raw, verifier);
  return {
    stream,
    verifier,
    close: (): void => {
      raw.destroy();
      verifier.destroy();
    },
  };
}

async function sendBytes(
  t: Transport,
  blob: BlobRef,
  source: BlobSource,
  session: { location: string },
  scopes: Scope[],
  options: UploadOptions,
): Promise<void> {
  const reference = `${t.registry}/${blobName(blob)}`;
  if (blob.size <= (options.monolithicMax ?? MONOLITHIC_MAX) && !options.chunked) {
    const bytes = await readAll(await source.open(0));
    checkSmallBlob(blob, bytes);
    await finish(t, blob, session.location, scopes, bytes);
    options.onBytes?.(bytes.length);
    return;
  }
  if (!options.chunked) {
    const { stream, verifier, close } = await verifiedSource(blob, source, `upload of ${reference}`, options);
    try {
      const patched = await t.request({
        method: 'PATCH',
        url: session.location,
        scopes,
        expect: [202, 413],
        operation: 'upload blob',
        reference,
        headers: { 'Content-Type': 'application/octet-stream' },
        body: { stream: () => stream, length: blob.size },
      });
      await patched.body?.cancel();
      if (verifier.errored) throw verifier.errored;
      if (patched.status === 202) {
        session.location = requireLocation(patched, blob);
        await finish(t, blob, session.location, scopes);
        return;
      }
    } catch (error) {
      if (verifier.errored instanceof DigestMismatchError) throw verifier.errored;
      throw error;
    } finally {
      close();
    }
    // 413: this registry wants chunks. Start over on a fresh upload session, chunked.
    t.log.debug(
      `upload of ${reference}: one streamed PATCH refused (413); sending chunks of ${CHUNK_SIZE} bytes`,
    );
    await cancelUpload(t, session.location, scopes);
    session.location = await startUpload(t, blob, scopes);
  }
  await sendChunks(t, blob, source, session, scopes, options);
  await finish(t, blob, session.location, scopes);
}

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

/**
 * PATCHes of at most CHUNK_SIZE bytes with Content-Range, read in order from one verified stream of the
 * source; when the registry's Range says it kept less, the source is reopened where the registry is.
 */
async function sendChunks(
  t: Transport,
  blob: BlobRef,
  source: BlobSource,
  session: { location: string },
  scopes: Scope[],
  options: UploadOptions,
): Promise<void> {
  const reference = `${t.registry}/${blobName(blob)}`;
  const verified = await verifiedSource(blob, source, `upload of ${reference}`, options);
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
      const response = await t.request({
        method: 'PATCH',
        url: session.location,
        scopes,
        expect: [202],
        operation: 'upload blob chunk',
        reference,
        headers: {
          'Content-Type': 'application/octet-stream',
          'Content-Range': `${offset}-${offset + chunk.length - 1}`,
        },
        body: chunk,
        retry: false,
      });
      await response.body?.cancel();
      session.location = requireLocation(response, blob);
      const range = /^(?:bytes=)?0-(\d+)$/.exec(response.headers.get('range') ?? '');
      const kept = range?.[1] !== undefined ? Number(range[1]) + 1 : offset + chunk.length;
      if (kept !== offset + chunk.length) {
        // The registry kept less than was sent: continue from its end (unverified from here; the registry
        // checks the digest on the final PUT).
        close();
        const reopened = await source.open(kept);
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

async function finish(
  t: Transport,
  blob: BlobRef,
  location: string,
  scopes: Scope[],
  body?: Buffer,
): Promise<void> {
  const response = await t.request({
    retry: false,
    method: 'PUT',
    url: withDigest(t, location, blob.digest),
    scopes,
    expect: [201, 204],
    operation: 'complete upload of blob',
    reference: `${t.registry}/${blobName(blob)}`,
    headers: { 'Content-Type': 'application/octet-stream' },
    body: body ?? new Uint8Array(0),
  });
  await response.body?.cancel();
  const stored = response.headers.get('docker-content-digest');
  if (stored && stored !== blob.digest)
    throw new DigestMismatchError(`upload of ${blobName(blob)}`, blob.digest, stored);
}

async function cancelUpload(t: Transport, location: string, scopes: Scope[]): Promise<void> {
  try {
    const response = await t.request({
      method: 'DELETE',
      url: location,
      scopes,
      expect: [200, 202, 204, 404],
      operation: 'cancel upload',
      reference: t.registry,
      retry: false,
    });
    await response.body?.cancel();
  } catch (error) {
    t.log.debug(`cancelling an upload failed (the registry expires it): ${String(error)}`);
  }
}

function checkSmallBlob(blob: BlobRef, bytes: Buffer): void {
  const actual = digestLike(blob.digest, bytes);
  if (actual !== blob.digest)
    throw new DigestMismatchError(`upload of ${blobName(blob)}`, blob.digest, actual);
  if (bytes.length !== blob.size) {
    throw new Error(
      `upload of ${blobName(blob)}: the source has ${bytes.length} bytes, the descriptor says ${blob.size}`,
    );
  }
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
