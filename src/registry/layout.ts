/**
 * Writing pulled images to disk without a daemon: an OCI image layout folder (the docker archive: archive.ts).
 * Blobs stream from the registry through digest verification straight to disk; nothing is held whole in memory,
 * and nothing is moved into place before every blob checked out (staging.ts).
 */
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openBlob } from './blobs.js';
import type { CopyProgress } from './copy.js';
import { algorithmOf, hexOf, sha256 } from './digest.js';
import { writeAtomically } from './files.js';
import { allOrFirstError, createLimiter } from './limit.js';
import { retrying } from './retry.js';
import { STAGING, Staging } from './staging.js';
import {
  MediaType,
  isForeignLayer,
  type Descriptor,
  type ImageManifest,
  type Manifest,
} from './manifests.js';
import { printable } from './text.js';
import type { Transport } from './transport.js';
import { isDigest } from './validate.js';

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
  // A staging folder another run left behind (stopped mid-pull) is no content of the folder.
  const entries = readdirSync(dir).filter((name) => !STAGING.test(name));
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

/**
 * `dir/blobs/<algorithm>/<hex>`. The digest must be a digest, and the path must stay inside `dir`: a digest
 * from the network never names a file elsewhere.
 */
export function blobPath(dir: string, digest: string): string {
  if (!isDigest(digest)) throw new Error(`'${printable(digest, 80)}' is not a digest; it names no file`);
  const path = resolve(dir, 'blobs', algorithmOf(digest), hexOf(digest));
  if (!path.startsWith(`${resolve(dir)}${sep}`))
    throw new Error(`${printable(digest, 80)} names a file outside ${dir}`);
  return path;
}

/** Whether `path` holds the blob already: its size and digest checked (a layout may hold a broken file). */
async function hasBlob(path: string, blob: Descriptor): Promise<boolean> {
  return (
    existsSync(path) &&
    statSync(path).size === blob.size &&
    (await fileDigest(path, blob.digest)) === blob.digest
  );
}

/** Streams one verified blob to `path` (via a temporary name, renamed only when the digest matched). */
async function blobToFile(
  t: Transport,
  repository: string,
  blob: Descriptor,
  path: string,
  onBytes: (delta: number) => void = () => undefined,
): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await writeAtomically(path, async (file) => {
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        onBytes(chunk.length);
        callback(null, chunk);
      },
    });
    await pipeline(await openBlob(t, { repository, digest: blob.digest, size: blob.size }), counted, file);
  });
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
  /** Bytes of a blob already read and verified (an image's config): written from memory, not fetched again. */
  known?: (digest: string) => Buffer | undefined;
}

/** The distributable blobs (config and layers) of the image manifests, each once, and how many foreign layers. */
export function blobsOf(images: Manifest[]): { blobs: Descriptor[]; foreign: number } {
  const blobs = new Map<string, Descriptor>();
  const foreign = new Set<string>();
  for (const manifest of images) {
    if (manifest.kind !== 'image') continue;
    for (const blob of [manifest.image.config, ...manifest.image.layers])
      if (isForeignLayer(blob)) foreign.add(blob.digest);
      else blobs.set(blob.digest, blob);
  }
  return { blobs: [...blobs.values()], foreign: foreign.size };
}

/**
 * Writes (or adds to) an OCI image layout: blobs/<alg>/<hex> for every blob and manifest, `oci-layout`, and an
 * index.json entry for the root whose ref name replaces any earlier entry of that name. Everything is written
 * into a staging folder inside `dir` (blobs the layout holds already, verified, are kept) and moved into place
 * at the end, index.json last. A failure leaves an existing layout exactly as it was and removes a folder this
 * run created.
 */
export async function writeOciLayout(
  t: Transport,
  repository: string,
  dir: string,
  image: LayoutImage,
  concurrency = 4,
): Promise<void> {
  const { blobs, foreign } = blobsOf(image.images);
  // Every path is checked before anything is written.
  const paths = new Map(
    [...blobs, ...image.images, image.root].map((b) => [b.digest, blobPath(dir, b.digest)]),
  );
  if (foreign > 0)
    t.log.info(
      `${foreign} foreign (non-distributable) layer(s) left out of the OCI layout: whoever runs the image fetches them from their URLs.`,
    );
  const staging = new Staging(dir);
  try {
    const pathOf = (digest: string): string => paths.get(digest) ?? blobPath(dir, digest);
    const { onProgress, known } = image;
    await fetchBlobs(t, repository, blobs, { pathOf, staging, concurrency, onProgress, known });
    for (const manifest of [...image.images, image.root]) {
      const path = pathOf(manifest.digest);
      if (!(existsSync(path) && readFileSync(path).equals(manifest.bytes)))
        writeStaged(staging, path, manifest.bytes);
    }
    const marker = join(dir, 'oci-layout');
    if (!existsSync(marker)) writeStaged(staging, marker, JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    writeStaged(staging, join(dir, 'index.json'), indexJson(dir, image.root, image.refName));
    staging.commit();
  } catch (error) {
    staging.abort();
    throw error;
  }
}

/** Writes the file that belongs at `path` into the staging folder, to be moved there at the end. */
function writeStaged(staging: Staging, path: string, data: Buffer | string): void {
  const staged = staging.stage(path);
  mkdirSync(dirname(staged), { recursive: true });
  writeFileSync(staged, data);
}

interface FetchOptions {
  /** Where a blob belongs in the layout. */
  pathOf: (digest: string) => string;
  staging: Staging;
  concurrency: number;
  onProgress?: (progress: CopyProgress) => void;
  known?: (digest: string) => Buffer | undefined;
}

/**
 * Every blob the layout does not hold yet (a file there counts only when its size and digest check out),
 * downloaded verified into the staging folder, `concurrency` at once.
 */
async function fetchBlobs(
  t: Transport,
  repository: string,
  blobs: Descriptor[],
  { pathOf, staging, concurrency, onProgress, known }: FetchOptions,
): Promise<void> {
  const limit = createLimiter(concurrency);
  const progress: CopyProgress = { blobsDone: 0, blobsTotal: blobs.length, bytesDone: 0 };
  const report = () => onProgress?.({ ...progress });
  const download = async (blob: Descriptor) => {
    const path = pathOf(blob.digest);
    const bytes = known?.(blob.digest);
    if (!(await hasBlob(path, blob))) {
      if (bytes?.length === blob.size) writeStaged(staging, path, bytes);
      else {
        let sent = 0;
        // A download cut short is started again (a corrupt one is not: DigestMismatchError is final).
        await retrying(`download blob ${repository}@${blob.digest}`, t.retryPolicy, t.log, () => {
          progress.bytesDone -= sent;
          sent = 0;
          return blobToFile(t, repository, blob, staging.stage(path), (delta) => {
            sent += delta;
            progress.bytesDone += delta;
            report();
          });
        });
      }
    }
    progress.blobsDone++;
    report();
  };
  await allOrFirstError(blobs.map((blob) => limit(() => download(blob))));
}

/** index.json's bytes with an entry for `root` named `refName`, replacing any earlier entry of that name. */
function indexJson(dir: string, root: Manifest, refName: string): string {
  const indexPath = join(dir, 'index.json');
  const index: { manifests?: Descriptor[] } = existsSync(indexPath)
    ? (JSON.parse(readFileSync(indexPath, 'utf8')) as { manifests?: Descriptor[] })
    : {};
  const refKey = 'org.opencontainers.image.ref.name';
  const others = (index.manifests ?? []).filter((d) => d.annotations?.[refKey] !== refName);
  const entry: Descriptor = {
    mediaType: root.mediaType,
    digest: root.digest,
    size: root.bytes.length,
    annotations: { [refKey]: refName },
  };
  return JSON.stringify({
    ...index,
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [...others, entry],
  });
}
