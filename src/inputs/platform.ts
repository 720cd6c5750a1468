/** Platform inputs ('platform' for pull, 'platforms' for publish): one rule, errors that name the input. */
import { ActionError } from '../errors.js';
import { formatPlatform, parsePlatform, type Platform } from '../registry/index.js';

/** `os/architecture[/variant]` as a Platform; anything else fails naming the input, the value and the fix. */
export function platformInput(value: string, input: string): Platform {
  try {
    // Platforms are lower case (LINUX/ARM64 is linux/arm64).
    return parsePlatform(value.toLowerCase());
  } catch {
    // The message quotes the value as it was given.
    let why = `Invalid platform '${value}'`;
    try {
      parsePlatform(value);
    } catch (error) {
      why = error instanceof Error ? error.message : String(error);
    }
    throw new ActionError(
      `Input '${input}': ${why}.`,
      `correct '${input}' (e.g. linux/amd64, linux/arm64/v8 or windows/amd64).`,
    );
  }
}

/** Every item of a platform list checked and written the standard way (builders take the text). */
export function platformsInput(values: string[], input: string): string[] {
  return values.map((value) => formatPlatform(platformInput(value, input)));
}
