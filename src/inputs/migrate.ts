/** The plan of command: migrate — the workflow files to check, decided (and refused) before anything is read. */
import type { RunContext } from '../context.js';
import { isGitHubRegistry } from '../github/registry.js';
import { selectWorkflowFiles } from '../workflows/files.js';
import type { ScanRequest } from '../workflows/scan.js';
import type { Inputs } from './index.js';

export interface MigratePlan extends ScanRequest {
  /** The 'workflows' input as given, for messages. */
  workflows: string;
}

export function migratePlan(inputs: Pick<Inputs, 'workflows' | 'write'>, context: RunContext): MigratePlan {
  return {
    workflows: inputs.workflows,
    workspace: context.workspace,
    files: selectWorkflowFiles(context.workspace, inputs.workflows),
    write: inputs.write,
    isGitHubRegistry: (host) => isGitHubRegistry(host, context),
  };
}
