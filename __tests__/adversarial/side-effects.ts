/**
 * What a step did besides printing: the programs it ran (PATH shims for docker and buildah), the files it left
 * in the workspace and RUNNER_TEMP, and the repositories and tags it left in the stand-in's registries. Shared
 * by the adversarial tests; each helper only observes, none changes what the action sees.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { parseFileCommands, type StepResult } from '../support/action.js';
import { runProgram } from '../support/exec.js';
import type { StackEnv } from '../support/stack.js';
import type { Job } from '../support/step.js';

const ROOT = join(import.meta.dirname ?? process.cwd(), '..', '..');

// --- running the bundle as the runner does, in the workspace -------------------------------------------------

/**
 * Runs the bundled main or post step with the job's environment, like `stackJob(stack).main/post`, but in
 * `cwd` (the runner starts a step in GITHUB_WORKSPACE, so relative paths in inputs are the workspace's).
 */
export async function runStep(
  job: Job,
  step: 'main' | 'post',
  inputs: Record<string, string>,
  options: { cwd: string; registry: string; username: string; state?: Record<string, string> },
): Promise<StepResult> {
  const env: NodeJS.ProcessEnv = { ...job.env };
  const given = { registry: options.registry, ...(step === 'main' ? { username: options.username } : {}) };
  for (const [name, value] of Object.entries({ ...given, ...inputs }))
    env[`INPUT_${name.toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  const script = join(ROOT, step === 'main' ? 'dist/index.js' : 'dist/post/index.js');
  const ran = await runProgram(process.execPath, [script], { env, cwd: options.cwd });
  const read = (name: string) => readFileSync(env[name] as string, 'utf8');
  const [output, state, summary] = [read('GITHUB_OUTPUT'), read('GITHUB_STATE'), read('GITHUB_STEP_SUMMARY')];
  return {
    ...ran,
    outputs: parseFileCommands(output),
    state: parseFileCommands(state),
    summary,
    everything: [ran.stdout, ran.stderr, output, state, summary].join('\n'),
  };
}

// --- PATH shims: every docker and buildah call, written down -------------------------------------------------

/** One docker or buildah call the step made. */
export interface ToolCall {
  tool: string;
  args: string[];
  /** buildah: REGISTRY_AUTH_FILE as the call saw it ('' when unset), whether it existed, and its mode. */
  authFile: { path: string; existed: boolean; mode: string };
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/**
 * A shim that appends its name, what it saw of REGISTRY_AUTH_FILE and its argv (fields split by \x1f, the call
 * ended by \x1e) to $SHIM_LOG, then runs the real tool: the first one on PATH after the shim's own folder.
 */
const SHIM = `#!/usr/bin/env bash
self_dir=$(dirname "$(readlink -f "$0")")
name=$(basename "$0")
if [[ -n \${SHIM_LOG:-} ]]; then
  auth=\${REGISTRY_AUTH_FILE:-}
  existed=no mode=''
  if [[ -n $auth && -e $auth ]]; then existed=yes mode=$(stat -c %a "$auth"); fi
  record="$name${FIELD}$auth|$existed|$mode"
  for arg in "$@"; do record+="${FIELD}$arg"; done
  printf '%s${RECORD}' "$record" >>"$SHIM_LOG"
fi
IFS=: read -r -a parts <<<"$PATH"
real_path=''
for part in "\${parts[@]}"; do
  [[ $part == "$self_dir" ]] && continue
  real_path+="\${real_path:+:}$part"
done
PATH=$real_path exec "$name" "$@"
`;

/** Writes the docker and buildah shims into `dir` (created); put `dir` first on PATH and set SHIM_LOG. */
export function installShims(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const tool of ['docker', 'buildah']) {
    writeFileSync(join(dir, tool), SHIM);
    chmodSync(join(dir, tool), 0o755);
  }
  return dir;
}

/** The calls a shim log holds, in order ([] when nothing ran). */
export function readToolCalls(log: string): ToolCall[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split(RECORD)
    .filter(Boolean)
    .map((record) => {
      const [tool = '', auth = '', ...args] = record.split(FIELD);
      const [path = '', existed = '', mode = ''] = auth.split('|');
      return { tool, args, authFile: { path, existed: existed === 'yes', mode } };
    });
}

/** Subcommands that build, push, tag, log in or fetch: what a refused input must never lead to. */
const WORK = new Set(['build', 'bud', 'push', 'tag', 'commit', 'login', 'pull']);

/** The calls that did work (as opposed to probes such as `docker version` or `buildah --version`). */
export function workCalls(calls: ToolCall[]): ToolCall[] {
  return calls.filter((call) => {
    const [first = '', second = ''] = call.args.filter((arg) => !arg.startsWith('-'));
    return WORK.has(first) || (['buildx', 'image', 'manifest'].includes(first) && WORK.has(second));
  });
}

export const describeCall = (call: ToolCall): string =>
  `${call.tool} ${call.args
    .slice(0, 6)
    .map((a) => a.slice(0, 80))
    .join(' ')}`;

// --- files: what a folder holds, and what changed ------------------------------------------------------------

/** Relative path -> 'dir' | 'link' | 'file <size> <sha256>' for everything under `root` (symlinks not followed). */
export function snapshotTree(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      const stat = lstatSync(path);
      const name = relative(root, path);
      if (stat.isDirectory()) {
        found.set(name, 'dir');
        walk(path);
      } else if (stat.isSymbolicLink()) found.set(name, 'link');
      else {
        const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
        found.set(name, `file ${stat.size} ${hash}`);
      }
    }
  };
  if (existsSync(root)) walk(root);
  return found;
}

/** Paths added, removed or changed between two snapshots, except those `allowed` to change. */
export function treeChanges(
  before: Map<string, string>,
  after: Map<string, string>,
  allowed: (path: string) => boolean = () => false,
): string[] {
  const changes: string[] = [];
  for (const [path, what] of after) {
    if (allowed(path)) continue;
    if (!before.has(path)) changes.push(`added ${path}`);
    else if (before.get(path) !== what) changes.push(`changed ${path}`);
  }
  for (const path of before.keys()) if (!after.has(path) && !allowed(path)) changes.push(`removed ${path}`);
  return changes;
}

/** Every regular file under `root` with its bytes (symlinks not followed), for binary-safe scans. */
export function filesUnder(root: string): { path: string; bytes: Buffer }[] {
  const files: { path: string; bytes: Buffer }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) files.push({ path, bytes: readFileSync(path) });
    }
  };
  if (existsSync(root)) walk(root);
  return files;
}

// --- registries: catalogs and tag lists, read with the stand-in's own credentials ----------------------------

/** The four registries of the stand-in, by role. */
export function registries(env: StackEnv): Record<'token' | 'ghcr' | 'basic' | 'anonymous', string> {
  return {
    token: env.REGISTRY_TOKEN,
    ghcr: env.REGISTRY_GHCR,
    basic: env.REGISTRY_BASIC,
    anonymous: env.REGISTRY_ANONYMOUS,
  };
}

function basicHeader(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

/**
 * GET `path` on a stand-in registry with the credentials it takes: Basic for the htpasswd one, none for the
 * anonymous one, and for the token registry (and its ghcr-like front) a token from its token service for the
 * classic PAT that may pull everywhere.
 */
export async function registryGet(env: StackEnv, registry: string, path: string): Promise<Response> {
  const url = `http://${registry}${path}`;
  const headers: Record<string, string> = {};
  if (registry === env.REGISTRY_BASIC)
    headers.authorization = basicHeader(env.BASIC_USER, env.BASIC_PASSWORD);
  const first = await fetch(url, { headers });
  const challenge = first.headers.get('www-authenticate') ?? '';
  if (first.status !== 401 || !/^Bearer /i.test(challenge)) return first;
  await first.arrayBuffer();
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1] ?? '';
  const tokenUrl = new URL(param('realm'));
  tokenUrl.searchParams.set('service', param('service'));
  if (param('scope')) tokenUrl.searchParams.set('scope', param('scope'));
  const answer = await fetch(tokenUrl, {
    headers: { authorization: basicHeader(env.ACTOR, env.TOKEN_PAT_WRITE) },
  });
  const { token } = (await answer.json()) as { token?: string };
  return fetch(url, { headers: { authorization: `Bearer ${token ?? ''}` } });
}

/**
 * Every item of a paged list (`_catalog`, `tags/list`), following the registry's `Link: <...>; rel="next"`;
 * sorted, or undefined when the registry answers 404 (no such repository).
 */
async function paged(
  env: StackEnv,
  registry: string,
  first: string,
  key: 'repositories' | 'tags',
): Promise<string[] | undefined> {
  const items: string[] = [];
  for (let path: string | undefined = first; path !== undefined;) {
    const response = await registryGet(env, registry, path);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET ${registry}${path}: ${response.status} ${await response.text()}`);
    items.push(...(((await response.json()) as Record<string, string[] | null>)[key] ?? []));
    path = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  }
  return items.sort();
}

/** Repository names a registry's storage folder holds (every folder with a `_manifests` child). */
function storageCatalog(root: string): string[] {
  const base = join(root, 'docker', 'registry', 'v2', 'repositories');
  const names: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      if (entry.name === '_manifests') names.push(relative(base, dir));
      else if (!entry.name.startsWith('_')) walk(join(dir, entry.name));
    }
  };
  if (existsSync(base)) walk(base);
  return names.sort();
}

/**
 * The repositories of a registry: `/v2/_catalog` where the stand-in's credentials may read it (basic,
 * anonymous). The token registry's token service grants repository scopes only, so `registry:catalog:*` is
 * refused to every identity: its catalog (shared with the ghcr-like front) is read from its storage folder.
 */
export async function catalog(env: StackEnv, registry: string): Promise<string[]> {
  if (registry === env.REGISTRY_TOKEN || registry === env.REGISTRY_GHCR)
    return storageCatalog(join(env.STACK_DIR, 'registries', 'token', 'data'));
  return (await paged(env, registry, '/v2/_catalog?n=1000', 'repositories')) ?? [];
}

/** The tags of a repository, sorted; undefined when the repository does not exist. */
export async function tagList(
  env: StackEnv,
  registry: string,
  repository: string,
): Promise<string[] | undefined> {
  return paged(env, registry, `/v2/${repository}/tags/list?n=1000`, 'tags');
}

export interface RegistrySnapshot {
  /** registry -> its repositories. */
  catalogs: Map<string, string[]>;
  /** 'registry/repository' -> its tags, or undefined when absent. */
  tags: Map<string, string[] | undefined>;
}

/** Catalogs of all four registries, and the tag lists of `repositories` ('registry/repository'). */
export async function registrySnapshot(env: StackEnv, repositories: string[]): Promise<RegistrySnapshot> {
  const catalogs = new Map<string, string[]>();
  for (const registry of Object.values(registries(env))) catalogs.set(registry, await catalog(env, registry));
  const tags = new Map<string, string[] | undefined>();
  for (const name of repositories) {
    const slash = name.indexOf('/');
    tags.set(name, await tagList(env, name.slice(0, slash), name.slice(slash + 1)));
  }
  return { catalogs, tags };
}

/** What differs between two snapshots: repositories added or removed per registry, tag lists changed. */
export function registryChanges(before: RegistrySnapshot, after: RegistrySnapshot): string[] {
  const changes: string[] = [];
  for (const [registry, names] of after.catalogs) {
    const old = new Set(before.catalogs.get(registry) ?? []);
    for (const name of names) if (!old.has(name)) changes.push(`${registry}: repository ${name} appeared`);
    for (const name of old)
      if (!names.includes(name)) changes.push(`${registry}: repository ${name} vanished`);
  }
  for (const [name, tags] of after.tags) {
    const old = before.tags.get(name);
    if (JSON.stringify(old) !== JSON.stringify(tags))
      changes.push(`${name}: tags ${JSON.stringify(old)} became ${JSON.stringify(tags)}`);
  }
  return changes;
}
