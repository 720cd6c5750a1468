/**
 * Checks shared by both shapes of a `docker save` archive (manifest.json only, and the OCI layout docker 25 and
 * later write too): small files read whole, the config's diff_ids, and each layer's content against them.
 */
import { readFileSync } from 'node:fs';
import { archiveFile, SMALL_FILE_BYTES, type ArchiveFile, type ReadArchive } from './archive-read.js';
import { printable } from './text.js';
import { isDigest } from './validate.js';

export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const OCI_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';

export const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

/** The bytes of a small file (manifest.json, a config, a manifest) held on disk as it is. */
export function fileBytes(file: ArchiveFile, name: string): Buffer {
  if (!file.raw)
    throw new Error(`docker archive: '${printable(name, 120)}' is over ${SMALL_FILE_BYTES} bytes`);
  return readFileSync(file.raw);
}

/** The bytes of a small file of the archive, by name. */
export const smallFile = (archive: ReadArchive, name: string): Buffer =>
  fileBytes(archiveFile(archive, name), name);

/** The config's rootfs.diff_ids, each a digest. */
export function diffIds(config: Buffer): string[] {
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
 * Refuses a layer whose uncompressed sha256 is not the config's diff_id at its position (`i`, from 0). A zstd
 * layer on a Node without a zstd decompressor cannot be checked: it is refused too (an unchecked layer that
 * does not match makes an image every pull rejects, after the upload), naming the ways out.
 */
export function checkDiffId(file: ArchiveFile, expected: string | undefined, i: number, name: string): void {
  const where = `docker archive: layer ${i + 1} ('${printable(name, 120)}')`;
  if (file.diffId === undefined)
    throw new Error(
      `${where} is zstd-compressed and this Node (${process.version}) has no zstd decompressor to check it against the config's diff_id: run on Node 22.15 or later (the action runs on Node 24), or save the image with gzip layers`,
    );
  if (file.diffId !== expected) {
    const hint = file.compression === 'none' ? '' : ` (after ${file.compression} decompression)`;
    throw new Error(
      `${where} has sha256 ${file.diffId}${hint}, the config's diff_id is ${expected ?? 'missing'}`,
    );
  }
}
