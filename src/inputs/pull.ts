/** What `pull` will fetch, and where to, decided from the inputs before anything is fetched or written. */
import { hostPlatform, type Platform, type Reference } from '../registry/index.js';
import { destinationInput, type Destination } from './destination.js';
import type { Inputs } from './index.js';
import { platformInput } from './platform.js';
import { sourceInput } from './references.js';

export interface PullPlan {
  ref: Reference;
  /** The input the reference came from ('source' or 'image'), for messages. */
  input: string;
  destination: Destination;
  platform: Platform;
  /** Whether 'platform' was given (otherwise the runner's own is used). */
  platformAsked: boolean;
}

export function pullPlan(inputs: Inputs): PullPlan {
  const { ref, input } = sourceInput(inputs);
  const destination = destinationInput(inputs.destination);
  const platform = inputs.platform ? platformInput(inputs.platform, 'platform') : hostPlatform();
  return { ref, input, destination, platform, platformAsked: inputs.platform !== '' };
}
