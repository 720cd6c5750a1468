import * as core from '@actions/core';

/**
 * The main/post handshake. The main step records what the post step must undo; the runner hands it back as
 * STATE_<name>. Never store a credential here: the state file is plain text on the runner.
 */
const KEYS = { ran: 'main-ran' } as const;

export interface PostState {
  mainRan: boolean;
}

export function markMainRan(): void {
  core.saveState(KEYS.ran, 'true');
}

export function readPostState(): PostState {
  return { mainRan: core.getState(KEYS.ran) === 'true' };
}
