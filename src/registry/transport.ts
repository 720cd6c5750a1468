import type { Readable } from 'node:stream';
import { Authenticator, type Credentials, type FetchLike } from './auth.js';
import { RegistryError, describeErrors, parseErrorBody } from './errors.js';
import { isLoopbackRegistry } from './reference.js';
import type { Scope } from './scope.js';
import { streamRequest } from './stream-request.js';
import {
  DEFAULT_RETRY,
  parseRetryAfter,
  retrying,
  silentLogger,
  type Logger,
  type RetryPolicy,
} from './retry.js';

export interface TransportOptions {
  registry: string;
  userAgent: string;
  credentials?: Credentials;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** Per-request time limit for requests without a streamed body. */
  timeoutMs?: number;
  fetch?: FetchLike;
  onSecret?: (secret: string) => void;
}

/** A request body: bytes (replayable: retried here) or a one-shot stream (the caller restarts on failure). */
export type Body = Uint8Array | string | { stream: () => Readable; length?: number };

export interface RequestOptions {
  method: string;
  /** A path from the registry root (`/v2/...`) or an absolute URL (an upload Location). */
  url: string;
  scopes: Scope[];
  /** Statuses that are an answer, not a failure (e.g. 404 for a HEAD that asks whether something exists). */
  expect: number[];
  /** For messages: what is being done, and to what. */
  operation: string;
  reference: string;
  headers?: Record<string, string>;
  body?: Body;
  /** false when the caller retries the whole operation itself (an upload), so failures are not retried twice. */
  retry?: boolean;
}

const MAX_REDIRECTS = 5;

function isStream(body: Body | undefined): body is { stream: () => Readable; length?: number } {
  return typeof body === 'object' && body !== null && 'stream' in body;
}

/**
 * HTTP to one registry: scheme by host (http on loopback only), User-Agent, authorization with one refresh on
 * 401, retries with backoff for transient failures, and redirects followed by hand so that Authorization never
 * reaches another origin.
 */
export class Transport {
  readonly registry: string;
  readonly base: string;
  private readonly auth: Authenticator;
  private readonly policy: RetryPolicy;
  private readonly logger: Logger;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;
  private readonly userAgent: string;

  constructor(options: TransportOptions) {
    this.registry = options.registry;
    this.base = `${isLoopbackRegistry(options.registry) ? 'http' : 'https'}://${options.registry}`;
    this.userAgent = options.userAgent;
    this.fetchImpl = options.fetch ?? fetch;
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.logger = options.logger ?? silentLogger;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.auth = new Authenticator({
      registry: options.registry,
      credentials: options.credentials,
      userAgent: options.userAgent,
      fetch: this.fetchImpl,
      onSecret: options.onSecret,
    });
  }

  get retryPolicy(): RetryPolicy {
    return this.policy;
  }

  get log(): Logger {
    return this.logger;
  }

  /** Resolves an upload Location (relative or absolute) against the registry. */
  resolve(url: string): URL {
    return new URL(url, this.base);
  }

  /**
   * Sends a request and returns the response once its status is one of `expect`; anything else becomes a
   * RegistryError. Replayable requests are retried on transient failures; a streamed body is not (the caller
   * owns the restart). The caller must consume or cancel the returned body.
   */
  async request(options: RequestOptions): Promise<Response> {
    if (isStream(options.body) || options.retry === false) return this.attempt(options);
    return retrying(`${options.operation} ${options.reference}`, this.policy, this.logger, () =>
      this.attempt(options),
    );
  }

  /** request() and the whole body read, retried together (a body cut short is retried too). */
  async requestBytes(options: RequestOptions): Promise<{ response: Response; bytes: Buffer }> {
    return retrying(`${options.operation} ${options.reference}`, this.policy, this.logger, async () => {
      const response = await this.attempt(options);
      return { response, bytes: Buffer.from(await response.arrayBuffer()) };
    });
  }

  private async attempt(options: RequestOptions): Promise<Response> {
    let response = await this.send(options, await this.auth.header(options.scopes));
    if (response.status === 401 && !options.expect.includes(401)) {
      const challenge = response.headers.get('www-authenticate');
      // One handshake or one token refresh per request; a second 401 is the registry's answer. A streamed body
      // cannot be sent twice: its caller authenticates first (the upload POST) and restarts on failure.
      if (this.auth.learn(challenge, options.scopes) && !isStream(options.body)) {
        await response.body?.cancel();
        response = await this.send(options, await this.auth.header(options.scopes));
      }
    }
    if (options.expect.includes(response.status)) return response;
    throw await this.failure(options, response);
  }

  private async failure(options: RequestOptions, response: Response): Promise<RegistryError> {
    const text = options.method === 'HEAD' ? '' : await response.text().catch(() => '');
    const errors = parseErrorBody(text);
    const why = errors.length ? describeErrors(errors) : response.statusText || 'unexpected answer';
    const error = new RegistryError(options.operation, options.reference, response.status, errors, why);
    error.retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return error;
  }

  /** One exchange, following redirects by hand; Authorization only ever goes to the registry's own origin. */
  private async send(options: RequestOptions, authorization: string | undefined): Promise<Response> {
    let url = this.resolve(options.url);
    // Authorization belongs to the registry's own origin, not to whatever URL it hands out (an upload
    // Location, a Link, a redirect may all point elsewhere).
    const origin = new URL(this.base).origin;
    let method = options.method;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'User-Agent': this.userAgent, ...options.headers };
      if (authorization && url.origin === origin) headers.Authorization = authorization;
      const body = options.body;
      let response: Response;
      if (isStream(body)) {
        if (body.length !== undefined) headers['Content-Length'] = String(body.length);
        response = await streamRequest(url, method, headers, body.stream());
      } else {
        const init: RequestInit = { method, headers, redirect: 'manual' };
        if (body !== undefined && method !== 'GET' && method !== 'HEAD') init.body = body;
        response = await this.fetchWithHeaderTimeout(url, init);
      }
      const location = response.headers.get('location');
      if (
        ![301, 302, 303, 307, 308].includes(response.status) ||
        !location ||
        options.expect.includes(response.status)
      ) {
        return response;
      }
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) {
        throw new RegistryError(
          options.operation,
          options.reference,
          response.status,
          [],
          'too many redirects',
        );
      }
      if (isStream(body)) {
        // A streamed body cannot be sent twice; the caller restarts the upload instead.
        throw new RegistryError(
          options.operation,
          options.reference,
          response.status,
          [],
          'a streamed upload was redirected',
        );
      }
      const next = new URL(location, url);
      if (next.origin !== origin) {
        this.logger.debug(`${options.operation}: redirected to ${next.origin} (no Authorization sent there)`);
      }
      if (response.status === 303) method = 'GET';
      url = next;
    }
  }

  /**
   * fetch with a time limit on the answer's headers only: the body (a layer of any size) is read under
   * undici's own idle timeout, not under a total deadline.
   */
  private async fetchWithHeaderTimeout(url: URL, init: RequestInit): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(
      () =>
        controller.abort(
          Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { name: 'TimeoutError' }),
        ),
      this.timeoutMs,
    );
    try {
      return await this.fetchImpl(url, { ...init, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  }
}
