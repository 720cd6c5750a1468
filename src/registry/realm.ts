/**
 * Where credentials may go to get a token: the realm a registry's challenge names is network input. It must be
 * https (plain http only when the registry and the realm are both on this machine), and the caller's policy
 * may narrow it further (the action sends a GitHub token only to GitHub's registries).
 */
import { RegistryError } from './errors.js';
import { isLoopbackRegistry } from './reference.js';
import { printable } from './text.js';

/** A reason to refuse sending credentials to `realm`, or undefined to allow it. */
export type RealmPolicy = (realm: URL) => string | undefined;

/** The realm as a URL that may get the credentials, or a RegistryError that says why not (nothing is sent). */
export function checkRealm(realm: string, registry: string, policy?: RealmPolicy): URL {
  const refuse = (why: string): never => {
    throw new RegistryError('authenticate to', registry, undefined, [], why);
  };
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return refuse(`the registry named a token service that is not a URL ('${printable(realm, 120)}')`);
  }
  const where = `${url.origin}${url.pathname}`;
  const local = isLoopbackRegistry(url.host) && isLoopbackRegistry(registry);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    refuse(
      `the registry named a token service at ${where}, which is not https: no credentials are sent in clear`,
    );
  }
  if (url.username || url.password) refuse(`the registry named a token service URL with credentials in it`);
  const denied = policy?.(url);
  if (denied) refuse(`the registry named a token service at ${where}, which ${denied}`);
  return url;
}
