/** Manifest media types, their shapes, and parsing with digest checks and strict validation. */
import { digestLike } from './digest.js';
import { DigestMismatchError } from './errors.js';
import type { Platform } from './platform.js';
import { isMediaType, printable } from './text.js';
import { checkImage, checkIndex } from './validate.js';

/** The largest manifest read or accepted (containers/image and go-containerregistry cap them at 4 MiB too). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

/** Sent in Accept on every manifest request. */
export const MANIFEST_ACCEPT = [
  MediaType.ociManifest,
  MediaType.ociIndex,
  MediaType.dockerManifest,
  MediaType.dockerList,
].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface IndexManifest {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/** A manifest as stored: its exact bytes (never re-serialised), their digest, and the parsed content. */
export type Manifest = { digest: string; mediaType: string; bytes: Buffer } & (
  { kind: 'image'; image: ImageManifest } | { kind: 'index'; index: IndexManifest }
);

export function isIndexType(mediaType: string): boolean {
  return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerList;
}

/**
 * Non-distributable ("foreign") layers are never fetched or uploaded. Decided by media type alone, as the OCI
 * image spec does (Docker's foreign layer type, OCI's `layer.nondistributable.*`): `urls` on an ordinary layer
 * only name more places to fetch it from, and the layer is copied like any other.
 */
export function isForeignLayer(layer: Descriptor): boolean {
  return (
    layer.mediaType === MediaType.dockerForeignLayer ||
    layer.mediaType.startsWith('application/vnd.oci.image.layer.nondistributable.')
  );
}

/**
 * Parses manifest bytes. The digest is computed here; when `expected` names one (a by-digest fetch, or the
 * registry's Docker-Content-Digest), the bytes must hash to it.
 */
export function parseManifest(
  bytes: Buffer,
  contentType: string | null,
  what: string,
  expected: (string | null | undefined)[] = [],
): Manifest {
  const firstExpected = expected.find((d): d is string => !!d);
  const digest = digestLike(firstExpected ?? 'sha256:', bytes);
  for (const want of expected) {
    if (want && want !== digestLike(want, bytes))
      throw new DigestMismatchError(what, want, digestLike(want, bytes));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${what}: the manifest is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(
      `${what}: unsupported manifest (not a JSON object); expected an image manifest or an index`,
    );
  }
  const body = parsed as { mediaType?: unknown; manifests?: unknown; config?: unknown; layers?: unknown };
  if (body.mediaType !== undefined && !isMediaType(body.mediaType)) {
    throw new Error(`${what}: invalid manifest: its mediaType is not a media type`);
  }
  const header = contentType?.split(';')[0]?.trim();
  const mediaType =
    body.mediaType ??
    (isMediaType(header) && header !== 'application/json' ? header : undefined) ??
    (Array.isArray(body.manifests) ? MediaType.ociIndex : MediaType.ociManifest);
  if (Array.isArray(body.manifests))
    return { digest, mediaType, bytes, kind: 'index', index: checkIndex(parsed, what) };
  if (body.config && Array.isArray(body.layers)) {
    return { digest, mediaType, bytes, kind: 'image', image: checkImage(parsed, what) };
  }
  throw new Error(
    `${what}: unsupported manifest (media type ${printable(mediaType, 120)}); expected an image manifest or an index`,
  );
}
