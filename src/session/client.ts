/** The action's registry client: its log lines on the runner's log, every token masked, keychains per host. */
import * as core from '@actions/core';
import { RegistryClient, printable, type Credentials, type Logger } from '../registry/index.js';
import { USER_AGENT } from '../version.js';
import { credentialsFor, dockerConfigKeychain, multiKeychain, registryKeychain } from './keychain.js';

/** The registry client's log lines, on the runner's log, each made printable (it may quote the network). */
export const actionsLogger: Logger = {
  debug: (message) => core.debug(printable(message, 2000)),
  info: (message) => core.info(printable(message, 2000)),
};

/** A docker config login for another registry: masked before anything can print it, and said where it is used. */
function useDockerConfigLogin(host: string, credentials: Credentials): void {
  core.setSecret(credentials.password);
  core.info(`${host}: using the docker config's login for it (never the GitHub token).`);
}

/**
 * A registry client whose chosen credentials go to `registry` only; any other registry gets the docker config's
 * entry for it or nothing. Every registry token it obtains is masked before use.
 */
export function newRegistryClient(
  registry: string,
  credentials: Credentials | undefined,
  realmPolicy?: (realm: URL) => string | undefined,
): RegistryClient {
  const keychain = multiKeychain(
    registryKeychain(registry, credentials),
    dockerConfigKeychain(useDockerConfigLogin),
  );
  return new RegistryClient({
    userAgent: USER_AGENT,
    credentials: (host) => credentialsFor(keychain, host),
    logger: actionsLogger,
    onSecret: (secret) => core.setSecret(secret),
    realmPolicy: (host, realm) => (host === registry ? realmPolicy?.(realm) : undefined),
  });
}
