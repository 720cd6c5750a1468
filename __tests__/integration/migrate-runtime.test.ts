import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference } from '../../src/registry/index.js';
import type { StepResult } from '../support/action.js';
import { makeImage, pushImage, stackClient, uniqueTag } from '../support/registry.js';
import { describeWithStack } from '../support/stack.js';
import { stackJob } from '../support/step.js';

// The run-time side of the migration: a publish that falls back to the PAT (a read-only GITHUB_TOKEN, a write
// PAT, as in credentials.test.ts) warns at the workflow file's `pat:` line, found from GITHUB_WORKFLOW_REF in
// the workspace; without that file, the same warning without a place.
const WORKFLOW = `name: Publish
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: promote
        uses: octo-org/ghcr-image-action@v1
        with:
          command: promote
          # the fallback, to be migrated
          pat: \${{ secrets.CR_PAT }}
`;
const PAT_LINE = WORKFLOW.split('\n').findIndex((line) => line.includes('pat:')) + 1;

/** Warning lines as printed: `::warning <properties>::<message>`. */
const warningLines = (result: StepResult) =>
  result.stdout.split('\n').filter((l) => l.startsWith('::warning'));

describeWithStack('the run-time PAT warning points at the pat: line', (stack) => {
  const e = stack.env;
  const source = `${e.REGISTRY_TOKEN}/${e.REPOSITORY}:seed-migrate-runtime`;
  const temps: string[] = [];

  beforeAll(async () => {
    await pushImage(stackClient(e).client, parseReference(source), makeImage());
  });
  afterAll(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  async function fallback(withFile: boolean) {
    const root = mkdtempSync(join(tmpdir(), 'migrate-runtime-'));
    temps.push(root);
    if (withFile) {
      mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
      writeFileSync(join(root, '.github', 'workflows', 'publish.yml'), WORKFLOW);
    }
    const job = stackJob(stack, {
      env: {
        GITHUB_WORKSPACE: root,
        GITHUB_WORKFLOW_REF: `${e.REPOSITORY}/.github/workflows/publish.yml@refs/heads/main`,
        GITHUB_JOB: 'publish',
        GITHUB_ACTION: 'promote',
      },
    });
    const image = `${e.OWNER}/migrate-runtime-${uniqueTag('m')}`;
    return job.main({
      command: 'promote',
      source,
      image,
      tags: 'v1',
      'github-token': e.TOKEN_GHS_READ,
      pat: e.TOKEN_PAT_WRITE,
    });
  }

  it('annotates file= and line= of the workflow `pat:` line', async () => {
    const result = await fallback(true);
    expect(result.code).toBe(0);
    expect(result.outputs['auth-method']).toBe('pat');
    const [warning, ...others] = warningLines(result);
    expect(others).toEqual([]);
    expect(warning).toMatch(
      new RegExp(
        `^::warning title=Registry credentials,file=\\.github/workflows/publish\\.yml,line=${PAT_LINE}::`,
      ),
    );
    expect(warning).toContain('GITHUB_TOKEN was refused, so the personal access token');
  });

  it('gives a plain warning when the workflow file is not in the workspace', async () => {
    const result = await fallback(false);
    expect(result.code).toBe(0);
    const [warning, ...others] = warningLines(result);
    expect(others).toEqual([]);
    expect(warning).toMatch(/^::warning title=Registry credentials::/);
    expect(warning).toContain('Migrate this workflow to GITHUB_TOKEN');
  });
});
