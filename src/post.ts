import * as core from '@actions/core';
import { dockerLogout } from './docker/cli.js';
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
    if (!state.loginRegistry) {
      core.info('Nothing to clean up.');
      return;
    }
    if (!state.logout) {
      core.info(`Staying logged in to ${state.loginRegistry} (logout: false).`);
      return;
    }
    const result = await dockerLogout(state.loginRegistry);
    if (result.ok) core.info(`Logged docker out of ${state.loginRegistry}.`);
    else core.warning(`docker logout ${state.loginRegistry} failed: ${result.reason}`);
  } catch (error) {
    // A failing cleanup must not hide the main step's result, but it must be seen.
    core.warning(`Post step: ${errorMessage(error)}`);
  }
}
