import { limitsFrom, readLimited, remaining, type Limits } from './body.js';
import { parseChallenges, type Challenge } from './challenge.js';
import { RegistryError, describeErrors, parseErrorBody } from './errors.js';
import { checkRealm, type RealmPolicy } from './realm.js';
import { asNetworkError } from './network.js';
import { proxyFor, type ProxySettings } from './proxy.js';
import { isLoopbackRegistry } from './reference.js';
import { nodeFetch } from './stream-request.js';
import { mergeScopes, scopeString, type Scope } from './scope.js';

export type { RealmPolicy } from './realm.js';

/** A username and a secret for one registry. The secret never appears in a message or a log line. */
export interface Credentials {
  username: string;
  password: string;
}

/** Token answers without expires_in (ghcr.io's) are assumed to live this long. */
const DEFAULT_TOKEN_SECONDS = 60;
/** Refresh a cached token this long before it expires. */
const EXPIRY_MARGIN_MS = 5_000;
/** A token answer is small; a larger one is refused. */
const MAX_TOKEN_ANSWER_BYTES = 256 * 1024;
/** What a token may contain to go into an Authorization header. */
const TOKEN = /^[\x21-\x7e]{1,16384}$/;
/** A scope a challenge names, as the distribution spec writes them. */
const SCOPE = /^[a-z0-9]+(?:\([a-z0-9]+\))?:[a-z0-9._/:-]+:[a-z*,]+$/;

interface CachedToken {
  token: string;
  expiresAt: number;
}

export type FetchLike = typeof fetch;

/**
 * Authorization for one registry: learns the scheme from the first challenge, then answers every request with
 * Basic credentials or a bearer token for the request's scopes, cached per scope set until shortly before it
 * expires. Anonymous when no credentials are given (public pulls).
 */
export class Authenticator {
  private scheme: 'unknown' | 'none' | 'basic' | 'bearer' = 'unknown';
  private bearer: Record<string, string> = {};
  private realm: URL | undefined;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();
  /** Scopes a challenge named beyond the ones asked for, kept for the scope set of that request only. */
  private readonly extraScopes = new Map<string, string[]>();
  /** Scopes the caller said it will need (want()): every token asked for covers them too. */
  private wanted: Scope[] = [];

  private readonly registry: string;
  private readonly origin: string;
  private readonly limits: Limits;
  private readonly realmPolicy: RealmPolicy | undefined;
  private readonly credentials: Credentials | undefined;
  private readonly userAgent: string;
  private readonly fetchImpl: FetchLike;
  private readonly proxy: ProxySettings;
  private readonly onSecret: (secret: string) => void;
  private readonly now: () => number;

  constructor(options: {
    registry: string;
    /** The registry's own origin: a token service there may have its error answers quoted. */
    origin?: string;
    limits?: Limits;
    realmPolicy?: RealmPolicy;
    credentials?: Credentials;
    userAgent: string;
    fetch?: FetchLike;
    /** The proxies `fetch` goes through, for messages (proxy.ts). */
    proxy?: ProxySettings;
    /** Called with every registry token before it is used, so the caller can mask it in logs. */
    onSecret?: (secret: string) => void;
    now?: () => number;
  }) {
    this.registry = options.registry;
    this.origin =
      options.origin ?? `${isLoopbackRegistry(options.registry) ? 'http' : 'https'}://${options.registry}`;
    this.limits = options.limits ?? limitsFrom();
    this.realmPolicy = options.realmPolicy;
    this.credentials = options.credentials;
    this.userAgent = options.userAgent;
    this.proxy = options.proxy ?? {};
    this.fetchImpl = options.fetch ?? nodeFetch(this.proxy);
    this.onSecret = options.onSecret ?? (() => undefined);
    this.now = options.now ?? Date.now;
    // What is derived from the secret is a secret too: masked before any request can carry it.
    const basic = this.basicHeader();
    if (basic && this.credentials) {
      this.onSecret(this.credentials.password);
      this.onSecret(basic.slice('Basic '.length));
    }
  }

  /**
   * Declares scopes that later requests will need, so that one token request covers all of them (a promote's
   * pull of the source and push of the destination) instead of one token round trip per scope set. A token
   * service grants what it may; a request whose action was not granted is refused as it would be anyway.
   */
  want(scopes: Scope[]): void {
    this.wanted = mergeScopes(this.wanted, scopes);
  }

  /** The scopes a token for this request asks for: its own and the wanted ones, merged. */
  private tokenScopes(scopes: Scope[]): { all: Scope[]; key: string } {
    const all = mergeScopes(this.wanted, scopes);
    return { all, key: all.map(scopeString).join(' ') };
  }

  /** The Authorization header for a request with these scopes, or undefined (anonymous or not yet known). */
  async header(scopes: Scope[]): Promise<string | undefined> {
    if (this.scheme === 'basic') return this.basicHeader();
    if (this.scheme !== 'bearer') return undefined;
    const { all, key } = this.tokenScopes(scopes);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > this.now()) return `Bearer ${cached.token}`;
    let pending = this.pending.get(key);
    if (!pending) {
      // Requests sent together (parallel tag writes, blob copies) share one token request.
      pending = this.fetchToken(all, this.extraScopes.get(key) ?? []).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    const token = await pending;
    this.tokens.set(key, token);
    return `Bearer ${token.token}`;
  }

  /**
   * Learns from a 401's WWW-Authenticate header. Drops the cached token for these scopes so the next header()
   * fetches a fresh one. Returns false when there is nothing new to try (no usable challenge).
   */
  learn(wwwAuthenticate: string | null, scopes: Scope[]): boolean {
    const challenges = parseChallenges(wwwAuthenticate);
    const bearer = challenges.find((c: Challenge) => c.scheme === 'bearer' && c.params.realm);
    if (bearer) {
      // Checked before it is kept: credentials go to no realm that fails the rules (realm.ts).
      this.realm = checkRealm(bearer.params.realm ?? '', this.registry, this.realmPolicy);
      const { key } = this.tokenScopes(scopes);
      this.scheme = 'bearer';
      this.bearer = bearer.params;
      this.tokens.delete(key);
      const named = (bearer.params.scope ?? '').split(' ').filter((scope) => SCOPE.test(scope));
      if (named.length) this.extraScopes.set(key, named);
      return true;
    }
    if (challenges.some((c) => c.scheme === 'basic') && this.credentials) {
      const first = this.scheme !== 'basic';
      this.scheme = 'basic';
      return first;
    }
    return false;
  }

  /** True once a challenge has been seen, so a 401 after that is a refusal and not a first handshake. */
  get knowsScheme(): boolean {
    return this.scheme !== 'unknown';
  }

  private basicHeader(): string | undefined {
    if (!this.credentials) return undefined;
    const { username, password } = this.credentials;
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  private async fetchToken(scopes: Scope[], extra: string[]): Promise<CachedToken> {
    const url = new URL(this.realm ?? '');
    if (this.bearer.service) url.searchParams.set('service', this.bearer.service);
    // The registry may name a scope it needs that the caller did not think of: ask for it too.
    const wanted = new Set([...scopes.map(scopeString), ...extra]);
    for (const s of wanted) url.searchParams.append('scope', s);
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, Accept: 'application/json' };
    const basic = this.basicHeader();
    if (basic) headers.Authorization = basic;
    const what = `authenticate to ${this.registry}`;
    const signal = AbortSignal.timeout(Math.min(this.limits.headersMs, remaining(this.limits, what)));
    // No redirect is followed: the credentials went to the realm that was checked, and to nothing else.
    const response = await this.fetchImpl(url, { headers, signal, redirect: 'manual' }).catch(
      (error: unknown) => {
        throw asNetworkError(error, url, what, proxyFor(url, this.proxy));
      },
    );
    const text = (await readLimited(response, MAX_TOKEN_ANSWER_BYTES, this.limits, what)).toString('utf8');
    if (!response.ok) throw this.refused(url, response, text);
    return this.tokenOf(text, response.status);
  }

  /**
   * The token service's refusal: what failed and where. Its words are quoted only when it is the registry's own
   * origin (ghcr.io/token); another service's answer is never echoed (a realm must not make the step a probe).
   */
  private refused(url: URL, response: Response, text: string): RegistryError {
    const own = url.origin === this.origin;
    const errors = own ? parseErrorBody(text) : [];
    const who = this.credentials
      ? `the credentials of '${this.credentials.username}'`
      : 'an anonymous request';
    const status = 300 <= response.status && response.status < 400 ? 'with a redirect, not followed' : '';
    return new RegistryError(
      'authenticate to',
      this.registry,
      response.status,
      errors,
      `the token service at ${url.origin}${url.pathname} refused ${who}${status ? ` (${status})` : ''}${
        errors.length ? ` (${describeErrors(errors)})` : ''
      }`,
    );
  }

  private tokenOf(text: string, status: number): CachedToken {
    const bad = (why: string) => new RegistryError('authenticate to', this.registry, status, [], why);
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw bad('the token answer is not JSON');
    }
    const token = typeof body.token === 'string' && body.token ? body.token : body.access_token;
    if (typeof token !== 'string' || !token) throw bad('the token answer has no token');
    this.onSecret(token);
    if (!TOKEN.test(token)) throw bad('the token answer holds a token that cannot go in a header');
    const seconds =
      typeof body.expires_in === 'number' && body.expires_in > 0
        ? Math.min(body.expires_in, 86_400)
        : DEFAULT_TOKEN_SECONDS;
    return { token, expiresAt: this.now() + seconds * 1000 };
  }
}
