/** What `promote` will copy, and to which tags, decided from the inputs before anything is read or written. */
import type { Reference } from '../registry/index.js';
import type { Inputs } from './index.js';
import { imageInput, requireOneTagSource, targetInput } from './references.js';
import { tagsInput } from './tags.js';

export interface PromotePlan {
  source: Reference;
  /** The repository to copy to (no tag). */
  destination: Reference;
  tags: string[];
}

export function promotePlan(inputs: Inputs): PromotePlan {
  const source = imageInput(inputs.source, 'source', inputs.registry);
  const target = targetInput(inputs.image, 'image', inputs.registry);
  requireOneTagSource(target, inputs.tags);
  const destination = { ...target, tag: undefined };
  const given = tagsInput(inputs.tags, destination);
  const tags = given.length ? given : [target.tag ?? source.tag ?? 'latest'];
  return { source, destination, tags };
}
