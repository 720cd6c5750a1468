/**
 * Workflow YAML parsed with positions kept (the yaml package's Document over its CST, a LineCounter for lines),
 * and the few reading helpers detection needs. Nothing here changes text.
 */
import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

export interface Workflow {
  text: string;
  doc: Document;
  lines: LineCounter;
  /** The file's line ending, kept for inserted lines. */
  eol: string;
}

export interface YamlProblem {
  line: number;
  message: string;
}

/** The workflow, or the first YAML error (its line and the first line of its message). */
export function parseWorkflow(text: string): { workflow: Workflow } | { problem: YamlProblem } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line ?? lines.linePos(error.pos[0]).line;
    const message = (error.message.split('\n')[0] ?? error.code).replace(/:\s*$/, '');
    return { problem: { line, message } };
  }
  return { workflow: { text, doc, lines, eol: text.includes('\r\n') ? '\r\n' : '\n' } };
}

/** A node with aliases followed (an anchor's node is where its text is). */
export function resolved(doc: Document, node: unknown): Node | undefined {
  if (isAlias(node)) return node.resolve(doc) ?? undefined;
  return isScalar(node) || isMap(node) || isSeq(node) ? node : undefined;
}

export function mapOf(doc: Document, node: unknown): YAMLMap | undefined {
  const found = resolved(doc, node);
  return isMap(found) ? found : undefined;
}

export function seqOf(doc: Document, node: unknown): YAMLSeq | undefined {
  const found = resolved(doc, node);
  return isSeq(found) ? found : undefined;
}

/** The pair of `map` whose key is `key` (the last one, as GitHub reads duplicate keys). */
export function pairOf(map: YAMLMap | undefined, key: string): Pair | undefined {
  const pairs = (map?.items ?? []).filter((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
  return pairs[pairs.length - 1];
}

/** A scalar's text ('' for null), or undefined when the node is no scalar. */
export function textOf(doc: Document, node: unknown): string | undefined {
  const found = resolved(doc, node);
  if (!isScalar(found)) return undefined;
  return found.value === null || found.value === undefined ? '' : String(found.value);
}

export const valueOf = (doc: Document, map: YAMLMap | undefined, key: string): string | undefined =>
  textOf(doc, pairOf(map, key)?.value);

/** The 1-based line of an offset. */
export const lineAt = (workflow: Workflow, offset: number): number => workflow.lines.linePos(offset).line;

/** The offset where the line holding `offset` starts. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the line end (its newline included) of the line holding `offset`. */
export function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** The source range of a node: [start, end of its value]. */
export function rangeOf(node: Node | undefined | null): [number, number] | undefined {
  const range = node?.range;
  return range ? [range[0], range[1]] : undefined;
}
