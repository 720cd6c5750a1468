import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError } from './errors.js';

/** sha256 of bytes, as a digest string. */
export function sha256(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** 'sha256' of 'sha256:<hex>'. */
export const algorithmOf = (digest: string): string => digest.slice(0, digest.indexOf(':'));
/** '<hex>' of 'sha256:<hex>'. */
export const hexOf = (digest: string): string => digest.slice(digest.indexOf(':') + 1);

function hasherFor(digest: string): Hash {
  const algorithm = algorithmOf(digest);
  if (algorithm !== 'sha256' && algorithm !== 'sha512')
    throw new Error(`unsupported digest algorithm in ${digest}`);
  return createHash(algorithm);
}

/** The digest of bytes with the algorithm of `like` (sha256 or sha512). */
export function digestLike(like: string, bytes: Uint8Array): string {
  return `${algorithmOf(like)}:${hasherFor(like).update(bytes).digest('hex')}`;
}

/**
 * A pass-through stream that hashes and counts what flows through it and fails at the end when the bytes do
 * not match the expected digest or size. Nothing downstream should commit the data before this stream ends.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash;
  private count = 0;

  constructor(
    private readonly what: string,
    private readonly expectedDigest: string,
    private readonly expectedSize?: number,
    /** Called with the running byte count after each chunk (progress), without touching the flow. */
    private readonly onBytes?: (bytes: number) => void,
  ) {
    super();
    this.hash = hasherFor(expectedDigest);
  }

  get bytes(): number {
    return this.count;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    if (this.expectedSize !== undefined && this.count > this.expectedSize) {
      callback(new Error(`${this.what}: more than the ${this.expectedSize} bytes announced`));
      return;
    }
    this.hash.update(chunk);
    this.onBytes?.(this.count);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expectedSize !== undefined && this.count !== this.expectedSize) {
      callback(new Error(`${this.what}: received ${this.count} of ${this.expectedSize} bytes`));
      return;
    }
    const actual = `${algorithmOf(this.expectedDigest)}:${this.hash.digest('hex')}`;
    if (actual !== this.expectedDigest) {
      callback(new DigestMismatchError(this.what, this.expectedDigest, actual));
      return;
    }
    callback();
  }
}
