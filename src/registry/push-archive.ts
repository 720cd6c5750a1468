/**
 * Pushing the image of a `docker save` archive by digest, as a Docker schema 2 manifest: the config blob as it
 * is (its digest is the image ID, so a pull gives the same image), each layer gzip-compressed (archive-read.ts)
 * and checked against the config's rootfs.diff_ids, in order, before anything is sent.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileSource } from './blobs.js';
import type { RegistryClient } from './client.js';
import { sha256 } from './digest.js';
import { archiveFile, readArchive, SMALL_FILE_BYTES, type ReadArchive } from './archive-read.js';
import { MediaType, parseManifest, type Descriptor, type Manifest } from './manifests.js';
import { pushPlan, type PushOptions, type PushPlan, type PushResult } from './push.js';
import type { Reference } from './reference.js';
import type { TarLimits } from './tar.js';
import { printable } from './text.js';
import { isDigest, MAX_ENTRIES } from './validate.js';

export interface PushArchiveOptions extends PushOptions {
  /** A folder to unpack into (a temporary folder is made inside it and removed at the end). */
  workDir: string;
  /** The image to push when the archive holds several: one of its RepoTags (e.g. 'app:1.0'). */
  repoTag?: string;
  limits?: Partial<TarLimits>;
}

export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

interface SavedImage {
  Config: string;
  Layers: string[];
  RepoTags?: string[] | null;
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

/** The bytes of a small file of the archive (manifest.json, a config). */
function smallFile(archive: ReadArchive, name: string): Buffer {
  const file = archiveFile(archive, name);
  if (!file.raw)
    throw new Error(`docker archive: '${printable(name, 120)}' is over ${SMALL_FILE_BYTES} bytes`);
  return readFileSync(file.raw);
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

/** The config's rootfs.diff_ids, each a digest. */
function diffIds(config: Buffer): string[] {
  let parsed: { rootfs?: { diff_ids?: unknown } };
  try {
    parsed = JSON.parse(config.toString('utf8')) as typeof parsed;
  } catch {
    throw new Error('docker archive: the image config is not JSON');
  }
  const ids = parsed?.rootfs?.diff_ids;
  if (!(isStrings(ids) && ids.every(isDigest)))
    throw new Error('docker archive: the image config has no rootfs.diff_ids list of digests');
  return ids;
}

/**
 * The Docker schema 2 manifest of a saved image, and where its blobs are. Each layer's uncompressed sha256 must
 * equal the config's diff_id at its position: anything else is refused.
 */
export function planFromArchive(archive: ReadArchive, repoTag?: string): PushPlan {
  const saved = savedImage(archive, repoTag);
  const configFile = archiveFile(archive, saved.Config);
  const config = smallFile(archive, saved.Config);
  const ids = diffIds(config);
  if (ids.length !== saved.Layers.length)
    throw new Error(
      `docker archive: the config names ${ids.length} layers (diff_ids), manifest.json ${saved.Layers.length}`,
    );
  const paths = new Map<string, string>([[sha256(config), configFile.raw ?? '']]);
  const layers: Descriptor[] = saved.Layers.map((name, i) => {
    const layer = archiveFile(archive, name).gzip;
    if (!layer) throw new Error(`docker archive: layer '${printable(name, 120)}' is no layer file`);
    if (layer.diffId !== ids[i]) {
      const hint = layer.wasGzip
        ? ' (it is compressed already: only uncompressed layer.tar files are read)'
        : '';
      throw new Error(
        `docker archive: layer ${i + 1} ('${printable(name, 120)}') has sha256 ${layer.diffId}, the config's diff_id is ${ids[i]}${hint}`,
      );
    }
    paths.set(layer.digest, layer.path);
    return { mediaType: DOCKER_LAYER, digest: layer.digest, size: layer.size };
  });
  const image = {
    schemaVersion: 2,
    mediaType: MediaType.dockerManifest,
    config: { mediaType: DOCKER_CONFIG, digest: sha256(config), size: config.length },
    layers,
  };
  const bytes = Buffer.from(JSON.stringify(image, null, 3));
  const manifest: Manifest = parseManifest(bytes, MediaType.dockerManifest, 'docker archive manifest');
  return { manifests: [manifest], source: (blob) => fileSource(paths.get(blob.digest) ?? '') };
}

/**
 * Pushes the image of a `docker save` archive to `repo`'s repository by digest (no tag). The archive is read
 * once into a temporary folder inside `options.workDir` (layers compressed), removed at the end.
 */
export async function pushDockerArchive(
  client: RegistryClient,
  repo: Reference,
  file: string,
  options: PushArchiveOptions,
): Promise<PushResult> {
  const dir = mkdtempSync(join(options.workDir, 'docker-archive-'));
  try {
    const plan = planFromArchive(await readArchive(file, dir, options.limits), options.repoTag);
    return await pushPlan(client, repo, plan, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
