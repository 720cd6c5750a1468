import { afterEach, describe, expect, it } from '@jest/globals';
import type { IncomingHttpHeaders } from 'node:http';
import { apiHeaders, githubApi } from '../../../src/github/api.js';
import { startHttpServer, type LocalServer } from '../../support/http-server.js';

const TOKEN = 'ghs_apiUnitTestToken0123456789abcdef';

describe('githubApi (Octokit from @actions/github) against a local stand-in of the REST API', () => {
  let server: LocalServer | undefined;
  const seen: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];

  afterEach(async () => {
    await server?.close();
    server = undefined;
    seen.length = 0;
  });

  async function serve(): Promise<string> {
    server = await startHttpServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end('{"login":"octocat"}');
    });
    return `http://${server.host}`;
  }

  it("calls $GITHUB_API_URL as given, a GitHub Enterprise Server path included, with the token and the action's headers", async () => {
    const api = await githubApi({
      apiUrl: `${await serve()}/api/v3`,
      token: TOKEN,
      userAgent: 'ghcr-image-action/test',
    });
    const answer = await api.request('GET /user', { headers: apiHeaders('ghcr-image-action/test') });
    expect(answer.data).toEqual({ login: 'octocat' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/api/v3/user');
    expect(seen[0]?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(seen[0]?.headers['user-agent']).toBe('ghcr-image-action/test');
    expect(seen[0]?.headers.accept).toBe('application/vnd.github+json');
  });

  it('follows redirects within the API origin only, with the token; any other redirect fails the call', async () => {
    server = await startHttpServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      if (req.url === '/orgs/old/packages')
        return void res.writeHead(301, { location: '/orgs/new/packages' }).end();
      if (req.url === '/elsewhere')
        return void res.writeHead(302, { location: 'http://127.0.0.2:9/x' }).end();
      if (req.url === '/moved-delete') return void res.writeHead(307, { location: '/deleted-here' }).end();
      if (req.url === '/post-301') return void res.writeHead(301, { location: '/posted-here' }).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ at: req.url, method: req.method }));
    });
    const api = await githubApi({ apiUrl: `http://${server.host}`, token: TOKEN, userAgent: 'ua' });
    expect((await api.request('GET /orgs/old/packages')).data).toEqual({
      at: '/orgs/new/packages',
      method: 'GET',
    });
    expect(seen.map((s) => [s.url, s.headers.authorization])).toEqual([
      ['/orgs/old/packages', `token ${TOKEN}`],
      ['/orgs/new/packages', `token ${TOKEN}`],
    ]);
    // A 307 keeps the method: the DELETE is sent again where it was sent.
    expect((await api.request('DELETE /moved-delete')).data).toEqual({
      at: '/deleted-here',
      method: 'DELETE',
    });
    // Another origin, or a 301 of a write: the call fails (nothing is sent there; no false success).
    seen.length = 0;
    await expect(api.request('GET /elsewhere')).rejects.toThrow(
      /answered 302 \(to http:\/\/127\.0\.0\.2:9\/x\): not followed/,
    );
    await expect(api.request('POST /post-301')).rejects.toThrow(/answered 301.*not followed/);
    expect(seen.map((s) => s.url)).toEqual(['/elsewhere', '/post-301']);
  });

  it('uses the fetch it is given (tests, proxies)', async () => {
    const calls: string[] = [];
    const api = await githubApi({
      apiUrl: await serve(),
      token: TOKEN,
      userAgent: 'ua',
      fetch: (input, init) => {
        calls.push(String(input));
        return fetch(input, init);
      },
    });
    await api.request('GET /user');
    expect(calls).toEqual([`http://${server?.host}/user`]);
  });
});
