import { ActionError } from '../../src/errors.js';

/** The ActionError `run` throws; fails the test when it throws nothing or something else. */
export function actionErrorOf(run: () => unknown): ActionError {
  try {
    run();
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error('expected an ActionError, but nothing was thrown');
}
