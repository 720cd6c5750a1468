/**
 * Reading a `docker save` archive in one streaming pass into a work folder: each small file is kept as is, and
 * each file that may be a layer is gzip-compressed on the way to disk, hashing what goes in (its diff_id) and
 * what comes out (its blob digest). Entry names never become paths (files are stored by number), symlinks
 * (docker save links repeated layers) are kept as names resolved within the archive, and nothing else is made.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, writeFileSync } from 'node:fs';
import { posix, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
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
  /** sha256 of the uncompressed bytes. */
  diffId: string;
  /** Whether the file was itself gzip data already (compressed layers are not what this reader expects). */
  wasGzip: boolean;
}

export interface ArchiveFile {
  /** The bytes as in the archive, on disk (files up to SMALL_FILE_BYTES only). */
  raw?: string;
  /** The gzip-compressed form (files that may be layers). */
  gzip?: CompressedFile;
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
  let first: Buffer | undefined;
  async function* tee(): AsyncGenerator<Buffer> {
    for await (const piece of input) {
      first ??= piece;
      diff.update(piece);
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
    wasGzip: first?.[0] === 0x1f && first[1] === 0x8b,
  };
}

/** Stores one regular file of the archive under a number in `dir`. */
async function storeFile(dir: string, n: number, entry: TarEntry, body: TarBody): Promise<ArchiveFile> {
  const small = entry.size <= SMALL_FILE_BYTES;
  const keep: Buffer[] | undefined = small ? [] : undefined;
  const file: ArchiveFile = {};
  if (isMetadata(entry.name) && keep) for await (const piece of body) keep.push(piece);
  else file.gzip = await compressTo(body, join(dir, `${n}.gz`), keep);
  if (keep) {
    file.raw = join(dir, `${n}`);
    writeFileSync(file.raw, Buffer.concat(keep));
  }
  return file;
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
