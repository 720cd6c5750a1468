/**
 * Helpers of the hostile-registry suite (hostile.test.ts): a job of its own per scenario (runner files, a docker
 * config and a dead DOCKER_HOST in one temporary folder), the bundle run as the runner runs it (optionally with
 * its peak RSS measured), and each run's verdict: secrets seen where they must not be (servers other than the
 * one that may see them, the step's logs and runner files outside `::add-mask::` lines), files written outside
 * the destination, and workflow commands injected into stdout.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runMain, runnerEnv, type StepResult } from '../support/action.js';
import type { Recorded } from '../support/hostile-registry.js';
import type { StackEnv } from '../support/stack.js';
import { annotations, FIXTURES } from '../support/step.js';
import { recordOutcome } from './outcomes.js';
import { findLeaks, withoutMaskCommands, type Place, type Secret } from './secrets-scan.js';
import { snapshotTree, treeChanges } from './side-effects.js';

export const MIB = 1024 * 1024;

/** Workflow commands a hostile registry tries to slip into the log: no stdout line may start with one. */
export const INJECTED =
  /^::(?:stop-commands::|add-mask::sha256|warning file=README\.md|(?:warning|notice|error)[^:]*::injected)/;

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** A job of the scenario's own: everything it may write is under `root`. */
export interface HostileJob {
  env: NodeJS.ProcessEnv;
  root: string;
  /** An OCI layout destination (not created), three folders down so `../../..` stays under `root`. */
  layout: string;
  /** Where the RSS probe writes the step's peak RSS. */
  rssFile: string;
}

/** Paths under `root` the step may change: runner files, the docker config, the layout, the RSS probe's file. */
const ALLOWED = /^(?:output|state|summary|env|path|rss|docker-config(?:\/.*)?|ws\/deep\/layout(?:\/.*)?)$/;

/**
 * Runner variables like stackJob's (GITHUB_REPOSITORY etc.), a docker config folder of its own, and DOCKER_HOST
 * on a socket that does not exist, so no real login or daemon is touched. RUNNER_DEBUG=1: debug lines are
 * searched for secrets and injections too.
 */
export function hostileJob(e: StackEnv, extra: NodeJS.ProcessEnv = {}): HostileJob {
  const env = runnerEnv({
    GITHUB_REPOSITORY: e.REPOSITORY,
    GITHUB_REPOSITORY_OWNER: e.OWNER,
    GITHUB_ACTOR: e.ACTOR,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: join(FIXTURES, 'events', 'push_main.json'),
    GITHUB_SHA: '4f6d3a1c2b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f',
    GITHUB_REF: 'refs/heads/main',
    RUNNER_DEBUG: '1',
    ...extra,
  });
  const root = env.RUNNER_TEMP as string;
  env.DOCKER_CONFIG = join(root, 'docker-config');
  mkdirSync(env.DOCKER_CONFIG);
  env.DOCKER_HOST = `unix://${join(root, 'no-docker', 'docker.sock')}`;
  mkdirSync(join(root, 'ws', 'deep'), { recursive: true });
  return { env, root, layout: join(root, 'ws', 'deep', 'layout'), rssFile: join(root, 'rss') };
}

/** One run of the bundle: what it left, how long it took, its peak RSS (when measured) and its errors. */
export interface HostileRun {
  result: StepResult;
  ms: number;
  /** Peak RSS in MiB, when measured. */
  rssMiB?: number;
  /** The error annotations, joined. */
  error: string;
  /** Snapshot of the job's folder before the run. */
  before: Map<string, string>;
  job: HostileJob;
}

export async function runHostile(
  job: HostileJob,
  inputs: Record<string, string>,
  options: { rss?: boolean } = {},
): Promise<HostileRun> {
  const before = snapshotTree(job.root);
  const started = Date.now();
  const result = await runMain(inputs, job.env, options.rss ? { rssFile: job.rssFile } : {});
  const ms = Date.now() - started;
  const rssMiB =
    options.rss && existsSync(job.rssFile)
      ? Math.round((Number(readFileSync(job.rssFile, 'utf8')) / 1024) * 10) / 10
      : undefined;
  return { result, ms, rssMiB, error: annotations(result, 'error').join('\n'), before, job };
}

/** A server's recorded requests as places a secret could have gone. */
export function serverPlaces(where: string, requests: Recorded[]): Place[] {
  return requests.map((r) => ({
    where: `${where}: ${r.method} ${r.path}`,
    bytes: Buffer.concat([Buffer.from(`${r.method} ${r.path}\n${JSON.stringify(r.headers)}\n`), r.body]),
  }));
}

export interface Verdict {
  /** '<secret> (<form>) in <where>' for each secret form found where it must not be. */
  leaks: string[];
  /** Paths written outside the destination, and injected workflow-command lines. */
  escapes: string[];
}

/** Every name anywhere under `root` (for `ESCAPED` and the like), symlinks not followed. */
export function namesUnder(root: string): string[] {
  const names: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      names.push(relative(root, path));
      if (lstatSync(path).isDirectory()) walk(path);
    }
  };
  if (existsSync(root)) walk(root);
  return names;
}

/**
 * The verdict of a run: secrets in the servers' requests (those that must not see them) and in everything the
 * step wrote for the runner (outside `::add-mask::` lines); files changed outside the allowed paths; injected
 * workflow-command lines.
 */
export function judgeRun(
  run: HostileRun,
  options: { secrets: Secret[]; users: string[]; servers: { where: string; requests: Recorded[] }[] },
): Verdict {
  const { result, job } = run;
  const file = (name: string): Place => ({
    where: `$${name}`,
    bytes: Buffer.from(withoutMaskCommands(readFileSync(job.env[name] as string, 'utf8'))),
  });
  const places: Place[] = [
    { where: 'stdout', bytes: Buffer.from(withoutMaskCommands(result.stdout)) },
    { where: 'stderr', bytes: Buffer.from(withoutMaskCommands(result.stderr)) },
    ...['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV'].map(file),
    ...options.servers.flatMap((s) => serverPlaces(s.where, s.requests)),
  ];
  const leaks = findLeaks(places, options.secrets, options.users);
  const files = treeChanges(run.before, snapshotTree(job.root), (path) => ALLOWED.test(path)).map(
    (change) => `file: ${change}`,
  );
  const injected = result.stdout
    .split('\n')
    .filter((line) => INJECTED.test(line))
    .map((line) => `stdout: ${line.slice(0, 120)}`);
  return { leaks, escapes: [...files, ...injected] };
}

/** Records the scenario's outcome (its runs summed) and returns it for the assertions. */
export function recordScenario(name: string, verdicts: Verdict[]): Verdict {
  const all: Verdict = {
    leaks: verdicts.flatMap((v) => v.leaks),
    escapes: verdicts.flatMap((v) => v.escapes),
  };
  recordOutcome({ suite: 'hostile', name, leaks: all.leaks.length, escapes: all.escapes.length });
  return all;
}

/** Basic credentials as a header value. */
export const basicHeader = (user: string, secret: string): string =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
