import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { markMainRan, readPostState, saveLogin } from '../../src/state.js';
import { removeRunnerFiles, withRunnerFiles } from '../support/runner-files.js';

afterAll(removeRunnerFiles);
afterEach(() => {
  for (const name of Object.keys(process.env))
    if (name.startsWith('STATE_')) Reflect.deleteProperty(process.env, name);
});

describe('the main/post handshake', () => {
  it('saves what the post step must undo, which the runner hands back as STATE_<name>', async () => {
    const { state } = await withRunnerFiles(() => {
      markMainRan();
      saveLogin('ghcr.io', false);
    });
    expect(state).toEqual({ 'main-ran': 'true', 'login-registry': 'ghcr.io', logout: 'false' });
    for (const [name, value] of Object.entries(state)) process.env[`STATE_${name}`] = value;
    expect(readPostState()).toEqual({ mainRan: true, loginRegistry: 'ghcr.io', logout: false });
  });

  it('reads nothing saved as: the main step did not run, nothing to log out of, log out by default', () => {
    expect(readPostState()).toEqual({ mainRan: false, loginRegistry: '', logout: true });
  });
});
