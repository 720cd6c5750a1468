/**
 * Where the private folder of build secret values goes, and how it is removed when the normal `finally` cannot
 * run: on SIGINT/SIGTERM (a cancelled run) and, as a last resort, by the post step (post-if: always()).
 */
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { ActionError } from '../errors.js';
import { runnerTempDir } from './workdir.js';

/** The prefix of the private folder (the post step and tests look for what is left of it). */
export const SECRETS_FOLDER_PREFIX = 'ghcr-image-secrets-';

const real = (path: string): string => (existsSync(path) ? realpathSync(path) : resolve(path));

/** Whether `folder` is `context` or inside it (real paths: a link to RUNNER_TEMP is RUNNER_TEMP). */
function within(folder: string, context: string): boolean {
  const [inner, outer] = [real(folder), real(context)];
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/**
 * A new private folder outside the build context, else `COPY . .` would copy the values into the image: under
 * RUNNER_TEMP, else the system's temp folder; refused when the context holds both.
 */
export function makeSecretsFolder(context: string): string {
  const parent = [runnerTempDir(), tmpdir()].find((dir) => !within(dir, context));
  if (!parent)
    throw new ActionError(
      `The build context '${context}' holds both RUNNER_TEMP and the system's temp folder, where the build secret values would be written: a COPY of the context could copy them into the image.`,
      "set 'context' to the folder of the sources (e.g. '.' or a subfolder of the workspace).",
    );
  return mkdtempSync(join(parent, SECRETS_FOLDER_PREFIX));
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

/**
 * Runs `work` with handlers that remove `folder` on SIGINT/SIGTERM, then exit with 128 + the signal's number as
 * Node does by default, unless another handler of the process owns the signal; the handlers go after `work`.
 */
export async function removedOnSignal<T>(folder: string, work: () => Promise<T>): Promise<T> {
  const handlers = Object.entries(SIGNALS).map(([signal, number]) => {
    const handler = (): void => {
      rmSync(folder, { recursive: true, force: true });
      process.off(signal, handler);
      if (process.listenerCount(signal) === 0) process.exit(128 + number);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  try {
    return await work();
  } finally {
    for (const off of handlers) off();
  }
}

/** Removes every private folder left under `dir` (a cancelled build); returns how many there were. */
export function removeLeftoverSecrets(dir: string): number {
  const left = existsSync(dir)
    ? readdirSync(dir).filter((name) => name.startsWith(SECRETS_FOLDER_PREFIX))
    : [];
  for (const name of left) rmSync(join(dir, name), { recursive: true, force: true });
  return left.length;
}
