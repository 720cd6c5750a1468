/**
 * A compressed layer kept as it is (its bytes are the blob), its diff_id (the sha256 of what it decompresses
 * to) computed on the same pass: gzip with zlib; zstd with zlib's zstd decompressor where Node has one (22.15
 * and later, 24: the action's runtime). Without it the diff_id stays unknown, and whoever needs it refuses.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Readable, type Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { printable } from './text.js';

export const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/** Node's zstd decompressor, when this Node has one (zlib.createZstdDecompress: Node 22.15+, 23.8+). */
export function zstdDecompressor(): (() => Transform) | undefined {
  const make = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
  return typeof make === 'function' ? () => make() : undefined;
}

export interface StoredCompressed {
  /** sha256 of the bytes as they are (the blob), and their size. */
  digest: string;
  size: number;
  compression: 'gzip' | 'zstd';
  /** sha256 of the decompressed bytes; undefined when no decompressor is at hand (zstd on older Node). */
  diffId?: string;
}

/**
 * Writes `input` to `path` as it is, hashing it, and hashing what it decompresses to. Data that does not
 * decompress is refused (it is no layer whatever its first bytes say).
 */
export async function storeCompressed(
  input: AsyncIterable<Buffer>,
  path: string,
  compression: 'gzip' | 'zstd',
  name: string,
): Promise<StoredCompressed> {
  const blob = createHash('sha256');
  const diff = createHash('sha256');
  const decompress = compression === 'gzip' ? zlib.createGunzip() : zstdDecompressor()?.();
  decompress?.on('data', (chunk: Buffer) => diff.update(chunk));
  const ended = decompress ? finished(decompress) : Promise.resolve();
  ended.catch(() => undefined); // awaited below; an early failure must not go unhandled meanwhile
  let size = 0;
  async function* tee(): AsyncGenerator<Buffer> {
    for await (const piece of input) {
      blob.update(piece);
      size += piece.length;
      if (decompress && !decompress.write(piece)) await once(decompress, 'drain');
      yield piece;
    }
    decompress?.end();
  }
  try {
    await pipeline(Readable.from(tee()), createWriteStream(path));
    await ended;
  } catch (error) {
    decompress?.destroy();
    throw new Error(
      `docker archive: '${printable(name, 120)}' starts like ${compression} data but does not decompress (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  const digest = `sha256:${blob.digest('hex')}`;
  return { digest, size, compression, diffId: decompress ? `sha256:${diff.digest('hex')}` : undefined };
}
