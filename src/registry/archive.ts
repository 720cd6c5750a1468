/**
 * A `docker save`-style archive of one image, written from the registry without a daemon: blobs stream through
 * digest verification into the tar, and the archive appears only when complete.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { openBlob } from './blobs.js';
import { hexOf } from './digest.js';
import { writeAtomically } from './files.js';
import { isForeignLayer, type Descriptor, type ImageManifest } from './manifests.js';
import { retrying } from './retry.js';
import { firstMissing } from './staging.js';
import { printable } from './text.js';
import type { Transport } from './transport.js';
import { isDigest } from './validate.js';

/** A tar header for a regular file (ustar, sizes up to 8 GiB). */
function tarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  const put = (offset: number, length: number, value: string) => header.write(value, offset, length, 'utf8');
  put(0, 100, name);
  put(100, 8, '0000644\0');
  put(108, 8, '0000000\0');
  put(116, 8, '0000000\0');
  put(124, 12, `${size.toString(8).padStart(11, '0')}\0`);
  put(
    136,
    12,
    `${Math.floor(Date.UTC(2000, 0, 1) / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
  );
  put(148, 8, '        ');
  put(156, 1, '0');
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

const padding = (size: number) => Buffer.alloc((512 - (size % 512)) % 512);

/** Writes one tar entry; a stream body is opened only once its header is written, then read at once. */
async function writeEntry(
  out: Writable,
  name: string,
  size: number,
  body: (() => Promise<Readable>) | Buffer,
): Promise<void> {
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve, reject) => out.write(chunk, (error) => (error ? reject(error) : resolve())));
  await write(tarHeader(name, size));
  if (Buffer.isBuffer(body)) await write(body);
  else for await (const chunk of await body()) await write(chunk as Buffer);
  await write(padding(size));
}

/**
 * Writes a `docker save`-style archive of one image manifest: manifest.json, the config as <hex>.json and each
 * layer (as stored: compressed) as <hex>/layer.tar, which `docker load` and skopeo's docker-archive read. The
 * archive appears at `file` only when complete.
 */
export async function writeDockerArchive(
  t: Transport,
  repository: string,
  file: string,
  image: ImageManifest,
  repoTag: string | undefined,
): Promise<void> {
  const foreign = image.layers.filter(isForeignLayer);
  if (foreign.length)
    throw new Error(
      `the image has ${foreign.length} foreign layer(s), which a docker archive cannot carry without fetching them`,
    );
  const bad = [image.config, ...image.layers].find((d) => !isDigest(d.digest));
  if (bad)
    throw new Error(`'${printable(String(bad.digest), 80)}' is not a digest; it names no archive entry`);
  // Folders made for the archive go again when it cannot be written: a failed pull leaves nothing.
  const created = firstMissing(dirname(file));
  mkdirSync(dirname(file), { recursive: true });
  const open = (blob: Descriptor) => () => openBlob(t, { repository, digest: blob.digest, size: blob.size });
  try {
    // A download cut short starts the archive again; corrupt bytes are final (DigestMismatchError).
    await retrying(`write ${file}`, t.retryPolicy, t.log, () =>
      writeAtomically(file, (out) => writeArchive(out, image, repoTag, open)),
    );
  } catch (error) {
    if (created) rmSync(created, { recursive: true, force: true });
    throw error;
  }
}

/** The archive's entries in order (config, layers, manifest.json), then the two zero blocks that end a tar. */
async function writeArchive(
  out: Writable,
  image: ImageManifest,
  repoTag: string | undefined,
  open: (blob: Descriptor) => () => Promise<Readable>,
): Promise<void> {
  // Names fit the 100-byte ustar name field: 64 hex characters identify a blob well enough here.
  const short = (digest: string) => hexOf(digest).slice(0, 64);
  const configName = `${short(image.config.digest)}.json`;
  const layerNames = image.layers.map((layer) => `${short(layer.digest)}/layer.tar`);
  await writeEntry(out, configName, image.config.size, open(image.config));
  for (const [i, layer] of image.layers.entries())
    await writeEntry(out, layerNames[i] ?? '', layer.size, open(layer));
  const manifest = Buffer.from(
    JSON.stringify([{ Config: configName, RepoTags: repoTag ? [repoTag] : [], Layers: layerNames }]),
  );
  await writeEntry(out, 'manifest.json', manifest.length, manifest);
  await new Promise<void>((resolve, reject) =>
    out.end(Buffer.alloc(1024), () => resolve()).on('error', reject),
  );
}
