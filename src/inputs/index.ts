import * as core from '@actions/core';
import { ActionError } from '../errors.js';
import { registryProblem } from '../registry/index.js';
import { maskedParts } from './secrets.js';

/**
 * The only module that calls core.getInput*: everything else receives these typed Inputs. Values that need a
 * command's context (references, tags, platforms, destinations) are checked by the rules beside this file.
 */

export const COMMANDS = ['publish', 'pull', 'resolve', 'promote', 'merge', 'migrate', 'cleanup'] as const;
export type Command = (typeof COMMANDS)[number];

export const BUILDERS = ['auto', 'buildx', 'docker', 'buildah'] as const;
export type BuilderChoice = (typeof BUILDERS)[number];
export const NETWORKS = ['default', 'host', 'none'] as const;
export type NetworkChoice = (typeof NETWORKS)[number];
export const PUSH_MODES = ['auto', 'true', 'false', 'by-digest'] as const;
export type PushMode = (typeof PUSH_MODES)[number];
export const LATEST_MODES = ['auto', 'true', 'false'] as const;
export type LatestMode = (typeof LATEST_MODES)[number];
export const CACHE_CHOICES = ['true', 'false', 'registry'] as const;
export type CacheChoice = (typeof CACHE_CHOICES)[number];

export interface Inputs {
  command: Command;
  /** Registry host[:port], lower-cased; references without a registry are on this one. */
  registry: string;
  githubToken: string;
  username: string;
  pat: string;
  password: string;
  logout: boolean;
  image: string;
  source: string;
  tags: string[];
  /** Build context directory (default '.'). */
  context: string;
  /** Dockerfile path ('' means <context>/Dockerfile). */
  file: string;
  target: string;
  buildArgs: string[];
  labels: string[];
  platforms: string[];
  builder: BuilderChoice;
  push: PushMode;
  /** Whether the event's tags include latest (meta/tags.ts): auto, always, never. */
  latest: LatestMode;
  /** merge: with no tags given, write the event's tags (as publish does) instead of none. */
  eventTags: boolean;
  /** true: each builder's own cache store; registry: the image's registry; false: none (build/cache.ts). */
  cache: CacheChoice;
  noCache: boolean;
  pull: boolean;
  /** buildx attestations as given ('' = the default): checked by inputs/attestations.ts. */
  provenance: string;
  sbom: string;
  /** pull: 'docker' (default), 'oci-layout:DIR' or 'docker-archive:FILE'. */
  destination: string;
  /** pull: os/arch[/variant] to pick from a multi-platform image ('' = the runner's). */
  platform: string;
  /** migrate: the workflow files to check, a folder or a glob under the workspace. */
  workflows: string;
  /** migrate: rewrite what was found in place. */
  write: boolean;
  /** cleanup, as given: checked by inputs/cleanup.ts ('' = its default). */
  keepTags: string[];
  keepLast: string;
  olderThan: string;
  untagged: boolean;
  /** cleanup: print and summarise the plan, delete nothing (default true). */
  dryRun: boolean;
  // Build secrets and the RUN network (publish), as given: one item a line, checked by inputs/secrets.ts.
  secrets: string[];
  secretFiles: string[];
  secretEnvs: string[];
  ssh: string[];
  network: NetworkChoice;
}

function isCommand(value: string): value is Command {
  return (COMMANDS as readonly string[]).includes(value);
}

/** A list input: one item per line or comma, blanks dropped. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** One item per line, blanks dropped (for inputs whose values may contain commas). */
export function splitLines(value: string): string[] {
  return value
    .split('\n')
    .map((item) => item.trim())
    .filter(Boolean);
}

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

function readBoolean(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).trim().toLowerCase();
  if (raw === '') return fallback;
  if (TRUE_WORDS.includes(raw)) return true;
  if (FALSE_WORDS.includes(raw)) return false;
  throw new ActionError(
    `Input '${name}' is '${core.getInput(name)}', which is not a boolean.`,
    `set '${name}' to true or false.`,
  );
}

/** The registry host: the one host rule of the reference grammar (registryProblem), lower-cased. */
function readRegistry(): string {
  const raw = core.getInput('registry').trim() || 'ghcr.io';
  const host = raw.toLowerCase();
  if (registryProblem(host) !== undefined) {
    const bare = host.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
    throw new ActionError(
      `Input 'registry' is '${raw}', which is not a registry host name.`,
      `write only the host (and port), e.g. 'ghcr.io'${bare && bare !== host ? ` or '${bare}'` : ''}; images go in 'image'.`,
    );
  }
  return host;
}

/** The 'tags' list; a value that is not blank but holds no tag (' , ,') is a mistake, not "use the event's". */
function readTags(): string[] {
  const raw = core.getInput('tags');
  const tags = splitList(raw);
  if (tags.length === 0 && raw.trim() !== '') {
    throw new ActionError(
      `Input 'tags' is '${raw}', which holds no tag.`,
      "write one tag a line (or comma-separated), or leave 'tags' empty to tag from the event.",
    );
  }
  return tags;
}

/** `cache`: a boolean (any spelling readBoolean takes) or `registry`. */
function readCache(): CacheChoice {
  const raw = core.getInput('cache').trim().toLowerCase();
  if (raw === 'registry') return 'registry';
  if (raw !== '' && !TRUE_WORDS.includes(raw) && !FALSE_WORDS.includes(raw)) {
    throw new ActionError(
      `Input 'cache' is '${core.getInput('cache')}', which is not one of its values.`,
      `set 'cache' to true (each builder's own cache), registry (in the image's registry) or false.`,
    );
  }
  return readBoolean('cache', true) ? 'true' : 'false';
}

function readChoice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const raw = core.getInput(name).trim().toLowerCase() || fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ActionError(
      `Input '${name}' is '${core.getInput(name)}', which is not one of its values.`,
      `set '${name}' to one of: ${choices.join(', ')} (default: ${fallback}).`,
    );
  }
  return raw as T;
}

function readCommand(): Command {
  const raw = core.getInput('command').trim().toLowerCase() || 'publish';
  if (!isCommand(raw)) {
    throw new ActionError(
      `Input 'command' is '${core.getInput('command')}', which is not a command of this action.`,
      `set 'command' to one of: ${COMMANDS.join(', ')} (default: publish).`,
    );
  }
  return raw;
}

export function readInputs(): Inputs {
  // Secrets are masked before anything else can print them, a failed validation included.
  const githubToken = core.getInput('github-token').trim();
  const pat = core.getInput('pat').trim();
  const password = core.getInput('password').trim();
  for (const secret of [githubToken, pat, password]) if (secret) core.setSecret(secret);
  const build = readBuildSecrets();

  return {
    command: readCommand(),
    registry: readRegistry(),
    githubToken,
    username: core.getInput('username').trim(),
    pat,
    password,
    logout: readBoolean('logout', true),
    image: core.getInput('image').trim(),
    source: core.getInput('source').trim(),
    tags: readTags(),
    context: core.getInput('context').trim() || '.',
    file: core.getInput('file').trim(),
    target: core.getInput('target').trim(),
    // Build args and labels are one per line: a value may contain commas.
    buildArgs: splitLines(core.getInput('build-args')),
    labels: splitLines(core.getInput('labels')),
    platforms: splitList(core.getInput('platforms')),
    builder: readChoice('builder', BUILDERS, 'auto'),
    push: readChoice('push', PUSH_MODES, 'auto'),
    latest: readChoice('latest', LATEST_MODES, 'auto'),
    eventTags: readBoolean('event-tags', false),
    cache: readCache(),
    noCache: readBoolean('no-cache', false),
    pull: readBoolean('pull', false),
    provenance: core.getInput('provenance').trim(),
    sbom: core.getInput('sbom').trim(),
    destination: core.getInput('destination').trim(),
    platform: core.getInput('platform').trim(),
    workflows: core.getInput('workflows').trim() || '.github/workflows',
    write: readBoolean('write', false),
    keepTags: splitLines(core.getInput('keep-tags')),
    keepLast: core.getInput('keep-last').trim(),
    olderThan: core.getInput('older-than').trim(),
    untagged: readBoolean('untagged', true),
    dryRun: readBoolean('dry-run', true),
    ...build,
    network: readChoice('network', NETWORKS, 'default'),
  };
}

/**
 * The build secrets as given, one item a line; masked first: every whole `secrets` line and the value after its
 * first '=' (a bare secret may hold '=' too), and the value of each variable `secret-envs` names (or the
 * right-hand side itself when it is no variable name: a value pasted there by mistake). See `maskedParts`.
 */
function readBuildSecrets(): Pick<Inputs, 'secrets' | 'secretFiles' | 'secretEnvs' | 'ssh'> {
  const secrets = splitLines(core.getInput('secrets'));
  const secretEnvs = splitLines(core.getInput('secret-envs'));
  const values = secrets.flatMap((line) => [
    line,
    ...(line.includes('=') ? [line.slice(line.indexOf('=') + 1)] : []),
  ]);
  for (const line of secretEnvs) {
    const name = line.slice(line.indexOf('=') + 1).trim();
    values.push(/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? (process.env[name] ?? '') : name);
  }
  for (const part of new Set(values.flatMap(maskedParts))) core.setSecret(part);
  const secretFiles = splitLines(core.getInput('secret-files'));
  return { secrets, secretFiles, secretEnvs, ssh: splitLines(core.getInput('ssh')) };
}
