import * as core from '@actions/core';

/**
 * The main/post handshake. The main step records what the post step must undo; the runner hands it back as
 * STATE_<name>. Never store a credential here: the state file is plain text on the runner.
 */
const KEYS = { ran: 'main-ran', loginRegistry: 'login-registry', logout: 'logout' } as const;

export interface PostState {
  mainRan: boolean;
  /** The registry docker was logged in to, or ''. */
  loginRegistry: string;
  logout: boolean;
}

export function markMainRan(): void {
  core.saveState(KEYS.ran, 'true');
}

export function saveLogin(registry: string, logout: boolean): void {
  core.saveState(KEYS.loginRegistry, registry);
  core.saveState(KEYS.logout, String(logout));
}

export function readPostState(): PostState {
  return {
    mainRan: core.getState(KEYS.ran) === 'true',
    loginRegistry: core.getState(KEYS.loginRegistry),
    logout: core.getState(KEYS.logout) !== 'false',
  };
}
