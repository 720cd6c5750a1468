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

  it('follows a redirect of a read within the API origin only, with the token; never a write', async () => {
    server = await startHttpServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      if (req.url === '/orgs/old/packages')
        return void res.writeHead(301, { location: '/orgs/new/packages' }).end();
      if (req.url === '/elsewhere')
        return void res.writeHead(302, { location: 'http://127.0.0.2:9/x' }).end();
      if (req.method === 'DELETE') return void res.writeHead(307, { location: '/deleted-there' }).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ at: req.url }));
    });
    const api = await githubApi({ apiUrl: `http://${server.host}`, token: TOKEN, userAgent: 'ua' });
    expect((await api.request('GET /orgs/old/packages')).data).toEqual({ at: '/orgs/new/packages' });
    expect(seen.map((s) => [s.url, s.headers.authorization])).toEqual([
      ['/orgs/old/packages', `token ${TOKEN}`],
      ['/orgs/new/packages', `token ${TOKEN}`],
    ]);
    // Another origin: the redirect is the answer (nothing is sent there).
    expect((await api.request('GET /elsewhere')).status).toBe(302);
    seen.length = 0;
    expect((await api.request('DELETE /orgs/o/packages/container/p')).status).toBe(307);
    expect(seen.map((s) => s.url)).toEqual(['/orgs/o/packages/container/p']);
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
