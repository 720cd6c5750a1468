import * as core from '@actions/core';
import { platformDigests, type Manifest } from '../registry/index.js';

/** The action's outputs (action.yml). The only place that calls core.setOutput. */
export type OutputName =
  | 'digest'
  | 'image-id'
  | 'image'
  | 'tags'
  | 'ref'
  | 'platform-digests'
  | 'platform'
  | 'metadata'
  | 'auth-method'
  | 'findings'
  | 'files'
  | 'deleted'
  | 'kept';

export function writeOutputs(outputs: Partial<Record<OutputName, string>>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) core.setOutput(name, value);
  }
}

/** The outputs of a command that wrote `manifest` to `repository` under the full references `tags`. */
export function writeWrittenOutputs(
  repository: string,
  manifest: Manifest,
  tags: string[],
  authMethod: string,
): void {
  writeOutputs({
    digest: manifest.digest,
    image: repository,
    tags: tags.join('\n'),
    ref: `${repository}@${manifest.digest}`,
    'platform-digests': JSON.stringify(platformDigests(manifest)),
    'auth-method': authMethod,
  });
}
