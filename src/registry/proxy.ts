/**
 * Forward proxies, as the runner sets them: HTTPS_PROXY for https URLs, HTTP_PROXY for http ones (either case),
 * NO_PROXY for hosts reached directly. Requests (stream-request.ts) go to the proxy in absolute form (http) or
 * through a CONNECT tunnel (https).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

export interface ProxySettings {
  httpsProxy?: string;
  httpProxy?: string;
  /** Comma- or space-separated: `*`, host names (a leading dot or not: the domain and its subdomains), IPs, host:port. */
  noProxy?: string;
}

/** The proxy settings in an environment: the lower-case name wins over the upper-case one, as curl does. */
export function proxySettingsFrom(env: NodeJS.ProcessEnv): ProxySettings {
  const pick = (name: string): string | undefined =>
    (env[name.toLowerCase()] || env[name] || '').trim() || undefined;
  return { httpsProxy: pick('HTTPS_PROXY'), httpProxy: pick('HTTP_PROXY'), noProxy: pick('NO_PROXY') };
}

/** A host without brackets, lower-cased; the port spelled out. */
function hostAndPort(url: URL): { host: string; port: string } {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return { host, port: url.port || (url.protocol === 'https:' ? '443' : '80') };
}

/** A NO_PROXY entry's host and port: `[::1]:5000`, `::1` (an IPv6 address without a port), `host:port`, `host`. */
function entryParts(entry: string): [string, string | undefined] {
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return [bracketed[1] ?? '', bracketed[2]];
  if ((entry.match(/:/g) ?? []).length > 1) return [entry, undefined];
  const [host = '', port] = entry.split(':');
  return [host, port];
}

/** Whether NO_PROXY names `url`'s host (and port, when the entry has one). */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const { host, port } = hostAndPort(url);
  return noProxy
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((raw) => {
      const entry = raw.toLowerCase();
      if (entry === '*') return true;
      const [name, entryPort] = entryParts(entry);
      if (entryPort && entryPort !== port) return false;
      const domain = name.replace(/^\*?\./, '');
      return host === domain || host.endsWith(`.${domain}`);
    });
}

/** A proxy setting as a URL: `host:port` means http://host:port. Throws a TypeError when it is not a URL. */
export function parseProxyUrl(raw: string): URL {
  return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
}

/** The proxy for a request to `url`, or undefined for a direct connection. */
export function proxyFor(url: URL, settings: ProxySettings): URL | undefined {
  const raw = url.protocol === 'https:' ? settings.httpsProxy : settings.httpProxy;
  if (!raw || bypassesProxy(url, settings.noProxy)) return undefined;
  const proxy = parseProxyUrl(raw);
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new Error(
      `the proxy ${proxy.protocol}//${proxy.host} is not an http(s) proxy: only http(s) proxies are supported`,
    );
  }
  return proxy;
}

/** A percent-encoded URL part, decoded; as it is when it is not valid percent-encoding (`50%off`). */
export function decodeLenient(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Proxy-Authorization for a proxy URL with user:password, else undefined. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username) return undefined;
  const user = `${decodeLenient(proxy.username)}:${decodeLenient(proxy.password)}`;
  return `Basic ${Buffer.from(user).toString('base64')}`;
}

/**
 * A TLS socket to `target` through the proxy's CONNECT tunnel, for an https request. The proxy's answer must be
 * 200; anything else fails with its status. The CONNECT and the TLS handshake after it must be done within
 * `timeoutMs`, and `signal` aborts either.
 */
export function tunnel(
  proxy: URL,
  target: URL,
  timeoutMs: number,
  tls: Pick<ConnectionOptions, 'ca'> = {},
  signal?: AbortSignal,
): Promise<Socket> {
  const { host, port } = hostAndPort(target);
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const headers: Record<string, string> = { Host: authority };
  const token = proxyAuthorization(proxy);
  if (token) headers['Proxy-Authorization'] = token;
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const send = proxy.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send({
      host: hostAndPort(proxy).host,
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
    });
    let secure: Socket | undefined;
    const fail = (error: Error): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      req.destroy();
      secure?.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(Object.assign(new Error('the proxy tunnel was not open in time'), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    const aborted = (): void => fail(signal?.reason as Error);
    req.on('error', fail);
    signal?.addEventListener('abort', aborted, { once: true });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        fail(
          Object.assign(new Error(`the proxy answered CONNECT with ${res.statusCode}`), { code: 'EPROXY' }),
        );
        return;
      }
      // The certificate is checked against the registry's name (`host`), never the proxy's.
      secure = tlsConnect({ ...tls, socket, host, servername: isIP(host) ? undefined : host });
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        resolve(secure as Socket);
      });
      secure.once('error', fail);
    });
    req.end();
  });
}
