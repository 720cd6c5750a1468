import * as core from '@actions/core';
import { errorMessage } from './errors.js';
import { readPostState } from './state.js';

/** The post step (post-if: always()): undo what the main step left for later steps. */
export async function runPost(): Promise<void> {
  try {
    const state = readPostState();
    if (!state.mainRan) {
      core.info('The main step did not run; nothing to clean up.');
      return;
    }
    core.info('Nothing to clean up.');
  } catch (error) {
    // A failing cleanup must not hide the main step's result, but it must be seen.
    core.warning(`Post step: ${errorMessage(error)}`);
  }
}
