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
 * transient, started again from the first byte. Corrupt source bytes are never retried.
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
    if (await blobExists(t, blob, scopes)) return 'exists';
    const mountFrom = options.mountFrom !== blob.repository ? options.mountFrom : undefined;
    const location = await startUpload(t, blob, scopes, mountFrom);
    if (location === 'mounted') return 'mounted';
    try {
      await sendBytes(t, blob, source, location, scopes, options);
    } catch (error) {
      await cancelUpload(t, location, scopes);
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

async function sendBytes(
  t: Transport,
  blob: BlobRef,
  source: BlobSource,
  location: string,
  scopes: Scope[],
  options: UploadOptions,
): Promise<void> {
  const reference = `${t.registry}/${blobName(blob)}`;
  let next = location;
  if (blob.size <= (options.monolithicMax ?? MONOLITHIC_MAX) && !options.chunked) {
    const bytes = await readAll(await source.open(0));
    checkSmallBlob(blob, bytes);
    await finish(t, blob, next, scopes, bytes);
    options.onBytes?.(bytes.length);
    return;
  }
  if (!options.chunked) {
    const verifier = new VerifyingStream(`upload of ${reference}`, blob.digest, blob.size);
    const stream = forwardErrors(await source.open(0), verifier);
    if (options.onBytes) stream.on('data', () => options.onBytes?.(verifier.bytes));
    try {
      const patched = await t.request({
        method: 'PATCH',
        url: next,
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
        await finish(t, blob, requireLocation(patched, blob), scopes);
        return;
      }
      // 413: this registry wants chunks. Start over on a fresh upload session, chunked.
      t.log.debug(
        `upload of ${reference}: one streamed PATCH refused (413); sending chunks of ${CHUNK_SIZE} bytes`,
      );
      await cancelUpload(t, next, scopes);
      next = await startUpload(t, blob, scopes);
    } catch (error) {
      if (verifier.errored instanceof DigestMismatchError) throw verifier.errored;
      throw error;
    }
  }
  next = await sendChunks(t, blob, source, next, scopes, options);
  await finish(t, blob, next, scopes);
}

/** PATCHes of at most CHUNK_SIZE bytes with Content-Range, each starting where the registry's Range ends. */
async function sendChunks(
  t: Transport,
  blob: BlobRef,
  source: BlobSource,
  location: string,
  scopes: Scope[],
  options: UploadOptions,
): Promise<string> {
  const reference = `${t.registry}/${blobName(blob)}`;
  let next = location;
  let offset = 0;
  while (offset < blob.size) {
    const stream = await source.open(offset);
    const chunk = await readAtMost(stream, Math.min(CHUNK_SIZE, blob.size - offset));
    stream.destroy();
    if (chunk.length === 0)
      throw new Error(`upload of ${reference}: the source ended at byte ${offset} of ${blob.size}`);
    const response = await t.request({
      method: 'PATCH',
      url: next,
      scopes,
      expect: [202],
      operation: 'upload blob chunk',
      reference,
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Range': `${offset}-${offset + chunk.length - 1}`,
      },
      body: chunk,
    });
    await response.body?.cancel();
    next = requireLocation(response, blob);
    const range = /^(?:bytes=)?0-(\d+)$/.exec(response.headers.get('range') ?? '');
    offset = range?.[1] !== undefined ? Number(range[1]) + 1 : offset + chunk.length;
    options.onBytes?.(offset);
  }
  return next;
}

async function finish(
  t: Transport,
  blob: BlobRef,
  location: string,
  scopes: Scope[],
  body?: Buffer,
): Promise<void> {
  const response = await t.request({
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

async function readAtMost(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const piece = Buffer.from(chunk as Uint8Array).subarray(0, limit - length);
    chunks.push(piece);
    length += piece.length;
    if (length >= limit) break;
  }
  return Buffer.concat(chunks);
}
