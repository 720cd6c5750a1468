import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { asNetworkError, NetworkError } from '../../../src/registry/network.js';
import {
  bypassesProxy,
  decodeLenient,
  proxyFor,
  proxySettingsFrom,
  tunnel,
} from '../../../src/registry/proxy.js';
import { nodeFetch } from '../../../src/registry/stream-request.js';
import { makeCertificates, type Certificates } from '../../support/tls.js';

describe('proxySettingsFrom', () => {
  it('reads both cases, the lower-case name first; blanks are unset', () => {
    expect(
      proxySettingsFrom({
        HTTPS_PROXY: 'http://upper:1',
        https_proxy: 'http://lower:2',
        HTTP_PROXY: ' ',
        NO_PROXY: 'a',
      }),
    ).toEqual({ httpsProxy: 'http://lower:2', httpProxy: undefined, noProxy: 'a' });
    expect(proxySettingsFrom({ HTTP_PROXY: 'http://p:3', no_proxy: 'b' })).toEqual({
      httpsProxy: undefined,
      httpProxy: 'http://p:3',
      noProxy: 'b',
    });
  });
});

describe('bypassesProxy (NO_PROXY)', () => {
  const url = (u: string) => new URL(u);
  it.each([
    ['*', 'https://ghcr.io/v2/', true],
    ['ghcr.io', 'https://ghcr.io/v2/', true],
    ['ghcr.io', 'https://pkg.ghcr.io/v2/', true],
    ['.ghcr.io', 'https://ghcr.io/v2/', true],
    ['*.ghcr.io', 'https://a.ghcr.io/v2/', true],
    ['hcr.io', 'https://ghcr.io/v2/', false],
    ['GHCR.IO', 'https://ghcr.io/v2/', true],
    ['example.com, ghcr.io', 'https://ghcr.io/v2/', true],
    ['example.com ghcr.io', 'https://ghcr.io/v2/', true],
    ['ghcr.io:443', 'https://ghcr.io/v2/', true],
    ['ghcr.io:8443', 'https://ghcr.io/v2/', false],
    ['127.0.0.1', 'http://127.0.0.1:5000/v2/', true],
    ['127.0.0.1:5001', 'http://127.0.0.1:5000/v2/', false],
    ['[::1]', 'http://[::1]:5000/v2/', true],
    ['::1', 'http://[::1]:5000/v2/', true],
    ['', 'https://ghcr.io/v2/', false],
  ])('NO_PROXY=%p for %s: %p', (noProxy, target, expected) => {
    expect(bypassesProxy(url(target), noProxy)).toBe(expected);
  });
});

describe('proxyFor', () => {
  const settings = {
    httpsProxy: 'http://secure-proxy:3128',
    httpProxy: 'plain-proxy:8080',
    noProxy: 'internal.test',
  };
  it('picks the proxy by the URL scheme, adds http:// to a bare host:port, and honours NO_PROXY', () => {
    expect(proxyFor(new URL('https://ghcr.io/v2/'), settings)?.href).toBe('http://secure-proxy:3128/');
    expect(proxyFor(new URL('http://127.0.0.1:5000/v2/'), settings)?.href).toBe('http://plain-proxy:8080/');
    expect(proxyFor(new URL('https://registry.internal.test/v2/'), settings)).toBeUndefined();
    expect(proxyFor(new URL('https://ghcr.io/v2/'), {})).toBeUndefined();
  });

  it('refuses a proxy that is not http(s), naming it', () => {
    expect(() => proxyFor(new URL('https://ghcr.io/'), { httpsProxy: 'socks5://127.0.0.1:1080' })).toThrow(
      /socks5:\/\/127\.0\.0\.1:1080 is not an http\(s\) proxy/,
    );
  });
});

describe('through a CONNECT proxy (a real one on 127.0.0.1, and real TLS)', () => {
  let certificates: Certificates;
  let proxy: { url: URL; answer: number; seen: string[]; close: () => Promise<void> };
  beforeAll(async () => {
    certificates = makeCertificates();
    const server = createHttpServer();
    const state = { answer: 200, seen: [] as string[] };
    server.on('connect', (req: IncomingMessage, client: Socket) => {
      state.seen.push(req.url ?? '');
      if (state.answer !== 200) return void client.end(`HTTP/1.1 ${state.answer} Refused\r\n\r\n`);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host ?? '', () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    proxy = Object.assign(state, {
      // By name: a certificate for "localhost" must not pass for the registry at 127.0.0.1.
      url: new URL(`http://localhost:${port}`),
      close: async () => {
        server.closeAllConnections();
        server.close();
        await once(server, 'close');
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    rmSync(certificates.dir, { recursive: true, force: true });
  });

  async function tlsServer(pair: { key: string; cert: string }) {
    const server = createHttpsServer(pair, (_req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { port: (server.address() as AddressInfo).port, close: () => server.close() };
  }

  it("tunnel() checks the registry's certificate against the registry's name, never the proxy's", async () => {
    const trusted = { ca: readFileSync(certificates.caFile, 'utf8') };
    const forLocalhost = await tlsServer(certificates.localhostName);
    const forIp = await tlsServer(certificates.valid);
    try {
      proxy.answer = 200;
      const wrong = tunnel(proxy.url, new URL(`https://127.0.0.1:${forLocalhost.port}/v2/`), 5000, trusted);
      await expect(wrong).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
      const right = await tunnel(proxy.url, new URL(`https://127.0.0.1:${forIp.port}/v2/`), 5000, trusted);
      right.destroy();
      expect(proxy.seen).toContain(`127.0.0.1:${forIp.port}`);
    } finally {
      forLocalhost.close();
      forIp.close();
    }
  });

  it('a proxy refusing CONNECT is named as the proxy, with its fix (requests and the bare tunnel alike)', async () => {
    proxy.answer = 403;
    const target = new URL('https://registry.test:5000/v2/');
    const viaFetch = await nodeFetch({ httpsProxy: proxy.url.href })(target).catch((e: unknown) => e);
    const viaTunnel = await tunnel(proxy.url, target, 5000).catch((e: unknown) => e);
    for (const raw of [viaFetch, viaTunnel]) {
      const error = asNetworkError(raw, target, 'ping', proxy.url) as NetworkError;
      expect(error).toBeInstanceOf(NetworkError);
      expect(error.failure).toBe('proxy-refused');
      expect(error.message).toContain(
        `could not reach registry.test:5000 through the proxy ${proxy.url.host}`,
      );
      expect(error.fix).toContain(`list registry.test in NO_PROXY`);
    }
    proxy.answer = 200;
  });

  it('decodes a percent-encoded password, and takes one that is not (50%off) as written', () => {
    expect(decodeLenient('s3cr%2Fet')).toBe('s3cr/et');
    expect(decodeLenient('50%off')).toBe('50%off');
  });
});
