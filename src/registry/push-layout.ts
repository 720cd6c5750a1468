/**
 * Pushing the image (or index, children first) of an OCI image layout folder by digest (`buildah push <image>
 * oci:<dir>` writes one). Every digest is checked before it becomes a path, every manifest against its digest
 * as it is read, every blob file for presence and size before anything is sent and against its digest as it is
 * sent (push.ts): a broken layout is refused before any manifest is put.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileSource } from './blobs.js';
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

const REF_NAME = 'org.opencontainers.image.ref.name';

/** A file of the layout read whole, refused unread when missing, not a file, or over `max` bytes. */
function readSmall(path: string, max: number, what: string): Buffer {
  if (!existsSync(path) || !statSync(path).isFile()) throw new Error(`${what}: missing (${path})`);
  const size = statSync(path).size;
  if (size > max) throw new Error(`${what}: ${size} bytes, more than the ${max} accepted`);
  return readFileSync(path);
}

/** The index.json entry to push: the one named `refName`, or the only one. */
export function selectEntry(dir: string, refName: string | undefined): Descriptor {
  const what = `OCI layout ${dir}: index.json`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readSmall(join(dir, 'index.json'), MAX_MANIFEST_BYTES, what).toString('utf8'));
  } catch (error) {
    throw error instanceof SyntaxError ? new Error(`${what} is not JSON`) : error;
  }
  const entries = checkIndex(parsed, what).manifests;
  const names = entries.map((d) => d.annotations?.[REF_NAME]).filter((n) => n !== undefined);
  const chosen =
    refName === undefined ? entries : entries.filter((d) => d.annotations?.[REF_NAME] === refName);
  if (chosen.length === 1 && chosen[0]) return chosen[0];
  const listed = names.length
    ? ` (names: ${names
        .slice(0, 5)
        .map((n) => printable(n, 60))
        .join(', ')})`
    : '';
  if (refName === undefined)
    throw new Error(`${what} lists ${entries.length} images${listed}; name the one to push (ref name)`);
  throw new Error(
    `${what} has ${chosen.length} entries named '${printable(refName, 60)}'${listed}; exactly one is needed`,
  );
}

/** Reads a manifest of the layout, checked against its descriptor's digest and size. */
function readManifest(dir: string, descriptor: Descriptor): Manifest {
  const what = `OCI layout ${dir}: manifest ${descriptor.digest}`;
  if (descriptor.size > MAX_MANIFEST_BYTES)
    throw new Error(`${what}: ${descriptor.size} bytes, more than the ${MAX_MANIFEST_BYTES} accepted`);
  const bytes = readSmall(blobPath(dir, descriptor.digest), MAX_MANIFEST_BYTES, what);
  if (bytes.length !== descriptor.size)
    throw new Error(`${what}: the file has ${bytes.length} bytes, its descriptor says ${descriptor.size}`);
  return parseManifest(bytes, descriptor.mediaType, what, [descriptor.digest]);
}

/** The manifests under `root` in push order: every child before its index, each once, the root last. */
function manifestTree(dir: string, root: Descriptor): Manifest[] {
  const order: Manifest[] = [];
  const seen = new Set<string>();
  const visit = (descriptor: Descriptor, depth: number): void => {
    if (seen.has(descriptor.digest)) return;
    seen.add(descriptor.digest);
    if (seen.size > MAX_COPY.manifests)
      throw new Error(`OCI layout ${dir}: more than ${MAX_COPY.manifests} manifests`);
    const manifest = readManifest(dir, descriptor);
    if (manifest.kind === 'index') {
      if (depth >= MAX_INDEX_DEPTH)
        throw new Error(`OCI layout ${dir}: indexes nested more than ${MAX_INDEX_DEPTH} deep`);
      for (const child of manifest.index.manifests) visit(child, depth + 1);
    }
    order.push(manifest);
  };
  visit(root, 0);
  return order;
}

/**
 * What to push from an OCI layout: its manifests (children first) and blob files. Every distributable blob
 * must be a file of its descriptor's size before anything is sent (its digest is checked as it is sent).
 */
export function readLayout(dir: string, refName?: string): PushPlan {
  const manifests = manifestTree(dir, selectEntry(dir, refName));
  const { blobs } = blobsOf(manifests);
  if (blobs.length > MAX_COPY.blobs) throw new Error(`OCI layout ${dir}: more than ${MAX_COPY.blobs} blobs`);
  for (const blob of blobs) {
    const path = blobPath(dir, blob.digest);
    const stat = existsSync(path) ? statSync(path) : undefined;
    if (!stat?.isFile())
      throw new Error(`OCI layout ${dir}: blob ${blob.digest} is missing; the layout is incomplete`);
    if (stat.size !== blob.size)
      throw new Error(
        `OCI layout ${dir}: blob ${blob.digest} has ${stat.size} bytes, its descriptor says ${blob.size}`,
      );
  }
  return { manifests, source: (blob) => fileSource(blobPath(dir, blob.digest)) };
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
