/** What cleanup reports: the plan in the log, the outputs `deleted` and `kept`, and the job summary. */
import * as core from '@actions/core';
import type { PackageFacts } from '../github/packages.js';
import type { Decision, RetentionPlan } from '../images/retention.js';
import type { CleanupPlan } from '../inputs/cleanup.js';
import { formatReference, printable } from '../registry/index.js';
import { writeOutputs } from './outputs.js';
import { escapeHtml } from './summary.js';

const tagsOf = (d: Decision) => (d.version.tags.length ? d.version.tags.join(', ') : 'untagged');
const line = (d: Decision) =>
  printable(
    `${d.version.digest} [${tagsOf(d)}] created ${d.version.createdAt.toISOString()}: ${d.why}`,
    1000,
  );

export function policyText(plan: CleanupPlan): string {
  const { policy } = plan;
  return [
    `keep-tags ${policy.keepTags.map((p) => p.text).join(' ')}`,
    `keep-last ${policy.keepLast}`,
    `older-than ${policy.olderThan?.text ?? 'any age'}`,
    `untagged ${policy.untagged}`,
  ].join('; ');
}

/** The plan in the log, one version a line, deletions in the order they are made. */
export function logPlan(plan: RetentionPlan, dryRun: boolean): void {
  core.info(`${dryRun ? 'Would delete' : 'To delete'} ${plan.delete.length} version(s), in this order:`);
  for (const d of plan.delete) core.info(`  - ${line(d)}`);
  core.info(`Keep ${plan.keep.length} version(s):`);
  for (const d of plan.keep) core.info(`  + ${line(d)}`);
}

export interface CleanupReport {
  plan: CleanupPlan;
  retention: RetentionPlan;
  /** Deleted (a real run; as far as it went when it stopped), or undefined in a dry run. */
  deleted: Decision[] | undefined;
  facts: PackageFacts | undefined;
  credentials: string;
  /** Why the run stopped, when it did. */
  stopped?: string;
}

const row = (name: string, html: string) => [{ data: escapeHtml(name), header: true }, { data: html }];

function versionTable(items: Decision[]) {
  return [
    [
      { data: 'Digest', header: true },
      { data: 'Tags', header: true },
      { data: 'Created', header: true },
      { data: 'Why', header: true },
    ],
    ...items.map((d) => [
      { data: `<code>${escapeHtml(d.version.digest)}</code>` },
      { data: escapeHtml(tagsOf(d)) },
      { data: escapeHtml(d.version.createdAt.toISOString().slice(0, 10)) },
      { data: escapeHtml(d.why) },
    ]),
  ];
}

/**
 * Outputs: `deleted` (JSON of digest, tags, id: what was deleted, or in a dry run what would be) and `kept`
 * (a count). The summary shows the policy, both lists, and what a dry run would do.
 */
export async function reportCleanup(report: CleanupReport): Promise<void> {
  const { retention, plan } = report;
  const dryRun = report.deleted === undefined;
  const listed = report.deleted ?? retention.delete;
  const stoppedEarly = report.deleted !== undefined && report.deleted.length < retention.delete.length;
  const kept = stoppedEarly
    ? retention.keep.length + retention.delete.length - listed.length
    : retention.keep.length;
  writeOutputs({
    deleted: JSON.stringify(
      listed.map((d) => ({ digest: d.version.digest, tags: d.version.tags, id: d.version.id })),
    ),
    kept: String(kept),
  });
  const image = formatReference(plan.image);
  const s = core.summary.addHeading(escapeHtml(`Cleanup of ${image}${dryRun ? ' (dry run)' : ''}`), 2);
  s.addTable([
    row('Package', escapeHtml(image)),
    ...(report.facts
      ? [
          row(
            'Visibility',
            `${escapeHtml(report.facts.visibility)} (<a href="${escapeHtml(report.facts.htmlUrl)}">package page</a>)`,
          ),
        ]
      : []),
    row('Policy', escapeHtml(policyText(plan))),
    row('Credentials', escapeHtml(report.credentials)),
    row(dryRun ? 'Would delete' : 'Deleted', escapeHtml(`${listed.length} version(s)`)),
    row('Kept', escapeHtml(`${kept} version(s)`)),
  ]);
  if (report.stopped) s.addRaw(escapeHtml(`Stopped: ${report.stopped}`), true);
  if (listed.length) {
    s.addHeading(dryRun ? 'Would delete (in this order)' : 'Deleted', 3);
    s.addTable(versionTable(listed));
  }
  s.addHeading('Kept', 3);
  s.addTable(versionTable(retention.keep));
  if (dryRun) {
    s.addRaw(
      escapeHtml(
        `Dry run: nothing was deleted. Check the plan, then set 'dry-run: false' to delete ${listed.length === 1 ? 'this version' : `these ${listed.length} versions`}.`,
      ),
      true,
    );
  }
  await s.write();
}
