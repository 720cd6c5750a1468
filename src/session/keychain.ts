/**
 * Keychains: which credentials go to which registry host, in the shape of go-containerregistry's authn
 * keychains. A keychain answers for a host with credentials, with 'anonymous' (the host is its own and gets no
 * credentials), or with nothing (not its host: ask the next keychain).
 */
import { dockerConfigCredentials } from '../docker/config.js';
import type { Credentials } from '../registry/index.js';

export type KeychainAnswer = Credentials | 'anonymous' | undefined;
export type Keychain = (registry: string) => KeychainAnswer;

/** The credentials chosen for one registry go to that registry and nowhere else (anonymous when none). */
export function registryKeychain(registry: string, credentials: Credentials | undefined): Keychain {
  return (host) => (host === registry ? (credentials ?? 'anonymous') : undefined);
}

/** The docker config's entry for a host (`docker login` stored it), if any; `onFound` sees it before use. */
export function dockerConfigKeychain(
  onFound: (host: string, credentials: Credentials) => void = () => undefined,
  read: (host: string) => Credentials | undefined = (host) => dockerConfigCredentials(host),
): Keychain {
  return (host) => {
    const found = read(host);
    if (found) onFound(host, found);
    return found;
  };
}

/** The first keychain that answers for a host decides; anonymous when none does. */
export function multiKeychain(...keychains: Keychain[]): Keychain {
  return (host) => {
    for (const keychain of keychains) {
      const answer = keychain(host);
      if (answer !== undefined) return answer;
    }
    return 'anonymous';
  };
}

/** A keychain's answer as the registry client takes it: credentials, or undefined for anonymous access. */
export function credentialsFor(keychain: Keychain, host: string): Credentials | undefined {
  const answer = keychain(host);
  return answer === 'anonymous' ? undefined : answer;
}
