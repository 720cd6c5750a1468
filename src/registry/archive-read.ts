/**
 * Reading a `docker save` archive in one streaming pass into a work folder: each small file is kept as is; each
 * compressed file (gzip, zstd: by its first bytes) is kept as is, hashed as it is and as it decompresses (its
 * diff_id); each other file that may be a layer is gzip-compressed on the way to disk, hashing what goes in
 * (its diff_id) and what comes out (its blob digest). Entry names never become paths (files are stored by number), symlinks
 * (docker save links repeated layers) are kept as names resolved within the archive, and nothing else is made.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, writeFileSync } from 'node:fs';
import { posix, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { sha256 } from './digest.js';
import { storeCompressed, ZSTD_MAGIC } from './layer-digest.js';
import { readTar, safeName, type TarBody, type TarEntry, type TarLimits } from './tar.js';
import { printable } from './text.js';

/**
 * gzip level 1 (zlib's fastest). Measured here on a 183 MB tar of JavaScript packages: level 1 compressed at
 * 102 MB/s to 24.2 %, level 6 (the default) at 44 MB/s to 20.1 %. Compression runs on one core before the
 * upload can start, so speed wins; the level is fixed so the same layer always gives the same digest.
 */
export const GZIP_LEVEL = 1;

/** Files read whole (manifest.json, an image's config): more is refused. */
export const SMALL_FILE_BYTES = 4 * 1024 * 1024;

export interface CompressedFile {
  path: string;
  /** sha256 of the gzip bytes, and their size: the layer blob. */
  digest: string;
  size: number;
  /** sha256 of the uncompressed bytes, and their size. */
  diffId: string;
  inputSize: number;
}

/** What a file's first bytes say it is: gzip (1f 8b), zstd (28 b5 2f fd), or anything else. */
export type Compression = 'gzip' | 'zstd' | 'none';

export interface ArchiveFile {
  /** sha256 of the bytes as in the archive, and their size. */
  digest: string;
  size: number;
  compression: Compression;
  /** The bytes as in the archive, on disk: small files, and compressed files (uploaded as they are). */
  raw?: string;
  /** The gzip-compressed form of an uncompressed file that may be a layer. */
  gzip?: CompressedFile;
  /**
   * sha256 of the uncompressed content (a layer's diff_id): the file's own digest when uncompressed, computed
   * while reading when compressed; undefined for metadata, and for zstd when Node has no zstd decompressor.
   */
  diffId?: string;
}

export interface ReadArchive {
  files: Map<string, ArchiveFile>;
  /** Symlinks: name -> target name, both within the archive. */
  links: Map<string, string>;
}

/** Names docker save uses for metadata (never layers): kept as is, not compressed. */
const isMetadata = (name: string): boolean =>
  /\.json$/.test(name) || ['json', 'VERSION', 'repositories', 'oci-layout'].includes(posix.basename(name));

/** A hash transform that counts too. */
function hashing(hash: Hash, counter: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      counter.bytes += chunk.length;
      callback(null, chunk);
    },
  });
}

/**
 * gzip (level GZIP_LEVEL, no name, mtime 0: the same input always gives the same bytes) of `input` to `path`,
 * hashing both sides; `keep` collects the input too (for small files).
 */
export async function compressTo(
  input: AsyncIterable<Buffer>,
  path: string,
  keep?: Buffer[],
): Promise<CompressedFile> {
  const diff = createHash('sha256');
  const out = createHash('sha256');
  const counted = { bytes: 0 };
  let inputSize = 0;
  async function* tee(): AsyncGenerator<Buffer> {
    for await (const piece of input) {
      diff.update(piece);
      inputSize += piece.length;
      keep?.push(piece);
      yield piece;
    }
  }
  await pipeline(
    Readable.from(tee()),
    createGzip({ level: GZIP_LEVEL }),
    hashing(out, counted),
    createWriteStream(path),
  );
  return {
    path,
    digest: `sha256:${out.digest('hex')}`,
    size: counted.bytes,
    diffId: `sha256:${diff.digest('hex')}`,
    inputSize,
  };
}

/** The first `n` bytes of a body (fewer when it is shorter), and the whole body again. */
async function peek(body: TarBody, n: number): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const iterator = body[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < n && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else {
      seen.push(next.value);
      length += next.value.length;
    }
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield* seen;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head: Buffer.concat(seen).subarray(0, n), all: all() };
}

export function compressionOf(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.subarray(0, 4).equals(ZSTD_MAGIC)) return 'zstd';
  return 'none';
}

/** Stores one regular file of the archive under a number in `dir`. */
async function storeFile(dir: string, n: number, entry: TarEntry, body: TarBody): Promise<ArchiveFile> {
  const small = entry.size <= SMALL_FILE_BYTES;
  const raw = join(dir, `${n}`);
  if (isMetadata(entry.name) && small) {
    const bytes = await collect(body);
    writeFileSync(raw, bytes);
    return { digest: sha256(bytes), size: bytes.length, compression: 'none', raw };
  }
  const { head, all } = await peek(body, 4);
  const compression = compressionOf(head);
  if (compression !== 'none') return { ...(await storeCompressed(all, raw, compression, entry.name)), raw };
  const keep: Buffer[] | undefined = small ? [] : undefined;
  const gzip = await compressTo(all, join(dir, `${n}.gz`), keep);
  if (keep) writeFileSync(raw, Buffer.concat(keep));
  const file = { digest: gzip.diffId, size: gzip.inputSize, compression, gzip, diffId: gzip.diffId };
  return keep ? { ...file, raw } : file;
}

async function collect(body: TarBody): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of body) pieces.push(piece);
  return Buffer.concat(pieces);
}

/** A symlink's target as a name in the archive, or a refusal when it points outside or is absolute. */
function linkTarget(entry: TarEntry): string {
  const target = entry.linkname ?? '';
  const joined = posix.normalize(posix.join(posix.dirname(entry.name), target));
  if (target.startsWith('/') || joined.startsWith('../') || joined === '..')
    throw new Error(
      `docker archive: the link '${printable(entry.name, 120)}' points outside the archive ('${printable(target, 120)}')`,
    );
  return safeName(joined);
}

/** Reads a docker archive into `dir` (which must exist and be empty). */
export async function readArchive(
  file: string,
  dir: string,
  limits?: Partial<TarLimits>,
): Promise<ReadArchive> {
  const files = new Map<string, ArchiveFile>();
  const links = new Map<string, string>();
  let n = 0;
  await readTar(
    createReadStream(file, { highWaterMark: 1 << 20 }),
    async (entry, body) => {
      if (files.has(entry.name) || links.has(entry.name))
        throw new Error(`docker archive: '${printable(entry.name, 120)}' appears twice`);
      files.set(entry.name, await storeFile(dir, n++, entry, body));
    },
    (entry) => {
      if (entry.type === 'symlink') links.set(entry.name, linkTarget(entry));
    },
    { symlinks: true, limits },
  );
  return { files, links };
}

/** The file a name stands for, following symlinks (within the archive, a few hops at most). */
export function archiveFile(archive: ReadArchive, raw: string): ArchiveFile {
  let name = safeName(raw);
  for (let hops = 0; hops < 8; hops++) {
    const file = archive.files.get(name);
    if (file) return file;
    const next = archive.links.get(name);
    if (next === undefined) break;
    name = next;
  }
  throw new Error(`docker archive: '${printable(raw, 120)}' names no file of the archive`);
}
