/**
 * Blob uploads: a cross-repository mount, one PUT for small blobs, one streamed PATCH, or chunks
 * (upload-chunks.ts) when the registry refuses the single PATCH.
 */
import type { Readable } from 'node:stream';
import { blobExists, blobName, type BlobRef, type BlobSource } from './blobs.js';
import { digestLike } from './digest.js';
import { DigestMismatchError } from './errors.js';
import { retrying } from './retry.js';
import { pullScope, pushScope, type Scope } from './scope.js';
import type { Transport } from './transport.js';
import { announcedDigest } from './validate.js';
import { CHUNK_SIZE, sendChunks } from './upload-chunks.js';
import { requireLocation, verifiedSource, type UploadOptions, type UploadSession } from './upload-session.js';

export type UploadResult = 'exists' | 'mounted' | 'uploaded';

const MONOLITHIC_MAX = 1024 * 1024;

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
  const scopes = pushScope(blob.repository);
  if (options.mountFrom && options.mountFrom !== blob.repository)
    scopes.push(...pullScope(options.mountFrom));
  const reference = `${t.registry}/${blobName(blob)}`;
  return retrying(`upload blob ${blobName(blob)}`, t.retryPolicy, t.log, async () => {
    if (await blobExists(t, blob, scopes, false)) return 'exists';
    const mountFrom = options.mountFrom !== blob.repository ? options.mountFrom : undefined;
    const location = await startUpload(t, blob, scopes, mountFrom);
    if (location === 'mounted') return 'mounted';
    // The session moves on (each PATCH answers a new Location; a 413 opens a new one): cancel the current one.
    const session: UploadSession = { t, blob, source, scopes, options, location, reference };
    try {
      await sendBytes(session);
    } catch (error) {
      await cancelUpload(session);
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

/** The upload URL with ?digest= added, keeping the registry's own query (its upload state). */
function withDigest(t: Transport, location: string, digest: string): string {
  const url = t.resolve(location);
  url.searchParams.set('digest', digest);
  return url.toString();
}

/** Sends the bytes of an opened upload session and completes it: one PUT, one streamed PATCH, or chunks. */
async function sendBytes(session: UploadSession): Promise<void> {
  const { t, blob, options } = session;
  if (blob.size <= (options.monolithicMax ?? MONOLITHIC_MAX) && !options.chunked) {
    const bytes = await readAll(await session.source.open(0));
    checkSmallBlob(blob, bytes);
    await finish(session, bytes);
    options.onBytes?.(bytes.length);
    return;
  }
  if (!options.chunked) {
    if (await sendStreamed(session)) return;
    // 413: this registry wants chunks. Start over on a fresh upload session, chunked.
    t.log.debug(
      `upload of ${session.reference}: one streamed PATCH refused (413); sending chunks of ${CHUNK_SIZE} bytes`,
    );
    await cancelUpload(session);
    session.location = await startUpload(t, blob, session.scopes);
  }
  await sendChunks(session);
  await finish(session);
}

/** One PATCH with the whole (verified) source, then the PUT; false when the registry refuses the PATCH (413). */
async function sendStreamed(session: UploadSession): Promise<boolean> {
  const { stream, verifier, close } = await verifiedSource(session);
  try {
    const patched = await session.t.request({
      method: 'PATCH',
      url: session.location,
      scopes: session.scopes,
      expect: [202, 413],
      operation: 'upload blob',
      reference: session.reference,
      headers: { 'Content-Type': 'application/octet-stream' },
      body: { stream: () => stream, length: session.blob.size },
    });
    await patched.body?.cancel();
    if (verifier.errored) throw verifier.errored;
    if (patched.status !== 202) return false;
    session.location = requireLocation(patched, session.blob);
    await finish(session);
    return true;
  } catch (error) {
    if (verifier.errored instanceof DigestMismatchError) throw verifier.errored;
    throw error;
  } finally {
    close();
  }
}

/** PUT ?digest= (with the whole blob as its body, or nothing after PATCHes); the registry's digest must match. */
async function finish(session: UploadSession, body?: Buffer): Promise<void> {
  const { t, blob } = session;
  const response = await t.request({
    retry: false,
    method: 'PUT',
    url: withDigest(t, session.location, blob.digest),
    scopes: session.scopes,
    expect: [201, 204],
    operation: 'complete upload of blob',
    reference: session.reference,
    headers: { 'Content-Type': 'application/octet-stream' },
    body: body ?? new Uint8Array(0),
  });
  await response.body?.cancel();
  const stored = announcedDigest(response, `upload of ${blobName(blob)}`);
  if (stored && stored !== blob.digest)
    throw new DigestMismatchError(`upload of ${blobName(blob)}`, blob.digest, stored);
}

/** Best effort: a cancelled session frees the registry's state at once; an abandoned one expires. */
async function cancelUpload(session: UploadSession): Promise<void> {
  const { t } = session;
  try {
    const response = await t.request({
      method: 'DELETE',
      url: session.location,
      scopes: session.scopes,
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

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
