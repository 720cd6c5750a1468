import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';
import type { Command, Inputs } from '../inputs/index.js';
import { cleanup } from './cleanup.js';
import { merge } from './merge.js';
import { migrate } from './migrate.js';
import { promote } from './promote.js';
import { publish } from './publish.js';
import { pull } from './pull.js';
import { resolve } from './resolve.js';

/** A command runs with validated inputs and reports through report/; it never calls core.setFailed. */
export type CommandHandler = (inputs: Inputs, context: RunContext) => Promise<void>;

/** Commands that this version implements. The others fail with a clear message instead of doing half a job. */
const handlers: Partial<Record<Command, CommandHandler>> = {
  publish,
  pull,
  resolve,
  promote,
  merge,
  migrate,
  cleanup,
};

export function handlerFor(command: Command): CommandHandler {
  const handler = handlers[command];
  if (!handler) {
    throw new ActionError(
      `The command '${command}' is not available in this version of the action yet.`,
      `see the capability table in the README for what this version can do, or pin a release that has '${command}'.`,
    );
  }
  return handler;
}
