import * as core from '@actions/core';
import { RegistryClient, type Credentials, type Logger } from './registry/index.js';
import { USER_AGENT } from './version.js';

/** The registry client's log lines, on the runner's log. */
export const actionsLogger: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
};

/**
 * A registry client whose credentials go to `registry` only; any other registry is spoken to anonymously.
 * Every registry token it obtains is masked before use.
 */
export function newRegistryClient(registry: string, credentials: Credentials | undefined): RegistryClient {
  return new RegistryClient({
    userAgent: USER_AGENT,
    credentials: (host) => (host === registry ? credentials : undefined),
    logger: actionsLogger,
    onSecret: (secret) => core.setSecret(secret),
  });
}
