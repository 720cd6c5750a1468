/**
 * Detection over a whole workflow: every step checked, then each job that logs in to a GitHub registry checked
 * for a packages permission. Pure: text in, findings and the edits that fix them out.
 */
import { jobsOf, workflowMap } from './model.js';
import type { Workflow } from './parse.js';
import { granted, permissionsEdits, satisfies, type Need } from './permissions.js';
import { checkStep, type EnvUse, type StepOutcome } from './steps.js';
import type { DetectOptions, Edit, Finding } from './types.js';

export interface Detection {
  findings: Finding[];
  /** The edits of the rewritable findings. */
  edits: Edit[];
  /** Env variables whose use was rewritten, with where: job and step index (in jobsOf order). */
  envUses: (EnvUse & { job: number; step: number })[];
  /** The steps whose login was rewritten, as `job:step` indexes. */
  rewrittenSteps: Set<string>;
}

const permissionsText = (need: Need) => `permissions: contents: read, packages: ${need}`;

function jobPermissions(
  workflow: Workflow,
  options: DetectOptions,
  job: ReturnType<typeof jobsOf>[number],
  outcomes: StepOutcome[],
): { findings: Finding[]; edits: Edit[] } {
  const root = workflowMap(workflow);
  const logins = outcomes.flatMap((o) => (o.registry ? [o.registry] : []));
  const pats = outcomes.flatMap((o) => o.findings.filter((f) => f.kind !== 'unknown-credential'));
  if (outcomes.some((o) => o.unknown)) {
    // A login migrate cannot read: the job is left as it is, its PATs and permissions included.
    for (const found of pats) {
      found.rewritable = false;
      found.message = `${found.message} Not rewritten: another login in this job uses a credential migrate could not tell.`;
    }
    if (pats.length || logins.length === 0) return { findings: [], edits: [] };
  }
  if (logins.length === 0) return { findings: [], edits: [] };
  const need: Need = logins.some((l) => l.need === 'write') ? 'write' : 'read';
  const have = granted(workflow, job, root);
  if (satisfies(have.packages, need)) return { findings: [], edits: [] };
  const edits = permissionsEdits(workflow, job, root, need);
  if (pats.length) {
    // The job's PAT findings carry the permissions: rewritten together, or left together.
    for (const found of pats) {
      found.replacement = `${found.replacement}; and the job's ${permissionsText(need)}`;
      if (!edits) found.rewritable = false;
    }
    // Permissions change only with a login that is rewritten: a job left on its PAT is left as it is.
    return { findings: [], edits: pats.some((f) => f.rewritable) ? (edits ?? []) : [] };
  }
  const host = logins[0]?.host ?? 'ghcr.io';
  const why =
    have.from === 'default'
      ? 'no permissions block: it gets the repository default, read-only in new repositories'
      : `its ${have.from} permissions give packages: ${have.packages}`;
  const message = `Job '${job.id}' logs in to ${host} with GITHUB_TOKEN but does not give it packages: ${need} (${why}).`;
  return {
    findings: [
      {
        file: options.file,
        line: have.line,
        kind: 'permissions',
        message,
        replacement: permissionsText(need),
        rewritable: edits !== undefined && !outcomes.some((o) => o.unknown),
      },
    ],
    edits: outcomes.some((o) => o.unknown) ? [] : (edits ?? []),
  };
}

export function detect(workflow: Workflow, options: DetectOptions): Detection {
  const detection: Detection = { findings: [], edits: [], envUses: [], rewrittenSteps: new Set() };
  jobsOf(workflow).forEach((job, j) => {
    const perStep = job.steps.map((step) => checkStep(workflow, step, options));
    const outcomes = perStep.flatMap((o) => o ?? []);
    const permissions = jobPermissions(workflow, options, job, outcomes);
    const findings = outcomes.flatMap((o) => o.findings);
    detection.findings.push(...findings, ...permissions.findings);
    // Only rewritable findings have edits; the permissions come with them (or alone, for GITHUB_TOKEN jobs).
    // A job whose permissions cannot be merged keeps its PAT: its findings were all marked not rewritable.
    if (findings.some((f) => f.rewritable)) {
      detection.edits.push(...outcomes.flatMap((o) => o.edits));
      perStep.forEach((o, i) => {
        if (!o?.findings.some((f) => f.rewritable)) return;
        detection.rewrittenSteps.add(`${j}:${i}`);
        detection.envUses.push(...o.envUses.map((use) => ({ ...use, job: j, step: i })));
      });
    }
    detection.edits.push(...permissions.edits);
  });
  detection.findings = dedupe(detection.findings);
  detection.findings.sort((a, b) => a.line - b.line);
  return detection;
}

/** A step shared through an anchor is found once per job that uses it: report it once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.line}:${f.kind}:${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
