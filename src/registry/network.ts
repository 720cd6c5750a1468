/**
 * Network failures in words a user can act on: which host and port, what went wrong (refused, unknown name,
 * timed out, reset, a certificate problem), what to change, and how hard the client tried. fetch reports all of
 * them as "fetch failed" with the reason in its cause chain; node:http reports the reason itself.
 */
import { printable } from './text.js';

export type NetworkFailure =
  | 'refused'
  | 'unknown-host'
  | 'dns-unavailable'
  | 'unreachable'
  | 'timed-out'
  | 'reset'
  | 'tls-expired'
  | 'tls-untrusted'
  | 'tls-wrong-host'
  | 'tls'
  | 'proxy-refused';

/** Node's and undici's error codes, by the failure they mean. */
const CODES: Record<string, NetworkFailure> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'unknown-host',
  EAI_NONAME: 'unknown-host',
  EAI_AGAIN: 'dns-unavailable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ETIMEDOUT: 'timed-out',
  UND_ERR_CONNECT_TIMEOUT: 'timed-out',
  UND_ERR_HEADERS_TIMEOUT: 'timed-out',
  UND_ERR_BODY_TIMEOUT: 'timed-out',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ERR_STREAM_PREMATURE_CLOSE: 'reset',
  CERT_HAS_EXPIRED: 'tls-expired',
  CERT_NOT_YET_VALID: 'tls-expired',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls-untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'tls-untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls-untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls-untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls-untrusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls-wrong-host',
  EPROTO: 'tls',
};

/** Not network failures, whatever their cause chain says: corrupt bytes, a body over its limits, the deadline. */
const FINAL = new Set(['DigestMismatchError', 'BodyLimitError', 'DeadlineError']);

/** Worth another try: the same request may well get through later. The others fail the same way every time. */
const TRANSIENT = new Set<NetworkFailure>(['refused', 'dns-unavailable', 'timed-out', 'reset']);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

function chainOf(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let e: unknown = error; typeof e === 'object' && e !== null && chain.length < 6;) {
    const like = e as ErrorLike;
    chain.push(like);
    e = like.cause;
  }
  return chain;
}

/** What kind of network failure `error` is, or undefined when it is none (an HTTP answer, a digest check). */
export function classifyNetworkFailure(error: unknown): NetworkFailure | undefined {
  const chain = chainOf(error);
  if (chain.some((e) => typeof e.name === 'string' && FINAL.has(e.name))) return undefined;
  // A proxy that answered CONNECT with anything but 200 (undici: "Proxy response (403) !== 200 ...").
  const refusedByProxy = (e: ErrorLike): boolean =>
    e.code === 'EPROXY' || (typeof e.message === 'string' && /^Proxy response \(\d+\)/.test(e.message));
  if (chain.some(refusedByProxy)) return 'proxy-refused';
  for (const e of chain) {
    if (typeof e.code !== 'string') continue;
    if (CODES[e.code]) return CODES[e.code];
    if (/^ERR_SSL_|^ERR_TLS_|^CERT_/.test(e.code)) return 'tls';
    // node's HTTP parser on an answer that is not HTTP (another service on the port, a cut stream).
    if (/^HPE_/.test(e.code) || e.code === 'EBADSTATUS') return 'reset';
  }
  if (chain.some((e) => e.name === 'TimeoutError')) return 'timed-out';
  if (chain.some((e) => e.message === 'other side closed' || e.message === 'terminated')) return 'reset';
  if (chain.some((e) => e.name === 'TypeError' && e.message === 'fetch failed')) return 'reset';
  return undefined;
}

export function isTransientFailure(failure: NetworkFailure): boolean {
  return TRANSIENT.has(failure);
}

/** host:port of a URL, the port spelled out even when it is the scheme's default. */
export function endpointOf(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

const CAUSES: Record<NetworkFailure, string> = {
  refused: 'the connection was refused (nothing listens there)',
  'unknown-host': 'the host name is not known (DNS found no such host)',
  'dns-unavailable': 'the host name could not be looked up (DNS did not answer)',
  unreachable: 'the host or its network is unreachable from this runner',
  'timed-out': 'no answer in time',
  reset: 'the connection was closed before an answer came',
  'tls-expired': 'its TLS certificate has expired (or is not valid yet)',
  'tls-untrusted': 'its TLS certificate is signed by an authority this runner does not trust',
  'tls-wrong-host': 'its TLS certificate is for another host name',
  tls: 'the TLS handshake failed',
  'proxy-refused': 'the proxy refused to open a connection there',
};

/** Failures where the proxy, not the far end, is the likelier culprit. */
const PROXY_SIDE = new Set<NetworkFailure>([
  'refused',
  'unknown-host',
  'dns-unavailable',
  'unreachable',
  'timed-out',
  'reset',
  'proxy-refused',
]);

const PROXY = 'the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)';

function fixFor(failure: NetworkFailure, host: string, proxy?: string): string {
  if (proxy && PROXY_SIDE.has(failure)) {
    return `check the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY): the proxy at ${proxy} must run, be reachable from this runner and allow connections to ${host}; or list ${host} in NO_PROXY to reach it directly.`;
  }
  switch (failure) {
    case 'proxy-refused':
      return `check ${PROXY}.`;
    case 'refused':
      return `check the host and port in 'registry' (or the image reference), that the registry runs, and ${PROXY}.`;
    case 'unknown-host':
      return `check the spelling of ${host} in 'registry' (or the image reference), and ${PROXY}.`;
    case 'dns-unavailable':
    case 'unreachable':
    case 'timed-out':
    case 'reset':
      return `check that this runner can reach ${host} (a firewall, a self-hosted runner's network), and ${PROXY}.`;
    case 'tls-untrusted':
      return `for a registry with a private certificate authority (e.g. GitHub Enterprise Server), give the CA's PEM file in the step's env: NODE_EXTRA_CA_CERTS: /path/to/ca.pem. Never turn TLS checks off.`;
    case 'tls-wrong-host':
      return `use the host name the registry's certificate names in 'registry' (not an IP address or an alias), or have the certificate reissued for ${host}.`;
    case 'tls-expired':
      return `the registry's operator must renew its certificate (check the runner's clock too). Never turn TLS checks off.`;
    case 'tls':
      return `check that ${host} speaks https on that port (a plain-http port answers TLS with garbage), and ${PROXY}.`;
  }
}

/** A request that never got an HTTP answer: where to, why, what to change, how many tries over how long. */
export class NetworkError extends Error {
  readonly failure: NetworkFailure;
  /** host:port */
  readonly endpoint: string;
  readonly attempts: number;
  readonly elapsedMs: number;
  readonly fix: string;
  /** The innermost error message, e.g. `connect ECONNREFUSED 127.0.0.1:5000`. */
  readonly detail: string;
  /** What was being done, e.g. `get manifest ghcr.io/o/r:1` ('' when unknown). */
  readonly what: string;
  /** host:port of the proxy the request went through ('' for a direct connection). */
  readonly proxy: string;

  constructor(
    endpoint: string,
    failure: NetworkFailure,
    detail: string,
    options: { cause?: unknown; attempts?: number; elapsedMs?: number; what?: string; proxy?: string } = {},
  ) {
    const attempts = options.attempts ?? 1;
    const elapsedMs = options.elapsedMs ?? 0;
    const tries =
      attempts > 1
        ? `${attempts} attempts over ${(elapsedMs / 1000).toFixed(1)} s`
        : '1 attempt, not retried';
    const proxy = options.proxy ?? '';
    const fix = fixFor(failure, endpoint.replace(/:\d+$/, ''), proxy);
    const target = proxy ? `${endpoint} through the proxy ${proxy}` : endpoint;
    const what = options.what ?? '';
    super(
      `${what ? `${what}: c` : 'C'}ould not reach ${target}: ${CAUSES[failure]} (${printable(detail, 200)}; ${tries}).\nFix: ${fix}`,
      {
        cause: options.cause,
      },
    );
    this.name = 'NetworkError';
    this.failure = failure;
    this.endpoint = endpoint;
    this.attempts = attempts;
    this.elapsedMs = elapsedMs;
    this.fix = fix;
    this.detail = detail;
    this.what = what;
    this.proxy = proxy;
  }

  /** One line for a log: where and why, without the count of tries or the fix. */
  get brief(): string {
    const target = this.proxy ? `${this.endpoint} through the proxy ${this.proxy}` : this.endpoint;
    return `could not reach ${target}: ${CAUSES[this.failure]} (${printable(this.detail, 200)})`;
  }

  /** The same failure, with the count of attempts made and the time they took. */
  after(attempts: number, elapsedMs: number): NetworkError {
    return new NetworkError(this.endpoint, this.failure, this.detail, {
      cause: this.cause,
      what: this.what,
      proxy: this.proxy,
      attempts: Math.max(attempts, this.attempts),
      elapsedMs: Math.max(elapsedMs, this.elapsedMs),
    });
  }
}

/** The innermost message of a network error: `connect ECONNREFUSED 127.0.0.1:5000`, not "fetch failed". */
function detailOf(error: unknown): string {
  const chain = chainOf(error);
  const coded = chain.find((e) => typeof e.code === 'string' && typeof e.message === 'string');
  const last = coded ?? chain.at(-1);
  return typeof last?.message === 'string' ? last.message : String(error);
}

/** `error` as a NetworkError for a request to `url` (while doing `what`, through `proxy` if given) when it is a network failure; otherwise unchanged. */
export function asNetworkError(error: unknown, url: URL, what?: string, proxy?: URL): unknown {
  if (error instanceof NetworkError) return error;
  const failure = classifyNetworkFailure(error);
  if (failure === undefined) return error;
  const via = proxy ? endpointOf(proxy) : undefined;
  return new NetworkError(endpointOf(url), failure, detailOf(error), { cause: error, what, proxy: via });
}
