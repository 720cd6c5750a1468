import { parseChallenges, type Challenge } from './challenge.js';
import { RegistryError, describeErrors, parseErrorBody } from './errors.js';
import { scopeString, type Scope } from './scope.js';

/** A username and a secret for one registry. The secret never appears in a message or a log line. */
export interface Credentials {
  username: string;
  password: string;
}

/** Token answers without expires_in (ghcr.io's) are assumed to live this long. */
const DEFAULT_TOKEN_SECONDS = 60;
/** Refresh a cached token this long before it expires. */
const EXPIRY_MARGIN_MS = 5_000;

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
  private readonly tokens = new Map<string, CachedToken>();
  /** Scopes a challenge named beyond the ones asked for, kept for the scope set of that request only. */
  private readonly extraScopes = new Map<string, string[]>();

  private readonly registry: string;
  private readonly credentials: Credentials | undefined;
  private readonly userAgent: string;
  private readonly fetchImpl: FetchLike;
  private readonly onSecret: (secret: string) => void;
  private readonly now: () => number;

  constructor(options: {
    registry: string;
    credentials?: Credentials;
    userAgent: string;
    fetch?: FetchLike;
    /** Called with every registry token before it is used, so the caller can mask it in logs. */
    onSecret?: (secret: string) => void;
    now?: () => number;
  }) {
    this.registry = options.registry;
    this.credentials = options.credentials;
    this.userAgent = options.userAgent;
    this.fetchImpl = options.fetch ?? fetch;
    this.onSecret = options.onSecret ?? (() => undefined);
    this.now = options.now ?? Date.now;
  }

  /** The Authorization header for a request with these scopes, or undefined (anonymous or not yet known). */
  async header(scopes: Scope[]): Promise<string | undefined> {
    if (this.scheme === 'basic') return this.basicHeader();
    if (this.scheme !== 'bearer') return undefined;
    const key = scopes.map(scopeString).sort().join(' ');
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > this.now()) return `Bearer ${cached.token}`;
    const token = await this.fetchToken(scopes, this.extraScopes.get(key) ?? []);
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
      const key = scopes.map(scopeString).sort().join(' ');
      this.scheme = 'bearer';
      this.bearer = bearer.params;
      this.tokens.delete(key);
      const named = (bearer.params.scope ?? '').split(' ').filter(Boolean);
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
    const realm = this.bearer.realm ?? '';
    const url = new URL(realm);
    if (this.bearer.service) url.searchParams.set('service', this.bearer.service);
    // The registry may name a scope it needs that the caller did not think of: ask for it too.
    const wanted = new Set([...scopes.map(scopeString), ...extra]);
    for (const s of wanted) url.searchParams.append('scope', s);
    const headers: Record<string, string> = { 'User-Agent': this.userAgent, Accept: 'application/json' };
    const basic = this.basicHeader();
    if (basic) headers.Authorization = basic;
    const response = await this.fetchImpl(url, { headers, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    if (!response.ok) {
      const errors = parseErrorBody(text);
      throw new RegistryError(
        'authenticate to',
        this.registry,
        response.status,
        errors,
        `the token service at ${url.origin}${url.pathname} refused ${
          this.credentials ? `the credentials of '${this.credentials.username}'` : 'an anonymous request'
        }${errors.length ? ` (${describeErrors(errors)})` : ''}`,
      );
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new RegistryError(
        'authenticate to',
        this.registry,
        response.status,
        [],
        'the token answer is not JSON',
      );
    }
    const token = typeof body.token === 'string' && body.token ? body.token : body.access_token;
    if (typeof token !== 'string' || !token) {
      throw new RegistryError(
        'authenticate to',
        this.registry,
        response.status,
        [],
        'the token answer has no token',
      );
    }
    this.onSecret(token);
    const seconds =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    return { token, expiresAt: this.now() + seconds * 1000 };
  }
}
