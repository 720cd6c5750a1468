/**
 * The registry client: the one door to the registry library. One Transport per registry (never handed out);
 * manifests, tags, push-permission checks, blobs, and writing pulled images to disk.
 */
import type { Readable } from 'node:stream';
import * as archive from './archive.js';
import type { Credentials, FetchLike } from './auth.js';
import * as blobs from './blobs.js';
import type { BlobDescriptor, BlobSource } from './blobs.js';
import { DigestMismatchError } from './errors.js';
import * as layout from './layout.js';
import type { LayoutImage } from './layout.js';
import { MANIFEST_ACCEPT, parseManifest, type ImageManifest, type Manifest } from './manifests.js';
import { formatReference, type Reference } from './reference.js';
import { silentLogger, type Logger, type RetryPolicy } from './retry.js';
import { deleteScope, pullScope, pushScope, type Scope } from './scope.js';
import { Transport, type RequestOptions } from './transport.js';
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
  /** Called with every secret the client obtains (registry tokens) before any use, to mask it. */
  onSecret?: (secret: string) => void;
}

/** What a manifest HEAD tells: enough to know whether it exists and what it is, without its bytes. */
export interface ManifestHead {
  digest: string | undefined;
  mediaType: string | undefined;
  size: number | undefined;
}

type ManifestMethod = 'HEAD' | 'GET' | 'PUT' | 'DELETE';

/** The scopes each request to a manifest URL needs. */
const MANIFEST_SCOPES: Record<ManifestMethod, (repository: string) => Scope[]> = {
  HEAD: pullScope,
  GET: pullScope,
  PUT: pushScope,
  DELETE: deleteScope,
};

/**
 * A request to `ref`'s manifest URL, by digest when it names one (that is what was asked for, exactly), else by
 * tag, with the scopes the method needs; reads accept every manifest type.
 */
function manifestRequest(
  ref: Reference,
  method: ManifestMethod,
  operation: string,
  expect: number[],
): RequestOptions {
  const id = ref.digest ?? ref.tag;
  if (!id) throw new Error(`${formatReference(ref)} names no tag or digest`);
  return {
    method,
    url: `/v2/${ref.repository}/manifests/${id}`,
    scopes: MANIFEST_SCOPES[method](ref.repository),
    expect,
    operation,
    reference: formatReference(ref),
    headers: method === 'HEAD' || method === 'GET' ? { Accept: MANIFEST_ACCEPT } : undefined,
  };
}

export class RegistryClient {
  readonly logger: Logger;
  readonly concurrency: number;
  private readonly transports = new Map<string, Transport>();

  constructor(private readonly options: ClientOptions) {
    this.logger = options.logger ?? silentLogger;
    this.concurrency = options.concurrency ?? 4;
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
      });
      this.transports.set(registry, transport);
    }
    return transport;
  }

  /** HEAD a manifest: undefined when it does not exist. */
  async headManifest(ref: Reference): Promise<ManifestHead | undefined> {
    const t = this.transport(ref.registry);
    const response = await t.request(manifestRequest(ref, 'HEAD', 'check manifest', [200, 404]));
    if (response.status === 404) return undefined;
    const length = response.headers.get('content-length');
    return {
      digest: response.headers.get('docker-content-digest') ?? undefined,
      mediaType: response.headers.get('content-type')?.split(';')[0] ?? undefined,
      size: length === null ? undefined : Number(length),
    };
  }

  /**
   * GET a manifest. Its digest is computed from the bytes and must equal the digest asked for and the
   * registry's Docker-Content-Digest (when sent); a mismatch is a DigestMismatchError, never retried.
   */
  async getManifest(ref: Reference): Promise<Manifest> {
    const t = this.transport(ref.registry);
    const { response, bytes } = await t.requestBytes(manifestRequest(ref, 'GET', 'get manifest', [200]));
    return parseManifest(bytes, response.headers.get('content-type'), `manifest ${formatReference(ref)}`, [
      ref.digest,
      response.headers.get('docker-content-digest'),
    ]);
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
    const stored = response.headers.get('docker-content-digest');
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

  /** Every tag of a repository, following `Link: <...>; rel="next"` until there is none. */
  async listTags(ref: Reference): Promise<string[]> {
    const tags: string[] = [];
    let url: string | undefined = `/v2/${ref.repository}/tags/list?n=1000`;
    for (let page = 0; url; page++) {
      if (page > 10_000) throw new Error(`list tags of ${ref.repository}: more than 10000 pages`);
      const { response, bytes } = await this.transport(ref.registry).requestBytes({
        method: 'GET',
        url,
        scopes: pullScope(ref.repository),
        expect: [200],
        operation: 'list tags of',
        reference: `${ref.registry}/${ref.repository}`,
      });
      const body = JSON.parse(bytes.toString('utf8')) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      url = nextLink(response.headers.get('link'));
    }
    return tags;
  }

  /**
   * Proves pull rights: a token handshake for pull and one small read. A repository that does not exist (404)
   * is not a refusal; a 401 or 403 is, and is thrown as the registry's RegistryError.
   */
  async checkPullPermission(ref: Reference): Promise<void> {
    const response = await this.transport(ref.registry).request({
      method: 'GET',
      url: `/v2/${ref.repository}/tags/list?n=1`,
      scopes: pullScope(ref.repository),
      expect: [200, 404],
      operation: 'check pull permission for',
      reference: `${ref.registry}/${ref.repository}`,
    });
    await response.body?.cancel();
  }

  /**
   * Proves push rights without writing anything: opens a blob upload and cancels it. Throws the registry's
   * refusal (a RegistryError with status 401 or 403) when the credentials may not push.
   */
  async checkPushPermission(ref: Reference): Promise<void> {
    const t = this.transport(ref.registry);
    const started = await t.request({
      method: 'POST',
      url: `/v2/${ref.repository}/blobs/uploads/`,
      scopes: pushScope(ref.repository),
      expect: [202],
      operation: 'check push permission for',
      reference: `${ref.registry}/${ref.repository}`,
    });
    await started.body?.cancel();
    const location = started.headers.get('location');
    if (!location) return;
    // Best effort: some registries want the delete action to cancel an upload; an abandoned one expires.
    try {
      const cancelled = await t.request({
        method: 'DELETE',
        url: location,
        scopes: pushScope(ref.repository),
        expect: [200, 202, 204, 404],
        operation: 'cancel the permission-check upload for',
        reference: `${ref.registry}/${ref.repository}`,
      });
      await cancelled.body?.cancel();
    } catch (error) {
      this.logger.debug(
        `Cancelling the permission-check upload failed (it expires on its own): ${String(error)}`,
      );
    }
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
    return layout.writeOciLayout(t, repo.repository, dir, image, this.concurrency);
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
}

/** The target of `Link: <url>; rel="next"`, if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (match?.[1]) return match[1];
  }
  return undefined;
}
