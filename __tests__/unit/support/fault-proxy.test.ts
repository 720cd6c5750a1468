import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type RequestOptions,
  type Server,
} from 'node:http';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';

const MIB = 1024 * 1024;
/** A known blob: every byte differs from its neighbours, so a flipped byte is easy to find. */
const BLOB = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 31 + 7) % 256));

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** A stand-in registry: what it answers depends only on method and path; it remembers what it saw. */
interface Upstream {
  server: Server;
  url: string;
  host: string;
  seen: { method: string; path: string; headers: IncomingHttpHeaders }[];
  /** Called once with the first body byte of the next PUT /stream. */
  onFirstStreamByte?: () => void;
  /** Request bodies that stopped before their end: the bytes received of each. */
  cut: number[];
}

async function startUpstream(): Promise<Upstream> {
  const upstream: Upstream = { server: createServer(), url: '', host: '', seen: [], cut: [] };
  upstream.server.on('request', (req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    upstream.seen.push({ method: req.method ?? '', path, headers: req.headers });
    if (req.method === 'POST' && path === '/upload') {
      // Like the distribution registry: an absolute Location built from the Host it was sent.
      res.writeHead(202, {
        location: `http://${req.headers.host}/v2/uploads/123?_state=abc`,
        'content-length': 0,
      });
      res.end();
    } else if (req.method === 'PUT' || req.method === 'POST') {
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        if (bytes === 0 && path === '/stream') upstream.onFirstStreamByte?.();
        bytes += chunk.length;
        hash.update(chunk);
      });
      req.on('close', () => {
        if (!req.complete) upstream.cut.push(bytes);
      });
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sha256: hash.digest('hex'), bytes, host: req.headers.host }));
      });
    } else if (path === '/blob') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BLOB.length });
      res.end(req.method === 'HEAD' ? undefined : BLOB);
    } else if (path === '/chunked') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(BLOB.subarray(0, 1000));
      res.end(BLOB.subarray(1000));
    } else if (path === '/v2/') {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${upstream.url}/token",service="test"` });
      res.end();
    } else if (path === '/slow-head') {
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('late'), 200);
    } else if (path === '/relative' || path === '/elsewhere') {
      const location = path === '/relative' ? '/blob' : 'http://example.invalid/blob';
      res.writeHead(307, { location }).end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path }));
    }
  });
  upstream.server.listen(0, '127.0.0.1');
  await once(upstream.server, 'listening');
  const address = upstream.server.address();
  if (address === null || typeof address === 'string') throw new Error('no upstream address');
  upstream.host = `127.0.0.1:${address.port}`;
  upstream.url = `http://${upstream.host}`;
  return upstream;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  complete: boolean;
}

/** A request with node:http, whose response resolves even when its body is cut short. */
function rawRequest(url: string, options: RequestOptions = {}, body?: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => undefined);
      res.on('close', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          complete: res.complete,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

let upstream: Upstream;
let proxy: FaultProxy;

beforeAll(async () => {
  upstream = await startUpstream();
  proxy = await startFaultProxy(upstream.url);
});

afterEach(() => proxy.clearRules());

afterAll(async () => {
  await proxy.close();
  upstream.server.closeAllConnections();
  await new Promise((resolve) => upstream.server.close(resolve));
});

describe('startFaultProxy', () => {
  it('listens on two distinct origins on 127.0.0.1', () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(proxy.url).toBe(`http://${proxy.host}`);
    expect(proxy.otherOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(proxy.otherOrigin).not.toBe(proxy.url);
  });

  it('forwards a response unchanged, with the upstream host and without hop-by-hop headers', async () => {
    const res = await rawRequest(`${proxy.url}/blob`, {
      headers: { connection: 'close, x-hop', 'x-hop': '1', 'x-end': '2' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(BLOB.length));
    expect(sha256(res.body)).toBe(sha256(BLOB));
    const seen = upstream.seen.at(-1);
    expect(seen?.headers.host).toBe(upstream.host);
    expect(seen?.headers['x-end']).toBe('2');
    expect(seen?.headers['x-hop']).toBeUndefined();
  });

  it('streams a 20 MiB chunked request body: the upstream gets bytes before the client has sent them all', async () => {
    const firstByte = new Promise<void>((resolve) => (upstream.onFirstStreamByte = resolve));
    const hash = createHash('sha256');
    const req = request(`${proxy.url}/stream`, { method: 'PUT', agent: false });
    const response = once(req, 'response') as Promise<[IncomingMessage]>;
    for (let i = 0; i < 20; i += 1) {
      const chunk = Buffer.alloc(MIB, i);
      hash.update(chunk);
      if (!req.write(chunk)) await once(req, 'drain');
      if (i === 0) await firstByte; // would hang if the proxy buffered the whole body
    }
    req.end();
    const [res] = await response;
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toEqual({
      sha256: hash.digest('hex'),
      bytes: 20 * MIB,
      host: upstream.host,
    });
    expect(upstream.seen.at(-1)?.headers['transfer-encoding']).toBe('chunked');
  });

  it('forwards a 20 MiB request body with Content-Length', async () => {
    const body = Buffer.alloc(20 * MIB, 7);
    const res = await fetch(`${proxy.url}/echo`, { method: 'PUT', body });
    expect(await res.json()).toEqual({ sha256: sha256(body), bytes: body.length, host: upstream.host });
    expect(upstream.seen.at(-1)?.headers['content-length']).toBe(String(body.length));
  });

  it('points absolute Locations at the upstream back at the origin that received the request', async () => {
    const main = await fetch(`${proxy.url}/upload`, { method: 'POST' });
    expect(main.status).toBe(202);
    expect(main.headers.get('location')).toBe(`${proxy.url}/v2/uploads/123?_state=abc`);
    const other = await fetch(`${proxy.otherOrigin}/upload`, { method: 'POST' });
    expect(other.headers.get('location')).toBe(`${proxy.otherOrigin}/v2/uploads/123?_state=abc`);
  });

  it('leaves relative and foreign Locations and WWW-Authenticate untouched', async () => {
    const relative = await fetch(`${proxy.url}/relative`, { redirect: 'manual' });
    expect(relative.headers.get('location')).toBe('/blob');
    const elsewhere = await fetch(`${proxy.url}/elsewhere`, { redirect: 'manual' });
    expect(elsewhere.headers.get('location')).toBe('http://example.invalid/blob');
    const challenge = await fetch(`${proxy.url}/v2/`);
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toBe(
      `Bearer realm="${upstream.url}/token",service="test"`,
    );
  });

  it('records every request: method, path with query, Authorization and status', async () => {
    const before = proxy.requests.length;
    await fetch(`${proxy.url}/tags?n=2&last=a`, { headers: { authorization: 'Bearer secret' } });
    await fetch(`${proxy.url}/blob`, { method: 'HEAD' });
    expect(proxy.requests.slice(before)).toEqual([
      { method: 'GET', path: '/tags?n=2&last=a', authorization: 'Bearer secret', status: 200 },
      { method: 'HEAD', path: '/blob', status: 200 },
    ]);
  });
});

describe('an unreachable upstream', () => {
  it('answers 502 and closes cleanly, even with a delayed request pending', async () => {
    const spare = createServer();
    spare.listen(0, '127.0.0.1');
    await once(spare, 'listening');
    const address = spare.address();
    if (address === null || typeof address === 'string') throw new Error('no spare address');
    await new Promise((resolve) => spare.close(resolve)); // nothing listens there any more
    const dead = await startFaultProxy(`http://127.0.0.1:${address.port}`);
    const res = await fetch(`${dead.url}/blob`);
    expect(res.status).toBe(502);
    expect(dead.requests).toEqual([{ method: 'GET', path: '/blob', status: 502 }]);
    dead.addRule({ path: /.*/, fault: { kind: 'delay', ms: 60_000 } });
    const pending = fetch(`${dead.url}/blob`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await dead.close();
    await expect(pending).rejects.toThrow();
  });
});

describe('faults', () => {
  it('status: answers without forwarding, with the given headers and body', async () => {
    proxy.addRule({
      path: /^\/blob$/,
      fault: { kind: 'status', status: 429, headers: { 'Retry-After': '2' }, body: 'slow down' },
    });
    const seen = upstream.seen.length;
    const res = await fetch(`${proxy.url}/blob`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.text()).toBe('slow down');
    expect(upstream.seen.length).toBe(seen);
    expect(proxy.requests.at(-1)).toEqual({ method: 'GET', path: '/blob', status: 429, fault: 'status 429' });
  });

  it('status: also answers a request whose body it never forwards', async () => {
    proxy.addRule({ method: 'PUT', path: /^\/echo$/, fault: { kind: 'status', status: 503 } });
    const res = await fetch(`${proxy.url}/echo`, { method: 'PUT', body: Buffer.alloc(4 * MIB, 1) });
    expect(res.status).toBe(503);
    const next = await fetch(`${proxy.url}/echo`, { method: 'PUT', body: Buffer.from('ok') });
    expect(next.status).toBe(201);
  });

  it('drop: resets the connection without a response', async () => {
    proxy.addRule({ path: /^\/blob$/, fault: { kind: 'drop' } });
    const before = proxy.requests.length;
    await expect(fetch(`${proxy.url}/blob`)).rejects.toThrow();
    expect(proxy.requests.slice(before)).toEqual([{ method: 'GET', path: '/blob', fault: 'drop' }]);
    expect((await fetch(`${proxy.url}/blob`)).status).toBe(200);
  });

  it('truncate: sends the upstream head and only the first bytes of the body', async () => {
    proxy.addRule({ path: /^\/blob$/, fault: { kind: 'truncate', bytes: 1000 } });
    const res = await rawRequest(`${proxy.url}/blob`);
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(BLOB.length));
    expect(res.complete).toBe(false);
    expect(res.body).toEqual(BLOB.subarray(0, 1000));
    expect(proxy.requests.at(-1)).toEqual({
      method: 'GET',
      path: '/blob',
      status: 200,
      fault: 'truncate 1000',
    });
  });

  it('truncate: fetch sees the head, then reading the body fails', async () => {
    proxy.addRule({ path: /^\/blob$/, fault: { kind: 'truncate', bytes: 0 } });
    const res = await fetch(`${proxy.url}/blob`);
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
  });

  it.each(['/blob', '/chunked'])('corrupt: flips the middle byte of %s, keeping the length', async (path) => {
    proxy.addRule({ path: new RegExp(`^${path}$`), fault: { kind: 'corrupt' } });
    const res = await fetch(`${proxy.url}${path}`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-length')).toBe(String(BLOB.length));
    expect(body.length).toBe(BLOB.length);
    const differing = [...body.keys()].filter((i) => body[i] !== BLOB[i]);
    expect(differing).toEqual([Math.floor(BLOB.length / 2)]);
    expect(proxy.requests.at(-1)?.fault).toBe('corrupt');
  });

  it('redirect: 307 to the same path on the other origin, which records the Authorization sent to it', async () => {
    proxy.addRule({ path: /^\/blob/, fault: { kind: 'redirect', to: 'other-origin' } });
    const res = await fetch(`${proxy.url}/blob?x=1`, {
      redirect: 'manual',
      headers: { authorization: 'Bearer main' },
    });
    expect(res.status).toBe(307);
    const location = res.headers.get('location');
    expect(location).toBe(`${proxy.otherOrigin}/blob?x=1`);
    expect(proxy.requests.at(-1)).toEqual({
      method: 'GET',
      path: '/blob?x=1',
      authorization: 'Bearer main',
      status: 307,
      fault: 'redirect',
    });

    const followed = await fetch(location ?? '', { headers: { authorization: 'Bearer leaked' } });
    expect(followed.status).toBe(200);
    expect(proxy.otherOriginRequests.at(-1)).toEqual({
      method: 'GET',
      path: '/blob?x=1',
      authorization: 'Bearer leaked',
      status: 200,
    });
    await fetch(location ?? '');
    expect(proxy.otherOriginRequests.at(-1)?.authorization).toBeUndefined();
  });

  it('delay: waits, then forwards', async () => {
    proxy.addRule({ path: /^\/blob$/, fault: { kind: 'delay', ms: 300 } });
    const started = Date.now();
    const res = await fetch(`${proxy.url}/blob`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(BLOB);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(proxy.requests.at(-1)).toEqual({ method: 'GET', path: '/blob', status: 200, fault: 'delay 300' });
  });
});

describe('rules', () => {
  const statuses = async (n: number, path = '/blob'): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i += 1) out.push((await fetch(`${proxy.url}${path}`)).status);
    return out;
  };

  it('apply to the first `times` matching requests, once by default', async () => {
    proxy.addRule({ path: /^\/blob$/, times: 2, fault: { kind: 'status', status: 503 } });
    expect(await statuses(3)).toEqual([503, 503, 200]);
    proxy.addRule({ path: /^\/blob$/, fault: { kind: 'status', status: 500 } });
    expect(await statuses(2)).toEqual([500, 200]);
  });

  it('apply forever with times: Infinity, until cleared', async () => {
    proxy.addRule({ path: /blob/, times: Infinity, fault: { kind: 'status', status: 503 } });
    expect(await statuses(5)).toEqual([503, 503, 503, 503, 503]);
    proxy.clearRules();
    expect(await statuses(1)).toEqual([200]);
  });

  it('are checked in insertion order', async () => {
    proxy.addRule({ path: /^\/blob$/, fault: { kind: 'status', status: 500 } });
    proxy.addRule({ path: /^\/blob$/, times: 2, fault: { kind: 'status', status: 503 } });
    expect(await statuses(4)).toEqual([500, 503, 503, 200]);
  });

  it('match the method when one is given, and the path with its query', async () => {
    proxy.addRule({ method: 'HEAD', path: /^\/blob\?probe$/, fault: { kind: 'status', status: 500 } });
    expect(await statuses(1, '/blob?probe')).toEqual([200]);
    expect(await statuses(1, '/blob')).toEqual([200]);
    expect((await fetch(`${proxy.url}/blob`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${proxy.url}/blob?probe`, { method: 'HEAD' })).status).toBe(500);
  });

  it('never apply on the other origin', async () => {
    proxy.addRule({ path: /.*/, times: Infinity, fault: { kind: 'drop' } });
    const res = await fetch(`${proxy.otherOrigin}/blob`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(BLOB);
    expect(proxy.otherOriginRequests.at(-1)).toEqual({ method: 'GET', path: '/blob', status: 200 });
  });
});

/** Milliseconds since `started`. */
const since = (started: number): number => Date.now() - started;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('trickle', () => {
  it('sends the body in small pieces over time, whole and unchanged', async () => {
    proxy.addRule({ path: /^\/blob$/, fault: { kind: 'trickle', bytes: 25_000, everyMs: 150 } });
    const started = Date.now();
    const arrivals: number[] = [];
    const chunks: Buffer[] = [];
    const res = await new Promise<IncomingMessage>((resolve, reject) =>
      request(`${proxy.url}/blob`, { agent: false }, resolve).on('error', reject).end(),
    );
    for await (const chunk of res) {
      arrivals.push(since(started));
      chunks.push(chunk as Buffer);
    }
    expect(Buffer.concat(chunks)).toEqual(BLOB);
    expect(res.headers['content-length']).toBe(String(BLOB.length));
    // Four pieces of 25000 bytes, however the upstream chunked them, at least 150 ms apart (lower bounds
    // only: a loaded machine may be slower, never faster), the body complete only after the last wait.
    expect(chunks.map((chunk) => chunk.length)).toEqual([25_000, 25_000, 25_000, 25_000]);
    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(150 - 20);
    expect(since(started)).toBeGreaterThanOrEqual(4 * 150 - 20);
    expect(proxy.requests.at(-1)).toEqual({
      method: 'GET',
      path: '/blob',
      status: 200,
      fault: 'trickle 25000/150',
    });
  });

  it('sends a body that is no multiple of the piece size whole, its rest last', async () => {
    proxy.addRule({ path: /^\/blob$/, fault: { kind: 'trickle', bytes: 30_000, everyMs: 20 } });
    const res = await fetch(`${proxy.url}/blob`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(BLOB);
  });

  it('stops when the client goes away, and close() clears its timers', async () => {
    const slow = await startFaultProxy(upstream.url);
    slow.addRule({ path: /^\/blob$/, fault: { kind: 'trickle', bytes: 1000, everyMs: 1000 } });
    const controller = new AbortController();
    const res = await fetch(`${slow.url}/blob`, { signal: controller.signal });
    expect(res.status).toBe(200);
    controller.abort();
    await slow.close(); // would keep jest waiting on 100 pending pieces otherwise
  });
});

describe('cut-request', () => {
  it('forwards the first bytes of a request body, then cuts both connections', async () => {
    proxy.addRule({ method: 'PUT', path: /^\/echo$/, fault: { kind: 'cut-request', bytes: 100_000 } });
    const cutBefore = upstream.cut.length;
    await expect(
      fetch(`${proxy.url}/echo`, { method: 'PUT', body: Buffer.alloc(4 * MIB, 3) }),
    ).rejects.toThrow();
    for (let i = 0; i < 50 && upstream.cut.length === cutBefore; i += 1) await sleep(20);
    expect(upstream.cut.slice(cutBefore)).toEqual([100_000]);
    expect(proxy.requests.at(-1)).toEqual({ method: 'PUT', path: '/echo', fault: 'cut-request 100000' });
    // Only that one request: the next goes through whole.
    const next = await fetch(`${proxy.url}/echo`, { method: 'PUT', body: Buffer.alloc(MIB, 3) });
    expect(await next.json()).toMatchObject({ bytes: MIB });
  });

  it('lets a body shorter than `bytes` through whole, unrecorded, and stays armed for the next one', async () => {
    proxy.addRule({ method: 'PUT', path: /^\/echo$/, fault: { kind: 'cut-request', bytes: 100_000 } });
    const small = await fetch(`${proxy.url}/echo`, { method: 'PUT', body: Buffer.alloc(1000, 1) });
    expect(await small.json()).toMatchObject({ bytes: 1000 });
    expect(proxy.requests.at(-1)).toEqual({ method: 'PUT', path: '/echo', status: 201 });
    await expect(fetch(`${proxy.url}/echo`, { method: 'PUT', body: Buffer.alloc(MIB, 1) })).rejects.toThrow();
    expect(proxy.requests.at(-1)?.fault).toBe('cut-request 100000');
  });

  it('is used by the body that reaches `bytes`, not by a shorter one that arrived first (parallel uploads)', async () => {
    proxy.addRule({ method: 'PUT', path: /^\/echo$/, fault: { kind: 'cut-request', bytes: 100_000 } });
    const before = proxy.requests.length;
    // A short upload, still open when a long one arrives: it cannot take the rule from the long one.
    const short = request(`${proxy.url}/echo`, { method: 'PUT', agent: false });
    const shortResponse = once(short, 'response') as Promise<[IncomingMessage]>;
    short.write(Buffer.alloc(1000, 1));
    await expect(fetch(`${proxy.url}/echo`, { method: 'PUT', body: Buffer.alloc(MIB, 1) })).rejects.toThrow();
    short.end();
    const [res] = await shortResponse;
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toMatchObject({ bytes: 1000 });
    expect(proxy.requests.slice(before).map((r) => r.fault)).toEqual([undefined, 'cut-request 100000']);
  });
});

describe('outage', () => {
  let restartable: FaultProxy;
  beforeAll(async () => {
    restartable = await startFaultProxy(upstream.url);
  });
  afterEach(() => restartable.clearRules());
  afterAll(() => restartable.close());

  it('outage(ms): resets every connection for the window, cuts requests in flight, then forwards again', async () => {
    restartable.addRule({ path: /^\/blob$/, fault: { kind: 'delay', ms: 2000 } });
    const inFlight = fetch(`${restartable.url}/blob`);
    await sleep(50);
    const started = Date.now();
    restartable.outage(400);
    await expect(inFlight).rejects.toThrow();
    await expect(fetch(`${restartable.url}/plain`)).rejects.toThrow();
    expect(restartable.refused).toBeGreaterThanOrEqual(1);
    await sleep(400 - since(started) + 20);
    expect((await fetch(`${restartable.url}/plain`)).status).toBe(200);
  });

  it('an outage rule with afterBytes starts mid-upload: the upload is cut, and so is every request until it ends', async () => {
    restartable.addRule({
      method: 'PUT',
      path: /^\/upload-here$/,
      fault: { kind: 'outage', ms: 500, afterBytes: 200_000 },
    });
    const cutBefore = upstream.cut.length;
    const refusedBefore = restartable.refused;
    await expect(
      fetch(`${restartable.url}/upload-here`, { method: 'PUT', body: Buffer.alloc(4 * MIB, 5) }),
    ).rejects.toThrow();
    const started = Date.now();
    for (let i = 0; i < 50 && upstream.cut.length === cutBefore; i += 1) await sleep(10);
    expect(upstream.cut.slice(cutBefore)).toEqual([200_000]);
    expect(restartable.requests.at(-1)).toEqual({
      method: 'PUT',
      path: '/upload-here',
      fault: 'outage 500',
    });
    await expect(fetch(`${restartable.url}/blob`)).rejects.toThrow();
    expect(restartable.refused).toBeGreaterThan(refusedBefore);
    await sleep(Math.max(0, 500 - since(started)) + 50);
    const after = await fetch(`${restartable.url}/blob`);
    expect(Buffer.from(await after.arrayBuffer())).toEqual(BLOB);
  });

  it('an outage rule without afterBytes starts when its request arrives; the other origin stays up', async () => {
    restartable.addRule({ path: /^\/restart$/, fault: { kind: 'outage', ms: 300 } });
    await expect(fetch(`${restartable.url}/restart`)).rejects.toThrow();
    expect(restartable.requests.at(-1)).toEqual({ method: 'GET', path: '/restart', fault: 'outage 300' });
    expect((await fetch(`${restartable.otherOrigin}/plain`)).status).toBe(200);
    await expect(fetch(`${restartable.url}/plain`)).rejects.toThrow();
    await sleep(350);
    expect((await fetch(`${restartable.url}/plain`)).status).toBe(200);
  });
});

describe('options and matching', () => {
  it('realm: points every Bearer realm at the given URL, keeping the other parameters', async () => {
    const fronted = await startFaultProxy(upstream.url, undefined, { realm: 'http://127.0.0.1:1/token' });
    try {
      const challenge = await fetch(`${fronted.url}/v2/`);
      expect(challenge.status).toBe(401);
      expect(challenge.headers.get('www-authenticate')).toBe(
        'Bearer realm="http://127.0.0.1:1/token",service="test"',
      );
    } finally {
      await fronted.close();
    }
  });

  it('noMounts: an upload POST reaches the upstream without mount and from; the record keeps what was sent', async () => {
    const declining = await startFaultProxy(upstream.url, undefined, { noMounts: true });
    try {
      const mount = await fetch(`${declining.url}/upload?mount=sha256%3Aabc&from=other%2Frepo`, {
        method: 'POST',
      });
      expect(mount.status).toBe(202);
      expect(upstream.seen.at(-1)).toMatchObject({ method: 'POST', path: '/upload' });
      expect(declining.requests.at(-1)?.path).toBe('/upload?mount=sha256%3Aabc&from=other%2Frepo');
      await fetch(`${declining.url}/tags?mount=1`);
      expect(upstream.seen.at(-1)).toMatchObject({ method: 'GET', path: '/tags?mount=1' });
    } finally {
      await declining.close();
    }
  });

  it('fronts any upstream: a slow one is answered as it answers', async () => {
    const started = Date.now();
    const res = await fetch(`${proxy.url}/slow-head`);
    expect(await res.text()).toBe('late');
    expect(since(started)).toBeGreaterThanOrEqual(190);
  });

  it('userAgent: a rule applies only to requests whose User-Agent matches', async () => {
    proxy.addRule({ path: /^\/blob$/, userAgent: /^docker\//, fault: { kind: 'status', status: 503 } });
    expect((await fetch(`${proxy.url}/blob`, { headers: { 'user-agent': 'node' } })).status).toBe(200);
    expect((await fetch(`${proxy.url}/blob`, { headers: { 'user-agent': 'docker/28.2.2' } })).status).toBe(
      503,
    );
    expect((await fetch(`${proxy.url}/blob`, { headers: { 'user-agent': 'docker/28.2.2' } })).status).toBe(
      200,
    );
  });
});
