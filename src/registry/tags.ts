/** Listing a repository's tags, page by page, on the registry's own origin only. */
import { RegistryError } from './errors.js';
import { TAG, type Reference } from './reference.js';
import { pullScope } from './scope.js';
import type { Transport } from './transport.js';

/** Bounds on a tag list: the most tags kept, pages read, and bytes of one page. */
export const MAX_TAGS = 100_000;
const MAX_PAGES = 1000;
const MAX_PAGE_BYTES = 1024 * 1024;

/** Every valid tag of `ref`'s repository, following `Link: <...>; rel="next"` on the registry's own origin. */
export async function listTags(t: Transport, ref: Reference): Promise<string[]> {
  const where = `${ref.registry}/${ref.repository}`;
  let tags: string[] = [];
  let url: string | undefined = `/v2/${ref.repository}/tags/list?n=1000`;
  for (let page = 0; url; page++) {
    if (page >= MAX_PAGES) throw new Error(`list tags of ${where}: more than ${MAX_PAGES} pages`);
    const answer = await t.requestBytes(
      {
        method: 'GET',
        url,
        scopes: pullScope(ref.repository),
        expect: [200],
        operation: 'list tags of',
        reference: where,
      },
      MAX_PAGE_BYTES,
    );
    tags = tags.concat(tagsOf(answer.bytes, where));
    if (tags.length > MAX_TAGS) throw new Error(`list tags of ${where}: more than ${MAX_TAGS} tags`);
    url = nextPage(answer.response.headers.get('link'), answer.url, t.origin, where);
  }
  return tags;
}

/** Whether the repository has a tag at all: one page of one tag (a missing repository has none). */
export async function hasTags(t: Transport, ref: Reference): Promise<boolean> {
  const where = `${ref.registry}/${ref.repository}`;
  const answer = await t.requestBytes(
    {
      method: 'GET',
      url: `/v2/${ref.repository}/tags/list?n=1`,
      scopes: pullScope(ref.repository),
      expect: [200, 404],
      operation: 'list tags of',
      reference: where,
    },
    MAX_PAGE_BYTES,
  );
  return answer.response.status === 200 && tagsOf(answer.bytes, where).length > 0;
}

/** The valid tags of one tags/list page. */
function tagsOf(bytes: Buffer, where: string): string[] {
  let body: { tags?: unknown };
  try {
    body = JSON.parse(bytes.toString('utf8')) as { tags?: unknown };
  } catch {
    throw new Error(`list tags of ${where}: the answer is not JSON`);
  }
  const listed = Array.isArray(body.tags) ? body.tags : [];
  return listed.filter((tag): tag is string => typeof tag === 'string' && TAG.test(tag));
}

/** The next page's path and query, on the registry's own origin; a page elsewhere is refused. */
function nextPage(link: string | null, from: URL, origin: string, where: string): string | undefined {
  const next = nextLink(link);
  if (!next) return undefined;
  const url = new URL(next, from);
  if (url.origin !== origin) {
    throw new RegistryError(
      'list tags of',
      where,
      undefined,
      [],
      `the next page is on another origin (${url.origin}): not followed`,
    );
  }
  return `${url.pathname}${url.search}`;
}

/** The target of `Link: <url>; rel="next"`, if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (match?.[1]) return match[1];
  }
  return undefined;
}
