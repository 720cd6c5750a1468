import type { RunContext } from '../context.js';

/** The label that links a ghcr.io package to its repository. */
export const SOURCE_LABEL = 'org.opencontainers.image.source';

const PREFIX = 'org.opencontainers.image.';
/** ghcr.io shows at most this many characters of a description and of a licence expression. */
const MAX_DESCRIPTION = 512;
const MAX_LICENSES = 256;
const VERSION_LIKE = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** The first `max` characters (code points, so a surrogate pair is never split). */
function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max).join('');
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function nonEmptyString(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * The OCI labels every image gets: source (links the package to the repository), url, revision, created,
 * version, title, and description and licences from the event's repository. Empty values are left out.
 */
export function defaultLabels(
  context: RunContext,
  options: { version: string; created: Date },
): Record<string, string> {
  const repository = context.payload.repository;
  const spdx = nonEmptyString(field(field(repository, 'license'), 'spdx_id'));
  const url = context.repository === '' ? '' : `${context.serverUrl}/${context.repository}`;
  const entries: [string, string][] = [
    ['source', url],
    ['url', url],
    ['revision', context.sha],
    ['created', options.created.toISOString()],
    ['version', options.version],
    ['title', context.repository.split('/')[1] ?? ''],
    ['description', cut(nonEmptyString(field(repository, 'description')), MAX_DESCRIPTION)],
    ['licenses', spdx === 'NOASSERTION' ? '' : cut(spdx, MAX_LICENSES)],
  ];
  return Object.fromEntries(
    entries.filter(([, value]) => value !== '').map(([key, value]) => [`${PREFIX}${key}`, value]),
  );
}

/** The default labels with the user's on top: a user label replaces a default of the same key. */
export function mergeLabels(
  defaults: Record<string, string>,
  user: Record<string, string>,
): Record<string, string> {
  return { ...defaults, ...user };
}

/** The first tag that looks like a version (x.y.z, optional pre-release), else the first tag, else ''. */
export function versionFromTags(tags: string[]): string {
  return tags.find((tag) => VERSION_LIKE.test(tag)) ?? tags[0] ?? '';
}

/**
 * The image's creation time: SOURCE_DATE_EPOCH when set, else the pushed commit's time, else now. A time fixed
 * by the commit lets an unchanged rebuild give the same image, digest included.
 */
export function buildTime(context: RunContext, env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = Number(env.SOURCE_DATE_EPOCH);
  if (env.SOURCE_DATE_EPOCH && Number.isFinite(epoch)) return new Date(epoch * 1000);
  const commit = context.payload.head_commit as { timestamp?: unknown } | undefined;
  const time = typeof commit?.timestamp === 'string' ? new Date(commit.timestamp) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : new Date();
}
