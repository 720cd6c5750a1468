/**
 * migrate's work over the chosen files: read each (bounded) and find; with `write`, every rewrite is computed
 * first, then written. A file that cannot be written is a problem of that file, not of the run.
 */
import { readWorkflowFile, writeRefusal, writeWorkflowFile } from './files.js';
import { parseWorkflow } from './parse.js';
import { rewriteWorkflow } from './rewrite.js';
import type { Finding } from './types.js';

export interface FileCheck {
  file: string;
  findings: Finding[];
  /** Why the file was not checked (too big, a link out, not YAML), with the YAML error's line. */
  problem?: { message: string; line?: number };
  /**
   * Why a rewrite was not written: refused (hard links, not UTF-8: the file is left for a human) or failed
   * (read-only, an I/O error: the step fails at the end).
   */
  unwritten?: { message: string; failed: boolean };
  rewritten: boolean;
}

export interface ScanRequest {
  workspace: string;
  files: string[];
  write: boolean;
  isGitHubRegistry: (host: string) => boolean;
}

interface Pending {
  check: FileCheck;
  write?: { path: string; text: string; utf8: boolean };
}

function planFile(request: ScanRequest, file: string): Pending {
  const read = readWorkflowFile(request.workspace, file);
  if ('problem' in read)
    return { check: { file, findings: [], problem: { message: read.problem }, rewritten: false } };
  const parsed = parseWorkflow(read.text);
  if ('problem' in parsed) {
    const { line, message } = parsed.problem;
    const problem = { message: `it is not valid YAML: ${message}`, line };
    return { check: { file, findings: [], problem, rewritten: false } };
  }
  const result = rewriteWorkflow(read.text, { file, isGitHubRegistry: request.isGitHubRegistry });
  const check: FileCheck = { file, findings: result.findings, rewritten: false };
  if (!request.write || result.text === read.text) return { check };
  return { check, write: { path: read.path, text: result.text, utf8: read.utf8 } };
}

function writeFile(pending: Pending): FileCheck {
  const { check, write } = pending;
  if (!write) return check;
  const refusal = writeRefusal(write);
  if (refusal) return { ...check, unwritten: { message: refusal, failed: false } };
  const failure = writeWorkflowFile(write.path, write.text);
  if (failure) return { ...check, unwritten: { message: failure, failed: true } };
  return { ...check, rewritten: true };
}

export function checkFile(request: ScanRequest, file: string): FileCheck {
  return writeFile(planFile(request, file));
}

/** Every file read and its rewrite computed before any is written. */
export function checkWorkflows(request: ScanRequest): FileCheck[] {
  const planned = request.files.map((file) => planFile(request, file));
  return planned.map(writeFile);
}
