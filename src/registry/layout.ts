/**
 * Writing pulled images to disk without a daemon: an OCI image layout folder (the docker archive: archive.ts).
 * Blobs stream from the registry through digest verification straight to disk; nothing is held whole in memory,
 * and a blob is moved into place only once its digest checked out.
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
import { createLimiter } from './limit.js';
import { retrying } from './retry.js';
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

/** Where a layout keeps a blob or manifest: blobs/<alg>/<hex>. */
/**
 * `dir/blobs/<algorithm>/<hex>`. The digest must be a digest, and the path must stay inside `dir`: a digest
 * from the network never names a file elsewhere.
 */
function blobPath(dir: string, digest: string): string {
  if (!isDigest(digest)) throw new Error(`'${printable(digest, 80)}' is not a digest; it names no file`);
  const path = resolve(dir, 'blobs', algorithmOf(digest), hexOf(digest));
  if (!path.startsWith(`${resolve(dir)}${sep}`))
    throw new Error(`${printable(digest, 80)} names a file outside ${dir}`);
  return path;
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

/** The distributable blobs (config and layers) of the image manifests, each once. */
function blobsOf(images: Manifest[]): Descriptor[] {
  const blobs = new Map<string, Descriptor>();
  for (const manifest of images) {
    if (manifest.kind !== 'image') continue;
    for (const blob of [manifest.image.config, ...manifest.image.layers])
      if (!isForeignLayer(blob)) blobs.set(blob.digest, blob);
  }
  return [...blobs.values()];
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
  const blobs = blobsOf(image.images);
  // Every path is checked before anything is written.
  const paths = new Map(
    [...blobs, ...image.images, image.root].map((b) => [b.digest, blobPath(dir, b.digest)]),
  );
  const pathOf = (digest: string): string => paths.get(digest) ?? blobPath(dir, digest);
  const progress: CopyProgress = { blobsDone: 0, blobsTotal: blobs.length, bytesDone: 0 };
  const report = () => image.onProgress?.({ ...progress });
  const download = async (blob: Descriptor) => {
    let sent = 0;
    // A download cut short is started again (a corrupt one is not: DigestMismatchError is final).
    await retrying(`download blob ${repository}@${blob.digest}`, t.retryPolicy, t.log, () => {
      progress.bytesDone -= sent;
      sent = 0;
      return blobToFile(t, repository, blob, pathOf(blob.digest), (delta) => {
        sent += delta;
        progress.bytesDone += delta;
        report();
      });
    });
    progress.blobsDone++;
    report();
  };
  await allOrFirstError(blobs.map((blob) => limit(() => download(blob))));
  for (const manifest of [...image.images, image.root]) {
    const path = pathOf(manifest.digest);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, manifest.bytes);
  }
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeIndex(dir, image.root, image.refName);
}

/** index.json with an entry for `root` named `refName`, replacing any earlier entry of that name. */
function writeIndex(dir: string, root: Manifest, refName: string): void {
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
