/**
 * migrate's report: one warning annotation per finding at its file and line, a warning per file that could not
 * be checked, the outputs `findings` and `files`, and a job summary table. Text from the files is made
 * printable (annotations) or escaped (summary) first.
 */
import * as core from '@actions/core';
import { ActionError } from '../errors.js';
import type { MigratePlan } from '../inputs/migrate.js';
import { printable } from '../registry/index.js';
import type { FileCheck } from '../workflows/scan.js';
import type { Finding } from '../workflows/types.js';
import { writeOutputs } from './outputs.js';
import { cellHtml, escapeHtml } from './summary.js';

const TITLES: Record<Finding['kind'], string> = {
  'login-action': 'PAT login (login action)',
  'run-login': 'PAT login (run script)',
  'pat-input': "PAT in this action's input",
  permissions: 'No packages permission',
  'unknown-credential': 'Login credential unknown',
};

const UNWRITTEN_FIX =
  'make the file writable by the job (chmod u+w, a checkout that is not read-only) and run again';

/** Why a checked file was not rewritten, and what to do. */
function unwrittenText(check: FileCheck): string {
  const why = check.unwritten?.message ?? '';
  return `${check.file} was not rewritten: ${why}${check.unwritten?.failed ? `. Fix: ${UNWRITTEN_FIX}.` : '.'}`;
}

function status(finding: Finding, check: FileCheck, write: boolean): string {
  if (!finding.rewritable) return 'left for a human: write: true does not rewrite this';
  if (check.rewritten) return 'rewritten';
  if (check.unwritten) return `not rewritten: ${check.unwritten.message}`;
  return write ? 'not rewritten' : 'write: true rewrites it';
}

function annotate(finding: Finding, check: FileCheck, write: boolean): void {
  const message = `${finding.message} Replace with: ${finding.replacement}. (${status(finding, check, write)})`;
  core.warning(printable(message, 1000), {
    title: TITLES[finding.kind],
    file: printable(finding.file),
    startLine: finding.line,
  });
}

async function writeSummary(plan: MigratePlan, checks: FileCheck[], total: number): Promise<void> {
  const s = core.summary.addHeading(escapeHtml(`Migrate to GITHUB_TOKEN: ${total} finding(s)`), 2);
  const header = ['File', 'Line', 'Found', 'Replacement', 'Status'].map((h) => ({ data: h, header: true }));
  const rows = checks.flatMap((check) =>
    check.findings.map((f) => [
      { data: cellHtml({ code: f.file }) },
      { data: String(f.line) },
      { data: escapeHtml(f.message) },
      { data: cellHtml({ code: f.replacement }) },
      { data: escapeHtml(status(f, check, plan.write)) },
    ]),
  );
  if (rows.length) s.addTable([header, ...rows]);
  for (const check of checks.filter((c) => c.problem)) {
    s.addRaw(
      escapeHtml(
        `Not checked: ${check.file}${check.problem?.line ? ` line ${check.problem.line}` : ''}: ${check.problem?.message ?? ''}`,
      ),
      true,
    );
  }
  for (const check of checks.filter((c) => c.unwritten)) s.addRaw(escapeHtml(unwrittenText(check)), true);
  const rewritten = checks.filter((c) => c.rewritten).map((c) => c.file);
  s.addRaw(
    escapeHtml(
      rewritten.length
        ? `Rewritten (not committed): ${rewritten.join(', ')}. Open a pull request with them in a following step (docs/migrate.md).`
        : `${checks.length} file(s) checked in ${plan.workflows}; none rewritten${plan.write ? '' : ' (write is false)'}.`,
    ),
    true,
  );
  await s.write();
}

export async function reportMigration(plan: MigratePlan, checks: FileCheck[]): Promise<void> {
  for (const check of checks) {
    if (check.problem) {
      const where = check.problem.line ? ` (line ${check.problem.line})` : '';
      core.warning(printable(`${check.file} was not checked${where}: ${check.problem.message}`, 1000), {
        title: 'Workflow not checked',
        file: printable(check.file),
        ...(check.problem.line ? { startLine: check.problem.line } : {}),
      });
      continue;
    }
    for (const finding of check.findings) annotate(finding, check, plan.write);
    if (check.unwritten) {
      core.warning(printable(unwrittenText(check), 1000), {
        title: 'Workflow not rewritten',
        file: printable(check.file),
      });
    }
    const count = check.findings.length;
    core.info(printable(`${check.file}: ${count} finding(s)${check.rewritten ? ', rewritten' : ''}.`));
  }
  const total = checks.reduce((n, c) => n + c.findings.length, 0);
  const files = checks.filter((c) => c.rewritten).map((c) => c.file);
  writeOutputs({ findings: String(total), files: files.join('\n') });
  await writeSummary(plan, checks, total);
}

/** The error that fails the step, after the report, when a rewrite could not be written; else undefined. */
export function unwrittenError(checks: FileCheck[]): ActionError | undefined {
  const failed = checks.filter((c) => c.unwritten?.failed);
  if (failed.length === 0) return undefined;
  const list = failed.map((c) => `${c.file} (${c.unwritten?.message ?? ''})`).join('; ');
  return new ActionError(
    printable(
      `${failed.length} workflow file(s) could not be rewritten: ${list}. They are left as they were; the files rewritten are in the 'files' output.`,
      2000,
    ),
    `${UNWRITTEN_FIX}, or leave these files out of the 'workflows' input.`,
  );
}
