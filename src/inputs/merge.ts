/** What `merge` will read and write, decided from the inputs before anything is read or written. */
import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';
import { formatReference, repositoryOf, type Reference } from '../registry/index.js';
import { splitLines, type Inputs } from './index.js';
import { imageInput, requireOneTagSource, targetInput } from './references.js';
import { refuseLatestWithTags, resolveTags, tagsInput } from './tags.js';

/** One line of 'source': the reference, and the line as written (for messages). */
export interface MergeSource {
  ref: Reference;
  line: string;
}

export interface MergePlan {
  /** The images (or indexes of images) to merge, in the order given, each once. */
  sources: MergeSource[];
  /** The repository the index goes to (no tag). */
  image: Reference;
  /** The tags to write last; none: the index is put by digest only. */
  tags: string[];
  /** The repositories read, each once (pull access is proven on each). */
  repositories: Reference[];
}

const EXAMPLE = 'ghcr.io/OWNER/NAME@sha256:...';

/** One line of 'source': a reference on the index's registry, naming a tag or a digest. */
function sourceLine(line: string, registry: string): MergeSource {
  if (line.includes(',')) {
    throw new ActionError(
      `Input 'source' has the line '${line}', which holds a comma: merge reads one reference a line.`,
      `write each image on a line of its own, e.g. ${EXAMPLE}.`,
    );
  }
  const ref = imageInput(line, 'source', registry);
  if (ref.registry !== registry) {
    throw new ActionError(
      `Input 'source' lists '${line}', on ${ref.registry}, but the index is written to ${registry}: an index names images of its own registry only.`,
      `copy that image to ${registry} first (command: promote) and list the copy, or set 'registry' (and 'image') to ${ref.registry}.`,
    );
  }
  if (!ref.tag && !ref.digest) {
    throw new ActionError(
      `Input 'source' lists '${line}', which names no tag or digest.`,
      `add the image's digest (e.g. ${formatReference(ref)}@sha256:..., the digest output of publish with 'push: by-digest') or a tag.`,
    );
  }
  return { ref, line };
}

/** The 'source' lines as references: at least one, each on `registry`, duplicates dropped. */
export function mergeSources(value: string, registry: string): MergeSource[] {
  const lines = [...new Set(splitLines(value))];
  if (lines.length === 0) {
    throw new ActionError(
      "Input 'source' is empty: merge needs the per-platform images to put in the index.",
      `set 'source' to the images, one reference a line, e.g. ${EXAMPLE} for each platform.`,
    );
  }
  return lines.map((line) => sourceLine(line, registry));
}

/**
 * The tags to write: the 'tags' given, else the image's tag, else (with 'event-tags: true') the ones the event
 * calls for, as publish takes them; else none, and the index is put by digest only.
 */
function mergeTags(inputs: Inputs, target: Reference, image: Reference, context: RunContext): string[] {
  const given = tagsInput(inputs.tags, image);
  const explicit = given.length ? given : target.tag ? [target.tag] : [];
  if (!inputs.eventTags && explicit.length === 0 && inputs.latest !== 'auto') {
    throw new ActionError(
      `Input 'latest' is '${inputs.latest}', but merge takes no tags from the event unless 'event-tags' is true.`,
      "set 'event-tags: true' to tag the index as publish would, or remove 'latest'.",
    );
  }
  refuseLatestWithTags(explicit, inputs.latest, "remove 'tags' and set 'event-tags: true'");
  if (explicit.length || !inputs.eventTags) return explicit;
  return resolveTags([], image, context, inputs.latest);
}

export function mergePlan(inputs: Inputs, context: RunContext): MergePlan {
  const target = targetInput(inputs.image, 'image', inputs.registry);
  requireOneTagSource(target, inputs.tags);
  const image = { ...target, tag: undefined };
  const tags = mergeTags(inputs, target, image, context);
  const sources = mergeSources(inputs.source, inputs.registry);
  const repositories = new Map<string, Reference>();
  for (const { ref } of sources)
    repositories.set(repositoryOf(ref), { ...ref, tag: undefined, digest: undefined });
  return { sources, image, tags, repositories: [...repositories.values()] };
}
