/**
 * command: migrate — find PAT logins to GitHub's registries in workflow files and, with `write: true`, rewrite
 * them to GITHUB_TOKEN in place. Reads files only: no session, no docker, no registry, nothing for a post step.
 */
import * as core from '@actions/core';
import type { RunContext } from '../context.js';
import type { Inputs } from '../inputs/index.js';
import { migratePlan } from '../inputs/migrate.js';
import { reportMigration, unwrittenError } from '../report/migrate.js';
import { checkWorkflows } from '../workflows/scan.js';

export async function migrate(inputs: Inputs, context: RunContext): Promise<void> {
  const plan = migratePlan(inputs, context);
  const checks = await core.group(
    `Check ${plan.files.length} workflow file(s) in ${plan.workflows}`,
    async () => checkWorkflows(plan),
  );
  await reportMigration(plan, checks);
  const failure = unwrittenError(checks);
  if (failure) throw failure;
}
