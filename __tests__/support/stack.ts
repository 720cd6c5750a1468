import { describe } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The keys of stack/start.sh's env file: every one is present, or loading the stack fails. */
const STACK_KEYS = [
  'STACK_DIR',
  'DOCKER_HOST',
  'BUILDAH_ROOT',
  'BUILDAH_RUNROOT',
  'CONTAINERS_STORAGE_CONF',
  'CONTAINERS_REGISTRIES_CONF',
  'BUILDAH_ISOLATION',
  'REGISTRY_TOKEN',
  'REGISTRY_GHCR',
  'REGISTRY_BASIC',
  'REGISTRY_ANONYMOUS',
  'TOKEN_REALM',
  'TOKEN_SERVICE',
  'TOKEN_LOG',
  'REGISTRY_TOKEN_LOG',
  'REGISTRY_BASIC_LOG',
  'REGISTRY_ANONYMOUS_LOG',
  'GITHUB_API_URL',
  'BASIC_USER',
  'BASIC_PASSWORD',
  'OWNER',
  'REPOSITORY',
  'ACTOR',
  'TOKEN_GHS_WRITE',
  'TOKEN_GHS_READ',
  'TOKEN_PAT_WRITE',
  'TOKEN_PAT_REPO',
  'TOKEN_PAT_READ',
  'TOKEN_PAT_DELETE',
  'TOKEN_FINE_GRAINED',
  'TOKEN_WRONG',
  'BASE_IMAGE',
] as const;
export type StackEnv = Record<(typeof STACK_KEYS)[number], string>;

/** The local ghcr.io stand-in started by stack/start.sh, as described by its env file. */
export interface Stack {
  dir: string;
  env: StackEnv;
  /** Environment for child processes: the stack's DOCKER_HOST and friends on top of this process's. */
  processEnv: NodeJS.ProcessEnv;
}

export const DEFAULT_STACK_DIR = '/tmp/ghcr-image-action-stack';

export function stackDir(): string {
  return process.env.STACK_DIR || DEFAULT_STACK_DIR;
}

export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match?.[1]) env[match[1]] = match[2] ?? '';
  }
  return env;
}

/**
 * The running stack, or why it is not there. Outside CI a missing stack skips the integration tests with the
 * reason printed; with CI=true it fails them (global-setup has already failed the run in that case).
 */
export function loadStack(): Stack | { skip: string } {
  const file = join(stackDir(), 'stack.env');
  if (!existsSync(file)) {
    const reason = process.env.STACK_SKIP_REASON || `the local stand-in is not running (no ${file})`;
    if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
    return { skip: reason };
  }
  const parsed = parseEnvFile(readFileSync(file, 'utf8'));
  const missing = STACK_KEYS.filter((key) => parsed[key] === undefined);
  if (missing.length)
    throw new Error(`${file} lacks ${missing.join(', ')}: restart the stack (stack/stop.sh, stack/start.sh)`);
  const env = parsed as StackEnv;
  return {
    dir: stackDir(),
    env,
    processEnv: { ...process.env, DOCKER_HOST: env.DOCKER_HOST, DOCKER_BUILDKIT: '0' },
  };
}

/** `describe` when the stack runs, `describe.skip` (with the reason printed once) when it does not. */
export function isStack(value: Stack | { skip: string }): value is Stack {
  if ('skip' in value) {
    console.warn(`Skipping integration tests: ${value.skip}`);
    return false;
  }
  return true;
}

/**
 * The one integration setup: `describe(name)` with the running stand-in handed to the body, or `describe.skip`
 * with the reason printed when it is not running (with CI=true, loadStack has thrown instead).
 */
export function describeWithStack(name: string, body: (stack: Stack) => void): void {
  const stack = loadStack();
  if (isStack(stack)) describe(name, () => body(stack));
  else describe.skip(name, () => undefined);
}
