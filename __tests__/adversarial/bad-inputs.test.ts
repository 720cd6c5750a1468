import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference, repositoryOf } from '../../src/registry/index.js';
import { BAD_INPUTS, type BadInputCase } from '../fixtures/adversarial/bad-inputs.js';
import type { StepResult } from '../support/action.js';
import { makeImage, pushImage, stackClient } from '../support/registry.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, stackJob } from '../support/step.js';
import { recordOutcome } from './outcomes.js';
import {
  describeCall,
  installShims,
  readToolCalls,
  registryChanges,
  registrySnapshot,
  runStep,
  snapshotTree,
  treeChanges,
  workCalls,
  type RegistrySnapshot,
} from './side-effects.js';

// Bad inputs for every command (the cases are data: __tests__/fixtures/adversarial/bad-inputs.ts), each run
// through the bundle as the runner runs it, in a workspace of its own, with docker and buildah behind PATH shims
// that write down every call. A bad input must fail the step with exit 1 and a first error that says what is
// wrong, names the input and gives the fix, set no output, and leave no trace: no build, push, tag, login or
// pull; no file in the workspace or RUNNER_TEMP beyond the runner's own; no file a shell would have made; no
// repository or tag in any of the stand-in's registries.

const CONCURRENCY = 4;
const isRoot = process.getuid?.() === 0;

interface Ran {
  result: StepResult;
  work: string[];
  files: string[];
  markers: string[];
  registry: string[];
}

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

describeWithStack('adversarial: bad inputs fail clearly, before any side effect', (stack) => {
  const e = stack.env;
  const run = `adv-bad-${process.pid}-${Date.now().toString(36)}`;
  const top = mkdtempSync(join(tmpdir(), `${run}-`));
  const shims = installShims(join(top, 'shims'));
  const markers = join(top, 'markers');
  const seed = `${e.REGISTRY_TOKEN}/${e.OWNER}/${run}-seed:v1`;
  const repository = (index: number) => `${e.OWNER}/${run}-${index}`;
  const ran = new Map<number, Ran>();
  const unattributed: string[] = [];
  const temps: string[] = [top];

  /** The case's text with its placeholders filled in. */
  const fill = (text: string, index: number) =>
    text
      .replaceAll('{{IMAGE}}', `${e.REGISTRY_TOKEN}/${repository(index)}`)
      .replaceAll('{{SEED}}', seed)
      .replaceAll('{{REGISTRY}}', e.REGISTRY_TOKEN)
      .replaceAll('{{RUN}}', `${run}-${index}`)
      .replaceAll('{{MARKER}}', join(markers, String(index)))
      .replaceAll('{{DIGEST}}', 'c'.repeat(64));
  const fillAll = (values: Record<string, string>, index: number) =>
    Object.fromEntries(Object.entries(values).map(([name, value]) => [name, fill(value, index)]));

  /** A workspace directly under /tmp (so ../../etc is /etc) with the files the cases name. */
  function workspace(): string {
    const dir = mkdtempSync('/tmp/adv-bad-ws-');
    temps.push(dir);
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${e.BASE_IMAGE}\nRUN true\n`);
    mkdirSync(join(dir, 'empty-context'));
    mkdirSync(join(dir, 'a-directory'));
    writeFileSync(join(dir, 'not-a-folder.txt'), 'a file, not a folder\n');
    mkdirSync(join(dir, 'unreadable'));
    writeFileSync(join(dir, 'unreadable', 'Dockerfile'), `FROM ${e.BASE_IMAGE}\n`);
    chmodSync(join(dir, 'unreadable', 'Dockerfile'), 0o000);
    return dir;
  }

  async function runCase(c: BadInputCase, index: number): Promise<void> {
    const ws = workspace();
    const log = join(top, `calls-${index}.log`);
    const job = stackJob(stack, {
      env: {
        GITHUB_WORKSPACE: ws,
        GITHUB_REPOSITORY: repository(index),
        PATH: `${shims}:${process.env.PATH ?? ''}`,
        SHIM_LOG: log,
        ...fillAll(c.env ?? {}, index),
      },
    });
    const runnerTemp = job.env.RUNNER_TEMP as string;
    temps.push(runnerTemp);
    const [wsBefore, tempBefore] = [snapshotTree(ws), snapshotTree(runnerTemp)];
    const result = await runStep(
      job,
      'main',
      { 'github-token': e.TOKEN_GHS_WRITE, ...fillAll(c.inputs, index) },
      { cwd: ws, registry: e.REGISTRY_TOKEN, username: e.ACTOR },
    );
    const marker = join(markers, String(index));
    ran.set(index, {
      result,
      work: workCalls(readToolCalls(log)).map(describeCall),
      // The runner's state file is the step's to write (main-ran); every other change is a trace.
      files: [
        ...treeChanges(wsBefore, snapshotTree(ws)).map((change) => `workspace: ${change}`),
        ...treeChanges(tempBefore, snapshotTree(runnerTemp), (path) => path === 'state').map(
          (change) => `RUNNER_TEMP: ${change}`,
        ),
      ],
      markers: existsSync(marker) ? [marker] : [],
      registry: [],
    });
  }

  /**
   * Gives each registry change to the case whose names it carries; changes to what the cases read (`read`) and
   * to other names of this run are the run's.
   */
  function attribute(before: RegistrySnapshot, after: RegistrySnapshot, read: string[]): void {
    for (const change of registryChanges(before, after)) {
      const owner = /^-(\d+)(?![0-9])/.exec(change.slice(change.indexOf(run) + run.length))?.[1];
      const index = change.includes(run) && owner !== undefined ? Number(owner) : undefined;
      const target = index === undefined ? undefined : ran.get(index);
      if (target) target.registry.push(change);
      // Changes to repositories this run never names are other tests' work (they may run meanwhile).
      else if (change.includes(run) || read.some((name) => change.startsWith(`${name}:`)))
        unattributed.push(change);
    }
  }

  beforeAll(async () => {
    mkdirSync(markers);
    await pushImage(stackClient(e).client, parseReference(seed), makeImage());
    // The tag lists of what the cases read or build from (the seed, through the token registry and its
    // ghcr-like front; the base image), and of every repository a case names.
    const read = [
      `${e.REGISTRY_TOKEN}/${e.OWNER}/${run}-seed`,
      `${e.REGISTRY_GHCR}/${e.OWNER}/${run}-seed`,
      repositoryOf(parseReference(e.BASE_IMAGE)),
    ];
    const repositories = [
      ...read,
      ...BAD_INPUTS.map((_, index) => `${e.REGISTRY_TOKEN}/${repository(index)}`),
    ];
    const before = await registrySnapshot(e, repositories);
    const runnable = BAD_INPUTS.map((c, index) => ({ c, index })).filter(
      ({ c }) => !(c.skipAsRoot && isRoot),
    );
    await eachLimited(runnable, CONCURRENCY, ({ c, index }) => runCase(c, index));
    attribute(before, await registrySnapshot(e, repositories), read);
  }, 600_000);

  afterAll(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  it('has at least 70 cases, several of each kind, over every command', () => {
    const kinds = new Map<string, number>();
    for (const c of BAD_INPUTS) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(70);
    expect([...kinds].filter(([, count]) => count < 3)).toEqual([]);
    const commands = new Set(BAD_INPUTS.map((c) => c.inputs.command ?? 'publish'));
    for (const command of ['publish', 'pull', 'resolve', 'promote', 'merge', 'migrate', 'deploy'])
      expect(commands).toContain(command);
  });

  BAD_INPUTS.forEach((c, index) => {
    const test = c.skipAsRoot && isRoot ? it.skip : c.defect ? it.failing : it;
    test(`${c.kind}: ${c.name}`, () => {
      const r = ran.get(index);
      if (!r) throw new Error('the case did not run');
      const error = annotations(r.result, 'error')[0] ?? '';
      const missing = c.expect
        .map((phrase) => fill(phrase, index))
        .filter((phrase) => !error.includes(phrase));
      const namesInput = c.input === undefined || error.includes(c.names ?? `'${c.input}'`);
      const fix = error.includes('Fix:');
      const sideEffects = r.work.length + r.files.length + r.markers.length + r.registry.length;
      recordOutcome({
        suite: 'bad-input',
        name: `${c.kind}: ${c.name}`,
        clearError: r.result.code === 1 && missing.length === 0 && namesInput && fix,
        sideEffects,
      });
      expect({
        exit: r.result.code,
        // The error (its start) is shown only when a phrase is missing, to keep huge inputs out of the report.
        missing: missing.length ? { phrases: missing, error: error.slice(0, 800) } : [],
        namesInput,
        fix,
        outputs: r.result.outputs,
        work: r.work,
        files: r.files,
        markers: r.markers,
        registry: r.registry,
      }).toEqual({
        exit: 1,
        missing: [],
        namesInput: true,
        fix: true,
        outputs: {},
        work: [],
        files: [],
        markers: [],
        registry: [],
      });
    });
  });

  it("leaves the registries as they were: no repository of this run appeared, the seed's and base's tags unchanged", () => {
    expect(unattributed).toEqual([]);
  });
});
