import { describe, expect, it } from '@jest/globals';
import { RegistryError } from '../../../src/registry/errors.js';
import { checkRealm } from '../../../src/registry/realm.js';

describe('checkRealm: where credentials may go for a token', () => {
  it.each([
    ['https://ghcr.io/token', 'ghcr.io'],
    ['https://auth.example.com/token', 'registry.example.com'],
    ['http://127.0.0.1:5103/token', '127.0.0.1:5100'],
    ['http://localhost:5103/token', 'localhost:5000'],
  ])('allows %s for %s', (realm, registry) => {
    expect(checkRealm(realm, registry).href).toBe(realm);
  });

  it.each([
    [
      'http://other-host/token',
      'registry.example.com',
      'which is not https: no credentials are sent in clear',
    ],
    ['http://127.0.0.1:5103/token', 'registry.example.com', 'which is not https'],
    ['http://thief.example/token', '127.0.0.1:5100', 'which is not https'],
    ['ftp://ghcr.io/token', 'ghcr.io', 'which is not https'],
    ['not a url', 'ghcr.io', "a token service that is not a URL ('not a url')"],
    ['https://user:pw@ghcr.io/token', 'ghcr.io', 'a token service URL with credentials in it'],
  ])('refuses %s for %s', (realm, registry, why) => {
    const run = () => checkRealm(realm, registry);
    expect(run).toThrow(RegistryError);
    expect(run).toThrow(why);
  });

  it("applies the caller's policy on top (a GitHub token to GitHub only)", () => {
    const githubOnly = (realm: URL) => (realm.host === 'ghcr.io' ? undefined : "is not GitHub's");
    expect(checkRealm('https://ghcr.io/token', 'ghcr.io', githubOnly).host).toBe('ghcr.io');
    expect(() => checkRealm('https://evil.example/token', 'ghcr.io', githubOnly)).toThrow(
      "the registry named a token service at https://evil.example/token, which is not GitHub's",
    );
  });
});
