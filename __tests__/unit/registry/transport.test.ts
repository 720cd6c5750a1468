import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { limitsFrom } from '../../../src/registry/body.js';
import { RegistryError } from '../../../src/registry/errors.js';
import type { Logger, RetryPolicy } from '../../../src/registry/retry.js';
import { Transport, type RequestOptions } from '../../../src/registry/transport.js';

const FAST: Partial<RetryPolicy> = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 2000 };
const USER = 'octo';
const PASSWORD = 'ghp_transportSecretValue';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen[]) => void;

/** A real HTTP server on 127.0.0.1; the handler is swapped per test; every request is recorded. */
interface TestServer {
  host: string;
  origin: string;
  seen: Seen[];
  handler: Handler;
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const server = createServer();
  const state: TestServer = {
    host: '',
    origin: '',
    seen: [],
    handler: (_req, res) => res.writeHead(500).end(),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const seen: Seen = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: '' };
    state.seen.push(seen);
    // Read the whole body before answering.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.body = Buffer.concat(chunks).toString();
      state.handler(req, res, state.seen);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  state.host = `127.0.0.1:${port}`;
  state.origin = `http://${state.host}`;
  return state;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const recordingLogger = (): Logger & { debugs: string[] } => {
  const debugs: string[] = [];
  return { debugs, debug: (m) => void debugs.push(m), info: () => undefined };
};

let registry: TestServer;
let other: TestServer;

beforeAll(async () => {
  registry = await startServer();
  other = await startServer();
});

afterAll(async () => {
  await Promise.all([registry.close(), other.close()]);
});

afterEach(() => {
  registry.seen.length = 0;
  other.seen.length = 0;
});

const transport = (extra: Partial<ConstructorParameters<typeof Transport>[0]> = {}) =>
  new Transport({ registry: registry.host, userAgent: 'ghcr-image-action-test/1.0', retry: FAST, ...extra });

const get = (path: string, extra: Partial<RequestOptions> = {}): RequestOptions => ({
  method: 'GET',
  url: path,
  scopes: [{ repository: 'o/r', actions: ['pull'] }],
  expect: [200],
  operation: 'get manifest',
  reference: `${registry.host}/o/r:v1`,
  ...extra,
});

const failureOf = async (promise: Promise<unknown>): Promise<RegistryError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof RegistryError) return error;
  throw new Error(`expected a RegistryError, got ${String(error)}`);
};

const registryPaths = () => registry.seen.map((s) => `${s.method} ${s.path.split('?')[0]}`);

describe('Transport.base', () => {
  it.each([
    ['127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['localhost:5000', 'http://localhost:5000'],
    ['[::1]:5000', 'http://[::1]:5000'],
    ['ghcr.io', 'https://ghcr.io'],
    ['containers.example.com', 'https://containers.example.com'],
    ['registry.example.com:5000', 'https://registry.example.com:5000'],
    ['10.0.0.5:5000', 'https://10.0.0.5:5000'],
  ])('%s -> %s', (name, base) => {
    expect(new Transport({ registry: name, userAgent: 'ua' }).base).toBe(base);
  });

  it('resolves relative and absolute upload locations', () => {
    const t = new Transport({ registry: 'ghcr.io', userAgent: 'ua' });
    expect(t.resolve('/v2/o/r/blobs/uploads/abc?_state=x').href).toBe(
      'https://ghcr.io/v2/o/r/blobs/uploads/abc?_state=x',
    );
    expect(t.resolve('https://uploads.example/u/1').href).toBe('https://uploads.example/u/1');
  });
});

describe('Transport against a local registry', () => {
  it('talks http to 127.0.0.1 and sends the User-Agent and the caller headers', async () => {
    registry.handler = (_req, res) => json(res, 200, { ok: true });
    const t = transport();
    expect(t.base).toBe(registry.origin);
    const response = await t.request(
      get('/v2/o/r/manifests/v1', { headers: { Accept: 'application/x-test' } }),
    );
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ ok: true });
    expect(registry.seen).toHaveLength(1);
    expect(registry.seen[0]?.headers['user-agent']).toBe('ghcr-image-action-test/1.0');
    expect(registry.seen[0]?.headers.accept).toBe('application/x-test');
    expect(registry.seen[0]?.headers.authorization).toBeUndefined();
  });

  it('sends a byte body and returns an expected non-200 status as an answer', async () => {
    registry.handler = (_req, res) => res.writeHead(201, { 'docker-content-digest': 'sha256:x' }).end();
    const response = await transport().request(
      get('/v2/o/r/manifests/v1', {
        method: 'PUT',
        body: Buffer.from('{"schemaVersion":2}'),
        expect: [201],
        headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' },
      }),
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('docker-content-digest')).toBe('sha256:x');
    expect(registry.seen[0]?.method).toBe('PUT');
    expect(registry.seen[0]?.body).toBe('{"schemaVersion":2}');
    expect(registry.seen[0]?.headers['content-type']).toBe('application/vnd.oci.image.manifest.v1+json');
  });

  it('replays a byte body on retry', async () => {
    registry.handler = (_req, res, seen) =>
      seen.length === 1 ? res.writeHead(500).end() : res.writeHead(201).end();
    const response = await transport().request(
      get('/v2/o/r/manifests/v1', { method: 'PUT', body: 'same bytes', expect: [201] }),
    );
    expect(response.status).toBe(201);
    expect(registry.seen.map((s) => s.body)).toEqual(['same bytes', 'same bytes']);
  });

  it('retries when the connection is dropped', async () => {
    registry.handler = (req, res, seen) =>
      seen.length === 1 ? req.socket.destroy() : json(res, 200, { ok: 1 });
    const response = await transport().request(get('/v2/o/r/manifests/v1'));
    await expect(response.json()).resolves.toEqual({ ok: 1 });
    expect(registry.seen).toHaveLength(2);
  });

  it('sends a streamed body once and does not retry it (the caller restarts)', async () => {
    registry.handler = (_req, res) => res.writeHead(503).end();
    let opened = 0;
    const body = {
      stream: () => {
        opened++;
        return Readable.from([Buffer.from('chunk-1;'), Buffer.from('chunk-2')]);
      },
      length: 15,
    };
    const error = await failureOf(
      transport().request(get('/upload', { method: 'PATCH', body, expect: [202] })),
    );
    expect(error.status).toBe(503);
    expect(opened).toBe(1);
    expect(registry.seen).toHaveLength(1);
    expect(registry.seen[0]?.body).toBe('chunk-1;chunk-2');
    expect(registry.seen[0]?.headers['content-length']).toBe('15');
  });

  it('does not resend a streamed body after a 401 challenge', async () => {
    registry.handler = (req, res) => {
      if (req.url?.startsWith('/token')) return json(res, 200, { token: 't' });
      json(res, 401, {}, { 'www-authenticate': `Bearer realm="${registry.origin}/token"` });
    };
    const body = { stream: () => Readable.from([Buffer.from('data')]) };
    const error = await failureOf(
      transport().request(get('/upload', { method: 'PATCH', body, expect: [202] })),
    );
    expect(error.status).toBe(401);
    expect(registryPaths()).toEqual(['PATCH /upload']);
  });

  it('refuses to follow a 307 with a streamed body', async () => {
    registry.handler = (_req, res) => res.writeHead(307, { location: `${other.origin}/upload` }).end();
    const body = { stream: () => Readable.from([Buffer.from('data')]) };
    const error = await failureOf(
      transport().request(get('/upload', { method: 'PATCH', body, expect: [202] })),
    );
    expect(error.message).toContain('a streamed upload was redirected');
    expect(other.seen).toHaveLength(0);
  });

  it('answers a Bearer challenge: fetches a token from /token, then retries once with it', async () => {
    const secrets: string[] = [];
    registry.handler = (req, res) => {
      if (req.url?.startsWith('/token')) return json(res, 200, { token: 'registry-token-1' });
      if (req.headers.authorization === 'Bearer registry-token-1') return json(res, 200, { tags: [] });
      json(
        res,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
        {
          'www-authenticate': `Bearer realm="${registry.origin}/token",service="test-registry",scope="repository:o/r:pull"`,
        },
      );
    };
    const t = transport({
      credentials: { username: USER, password: PASSWORD },
      onSecret: (s) => secrets.push(s),
    });
    const response = await t.request(get('/v2/o/r/tags/list'));
    expect(response.status).toBe(200);
    await response.body?.cancel();

    expect(registryPaths()).toEqual(['GET /v2/o/r/tags/list', 'GET /token', 'GET /v2/o/r/tags/list']);
    const token = registry.seen[1];
    const tokenUrl = new URL(token?.path ?? '', registry.origin);
    expect(tokenUrl.searchParams.get('service')).toBe('test-registry');
    expect(tokenUrl.searchParams.getAll('scope')).toEqual(['repository:o/r:pull']);
    expect(token?.headers.authorization).toBe(BASIC);
    expect(token?.headers['user-agent']).toBe('ghcr-image-action-test/1.0');
    expect(registry.seen[2]?.headers.authorization).toBe('Bearer registry-token-1');
    // The secret and what is derived from it are handed over to be masked before any request; then the token.
    expect(secrets).toEqual([PASSWORD, BASIC.slice('Basic '.length), 'registry-token-1']);

    // The next request goes out with the cached token straight away.
    registry.seen.length = 0;
    const again = await t.request(get('/v2/o/r/tags/list'));
    await again.body?.cancel();
    expect(registryPaths()).toEqual(['GET /v2/o/r/tags/list']);
    expect(registry.seen[0]?.headers.authorization).toBe('Bearer registry-token-1');
  });

  it('a 401 after the token refresh is the answer: RegistryError 401, exactly one refresh, no retry', async () => {
    registry.handler = (req, res) => {
      if (req.url?.startsWith('/token')) return json(res, 200, { token: 'weak-token' });
      json(
        res,
        401,
        { errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] },
        {
          'www-authenticate': `Bearer realm="${registry.origin}/token",service="test-registry",scope="repository:o/r:pull"`,
        },
      );
    };
    const error = await failureOf(transport().request(get('/v2/o/r/manifests/v1')));
    expect(error.status).toBe(401);
    expect(error.code).toBe('DENIED');
    expect(error.message).toContain('denied: requested access to the resource is denied');
    expect(registryPaths()).toEqual(['GET /v2/o/r/manifests/v1', 'GET /token', 'GET /v2/o/r/manifests/v1']);
    expect(registry.seen[2]?.headers.authorization).toBe('Bearer weak-token');
  });

  it('answers a Basic challenge with the credentials, once', async () => {
    registry.handler = (req, res) => {
      if (req.headers.authorization === BASIC) return json(res, 200, {});
      json(res, 401, {}, { 'www-authenticate': 'Basic realm="test"' });
    };
    const response = await transport({ credentials: { username: USER, password: PASSWORD } }).request(
      get('/v2/o/r/manifests/v1'),
    );
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect(registry.seen.map((s) => s.headers.authorization)).toEqual([undefined, BASIC]);
  });

  it('without credentials, a Basic challenge is a RegistryError 401 after one request', async () => {
    registry.handler = (_req, res) => json(res, 401, {}, { 'www-authenticate': 'Basic realm="test"' });
    const error = await failureOf(transport().request(get('/v2/o/r/manifests/v1')));
    expect(error.status).toBe(401);
    expect(registry.seen).toHaveLength(1);
  });

  it('retries a 503 and returns the 200 that follows', async () => {
    registry.handler = (_req, res, seen) =>
      seen.length === 1
        ? json(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'try later' }] })
        : json(res, 200, { n: seen.length });
    const logger = recordingLogger();
    const response = await transport({ logger }).request(get('/v2/o/r/manifests/v1'));
    await expect(response.json()).resolves.toEqual({ n: 2 });
    expect(registry.seen).toHaveLength(2);
    expect(logger.debugs).toEqual([expect.stringContaining(`get manifest ${registry.host}/o/r:v1`)]);
    expect(logger.debugs[0]).toContain('unavailable: try later');
  });

  it('retries a 429 with Retry-After: 0', async () => {
    registry.handler = (_req, res, seen) =>
      seen.length === 1
        ? json(
            res,
            429,
            { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] },
            { 'retry-after': '0' },
          )
        : json(res, 200, {});
    const logger = recordingLogger();
    // A backoff this long would blow the test timeout: Retry-After: 0 must win.
    const response = await transport({
      logger,
      retry: { ...FAST, baseDelayMs: 60_000, maxDelayMs: 60_000 },
    }).request(get('/v2/o/r/manifests/v1'));
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect(registry.seen).toHaveLength(2);
    expect(logger.debugs).toEqual([expect.stringMatching(/in 0 ms$/)]);
  });

  it('gives up after the configured attempts with the last RegistryError', async () => {
    registry.handler = (_req, res) => json(res, 502, {});
    const error = await failureOf(transport().request(get('/v2/o/r/manifests/v1')));
    expect(error.status).toBe(502);
    expect(registry.seen).toHaveLength(3);
  });

  it('a 404 not expected is a RegistryError naming the operation, the reference and the registry error; no retry', async () => {
    registry.handler = (_req, res) =>
      json(res, 404, {
        errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { tag: 'v1' } }],
      });
    const error = await failureOf(transport().request(get('/v2/o/r/manifests/v1')));
    expect(error.status).toBe(404);
    expect(error.operation).toBe('get manifest');
    expect(error.reference).toBe(`${registry.host}/o/r:v1`);
    expect(error.code).toBe('MANIFEST_UNKNOWN');
    expect(error.message).toBe(
      `get manifest ${registry.host}/o/r:v1 failed (HTTP 404): manifest_unknown: manifest unknown`,
    );
    expect(registry.seen).toHaveLength(1);
  });

  it('a 404 in expect is an answer', async () => {
    registry.handler = (_req, res) => res.writeHead(404).end();
    const response = await transport().request(
      get('/v2/o/r/manifests/v1', { method: 'HEAD', expect: [200, 404] }),
    );
    expect(response.status).toBe(404);
  });

  it('a HEAD failure uses the status text', async () => {
    registry.handler = (_req, res) => res.writeHead(403).end();
    const error = await failureOf(transport().request(get('/v2/o/r/blobs/sha256:x', { method: 'HEAD' })));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/\(HTTP 403\): Forbidden$/);
  });

  it('a text error body is kept in the message', async () => {
    registry.handler = (_req, res) =>
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad things happened');
    const error = await failureOf(transport().request(get('/v2/o/r/manifests/v1')));
    expect(error.message).toContain('bad things happened');
  });

  it('requestBytes returns the whole body', async () => {
    const payload = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 256));
    registry.handler = (_req, res) => res.writeHead(200, { 'content-length': payload.length }).end(payload);
    const { response, bytes } = await transport().requestBytes(get('/v2/o/r/blobs/sha256:x'));
    expect(response.status).toBe(200);
    expect(bytes.equals(payload)).toBe(true);
  });

  it('follows a redirect to another origin without sending Authorization there', async () => {
    other.handler = (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('blob from elsewhere');
    registry.handler = (req, res) => {
      if (req.url?.startsWith('/token')) return json(res, 200, { token: 'secret-token' });
      if (!req.headers.authorization) {
        return json(
          res,
          401,
          {},
          { 'www-authenticate': `Bearer realm="${registry.origin}/token",service="s"` },
        );
      }
      res.writeHead(307, { location: `${other.origin}/storage/blob?sig=abc` }).end();
    };
    const logger = recordingLogger();
    const { response, bytes } = await transport({
      logger,
      credentials: { username: USER, password: PASSWORD },
      // A blob's bytes are checked against its digest: they may come from where the registry redirects.
    }).requestBytes(get('/v2/o/r/blobs/sha256:abc', { headers: { Accept: '*/*' }, verified: true }));
    expect(response.status).toBe(200);
    expect(bytes.toString()).toBe('blob from elsewhere');
    expect(registry.seen[2]?.headers.authorization).toBe('Bearer secret-token');
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]?.path).toBe('/storage/blob?sig=abc');
    expect(other.seen[0]?.headers.authorization).toBeUndefined();
    expect(other.seen[0]?.headers['user-agent']).toBe('ghcr-image-action-test/1.0');
    expect(logger.debugs.join('\n')).toContain(`redirected to ${other.origin} (no Authorization sent there)`);
  });

  it('keeps Authorization on a same-origin redirect', async () => {
    registry.handler = (req, res) => {
      if (req.url?.startsWith('/token')) return json(res, 200, { token: 'same-origin-token' });
      if (!req.headers.authorization) {
        return json(res, 401, {}, { 'www-authenticate': `Bearer realm="${registry.origin}/token"` });
      }
      if (req.url === '/v2/o/r/blobs/sha256:abc')
        return res.writeHead(307, { location: '/real/place' }).end();
      json(res, 200, { at: req.url });
    };
    const response = await transport().request(get('/v2/o/r/blobs/sha256:abc'));
    await expect(response.json()).resolves.toEqual({ at: '/real/place' });
    expect(registryPaths()).toEqual([
      'GET /v2/o/r/blobs/sha256:abc',
      'GET /token',
      'GET /v2/o/r/blobs/sha256:abc',
      'GET /real/place',
    ]);
    expect(registry.seen[3]?.headers.authorization).toBe('Bearer same-origin-token');
  });

  it('turns a 303 into a GET', async () => {
    registry.handler = (req, res) => {
      if (req.method === 'POST') return res.writeHead(303, { location: '/after' }).end();
      json(res, 200, { method: req.method });
    };
    const response = await transport().request(get('/start', { method: 'POST', body: 'x', expect: [200] }));
    await expect(response.json()).resolves.toEqual({ method: 'GET' });
    expect(registry.seen.map((s) => s.method)).toEqual(['POST', 'GET']);
  });

  it('stops after too many redirects', async () => {
    registry.handler = (req, res) => res.writeHead(302, { location: `${req.url ?? ''}x` }).end();
    const error = await failureOf(transport().request(get('/loop')));
    expect(error.message).toContain('too many redirects');
    expect(registry.seen).toHaveLength(6);
  });

  it('returns a redirect the caller expects instead of following it', async () => {
    registry.handler = (_req, res) => res.writeHead(307, { location: `${other.origin}/elsewhere` }).end();
    const response = await transport().request(get('/v2/o/r/blobs/sha256:abc', { expect: [307] }));
    expect(response.status).toBe(307);
    expect(other.seen).toHaveLength(0);
  });
});

describe('Transport: what goes to URLs the registry hands out', () => {
  it('sends no Authorization to an absolute URL on another origin (an upload Location, a Link), only to its own', async () => {
    registry.handler = (req, res) => {
      if (!req.headers.authorization) return json(res, 401, {}, { 'www-authenticate': 'Basic realm="test"' });
      return json(res, 200, {});
    };
    other.handler = (_req, res) => json(res, 202, {});
    const t = transport({ credentials: { username: USER, password: PASSWORD } });
    await (await t.request(get('/v2/o/r/tags/list'))).body?.cancel();
    expect(registry.seen.at(-1)?.headers.authorization).toBe(BASIC);
    const put = await t.request({
      ...get(`${other.origin}/v2/o/r/blobs/uploads/1?state=x`),
      method: 'PUT',
      expect: [202],
    });
    await put.body?.cancel();
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]?.headers.authorization).toBeUndefined();
  });
});

describe('Transport: time limits', () => {
  it('limits the wait for the answer, not the time spent reading a long body', async () => {
    registry.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(Buffer.alloc(1000));
        if (++sent === 6) {
          clearInterval(timer);
          res.end();
        }
      }, 50);
    };
    const t = transport({ limits: limitsFrom({ headersMs: 100 }) });
    const { bytes } = await t.requestBytes(get('/v2/o/r/blobs/sha256:x'));
    expect(bytes.length).toBe(6000);
  });
});

describe('Transport: challenges come from the registry alone', () => {
  const CREDS = { username: USER, password: PASSWORD };
  const thiefChallenge = () => ({
    'www-authenticate': `Bearer realm="${other.origin}/token",service="thief"`,
  });

  it('a 401 from a redirect target elsewhere is an answer, never a new realm: the secret goes nowhere', async () => {
    registry.handler = (req, res) => {
      if (!req.headers.authorization)
        return json(res, 401, {}, { 'www-authenticate': 'Basic realm="registry"' });
      res.writeHead(307, { location: `${other.origin}/v2/o/r/manifests/v1` }).end();
    };
    other.handler = (_req, res) => json(res, 401, {}, thiefChallenge());
    const t = transport({ credentials: CREDS });
    const failure = await failureOf(t.request(get('/v2/o/r/manifests/v1')));
    expect(failure.status).toBe(401);
    expect(other.seen.map((s) => s.path)).toEqual(['/v2/o/r/manifests/v1']);
    expect(other.seen.every((s) => s.headers.authorization === undefined)).toBe(true);
    // The registry keeps its own scheme: the next request still goes out with Basic, to the registry only.
    registry.handler = (_req, res) => json(res, 200, {});
    const next = await t.request(get('/v2/o/r/tags/list'));
    await next.body?.cancel();
    expect(registry.seen.at(-1)?.headers.authorization).toBe(BASIC);
    expect(other.seen.some((s) => s.path.startsWith('/token'))).toBe(false);
  });

  it('a 401 from an upload Location elsewhere is not learned either', async () => {
    registry.handler = (req, res) => {
      if (!req.headers.authorization)
        return json(res, 401, {}, { 'www-authenticate': 'Basic realm="registry"' });
      json(res, 200, {});
    };
    other.handler = (_req, res) => json(res, 401, {}, thiefChallenge());
    const t = transport({ credentials: CREDS });
    await (await t.request(get('/v2/'))).body?.cancel();
    const failure = await failureOf(
      t.request({ ...get(`${other.origin}/upload/x`), method: 'DELETE', expect: [202] }),
    );
    expect(failure.status).toBe(401);
    expect(other.seen.map((s) => `${s.method} ${s.path} ${s.headers.authorization ?? '-'}`)).toEqual([
      'DELETE /upload/x -',
    ]);
  });

  it('follows no redirect to a URL that is not http(s)', async () => {
    registry.handler = (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    const failure = await failureOf(transport().request(get('/v2/o/r/manifests/v1')));
    expect(failure.message).toContain('redirected to a URL that is not http(s)');
  });

  it('reads at most a bounded part of an error answer, whatever its size', async () => {
    registry.handler = (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`${'e'.repeat(200 * 1024)}`);
    };
    const failure = await failureOf(transport().request(get('/v2/o/r/manifests/v1')));
    expect(failure.status).toBe(404);
    expect(failure.message.length).toBeLessThan(1000);
  });
});

describe('Transport: what the registry names is followed only within the rules', () => {
  it('does not use an answer read whole from a redirect target (a tag list, a manifest by tag)', async () => {
    registry.handler = (_req, res) =>
      res.writeHead(302, { location: `${other.origin}/internal/secrets` }).end();
    other.handler = (_req, res) => json(res, 200, { tags: ['db-password-hunter2'] });
    const failure = await failureOf(transport().requestBytes(get('/v2/o/r/tags/list')));
    expect(failure.message).toContain(
      `the answer came from ${other.origin}, where the registry sent the request: not used`,
    );
    expect(failure.message).not.toContain('hunter2');
  });

  it('never quotes what a redirect target answers in an error', async () => {
    registry.handler = (_req, res) =>
      res.writeHead(307, { location: `${other.origin}/meta-data/credentials` }).end();
    other.handler = (_req, res) =>
      json(res, 403, { errors: [{ code: 'DENIED', message: 'AccessKeyId=MARKER' }] });
    const failure = await failureOf(transport().request(get('/v2/o/r/manifests/v1')));
    expect(failure.status).toBe(403);
    expect(failure.message).not.toContain('MARKER');
    expect(failure.message).toContain(`${other.origin}, where the registry sent the request, answered 403`);
  });

  it.each([
    [
      'plain http to another machine',
      'http://registry-cdn.example/blob',
      'ghcr.io',
      'plain http at http://registry-cdn.example',
    ],
    [
      'this machine, named by a remote registry',
      'https://127.0.0.1:2375/containers/create',
      'ghcr.io',
      'on this machine',
    ],
    ['a file URL', 'file:///etc/passwd', 'ghcr.io', 'not http(s)'],
  ])('refuses %s', (_name, url, registryHost, why) => {
    const t = new Transport({ registry: registryHost, userAgent: 'ua' });
    expect(() => t.resolve(url)).toThrow(why);
  });

  it('lets a registry on this machine name this machine, and a remote one https elsewhere', () => {
    expect(transport().resolve(`${other.origin}/upload/1`).origin).toBe(other.origin);
    expect(
      new Transport({ registry: 'ghcr.io', userAgent: 'ua' }).resolve('https://blobs.example.com/x').host,
    ).toBe('blobs.example.com');
  });
});
