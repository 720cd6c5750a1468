/** migrate's work over the chosen files: read each (bounded), find, and with `write` rewrite it in place. */
import { readWorkflowFile, writeWorkflowFile } from './files.js';
import { parseWorkflow } from './parse.js';
import { rewriteWorkflow } from './rewrite.js';
import type { Finding } from './types.js';

export interface FileCheck {
  file: string;
  findings: Finding[];
  /** Why the file was not checked (too big, a link out, not YAML), with the YAML error's line. */
  problem?: { message: string; line?: number };
  rewritten: boolean;
}

export interface ScanRequest {
  workspace: string;
  files: string[];
  write: boolean;
  isGitHubRegistry: (host: string) => boolean;
}

export function checkFile(request: ScanRequest, file: string): FileCheck {
  const read = readWorkflowFile(request.workspace, file);
  if ('problem' in read) return { file, findings: [], problem: { message: read.problem }, rewritten: false };
  const parsed = parseWorkflow(read.text);
  if ('problem' in parsed) {
    const { line, message } = parsed.problem;
    return {
      file,
      findings: [],
      problem: { message: `it is not valid YAML: ${message}`, line },
      rewritten: false,
    };
  }
  const result = rewriteWorkflow(read.text, { file, isGitHubRegistry: request.isGitHubRegistry });
  const rewritten = request.write && result.text !== read.text;
  if (rewritten) writeWorkflowFile(read.path, result.text);
  return { file, findings: result.findings, rewritten };
}

export const checkWorkflows = (request: ScanRequest): FileCheck[] =>
  request.files.map((file) => checkFile(request, file));
