/** Platform inputs ('platform' for pull, 'platforms' for publish): one rule, errors that name the input. */
import { ActionError } from '../errors.js';
import { parsePlatform, type Platform } from '../registry/index.js';

/** `os/architecture[/variant]` as a Platform; anything else fails naming the input, the value and the fix. */
export function platformInput(value: string, input: string): Platform {
  try {
    return parsePlatform(value);
  } catch (error) {
    throw new ActionError(
      `Input '${input}': ${error instanceof Error ? error.message : String(error)}.`,
      `correct '${input}' (e.g. linux/amd64, linux/arm64/v8 or windows/amd64).`,
    );
  }
}

/** Every item of a platform list checked, kept as given (builders take the text). */
export function platformsInput(values: string[], input: string): string[] {
  for (const value of values) platformInput(value, input);
  return values;
}
