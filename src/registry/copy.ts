/**
 * Registry-side copies: an image or a whole index from one reference to another, children before parents,
 * blobs before manifests, destination tags last, so a failure never leaves a tag pointing at missing content.
 * Same repository: manifest PUTs only. Same registry: cross-repository mounts. Elsewhere: streamed copies.
 * Foreign (non-distributable) layers are neither fetched nor uploaded; manifests stay byte-identical.
 */
import type { RegistryClient } from './client.js';
import { allOrFirstError, createLimiter, type Limiter } from './limit.js';
import { isForeignLayer, type Descriptor, type Manifest } from './manifests.js';
import { repositoryOf, withDigest, withTag, type Reference } from './reference.js';
import type { UploadResult } from './upload.js';

/** Indexes of indexes are copied this deep at most (an image under two indexes is depth 3). */
export const MAX_INDEX_DEPTH = 3;
/** What one copy walks at most: manifests, their bytes (held while their children copy), and blobs. */
export const MAX_COPY = { manifests: 1000, manifestBytes: 32 * 1024 * 1024, blobs: 10_000 };

export interface CopyProgress {
  blobsDone: number;
  blobsTotal: number;
  bytesDone: number;
}

export interface CopyOptions {
  /** Tags to write at the destination (last); default: the destination's tag, or none (by digest only). */
  tags?: string[];
  onProgress?: (progress: CopyProgress) => void;
  /** The source's manifest when the caller has read it already (it must be the manifest of `source`). */
  root?: Manifest;
}

export interface CopyResult {
  digest: string;
  mediaType: string;
  /** The manifest copied (the root: an image or an index), byte for byte. */
  manifest: Manifest;
  /** How each blob got there. */
  blobs: Record<UploadResult, number>;
  foreignLayersSkipped: number;
  /** Manifests (children included) that were already at the destination and so not walked. */
  manifestsPresent: number;
  bytesUploaded: number;
}

export async function copyImage(
  client: RegistryClient,
  source: Reference,
  destination: Reference,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const copier = new Copier(client, source, destination, options);
  const root = options.root ?? (await client.getManifest(source));
  const target = { ...destination, tag: undefined, digest: undefined };
  // A manifest the registry already holds has all its content (a retag, or a rerun): skip the walk. Within
  // one repository, the root was just read from there: no need to ask.
  const sameRepository =
    source.registry === destination.registry && source.repository === destination.repository;
  if (sameRepository || (await client.headManifest(withDigest(target, root.digest))))
    copier.result.manifestsPresent++;
  else await copier.manifestTree(root);
  const tags = options.tags ?? (destination.tag ? [destination.tag] : []);
  if (tags.length === 0) await copier.putOnce(root);
  // Everything the tags point to is in place now; the tags are written last, side by side.
  const limit = createLimiter(client.concurrency);
  await allOrFirstError(tags.map((tag) => limit(() => client.putManifest(withTag(target, tag), root))));
  return { ...copier.result, digest: root.digest, mediaType: root.mediaType, manifest: root };
}

class Copier {
  readonly result: Omit<CopyResult, 'digest' | 'mediaType' | 'manifest'> = {
    blobs: { exists: 0, mounted: 0, uploaded: 0 },
    foreignLayersSkipped: 0,
    manifestsPresent: 0,
    bytesUploaded: 0,
  };
  private readonly limit: Limiter;
  private readonly blobs = new Map<string, Promise<void>>();
  private readonly children = new Map<string, Promise<void>>();
  private readonly walked = { manifests: 0, bytes: 0 };
  private readonly put = new Map<string, Promise<void>>();
  private progress: CopyProgress = { blobsDone: 0, blobsTotal: 0, bytesDone: 0 };
  private readonly sameRegistry: boolean;

  constructor(
    private readonly client: RegistryClient,
    private readonly source: Reference,
    private readonly destination: Reference,
    private readonly options: CopyOptions,
  ) {
    this.limit = createLimiter(client.concurrency);
    this.sameRegistry = source.registry === destination.registry;
  }

  /**
   * Copies what a manifest needs (children or blobs), not the manifest itself. Children are walked once per
   * digest, at most MAX_INDEX_DEPTH indexes deep; every request goes through the one concurrency limit.
   */
  async manifestTree(manifest: Manifest, depth = 1): Promise<void> {
    if (manifest.kind === 'index') {
      if (depth > MAX_INDEX_DEPTH) {
        throw new Error(
          `${repositoryOf(this.source)}@${manifest.digest}: indexes nested more than ${MAX_INDEX_DEPTH} deep are not copied`,
        );
      }
      await Promise.all(manifest.index.manifests.map((child) => this.child(child, depth + 1)));
    } else {
      const blobs = [manifest.image.config, ...manifest.image.layers];
      await Promise.all(blobs.map((blob) => this.blob(blob)));
    }
  }

  /** PUTs a manifest by digest at the destination, once, unless it is there already. */
  putOnce(manifest: Pick<Manifest, 'digest' | 'bytes' | 'mediaType'>): Promise<void> {
    let done = this.put.get(manifest.digest);
    if (!done) {
      const target = withDigest({ ...this.destination, tag: undefined }, manifest.digest);
      done = this.limit(() => this.client.putManifest(target, manifest)).then(() => undefined);
      this.put.set(manifest.digest, done);
    }
    return done;
  }

  /** Copies a child of an index, once per digest however often the index lists it. */
  private child(descriptor: Descriptor, depth: number): Promise<void> {
    let done = this.children.get(descriptor.digest);
    if (!done) {
      done = this.copyChild(descriptor, depth);
      this.children.set(descriptor.digest, done);
    }
    return done;
  }

  private async copyChild(descriptor: Descriptor, depth: number): Promise<void> {
    const at = withDigest({ ...this.destination, tag: undefined }, descriptor.digest);
    // A manifest the registry accepted has all its content: no need to walk it.
    if (await this.limit(() => this.client.headManifest(at))) {
      this.result.manifestsPresent++;
      return;
    }
    const from = withDigest({ ...this.source, tag: undefined }, descriptor.digest);
    const manifest = await this.limit(() => this.client.getManifest(from));
    this.walked.manifests++;
    this.walked.bytes += manifest.bytes.length;
    if (this.walked.manifests > MAX_COPY.manifests || this.walked.bytes > MAX_COPY.manifestBytes) {
      throw new Error(
        `${repositoryOf(this.source)}: the image names more than ${MAX_COPY.manifests} manifests or ${MAX_COPY.manifestBytes} bytes of them; not copied`,
      );
    }
    await this.manifestTree(manifest, depth);
    await this.putOnce(manifest);
  }

  private blob(descriptor: Descriptor): Promise<void> {
    if (isForeignLayer(descriptor)) {
      this.result.foreignLayersSkipped++;
      return Promise.resolve();
    }
    let done = this.blobs.get(descriptor.digest);
    if (!done) {
      this.progress.blobsTotal++;
      if (this.progress.blobsTotal > MAX_COPY.blobs) {
        return Promise.reject(
          new Error(
            `${repositoryOf(this.source)}: the image names more than ${MAX_COPY.blobs} blobs; not copied`,
          ),
        );
      }
      done = this.limit(() => this.transfer(descriptor));
      this.blobs.set(descriptor.digest, done);
    }
    return done;
  }

  private async transfer(descriptor: Descriptor): Promise<void> {
    let sent = 0;
    const source = this.client.blobSource(this.source, descriptor);
    const how = await this.client.uploadBlob(this.destination, descriptor, source, {
      mountFrom: this.sameRegistry ? this.source.repository : undefined,
      onBytes: (bytes) => {
        this.progress.bytesDone += bytes - sent;
        sent = bytes;
        this.options.onProgress?.({ ...this.progress });
      },
    });
    this.result.blobs[how]++;
    if (how === 'uploaded') this.result.bytesUploaded += descriptor.size;
    this.progress.blobsDone++;
    this.options.onProgress?.({ ...this.progress });
  }
}
