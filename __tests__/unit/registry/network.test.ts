import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { limitsFrom } from '../../../src/registry/body.js';
import { DigestMismatchError } from '../../../src/registry/errors.js';
import {
  asNetworkError,
  classifyNetworkFailure,
  endpointOf,
  NetworkError,
  type NetworkFailure,
} from '../../../src/registry/network.js';
import type { RetryPolicy } from '../../../src/registry/retry.js';
import { Transport } from '../../../src/registry/transport.js';
import { promisify } from 'node:util';
import { makeCertificates, type Certificates, type KeyPair } from '../../support/tls.js';

const run = promisify(execFile);
const FAST: Partial<RetryPolicy> = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 5000 };

/** Listens on an ephemeral port of 127.0.0.1; every socket is kept so close() can end them. */
async function listen(server: Server): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A port on 127.0.0.1 where nothing listens (it did a moment ago). */
async function closedPort(): Promise<number> {
  const { port, close } = await listen(createHttpServer());
  await close();
  return port;
}

/** What one request through a Transport for `registry` fails with. */
async function failureOf(transport: Transport): Promise<NetworkError> {
  const error = await transport
    .request({
      method: 'GET',
      url: '/v2/',
      scopes: [],
      expect: [200],
      operation: 'ping',
      reference: transport.registry,
    })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(NetworkError);
  return error as NetworkError;
}

describe('network failures over real sockets', () => {
  it('a refused connection: host and port, the cause, the fix, and the attempts made over their time', async () => {
    const port = await closedPort();
    const transport = new Transport({ registry: `127.0.0.1:${port}`, userAgent: 'test', retry: FAST });
    const error = await failureOf(transport);
    expect(error.failure).toBe('refused');
    expect(error.attempts).toBe(3);
    expect(error.message).toMatch(
      new RegExp(
        `^ping 127\\.0\\.0\\.1:${port}: could not reach 127\\.0\\.0\\.1:${port}: the connection was refused`,
      ),
    );
    expect(error.message).toMatch(/ECONNREFUSED 127\.0\.0\.1:\d+; 3 attempts over \d+\.\d s\)/);
    expect(error.message).toMatch(
      /\nFix: check the host and port in 'registry'.*HTTPS_PROXY, HTTP_PROXY, NO_PROXY/,
    );
    expect(error.message).not.toContain('fetch failed');
  });

  it('no answer in time: timed out, retried, and said so', async () => {
    const silent = await listen(createHttpServer(() => undefined));
    try {
      const transport = new Transport({
        registry: `127.0.0.1:${silent.port}`,
        userAgent: 'test',
        retry: { ...FAST, attempts: 2 },
        limits: limitsFrom({ headersMs: 300 }),
      });
      const error = await failureOf(transport);
      expect(error.failure).toBe('timed-out');
      expect(error.message).toContain(`could not reach 127.0.0.1:${silent.port}: no answer in time`);
      expect(error.message).toContain('2 attempts over');
    } finally {
      await silent.close();
    }
  });

  it('a connection closed before any answer: reset', async () => {
    const rude = await listen(createHttpServer((req) => req.socket.destroy()));
    try {
      const transport = new Transport({ registry: `127.0.0.1:${rude.port}`, userAgent: 'test', retry: FAST });
      const error = await failureOf(transport);
      expect(error.failure).toBe('reset');
      expect(error.attempts).toBe(3);
    } finally {
      await rude.close();
    }
  });
});

describe('TLS failures (real handshakes with generated certificates)', () => {
  let certificates: Certificates;
  beforeAll(() => {
    certificates = makeCertificates();
  });
  afterAll(() => rmSync(certificates.dir, { recursive: true, force: true }));

  /**
   * A registry named `tls.test:PORT` (so the client speaks https) whose name leads to an https server on
   * 127.0.0.1 with `pair`: the fetch given to the Transport connects there instead of looking the name up.
   */
  async function tlsFailure(pair: () => KeyPair): Promise<NetworkError> {
    const server = await listen(createHttpsServer(pair(), (_req, res) => res.end('{}')));
    try {
      const registry = `tls.test:${server.port}`;
      const local: typeof fetch = (url, init) =>
        fetch(String(url).replace('https://tls.test:', 'https://127.0.0.1:'), init);
      return await failureOf(new Transport({ registry, userAgent: 'test', retry: FAST, fetch: local }));
    } finally {
      await server.close();
    }
  }

  const cases: [string, () => KeyPair, NetworkFailure, RegExp][] = [
    ['a certificate from an unknown CA', () => certificates.valid, 'tls-untrusted', /NODE_EXTRA_CA_CERTS/],
    ['a self-signed certificate', () => certificates.selfSigned, 'tls-untrusted', /NODE_EXTRA_CA_CERTS/],
    ['an expired certificate', () => certificates.expired, 'tls-expired', /renew/],
  ];
  it.each(cases)('%s: named, not retried, with its fix', async (_name, pair, failure, fix) => {
    const error = await tlsFailure(pair);
    expect(error.failure).toBe(failure);
    expect(error.attempts).toBe(1);
    expect(error.message).toContain(`could not reach tls.test:${error.endpoint.split(':')[1]}`);
    expect(error.message).toContain('1 attempt, not retried');
    expect(error.fix).toMatch(fix);
  });

  /** What a fresh node, trusting the test CA through NODE_EXTRA_CA_CERTS, gets from `pair`'s server. */
  async function fetchTrusting(pair: KeyPair): Promise<{ status?: number; codes?: string[] }> {
    const server = await listen(createHttpsServer(pair, (_req, res) => res.end('{}')));
    try {
      const script = `fetch(process.argv[1]).then((r) => console.log(JSON.stringify({ status: r.status })),
        (e) => { const codes = []; for (let x = e; x; x = x.cause) codes.push(x.code ?? x.name);
        console.log(JSON.stringify({ codes })); });`;
      const { stdout } = await run(process.execPath, ['-e', script, `https://127.0.0.1:${server.port}/v2/`], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: certificates.caFile, NODE_OPTIONS: '' },
      });
      return JSON.parse(stdout) as { status?: number; codes?: string[] };
    } finally {
      await server.close();
    }
  }

  it('a CA given in NODE_EXTRA_CA_CERTS is trusted; a certificate for another host still is not', async () => {
    expect(await fetchTrusting(certificates.valid)).toEqual({ status: 200 });
    const { codes } = await fetchTrusting(certificates.otherHost);
    expect(codes).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    // The same chain as fetch's, classified: the wrong host is named, with its fix.
    const chain = (codes ?? []).reduceRight<Error | undefined>(
      (cause, code) => Object.assign(new Error(code, { cause }), { code }),
      undefined,
    );
    const error = asNetworkError(chain, new URL('https://127.0.0.1:5443/v2/')) as NetworkError;
    expect(error.failure).toBe('tls-wrong-host');
    expect(error.fix).toMatch(/host name the registry's certificate names/);
  });
});

describe('classifyNetworkFailure', () => {
  const undici = (code: string, message = `x ${code}`) =>
    new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });

  it.each([
    ['ECONNREFUSED', 'refused'],
    ['ENOTFOUND', 'unknown-host'],
    ['EAI_AGAIN', 'dns-unavailable'],
    ['EHOSTUNREACH', 'unreachable'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timed-out'],
    ['ECONNRESET', 'reset'],
    ['CERT_HAS_EXPIRED', 'tls-expired'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'tls-untrusted'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls-wrong-host'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
  ])('%s is %s', (code, failure) => {
    expect(classifyNetworkFailure(undici(code))).toBe(failure);
  });

  it('is none for corrupt bytes, an HTTP answer or a plain error', () => {
    const corrupt = new TypeError('fetch failed', { cause: new DigestMismatchError('blob', 'a', 'b') });
    expect(classifyNetworkFailure(corrupt)).toBeUndefined();
    expect(classifyNetworkFailure(new Error('something else'))).toBeUndefined();
    expect(asNetworkError(corrupt, new URL('https://ghcr.io/v2/'))).toBe(corrupt);
  });

  it('names the port even when it is the default, and keeps the innermost message', () => {
    expect(endpointOf(new URL('https://ghcr.io/v2/'))).toBe('ghcr.io:443');
    const error = asNetworkError(
      undici('ENOTFOUND', 'getaddrinfo ENOTFOUND ghcr.example'),
      new URL('https://ghcr.example/v2/'),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toMatch(
      /^Could not reach ghcr\.example:443: the host name is not known .*getaddrinfo ENOTFOUND ghcr\.example; 1 attempt, not retried\)\.\nFix: check the spelling of ghcr\.example/,
    );
  });

  it('makes what the network sent printable', () => {
    const error = asNetworkError(
      undici('ECONNRESET', 'reset \u001b[31m\n::error::x'),
      new URL('http://127.0.0.1:1/'),
    );
    const what = (error as NetworkError).message.split('\nFix:')[0] ?? '';
    expect(what).toContain('reset');
    expect(what.includes('\u001b') || what.includes('\n')).toBe(false);
  });
});
