import * as core from '@actions/core';
import { dockerConfigCredentials } from './docker/config.js';
import { RegistryClient, type Credentials, type Logger } from './registry/index.js';
import { USER_AGENT } from './version.js';

/** The registry client's log lines, on the runner's log. */
export const actionsLogger: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
};

/** Credentials for a registry other than the action's: the docker config's entry (masked), or anonymous. */
function otherRegistryCredentials(host: string): Credentials | undefined {
  const found = dockerConfigCredentials(host);
  if (found) {
    core.setSecret(found.password);
    core.info(`${host}: using the docker config's login for it (never the GitHub token).`);
  }
  return found;
}

/**
 * A registry client whose chosen credentials go to `registry` only; any other registry gets the docker config's
 * entry for it or nothing. Every registry token it obtains is masked before use.
 */
export function newRegistryClient(registry: string, credentials: Credentials | undefined): RegistryClient {
  return new RegistryClient({
    userAgent: USER_AGENT,
    credentials: (host) => (host === registry ? credentials : otherRegistryCredentials(host)),
    logger: actionsLogger,
    onSecret: (secret) => core.setSecret(secret),
  });
}
