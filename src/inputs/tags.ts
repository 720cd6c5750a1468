/** The 'tags' input: the one rule for tags given by the user, for every command that writes tags. */
import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';
import { tagsFromEvent, type LatestMode } from '../meta/tags.js';
import {
  InvalidReferenceError,
  parseReference,
  repositoryOf,
  validateTag,
  type Reference,
} from '../registry/index.js';

function invalidTag(value: string, error: InvalidReferenceError): ActionError {
  return new ActionError(
    `The tag '${value}' in 'tags' is not valid: ${error.message}`,
    "Write a valid tag (e.g. '1.0' or 'latest'), or a full reference of the image with a tag.",
  );
}

/** A reference in 'tags' that names the image's own repository and a tag, or an error that says what is off. */
function tagOfReference(value: string, image: Reference): string {
  const repository = repositoryOf(image);
  let ref: Reference;
  try {
    ref = parseReference(value, { defaultRegistry: image.registry });
  } catch (error) {
    if (!(error instanceof InvalidReferenceError)) throw error;
    throw new ActionError(
      `The value '${value}' in 'tags' is neither a tag nor a valid image reference: ${error.message}`,
      `Write a short tag such as '1.0', or a full reference such as '${repository}:1.0'.`,
    );
  }
  if (repositoryOf(ref) !== repository) {
    throw new ActionError(
      `The value '${value}' in 'tags' names the repository '${repositoryOf(ref)}', not the image '${repository}'.`,
      `Write a short tag such as '1.0', or '${repository}:<tag>'; to publish to another repository, set 'image' ` +
        `(or run the action once more for it).`,
    );
  }
  if (ref.tag === undefined || ref.digest !== undefined) {
    const what = ref.tag === undefined ? 'has no tag' : 'carries a digest';
    throw new ActionError(
      `The value '${value}' in 'tags' ${what}; 'tags' lists the tags to give the image.`,
      `Write it as a tag alone (e.g. '1.0') or as '${repository}:<tag>', without '@sha256:...'.`,
    );
  }
  return ref.tag;
}

/** One item of 'tags' as a tag of `image`: a short tag, or a full reference of the same repository. */
function tagInput(value: string, image: Reference): string {
  if (/[/:@]/.test(value)) return tagOfReference(value, image);
  try {
    validateTag(value);
  } catch (error) {
    if (error instanceof InvalidReferenceError) throw invalidTag(value, error);
    throw error;
  }
  return value;
}

/**
 * The tags given in 'tags' for `image` (trimmed, blanks dropped, duplicates dropped with the first kept), each a
 * short tag or a full reference of the image's repository. Every one is checked before anything is written.
 */
export function tagsInput(values: string[], image: Reference): string[] {
  const given = values.map((value) => value.trim()).filter((value) => value !== '');
  return [...new Set(given.map((value) => tagInput(value, image)))];
}

/**
 * Refuses a `latest` other than auto when the tags are given (`explicit`): it only shapes the tags taken from the
 * event. `fromEvent` says how to take them from the event instead.
 */
export function refuseLatestWithTags(explicit: string[], latest: LatestMode, fromEvent: string): void {
  if (!explicit.length || latest === 'auto') return;
  throw new ActionError(
    `Input 'latest' is '${latest}', but the tags are given ('${explicit.join(', ')}'): 'latest' only shapes the tags taken from the event.`,
    `add latest to 'tags' yourself (or leave it out), and remove 'latest'; or ${fromEvent}.`,
  );
}

/**
 * The tags to publish `image` under: the explicit ones (short tags or full references of the same repository),
 * else the ones the event calls for. Duplicates dropped, first occurrence kept.
 */
export function resolveTags(
  explicit: string[],
  image: Reference,
  context: RunContext,
  latest: LatestMode = 'auto',
): string[] {
  const given = tagsInput(explicit, image);
  const tags = given.length > 0 ? given : tagsFromEvent(context, latest);
  if (tags.length === 0) {
    const on = context.ref === '' ? 'no ref' : `the ref '${context.ref}'`;
    throw new ActionError(
      `No tags to publish: the event '${context.eventName}' on ${on} calls for none.`,
      "Set the 'tags' input, e.g. 'tags: latest' or one tag per line.",
    );
  }
  return [...new Set(tags)];
}
