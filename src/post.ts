import * as core from '@actions/core';
import { removeLeftoverSecrets } from './build/secrets-cleanup.js';
import { dockerLogout } from './docker/cli.js';
import { errorMessage } from './errors.js';
import { readPostState } from './state.js';

/** The post step (post-if: always()): undo what the main step left for later steps. */
export async function runPost(): Promise<void> {
  removeSecrets();
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

/** A build cancelled mid-way (or killed) may leave its private folder of secret values under RUNNER_TEMP. */
function removeSecrets(): void {
  try {
    // RUNNER_TEMP only: the system's temp folder may be shared with other jobs whose builds still run.
    const temp = process.env.RUNNER_TEMP;
    const removed = temp ? removeLeftoverSecrets(temp) : 0;
    if (removed > 0)
      core.info(`Removed ${removed} leftover folder(s) of build secret values from RUNNER_TEMP.`);
  } catch (error) {
    core.warning(
      `Post step: could not remove a leftover folder of build secret values: ${errorMessage(error)}`,
    );
  }
}
