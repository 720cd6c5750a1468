import { describe, expect, it } from '@jest/globals';
import {
  credentialsFor,
  dockerConfigKeychain,
  multiKeychain,
  registryKeychain,
} from '../../../src/session/keychain.js';
import type { Credentials } from '../../../src/registry/index.js';

const CHOSEN: Credentials = { username: 'octocat', password: 'ghs_chosenForTheRegistry' };
const STORED: Credentials = { username: 'someone', password: 'stored-in-docker-config' };

describe('keychains', () => {
  it('the chosen credentials go to their registry and to no other host', () => {
    const keychain = registryKeychain('ghcr.io', CHOSEN);
    expect(keychain('ghcr.io')).toBe(CHOSEN);
    expect(keychain('registry.example.com')).toBeUndefined();
    expect(keychain('ghcr.io.example.com')).toBeUndefined();
  });

  it("the registry's own host is anonymous when nothing was chosen, never handed to the next keychain", () => {
    const chain = multiKeychain(
      registryKeychain('ghcr.io', undefined),
      dockerConfigKeychain(undefined, () => STORED),
    );
    expect(chain('ghcr.io')).toBe('anonymous');
    expect(credentialsFor(chain, 'ghcr.io')).toBeUndefined();
  });

  it("other hosts get the docker config's entry, which is seen (to mask it) before use", () => {
    const seen: string[] = [];
    const chain = multiKeychain(
      registryKeychain('ghcr.io', CHOSEN),
      dockerConfigKeychain(
        (host, found) => seen.push(`${host}:${found.username}`),
        (host) => (host === 'registry.example.com' ? STORED : undefined),
      ),
    );
    expect(credentialsFor(chain, 'ghcr.io')).toBe(CHOSEN);
    expect(credentialsFor(chain, 'registry.example.com')).toBe(STORED);
    expect(seen).toEqual(['registry.example.com:someone']);
  });

  it('a host no keychain knows is anonymous', () => {
    const chain = multiKeychain(
      registryKeychain('ghcr.io', CHOSEN),
      dockerConfigKeychain(undefined, () => undefined),
    );
    expect(chain('quay.io')).toBe('anonymous');
    expect(credentialsFor(chain, 'quay.io')).toBeUndefined();
  });
});
