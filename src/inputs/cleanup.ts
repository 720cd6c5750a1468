/**
 * What `cleanup` will keep and delete, as a policy decided from the inputs before anything is read: the package
 * (the image's repository), the tag patterns never deleted, how many recent tagged versions to keep, the age
 * below which nothing is deleted, whether untagged versions go, and whether this is a dry run.
 */
import { ActionError } from '../errors.js';
import { formatReference, type Reference } from '../registry/index.js';
import type { Inputs } from './index.js';
import { imageInput } from './references.js';

/** A keep-tags pattern: as written, and the test it stands for. */
export interface TagPattern {
  text: string;
  regex: RegExp;
}

export interface Age {
  /** As written, e.g. 30d. */
  text: string;
  ms: number;
}

export interface RetentionPolicy {
  keepTags: TagPattern[];
  keepLast: number;
  /** Only versions older than this are deleted; undefined: any age. */
  olderThan: Age | undefined;
  /** Delete untagged versions that nothing kept refers to. */
  untagged: boolean;
}

export interface CleanupPlan {
  /** The package's repository on the registry (no tag, no digest). */
  image: Reference;
  /** The package's owner (user or organization) and its name on GitHub (the path after the owner). */
  owner: string;
  name: string;
  policy: RetentionPolicy;
  dryRun: boolean;
}

/** `latest`, and tags that look like versions: 1, v1.2, 1.2.3, 1.2.3-rc.1. */
export const DEFAULT_KEEP_TAGS = ['latest', '/^v?[0-9]+(\\.[0-9]+){0,2}(-[0-9A-Za-z.-]+)?$/'];
export const DEFAULT_KEEP_LAST = 10;

const MAX_PATTERN = 200;
const UNITS: Record<string, { ms: number; word: string }> = {
  h: { ms: 3_600_000, word: 'hours' },
  d: { ms: 86_400_000, word: 'days' },
  w: { ms: 604_800_000, word: 'weeks' },
};

/** One keep-tags line: `/regex/`, or a tag with `*` (any run) and `?` (one character) wildcards. */
export function tagPattern(text: string): TagPattern {
  const bad = (why: string) =>
    new ActionError(
      `Input 'keep-tags' has the pattern '${text}', which ${why}.`,
      "write one pattern a line: a tag with * and ? wildcards (e.g. 'release-*'), or a regular expression between slashes (e.g. '/^v[0-9]+$/').",
    );
  if (text.length > MAX_PATTERN) throw bad(`is longer than ${MAX_PATTERN} characters`);
  if (text.length > 1 && text.startsWith('/') && text.endsWith('/')) {
    try {
      return { text, regex: new RegExp(text.slice(1, -1)) };
    } catch (error) {
      throw bad(`is not a regular expression (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (!/^[A-Za-z0-9_.\-*?]+$/.test(text)) {
    throw bad('holds characters no tag can have (tags are letters, digits, _ . and -)');
  }
  const source = text.replace(/[.]/g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.');
  return { text, regex: new RegExp(`^${source}$`) };
}

/** `older-than`: a whole number of hours, days or weeks (12h, 30d, 2w); '' means any age. */
export function parseAge(text: string): Age | undefined {
  if (text === '') return undefined;
  const match = /^([0-9]{1,6})\s*([hdw])$/.exec(text.trim());
  const unit = match?.[2] ? UNITS[match[2]] : undefined;
  if (!match || !unit) {
    throw new ActionError(
      `Input 'older-than' is '${text}', which is not an age.`,
      "write a whole number of hours, days or weeks, e.g. '12h', '30d' or '2w' (or leave it empty: any age).",
    );
  }
  return { text: `${match[1]}${match[2]}`, ms: Number(match[1]) * unit.ms };
}

/** `keep-last`: a whole number, 0 or more ('' = the default). */
export function parseKeepLast(text: string): number {
  if (text === '') return DEFAULT_KEEP_LAST;
  if (!/^[0-9]{1,6}$/.test(text)) {
    throw new ActionError(
      `Input 'keep-last' is '${text}', which is not a whole number of 0 or more.`,
      `set 'keep-last' to how many of the most recent tagged versions to keep, e.g. '10' (default ${DEFAULT_KEEP_LAST}; 0 keeps none by recency).`,
    );
  }
  return Number(text);
}

/** The package behind the image: OWNER/NAME on a registry, without tag or digest. */
function packageOf(inputs: Inputs): { image: Reference; owner: string; name: string } {
  if (!inputs.image) {
    throw new ActionError(
      "Input 'image' is empty: cleanup needs the package to tidy.",
      `set 'image' to the package's image, e.g. ${inputs.registry}/OWNER/NAME (no tag).`,
    );
  }
  const ref = imageInput(inputs.image, 'image', inputs.registry);
  if (ref.tag || ref.digest) {
    throw new ActionError(
      `Input 'image' is '${inputs.image}', which names a ${ref.digest ? 'digest' : 'tag'}: cleanup works on a whole package.`,
      `give 'image' without a tag or digest (${formatReference({ ...ref, tag: undefined, digest: undefined })}); say what to keep with 'keep-tags' and 'keep-last'.`,
    );
  }
  const [owner = '', ...rest] = ref.repository.split('/');
  if (rest.length === 0) {
    throw new ActionError(
      `Input 'image' is '${inputs.image}': a package is named OWNER/NAME, and '${ref.repository}' has no owner.`,
      `set 'image' to ${ref.registry}/OWNER/${ref.repository}.`,
    );
  }
  return { image: ref, owner, name: rest.join('/') };
}

export function cleanupPlan(inputs: Inputs): CleanupPlan {
  const { image, owner, name } = packageOf(inputs);
  const lines = inputs.keepTags.length ? inputs.keepTags : DEFAULT_KEEP_TAGS;
  return {
    image,
    owner,
    name,
    policy: {
      keepTags: lines.map(tagPattern),
      keepLast: parseKeepLast(inputs.keepLast),
      olderThan: parseAge(inputs.olderThan),
      untagged: inputs.untagged,
    },
    dryRun: inputs.dryRun,
  };
}
