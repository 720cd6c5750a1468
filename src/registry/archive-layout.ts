/**
 * The OCI image layout inside a `docker save` archive of docker 25 and later (oci-layout, index.json,
 * blobs/sha256/<hex>), pushed through push-layout.ts's reading of layouts. Blob names never become paths: a
 * blob is looked up by its digest (checked as a digest first) among the entries read, and its bytes must hash
 * to its name. With the classic store the layers are uncompressed tars: they go gzip-compressed (the manifest
 * rewritten with the gzip media type, the config as it is); with the containerd store they are the image's own
 * compressed layers and go as they are. Every layer is checked against its config's diff_ids.
 */
import { SMALL_FILE_BYTES, type ArchiveFile, type ReadArchive } from './archive-read.js';
import { checkDiffId, diffIds, DOCKER_LAYER, fileBytes, OCI_LAYER_GZIP, smallFile } from './archive-check.js';
import { fileSource } from './blobs.js';
import { algorithmOf, hexOf } from './digest.js';
import { parseManifest, type Descriptor, type Manifest } from './manifests.js';
import { parsePlatform } from './platform.js';
import type { PushPlan } from './push.js';
import { chooseEntry, readManifest, REF_NAME, type LayoutFiles } from './push-layout.js';
import { selectImages } from './archive-select.js';
import { printable } from './text.js';
import { isDigest } from './validate.js';

const WHAT = 'docker archive (OCI layout)';

/** Uncompressed layer media types, and the gzip type each becomes. */
const GZIP_TYPE: Record<string, string> = {
  'application/vnd.oci.image.layer.v1.tar': OCI_LAYER_GZIP,
  'application/vnd.docker.image.rootfs.diff.tar': DOCKER_LAYER,
};

export interface LayoutArchiveOptions {
  /** The index.json entry, by image name ('app:1.0', as docker names it) or ref name. */
  repoTag?: string;
  /** os/arch[/variant]: the image of an index to push alone. */
  platform?: string;
  /** Says which image of an index is pushed when not all of it is in the archive. */
  log: (line: string) => void;
}

/** Whether the archive is an OCI image layout too (docker save of docker 25 and later). */
export const isLayoutArchive = (archive: ReadArchive): boolean =>
  archive.files.has('oci-layout') && archive.files.has('index.json');

/** The archive's file for a blob, checked against its digest; undefined when the archive has none. */
function blobFile(archive: ReadArchive, digest: string): ArchiveFile | undefined {
  if (!isDigest(digest)) throw new Error(`${WHAT}: '${printable(digest, 80)}' is not a digest`);
  if (algorithmOf(digest) !== 'sha256') throw new Error(`${WHAT}: ${digest}: only sha256 blobs are read`);
  const file = archive.files.get(`blobs/sha256/${hexOf(digest)}`);
  if (file && file.digest !== digest)
    throw new Error(
      `${WHAT}: blobs/sha256/${hexOf(digest)} hashes to ${file.digest}: the archive is corrupt`,
    );
  return file;
}

/** The archive's files as a layout's. */
function archiveFiles(archive: ReadArchive): LayoutFiles {
  const file = (digest: string): ArchiveFile => {
    const found = blobFile(archive, digest);
    if (!found) throw new Error(`${WHAT}: blob ${digest} is missing`);
    return found;
  };
  return {
    what: WHAT,
    indexJson: () => smallFile(archive, 'index.json'),
    blobSize: (digest) => blobFile(archive, digest)?.size,
    readBlob: (digest) => fileBytes(file(digest), `blobs/sha256/${hexOf(digest)}`),
    source: (digest) => fileSource(file(digest).raw ?? ''),
  };
}

/** The names an index.json entry answers to: docker's image name (short and full), and the ref name. */
function namesOf(d: Descriptor): string[] {
  const full = d.annotations?.['io.containerd.image.name'];
  const ref = d.annotations?.[REF_NAME];
  const short = full?.replace(/^docker\.io\/(?:library\/)?/, '');
  return [short, full, ref].filter((n): n is string => n !== undefined);
}

/** Each image's layers against its config's diff_ids (foreign layers are not in the archive: not checked). */
function checkImages(archive: ReadArchive, files: LayoutFiles, manifests: Manifest[]): void {
  for (const manifest of manifests) {
    if (manifest.kind !== 'image') continue;
    const { config, layers } = manifest.image;
    const ids = diffIds(files.readBlob(config.digest, SMALL_FILE_BYTES));
    if (ids.length !== layers.length)
      throw new Error(
        `${WHAT}: the config ${config.digest} names ${ids.length} layers (diff_ids), its manifest ${layers.length}`,
      );
    layers.forEach((layer, i) => {
      const file = blobFile(archive, layer.digest);
      if (file) checkDiffId(file, ids[i], i, `blobs/sha256/${hexOf(layer.digest)}`);
    });
  }
}

/** A layer as it is sent: uncompressed ones as their gzip form; compressed ones as they are, if their type says so. */
function sentLayer(archive: ReadArchive, layer: Descriptor): { layer: Descriptor; path?: string } {
  const file = blobFile(archive, layer.digest);
  if (!file) return { layer }; // a foreign layer: not sent
  const gzipType = GZIP_TYPE[layer.mediaType];
  const said = gzipType
    ? 'none'
    : /gzip$/.test(layer.mediaType)
      ? 'gzip'
      : /zstd$/.test(layer.mediaType)
        ? 'zstd'
        : undefined;
  if (said !== undefined && said !== file.compression)
    throw new Error(
      `${WHAT}: layer ${layer.digest} is ${file.compression === 'none' ? 'uncompressed' : `${file.compression} data`}, its media type ${printable(layer.mediaType, 80)} says otherwise`,
    );
  if (gzipType && file.gzip)
    return {
      layer: { ...layer, mediaType: gzipType, digest: file.gzip.digest, size: file.gzip.size },
      path: file.gzip.path,
    };
  return { layer, path: file.raw ?? '' };
}

/**
 * The manifests as they are sent, in the same order: images whose layers were compressed here get new bytes
 * (and so a new digest), and an index naming such an image gets new bytes too. Fills `paths` (blob -> file).
 */
function compressLayers(archive: ReadArchive, manifests: Manifest[], paths: Map<string, string>): Manifest[] {
  const renamed = new Map<string, Manifest>();
  return manifests.map((manifest) => {
    let content: object;
    if (manifest.kind === 'image') {
      const sent = manifest.image.layers.map((layer) => sentLayer(archive, layer));
      for (const { layer, path } of sent) if (path !== undefined) paths.set(layer.digest, path);
      const config = blobFile(archive, manifest.image.config.digest);
      paths.set(manifest.image.config.digest, config?.raw ?? '');
      if (sent.every(({ layer }, i) => layer === manifest.image.layers[i])) return manifest;
      content = { ...manifest.image, layers: sent.map(({ layer }) => layer) };
    } else {
      const children = manifest.index.manifests.map((d) => {
        const now = renamed.get(d.digest);
        return now ? { ...d, digest: now.digest, size: now.bytes.length } : d;
      });
      if (children.every((d, i) => d === manifest.index.manifests[i])) return manifest;
      content = { ...manifest.index, manifests: children };
    }
    const bytes = Buffer.from(JSON.stringify(content));
    const changed = parseManifest(
      bytes,
      manifest.mediaType,
      `${WHAT}: manifest ${manifest.digest} recompressed`,
    );
    renamed.set(manifest.digest, changed);
    return changed;
  });
}

/**
 * What to push from the archive's OCI layout: the index.json entry (by `repoTag` when given), or of an index
 * the part whose content is in the archive (archive-select.ts); every blob present and of its size, every layer
 * checked against the diff_ids, uncompressed layers compressed.
 */
export function planFromLayout(archive: ReadArchive, options: LayoutArchiveOptions): PushPlan {
  const files = archiveFiles(archive);
  const root = readManifest(files, chooseEntry(files, options.repoTag, namesOf));
  const wanted = options.platform === undefined ? undefined : parsePlatform(options.platform);
  const manifests = selectImages(files, root, wanted, options.log);
  checkImages(archive, files, manifests);
  const paths = new Map<string, string>();
  const sent = compressLayers(archive, manifests, paths);
  return { manifests: sent, source: (blob) => fileSource(paths.get(blob.digest) ?? '') };
}
