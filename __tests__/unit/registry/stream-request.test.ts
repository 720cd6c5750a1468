import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { nodeFetch } from '../../../src/registry/stream-request.js';

// nodeFetch against a real node:http server on loopback: connection reuse, bodies, aborts, lost connections.
type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
let server: Server;
let base: string;
let handler: Handler = (_req, res) => res.end();
const sockets = new Set<Socket>();
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  server.close();
});

const fetchIt = nodeFetch({});

describe('nodeFetch', () => {
  it('reuses the connection after a small answer is cancelled (a 401 before the token)', async () => {
    handler = (req, res) => {
      if (req.headers.authorization) return res.end('{"ok":true}');
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="x"', 'Content-Type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    };
    const before = connections;
    const first = await fetchIt(`${base}/v2/`);
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toBe('Bearer realm="x"');
    await first.body?.cancel();
    const second = await fetchIt(`${base}/v2/`, { headers: { Authorization: 'Bearer t' } });
    expect(await second.text()).toBe('{"ok":true}');
    expect(connections - before).toBe(1);
  });

  it('sends a byte body with its length, and answers a HEAD without a body', async () => {
    handler = (req, res, body) => {
      res.setHeader('X-Length', String(req.headers['content-length']));
      res.setHeader('X-Method', String(req.method));
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const put = await fetchIt(`${base}/put`, { method: 'PUT', body: Buffer.from('manifest bytes') });
    expect(put.headers.get('x-length')).toBe('14');
    expect(await put.text()).toBe('manifest bytes');
    const head = await fetchIt(`${base}/head`, { method: 'HEAD' });
    expect(head.headers.get('x-method')).toBe('HEAD');
    expect(head.body).toBeNull();
  });

  it('keeps every value of a repeated header', async () => {
    handler = (_req, res) => {
      res.setHeader('Link', ['<a>; rel="next"', '<b>; rel="other"']);
      res.end();
    };
    const answer = await fetchIt(`${base}/link`);
    expect(answer.headers.get('link')).toBe('<a>; rel="next", <b>; rel="other"');
    await answer.text();
  });

  it('fails the body, not with a short read, when the connection is lost mid-answer', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write(Buffer.alloc(100));
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const answer = await fetchIt(`${base}/cut`);
    await expect(answer.arrayBuffer()).rejects.toBeDefined();
  });

  it('closes the connection when an answer still arriving is cancelled', async () => {
    let closed: Promise<unknown> = Promise.resolve();
    handler = (req, res) => {
      closed = new Promise((resolve) => req.socket.once('close', resolve));
      req.socket.on('error', () => undefined); // the client resets it
      res.writeHead(200, { 'Content-Length': String(64 * 1024 * 1024) });
      res.write(Buffer.alloc(64 * 1024));
    };
    const answer = await fetchIt(`${base}/big`);
    await answer.body?.cancel();
    await closed;
  });

  it('holds back a body nobody reads (backpressure): the server cannot push it all', async () => {
    let written = 0;
    let done: (n: number) => void = () => undefined;
    const stalled = new Promise<number>((resolve) => (done = resolve));
    handler = (_req, res) => {
      const total = 256 * 1024 * 1024;
      res.writeHead(200, { 'Content-Length': String(total) });
      const chunk = Buffer.alloc(256 * 1024);
      const pump = (): void => {
        while (written < total) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      pump();
      setTimeout(() => done(written), 300);
    };
    const answer = await fetchIt(`${base}/unread`);
    const reached = await stalled;
    expect(reached).toBeLessThan(32 * 1024 * 1024);
    await answer.body?.cancel();
  });

  it('sends again on a new connection when a kept-alive one was closed as the request went out', async () => {
    // The server answers one request per connection and drops the connection when a second one comes on it.
    const served = new WeakMap<Socket, number>();
    handler = (req, res, body) => {
      const count = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, count);
      if (count > 1) return void req.socket.destroy();
      res.end(`${req.method} ${body.length}`);
    };
    const first = await fetchIt(`${base}/one`);
    expect(await first.text()).toBe('GET 0');
    const second = await fetchIt(`${base}/two`, { method: 'PUT', body: Buffer.from('again') });
    expect(await second.text()).toBe('PUT 5');
  });

  it('cancels an answer that has already arrived whole and ended, at once', async () => {
    handler = (_req, res) => res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"errors":[]}');
    const answer = await fetchIt(`${base}/ended`);
    await new Promise((resolve) => setTimeout(resolve, 50)); // read ahead into the stream, which has closed
    const settled = await Promise.race([
      answer.body?.cancel().then(() => 'cancelled'),
      new Promise((resolve) => setTimeout(() => resolve('hung'), 2000)),
    ]);
    expect(settled).toBe('cancelled');
  });

  it.each([600, 999])('rejects an answer with status %i (no crash of the process)', async (status) => {
    const raw = createNetServer((socket) =>
      socket.once('data', () => socket.end(`HTTP/1.1 ${status} Odd\r\nContent-Length: 0\r\n\r\n`)),
    ).listen(0, '127.0.0.1');
    await once(raw, 'listening');
    try {
      const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/`;
      await expect(fetchIt(url)).rejects.toMatchObject({ code: 'EBADSTATUS' });
    } finally {
      raw.close();
    }
  });

  it('fails the body, never a short one, when the signal aborts after the headers', async () => {
    handler = (_req, res) =>
      res.writeHead(200, { 'Content-Length': String(3 << 20) }).end(Buffer.alloc(3 << 20));
    const controller = new AbortController();
    const answer = await fetchIt(`${base}/whole`, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100)); // much has arrived, held back unread
    controller.abort(new Error('given up'));
    await expect(answer.arrayBuffer()).rejects.toThrow('given up');
  });

  it('gives up a tunnel whose TLS handshake never comes, when the signal aborts', async () => {
    // A proxy that opens every tunnel and then says nothing (no TLS from the other end).
    const silent = createNetServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.write('HTTP/1.1 200 Connection established\r\n\r\n'));
    }).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const proxied = nodeFetch({ httpsProxy: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` });
      const started = Date.now();
      const reason = new Error('no answer within 200 ms');
      const controller = new AbortController();
      setTimeout(() => controller.abort(reason), 200);
      await expect(proxied('https://registry.test/v2/', { signal: controller.signal })).rejects.toBe(reason);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      silent.close();
    }
  });

  it("rejects with the caller's reason when its signal aborts before the answer", async () => {
    handler = () => undefined; // never answers
    const controller = new AbortController();
    const reason = Object.assign(new Error('no answer within 50 ms'), { name: 'TimeoutError' });
    setTimeout(() => controller.abort(reason), 50);
    await expect(fetchIt(`${base}/slow`, { signal: controller.signal })).rejects.toBe(reason);
  });
});
