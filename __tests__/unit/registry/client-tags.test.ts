import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RegistryClient } from '../../../src/registry/client.js';
import { parseReference } from '../../../src/registry/reference.js';
import { startHttpServer, type LocalServer } from '../../support/http-server.js';

// A registry that pages tags like ghcr.io: short pages are not the end; only a missing Link is.
let server: LocalServer;
let host = '';
const pages: Record<string, { tags: string[]; next?: string }> = {
  '': { tags: ['a', 'b'], next: '/v2/o/app/tags/list?n=2&last=b' },
  b: { tags: ['c'], next: '/v2/o/app/tags/list?n=2&last=c' },
  c: { tags: ['d', 'e'] },
};
const asked: string[] = [];

beforeAll(async () => {
  server = await startHttpServer((req, res) => {
    asked.push(req.url ?? '');
    const last = new URL(req.url ?? '/', 'http://x').searchParams.get('last') ?? '';
    const page = pages[last];
    if (!page) return void res.writeHead(404).end();
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (page.next) headers.Link = `<${page.next}>; rel="next"`;
    res.writeHead(200, headers).end(JSON.stringify({ name: 'o/app', tags: page.tags }));
  });
  host = server.host;
});
afterAll(() => server.close());

describe('RegistryClient.listTags', () => {
  it('follows Link rel="next" through short pages until there is none', async () => {
    const client = new RegistryClient({ userAgent: 'unit' });
    expect(await client.listTags(parseReference(`${host}/o/app`))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(asked).toHaveLength(3);
    expect(asked[1]).toBe('/v2/o/app/tags/list?n=2&last=b');
  });
});
