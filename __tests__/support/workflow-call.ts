/**
 * Runs a reusable workflow's jobs the way GitHub would for a caller, within what can run here: the caller's
 * `with:` and `secrets:` become the called workflow's `inputs` and `secrets` (its defaults for what the caller
 * leaves out), each step that uses this action gets its `with:` evaluated plus action.yml's defaults and runs as
 * the bundle, its $GITHUB_OUTPUT becomes `steps.<id>.outputs`, and those map through `jobs.<id>.outputs` to the
 * workflow's outputs. Other steps (checkout, attestation) are not run: their evaluated `with:` is recorded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { StepResult } from './action.js';
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

export interface JobRun {
  /** Whether the job's `if:` let it run. */
  ran: boolean;
  /** The job's outputs (`jobs.<id>.outputs`), each evaluated from the steps' outputs. */
  outputs: Record<string, string>;
  /** What each step that ran as the bundle left (by step id). */
  results: Record<string, StepResult>;
  /** Steps that were not run here (not this action), with their `with:` evaluated: `uses` -> inputs. */
  notRun: { uses: string; with: Record<string, string> }[];
}

/** Runs a job's steps in order; `run` runs the bundle with a step's inputs (e.g. stackJob(...).main). */
export async function runJob(
  workflow: Yaml,
  jobId: string,
  contexts: Contexts,
  run: (inputs: Record<string, string>) => Promise<StepResult>,
): Promise<JobRun> {
  const job = record(record(workflow.jobs, 'jobs')[jobId], jobId);
  const outcome: JobRun = { ran: false, outputs: {}, results: {}, notRun: [] };
  if (!condition(job.if, contexts)) return outcome;
  outcome.ran = true;
  const steps: Record<string, Value> = {};
  const withSteps = (): Contexts => ({ ...contexts, steps });
  for (const step of (job.steps ?? []) as Yaml[]) {
    if (!condition(step.if, withSteps())) continue;
    if (!usesThisAction(step.uses)) {
      const evaluated: Record<string, string> = {};
      for (const [name, value] of Object.entries(record(step.with, 'with')))
        evaluated[name] = show(expand(value, withSteps()));
      outcome.notRun.push({ uses: String(step.uses ?? 'run'), with: evaluated });
      continue;
    }
    const result = await run(stepInputs(step, withSteps()));
    if (typeof step.id === 'string') {
      outcome.results[step.id] = result;
      steps[step.id] = { outputs: result.outputs, conclusion: result.code === 0 ? 'success' : 'failure' };
    }
    if (result.code !== 0) return outcome;
  }
  for (const [name, value] of Object.entries(record(job.outputs, 'outputs')))
    outcome.outputs[name] = show(expand(value, withSteps()));
  return outcome;
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
