import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';
import type { Command, Inputs } from '../inputs/index.js';

/** A command runs with validated inputs and reports through report/; it never calls core.setFailed. */
export type CommandHandler = (inputs: Inputs, context: RunContext) => Promise<void>;

/**
 * Commands that this version implements, each loaded when it runs: the bundler makes every dynamic import a
 * chunk of its own, so a resolve does not parse the builders, the workflow YAML reader or the cache SDK.
 * The others fail with a clear message instead of doing half a job.
 */
const handlers: Partial<Record<Command, () => Promise<CommandHandler>>> = {
  publish: async () => (await import('./publish.js')).publish,
  pull: async () => (await import('./pull.js')).pull,
  resolve: async () => (await import('./resolve.js')).resolve,
  promote: async () => (await import('./promote.js')).promote,
  merge: async () => (await import('./merge.js')).merge,
  migrate: async () => (await import('./migrate.js')).migrate,
  cleanup: async () => (await import('./cleanup.js')).cleanup,
};

export async function handlerFor(command: Command): Promise<CommandHandler> {
  const load = handlers[command];
  if (!load) {
    throw new ActionError(
      `The command '${command}' is not available in this version of the action yet.`,
      `see the capability table in the README for what this version can do, or pin a release that has '${command}'.`,
    );
  }
  return load();
}
