/**
 * The rewrite: a pure function from a workflow's text to its migrated text. Edits are splices at the source
 * ranges the yaml Document gives, so every byte outside them (comments, key order, quoting, CRLF) stays equal.
 * A second pass removes env variables that only carried the PAT, once nothing refers to them.
 */
import type { Node, Pair, YAMLMap } from 'yaml';
import { detect } from './detect.js';
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

/** Whether anything in `text` outside `[start, end)` still names the variable. */
function referenced(text: string, name: string, start: number, end: number): boolean {
  const rest = text.slice(0, start) + text.slice(end);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\$\\{?${escaped}\\b|\\benv\\.${escaped}\\b|%${escaped}%`).test(rest);
}

/** Removals of env entries named in `names` whose value is a secret and that nothing refers to any more. */
function envRemovals(workflow: Workflow, names: Set<string>): Edit[] {
  const { doc, text } = workflow;
  const root = workflowMap(workflow);
  const owners: (YAMLMap | undefined)[] = [root];
  for (const job of jobsOf(workflow)) owners.push(job.map, ...job.steps.map((s) => s.map));
  const edits: Edit[] = [];
  for (const owner of new Set(owners)) {
    const envPair = pairOf(owner, 'env');
    const env = mapOf(doc, envPair?.value);
    if (!envPair || !env || env.flow) continue;
    const gone = (env.items as Pair[]).flatMap((pair) => {
      const name = textOf(doc, pair.key) ?? '';
      const value = textOf(doc, pair.value) ?? '';
      const edit = removePair(workflow, pair);
      const carriesSecret = /\$\{\{[^}]*\bsecrets\./.test(value);
      return names.has(name) && carriesSecret && edit && !referenced(text, name, edit.start, edit.end)
        ? [edit]
        : [];
    });
    if (gone.length === 0) continue;
    const all = gone.length === env.items.length;
    const whole = all ? removePair(workflow, envPair) : undefined;
    // `- env:` opens its step: the key stays, as an empty map, so the step's other keys keep their place.
    const colon = all && !whole ? text.indexOf(':', (envPair.key as Node).range?.[1] ?? 0) : -1;
    edits.push(
      ...(whole ? [whole] : gone),
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
  const cleaned = applyEdits(changed, envRemovals(again.workflow, new Set(detection.envNames)));
  return { findings: detection.findings, text: cleaned };
}
