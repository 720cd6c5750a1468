/** The registry client: one Transport per registry, manifests, tags, and push-permission checks. */
import type { Credentials, FetchLike, Scope } from './auth.js';
import { DigestMismatchError } from './errors.js';
import { MANIFEST_ACCEPT, parseManifest, type Manifest } from './manifests.js';
import { formatReference, type Reference } from './reference.js';
import { silentLogger, type Logger, type RetryPolicy } from './retry.js';
import { Transport } from './transport.js';

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

const pull = (repository: string): Scope[] => [{ repository, actions: ['pull'] }];
const push = (repository: string): Scope[] => [{ repository, actions: ['pull', 'push'] }];

/** The tag or digest part of a manifest URL; a digest wins (it is what was asked for, exactly). */
function manifestId(ref: Reference): string {
  const id = ref.digest ?? ref.tag;
  if (!id) throw new Error(`${formatReference(ref)} names no tag or digest`);
  return id;
}

export class RegistryClient {
  readonly logger: Logger;
  readonly concurrency: number;
  private readonly transports = new Map<string, Transport>();

  constructor(private readonly options: ClientOptions) {
    this.logger = options.logger ?? silentLogger;
    this.concurrency = options.concurrency ?? 4;
  }

  transport(registry: string): Transport {
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
    const response = await this.transport(ref.registry).request({
      method: 'HEAD',
      url: `/v2/${ref.repository}/manifests/${manifestId(ref)}`,
      scopes: pull(ref.repository),
      expect: [200, 404],
      operation: 'check manifest',
      reference: formatReference(ref),
      headers: { Accept: MANIFEST_ACCEPT },
    });
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
    const what = `manifest ${formatReference(ref)}`;
    const { response, bytes } = await this.transport(ref.registry).requestBytes({
      method: 'GET',
      url: `/v2/${ref.repository}/manifests/${manifestId(ref)}`,
      scopes: pull(ref.repository),
      expect: [200],
      operation: 'get manifest',
      reference: formatReference(ref),
      headers: { Accept: MANIFEST_ACCEPT },
    });
    return parseManifest(bytes, response.headers.get('content-type'), what, [
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
      method: 'PUT',
      url: `/v2/${ref.repository}/manifests/${manifestId(ref)}`,
      scopes: push(ref.repository),
      expect: [201, 200],
      operation: 'put manifest',
      reference: formatReference(ref),
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
    const response = await this.transport(ref.registry).request({
      method: 'DELETE',
      url: `/v2/${ref.repository}/manifests/${ref.digest}`,
      scopes: [{ repository: ref.repository, actions: ['delete'] }],
      expect: [202, 200],
      operation: 'delete manifest',
      reference: formatReference(ref),
    });
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
        scopes: pull(ref.repository),
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
      scopes: pull(ref.repository),
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
      scopes: push(ref.repository),
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
        scopes: push(ref.repository),
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
