import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import type { StepResult } from '../support/action.js';
import { runProgram } from '../support/exec.js';
import { condition, type Contexts } from '../support/expressions.js';
import {
  callContexts,
  loadYaml,
  ROOT,
  runJob,
  stepResult,
  workflowOutputs,
} from '../support/workflow-call.js';

// This repository's own workflows (.github/workflows/): actionlint finds nothing and would find a fault, the
// action references follow the released major, and the reusable workflows map the action's outputs to theirs
// (release.yml's scripts: workflows-release.test.ts; the reusable workflows on the stand-in:
// integration/reusable-workflow.test.ts).
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const workflow = (name: string) => loadYaml(join(WORKFLOWS, name));
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
describe('scripts/actionlint.mjs', () => {
  const actionlint = (args: string[]) =>
    runProgram(process.execPath, [join(ROOT, 'scripts', 'actionlint.mjs'), ...args]);

  it('finds nothing in any workflow of .github/workflows', async () => {
    const ran = await actionlint([]);
    const count = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name)).length;
    expect(count).toBeGreaterThanOrEqual(6);
    expect(ran.stdout).toBe(`actionlint: ${count} workflow file(s), no findings.\n`);
    expect(ran.code).toBe(0);
  });

  it('reports an undefined input as file:line:col: message [kind] and exits 1', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'actionlint-')), 'broken.yml');
    writeFileSync(
      file,
      [
        'on:',
        '  workflow_call:',
        '    inputs:',
        '      image: { type: string }',
        'jobs:',
        '  publish:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo "${{ inputs.nope }}"',
        '',
      ].join('\n'),
    );
    const ran = await actionlint([file]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(
      new RegExp(`^.*broken\\.yml:9:\\d+: property "nope" is not defined.* \\[expression\\]$`, 'm'),
    );
  });
});

/** Every `<owner>/ghcr-image-action[/path]@<version>` where users and the workflows read it. */
function actionReferences(): { file: string; owner: string; version: string }[] {
  const files = [
    'README.md',
    ...readdirSync(WORKFLOWS).map((name) => join('.github', 'workflows', name)),
    ...readdirSync(join(ROOT, 'docs')).map((name) => join('docs', name)),
  ];
  return files.flatMap((file) =>
    [
      ...readFileSync(join(ROOT, file), 'utf8').matchAll(
        /([A-Za-z0-9_.-]+)\/ghcr-image-action(?:\/[\w./-]+)?@([\w.-]+)/g,
      ),
    ].map((match) => ({ file, owner: match[1] ?? '', version: match[2] ?? '' })),
  );
}

describe('references to the action', () => {
  const references = actionReferences();

  it("name package.json's major version (v0 for 0.x), everywhere", () => {
    const major = `v${semver.major(version)}`;
    expect(references.filter((ref) => ref.version !== major)).toEqual([]);
    for (const file of [
      'README.md',
      '.github/workflows/publish-image.yml',
      '.github/workflows/promote-image.yml',
    ])
      expect(references.some((ref) => ref.file === file)).toBe(true);
  });

  it('spell the owner one way (OWNER until the first release replaces it: docs/releasing.md)', () => {
    expect(new Set(references.map((ref) => ref.owner)).size).toBe(1);
  });

  it("are how the reusable workflows run the action: never `./`, which would be the caller's checkout", () => {
    for (const name of ['publish-image.yml', 'promote-image.yml']) {
      const uses = Object.values(
        workflow(name).jobs as Record<string, { steps: { uses?: string }[] }>,
      ).flatMap((job) => job.steps.map((step) => step.uses ?? ''));
      expect(uses.filter((ref) => ref.includes('ghcr-image-action')).length).toBeGreaterThan(0);
      expect(uses).not.toContain('./');
    }
  });
});

const stubStep = (outputs: Record<string, string>) => async (): Promise<StepResult> =>
  stepResult({ code: 0, stdout: '', stderr: '' }, outputs);
const GITHUB = { actor: 'octocat', token: 'ghs_x', repository: 'octo-org/app' };

describe('the reusable workflows map the action outputs to theirs', () => {
  const action = loadYaml(join(ROOT, 'action.yml')) as { outputs: Record<string, unknown> };
  const stepOutputs = Object.fromEntries(Object.keys(action.outputs).map((name) => [name, `<${name}>`]));

  it('publish-image.yml: step -> jobs.publish.outputs -> workflow outputs; the job asks for what it needs', async () => {
    const publishImage = workflow('publish-image.yml');
    const { inputs, secrets } = callContexts(publishImage, {}, { github: GITHUB, vars: {}, secrets: {} });
    expect(inputs).toMatchObject({
      registry: 'ghcr.io',
      context: '.',
      push: 'auto',
      attest: false,
      'runs-on': 'ubuntu-latest',
    });
    const contexts: Contexts = { github: GITHUB, inputs, secrets, vars: {}, needs: {} };
    const publish = await runJob(publishImage, 'publish', contexts, stubStep(stepOutputs));
    const names = ['digest', 'ref', 'tags', 'image', 'image-id', 'platform-digests', 'auth-method'];
    expect(workflowOutputs(publishImage, { publish })).toEqual(
      Object.fromEntries(names.map((n) => [n, `<${n}>`])),
    );
    const jobs = publishImage.jobs as Record<string, { permissions?: unknown; if?: string }>;
    expect(jobs.publish?.permissions).toEqual({ contents: 'read', packages: 'write' });
    // The attestation job takes the caller's grant as it is (asking for id-token would bind every caller).
    expect(jobs.attest).not.toHaveProperty('permissions');
  });

  it('publish-image.yml attests only when asked and something was pushed', () => {
    const attestIf = (publishImage: Record<string, unknown>) =>
      (publishImage.jobs as Record<string, { if?: string }>).attest?.if;
    const when = (attest: boolean, digest: string, tags: string) =>
      condition(attestIf(workflow('publish-image.yml')), {
        inputs: { attest },
        needs: { publish: { outputs: { digest, tags } } },
      });
    expect(when(true, 'sha256:1', 'r:1')).toBe(true);
    expect(when(false, 'sha256:1', 'r:1')).toBe(false);
    expect(when(true, '', '')).toBe(false);
    expect(when(true, 'sha256:1', '')).toBe(false);
  });

  it('promote-image.yml: resolve then promote; the promote step outputs become the workflow outputs', async () => {
    const promoteImage = workflow('promote-image.yml');
    const given = { with: { source: 'ghcr.io/o/a:rc', image: 'ghcr.io/o/a', tags: '1.0' } };
    const { inputs, secrets } = callContexts(promoteImage, given, { github: GITHUB, vars: {}, secrets: {} });
    const seen: Record<string, string>[] = [];
    const run = async (stepInputs: Record<string, string>) => {
      seen.push(stepInputs);
      return stubStep({ ...stepOutputs, ref: `<${stepInputs.command}-ref>` })();
    };
    const promote = await runJob(
      promoteImage,
      'promote',
      { github: GITHUB, inputs, secrets, needs: {} },
      run,
    );
    expect(seen.map((s) => [s.command, s.source])).toEqual([
      ['resolve', 'ghcr.io/o/a:rc'],
      ['promote', '<resolve-ref>'],
    ]);
    expect(workflowOutputs(promoteImage, { promote })).toEqual({
      digest: '<digest>',
      ref: '<promote-ref>',
      tags: '<tags>',
    });
  });

  it('refuses a call GitHub would refuse: an undeclared input or secret, a wrong type, a required input left out', () => {
    const publishImage = workflow('publish-image.yml');
    const callerContexts = { github: GITHUB, vars: {}, secrets: { S: 's' } };
    expect(() => callContexts(publishImage, { with: { nope: 'x' } }, callerContexts)).toThrow("input 'nope'");
    expect(() => callContexts(publishImage, { with: { attest: 'yes' } }, callerContexts)).toThrow(
      'is a boolean',
    );
    expect(() =>
      callContexts(publishImage, { secrets: { token: '${{ secrets.S }}' } }, callerContexts),
    ).toThrow("secret 'token'");
    expect(() => callContexts(workflow('promote-image.yml'), {}, callerContexts)).toThrow(
      "input 'source' is required",
    );
  });
});
