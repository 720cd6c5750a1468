import * as core from '@actions/core';
import { handlerFor } from './commands/index.js';
import { readContext } from './context.js';
import { errorMessage } from './errors.js';
import { readInputs } from './inputs/index.js';
import { markMainRan } from './state.js';

/** The main step: read inputs, dispatch to the command, fail the step once with a message that names the fix. */
export async function run(): Promise<void> {
  try {
    markMainRan();
    const inputs = readInputs();
    const handler = await handlerFor(inputs.command);
    await handler(inputs, readContext());
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
