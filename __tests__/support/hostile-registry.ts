/**
 * A hostile registry for end-to-end tests of the bundle: a loopback HTTP server that speaks just enough of the
 * OCI distribution API to serve an image (`GET /v2/`, manifests by tag and digest with HEAD and GET, blobs by
 * digest, `tags/list`, the start of an upload), behind Basic auth, Bearer auth with a token endpoint on itself,
 * or none. Every route can be taken over by a scenario's handler, and every request is recorded. A "thief" is
 * another origin that records everything it receives (method, URL, headers, body) and answers as it is told:
 * what a redirect, a Link, an upload Location or a token realm can name.
 */
import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { sha256 } from '../../src/registry/digest.js';
import type { MadeImage } from './registry.js';

/** One request as a server received it. */
export interface Recorded {
  method: string;
  /** Path and query, as received. */
  path: string;
  authorization?: string;
  userAgent?: string;
  headers: IncomingHttpHeaders;
  /** The request body (at most the first MiB). */
  body: Buffer;
}

/** The routes of the hostile registry; `other` is anything else. */
export type Route = 'ping' | 'token' | 'manifest' | 'blob' | 'tags' | 'upload' | 'other';

/** A request being answered: the handler writes `res` (and returns false to leave it to the default). */
export interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path and query, as received. */
  path: string;
  url: URL;
  body: Buffer;
  /** The repository named in the path (manifest, blob, tags, upload routes). */
  repository?: string;
  /** The tag or digest of a manifest, the digest of a blob, what follows `uploads/` for an upload. */
  reference?: string;
}

/** Answers a call itself (returning anything but false), or leaves it to the default (returning false). */
export type RouteHandler = (call: Call) => unknown;

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  /**
   * A token endpoint at /token on the registry itself (or `realm`, when the challenge is to name another one).
   * With `username` and `password`, the endpoint wants them as Basic; without, it gives anyone a token.
   */
  | { kind: 'bearer'; username?: string; password?: string; realm?: string; service?: string };

/** A manifest as stored: its bytes and type, and what Docker-Content-Digest says (its digest unless a lie). */
interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
  headerDigest: string | undefined;
}

export interface HostileRegistry {
  /** `127.0.0.1:PORT`: the `registry` input. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** Every request, in order. */
  requests: Recorded[];
  /** The tokens the token endpoint issued. */
  tokens: string[];
  /** Takes over a route (handlers run after the auth check, except for `token`). */
  on(route: Route, handler: RouteHandler): void;
  /** Serves a made image under `repository:tag` (and by digest): its manifest and blobs. */
  addImage(repository: string, tag: string | undefined, image: MadeImage): void;
  /**
   * Serves manifest bytes under `repository:tag` (and by digest). `headerDigest` replaces the true digest in
   * Docker-Content-Digest (null: none sent).
   */
  addManifest(
    repository: string,
    tag: string | undefined,
    manifest: { bytes: Buffer; mediaType: string },
    options?: { headerDigest?: string | null },
  ): string;
  /** Serves a blob in `repository` (blobs are per repository, as a registry's links are). */
  addBlob(repository: string, bytes: Buffer): string;
  close(): Promise<void>;
}

const MAX_RECORDED_BODY = 1024 * 1024;

const basicOf = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** A JSON error answer in the distribution spec's shape. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ errors: [{ code, message }] });
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/**
 * Streams `bytes` of `fill` (a repeated chunk) as the body, with backpressure, stopping when the client goes
 * away; Content-Length is sent only when `contentLength` is true (otherwise the body is chunked).
 */
export function streamFiller(
  res: ServerResponse,
  options: {
    status: number;
    bytes: number;
    contentLength: boolean;
    fill?: Buffer;
    headers?: Record<string, string>;
  },
): void {
  const chunk = options.fill ?? Buffer.alloc(64 * 1024, 0x20);
  res.writeHead(options.status, {
    ...options.headers,
    ...(options.contentLength ? { 'Content-Length': String(options.bytes) } : {}),
  });
  let left = options.bytes;
  let gone = false;
  res.on('close', () => (gone = true));
  const pump = (): void => {
    while (!gone && left > 0) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!gone) res.end();
  };
  pump();
}

/** Sends the headers now, then `body` one byte every `everyMs`, until it is done or the client goes away. */
export function trickle(
  res: ServerResponse,
  options: { status: number; body: Buffer; everyMs: number; headers?: Record<string, string> },
): void {
  res.writeHead(options.status, { ...options.headers, 'Content-Length': String(options.body.length) });
  res.flushHeaders();
  let sent = 0;
  const timer = setInterval(() => {
    if (sent >= options.body.length) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write(options.body.subarray(sent, sent + 1));
    sent++;
  }, options.everyMs);
  res.on('close', () => clearInterval(timer));
}

interface Listening {
  host: string;
  close(): Promise<void>;
}

/** A server on 127.0.0.1 (ephemeral port) that records each request with its body, then hands it on. */
async function listen(
  requests: Recorded[],
  handle: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void,
): Promise<Listening> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size < MAX_RECORDED_BODY) chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).subarray(0, MAX_RECORDED_BODY);
      const header = req.headers.authorization;
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: header,
        userAgent: req.headers['user-agent'],
        headers: req.headers,
        body,
      });
      res.on('error', () => undefined);
      try {
        handle(req, res, body);
      } catch (error) {
        if (!res.headersSent) sendError(res, 500, 'TEST_HANDLER', String(error));
        else res.destroy();
      }
    });
    req.on('error', () => undefined);
  });
  // A TLS hello (docker trying https first) or other garbage: drop the connection.
  server.on('clientError', (_error, socket) => socket.destroy());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function routeOf(url: URL): { route: Route; repository?: string; reference?: string } {
  const path = url.pathname;
  if (path === '/v2/' || path === '/v2') return { route: 'ping' };
  if (path === '/token') return { route: 'token' };
  let match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
  if (match)
    return { route: 'manifest', repository: match[1], reference: decodeURIComponent(match[2] ?? '') };
  match = /^\/v2\/(.+)\/blobs\/uploads\/(.*)$/.exec(path);
  if (match) return { route: 'upload', repository: match[1], reference: match[2] };
  match = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(path);
  if (match) return { route: 'blob', repository: match[1], reference: decodeURIComponent(match[2] ?? '') };
  match = /^\/v2\/(.+)\/tags\/list$/.exec(path);
  if (match) return { route: 'tags', repository: match[1] };
  return { route: 'other' };
}

/** Starts a hostile registry with the given auth; close it in afterAll. */
export async function startHostileRegistry(auth: RegistryAuth = { kind: 'none' }): Promise<HostileRegistry> {
  const requests: Recorded[] = [];
  const tokens: string[] = [];
  const handlers = new Map<Route, RouteHandler>();
  const manifests = new Map<string, StoredManifest>();
  const tags = new Map<string, Map<string, string>>();
  const blobs = new Map<string, Buffer>();
  let origin = '';

  const challenge = (): string => {
    if (auth.kind === 'basic') return 'Basic realm="x"';
    const realm = auth.kind === 'bearer' && auth.realm ? auth.realm : `${origin}/token`;
    const service = auth.kind === 'bearer' && auth.service ? auth.service : 'hostile';
    return `Bearer realm="${realm}",service="${service}"`;
  };

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization;
    if (auth.kind === 'none') return true;
    if (auth.kind === 'basic') return header === basicOf(auth.username, auth.password);
    return header !== undefined && tokens.some((token) => header === `Bearer ${token}`);
  };

  const token = (call: Call): void => {
    if (auth.kind !== 'bearer') return sendError(call.res, 404, 'NOT_FOUND', 'no token service here');
    if (auth.username !== undefined && auth.password !== undefined) {
      if (call.req.headers.authorization !== basicOf(auth.username, auth.password))
        return sendError(call.res, 401, 'UNAUTHORIZED', 'bad credentials');
    }
    const issued = `hostile-token-${randomBytes(8).toString('hex')}`;
    tokens.push(issued);
    const body = JSON.stringify({ token: issued, expires_in: 300 });
    call.res.writeHead(200, { 'Content-Type': 'application/json' });
    call.res.end(body);
  };

  const manifest = (call: Call): void => {
    const key = `${call.repository}@${call.reference}`;
    const digest = manifests.has(key)
      ? call.reference
      : tags.get(call.repository ?? '')?.get(call.reference ?? '');
    const stored = digest === undefined ? undefined : manifests.get(`${call.repository}@${digest}`);
    if (call.method !== 'GET' && call.method !== 'HEAD')
      return sendError(call.res, 405, 'UNSUPPORTED', 'this registry only serves');
    if (!stored) return sendError(call.res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
    const headers: Record<string, string> = {
      'Content-Type': stored.mediaType,
      'Content-Length': String(stored.bytes.length),
    };
    if (stored.headerDigest !== undefined) headers['Docker-Content-Digest'] = stored.headerDigest;
    call.res.writeHead(200, headers);
    call.res.end(call.method === 'HEAD' ? undefined : stored.bytes);
  };

  const blob = (call: Call): void => {
    const bytes = blobs.get(`${call.repository}@${call.reference}`);
    if (call.method !== 'GET' && call.method !== 'HEAD')
      return sendError(call.res, 405, 'UNSUPPORTED', 'this registry only serves');
    if (!bytes) return sendError(call.res, 404, 'BLOB_UNKNOWN', 'blob unknown');
    call.res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(bytes.length),
      'Docker-Content-Digest': call.reference ?? '',
    });
    call.res.end(call.method === 'HEAD' ? undefined : bytes);
  };

  const tagList = (call: Call): void => {
    const listed = tags.get(call.repository ?? '');
    if (!listed) return sendError(call.res, 404, 'NAME_UNKNOWN', 'repository name not known to registry');
    const body = JSON.stringify({ name: call.repository, tags: [...listed.keys()] });
    call.res.writeHead(200, { 'Content-Type': 'application/json' });
    call.res.end(body);
  };

  const upload = (call: Call): void => {
    if (call.method === 'POST' && call.reference === '') {
      call.res.writeHead(202, {
        Location: `/v2/${call.repository}/blobs/uploads/${randomBytes(8).toString('hex')}`,
        'Content-Length': '0',
      });
      return void call.res.end();
    }
    if (call.method === 'DELETE') return void call.res.writeHead(204).end();
    sendError(call.res, 405, 'UNSUPPORTED', 'this registry takes no uploads');
  };

  const defaults: Record<Route, (call: Call) => void> = {
    ping: (call) => {
      call.res.writeHead(200, {
        'Content-Type': 'application/json',
        'Docker-Distribution-API-Version': 'registry/2.0',
      });
      call.res.end('{}');
    },
    token,
    manifest,
    blob,
    tags: tagList,
    upload,
    other: (call) => sendError(call.res, 404, 'NOT_FOUND', 'not found'),
  };

  const server = await listen(requests, (req, res, body) => {
    const url = new URL(req.url ?? '/', origin);
    const { route, repository, reference } = routeOf(url);
    const call: Call = {
      req,
      res,
      method: req.method ?? '',
      path: req.url ?? '',
      url,
      body,
      repository,
      reference,
    };
    if (route !== 'token' && !authorized(req)) {
      return sendError(res, 401, 'UNAUTHORIZED', 'authentication required', {
        'WWW-Authenticate': challenge(),
        'Docker-Distribution-API-Version': 'registry/2.0',
      });
    }
    const handler = handlers.get(route);
    if (handler && handler(call) !== false) return;
    defaults[route](call);
  });
  origin = `http://${server.host}`;

  const addManifest: HostileRegistry['addManifest'] = (repository, tag, given, options = {}) => {
    const digest = sha256(given.bytes);
    const headerDigest = options.headerDigest === null ? undefined : (options.headerDigest ?? digest);
    manifests.set(`${repository}@${digest}`, { ...given, digest, headerDigest });
    const repoTags = tags.get(repository) ?? new Map<string, string>();
    if (tag !== undefined) repoTags.set(tag, digest);
    tags.set(repository, repoTags);
    return digest;
  };

  return {
    host: server.host,
    origin,
    requests,
    tokens,
    on: (route, handler) => void handlers.set(route, handler),
    addImage: (repository, tag, image) => {
      for (const [digest, bytes] of image.blobs) blobs.set(`${repository}@${digest}`, bytes);
      addManifest(repository, tag, image.manifest);
    },
    addManifest,
    addBlob: (repository, bytes) => {
      const digest = sha256(bytes);
      blobs.set(`${repository}@${digest}`, bytes);
      return digest;
    },
    close: server.close,
  };
}

/** What the thief answers: write `res` (the request is recorded already). */
export type ThiefAnswer = (req: IncomingMessage, res: ServerResponse, body: Buffer, thief: Thief) => void;

export interface Thief {
  host: string;
  origin: string;
  /** Everything received, in order. */
  received: Recorded[];
  /** What it answers; may be replaced at any time. */
  answer: ThiefAnswer;
  close(): Promise<void>;
}

/**
 * The default answer: 401 with `WWW-Authenticate: Bearer realm="<thief>/token"` to everything, and a token to
 * anyone who asks /token (so a client that went there would send the token on).
 */
export const challengeToThief: ThiefAnswer = (req, res, _body, thief) => {
  if ((req.url ?? '').startsWith('/token')) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token: 'stolen-token', expires_in: 300 }));
    return;
  }
  sendError(res, 401, 'UNAUTHORIZED', 'authentication required', {
    'WWW-Authenticate': `Bearer realm="${thief.origin}/token",service="thief",scope="repository:owner/app:pull,push"`,
  });
};

/** Starts a thief (another origin that records everything); close it in afterAll. */
export async function startThief(answer: ThiefAnswer = challengeToThief): Promise<Thief> {
  const received: Recorded[] = [];
  const thief = { received, answer } as Thief;
  const server = await listen(received, (req, res, body) => thief.answer(req, res, body, thief));
  thief.host = server.host;
  thief.origin = `http://${server.host}`;
  thief.close = server.close;
  return thief;
}

/** A thief that serves blobs by digest at any path ending in the digest: a CDN a registry redirects to. */
export function serveBlobs(blobs: Map<string, Buffer>): ThiefAnswer {
  return (req, res) => {
    const digest = /(sha256:[0-9a-f]{64})/.exec(decodeURIComponent(req.url ?? ''))?.[1];
    const bytes = digest === undefined ? undefined : blobs.get(digest);
    if (!bytes) return sendError(res, 404, 'BLOB_UNKNOWN', 'blob unknown');
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(bytes.length),
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  };
}
