import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';
import { InvalidReferenceError, parseReference, repositoryOf, validateTag } from '../registry/reference.js';
import type { Reference } from '../registry/reference.js';

const MAX_TAG = 128;
/** Strict semver 2.0.0 with an optional leading 'v': major, minor, patch, pre-release, build metadata. */
const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
const TAG_RULE = "1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'";

/**
 * A valid tag made from any name: every character outside [A-Za-z0-9_.-] becomes '-', leading '.' and '-' are
 * dropped, the rest is cut to 128 characters. '' when nothing is left.
 */
export function sanitizeTag(name: string): string {
  return name
    .replace(/[^A-Za-z0-9_.-]/gu, '-')
    .replace(/^[.-]+/, '')
    .slice(0, MAX_TAG);
}

/** 'sha-' and the first 7 hex digits of the commit, or nothing without a commit. */
function shaTags(sha: string): string[] {
  return /^[0-9a-f]{7}/i.test(sha) ? [`sha-${sha.slice(0, 7).toLowerCase()}`] : [];
}

function branchTags(branch: string, context: RunContext): string[] {
  const name = branch === context.defaultBranch ? 'latest' : sanitizeTag(branch);
  return [...(name === '' ? [] : [name]), ...shaTags(context.sha)];
}

/**
 * Tags of a git tag: a release `v1.2.3` gives 1.2.3, 1.2, 1 and latest (no bare '0' for 0.x); a pre-release
 * or a version with build metadata gives only itself, without the 'v' and with '+' as '-'; any other name gives
 * itself, sanitized.
 */
function gitTagTags(name: string): string[] {
  const match = SEMVER.exec(name);
  if (!match) return [sanitizeTag(name)].filter((tag) => tag !== '');
  const [, major = '', minor = '', patch = '', preRelease, build] = match;
  if (preRelease !== undefined || build !== undefined) return [sanitizeTag(name.replace(/^v/, ''))];
  const version = `${major}.${minor}.${patch}`;
  return major === '0'
    ? [version, `${major}.${minor}`, 'latest']
    : [version, `${major}.${minor}`, major, 'latest'];
}

function pullRequestNumber(context: RunContext): number | undefined {
  if (context.pullRequestNumber !== undefined) return context.pullRequestNumber;
  const match = /^refs\/pull\/(\d+)\//.exec(context.ref);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The tags the triggering event calls for; empty when it calls for none (e.g. no ref). */
export function tagsFromEvent(context: RunContext): string[] {
  if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
    const number = pullRequestNumber(context);
    return number === undefined ? [] : [`pr-${number}`];
  }
  if (context.eventName === 'schedule') return ['nightly'];
  if (context.ref.startsWith('refs/heads/'))
    return branchTags(context.ref.slice('refs/heads/'.length), context);
  if (context.ref.startsWith('refs/tags/')) return gitTagTags(context.ref.slice('refs/tags/'.length));
  return [];
}

function invalidTag(value: string, error: InvalidReferenceError): ActionError {
  return new ActionError(
    `The tag '${value}' in 'tags' is not valid: ${error.message}`,
    `Write a tag of ${TAG_RULE} (e.g. '1.0' or 'latest'), or a full reference of the image with a tag.`,
  );
}

/** One item of the 'tags' input as a tag of `image`: a short tag, or a full reference of the same repository. */
function explicitTag(value: string, image: Reference): string {
  const repository = repositoryOf(image);
  if (!/[/:@]/.test(value)) {
    try {
      validateTag(value);
    } catch (error) {
      if (error instanceof InvalidReferenceError) throw invalidTag(value, error);
      throw error;
    }
    return value;
  }
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

/**
 * The tags to publish `image` under: the explicit ones (short tags or full references of the same repository),
 * else the ones the event calls for. Duplicates dropped, first occurrence kept.
 */
export function resolveTags(explicit: string[], image: Reference, context: RunContext): string[] {
  const values = explicit.map((value) => value.trim()).filter((value) => value !== '');
  const tags = values.length > 0 ? values.map((value) => explicitTag(value, image)) : tagsFromEvent(context);
  if (tags.length === 0) {
    const on = context.ref === '' ? 'no ref' : `the ref '${context.ref}'`;
    throw new ActionError(
      `No tags to publish: the event '${context.eventName}' on ${on} calls for none.`,
      "Set the 'tags' input, e.g. 'tags: latest' or one tag per line.",
    );
  }
  return [...new Set(tags)];
}
