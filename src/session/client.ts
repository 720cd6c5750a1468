/** The action's registry client: its log lines on the runner's log, every token masked, keychains per host. */
import * as core from '@actions/core';
import {
  RegistryClient,
  printable,
  decodeLenient,
  parseProxyUrl,
  proxyAuthorization,
  proxySettingsFrom,
  type Credentials,
  type Logger,
  type ProxySettings,
} from '../registry/index.js';
import { ActionError } from '../errors.js';
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

let proxiesSaid = false;

/**
 * The environment's forward proxies, their passwords masked before anything can print them; where requests go
 * is said once per step (the proxy's origin only, never its credentials).
 */
export function proxySettings(env: NodeJS.ProcessEnv = process.env): ProxySettings {
  const settings = proxySettingsFrom(env);
  const lines: string[] = [];
  for (const [scheme, raw] of [
    ['https', settings.httpsProxy],
    ['http', settings.httpProxy],
  ] as const) {
    if (!raw) continue;
    const proxy = maskedProxy(raw, variableOf(`${scheme.toUpperCase()}_PROXY`, env));
    lines.push(`${scheme} requests go through the proxy ${printable(proxy.origin, 200)}`);
  }
  if (lines.length && !proxiesSaid) {
    proxiesSaid = true;
    const bypass = settings.noProxy ? `; NO_PROXY: ${printable(settings.noProxy, 500)}` : '';
    core.info(`${lines.join('; ')}${bypass}.`);
  }
  return settings;
}

/** Which spelling of a proxy variable is in use: the lower-case one wins, as in proxySettingsFrom. */
function variableOf(name: string, env: NodeJS.ProcessEnv): string {
  return env[name.toLowerCase()]?.trim() ? name.toLowerCase() : name;
}

/** A proxy setting as a URL, its password (raw, decoded, and as Basic credentials) masked first. */
function maskedProxy(raw: string, variable: string): URL {
  let proxy: URL;
  try {
    proxy = parseProxyUrl(raw);
  } catch {
    core.setSecret(raw);
    throw new ActionError(
      `The proxy setting ${variable} is not a URL.`,
      `set ${variable} to http://HOST:PORT (or http://USER:PASSWORD@HOST:PORT, with % @ : / in the password percent-encoded), or unset it.`,
    );
  }
  if (proxy.password) {
    core.setSecret(proxy.password);
    core.setSecret(decodeLenient(proxy.password));
    const basic = proxyAuthorization(proxy);
    if (basic) core.setSecret(basic.slice('Basic '.length));
  }
  return proxy;
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
    proxy: proxySettings(),
  });
}
