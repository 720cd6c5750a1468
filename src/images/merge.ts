/**
 * merge's registry work: read every listed image (and the images of every listed index) with its config, make
 * the index, then write: children from other repositories copied in (blobs mounted, manifests by digest), the
 * index by digest, read back, and the tags last, each read back. Nothing is written before everything is read.
 */
import * as core from '@actions/core';
import { ActionError } from '../errors.js';
import type { MergeSource } from '../inputs/merge.js';
import {
  MergeError,
  buildIndex,
  copyImage,
  describePlatform,
  formatReference,
  imageConfig,
  isImageManifestType,
  isDigest,
  isIndexType,
  printable,
  repositoryOf,
  requirePlatform,
  withDigest,
  type CopyResult,
  type Descriptor,
  type IndexChild,
  type Manifest,
  type Reference,
  type RegistryClient,
} from '../registry/index.js';
import { readManifest } from './read.js';
import { putTags, verifyTags } from './tags.js';

/** A child of the index, as read: where it lives and its manifest. */
export interface MergeChild extends IndexChild {
  /** Its repository (no tag, no digest). */
  repository: Reference;
  manifest: Manifest;
}

/** The library's refusal as the action's error (same message, same fix). */
function asActionError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof MergeError) throw new ActionError(error.message, error.fix, { cause: error });
    throw error;
  }
}

/**
 * Attestations (buildx's provenance and SBOM) sit in an index as manifests for platform unknown/unknown, marked
 * `vnd.docker.reference.type: attestation-manifest`, each naming an image of the index by digest
 * (`vnd.docker.reference.digest`). They are not images (their config names no platform): one that names an image
 * of its index is kept beside that image in the merged index; any other is left out, with a line in the log.
 */
function isAttestation(entry: Descriptor): boolean {
  const unknown = entry.platform?.os === 'unknown' && entry.platform.architecture === 'unknown';
  return unknown || entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';
}

/** The image an attestation names, when it is a well-formed digest and the attestation an image manifest. */
function attestedDigest(entry: Descriptor): string | undefined {
  const named = entry.annotations?.['vnd.docker.reference.digest'];
  return isImageManifestType(entry.mediaType) && isDigest(named) ? named : undefined;
}

/** An image manifest as a child: its media type checked, its platform and labels from its config. */
async function childOf(
  client: RegistryClient,
  repository: Reference,
  manifest: Manifest,
  from: string,
): Promise<MergeChild> {
  const at = `${repositoryOf(repository)}@${manifest.digest}`;
  const what = from.endsWith(at) ? `'${from}'` : `'${from}' (${at})`;
  if (manifest.kind !== 'image' || !isImageManifestType(manifest.mediaType)) {
    throw new ActionError(
      `${what} is of media type ${printable(manifest.mediaType, 120)}, not a single-platform image.`,
      "list images (OCI image manifests or Docker schema 2 manifests) or one level of index of them in 'source'.",
    );
  }
  const config = await imageConfig(client, repository, manifest.image);
  if (!config) {
    throw new ActionError(
      `${what} has a config of media type ${printable(manifest.image.config.mediaType, 120)}: it is not a container image.`,
      "list container images only in 'source'.",
    );
  }
  const platform = asActionError(() => requirePlatform(config.platform, what));
  core.info(`${printable(from, 300)}: ${describePlatform(platform)}, ${manifest.digest}`);
  const { mediaType, digest, bytes } = manifest;
  return {
    mediaType,
    digest,
    size: bytes.length,
    platform,
    labels: config.labels,
    from,
    repository,
    manifest,
  };
}

/** The images of a listed index (attestations left out), each read by digest with its config. */
async function childrenOfIndex(
  client: RegistryClient,
  repository: Reference,
  index: Manifest & { kind: 'index' },
  line: string,
): Promise<MergeChild[]> {
  const children: MergeChild[] = [];
  const attestations = index.index.manifests.filter(isAttestation);
  for (const entry of index.index.manifests) {
    const from = `${line} -> ${entry.digest}`;
    if (isAttestation(entry)) continue;
    if (isIndexType(entry.mediaType)) {
      throw new ActionError(
        `'${line}' (${repositoryOf(repository)}@${index.digest}) holds another index, ${entry.digest}.`,
        "list the images of the inner index in 'source' (one level of index is read).",
      );
    } else {
      const manifest = await client.getManifest(withDigest(repository, entry.digest));
      children.push(await childOf(client, repository, manifest, from));
    }
  }
  for (const entry of attestations) {
    const child = children.find((c) => c.digest === attestedDigest(entry));
    const from = printable(`${line} -> ${entry.digest}`, 300);
    if (!child) {
      core.info(`${from}: an attestation of no image listed here; left out of the index.`);
      continue;
    }
    core.info(`${from}: an attestation of ${child.digest}; kept beside it.`);
    const { mediaType, digest, size } = entry;
    child.attestations = [...(child.attestations ?? []), { mediaType, digest, size }];
  }
  return children;
}

/** Every child the sources name, read and checked (manifests and configs verified by the client). */
export async function readChildren(client: RegistryClient, sources: MergeSource[]): Promise<MergeChild[]> {
  const children: MergeChild[] = [];
  for (const { ref, line } of sources) {
    const root = await readManifest(client, ref, 'source');
    const repository = { ...ref, tag: undefined, digest: undefined };
    if (root.kind === 'index') {
      core.info(`${printable(line, 300)} is an index (${root.digest}): its images are merged.`);
      children.push(...(await childrenOfIndex(client, repository, root, line)));
    } else {
      children.push(await childOf(client, repository, root, line));
    }
  }
  return children;
}

/** The index of the children (MergeError as ActionError): deterministic, refusing two images for one platform. */
export function mergedIndex(children: MergeChild[]): Manifest {
  return asActionError(() => buildIndex(children));
}

export interface Written {
  /** The children copied in from other repositories, with how their blobs got there. */
  copied: { child: MergeChild; result: CopyResult }[];
}

/**
 * Writes the index to `image`'s repository: children of other repositories first (registry-side copies), then
 * the index by digest, read back, then each tag, read back: every tag must resolve to the index.
 */
export async function writeIndex(
  client: RegistryClient,
  image: Reference,
  children: MergeChild[],
  index: Manifest,
  tags: string[],
): Promise<Written> {
  const copied: Written['copied'] = [];
  const done = new Set<string>();
  for (const child of children) {
    if (child.repository.repository === image.repository || done.has(child.digest)) continue;
    done.add(child.digest);
    const source = withDigest(child.repository, child.digest);
    const result = await copyImage(client, source, image, { tags: [], root: child.manifest });
    for (const attestation of child.attestations ?? [])
      await copyImage(client, withDigest(child.repository, attestation.digest), image, { tags: [] });
    const { blobs } = result;
    core.info(
      `Copied ${formatReference(source)} in${child.attestations?.length ? ', with its attestations' : ''}: ${blobs.mounted} blobs mounted, ${blobs.uploaded} uploaded, ${blobs.exists} already there.`,
    );
    copied.push({ child, result });
  }
  await client.putManifest(withDigest(image, index.digest), index);
  await client.getManifest(withDigest(image, index.digest));
  core.info(`Put the index ${index.digest} (${index.mediaType}) by digest and read it back.`);
  await putTags(client, image, index, tags);
  await verifyTags(client, image, tags, index.digest, 'merged');
  if (tags.length) core.info(`Verified: all ${tags.length} tags resolve to ${index.digest}.`);
  return { copied };
}
