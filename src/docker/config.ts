/**
 * The docker config (`$DOCKER_CONFIG/config.json` or ~/.docker/config.json): credentials by registry, and the
 * login kept there for later steps.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Credentials } from '../registry/index.js';
import { onPath } from '../tool.js';

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

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** Runs `docker-credential-<helper> get` for `server`: its JSON answer, or undefined when it has nothing. */
export type CredentialHelperRunner = (
  helper: string,
  server: string,
  env: NodeJS.ProcessEnv,
) => string | undefined;

/** A helper's name as docker takes it (`pass`, `secretservice`, `ecr-login`): never a path. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * The credential helper protocol: the server on stdin, `{"Username","Secret"}` on stdout, a non-zero exit when
 * it knows nothing. Bounded: 10 s, 64 KiB of answer.
 */
export const runCredentialHelper: CredentialHelperRunner = (helper, server, env) => {
  try {
    return execFileSync(`docker-credential-${helper}`, ['get'], {
      input: server,
      env,
      timeout: 10_000,
      maxBuffer: 64 * 1024,
      stdio: ['pipe', 'pipe', 'ignore'],
    }).toString('utf8');
  } catch {
    return undefined;
  }
};

function fromHelper(
  helper: string,
  registry: string,
  env: NodeJS.ProcessEnv,
  run: CredentialHelperRunner,
): Credentials | undefined {
  if (!HELPER_NAME.test(helper)) return undefined;
  for (const server of [registry, `https://${registry}`]) {
    const answer = run(helper, server, env);
    if (answer === undefined) continue;
    try {
      const { Username, Secret } = JSON.parse(answer) as { Username?: unknown; Secret?: unknown };
      // '<token>' marks an identity token (an OAuth refresh token), which this client does not exchange.
      if (
        typeof Username === 'string' &&
        typeof Secret === 'string' &&
        Username &&
        Secret &&
        Username !== '<token>'
      )
        return { username: Username, password: Secret };
    } catch {
      // not JSON: nothing usable
    }
  }
  return undefined;
}

function fromAuths(auths: Record<string, AuthEntry>, registry: string): Credentials | undefined {
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

/** The config's `auths` (an object), or none. */
function authsOf(config: { auths?: unknown }): Record<string, AuthEntry> {
  return typeof config.auths === 'object' && config.auths !== null
    ? (config.auths as Record<string, AuthEntry>)
    : {};
}

/** Where docker reads its config in this environment. */
export function dockerConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json');
}

/**
 * What the docker config holds for REGISTRY, as docker reads it: the registry's credential helper
 * (`credHelpers`), else the credential store (`credsStore`), else the plain `auths` entry `docker login` stored;
 * undefined when none has it (or the file cannot be read).
 */
export function dockerConfigCredentials(
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
  run: CredentialHelperRunner = runCredentialHelper,
): Credentials | undefined {
  const file = dockerConfigFile(env);
  // A helper is a program (up to 10 s): asked once per registry and config file in a step.
  const key = `${file}\n${registry}`;
  if (run === runCredentialHelper && answers.has(key)) return answers.get(key);
  const found = readCredentials(file, registry, env, run);
  if (run === runCredentialHelper) answers.set(key, found);
  return found;
}

const answers = new Map<string, Credentials | undefined>();

function readCredentials(
  file: string,
  registry: string,
  env: NodeJS.ProcessEnv,
  run: CredentialHelperRunner,
): Credentials | undefined {
  if (!existsSync(file)) return undefined;
  let config: DockerConfig;
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as DockerConfig;
  } catch {
    return undefined;
  }
  if (typeof config !== 'object' || config === null) return undefined;
  const helpers =
    typeof config.credHelpers === 'object' && config.credHelpers !== null ? config.credHelpers : {};
  const helper = Object.hasOwn(helpers, registry) ? helpers[registry] : config.credsStore;
  const fromStore = typeof helper === 'string' && helper ? fromHelper(helper, registry, env, run) : undefined;
  const auths = authsOf(config);
  return fromStore ?? fromAuths(auths, registry);
}

/**
 * The config as an object when this module may change REGISTRY's login in it: none yet (`{}`), or a plain file
 * of JSON that names no credential helper for REGISTRY. Undefined otherwise: a helper's store (a keychain, pass)
 * is docker's to write, and a link or a file that is not a JSON object is left for docker to handle.
 */
function editableConfig(file: string, registry: string): Record<string, unknown> | undefined {
  // Docker Hub's login lives under its legacy index URL, and docker may pick a store of its own: docker's job.
  if (DOCKER_HUB.has(registry.toLowerCase()) || DEFAULT_STORES.some((helper) => onPath(helper)))
    return undefined;
  let link: boolean;
  try {
    link = lstatSync(file).isSymbolicLink();
  } catch {
    return {}; // no config yet
  }
  if (link) return undefined; // docker writes through the link (a dangling one too)
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return undefined;
  const { credsStore, credHelpers } = config as DockerConfig;
  if (typeof credsStore === 'string' && credsStore) return undefined;
  if (typeof credHelpers === 'object' && credHelpers !== null && Object.hasOwn(credHelpers, registry))
    return undefined;
  return config as Record<string, unknown>;
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
/** The credential helpers docker login uses on its own, with no credsStore set, when it finds them on PATH. */
const DEFAULT_STORES = [
  'docker-credential-desktop',
  'docker-credential-osxkeychain',
  'docker-credential-wincred',
  'docker-credential-secretservice',
  'docker-credential-pass',
];

/** Writes the config whole to a new private file beside it, then renames it over the old one. */
function writeConfig(file: string, config: Record<string, unknown>): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const fresh = `${file}.${randomUUID()}.tmp`;
  try {
    writeFileSync(fresh, `${JSON.stringify(config, null, '\t')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(fresh, 0o600);
    renameSync(fresh, file);
  } finally {
    rmSync(fresh, { force: true });
  }
}

/**
 * Keeps a login to REGISTRY in the docker config as `docker login` stores one without a credential helper (an
 * `auths` entry of base64 `user:secret`), without running docker. False, with nothing written, when docker must
 * do it (editableConfig).
 */
export function storeLogin(
  registry: string,
  credentials: Credentials,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const file = dockerConfigFile(env);
  const config = editableConfig(file, registry);
  if (!config) return false;
  const auths = authsOf(config);
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  writeConfig(file, { ...config, auths: { ...auths, [registry]: { auth } } });
  answers.clear();
  return true;
}

/** Removes REGISTRY's `auths` entry as `docker logout REGISTRY` does; false when docker must (editableConfig). */
export function removeLogin(registry: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = dockerConfigFile(env);
  const config = editableConfig(file, registry);
  if (!config) return false;
  const auths = authsOf(config);
  if (!Object.hasOwn(auths, registry)) return true;
  const kept = Object.fromEntries(Object.entries(auths).filter(([key]) => key !== registry));
  writeConfig(file, { ...config, auths: kept });
  answers.clear();
  return true;
}
