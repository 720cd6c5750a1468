import type { RunContext } from '../context.js';
import { MAX_TAG_LENGTH } from '../registry/index.js';

/** Strict semver 2.0.0 with an optional leading 'v': major, minor, patch, pre-release, build metadata. */
const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/**
 * A valid tag made from any name: every character outside [A-Za-z0-9_.-] becomes '-', leading '.' and '-' are
 * dropped, the rest is cut to 128 characters. '' when nothing is left.
 */
export function sanitizeTag(name: string): string {
  return name
    .replace(/[^A-Za-z0-9_.-]/gu, '-')
    .replace(/^[.-]+/, '')
    .slice(0, MAX_TAG_LENGTH);
}

/** 'sha-' and the first 7 hex digits of the commit, or nothing without a commit. */
function shaTags(sha: string): string[] {
  return /^[0-9a-f]{7}/i.test(sha) ? [`sha-${sha.slice(0, 7).toLowerCase()}`] : [];
}

function branchTags(branch: string, context: RunContext, latest: LatestMode): string[] {
  const name = branch === context.defaultBranch && latest !== 'false' ? 'latest' : sanitizeTag(branch);
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

/** auto: latest where the rules above put it; true: on every event's tags; false: never. */
export type LatestMode = 'auto' | 'true' | 'false';

function eventTags(context: RunContext, latest: LatestMode): string[] {
  if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
    const number = pullRequestNumber(context);
    return number === undefined ? [] : [`pr-${number}`];
  }
  if (context.eventName === 'schedule') return ['nightly'];
  if (context.ref.startsWith('refs/heads/'))
    return branchTags(context.ref.slice('refs/heads/'.length), context, latest);
  if (context.ref.startsWith('refs/tags/')) return gitTagTags(context.ref.slice('refs/tags/'.length));
  return [];
}

/**
 * The tags the triggering event calls for; empty when it calls for none (e.g. no ref). `latest` moves the
 * latest tag: auto as the rules say (the default branch, a vX.Y.Z release), true adds it to any event's tags,
 * false leaves it out (the default branch is tagged with its name instead).
 */
export function tagsFromEvent(context: RunContext, latest: LatestMode = 'auto'): string[] {
  const tags = eventTags(context, latest);
  if (latest === 'false') return tags.filter((tag) => tag !== 'latest');
  if (latest === 'true' && tags.length > 0 && !tags.includes('latest')) return [...tags, 'latest'];
  return tags;
}
