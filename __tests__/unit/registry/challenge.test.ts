import { describe, expect, it } from '@jest/globals';
import { parseChallenges, type Challenge } from '../../../src/registry/challenge.js';

describe('parseChallenges', () => {
  const cases: [string, string, Challenge[]][] = [
    [
      'ghcr.io bearer challenge',
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/r:pull"',
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:o/r:pull' },
        },
      ],
    ],
    [
      'insufficient_scope with a multi-action scope',
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/r:pull,push",error="insufficient_scope"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://ghcr.io/token',
            service: 'ghcr.io',
            scope: 'repository:o/r:pull,push',
            error: 'insufficient_scope',
          },
        },
      ],
    ],
    [
      'basic realm',
      'Basic realm="Registry Realm"',
      [{ scheme: 'basic', params: { realm: 'Registry Realm' } }],
    ],
    [
      'two challenges in one header',
      'Basic realm="basic-realm", Bearer realm="https://auth.example/token",service="example"',
      [
        { scheme: 'basic', params: { realm: 'basic-realm' } },
        { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'example' } },
      ],
    ],
    [
      'quoted values holding commas, spaces and escaped quotes',
      'Bearer realm="https://a.example/t?x=1,2", scope="repository:a/b:pull repository:c/d:pull", error_description="say \\"hi\\", please"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://a.example/t?x=1,2',
            scope: 'repository:a/b:pull repository:c/d:pull',
            error_description: 'say "hi", please',
          },
        },
      ],
    ],
    [
      'scheme and parameter names are lower-cased, values are not',
      'BEARER Realm="https://X.example/Token", Service=Registry',
      [{ scheme: 'bearer', params: { realm: 'https://X.example/Token', service: 'Registry' } }],
    ],
    [
      'spaces around = and a bare scheme',
      'Bearer realm = "r" , service= s, Negotiate',
      [
        { scheme: 'bearer', params: { realm: 'r', service: 's' } },
        { scheme: 'negotiate', params: {} },
      ],
    ],
  ];

  it.each(cases)('%s', (_name, header, expected) => {
    expect(parseChallenges(header)).toEqual(expected);
  });

  it.each([null, undefined, '', '   '])('returns no challenge for %p', (header) => {
    expect(parseChallenges(header)).toEqual([]);
  });
});
