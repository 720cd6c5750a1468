/** Blobs: existence checks, verified streaming downloads, and the sources uploads read from. */
import { createReadStream } from 'node:fs';
import { Readable, Transform, type Writable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { BodyLimitError, idleWatchdog } from './body.js';
import { VerifyingStream, digestLike } from './digest.js';
import { DigestMismatchError } from './errors.js';
import type { Descriptor } from './manifests.js';
import type { Reference } from './reference.js';
import { pullScope } from './scope.js';
import { printable } from './text.js';
import type { RequestOptions, Transport } from './transport.js';
import { isDigest } from './validate.js';

/** What names a blob and lets its bytes be checked: any descriptor will do. */
export type BlobDescriptor = Pick<Descriptor, 'digest' | 'size'>;

/** A blob in a repository of the registry a Transport speaks to. */
export interface BlobRef extends BlobDescriptor {
  repository: string;
}

/** A blob of `repo`'s repository; its digest must be a digest (it becomes a URL path and a file name). */
export function blobRef(repo: Reference, blob: BlobDescriptor): BlobRef {
  if (!isDigest(blob.digest))
    throw new Error(`blob of ${repo.repository}: '${printable(blob.digest, 80)}' is not a digest`);
  if (!(Number.isSafeInteger(blob.size) && blob.size >= 0))
    throw new Error(`blob ${repo.repository}@${blob.digest}: the size ${blob.size} is not a size in bytes`);
  return { repository: repo.repository, digest: blob.digest, size: blob.size };
}

/** Where upload bytes come from; open() may be called again to restart, with an offset to resume at. */
export interface BlobSource {
  open(offset: number): Promise<Readable>;
}

export function bufferSource(bytes: Uint8Array): BlobSource {
  return { open: async (offset) => Readable.from([Buffer.from(bytes.subarray(offset))]) };
}

export function fileSource(path: string): BlobSource {
  return { open: async (offset) => createReadStream(path, { start: offset, highWaterMark: 1 << 20 }) };
}

export const blobName = (blob: BlobRef) => `${blob.repository}@${blob.digest}`;

export async function blobExists(
  t: Transport,
  blob: BlobRef,
  scopes = pullScope(blob.repository),
  retry = true,
): Promise<boolean> {
  const response = await t.request({
    retry,
    method: 'HEAD',
    url: `/v2/${blob.repository}/blobs/${blob.digest}`,
    scopes,
    expect: [200, 404],
    operation: 'check blob',
    reference: `${t.registry}/${blobName(blob)}`,
  });
  return response.status === 200;
}

/** A GET of the blob's bytes. */
function blobGet(t: Transport, blob: BlobRef, operation: string): RequestOptions {
  return {
    method: 'GET',
    url: `/v2/${blob.repository}/blobs/${blob.digest}`,
    scopes: pullScope(blob.repository),
    expect: [200],
    operation,
    reference: `${t.registry}/${blobName(blob)}`,
  };
}

/**
 * A stream of the blob's bytes that errors (DigestMismatchError, or a size error) when they do not match the
 * descriptor. Whoever consumes it must not commit anything before it ends cleanly.
 */
export async function openBlob(t: Transport, blob: BlobRef): Promise<VerifyingStream> {
  const response = await t.request(blobGet(t, blob, 'download blob'));
  if (!response.body) throw new Error(`download blob ${blobName(blob)}: empty answer`);
  const what = `blob ${t.registry}/${blobName(blob)}`;
  const verifier = new VerifyingStream(what, blob.digest, blob.size);
  // The bytes must keep coming (and stop at the step's deadline): a stalled body fails instead of hanging.
  const watched = forwardErrors(
    Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
    idleWatchdog(t.limits, what),
  );
  return forwardErrors(watched, verifier);
}

/** The most a blob read whole (readBlob: an image's config) may have: more is refused before any request. */
export const MAX_SMALL_BLOB_BYTES = 4 * 1024 * 1024;

/**
 * A small blob (an image's config) read whole and verified: a descriptor over `maxBytes` (at most
 * MAX_SMALL_BLOB_BYTES) is refused before any request, an answer longer than the descriptor's size is cut off
 * (BodyLimitError), and the bytes must have the descriptor's size and digest (DigestMismatchError otherwise).
 * Checked against its digest, the answer may come from wherever the registry redirects.
 */
export async function readBlob(
  t: Transport,
  blob: BlobRef,
  maxBytes = MAX_SMALL_BLOB_BYTES,
): Promise<Buffer> {
  const what = `blob ${t.registry}/${blobName(blob)}`;
  const cap = Math.min(maxBytes, MAX_SMALL_BLOB_BYTES);
  if (blob.size > cap)
    throw new BodyLimitError(
      `${what}: its descriptor says ${blob.size} bytes, more than the ${cap} read whole`,
    );
  const { bytes } = await t.requestBytes({ ...blobGet(t, blob, 'read blob'), verified: true }, blob.size);
  if (bytes.length !== blob.size) throw new Error(`${what}: received ${bytes.length} of ${blob.size} bytes`);
  const actual = digestLike(blob.digest, bytes);
  if (actual !== blob.digest) throw new DigestMismatchError(what, blob.digest, actual);
  return bytes;
}

/** A source that downloads the blob (verified) from another registry or repository, for copies. */
export function remoteSource(t: Transport, blob: BlobRef): BlobSource {
  return {
    open: async (offset) => {
      const stream = await openBlob(t, blob);
      return offset === 0 ? stream : forwardErrors(stream, skipBytes(offset));
    },
  };
}

/** from.pipe(to), and an error of `from` destroys `to` with it (pipe alone would leave `to` waiting). */
export function forwardErrors<T extends Writable>(from: Readable, to: T): T {
  from.on('error', (error) => to.destroy(error));
  // A consumer that stops early (an error, a cancelled upload) releases the source too (a connection, a file).
  to.once('close', () => from.destroy());
  return from.pipe(to);
}

function skipBytes(count: number): Transform {
  let left = count;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const skip = Math.min(left, chunk.length);
      left -= skip;
      callback(null, skip === chunk.length ? undefined : chunk.subarray(skip));
    },
  });
}
