/**
 * Runs a reusable workflow's jobs the way GitHub would for a caller, within what can run here: the caller's
 * `with:` and `secrets:` become the called workflow's `inputs` and `secrets` (its defaults for what the caller
 * leaves out), each step that uses this action gets its `with:` evaluated plus action.yml's defaults and runs as
 * the bundle, its $GITHUB_OUTPUT becomes `steps.<id>.outputs`, and those map through `jobs.<id>.outputs` to the
 * workflow's outputs. `run:` scripts run in bash with their `env:` (a script holding `${{ }}` is refused); a
 * matrix job runs once per leg (`include:` from fromJSON of an output, say); with a folder for artifacts,
 * upload-artifact@v4 and download-artifact@v4 are simulated in it. Other steps (checkout, attestation) are not
 * run: their evaluated `with:` is recorded.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { parseFileCommands, type StepResult } from './action.js';
import { runProgram, type Ran } from './exec.js';
import { condition, expand, show, type Contexts, type Value } from './expressions.js';

export const ROOT = join(import.meta.dirname ?? process.cwd(), '..', '..');
type Yaml = Record<string, unknown>;

function record(value: unknown, what: string): Yaml {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Yaml;
  if (value === undefined || value === null) return {};
  throw new Error(`${what} is not a mapping: ${JSON.stringify(value)}`);
}

export function loadYaml(path: string): Yaml {
  return record(parse(readFileSync(path, 'utf8')), path);
}

/** Whether a step's `uses:` is this action: `./` here, `<owner>/ghcr-image-action@vN` from a called workflow. */
export const usesThisAction = (uses: unknown): boolean =>
  uses === './' || (typeof uses === 'string' && /^[^/]+\/ghcr-image-action@v\d+$/.test(uses));

/** The job of a caller workflow that `uses:` the given reusable workflow file. */
export function callerJob(caller: Yaml, workflowFile: string): { id: string; job: Yaml } {
  for (const [id, job] of Object.entries(record(caller.jobs, 'jobs'))) {
    if (record(job, id).uses === `./.github/workflows/${workflowFile}`) return { id, job: record(job, id) };
  }
  throw new Error(`no job of the caller uses ./.github/workflows/${workflowFile}`);
}

function declared(workflow: Yaml, key: 'inputs' | 'secrets' | 'outputs'): Yaml {
  return record(record(record(workflow.on, 'on').workflow_call, 'on.workflow_call')[key], key);
}

function inputValue(name: string, spec: Yaml, given: Value | undefined): Value {
  const type = spec.type ?? 'string';
  if (given === undefined) {
    if (spec.required === true) throw new Error(`input '${name}' is required and the caller does not set it`);
    if (spec.default !== undefined) return spec.default as Value;
    return type === 'boolean' ? false : type === 'number' ? 0 : '';
  }
  if (type === 'boolean' && typeof given !== 'boolean')
    throw new Error(`input '${name}' is a boolean; the caller gives ${JSON.stringify(given)}`);
  if (type === 'number' && typeof given !== 'number')
    throw new Error(`input '${name}' is a number; the caller gives ${JSON.stringify(given)}`);
  return type === 'string' ? show(given) : given;
}

/**
 * The called workflow's `inputs` and `secrets`: the caller job's `with:` and `secrets:` evaluated in the
 * caller's contexts, then the workflow's defaults. Refuses what GitHub refuses: an input or secret the workflow
 * does not declare, a required one left out, a value of the wrong type.
 */
export function callContexts(
  workflow: Yaml,
  job: Yaml,
  callerContexts: Contexts,
): { inputs: Record<string, Value>; secrets: Record<string, Value> } {
  const specs = declared(workflow, 'inputs');
  const given = record(job.with, 'with');
  for (const name of Object.keys(given))
    if (!(name in specs))
      throw new Error(`the caller sets input '${name}', which the workflow does not declare`);
  const inputs: Record<string, Value> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = name in given ? expand(given[name], callerContexts) : undefined;
    inputs[name] = inputValue(name, record(spec, name), value);
  }
  const secretSpecs = declared(workflow, 'secrets');
  const passed =
    job.secrets === 'inherit' ? record(callerContexts.secrets, 'secrets') : record(job.secrets, 'secrets');
  const secrets: Record<string, Value> = {};
  for (const [name, value] of Object.entries(passed)) {
    if (!(name in secretSpecs)) {
      if (job.secrets === 'inherit') continue;
      throw new Error(`the caller passes secret '${name}', which the workflow does not declare`);
    }
    secrets[name] = job.secrets === 'inherit' ? (value as Value) : show(expand(value, callerContexts));
  }
  for (const [name, spec] of Object.entries(secretSpecs))
    if (record(spec, name).required === true && !(name in secrets))
      throw new Error(`secret '${name}' is required and the caller does not pass it`);
  return { inputs, secrets };
}

/** A step's inputs as the runner gives them: `with:` evaluated, then action.yml's defaults for the rest. */
export function stepInputs(step: Yaml, contexts: Contexts): Record<string, string> {
  const action = record(loadYaml(join(ROOT, 'action.yml')).inputs, 'action.yml inputs');
  const given = record(step.with, 'with');
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (!(name in action))
      throw new Error(`step ${String(step.id)} sets '${name}', which action.yml does not declare`);
    inputs[name] = show(expand(value, contexts));
  }
  for (const [name, spec] of Object.entries(action)) {
    const fallback = record(spec, name).default;
    if (!(name in inputs) && fallback !== undefined) inputs[name] = show(expand(fallback, contexts));
  }
  return inputs;
}

/** What a job left: `needs.<id>.result`, its outputs, and what each of its steps did. */
export interface JobRun {
  /** Whether the job's `if:` (and its needs) let it run. */
  ran: boolean;
  /** As `needs.<id>.result` reads it. */
  result: 'success' | 'failure' | 'skipped';
  /** The job's `runs-on:`, evaluated ('' when it did not run; a matrix job's: its legs', one a line). */
  runsOn: string;
  /** The job's outputs (`jobs.<id>.outputs`), each evaluated from the steps' outputs. */
  outputs: Record<string, string>;
  /** What each step with an id left (by step id): the bundle's run, a `run:` script's, a simulated artifact's. */
  results: Record<string, StepResult>;
  /** Steps that were not run here (another action), with their `with:` evaluated: `uses` -> inputs. */
  notRun: { uses: string; with: Record<string, string> }[];
  /** A matrix job's legs in the matrix's order, each with its `matrix` values ([] for other jobs). */
  legs: (JobRun & { matrix: Record<string, Value> })[];
}

export interface RunOptions {
  /**
   * A folder for the run's artifacts: with it, actions/upload-artifact@v4 and actions/download-artifact@v4 steps
   * are simulated there (one folder per artifact); without it they are not run.
   */
  artifacts?: string;
}

/** Runs this action's step: its inputs, and which job (and matrix leg) it belongs to. */
export type ActionRunner = (
  inputs: Record<string, string>,
  where: { job: string; matrix?: Record<string, Value> },
) => Promise<StepResult>;

const skipped = (): JobRun => ({
  ran: false,
  result: 'skipped',
  runsOn: '',
  outputs: {},
  results: {},
  notRun: [],
  legs: [],
});

/** What a step that is not the bundle left: its exit, logs and outputs. */
export const stepResult = (ran: Ran, outputs: Record<string, string> = {}): StepResult => ({
  ...ran,
  outputs,
  state: {},
  summary: '',
  everything: ran.stdout + ran.stderr,
});

/** A `run:` script as GitHub's bash runs it (bash -e -o pipefail), its `env:` evaluated, in the job's workspace. */
async function runScript(step: Yaml, contexts: Contexts, runner: Runner): Promise<StepResult> {
  const script = String(step.run);
  if (script.includes('${{'))
    throw new Error(
      `step ${String(step.id ?? step.name)}: pass values to a script through env:, not \${{ }}`,
    );
  if (step.shell !== undefined && step.shell !== 'bash')
    throw new Error(`step ${String(step.id)}: only bash scripts are run here, not ${String(step.shell)}`);
  const dir = mkdtempSync(join(runner.temp, 'step-'));
  const output = join(dir, 'output');
  writeFileSync(output, '');
  writeFileSync(join(dir, 'script.sh'), script);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: runner.workspace,
    GITHUB_OUTPUT: output,
    RUNNER_TEMP: runner.temp,
  };
  for (const [name, value] of Object.entries(record(step.env, 'env')))
    env[name] = show(expand(value, contexts));
  const ran = await runProgram('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(dir, 'script.sh')], {
    env,
    cwd: runner.workspace,
  });
  return stepResult(ran, parseFileCommands(readFileSync(output, 'utf8')));
}

const failed = (stderr: string): StepResult => stepResult({ code: 1, stdout: '', stderr });

/** A glob of artifact names (`*`, `?`) as a regular expression. */
const namePattern = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** actions/upload-artifact@v4 and download-artifact@v4 with a folder for the run's artifacts. */
function artifactStep(
  uses: string,
  given: Record<string, string>,
  store: string,
  runner: Runner,
): StepResult {
  if (uses === 'actions/upload-artifact@v4') {
    const { name = '', path = '' } = given;
    if (!name || /["':<>|*?\r\n\\/]/.test(name))
      return failed(`upload-artifact: the name '${name}' is not valid`);
    if (path.includes('\n') || !isAbsolute(path))
      throw new Error(`upload-artifact: one absolute path here, not '${path}'`);
    const into = join(store, name);
    if (existsSync(into) && given.overwrite !== 'true')
      return failed(`upload-artifact: an artifact named '${name}' already exists in this run`);
    rmSync(into, { recursive: true, force: true });
    if (!existsSync(path)) {
      const message = `upload-artifact: no files were found at ${path}`;
      return given['if-no-files-found'] === 'error'
        ? failed(message)
        : stepResult({ code: 0, stdout: message, stderr: '' });
    }
    mkdirSync(into, { recursive: true });
    cpSync(path, statSync(path).isDirectory() ? into : join(into, basename(path)), { recursive: true });
    return stepResult({ code: 0, stdout: `uploaded ${name}`, stderr: '' });
  }
  const matches = given.pattern ? namePattern(given.pattern) : given.name ? namePattern(given.name) : /^/;
  const names = readdirSync(store)
    .filter((name) => matches.test(name))
    .sort();
  if (given.name && names.length === 0) return failed(`download-artifact: no artifact named '${given.name}'`);
  const path = given.path || runner.workspace;
  for (const name of names)
    cpSync(join(store, name), given['merge-multiple'] === 'true' ? path : join(path, name), {
      recursive: true,
    });
  return stepResult({ code: 0, stdout: `downloaded ${names.join(', ')}`, stderr: '' });
}

interface Runner {
  temp: string;
  workspace: string;
}

/** One run of a job's steps on a fresh runner (one leg of a matrix job). */
async function runSteps(
  job: Yaml,
  jobId: string,
  contexts: Contexts,
  run: ActionRunner,
  options: RunOptions,
): Promise<JobRun> {
  const runner = {
    temp: mkdtempSync(join(tmpdir(), 'runner-temp-')),
    workspace: mkdtempSync(join(tmpdir(), 'workspace-')),
  };
  const withRunner = { ...contexts, runner: { temp: runner.temp, workspace: runner.workspace, os: 'Linux' } };
  const outcome: JobRun = {
    ...skipped(),
    ran: true,
    result: 'success',
    runsOn: show(expand(job['runs-on'], withRunner)),
  };
  const steps: Record<string, Value> = {};
  const withSteps = (): Contexts => ({ ...withRunner, steps });
  const where = {
    job: jobId,
    ...(contexts.matrix ? { matrix: contexts.matrix as Record<string, Value> } : {}),
  };
  for (const step of (job.steps ?? []) as Yaml[]) {
    if (!condition(step.if, withSteps())) continue;
    const uses = typeof step.uses === 'string' ? step.uses : '';
    let result: StepResult;
    if (step.run !== undefined) result = await runScript(step, withSteps(), runner);
    else if (usesThisAction(uses)) result = await run(stepInputs(step, withSteps()), where);
    else {
      const evaluated: Record<string, string> = {};
      for (const [name, value] of Object.entries(record(step.with, 'with')))
        evaluated[name] = show(expand(value, withSteps()));
      if (!options.artifacts || !/^actions\/(upload|download)-artifact@v4$/.test(uses)) {
        outcome.notRun.push({ uses: uses || 'run', with: evaluated });
        continue;
      }
      result = artifactStep(uses, evaluated, options.artifacts, runner);
    }
    if (typeof step.id === 'string') {
      outcome.results[step.id] = result;
      steps[step.id] = { outputs: result.outputs, conclusion: result.code === 0 ? 'success' : 'failure' };
    }
    if (result.code !== 0) {
      outcome.result = 'failure';
      if (typeof step.id !== 'string') outcome.results[`#${Object.keys(outcome.results).length}`] = result;
      return outcome;
    }
  }
  for (const [name, value] of Object.entries(record(job.outputs, 'outputs')))
    outcome.outputs[name] = show(expand(value, withSteps()));
  return outcome;
}

/**
 * A job's `strategy.matrix` as its legs: `include:` alone (a list or an expression giving one, e.g. fromJSON of
 * an output), or keys with lists (every combination). Other shapes are refused, not guessed at.
 */
export function matrixLegs(spec: unknown, contexts: Contexts): Record<string, Value>[] {
  const value = (item: unknown): Value =>
    typeof item === 'string' ? expand(item, contexts) : (item as Value);
  const matrix = record(value(spec), 'strategy.matrix');
  const list = (item: unknown, what: string): Value[] => {
    const got = value(item);
    if (!Array.isArray(got)) throw new Error(`${what} is not a list: ${JSON.stringify(got)}`);
    return got;
  };
  const { include, exclude, ...keys } = matrix;
  if (exclude !== undefined) throw new Error('matrix exclude: is not simulated here');
  if (include !== undefined && Object.keys(keys).length)
    throw new Error('a matrix with include: and other keys is not simulated here');
  const legs =
    include !== undefined
      ? list(include, 'matrix include').map(
          (leg) => record(leg, 'a matrix include entry') as Record<string, Value>,
        )
      : Object.entries(keys).reduce<Record<string, Value>[]>(
          (combos, [key, values]) =>
            combos.flatMap((combo) =>
              list(values, `matrix ${key}`).map((item) => ({ ...combo, [key]: item })),
            ),
          [{}],
        );
  if (legs.length === 0 || (include === undefined && Object.keys(keys).length === 0))
    throw new Error('the matrix has no legs (GitHub fails such a job)');
  return legs;
}

/**
 * Runs a job as GitHub would after its needs: skipped when its `if:` says so (one without a status function also
 * needs every need to have succeeded), each matrix leg on a fresh runner in turn (fail-fast stops at a failed leg),
 * with the legs' outputs combined as GitHub does (a later leg's non-empty value wins).
 */
export async function runJob(
  workflow: Yaml,
  jobId: string,
  contexts: Contexts,
  run: ActionRunner,
  options: RunOptions = {},
): Promise<JobRun> {
  const job = record(record(workflow.jobs, 'jobs')[jobId], jobId);
  const results = Object.values(record(contexts.needs, 'needs')).map(
    (need) => record(need, 'need').result ?? 'success',
  );
  const status = { success: results.every((r) => r === 'success'), failure: results.includes('failure') };
  if (!condition(job.if, contexts, status)) return skipped();
  const strategy = record(job.strategy, 'strategy');
  if (strategy.matrix === undefined) return runSteps(job, jobId, contexts, run, options);
  const outcome: JobRun = { ...skipped(), ran: true, result: 'success' };
  const legs = matrixLegs(strategy.matrix, contexts);
  for (const [index, matrix] of legs.entries()) {
    const strategyContext = {
      'fail-fast': strategy['fail-fast'] !== false,
      'job-index': index,
      'job-total': legs.length,
    };
    const leg = await runSteps(job, jobId, { ...contexts, matrix, strategy: strategyContext }, run, options);
    outcome.legs.push({ ...leg, matrix });
    for (const [name, value] of Object.entries(leg.outputs)) if (value !== '') outcome.outputs[name] = value;
    if (leg.result === 'failure') {
      outcome.result = 'failure';
      if (strategy['fail-fast'] !== false) break;
    }
  }
  outcome.runsOn = outcome.legs.map((leg) => leg.runsOn).join('\n');
  return outcome;
}

/** Runs a called workflow's jobs in the file's order (each after its needs), `needs` holding results and outputs. */
export async function runWorkflow(
  workflow: Yaml,
  contexts: Contexts,
  run: ActionRunner,
  options: RunOptions = {},
): Promise<Record<string, JobRun>> {
  const jobs: Record<string, JobRun> = {};
  for (const [id, spec] of Object.entries(record(workflow.jobs, 'jobs'))) {
    const needs: Record<string, Value> = {};
    for (const need of [record(spec, id).needs ?? []].flat() as string[]) {
      const done = jobs[need];
      if (!done) throw new Error(`job '${id}' needs '${need}', which does not come before it in the file`);
      needs[need] = { result: done.result, outputs: done.outputs };
    }
    jobs[id] = await runJob(workflow, id, { ...contexts, needs }, run, options);
  }
  return jobs;
}

/** The workflow's outputs (`on.workflow_call.outputs.<name>.value`) from its jobs' outputs. */
export function workflowOutputs(workflow: Yaml, jobs: Record<string, JobRun>): Record<string, string> {
  const contexts: Contexts = { jobs: {} };
  for (const [id, job] of Object.entries(jobs))
    (contexts.jobs as Record<string, Value>)[id] = { outputs: job.outputs };
  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared(workflow, 'outputs')))
    outputs[name] = show(expand(record(spec, name).value, contexts));
  return outputs;
}
