import { describe, expect, it } from '@jest/globals';
import { nextLink } from '../../../src/registry/client.js';

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
