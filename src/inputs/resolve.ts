/** What `resolve` reads, decided from the inputs: an image, nothing written. */
import { ActionError } from '../errors.js';
import type { Reference } from '../registry/index.js';
import type { Inputs } from './index.js';
import { sourceInput } from './references.js';

export function resolveInput(inputs: Inputs): { ref: Reference; input: string } {
  // 'docker' is action.yml's default, which the runner passes to every step: only another value was asked for.
  if (inputs.destination && inputs.destination !== 'docker') {
    throw new ActionError(
      `Input 'destination' is '${inputs.destination}', but resolve writes nothing: 'destination' is for command: pull.`,
      "remove 'destination', or use 'command: pull' to fetch the image there.",
    );
  }
  return sourceInput(inputs);
}
