import { describe, expect, it } from '@jest/globals';
import { bypassesProxy, proxyFor, proxySettingsFrom } from '../../../src/registry/proxy.js';

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
