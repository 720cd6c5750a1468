import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RegistryClient } from '../../../src/registry/client.js';
import { RegistryError } from '../../../src/registry/errors.js';
import { parseReference } from '../../../src/registry/reference.js';
import { MAX_TAGS, nextLink } from '../../../src/registry/tags.js';
import { startHttpServer, type LocalServer } from '../../support/http-server.js';

describe('nextLink', () => {
  it.each<[string, string | null, string | undefined]>([
    ['distribution style', '</v2/o/r/tags/list?n=2&last=b>; rel="next"', '/v2/o/r/tags/list?n=2&last=b'],
    ['unquoted rel', '</v2/o/r/tags/list?last=b&n=100>; rel=next', '/v2/o/r/tags/list?last=b&n=100'],
    ['no space before rel', '</v2/o/r/tags/list?last=c>;rel="next"', '/v2/o/r/tags/list?last=c'],
    ['upper-case rel', '</v2/o/r/tags/list?last=d>; REL="NEXT"', '/v2/o/r/tags/list?last=d'],
    [
      'absolute URL',
      '<https://ghcr.io/v2/o/r/tags/list?last=v1.2&n=100>; rel="next"',
      'https://ghcr.io/v2/o/r/tags/list?last=v1.2&n=100',
    ],
    [
      'next after another rel',
      '</v2/o/r/tags/list?n=2>; rel="first", </v2/o/r/tags/list?n=2&last=f>; rel="next"',
      '/v2/o/r/tags/list?n=2&last=f',
    ],
    [
      'next before another rel',
      '</v2/o/r/tags/list?n=2&last=f>; rel="next", </v2/o/r/tags/list?n=2>; rel="first"',
      '/v2/o/r/tags/list?n=2&last=f',
    ],
    ['only prev', '</v2/o/r/tags/list?n=2&last=a>; rel="prev"', undefined],
    ['only first and last', '</a>; rel="first", </z>; rel="last"', undefined],
    ['empty target', '<>; rel="next"', undefined],
    ['empty header', '', undefined],
    ['absent header', null, undefined],
  ])('%s', (_name, header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });
});

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

describe('listTags against a hostile registry', () => {
  let hostile: LocalServer;
  let elsewhere: LocalServer;
  const seenElsewhere: string[] = [];
  let answer: { tags: unknown; link?: string } = { tags: [] };

  beforeAll(async () => {
    elsewhere = await startHttpServer((req, res) => {
      seenElsewhere.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"tags":["stolen"]}');
    });
    hostile = await startHttpServer((_req, res) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (answer.link) headers.Link = answer.link;
      res.writeHead(200, headers).end(JSON.stringify({ tags: answer.tags }));
    });
  });
  afterAll(async () => {
    await hostile.close();
    await elsewhere.close();
  });

  it('leaves out names that are not tags: newlines, workflow commands, non-strings', async () => {
    answer = {
      tags: ['1.0', 'x\n::warning::owned', '::stop-commands::x', 42, '-rc', 'a'.repeat(129), 'latest'],
    };
    const client = new RegistryClient({ userAgent: 'unit' });
    expect(await client.listTags(parseReference(`${hostile.host}/o/app`))).toEqual(['1.0', 'latest']);
  });

  it('refuses more tags than MAX_TAGS, however the pages come', async () => {
    answer = { tags: Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`) };
    const client = new RegistryClient({ userAgent: 'unit' });
    await expect(client.listTags(parseReference(`${hostile.host}/o/app`))).rejects.toThrow(
      `more than ${MAX_TAGS} tags`,
    );
  });

  it('tells whether a repository has tags from one small page', async () => {
    answer = { tags: ['x\n::bad', 'v1'] };
    const client = new RegistryClient({ userAgent: 'unit' });
    await expect(client.hasTags(parseReference(`${hostile.host}/o/app`))).resolves.toBe(true);
    answer = { tags: [] };
    await expect(client.hasTags(parseReference(`${hostile.host}/o/app`))).resolves.toBe(false);
  });

  it('refuses a next page on another origin, and sends nothing there', async () => {
    answer = { tags: ['1.0'], link: `<http://${elsewhere.host}/v2/o/app/tags/list?last=1.0>; rel="next"` };
    const client = new RegistryClient({ userAgent: 'unit' });
    const listed = client.listTags(parseReference(`${hostile.host}/o/app`));
    await expect(listed).rejects.toThrow(RegistryError);
    await expect(listed).rejects.toThrow(
      `the next page is on another origin (http://${elsewhere.host}): not followed`,
    );
    expect(seenElsewhere).toEqual([]);
  });
});
