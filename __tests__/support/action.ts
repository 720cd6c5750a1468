import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { runProgram, type Ran } from './exec.js';

const ROOT = join(import.meta.dirname ?? process.cwd(), '..', '..');
/** Loaded with `--import` when runMain's `rssFile` is set: writes the step's peak RSS (KiB) there at exit. */
const RSS_PROBE = join(ROOT, '__tests__', 'support', 'rss-probe.mjs');

/** What a step left behind: exit, logs, and the runner files it wrote. */
export interface StepResult extends Ran {
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** Everything the step wrote anywhere, for secret scans. */
  everything: string;
}

/** Parses the runner's file-command format: `name=value` lines or `name<<DELIM` ... `DELIM` blocks. */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc?.[1] && heredoc[2]) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i] ?? '');
      values[heredoc[1]] = body.join('\n');
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}

/** Runner variables for one job: a workspace, GITHUB_* facts, and fresh runner files. */
export function runnerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'));
  for (const name of ['output', 'state', 'summary', 'env', 'path']) writeFileSync(join(dir, name), '');
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path'),
    RUNNER_TEMP: dir,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    ...extra,
  };
}

/**
 * The defaults action.yml declares that hold no expression: the runner passes every declared default to the
 * step, so a test that leaves an input out gets it as a real run would. (Expression defaults such as
 * `${{ github.token }}` are left to each test, which says which credential it means.)
 */
const PLAIN_DEFAULTS: Record<string, string> = Object.fromEntries(
  Object.entries(
    (
      parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
        inputs: Record<string, { default?: unknown }>;
      }
    ).inputs,
  )
    .filter(([, spec]) => typeof spec.default === 'string' && !spec.default.includes('${{'))
    .map(([name, spec]) => [name, String(spec.default)]),
);

function inputEnv(inputs: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries({ ...PLAIN_DEFAULTS, ...inputs }))
    env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

async function step(
  script: string,
  env: NodeJS.ProcessEnv,
  nodeArgs: readonly string[] = [],
): Promise<StepResult> {
  const ran = await runProgram(process.execPath, [...nodeArgs, join(ROOT, script)], { env });
  const read = (name: 'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_STEP_SUMMARY') =>
    readFileSync(env[name] as string, 'utf8');
  const [output, state, summary] = [read('GITHUB_OUTPUT'), read('GITHUB_STATE'), read('GITHUB_STEP_SUMMARY')];
  return {
    ...ran,
    outputs: parseFileCommands(output),
    state: parseFileCommands(state),
    summary,
    everything: [ran.stdout, ran.stderr, output, state, summary].join('\n'),
  };
}

export interface MainOptions {
  /**
   * Measure the step's memory: node runs with `--import` of rss-probe.mjs, which writes
   * `process.resourceUsage().maxRSS` (KiB) to this file when the process exits.
   */
  rssFile?: string;
}

/** Runs the bundled main step the way the runner does: `node dist/index.js` with INPUT_* variables. */
export function runMain(
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv = runnerEnv(),
  options: MainOptions = {},
): Promise<StepResult> {
  if (!options.rssFile) return step('dist/index.js', { ...env, ...inputEnv(inputs) });
  return step('dist/index.js', { ...env, ...inputEnv(inputs), RSS_PROBE_FILE: options.rssFile }, [
    '--import',
    pathToFileURL(RSS_PROBE).href,
  ]);
}

/** Runs the bundled post step with the state the main step saved (as STATE_<name>), like the runner. */
export function runPostStep(
  inputs: Record<string, string>,
  state: Record<string, string>,
  env: NodeJS.ProcessEnv = runnerEnv(),
): Promise<StepResult> {
  const stateEnv: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(state)) stateEnv[`STATE_${name}`] = value;
  return step('dist/post/index.js', { ...env, ...inputEnv(inputs), ...stateEnv });
}
