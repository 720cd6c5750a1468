import type { Readable } from 'node:stream';
import { Authenticator, type Credentials, type FetchLike, type RealmPolicy } from './auth.js';
import { limitsFrom, readLimited, remaining, type Limits } from './body.js';
import { RegistryError, describeErrors, parseErrorBody } from './errors.js';
import { asNetworkError } from './network.js';
import { proxyFor, proxySettingsFrom, type ProxySettings } from './proxy.js';
import { isLoopbackRegistry } from './reference.js';
import type { Scope } from './scope.js';
import { nodeFetch, streamRequest } from './stream-request.js';
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
  /** Time and size bounds (defaults in body.ts); the deadline of a client's transports is shared. */
  limits?: Limits;
  fetch?: FetchLike;
  onSecret?: (secret: string) => void;
  /** Which token services may get these credentials (auth.ts). */
  realmPolicy?: RealmPolicy;
  /** Forward proxies (proxy.ts); default: the environment's HTTPS_PROXY, HTTP_PROXY and NO_PROXY. */
  proxy?: ProxySettings;
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
  /** requestBytes: the caller checks the bytes against a digest, so they may come from a redirect target. */
  verified?: boolean;
}

const MAX_REDIRECTS = 5;
/** Of an error answer, at most this much is read (the rest is the registry's business). */
const MAX_ERROR_BYTES = 64 * 1024;
/** A body read whole (requestBytes): a manifest or a page of tags. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

function isStream(body: Body | undefined): body is { stream: () => Readable; length?: number } {
  return typeof body === 'object' && body !== null && 'stream' in body;
}

/**
 * HTTP to one registry: scheme by host (http on loopback only), User-Agent, authorization with one refresh on
 * 401, retries with backoff for transient failures, redirects followed by hand so that Authorization never
 * reaches another origin, and challenges learned from the registry's own origin only. Every wait is bounded.
 */
export class Transport {
  readonly registry: string;
  readonly base: string;
  readonly origin: string;
  readonly limits: Limits;
  private readonly auth: Authenticator;
  private readonly policy: RetryPolicy;
  private readonly logger: Logger;
  private readonly fetchImpl: FetchLike;
  private readonly userAgent: string;
  private readonly proxy: ProxySettings;

  constructor(options: TransportOptions) {
    this.registry = options.registry;
    this.base = `${isLoopbackRegistry(options.registry) ? 'http' : 'https'}://${options.registry}`;
    this.origin = new URL(this.base).origin;
    this.userAgent = options.userAgent;
    this.proxy = options.proxy ?? proxySettingsFrom(process.env);
    this.fetchImpl = options.fetch ?? nodeFetch(this.proxy);
    this.limits = options.limits ?? limitsFrom();
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.logger = options.logger ?? silentLogger;
    this.auth = new Authenticator({
      registry: options.registry,
      origin: this.origin,
      credentials: options.credentials,
      userAgent: options.userAgent,
      fetch: this.fetchImpl,
      proxy: this.proxy,
      onSecret: options.onSecret,
      limits: this.limits,
      realmPolicy: options.realmPolicy,
    });
  }

  /** Scopes later requests will need: every token this transport asks for covers them (auth.ts: want). */
  want = (scopes: Scope[]): void => this.auth.want(scopes);
  /** The retry policy, with the deadline as it is now (a client may renew it, see RegistryClient). */
  get retryPolicy(): RetryPolicy {
    return { ...this.policy, deadline: this.limits.deadline };
  }

  get log(): Logger {
    return this.logger;
  }

  /** Resolves a path or a URL the registry named (an upload Location, a Link) against it, under namedUrlProblem. */
  resolve(url: string): URL {
    const resolved = new URL(url, this.base);
    const problem = this.namedUrlProblem(resolved);
    if (problem) throw new RegistryError('follow', this.registry, undefined, [], problem);
    return resolved;
  }

  /**
   * Why a URL the registry names (a Location, a Link, a redirect) may not be followed, or undefined: it must be
   * http(s); plain http only to this machine; and this machine only when the registry is on it (a remote
   * registry must not make the runner send requests to its own local services).
   */
  namedUrlProblem(url: URL): string | undefined {
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return 'the registry named a URL that is not http(s)';
    const local = isLoopbackRegistry(url.host);
    if (url.protocol === 'http:' && !local)
      return `the registry named plain http at ${url.origin}: not followed`;
    if (local && !isLoopbackRegistry(this.registry))
      return `the registry named ${url.origin}, on this machine: not followed`;
    return undefined;
  }

  /**
   * Sends a request and returns the response once its status is one of `expect`; anything else becomes a
   * RegistryError. Replayable requests are retried on transient failures; a streamed body is not (the caller
   * owns the restart). The caller must consume or cancel the body. `requestWithUrl`: and where it came from.
   */
  async request(options: RequestOptions): Promise<Response> {
    return (await this.requestWithUrl(options)).response;
  }

  async requestWithUrl(options: RequestOptions): Promise<{ response: Response; url: URL }> {
    if (isStream(options.body) || options.retry === false) return this.attempt(options);
    const what = `${options.operation} ${options.reference}`;
    return retrying(what, this.retryPolicy, this.logger, () => this.attempt(options));
  }

  /** request() and the whole body read (at most `maxBytes`, in the body time limit), retried together. */
  async requestBytes(
    options: RequestOptions,
    maxBytes = MAX_BODY_BYTES,
  ): Promise<{ response: Response; bytes: Buffer; url: URL }> {
    return retrying(`${options.operation} ${options.reference}`, this.retryPolicy, this.logger, async () => {
      const { response, url } = await this.attempt(options);
      const what = `${options.operation} ${options.reference}`;
      // What is read whole is used as the registry's word (a tag list, a manifest by tag): it must be the
      // registry's own, not an answer from wherever a redirect led, unless a digest proves the bytes.
      if (url.origin !== this.origin && !options.verified) {
        await response.body?.cancel().catch(() => undefined);
        const why = `the answer came from ${url.origin}, where the registry sent the request: not used`;
        throw new RegistryError(options.operation, options.reference, response.status, [], why);
      }
      return { response, url, bytes: await readLimited(response, maxBytes, this.limits, what) };
    });
  }

  private async attempt(options: RequestOptions): Promise<{ response: Response; url: URL }> {
    let answer = await this.send(options, await this.auth.header(options.scopes));
    if (answer.response.status === 401 && !options.expect.includes(401)) {
      // Only the registry's own origin may say how to authenticate: a 401 from a redirect target, a Link or an
      // upload Location elsewhere is an answer, never a new token realm. One handshake or one token refresh per
      // request; a streamed body cannot be sent twice (its caller authenticates first and restarts).
      const own = answer.url.origin === this.origin;
      const challenge = answer.response.headers.get('www-authenticate');
      if (own && this.auth.learn(challenge, options.scopes) && !isStream(options.body)) {
        await answer.response.body?.cancel();
        answer = await this.send(options, await this.auth.header(options.scopes));
      } else if (!own) {
        this.logger.debug(
          `${options.operation}: a 401 from ${answer.url.origin}, not the registry: not followed`,
        );
      }
    }
    if (options.expect.includes(answer.response.status)) return answer;
    throw await this.failure(options, answer.response, answer.url);
  }

  /**
   * The registry's refusal, in its own words (bounded, printable). An answer from anywhere else (a redirect
   * target, a Location) is never quoted: a registry must not make the step read and print what only the runner
   * can reach.
   */
  private async failure(options: RequestOptions, response: Response, url: URL): Promise<RegistryError> {
    const what = `${options.operation} ${options.reference}`;
    if (url.origin !== this.origin) {
      await response.body?.cancel().catch(() => undefined);
      const why = `${url.origin}, where the registry sent the request, answered ${response.status}`;
      return new RegistryError(options.operation, options.reference, response.status, [], why);
    }
    const text =
      options.method === 'HEAD'
        ? ''
        : await readLimited(response, MAX_ERROR_BYTES, this.limits, what).then(
            (bytes) => bytes.toString('utf8'),
            () => '',
          );
    const errors = parseErrorBody(text);
    const why = errors.length ? describeErrors(errors) : response.statusText || 'unexpected answer';
    const error = new RegistryError(options.operation, options.reference, response.status, errors, why);
    error.retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return error;
  }

  /** One exchange, following redirects by hand; Authorization only ever goes to the registry's own origin. */
  private async send(
    options: RequestOptions,
    authorization: string | undefined,
  ): Promise<{ response: Response; url: URL }> {
    let url = this.resolve(options.url);
    let method = options.method;
    for (let hop = 0; ; hop++) {
      const response = await this.exchange(options, method, url, authorization);
      const location = response.headers.get('location');
      if (
        ![301, 302, 303, 307, 308].includes(response.status) ||
        !location ||
        options.expect.includes(response.status)
      ) {
        return { response, url };
      }
      await response.body?.cancel();
      const refuse = (why: string) =>
        new RegistryError(options.operation, options.reference, response.status, [], why);
      if (hop >= MAX_REDIRECTS) throw refuse('too many redirects');
      // A streamed body cannot be sent twice; the caller restarts the upload instead.
      if (isStream(options.body)) throw refuse('a streamed upload was redirected');
      const next = new URL(location, url);
      const problem = this.namedUrlProblem(next);
      if (problem) throw refuse(problem.replace('the registry named', 'redirected to'));
      if (next.origin !== this.origin) {
        this.logger.debug(`${options.operation}: redirected to ${next.origin} (no Authorization sent there)`);
      }
      if (response.status === 303) method = 'GET';
      url = next;
    }
  }

  /** One request to `url`: Authorization only to the registry's own origin, the answer's headers in time. */
  private async exchange(
    options: RequestOptions,
    method: string,
    url: URL,
    authorization: string | undefined,
  ): Promise<Response> {
    const what = `${options.operation} ${options.reference}`;
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, ...options.headers };
    if (authorization && url.origin === this.origin) headers.Authorization = authorization;
    const body = options.body;
    try {
      if (isStream(body)) {
        if (body.length !== undefined) headers['Content-Length'] = String(body.length);
        const proxy = proxyFor(url, this.proxy);
        return await streamRequest(url, method, headers, body.stream(), this.limits, proxy);
      }
      const init: RequestInit = { method, headers, redirect: 'manual' };
      if (body !== undefined && method !== 'GET' && method !== 'HEAD') init.body = body;
      return await this.fetchWithHeaderTimeout(url, init, what);
    } catch (error) {
      throw asNetworkError(error, url, what, proxyFor(url, this.proxy));
    }
  }

  /**
   * fetch with a time limit on the answer's headers only: the body is bounded by its reader (readLimited for a
   * body read whole, an idle watchdog for a streamed blob), not by a total deadline here.
   */
  private async fetchWithHeaderTimeout(url: URL, init: RequestInit, what: string): Promise<Response> {
    const ms = Math.min(this.limits.headersMs, remaining(this.limits, what));
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError' })),
      ms,
    );
    try {
      return await this.fetchImpl(url, { ...init, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  }
}
