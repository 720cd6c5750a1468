/**
 * A minimal streaming tar reader (ustar, POSIX pax `x` headers, GNU long names) for archives made by other
 * tools (`docker save`). Regular files and folders only: a symbolic link is reported (never made on disk) only
 * when the caller asks, and every other kind (hard links, devices, FIFOs) is refused. Names are checked before
 * anyone sees them (no absolute path, no `..`, no NUL), and counts and sizes are bounded.
 */
import type { Readable } from 'node:stream';
import { printable } from './text.js';

export interface TarEntry {
  /** The name in the archive, normalised (no leading `./`, no trailing `/`). */
  name: string;
  type: 'file' | 'directory' | 'symlink';
  size: number;
  /** A symlink's target, as written in the archive (checked by whoever resolves it). */
  linkname?: string;
}

export interface TarLimits {
  /** Entries of any kind. */
  entries: number;
  /** One entry's size. */
  entryBytes: number;
  /** All entries' sizes together. */
  totalBytes: number;
  /** A pax extended header or a GNU long name. */
  headerBytes: number;
}

export const TAR_LIMITS: TarLimits = {
  entries: 100_000,
  entryBytes: 64 * 1024 ** 3,
  totalBytes: 256 * 1024 ** 3,
  headerBytes: 1024 * 1024,
};

export interface TarOptions {
  limits?: Partial<TarLimits>;
  /** Report symbolic links to the handler (as names only) instead of refusing them. */
  symlinks?: boolean;
  /** Told about entries left out (pax global headers), with the reason. */
  onIgnored?: (what: string) => void;
}

/** A file's body: read it through (or not: what is left is skipped). */
export type TarBody = AsyncIterable<Buffer>;

const BLOCK = 512;

/** Reads exact amounts from a stream of chunks. */
class Blocks {
  private readonly chunks: AsyncIterator<unknown>;
  private pending = Buffer.alloc(0);

  constructor(stream: Readable) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  /** Up to `size` bytes in pieces as they come; fails when the stream ends first. */
  async *pieces(size: number): AsyncGenerator<Buffer> {
    let left = size;
    while (left > 0) {
      if (this.pending.length === 0) {
        const next = await this.chunks.next();
        if (next.done) throw new Error('the archive ends in the middle of an entry (truncated?)');
        this.pending = Buffer.from(next.value as Uint8Array);
      }
      const piece = this.pending.subarray(0, left);
      this.pending = this.pending.subarray(piece.length);
      left -= piece.length;
      yield piece;
    }
  }

  async read(size: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const piece of this.pieces(size)) parts.push(piece);
    return Buffer.concat(parts);
  }

  /** The next block, or undefined at the end of the stream. */
  async block(): Promise<Buffer | undefined> {
    if (this.pending.length === 0) {
      const next = await this.chunks.next();
      if (next.done) return undefined;
      this.pending = Buffer.from(next.value as Uint8Array);
    }
    return this.read(BLOCK);
  }
}

const field = (header: Buffer, offset: number, length: number): string => {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
};

function octal(header: Buffer, offset: number, length: number, what: string): number {
  // GNU base-256 (high bit set) is for sizes over 8 GiB.
  if ((header[offset] ?? 0) & 0x80) {
    let value = (header[offset] ?? 0) & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + (header[offset + i] ?? 0);
    if (!Number.isSafeInteger(value)) throw new Error(`tar: the ${what} field is out of range`);
    return value;
  }
  const text = field(header, offset, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new Error(`tar: the ${what} field is not an octal number`);
  return text === '' ? 0 : parseInt(text, 8);
}

function checkHeader(header: Buffer): void {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  if (octal(header, 148, 8, 'checksum') !== sum)
    throw new Error('tar: a header checksum does not match (not a tar archive, or a corrupt one)');
}

/** Records of a pax extended header: `<length> <key>=<value>\n`. */
export function parsePax(body: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    const length = Number(body.subarray(at, space).toString('ascii'));
    if (space === -1 || !Number.isSafeInteger(length) || length <= space - at || at + length > body.length)
      throw new Error('tar: a pax header record is malformed');
    const record = body.subarray(space + 1, at + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    at += length;
  }
  return records;
}

/** A name as an entry's name, or a refusal when it could name anything outside the archive's root. */
export function safeName(raw: string): string {
  const name = raw.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
  const parts = name.split('/');
  if (
    name === '' ||
    name.includes('\0') ||
    name.includes('\\') ||
    raw.startsWith('/') ||
    parts.some((p) => p === '..' || p === '' || p === '.')
  )
    throw new Error(`tar: the entry name '${printable(raw, 120)}' leaves the archive or is not a plain path`);
  return name;
}

interface Overrides {
  path?: string;
  linkpath?: string;
  size?: number;
}

const TYPES: Record<string, TarEntry['type']> = { '0': 'file', '\0': 'file', '7': 'file', '5': 'directory' };
const REFUSED: Record<string, string> = {
  '1': 'a hard link',
  '3': 'a character device',
  '4': 'a block device',
  '6': 'a FIFO',
};

/** The entry a header describes (with pax or GNU overrides applied). */
function entryOf(header: Buffer, flag: string, overrides: Overrides, options: TarOptions): TarEntry {
  const prefix = field(header, 345, 155);
  const short = field(header, 0, 100);
  const raw = overrides.path ?? (prefix ? `${prefix}/${short}` : short);
  const size = overrides.size ?? octal(header, 124, 12, 'size');
  if (flag === '2') {
    const name = safeName(raw);
    if (!options.symlinks)
      throw new Error(`tar: '${printable(name, 120)}' is a symbolic link; links are not accepted`);
    return { name, type: 'symlink', size: 0, linkname: overrides.linkpath ?? field(header, 157, 100) };
  }
  const type = TYPES[flag];
  if (!type)
    throw new Error(
      `tar: '${printable(raw, 120)}' is ${REFUSED[flag] ?? `of type '${printable(flag, 4)}'`}; only files and folders are accepted`,
    );
  return { name: safeName(raw), type, size: type === 'file' ? size : 0 };
}

/**
 * Reads a tar stream entry by entry: `onFile` gets each regular file with its body (what it leaves unread is
 * skipped); folders and (when asked) symlinks go to `onOther`. Refuses what TarOptions says is refused.
 */
export async function readTar(
  stream: Readable,
  onFile: (entry: TarEntry, body: TarBody) => Promise<void>,
  onOther: (entry: TarEntry) => void = () => undefined,
  options: TarOptions = {},
): Promise<void> {
  const limits = { ...TAR_LIMITS, ...options.limits };
  const blocks = new Blocks(stream);
  let overrides: Overrides = {};
  let count = 0;
  let total = 0;
  for (let header = await blocks.block(); header; header = await blocks.block()) {
    if (header.every((b) => b === 0)) return; // the end-of-archive marker (what follows is padding)
    checkHeader(header);
    if (++count > limits.entries) throw new Error(`tar: more than ${limits.entries} entries`);
    const flag = String.fromCharCode(header[156] ?? 0);
    const own = octal(header, 124, 12, 'size');
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (own > limits.headerBytes)
        throw new Error(`tar: an extended header over ${limits.headerBytes} bytes`);
      const body = (await blocks.read(padTo(own))).subarray(0, own);
      overrides = extend(overrides, flag, body, options);
      continue;
    }
    const entry = entryOf(header, flag, overrides, options);
    const size = overrides.size ?? own;
    overrides = {};
    if (size > limits.entryBytes || (total += size) > limits.totalBytes)
      throw new Error(`tar: '${printable(entry.name, 120)}' makes the archive larger than accepted`);
    const read = entry.type === 'file' ? await readBody(blocks, entry, onFile) : (onOther(entry), 0);
    for await (const piece of blocks.pieces(padTo(size) - read)) void piece;
  }
}

const padTo = (size: number): number => Math.ceil(size / BLOCK) * BLOCK;

/** Hands a file's body to `onFile`; returns how much of it was read (the rest is for the caller to skip). */
async function readBody(
  blocks: Blocks,
  entry: TarEntry,
  onFile: (entry: TarEntry, body: TarBody) => Promise<void>,
): Promise<number> {
  let read = 0;
  async function* body(): AsyncGenerator<Buffer> {
    for await (const piece of blocks.pieces(entry.size)) {
      read += piece.length;
      yield piece;
    }
  }
  await onFile(entry, body());
  return read;
}

/** Applies a pax (`x`; `g` is ignored) or GNU (`L`, `K`) header to the next entry. */
function extend(overrides: Overrides, flag: string, body: Buffer, options: TarOptions): Overrides {
  if (flag === 'L') return { ...overrides, path: body.toString('utf8').replace(/\0+$/, '') };
  if (flag === 'K') return { ...overrides, linkpath: body.toString('utf8').replace(/\0+$/, '') };
  const records = parsePax(body);
  if (flag === 'g') {
    options.onIgnored?.('a pax global header (it sets defaults this reader does not use)');
    return overrides;
  }
  const size = records.size === undefined ? undefined : Number(records.size);
  if (size !== undefined && !(Number.isSafeInteger(size) && size >= 0))
    throw new Error('tar: a pax size is not a size');
  return {
    path: records.path ?? overrides.path,
    linkpath: records.linkpath ?? overrides.linkpath,
    size: size ?? overrides.size,
  };
}
