/**
 * Writing pulled images to disk without a daemon: an OCI image layout folder, or a `docker save`-style archive.
 * Blobs stream from the registry through digest verification straight to disk; nothing is held whole in memory,
 * and a blob is moved into place only once its digest checked out.
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openBlob } from './blobs.js';
import type { CopyProgress } from './copy.js';
import { createLimiter } from './limit.js';
import { retrying } from './retry.js';
import { sha256 } from './digest.js';
import {
  MediaType,
  isForeignLayer,
  type Descriptor,
  type ImageManifest,
  type Manifest,
} from './manifests.js';
import type { Transport } from './transport.js';

const hexOf = (digest: string) => digest.slice(digest.indexOf(':') + 1);
const algorithmOf = (digest: string) => digest.slice(0, digest.indexOf(':'));

const DOCKER_TO_OCI: Record<string, string> = {
  'application/vnd.docker.container.image.v1+json': 'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.image.rootfs.diff.tar.gzip': 'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip':
    'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
};

/**
 * An image manifest in OCI media types, as an OCI layout's readers expect (the conversion `skopeo copy` makes):
 * a Docker schema 2 manifest gets new bytes and so a new digest; blobs are untouched. OCI manifests pass as is.
 */
export function toOciManifest(manifest: Manifest): Manifest {
  if (manifest.kind !== 'image' || manifest.mediaType !== MediaType.dockerManifest) return manifest;
  const convert = (d: Descriptor): Descriptor => ({
    ...d,
    mediaType: DOCKER_TO_OCI[d.mediaType] ?? d.mediaType,
  });
  const image: ImageManifest = {
    ...manifest.image,
    mediaType: MediaType.ociManifest,
    config: convert(manifest.image.config),
    layers: manifest.image.layers.map(convert),
  };
  const bytes = Buffer.from(JSON.stringify(image));
  return { kind: 'image', image, bytes, mediaType: MediaType.ociManifest, digest: sha256(bytes) };
}

/** Why a folder cannot take an OCI layout, or undefined when it can (missing, empty, or a layout already). */
export function layoutProblem(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return 'it exists and is not a folder';
  const entries = readdirSync(dir);
  if (entries.length === 0) return undefined;
  if (!entries.includes('oci-layout') || !entries.includes('index.json')) {
    return `it exists, is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}) and is not an OCI image layout`;
  }
  return undefined;
}

/** The digest of a file's bytes, with the algorithm of `like`. */
async function fileDigest(path: string, like: string): Promise<string> {
  const algorithm = algorithmOf(like);
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `${algorithm}:${hash.digest('hex')}`;
}

/** Streams one verified blob to `path` (via a temporary name, renamed only when the digest matched). */
async function blobToFile(
  t: Transport,
  repository: string,
  blob: Descriptor,
  path: string,
  onBytes: (delta: number) => void = () => undefined,
): Promise<void> {
  if (
    existsSync(path) &&
    statSync(path).size === blob.size &&
    (await fileDigest(path, blob.digest)) === blob.digest
  )
    return;
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial-${process.pid}`;
  // Open the file first, so a failure cannot race its creation and leave it behind.
  const file = createWriteStream(partial);
  await once(file, 'open');
  try {
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        onBytes(chunk.length);
        callback(null, chunk);
      },
    });
    await pipeline(await openBlob(t, { repository, digest: blob.digest, size: blob.size }), counted, file);
    renameSync(partial, path);
  } finally {
    if (!file.closed) await new Promise<void>((resolve) => file.close(() => resolve()));
    rmSync(partial, { force: true });
  }
}

/** Runs every task; when any fails, waits for the others to stop before failing with the first error. */
async function allOrFirstError(tasks: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

export interface LayoutImage {
  /** The manifest to store under the reference name: an image, or an index whose children are given too. */
  root: Manifest;
  /** Image manifests to fetch blobs for (the root itself, or the index's children to keep). */
  images: Manifest[];
  /** The name recorded in index.json (org.opencontainers.image.ref.name), e.g. the tag. */
  refName: string;
  /** Called as blob bytes arrive and as blobs complete. */
  onProgress?: (progress: CopyProgress) => void;
}

/**
 * Writes (or adds to) an OCI image layout: blobs/<alg>/<hex> for every blob and manifest, `oci-layout`, and an
 * index.json entry for the root whose ref name replaces any earlier entry of that name. index.json is written
 * last, so an interrupted pull leaves the layout as it was.
 */
export async function writeOciLayout(
  t: Transport,
  repository: string,
  dir: string,
  image: LayoutImage,
  concurrency = 4,
): Promise<void> {
  const limit = createLimiter(concurrency);
  const blobs = new Map<string, Descriptor>();
  for (const manifest of image.images) {
    if (manifest.kind !== 'image') continue;
    for (const blob of [manifest.image.config, ...manifest.image.layers])
      if (!isForeignLayer(blob)) blobs.set(blob.digest, blob);
  }
  const progress: CopyProgress = { blobsDone: 0, blobsTotal: blobs.size, bytesDone: 0 };
  const report = () => image.onProgress?.({ ...progress });
  await allOrFirstError(
    [...blobs.values()].map((blob) =>
      limit(async () => {
        let sent = 0;
        // A download cut short is started again (a corrupt one is not: DigestMismatchError is final).
        await retrying(`download blob ${repository}@${blob.digest}`, t.retryPolicy, t.log, () => {
          progress.bytesDone -= sent;
          sent = 0;
          return blobToFile(
            t,
            repository,
            blob,
            join(dir, 'blobs', algorithmOf(blob.digest), hexOf(blob.digest)),
            (delta) => {
              sent += delta;
              progress.bytesDone += delta;
              report();
            },
          );
        });
        progress.blobsDone++;
        report();
      }),
    ),
  );
  for (const manifest of [...image.images, image.root]) {
    const path = join(dir, 'blobs', algorithmOf(manifest.digest), hexOf(manifest.digest));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, manifest.bytes);
  }
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const indexPath = join(dir, 'index.json');
  const index: { manifests?: Descriptor[] } = existsSync(indexPath)
    ? (JSON.parse(readFileSync(indexPath, 'utf8')) as { manifests?: Descriptor[] })
    : {};
  const refKey = 'org.opencontainers.image.ref.name';
  const others = (index.manifests ?? []).filter((d) => d.annotations?.[refKey] !== image.refName);
  const entry: Descriptor = {
    mediaType: image.root.mediaType,
    digest: image.root.digest,
    size: image.root.bytes.length,
    annotations: { [refKey]: image.refName },
  };
  writeFileSync(
    indexPath,
    JSON.stringify({
      ...index,
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [...others, entry],
    }),
  );
}

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
  mkdirSync(dirname(file), { recursive: true });
  // A download cut short starts the archive again; corrupt bytes are final (DigestMismatchError).
  await retrying(`write ${file}`, t.retryPolicy, t.log, () =>
    writeArchiveOnce(t, repository, file, image, repoTag),
  );
}

async function writeArchiveOnce(
  t: Transport,
  repository: string,
  file: string,
  image: ImageManifest,
  repoTag: string | undefined,
): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  const out = createWriteStream(partial);
  await once(out, 'open');
  try {
    // Names fit the 100-byte ustar name field: 64 hex characters identify a blob well enough here.
    const short = (digest: string) => hexOf(digest).slice(0, 64);
    const configName = `${short(image.config.digest)}.json`;
    const layerNames = image.layers.map((layer) => `${short(layer.digest)}/layer.tar`);
    const open = (blob: Descriptor) => () =>
      openBlob(t, { repository, digest: blob.digest, size: blob.size });
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
    renameSync(partial, file);
  } finally {
    out.destroy();
    rmSync(partial, { force: true });
  }
}
