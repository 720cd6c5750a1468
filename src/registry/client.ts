/**
 * The registry client: the one door to the registry library. One Transport per registry (never handed out);
 * manifests, tags, push-permission checks, blobs, and writing pulled images to disk.
 */
import type { Readable } from 'node:stream';
import * as archive from './archive.js';
import type { Credentials, FetchLike } from './auth.js';
import * as blobs from './blobs.js';
import type { BlobDescriptor, BlobSource } from './blobs.js';
import { limitsFrom, type Limits } from './body.js';
import { DigestMismatchError, RegistryError } from './errors.js';
import * as layout from './layout.js';
import type { LayoutImage } from './layout.js';
import { MAX_MANIFEST_BYTES, parseManifest, type ImageManifest, type Manifest } from './manifests.js';
import * as check from './check.js';
import type { ProxySettings } from './proxy.js';
import { formatReference, type Reference } from './reference.js';
import * as pushArchive from './push-archive.js';
import type { PushArchiveOptions } from './push-archive.js';
import * as pushLayout from './push-layout.js';
import type { PushLayoutOptions } from './push-layout.js';
import type { PushResult } from './push.js';
import * as tags from './tags.js';
import { announcedDigest, isDigest } from './validate.js';
import { silentLogger, type Logger, type RetryPolicy } from './retry.js';
import { pullScope, pushScope } from './scope.js';
import { manifestRequest } from './manifest-request.js';
import { isMediaType } from './text.js';
import { Transport } from './transport.js';
import * as upload from './upload.js';
import type { UploadResult } from './upload.js';
import type { UploadOptions } from './upload-session.js';

export interface ClientOptions {
  userAgent: string;
  /** Credentials for a registry host, or undefined for anonymous access. Asked once per registry. */
  credentials?: (registry: string) => Credentials | undefined;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** Parallel blob transfers (default 4). */
  concurrency?: number;
  fetch?: FetchLike;
  /** Called with every secret the client holds or obtains (and what is derived from them) before any use. */
  onSecret?: (secret: string) => void;
  /** Time bounds (body.ts); the deadline of the whole of the client's work counts from its creation. */
  limits?: Partial<Omit<Limits, 'deadline'>>;
  /** A reason to refuse sending `registry`'s credentials to a token service at `realm` (realm.ts). */
  realmPolicy?: (registry: string, realm: URL) => string | undefined;
  /** Forward proxies (proxy.ts); default: the environment's. */
  proxy?: ProxySettings;
}

/** A blob's key in a client's memory: registry/repository@digest. */
const blobKey = (repo: Reference, digest: string): string => `${repo.registry}/${repo.repository}@${digest}`;

/** What a manifest HEAD tells: enough to know whether it exists and what it is, without its bytes. */
export interface ManifestHead {
  digest: string | undefined;
  mediaType: string | undefined;
  size: number | undefined;
}

export class RegistryClient {
  readonly logger: Logger;
  readonly concurrency: number;
  readonly limits: Limits;
  private readonly transports = new Map<string, Transport>();
  /** Manifests read by checkPullPermission, each handed to the first getManifest of the same reference. */
  private readonly proven = new Map<string, Manifest>();
  /** Small blobs read whole and verified (configs), by registry/repository@digest: a layout writes them as is. */
  private readonly smallBlobs = new Map<string, Buffer>();

  constructor(private readonly options: ClientOptions) {
    this.logger = options.logger ?? silentLogger;
    this.concurrency = options.concurrency ?? 4;
    this.limits = limitsFrom(options.limits);
  }

  /**
   * Starts the bound on the client's registry work again (body.ts: TOTAL_MS): a command that waits between two
   * spells of registry work (publish builds between proving its rights and tagging) gives each its own bound.
   */
  renewDeadline(): void {
    this.limits.deadline = Date.now() + this.limits.totalMs;
  }

  private transport(registry: string): Transport {
    let transport = this.transports.get(registry);
    if (!transport) {
      transport = new Transport({
        registry,
        userAgent: this.options.userAgent,
        credentials: this.options.credentials?.(registry),
        logger: this.logger,
        retry: this.options.retry,
        fetch: this.options.fetch,
        onSecret: this.options.onSecret,
        limits: this.limits,
        realmPolicy: this.options.realmPolicy && ((realm) => this.options.realmPolicy?.(registry, realm)),
        proxy: this.options.proxy,
      });
      this.transports.set(registry, transport);
    }
    return transport;
  }

  /** HEAD a manifest: undefined when it does not exist. */
  async headManifest(ref: Reference): Promise<ManifestHead | undefined> {
    const t = this.transport(ref.registry);
    const request = manifestRequest(ref, 'HEAD', 'check manifest', [200, 404]);
    const { response, url } = await t.requestWithUrl(request);
    if (response.status === 404) return undefined;
    const length = response.headers.get('content-length');
    // Only the registry's own answer names the digest a tag has: not a header from wherever a redirect led.
    const digest = url.origin === t.origin ? response.headers.get('docker-content-digest') : null;
    const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim();
    return {
      digest: isDigest(digest) ? digest : undefined,
      mediaType: isMediaType(mediaType) ? mediaType : undefined,
      size: length === null ? undefined : Number(length),
    };
  }

  /**
   * GET a manifest. Its digest is computed from the bytes and must equal the digest asked for and the
   * registry's Docker-Content-Digest (when sent); a mismatch is a DigestMismatchError, never retried.
   */
  async getManifest(ref: Reference): Promise<Manifest> {
    const kept = this.proven.get(formatReference(ref));
    if (kept) {
      this.proven.delete(formatReference(ref));
      return kept;
    }
    const t = this.transport(ref.registry);
    // By digest, the bytes are checked against it: they may come from wherever the registry redirects.
    const request = {
      ...manifestRequest(ref, 'GET', 'get manifest', [200]),
      verified: ref.digest !== undefined,
    };
    const { response, bytes } = await t.requestBytes(request, MAX_MANIFEST_BYTES);
    const what = `manifest ${formatReference(ref)}`;
    const announced = announcedDigest(response, what);
    return parseManifest(bytes, response.headers.get('content-type'), what, [ref.digest, announced]);
  }

  /**
   * PUT exact manifest bytes under a tag or its digest, with the manifest's own media type. The registry's
   * answered digest must equal the digest of the bytes.
   */
  async putManifest(
    ref: Reference,
    manifest: Pick<Manifest, 'bytes' | 'mediaType' | 'digest'>,
  ): Promise<string> {
    if (ref.digest && ref.digest !== manifest.digest) {
      throw new DigestMismatchError(`put manifest ${formatReference(ref)}`, ref.digest, manifest.digest);
    }
    const response = await this.transport(ref.registry).request({
      ...manifestRequest(ref, 'PUT', 'put manifest', [201, 200]),
      headers: { 'Content-Type': manifest.mediaType },
      body: manifest.bytes,
    });
    await response.body?.cancel();
    const stored = announcedDigest(response, `put manifest ${formatReference(ref)}`);
    if (stored && stored !== manifest.digest) {
      throw new DigestMismatchError(`put manifest ${formatReference(ref)}`, manifest.digest, stored);
    }
    return manifest.digest;
  }

  /** DELETE a manifest by digest (registries refuse deletion by tag). */
  async deleteManifest(ref: Reference): Promise<void> {
    if (!ref.digest)
      throw new Error(`delete ${formatReference(ref)}: a manifest is deleted by digest, not by tag`);
    const t = this.transport(ref.registry);
    const response = await t.request(manifestRequest(ref, 'DELETE', 'delete manifest', [202, 200]));
    await response.body?.cancel();
  }

  /**
   * Every tag of a repository, following `Link: <...>; rel="next"` on the registry's own origin until there is
   * none. Names that are not tags are left out (they cannot be addressed, and they would reach logs).
   */
  listTags(ref: Reference): Promise<string[]> {
    return tags.listTags(this.transport(ref.registry), ref);
  }

  /** Whether the repository has any tag (one small request; a repository that does not exist has none). */
  hasTags(ref: Reference): Promise<boolean> {
    return tags.hasTags(this.transport(ref.registry), ref);
  }

  /**
   * Says what the caller will do, so that each registry's tokens cover all of it: one token round trip per
   * registry for a whole command, not one per kind of request (auth.ts: want).
   */
  expectAccess(access: { push: Reference[]; pull: Reference[] }): void {
    for (const ref of access.pull) this.transport(ref.registry).want(pullScope(ref.repository));
    for (const ref of access.push) this.transport(ref.registry).want(pushScope(ref.repository));
  }

  /**
   * Proves pull rights: a token handshake for pull and one small read. A repository that does not exist (404)
   * is not a refusal; a 401 or 403 is, and is thrown as the registry's RegistryError. For a reference with a
   * tag or digest the read is its manifest, kept for the command's own read of it next (one request, not two).
   * A 404 is left for that read to report; a 401 or 403 (which may come from wherever a redirect led) is
   * settled by the small read of the registry's own; any other failure is the command's failure, now.
   */
  async checkPullPermission(ref: Reference): Promise<void> {
    const t = this.transport(ref.registry);
    if (!ref.tag && !ref.digest) return check.checkPullPermission(t, ref);
    try {
      this.proven.set(formatReference(ref), await this.getManifest(ref));
    } catch (error) {
      if (!(error instanceof RegistryError) || ![401, 403, 404].includes(error.status ?? 0)) throw error;
      if (error.status !== 404) await check.checkPullPermission(t, ref);
    }
  }

  /**
   * Proves push rights without writing anything: opens a blob upload (left empty to expire). Throws the registry's
   * refusal (a RegistryError with status 401 or 403) when the credentials may not push.
   */
  checkPushPermission(ref: Reference): Promise<void> {
    return check.checkPushPermission(this.transport(ref.registry), ref);
  }

  /** Whether the repository of `repo` has the blob (a HEAD). */
  blobExists(repo: Reference, blob: BlobDescriptor): Promise<boolean> {
    return blobs.blobExists(this.transport(repo.registry), blobs.blobRef(repo, blob));
  }

  /**
   * The blob's bytes from the repository of `repo`, as a stream that errors (DigestMismatchError, or a size
   * error) when they do not match the descriptor. Whoever consumes it must not commit anything before it ends.
   */
  openBlob(repo: Reference, blob: BlobDescriptor): Promise<Readable> {
    return blobs.openBlob(this.transport(repo.registry), blobs.blobRef(repo, blob));
  }

  /**
   * A small blob (an image's config) of the repository of `repo`, read whole and verified against the
   * descriptor; a descriptor over `maxBytes` (at most 4 MiB, blobs.ts: MAX_SMALL_BLOB_BYTES) is refused unread.
   */
  async readBlob(repo: Reference, blob: BlobDescriptor, maxBytes?: number): Promise<Buffer> {
    const bytes = await blobs.readBlob(this.transport(repo.registry), blobs.blobRef(repo, blob), maxBytes);
    this.smallBlobs.set(blobKey(repo, blob.digest), bytes);
    return bytes;
  }

  /** A source that downloads the blob (verified) from the repository of `repo`: what copies upload from. */
  blobSource(repo: Reference, blob: BlobDescriptor): BlobSource {
    return blobs.remoteSource(this.transport(repo.registry), blobs.blobRef(repo, blob));
  }

  /**
   * Uploads a blob to the repository of `repo` unless it is there: a cross-repository mount when
   * `options.mountFrom` names a repository of the same registry that has it, else the bytes of `source`.
   */
  uploadBlob(
    repo: Reference,
    blob: BlobDescriptor,
    source: BlobSource,
    options?: UploadOptions,
  ): Promise<UploadResult> {
    return upload.uploadBlob(this.transport(repo.registry), blobs.blobRef(repo, blob), source, options);
  }

  /** Writes (or adds to) an OCI image layout in `dir` from the repository of `repo`, `concurrency` blobs at once. */
  writeOciLayout(repo: Reference, dir: string, image: LayoutImage): Promise<void> {
    const t = this.transport(repo.registry);
    const known = (digest: string) => this.smallBlobs.get(blobKey(repo, digest));
    return layout.writeOciLayout(t, repo.repository, dir, { known, ...image }, this.concurrency);
  }

  /** Writes a `docker save`-style archive of one image from the repository of `repo` to `file`. */
  writeDockerArchive(
    repo: Reference,
    file: string,
    image: ImageManifest,
    repoTag: string | undefined,
  ): Promise<void> {
    return archive.writeDockerArchive(this.transport(repo.registry), repo.repository, file, image, repoTag);
  }

  /** Pushes the image (or index) of an OCI layout folder to the repository of `repo` by digest: no tag. */
  pushOciLayout(repo: Reference, dir: string, options?: PushLayoutOptions): Promise<PushResult> {
    return pushLayout.pushLayout(this, repo, dir, options);
  }

  /** Pushes the image of a `docker save` archive (layers gzip-compressed) to `repo` by digest: no tag. */
  pushDockerArchive(repo: Reference, file: string, options: PushArchiveOptions): Promise<PushResult> {
    return pushArchive.pushDockerArchive(this, repo, file, options);
  }
}
