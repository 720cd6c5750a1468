import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError } from '../../../src/errors.js';
import { migratePlan } from '../../../src/inputs/migrate.js';
import { runContext } from '../../support/run-context.js';

const workspace = mkdtempSync(join(tmpdir(), 'migrate-plan-'));
mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
writeFileSync(join(workspace, '.github', 'workflows', 'ci.yml'), 'on: push\n');
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('migratePlan', () => {
  it("lists the files before anything is read, and knows GitHub's registries from the server", () => {
    const context = runContext({ workspace, serverUrl: 'https://git.example.com' });
    const plan = migratePlan({ workflows: '.github/workflows', write: true }, context);
    expect(plan).toMatchObject({
      workflows: '.github/workflows',
      workspace,
      files: ['.github/workflows/ci.yml'],
      write: true,
    });
    expect(['ghcr.io', 'containers.git.example.com', 'docker.io'].map(plan.isGitHubRegistry)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('refuses a workflows value outside the workspace with an ActionError', () => {
    expect(() => migratePlan({ workflows: '../elsewhere', write: false }, runContext({ workspace }))).toThrow(
      ActionError,
    );
  });
});
