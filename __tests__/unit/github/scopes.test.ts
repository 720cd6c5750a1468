import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { missingScope, readTokenScopes } from '../../../src/github/scopes.js';
import { startHttpServer, type LocalServer } from '../../support/http-server.js';

const TOKEN = 'ghp_scopesUnitTestToken0123456789abcdef';
const USER_AGENT = 'ghcr-image-action/unit-test';

describe('missingScope', () => {
  it.each<[string[], 'pull' | 'push', string | undefined]>([
    [['write:packages'], 'push', undefined],
    [['read:packages', 'write:packages'], 'push', undefined],
    [['repo', 'write:packages', 'delete:packages'], 'push', undefined],
    [['read:packages'], 'push', 'write:packages'],
    [['repo'], 'push', 'write:packages'],
    [['delete:packages'], 'push', 'write:packages'],
    [[], 'push', 'write:packages'],
    [['read:packages'], 'pull', undefined],
    [['write:packages'], 'pull', undefined],
    [['repo', 'read:packages'], 'pull', undefined],
    [['repo'], 'pull', 'read:packages'],
    [['delete:packages'], 'pull', 'read:packages'],
    [[], 'pull', 'read:packages'],
  ])('%p for %s -> %p', (scopes, need, expected) => {
    expect(missingScope(scopes, need)).toBe(expected);
  });

  it('matches whole scope names only', () => {
    expect(missingScope(['write:packages:extra'], 'push')).toBe('write:packages');
    expect(missingScope(['read:packagesx'], 'pull')).toBe('read:packages');
  });
});

describe('readTokenScopes against a local HTTP server', () => {
  let server: LocalServer | undefined;
  const requests: { method: string | undefined; url: string | undefined; headers: IncomingHttpHeaders }[] =
    [];

  afterEach(async () => {
    await server?.close();
    server = undefined;
    requests.length = 0;
  });

  async function serve(status: number, headers: Record<string, string>, body = ''): Promise<string> {
    server = await startHttpServer((req, res) => {
      requests.push({ method: req.method, url: req.url, headers: req.headers });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    });
    return `http://${server.host}`;
  }

  it('lists the scopes of X-OAuth-Scopes on a 200', async () => {
    const api = await serve(
      200,
      { 'X-OAuth-Scopes': 'read:packages, repo, write:packages' },
      '{"login":"octocat"}',
    );
    await expect(readTokenScopes(api, TOKEN, USER_AGENT)).resolves.toEqual({
      kind: 'scopes',
      scopes: ['read:packages', 'repo', 'write:packages'],
    });
  });

  it('reads an empty X-OAuth-Scopes as no scopes', async () => {
    const api = await serve(200, { 'X-OAuth-Scopes': '' });
    await expect(readTokenScopes(api, TOKEN, USER_AGENT)).resolves.toEqual({ kind: 'scopes', scopes: [] });
  });

  it('sends GET /user with `Authorization: token <t>`, a User-Agent and the GitHub media type', async () => {
    const api = await serve(200, { 'X-OAuth-Scopes': 'write:packages' });
    await readTokenScopes(api, TOKEN, USER_AGENT);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/user');
    expect(request?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(request?.headers['user-agent']).toBe(USER_AGENT);
    expect(request?.headers.accept).toBe('application/vnd.github+json');
  });

  it('is unknown on a 200 without X-OAuth-Scopes (GITHUB_TOKEN, fine-grained tokens)', async () => {
    const api = await serve(200, {}, '{"login":"octocat"}');
    const report = await readTokenScopes(api, TOKEN, USER_AGENT);
    expect(report.kind).toBe('unknown');
    expect(report).toMatchObject({ why: expect.stringContaining('200 without X-OAuth-Scopes') });
  });

  it('is bad-credentials on a 401', async () => {
    const api = await serve(401, {}, '{"message":"Bad credentials","status":"401"}');
    await expect(readTokenScopes(api, TOKEN, USER_AGENT)).resolves.toEqual({ kind: 'bad-credentials' });
  });

  it('is unknown on a 403, even with X-OAuth-Scopes', async () => {
    const api = await serve(
      403,
      { 'X-OAuth-Scopes': 'write:packages' },
      '{"message":"Resource not accessible"}',
    );
    const report = await readTokenScopes(api, TOKEN, USER_AGENT);
    expect(report.kind).toBe('unknown');
    expect(report).toMatchObject({ why: expect.stringContaining('403') });
  });

  it('is unknown, never a throw, when the API cannot be reached, and never quotes the token', async () => {
    // A port that was just free and is now closed: connections are refused.
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    probe.close();
    await once(probe, 'close');

    const api = `http://127.0.0.1:${port}`;
    const report = await readTokenScopes(api, TOKEN, USER_AGENT);
    expect(report.kind).toBe('unknown');
    expect(report).toMatchObject({
      why: `${api}/user: could not reach 127.0.0.1:${port}: the connection was refused (nothing listens there) (connect ECONNREFUSED 127.0.0.1:${port})`,
    });
    expect(JSON.stringify(report)).not.toContain(TOKEN);
  });
});
