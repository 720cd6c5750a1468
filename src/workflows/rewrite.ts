/**
 * The rewrite: a pure function from a workflow's text to its migrated text. Edits are splices at the source
 * ranges the yaml Document gives, so every byte outside them (comments, key order, quoting, CRLF) stays equal.
 * A second pass removes env entries that only carried the PAT, when only rewritten logins could see them.
 */
import type { Node, YAMLMap } from 'yaml';
import { detect, type Detection } from './detect.js';
import { jobsOf, workflowMap } from './model.js';
import { mapOf, pairOf, parseWorkflow, textOf, type Workflow } from './parse.js';
import { removePair } from './steps.js';
import type { DetectOptions, Edit, Finding } from './types.js';

/** `text` with `edits` applied (identical edits once; an edit overlapping a later-starting one is dropped). */
export function applyEdits(text: string, edits: Edit[]): string {
  const unique = [...new Map(edits.map((e) => [`${e.start}:${e.end}:${e.text}`, e])).values()];
  unique.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let floor = text.length;
  for (const edit of unique) {
    if (edit.end > floor && edit.end > edit.start) continue;
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    floor = Math.min(floor, edit.start);
  }
  return out;
}

/** Whether anything in `text` outside `[start, end)` still names the variable (shell, pwsh, cmd, expressions). */
function referenced(text: string, name: string, start: number, end: number): boolean {
  const rest = text.slice(0, start) + text.slice(end);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\$\\{?${escaped}\\b|\\benv[.:]${escaped}\\b|%${escaped}%`, 'i').test(rest);
}

type Use = Detection['envUses'][number];

/**
 * Where the env entry a step reads is set: its own env, its job's or the workflow's; with the map holding it,
 * a label for messages, and whether every step that sees it had its login rewritten (only then may it go).
 */
function ownerOf(workflow: Workflow, use: Use, rewritten: Set<string>) {
  const jobs = jobsOf(workflow);
  const job = jobs[use.job];
  const step = job?.steps[use.step];
  const has = (map: YAMLMap | undefined) =>
    !!pairOf(mapOf(workflow.doc, pairOf(map, 'env')?.value), use.name);
  const all = (j: number) => (jobs[j]?.steps ?? []).every((_, i) => rewritten.has(`${j}:${i}`));
  if (has(step?.map)) return { map: step?.map, label: 'the step', alone: true };
  if (has(job?.map)) return { map: job?.map, label: `job '${job?.id ?? ''}'`, alone: all(use.job) };
  return { map: workflowMap(workflow), label: 'the workflow', alone: jobs.every((_, j) => all(j)) };
}

/**
 * Removals of the env entries the rewritten logins read, when they carry a secret, every step that sees them
 * was rewritten, and nothing in the file names them any more. The findings of those kept say so.
 */
function envRemovals(workflow: Workflow, detection: Detection): Edit[] {
  const { doc, text } = workflow;
  const gone = new Map<YAMLMap, Edit[]>();
  for (const use of detection.envUses) {
    const owner = ownerOf(workflow, use, detection.rewrittenSteps);
    const env = mapOf(doc, pairOf(owner.map, 'env')?.value);
    const pair = pairOf(env, use.name);
    const edit = pair && !env?.flow ? removePair(workflow, pair) : undefined;
    const carriesSecret = /\$\{\{[^}]*\bsecrets\./.test(textOf(doc, pair?.value) ?? '');
    if (
      env &&
      owner.map &&
      edit &&
      owner.alone &&
      carriesSecret &&
      !referenced(text, use.name, edit.start, edit.end)
    ) {
      if (!gone.has(owner.map)) gone.set(owner.map, []);
      gone.get(owner.map)?.push(edit);
      continue;
    }
    const note = ` The env entry ${use.name} of ${owner.label} stays, as other steps or scripts may still read it: remove it by hand once nothing else needs the PAT.`;
    if (!use.finding.message.includes(note)) use.finding.message += note;
  }
  const edits: Edit[] = [];
  for (const [owner, removals] of gone) {
    const envPair = pairOf(owner, 'env');
    const env = mapOf(doc, envPair?.value);
    if (!envPair || !env) continue;
    const unique = new Set(removals.map((e) => e.start));
    const all = unique.size === env.items.length;
    const whole = all ? removePair(workflow, envPair) : undefined;
    // `- env:` opens its step: the key stays, as an empty map, so the step's other keys keep their place.
    const colon = all && !whole ? text.indexOf(':', (envPair.key as Node).range?.[1] ?? 0) : -1;
    edits.push(
      ...(whole ? [whole] : removals),
      ...(colon >= 0 ? [{ start: colon + 1, end: colon + 1, text: ' {}' }] : []),
    );
  }
  return edits;
}

export interface Rewrite {
  findings: Finding[];
  /** The migrated text (equal to the input when nothing could be rewritten). */
  text: string;
}

/** Findings of `text` and its rewritten form; a YAML error throws nothing: check parseWorkflow first. */
export function rewriteWorkflow(text: string, options: DetectOptions): Rewrite {
  const parsed = parseWorkflow(text);
  if (!('workflow' in parsed)) return { findings: [], text };
  const detection = detect(parsed.workflow, options);
  if (detection.edits.length === 0) return { findings: detection.findings, text };
  const changed = applyEdits(text, detection.edits);
  const again = parseWorkflow(changed);
  if (!('workflow' in again))
    return { findings: detection.findings.map((f) => ({ ...f, rewritable: false })), text };
  const cleaned = applyEdits(changed, envRemovals(again.workflow, detection));
  return { findings: detection.findings, text: cleaned };
}
