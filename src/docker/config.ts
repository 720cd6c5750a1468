/** Credentials from the docker config (`$DOCKER_CONFIG/config.json` or ~/.docker/config.json), by registry. */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '../registry/index.js';

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
}

/** The keys docker may have stored a registry under. */
function keysFor(registry: string): string[] {
  return [
    registry,
    `https://${registry}`,
    `http://${registry}`,
    `https://${registry}/v1/`,
    `https://${registry}/v2/`,
  ];
}

/**
 * The entry `docker login REGISTRY` stored, or undefined (none, a credential helper, or an unreadable file).
 * Only plain `auths` entries are read; credential stores are not run.
 */
export function dockerConfigCredentials(
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
): Credentials | undefined {
  const file = join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json');
  if (!existsSync(file)) return undefined;
  let auths: Record<string, AuthEntry>;
  try {
    auths = (JSON.parse(readFileSync(file, 'utf8')) as { auths?: Record<string, AuthEntry> }).auths ?? {};
  } catch {
    return undefined;
  }
  for (const key of keysFor(registry)) {
    const entry = auths[key];
    if (!entry) continue;
    if (entry.username && entry.password) return { username: entry.username, password: entry.password };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
  }
  return undefined;
}
