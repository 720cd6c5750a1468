/**
 * command: cleanup — keep a package tidy through GitHub's Packages API without breaking an image: the versions
 * listed, every manifest read, the plan made in full (what the policy keeps, and everything that reaches), then
 * (unless a dry run) the rest deleted, referrers first. Nothing is deleted before the whole plan is known.
 */
import * as core from '@actions/core';
import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';
import { isGitHubRegistry } from '../github/registry.js';
import { readLinks } from '../images/links.js';
import { PruneError, prune } from '../images/prune.js';
import { retentionPlan } from '../images/retention.js';
import { cleanupPlan } from '../inputs/cleanup.js';
import type { Inputs } from '../inputs/index.js';
import { repositoryOf } from '../registry/index.js';
import { logPlan, policyText, reportCleanup } from '../report/cleanup.js';
import { openSession } from '../session/index.js';
import { openPackageSession } from '../session/packages.js';

export async function cleanup(inputs: Inputs, context: RunContext): Promise<void> {
  const plan = cleanupPlan(inputs);
  if (!isGitHubRegistry(plan.image.registry, context)) {
    throw new ActionError(
      `cleanup works through GitHub's Packages API, and ${plan.image.registry} is not a GitHub registry.`,
      'use cleanup on ghcr.io (or containers.<host> on GitHub Enterprise Server); other registries have their own retention settings.',
    );
  }
  core.info(`Policy: ${policyText(plan)}${plan.dryRun ? ' (dry run: nothing is deleted)' : ''}.`);
  const session = await openSession(inputs, context, { push: [], pull: [plan.image] });
  const api = await core.group(`List the versions of ${plan.owner}/${plan.name}`, () =>
    openPackageSession(inputs, context, plan, !plan.dryRun),
  );
  core.info(`${api.versions.length} version(s), listed with '${api.candidate.input}'.`);
  const links = await core.group(
    `Read ${api.versions.length} manifest(s) from ${repositoryOf(plan.image)}`,
    () => readLinks(session.client, plan.image, api.versions),
  );
  await session.loggedIn(); // docker's login for later steps ran beside the reads
  const retention = retentionPlan(api.versions, links, plan.policy, new Date());
  await core.group('Plan', async () => logPlan(retention, plan.dryRun));
  const report = { plan, retention, facts: api.facts, credentials: `${api.candidate.input} (Packages API)` };
  if (plan.dryRun) return reportCleanup({ ...report, deleted: undefined });
  try {
    const pruned = await core.group(`Delete ${retention.delete.length} version(s)`, () =>
      prune(retention.delete, api, context),
    );
    await reportCleanup({
      ...report,
      deleted: pruned.deleted,
      credentials: `${pruned.session.candidate.input} (Packages API)`,
    });
  } catch (error) {
    if (error instanceof PruneError)
      await reportCleanup({ ...report, deleted: error.deleted, stopped: error.message });
    throw error;
  }
}
