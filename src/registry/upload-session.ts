/** One blob upload: what is sent, how it was asked for, and where the registry's upload session is now. */
import { blobName, forwardErrors, type BlobRef, type BlobSource } from './blobs.js';
import { VerifyingStream } from './digest.js';
import type { Scope } from './scope.js';
import type { Transport } from './transport.js';

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

export interface UploadSession {
  t: Transport;
  blob: BlobRef;
  source: BlobSource;
  scopes: Scope[];
  options: UploadOptions;
  /** The upload URL now: each PATCH answers a new Location, and a refused PATCH (413) opens a new session. */
  location: string;
  /** `registry/repository@digest`, for messages. */
  reference: string;
}

/** The Location of an upload answer; a registry that sends none cannot be uploaded to. */
export function requireLocation(response: Response, blob: BlobRef): string {
  const location = response.headers.get('location');
  if (!location) throw new Error(`upload of ${blobName(blob)}: the registry gave no upload Location`);
  return location;
}

/** The source's bytes through a verifier (digest, size, progress), destroyed with the returned cleanup. */
export async function verifiedSource(session: UploadSession) {
  const { blob, options } = session;
  const raw = await session.source.open(0);
  const verifier = new VerifyingStream(
    `upload of ${session.reference}`,
    blob.digest,
    blob.size,
    options.onBytes,
  );
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
