/**
 * Pushing the image (or index, children first) of an OCI image layout folder by digest (`buildah push <image>
 * oci:<dir>` writes one). Every digest is checked before it becomes a path, every manifest against its digest
 * as it is read, every blob file for presence and size before anything is sent and against its digest as it is
 * sent (push.ts): a broken layout is refused before any manifest is put.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileSource, type BlobSource } from './blobs.js';
import type { RegistryClient } from './client.js';
import { MAX_COPY, MAX_INDEX_DEPTH } from './copy.js';
import { blobPath, blobsOf } from './layout.js';
import { MAX_MANIFEST_BYTES, parseManifest, type Descriptor, type Manifest } from './manifests.js';
import { pushPlan, type PushOptions, type PushPlan, type PushResult } from './push.js';
import type { Reference } from './reference.js';
import { printable } from './text.js';
import { checkIndex } from './validate.js';

export interface PushLayoutOptions extends PushOptions {
  /** The index.json entry to push, by its `org.opencontainers.image.ref.name`; default: the only entry. */
  refName?: string;
}

export const REF_NAME = 'org.opencontainers.image.ref.name';

/** Where a layout's files are: a folder, or a docker archive read into a work folder (archive-layout.ts). */
export interface LayoutFiles {
  /** How messages name the layout. */
  what: string;
  /** index.json's bytes, refused when missing or over `max` bytes. */
  indexJson(max: number): Buffer;
  /** A blob's size, or undefined when the layout has no file for it (the digest is checked first). */
  blobSize(digest: string): number | undefined;
  /** A small blob's bytes (a manifest), refused when missing or over `max` bytes. */
  readBlob(digest: string, max: number): Buffer;
  /** Where a blob's bytes are read from when it is sent. */
  source(digest: string): BlobSource;
}

/** A file of the layout read whole, refused unread when missing, not a file, or over `max` bytes. */
function readSmall(path: string, max: number, what: string): Buffer {
  if (!existsSync(path) || !statSync(path).isFile()) throw new Error(`${what}: missing (${path})`);
  const size = statSync(path).size;
  if (size > max) throw new Error(`${what}: ${size} bytes, more than the ${max} accepted`);
  return readFileSync(path);
}

/** An OCI layout folder's files. */
export function folderFiles(dir: string): LayoutFiles {
  const what = `OCI layout ${dir}`;
  return {
    what,
    indexJson: (max) => readSmall(join(dir, 'index.json'), max, `${what}: index.json`),
    blobSize: (digest) => {
      const path = blobPath(dir, digest);
      const stat = existsSync(path) ? statSync(path) : undefined;
      return stat?.isFile() ? stat.size : undefined;
    },
    readBlob: (digest, max) => readSmall(blobPath(dir, digest), max, `${what}: manifest ${digest}`),
    source: (digest) => fileSource(blobPath(dir, digest)),
  };
}

/**
 * The index.json entry to push: the one one of whose names (`namesOf`: by default its ref name annotation) is
 * `wanted`, or the only one.
 */
export function chooseEntry(
  files: LayoutFiles,
  wanted: string | undefined,
  namesOf: (d: Descriptor) => string[] = (d) => (d.annotations?.[REF_NAME] ? [d.annotations[REF_NAME]] : []),
): Descriptor {
  const what = `${files.what}: index.json`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(files.indexJson(MAX_MANIFEST_BYTES).toString('utf8'));
  } catch (error) {
    throw error instanceof SyntaxError ? new Error(`${what} is not JSON`) : error;
  }
  const entries = checkIndex(parsed, what).manifests;
  const names = entries.map((d) => namesOf(d)[0]).filter((n) => n !== undefined);
  const chosen = wanted === undefined ? entries : entries.filter((d) => namesOf(d).includes(wanted));
  if (chosen.length === 1 && chosen[0]) return chosen[0];
  const listed = names.length
    ? ` (names: ${names
        .slice(0, 5)
        .map((n) => printable(n, 60))
        .join(', ')})`
    : '';
  if (wanted === undefined)
    throw new Error(`${what} lists ${entries.length} images${listed}; name the one to push (ref name)`);
  throw new Error(
    `${what} has ${chosen.length} entries named '${printable(wanted, 60)}'${listed}; exactly one is needed`,
  );
}

/** The index.json entry of a layout folder to push: the one named `refName`, or the only one. */
export const selectEntry = (dir: string, refName: string | undefined): Descriptor =>
  chooseEntry(folderFiles(dir), refName);

/** Reads a manifest of the layout, checked against its descriptor's digest and size. */
export function readManifest(files: LayoutFiles, descriptor: Descriptor): Manifest {
  const what = `${files.what}: manifest ${descriptor.digest}`;
  if (descriptor.size > MAX_MANIFEST_BYTES)
    throw new Error(`${what}: ${descriptor.size} bytes, more than the ${MAX_MANIFEST_BYTES} accepted`);
  const bytes = files.readBlob(descriptor.digest, MAX_MANIFEST_BYTES);
  if (bytes.length !== descriptor.size)
    throw new Error(`${what}: the file has ${bytes.length} bytes, its descriptor says ${descriptor.size}`);
  return parseManifest(bytes, descriptor.mediaType, what, [descriptor.digest]);
}

/** The manifests under `root` in push order: every child before its index, each once, the root last. */
export function manifestTree(files: LayoutFiles, root: Descriptor): Manifest[] {
  const order: Manifest[] = [];
  const seen = new Set<string>();
  const visit = (descriptor: Descriptor, depth: number): void => {
    if (seen.has(descriptor.digest)) return;
    seen.add(descriptor.digest);
    if (seen.size > MAX_COPY.manifests)
      throw new Error(`${files.what}: more than ${MAX_COPY.manifests} manifests`);
    const manifest = readManifest(files, descriptor);
    if (manifest.kind === 'index') {
      if (depth >= MAX_INDEX_DEPTH)
        throw new Error(`${files.what}: indexes nested more than ${MAX_INDEX_DEPTH} deep`);
      for (const child of manifest.index.manifests) visit(child, depth + 1);
    }
    order.push(manifest);
  };
  visit(root, 0);
  return order;
}

/** Why a distributable blob of `manifests` cannot be sent (missing, or not its descriptor's size), if one cannot. */
export function blobProblem(files: LayoutFiles, manifests: Manifest[]): string | undefined {
  const { blobs } = blobsOf(manifests);
  if (blobs.length > MAX_COPY.blobs) return `more than ${MAX_COPY.blobs} blobs`;
  for (const blob of blobs) {
    const size = files.blobSize(blob.digest);
    if (size === undefined) return `blob ${blob.digest} is missing; the layout is incomplete`;
    if (size !== blob.size) return `blob ${blob.digest} has ${size} bytes, its descriptor says ${blob.size}`;
  }
  return undefined;
}

/**
 * What to push from an OCI layout: its manifests (children first) and blob files. Every distributable blob
 * must be a file of its descriptor's size before anything is sent (its digest is checked as it is sent).
 */
export function readLayout(dir: string, refName?: string): PushPlan {
  const files = folderFiles(dir);
  const manifests = manifestTree(files, chooseEntry(files, refName));
  const problem = blobProblem(files, manifests);
  if (problem) throw new Error(`${files.what}: ${problem}`);
  return { manifests, source: (blob) => files.source(blob.digest) };
}

/** Pushes the image (or index) of an OCI layout folder to `repo`'s repository by digest: no tag. */
export function pushLayout(
  client: RegistryClient,
  repo: Reference,
  dir: string,
  options: PushLayoutOptions = {},
): Promise<PushResult> {
  return pushPlan(client, repo, readLayout(dir, options.refName), options);
}
