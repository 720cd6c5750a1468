/**
 * A multi-platform index made from single-platform images, deterministically: the same images give the same
 * bytes whatever order they are listed in (sorted by platform, keys in a fixed order, no whitespace, no
 * timestamps). Pure: no request is made here; the caller reads the images and their configs first.
 */
import { sha256 } from './digest.js';
import { MAX_MANIFEST_BYTES, MediaType, parseManifest, type Manifest } from './manifests.js';
import { formatPlatform, variantOf, type Platform } from './platform.js';
import { printable } from './text.js';
import { MAX_ENTRIES } from './validate.js';

/** One image of the index: its manifest's media type, digest and size, and the platform its config names. */
export interface IndexChild {
  mediaType: string;
  digest: string;
  size: number;
  platform: Platform;
  /** Its config's labels: the first child's OCI labels become the index's annotations. */
  labels?: Record<string, string>;
  /** Where it was listed (a reference), for messages. */
  from?: string;
  /**
   * Attestation manifests of this image (buildx's provenance and SBOM: platform unknown/unknown, annotated with
   * the image's digest), kept beside it in the index as `docker buildx imagetools create` keeps them.
   */
  attestations?: { mediaType: string; digest: string; size: number }[];
}

/** A set of images that cannot make one index; the message says which and why, `fix` what to change. */
export class MergeError extends Error {
  readonly fix: string;

  constructor(message: string, fix: string) {
    super(message);
    this.name = 'MergeError';
    this.fix = fix;
  }
}

/** The labels carried to an OCI index's annotations (ghcr.io shows them for a multi-platform package). */
export const INDEX_LABELS = [
  'org.opencontainers.image.description',
  'org.opencontainers.image.licenses',
  'org.opencontainers.image.source',
] as const;

const IMAGE_TYPES: ReadonlySet<string> = new Set([MediaType.ociManifest, MediaType.dockerManifest]);

/** Whether a manifest media type is a single-platform image's (OCI or Docker schema 2). */
export function isImageManifestType(mediaType: string): boolean {
  return IMAGE_TYPES.has(mediaType);
}

/** A platform for messages: os/architecture[/variant], with the os.version when there is one. */
export function describePlatform(platform: Platform): string {
  const version = platform['os.version'];
  return version ? `${formatPlatform(platform)} (os.version ${version})` : formatPlatform(platform);
}

/** What makes two platforms one: os, architecture, variant (arm64 alone is arm64/v8) and os.version. */
function platformKey(platform: Platform): string {
  return [platform.os, platform.architecture, variantOf(platform) ?? '', platform['os.version'] ?? ''].join(
    '\n',
  );
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Children ordered by os, architecture, variant, os.version (code-point order, not the locale's). */
function compareChildren(a: IndexChild, b: IndexChild): number {
  const parts = (c: IndexChild) => [
    c.platform.os,
    c.platform.architecture,
    c.platform.variant ?? '',
    c.platform['os.version'] ?? '',
    c.digest,
  ];
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < x.length; i++) {
    const order = byText(x[i] ?? '', y[i] ?? '');
    if (order !== 0) return order;
  }
  return 0;
}

/** A child's platform as the config named it, or a MergeError when it names none. */
export function requirePlatform(platform: Platform | undefined, what: string): Platform {
  if (platform) return platform;
  throw new MergeError(
    `${what}: its config names no os and architecture, so it has no platform in an index.`,
    'rebuild the image with a builder that records its platform (docker, buildx and buildah do), or leave it out.',
  );
}

/** A child for messages: where it was listed, with its digest unless that already names it. */
const name = (child: IndexChild): string => {
  if (!child.from) return child.digest;
  const from = printable(child.from, 300);
  return child.from.includes(child.digest) ? from : `${from} (${child.digest})`;
};

/** The children once each (one digest listed twice is one image), checked: images only, one per platform. */
function checkedChildren(children: IndexChild[]): IndexChild[] {
  const unique = [...new Map(children.map((child) => [child.digest, child])).values()];
  if (unique.length === 0)
    throw new MergeError('There is no image to merge.', 'list one image per platform, one a line.');
  if (unique.length > MAX_ENTRIES)
    throw new MergeError(
      `${unique.length} images were listed; an index holds at most ${MAX_ENTRIES}.`,
      'list fewer images.',
    );
  const seen = new Map<string, IndexChild>();
  for (const child of unique) {
    if (!isImageManifestType(child.mediaType)) {
      throw new MergeError(
        `${name(child)} is of media type ${printable(child.mediaType, 120)}, not a single-platform image.`,
        'list images (OCI image manifests or Docker schema 2 manifests), or indexes of them.',
      );
    }
    const key = platformKey(child.platform);
    const other = seen.get(key);
    if (other) {
      throw new MergeError(
        `Two images are for ${describePlatform(child.platform)}: ${name(other)} and ${name(child)}.`,
        'list one image per platform: drop one of them, or build each for its own platform.',
      );
    }
    seen.set(key, child);
  }
  return unique.sort(compareChildren);
}

/**
 * A child's descriptor with its keys in a fixed order (mediaType, digest, size, platform {architecture, os, ...}),
 * then its attestations' (by digest), each naming the child as buildx does.
 */
function descriptors(child: IndexChild): Record<string, unknown>[] {
  const { os, architecture, variant } = child.platform;
  const platform: Record<string, string> = { architecture, os };
  if (variant) platform.variant = variant;
  if (child.platform['os.version']) platform['os.version'] = child.platform['os.version'];
  const attestations = [...new Map((child.attestations ?? []).map((a) => [a.digest, a])).values()]
    .sort((a, b) => byText(a.digest, b.digest))
    .map(({ mediaType, digest, size }) => ({
      mediaType,
      digest,
      size,
      annotations: {
        'vnd.docker.reference.digest': child.digest,
        'vnd.docker.reference.type': 'attestation-manifest',
      },
      platform: { architecture: 'unknown', os: 'unknown' },
    }));
  return [{ mediaType: child.mediaType, digest: child.digest, size: child.size, platform }, ...attestations];
}

/** The OCI labels of `labels` (in INDEX_LABELS order), or undefined when it has none of them. */
function annotationsOf(labels: Record<string, string> = {}): Record<string, string> | undefined {
  const found = INDEX_LABELS.filter((label) => typeof labels[label] === 'string');
  return found.length
    ? Object.fromEntries(found.map((label) => [label, labels[label] as string]))
    : undefined;
}

/**
 * The index of `children` (and their attestations): a Docker manifest list when every child is a Docker schema 2
 * manifest with no attestation, else an OCI
 * image index whose annotations carry the first child's (in platform order) OCI labels, when it has any. The
 * same children in any order give the same bytes. Throws a MergeError for an empty list, a child that is not an
 * image, or two children for one platform.
 */
export function buildIndex(children: IndexChild[]): Manifest {
  const sorted = checkedChildren(children);
  // A Docker list holds Docker images only: attestations (OCI manifests) make it an OCI index.
  const docker = sorted.every((c) => c.mediaType === MediaType.dockerManifest && !c.attestations?.length);
  const mediaType = docker ? MediaType.dockerList : MediaType.ociIndex;
  const annotations = docker ? undefined : annotationsOf(sorted[0]?.labels);
  const body = {
    schemaVersion: 2,
    mediaType,
    manifests: sorted.flatMap(descriptors),
    ...(annotations ? { annotations } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  if (bytes.length > MAX_MANIFEST_BYTES)
    throw new MergeError(
      `The index would be ${bytes.length} bytes, over the ${MAX_MANIFEST_BYTES} a manifest may have.`,
      'list fewer images, or shorten their labels.',
    );
  return parseManifest(bytes, mediaType, 'the merged index', [sha256(bytes)]);
}
