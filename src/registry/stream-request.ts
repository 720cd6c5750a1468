/**
 * Every registry request over node:http(s), answered as a fetch Response. Measured on Node 20, against its
 * fetch: fetch keeps every chunk of a streamed body referenced until the request ends (peak RSS grew past 300 MB
 * for a 256 MiB upload; node:http with pipe() stays flat); its first use loads and compiles an HTTP parser in
 * WebAssembly (~60 ms), whose background optimisation then holds the process open for 100-150 ms after the
 * work is done. Connections are kept alive and reused through node's global agents.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { asResponse, type Body } from './answer.js';
import { DeadlineError, remaining, type Limits } from './body.js';
import { proxyAuthorization, proxyFor, tunnel, type ProxySettings } from './proxy.js';

/** No bytes moving for this long fails a streamed request (a retryable ETIMEDOUT). */
const IDLE_TIMEOUT_MS = 5 * 60 * 1000;
/** How long a proxy has to answer CONNECT when the caller gives no signal of its own. */
const TUNNEL_TIMEOUT_MS = 30_000;

/** Proxy-Authorization for a proxy with credentials in its URL. */
function proxyHeaders(proxy: URL): Record<string, string> {
  const token = proxyAuthorization(proxy);
  return token ? { 'Proxy-Authorization': token } : {};
}

const send = (url: URL): typeof httpRequest => (url.protocol === 'https:' ? httpsRequest : httpRequest);

/**
 * The request: direct; through a proxy's CONNECT tunnel (`socket`, for https); or, for http through a proxy,
 * sent to the proxy in absolute form, on a connection of its own (proxies such as tinyproxy close the
 * connection after each answer without saying so: a kept-alive one would fail the next request). `fresh`: a
 * new connection, not one from the pool.
 */
function open(
  url: URL,
  method: string,
  headers: Record<string, string>,
  route: { proxy?: URL; socket?: Socket; fresh: boolean },
): ClientRequest {
  const { proxy, socket } = route;
  if (socket) return send(url)(url, { method, headers, createConnection: () => socket });
  if (!proxy) return send(url)(url, { method, headers, ...(route.fresh ? { agent: false } : {}) });
  return send(proxy)({
    host: proxy.hostname.replace(/^\[|\]$/g, ''),
    port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
    path: url.href,
    method,
    headers: { ...headers, Host: url.host, ...proxyHeaders(proxy) },
    agent: false,
  });
}

interface Exchange {
  method: string;
  headers: Record<string, string>;
  /** Bytes sent whole (with their length), a stream piped with backpressure, or nothing. */
  body?: Buffer | Readable;
  proxy?: URL;
  /** Aborts the request (before or after the answer's headers: the body then fails with the reason). */
  signal?: AbortSignal;
  /** The step's deadline and, for a streamed body, the idle limit. */
  limits?: Limits;
}

/**
 * One request and its answer's headers; a failure rejects with node's own error (network.ts reads it). A
 * kept-alive connection the server closed as the request went out (`socket hang up` on a reused socket: a race
 * no client can avoid) is tried once more on a new connection, when the body can be sent again.
 */
async function exchange(url: URL, x: Exchange): Promise<Response> {
  x.signal?.throwIfAborted();
  const tunnelMs = x.limits ? x.limits.headersMs : TUNNEL_TIMEOUT_MS;
  const socket =
    x.proxy && url.protocol === 'https:' ? await tunnel(x.proxy, url, tunnelMs, {}, x.signal) : undefined;
  try {
    return await sendOnce(url, x, { proxy: x.proxy, socket, fresh: false });
  } catch (error) {
    const lost = (error as { code?: string }).code === 'ECONNRESET';
    const reused = (error as { reusedSocket?: boolean }).reusedSocket === true;
    // Only a direct request can have reused a connection (a proxy's are never pooled).
    if (!lost || !reused || x.proxy || x.body instanceof Readable || x.signal?.aborted) throw error;
    return sendOnce(url, x, { fresh: true });
  }
}

function sendOnce(
  url: URL,
  x: Exchange,
  route: { proxy?: URL; socket?: Socket; fresh: boolean },
): Promise<Response> {
  const what = `${x.method} ${url.pathname}`;
  return new Promise((resolve, reject) => {
    const headers = { ...x.headers };
    // A request without a body says so (as fetch does); node would otherwise send an empty chunked body.
    if (Buffer.isBuffer(x.body)) headers['Content-Length'] = String(x.body.length);
    else if (!x.body && !['GET', 'HEAD'].includes(x.method)) headers['Content-Length'] = '0';
    let req: ClientRequest;
    let left = 0;
    try {
      if (x.limits) left = remaining(x.limits, what); // before anything is opened
      x.signal?.throwIfAborted();
      req = open(url, x.method, headers, route); // throws on a header node refuses to send
    } catch (error) {
      route.socket?.destroy();
      if (x.body instanceof Readable) x.body.destroy();
      reject(error as Error);
      return;
    }
    let body: Body | undefined;
    // After the headers, the answer's body fails with the reason before the connection goes (never short).
    const kill = (reason: Error): void => {
      body?.fail(reason);
      req.destroy(reason);
    };
    const abort = (): void => kill(x.signal?.reason as Error);
    x.signal?.addEventListener('abort', abort, { once: true });
    const limits = x.limits;
    const deadline = limits && setTimeout(() => kill(new DeadlineError(what, limits.totalMs)), left);
    req.on('close', () => {
      clearTimeout(deadline);
      x.signal?.removeEventListener('abort', abort);
    });
    req.on('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
    req.on('response', (res) => {
      try {
        const answer = asResponse(res, x.method);
        body = answer.body;
        resolve(answer.response);
      } catch (error) {
        req.destroy(error as Error);
        reject(error);
      }
    });
    sendBody(req, x.body, kill);
  });
}

/** Bytes whole; a stream piped with backpressure, failing the request when nothing moves for the idle limit. */
function sendBody(req: ClientRequest, body: Exchange['body'], kill: (reason: Error) => void): void {
  if (!(body instanceof Readable)) {
    req.end(body);
    return;
  }
  req.setTimeout(IDLE_TIMEOUT_MS, () =>
    kill(Object.assign(new Error(`no progress for ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })),
  );
  // A failing source (a corrupt or cut download being copied) aborts the request with its own error.
  body.on('error', (error) => req.destroy(error));
  body.pipe(req);
}

/**
 * Sends `body` as the request body (with backpressure) and resolves with the answer as a fetch Response. The
 * request fails when nothing moves for the idle limit, and when the step's deadline (`limits`) passes. With
 * `proxy`, it goes through that proxy.
 */
export function streamRequest(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Readable,
  limits: Limits,
  proxy?: URL,
): Promise<Response> {
  return exchange(url, { method, headers, body, limits, proxy });
}

function plainHeaders(init: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  const entries =
    init instanceof Headers ? [...init.entries()] : Array.isArray(init) ? init : Object.entries(init);
  for (const [name, value] of entries as [string, unknown][])
    if (name && value !== undefined) out[name] = String(value);
  return out;
}

function bodyBytes(body: RequestInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('only string and byte bodies are sent this way (a stream goes through streamRequest)');
}

/**
 * A fetch for the registry client over node:http(s): `settings` choose the proxy of each URL. No redirect is
 * ever followed (every caller asks for 'manual' and follows by hand), no body is decoded (nothing asks for an
 * encoding), and the caller's signal aborts the request.
 */
export function nodeFetch(settings: ProxySettings): typeof fetch {
  return async (input, init = {}) => {
    // A string or a URL: the client never builds a Request.
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    return exchange(url, {
      method: (init.method ?? 'GET').toUpperCase(),
      headers: plainHeaders(init.headers),
      body: bodyBytes(init.body),
      proxy: proxyFor(url, settings),
      signal: init.signal ?? undefined,
    });
  };
}
