/** Running the builders' and docker's command lines through @actions/exec, with argv arrays (never a shell). */
import * as exec from '@actions/exec';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import { EOL } from 'node:os';
import { delimiter, join } from 'node:path';
import { ActionError } from './errors.js';

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ToolOptions {
  env?: Record<string, string>;
  input?: string;
  /** Keep the tool's output out of the log (for probes); failures still show their tail. */
  silent?: boolean;
  cwd?: string;
}

/**
 * Runs a tool; undefined when it is not installed. Never throws on a non-zero exit. What a tool prints is not the
 * action's to vouch for (docker prints a registry's error messages, a build prints what the Dockerfile runs): while
 * it runs, the runner's workflow commands are stopped with a one-time token, so no line it prints can act on the
 * runner (add a mask, set an output, write an annotation).
 */
export async function runTool(
  tool: string,
  args: string[],
  options: ToolOptions = {},
): Promise<ToolRun | undefined> {
  const token = options.silent ? undefined : randomUUID();
  if (token) process.stdout.write(`::stop-commands::${token}${EOL}`);
  try {
    const result = await exec.getExecOutput(tool, args, {
      env: options.env ? { ...(process.env as Record<string, string>), ...options.env } : undefined,
      input: options.input === undefined ? undefined : Buffer.from(options.input),
      ignoreReturnCode: true,
      silent: options.silent ?? false,
      cwd: options.cwd,
    });
    return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  } catch (error) {
    if (String(error).includes('Unable to locate executable file')) return undefined;
    throw error;
  } finally {
    if (token) process.stdout.write(`::${token}::${EOL}`);
  }
}

/** Whether an executable named `tool` is on PATH (as exec would find it), without running anything. */
export function onPath(tool: string): boolean {
  const names = process.platform === 'win32' ? [`${tool}.exe`, `${tool}.cmd`, tool] : [tool];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      try {
        const file = join(dir, name);
        if (statSync(file).isFile()) {
          accessSync(file, constants.X_OK);
          return true;
        }
      } catch {
        // not here
      }
    }
  }
  return false;
}

/** The last lines of what a tool said, for error messages. */
export function tail(run: ToolRun, lines = 6): string {
  return `${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-lines).join('\n');
}

/** Runs a tool that must succeed; a failure is an ActionError with the tool's last words and a fix. */
export async function mustRunTool(
  tool: string,
  args: string[],
  what: string,
  fix: string,
  options: ToolOptions = {},
): Promise<ToolRun> {
  const run = await runTool(tool, args, options);
  if (!run) throw new ActionError(`${what}: '${tool}' is not installed on this runner.`, fix);
  if (run.code !== 0) throw new ActionError(`${what} failed (exit ${run.code}):\n${tail(run)}`, fix);
  return run;
}
