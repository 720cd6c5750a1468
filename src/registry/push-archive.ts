/**
 * Pushing the image of a `docker save` archive by digest. Three shapes are read (all in one streaming pass,
 * archive-read.ts): docker 20.10's manifest.json with uncompressed <id>/layer.tar files; docker 25 and later's,
 * which is an OCI image layout too (oci-layout, index.json, blobs/sha256/<hex>), pushed from the layout
 * (archive-layout.ts) whether its layers are uncompressed (the classic store) or compressed (the containerd
 * store); and a manifest.json whose layers are compressed already (gzip or zstd, as pull writes them). The
 * config blob goes as it is (its digest is the image ID, so a pull gives the same image); uncompressed layers
 * are gzip-compressed; every layer is checked against the config's rootfs.diff_ids before anything is sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileSource } from './blobs.js';
import type { RegistryClient } from './client.js';
import { sha256 } from './digest.js';
import { archiveFile, readArchive, type ArchiveFile, type ReadArchive } from './archive-read.js';
import {
  checkDiffId,
  diffIds,
  DOCKER_CONFIG,
  DOCKER_LAYER,
  fileBytes,
  isStrings,
  OCI_CONFIG,
  OCI_LAYER_GZIP,
  OCI_LAYER_ZSTD,
  smallFile,
} from './archive-check.js';
import { isLayoutArchive, planFromLayout } from './archive-layout.js';
import { MediaType, parseManifest, type Descriptor, type Manifest } from './manifests.js';
import { pushPlan, type PushOptions, type PushPlan, type PushResult } from './push.js';
import type { Reference } from './reference.js';
import type { TarLimits } from './tar.js';
import { printable } from './text.js';
import { MAX_ENTRIES } from './validate.js';

export { DOCKER_CONFIG, DOCKER_LAYER } from './archive-check.js';

export interface PushArchiveOptions extends PushOptions {
  /** A folder to unpack into (a temporary folder is made inside it and removed at the end). */
  workDir: string;
  /** The image to push when the archive holds several: one of its RepoTags (e.g. 'app:1.0'). */
  repoTag?: string;
  /**
   * The platform (os/arch[/variant]) to push when the archive's OCI layout holds an index of several platforms
   * (docker's containerd image store): its image alone is pushed.
   */
  platform?: string;
  limits?: Partial<TarLimits>;
}

interface SavedImage {
  Config: string;
  Layers: string[];
  RepoTags?: string[] | null;
}

/** manifest.json's entry for the image: the one with `repoTag`, or the only one. */
export function savedImage(archive: ReadArchive, repoTag?: string): SavedImage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(smallFile(archive, 'manifest.json').toString('utf8'));
  } catch (error) {
    throw error instanceof SyntaxError ? new Error('docker archive: manifest.json is not JSON') : error;
  }
  const images = (Array.isArray(parsed) ? parsed : []) as Partial<SavedImage>[];
  const valid = images.every(
    (i) =>
      typeof i?.Config === 'string' &&
      isStrings(i.Layers) &&
      i.Layers.length <= MAX_ENTRIES &&
      (i.RepoTags == null || isStrings(i.RepoTags)),
  );
  if (!valid || images.length === 0)
    throw new Error('docker archive: manifest.json is not a list of images (Config, Layers)');
  const chosen = repoTag === undefined ? images : images.filter((i) => i.RepoTags?.includes(repoTag));
  if (chosen.length !== 1 || !chosen[0])
    throw new Error(
      `docker archive: manifest.json lists ${images.length} images, ${chosen.length} of them ${repoTag === undefined ? 'in all' : `tagged '${printable(repoTag, 80)}'`}; name exactly one (repo tag)`,
    );
  return chosen[0] as SavedImage;
}

/** A layer file as it is sent: compressed as it is, or its gzip form; the media type for `oci` or Docker. */
function layerBlob(file: ArchiveFile, name: string, oci: boolean): { descriptor: Descriptor; path: string } {
  if (file.compression === 'none') {
    if (!file.gzip) throw new Error(`docker archive: layer '${printable(name, 120)}' is no layer file`);
    const { digest, size, path } = file.gzip;
    return { descriptor: { mediaType: oci ? OCI_LAYER_GZIP : DOCKER_LAYER, digest, size }, path };
  }
  const gzip = oci ? OCI_LAYER_GZIP : DOCKER_LAYER;
  const mediaType = file.compression === 'zstd' ? OCI_LAYER_ZSTD : gzip;
  return { descriptor: { mediaType, digest: file.digest, size: file.size }, path: file.raw ?? '' };
}

/**
 * The manifest of an image of manifest.json, and where its blobs are. Each layer's uncompressed sha256 must
 * equal the config's diff_id at its position: anything else is refused. A Docker schema 2 manifest, or an OCI
 * one when a layer is zstd (Docker's media types have no zstd); the config as it is either way.
 */
export function planFromArchive(archive: ReadArchive, repoTag?: string): PushPlan {
  const saved = savedImage(archive, repoTag);
  const configFile = archiveFile(archive, saved.Config);
  const config = fileBytes(configFile, saved.Config);
  const ids = diffIds(config);
  if (ids.length !== saved.Layers.length)
    throw new Error(
      `docker archive: the config names ${ids.length} layers (diff_ids), manifest.json ${saved.Layers.length}`,
    );
  const files = saved.Layers.map((name) => archiveFile(archive, name));
  files.forEach((file, i) => checkDiffId(file, ids[i], i, saved.Layers[i] ?? ''));
  const oci = files.some((file) => file.compression === 'zstd');
  const paths = new Map<string, string>([[sha256(config), configFile.raw ?? '']]);
  const layers = files.map((file, i) => {
    const { descriptor, path } = layerBlob(file, saved.Layers[i] ?? '', oci);
    paths.set(descriptor.digest, path);
    return descriptor;
  });
  const mediaType = oci ? MediaType.ociManifest : MediaType.dockerManifest;
  const image = {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: oci ? OCI_CONFIG : DOCKER_CONFIG, digest: sha256(config), size: config.length },
    layers,
  };
  const bytes = Buffer.from(JSON.stringify(image, null, 3));
  const manifest: Manifest = parseManifest(bytes, mediaType, 'docker archive manifest');
  return { manifests: [manifest], source: (blob) => fileSource(paths.get(blob.digest) ?? '') };
}

/**
 * Pushes the image of a `docker save` archive to `repo`'s repository by digest (no tag). The archive is read
 * once into a temporary folder inside `options.workDir` (uncompressed layers compressed), removed at the end.
 */
export async function pushDockerArchive(
  client: RegistryClient,
  repo: Reference,
  file: string,
  options: PushArchiveOptions,
): Promise<PushResult> {
  const dir = mkdtempSync(join(options.workDir, 'docker-archive-'));
  try {
    const archive = await readArchive(file, dir, options.limits);
    const plan = isLayoutArchive(archive)
      ? planFromLayout(archive, { ...options, log: (line) => client.logger.info(line) })
      : planFromArchive(archive, options.repoTag);
    return await pushPlan(client, repo, plan, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
