import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFileCommands } from './action.js';

const FILES = { GITHUB_OUTPUT: 'output', GITHUB_STEP_SUMMARY: 'summary', GITHUB_STATE: 'state' } as const;
let dir: string | undefined;

/**
 * Runs `work` in-process with empty runner files ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, $GITHUB_STATE), as the
 * runner gives a step, and returns what it wrote there. For unit tests of the modules that report. The files
 * stay at one place for the test file (@actions/core remembers the summary's path).
 */
export async function withRunnerFiles(
  work: () => Promise<void> | void,
): Promise<{ outputs: Record<string, string>; summary: string; state: Record<string, string> }> {
  dir ??= mkdtempSync(join(tmpdir(), 'runner-files-'));
  for (const [name, file] of Object.entries(FILES)) {
    writeFileSync(join(dir, file), '');
    process.env[name] = join(dir, file);
  }
  await work();
  const read = (file: string) => readFileSync(join(dir ?? '', file), 'utf8');
  return {
    outputs: parseFileCommands(read('output')),
    summary: read('summary'),
    state: parseFileCommands(read('state')),
  };
}

/** Removes the runner files (afterAll). */
export function removeRunnerFiles(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
