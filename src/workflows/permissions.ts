/**
 * The GITHUB_TOKEN permissions a job gets (its own block, else the workflow's), and the edit that gives it
 * `contents: read` and `packages: write`, merged into what is there.
 */
import { isMap, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { JobView } from './model.js';
import { lineAt, lineEnd, lineStart, pairOf, resolved, textOf, type Workflow } from './parse.js';
import type { Edit } from './types.js';

export type Need = 'read' | 'write';

export interface Granted {
  packages: 'none' | 'read' | 'write';
  /** Where the permissions come from: the job's block, the workflow's, or nowhere (the repository default). */
  from: 'job' | 'workflow' | 'default';
  /** The line to point at: the permissions key, else the job's key. */
  line: number;
}

function packagesIn(workflow: Workflow, node: Node | undefined): Granted['packages'] {
  const value = isScalar(node) ? String(node.value ?? '') : undefined;
  if (value === 'write-all') return 'write';
  if (value === 'read-all') return 'read';
  if (!isMap(node)) return 'none';
  const level = textOf(workflow.doc, pairOf(node, 'packages')?.value);
  return level === 'write' || level === 'read' ? level : 'none';
}

export function granted(workflow: Workflow, job: JobView, root: YAMLMap | undefined): Granted {
  const own = pairOf(job.map, 'permissions');
  const pair = own ?? pairOf(root, 'permissions');
  const from = own ? 'job' : pair ? 'workflow' : 'default';
  const line = lineAt(
    workflow,
    (own?.key as Node | undefined)?.range?.[0] ?? (job.pair.key as Node).range?.[0] ?? 0,
  );
  if (!pair) return { packages: 'none', from, line };
  return { packages: packagesIn(workflow, resolved(workflow.doc, pair.value)), from, line };
}

export const satisfies = (have: Granted['packages'], need: Need): boolean =>
  have === 'write' || (have === 'read' && need === 'read');

/** The entries of a permissions map as `key: value` source text, with contents and packages set. */
function mergedEntries(workflow: Workflow, map: YAMLMap | undefined, need: Need): string[] {
  const entries: [string, string][] = ((map?.items ?? []) as Pair[]).map((pair) => [
    textOf(workflow.doc, pair.key) ?? '',
    textOf(workflow.doc, pair.value) ?? '',
  ]);
  const keys = entries.map(([key]) => key);
  const merged = entries.map(([key, value]): [string, string] => [
    key,
    key === 'packages' && !satisfies(value as Granted['packages'], need) ? need : value,
  ]);
  if (!keys.includes('contents')) merged.unshift(['contents', 'read']);
  if (!keys.includes('packages')) merged.push(['packages', need]);
  return merged.map(([key, value]) => `${key}: ${value}`);
}

/** Edits inside the job's own block map: packages set to write, missing entries added above the first. */
function blockEdits(workflow: Workflow, map: YAMLMap, need: Need): Edit[] | undefined {
  const first = (map.items[0] as Pair | undefined)?.key as Node | undefined;
  const at = first?.range?.[0];
  if (at === undefined) return undefined;
  const start = lineStart(workflow.text, at);
  const indent = workflow.text.slice(start, at);
  if (indent.trim() !== '') return undefined;
  const edits: Edit[] = [];
  const packages = pairOf(map, 'packages');
  const value = packages?.value as Node | undefined;
  if (value?.range) {
    if (!satisfies(textOf(workflow.doc, value) as Granted['packages'], need))
      edits.push({ start: value.range[0], end: value.range[1], text: need });
  } else edits.push({ start, end: start, text: `${indent}packages: ${need}${workflow.eol}` });
  if (!pairOf(map, 'contents'))
    edits.push({ start, end: start, text: `${indent}contents: read${workflow.eol}` });
  return edits;
}

/** A new `permissions:` block right under the job's key, from the workflow's entries merged with ours. */
function newBlock(
  workflow: Workflow,
  job: JobView,
  from: YAMLMap | undefined,
  need: Need,
): Edit[] | undefined {
  const keyAt = (job.pair.key as Node).range?.[0];
  const firstAt = ((job.map.items[0] as Pair | undefined)?.key as Node | undefined)?.range?.[0];
  if (keyAt === undefined || firstAt === undefined || job.map.flow) return undefined;
  const column = (offset: number) => offset - lineStart(workflow.text, offset);
  const indent = ' '.repeat(column(firstAt));
  const child = ' '.repeat(Math.max(2, column(firstAt) - column(keyAt)));
  const eol = workflow.eol;
  const lines = mergedEntries(workflow, from, need).map((entry) => `${indent}${child}${entry}${eol}`);
  const at = lineEnd(workflow.text, keyAt);
  return [{ start: at, end: at, text: `${indent}permissions:${eol}${lines.join('')}` }];
}

/** The edits that give the job contents: read and packages: `need`; [] when it has them, undefined when unsure. */
export function permissionsEdits(
  workflow: Workflow,
  job: JobView,
  root: YAMLMap | undefined,
  need: Need,
): Edit[] | undefined {
  const own = pairOf(job.map, 'permissions');
  const pair = own ?? pairOf(root, 'permissions');
  const node = resolved(workflow.doc, pair?.value);
  if (isScalar(node) && node.value === 'write-all') return [];
  if (own && isMap(node) && !node.flow && node.items.length > 0) return blockEdits(workflow, node, need);
  if (own && isMap(node) && node.range) {
    const text = `{ ${mergedEntries(workflow, node, need).join(', ')} }`;
    return [{ start: node.range[0], end: node.range[1], text }];
  }
  if (own || (pair && !isMap(node))) return undefined;
  return newBlock(workflow, job, isMap(node) ? node : undefined, need);
}
