/** The work folder a build gets for its id, metadata and auth files: the run's own (RUNNER_TEMP), removed after. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** RUNNER_TEMP, or the system's temp folder outside a runner. */
export const runnerTempDir = (): string => process.env.RUNNER_TEMP || tmpdir();

/** Runs `work` with a new folder under RUNNER_TEMP (the system's temp folder outside a runner), removed after. */
export async function withWorkDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(runnerTempDir(), 'ghcr-image-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
