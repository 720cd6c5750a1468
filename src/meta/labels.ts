import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';

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

/**
 * `KEY=VALUE` items as a record (the value may contain '='; the key is trimmed and has no whitespace; a later
 * key wins; blank items are skipped). Anything else throws, naming `input` and quoting the item.
 */
export function parseKeyValues(lines: string[], input: string): Record<string, string> {
  const pairs = new Map<string, string>();
  for (const line of lines) {
    if (line.trim() === '') continue;
    const equals = line.indexOf('=');
    const key = equals < 0 ? '' : line.slice(0, equals).trim();
    if (equals < 0 || key === '' || /\s/.test(key)) {
      const why =
        equals < 0
          ? "it has no '='"
          : key === ''
            ? "it has no key before '='"
            : 'its key contains whitespace';
      throw new ActionError(
        `The item '${line}' of '${input}' is not KEY=VALUE: ${why}.`,
        `Write each item of '${input}' as KEY=VALUE, one per line (e.g. 'NAME=value'); the key has no spaces.`,
      );
    }
    pairs.set(key, line.slice(equals + 1));
  }
  // fromEntries defines own properties, so a key like '__proto__' stays a plain key.
  return Object.fromEntries(pairs);
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
