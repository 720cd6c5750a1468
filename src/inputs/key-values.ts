/** `KEY=VALUE` list inputs ('build-args', 'labels'). */
import { ActionError } from '../errors.js';

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
