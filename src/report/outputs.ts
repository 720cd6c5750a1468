import * as core from '@actions/core';

/** The action's outputs (action.yml). The only place that calls core.setOutput. */
export type OutputName =
  | 'digest'
  | 'image-id'
  | 'image'
  | 'tags'
  | 'ref'
  | 'platform-digests'
  | 'metadata'
  | 'auth-method'
  | 'findings'
  | 'files';

export function writeOutputs(outputs: Partial<Record<OutputName, string>>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) core.setOutput(name, value);
  }
}
