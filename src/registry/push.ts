/**
 * Uploading an image that is on disk (an OCI layout, a docker archive) by digest: blobs first (skipped when the
 * repository has them, mounted when another repository of the registry has them, else streamed from disk and
 * verified against their digest on the way), then manifests, children before their index, by digest only. No
 * tag is written: whoever wants one puts it afterwards, when everything it points to is in place.
 */
import type { BlobSource } from './blobs.js';
import type { RegistryClient } from './client.js';
import type { CopyProgress } from './copy.js';
import { allOrFirstError, createLimiter } from './limit.js';
import { blobsOf } from './layout.js';
import type { Descriptor, Manifest } from './manifests.js';
import { withDigest, type Reference } from './reference.js';
import type { UploadResult } from './upload.js';

export interface PushOptions {
  /** Other repositories of the same registry to mount blobs from, tried in order, before any upload. */
  mountFrom?: string[];
  onProgress?: (progress: CopyProgress) => void;
}

export interface PushResult {
  /** The digest of the root manifest (an image, or an index) as pushed. */
  digest: string;
  mediaType: string;
  /** The root manifest's size in bytes. */
  size: number;
  /** Bytes of blobs sent (blobs that existed or were mounted send none). */
  bytesUploaded: number;
  /** How each distinct blob got there. */
  blobs: Record<UploadResult, number>;
  foreignLayersSkipped: number;
  /** 1 when the registry held the root manifest already (nothing else was checked or sent), else 0. */
  manifestsPresent: number;
}

/** What to push: manifests in order (children before their index, the root last) and where blobs come from. */
export interface PushPlan {
  manifests: Manifest[];
  /** The bytes of a blob, by digest; they are verified against the descriptor while they are sent. */
  source: (blob: Descriptor) => BlobSource;
}

/** Pushes a plan's blobs and manifests to `repo`'s repository by digest; the last manifest is the root. */
export async function pushPlan(
  client: RegistryClient,
  repo: Reference,
  plan: PushPlan,
  options: PushOptions = {},
): Promise<PushResult> {
  const root = plan.manifests[plan.manifests.length - 1];
  if (!root) throw new Error('nothing to push: no manifest');
  const target: Reference = { ...repo, tag: undefined, digest: undefined };
  const result: PushResult = {
    digest: root.digest,
    mediaType: root.mediaType,
    size: root.bytes.length,
    bytesUploaded: 0,
    blobs: { exists: 0, mounted: 0, uploaded: 0 },
    foreignLayersSkipped: 0,
    manifestsPresent: 0,
  };
  // A manifest the registry holds has all its content (a rerun): nothing more to send.
  if (await client.headManifest(withDigest(target, root.digest))) {
    result.manifestsPresent = 1;
    return result;
  }
  const { blobs, foreign } = blobsOf(plan.manifests);
  result.foreignLayersSkipped = foreign;
  const limit = createLimiter(client.concurrency);
  const progress: CopyProgress = { blobsDone: 0, blobsTotal: blobs.length, bytesDone: 0 };
  const send = async (blob: Descriptor) => {
    const how = await sendBlob(client, target, blob, plan.source(blob), options, progress);
    result.blobs[how]++;
    if (how === 'uploaded') result.bytesUploaded += blob.size;
    progress.blobsDone++;
    options.onProgress?.({ ...progress });
  };
  await allOrFirstError(blobs.map((blob) => limit(() => send(blob))));
  // Children before their index: each manifest is put only once everything it names is there.
  for (const manifest of plan.manifests)
    await limit(() => client.putManifest(withDigest(target, manifest.digest), manifest));
  return result;
}

/** One blob: mounted from the first repository of `mountFrom` that has it, or uploaded unless present. */
async function sendBlob(
  client: RegistryClient,
  target: Reference,
  blob: Descriptor,
  source: BlobSource,
  options: PushOptions,
  progress: CopyProgress,
): Promise<UploadResult> {
  const mountFrom = await mountSource(client, target, blob, options.mountFrom ?? []);
  let sent = 0;
  return client.uploadBlob(target, blob, source, {
    mountFrom,
    onBytes: (bytes) => {
      progress.bytesDone += bytes - sent;
      sent = bytes;
      options.onProgress?.({ ...progress });
    },
  });
}

/**
 * The repository to mount `blob` from: the only candidate as is (uploadBlob falls back to sending the bytes
 * when the mount fails), else the first candidate that has it (a HEAD each; one the credentials may not read
 * counts as not having it). Nothing when the target has it already.
 */
async function mountSource(
  client: RegistryClient,
  target: Reference,
  blob: Descriptor,
  candidates: string[],
): Promise<string | undefined> {
  const others = candidates.filter((r) => r !== target.repository);
  if (others.length <= 1) return others[0];
  if (await client.blobExists(target, blob)) return undefined;
  for (const repository of others) {
    try {
      if (await client.blobExists({ ...target, repository }, blob)) return repository;
    } catch (error) {
      client.logger.debug(`no mount of ${blob.digest} from ${repository}: ${String(error)}`);
    }
  }
  return undefined;
}
