import { describe, expect, it } from '@jest/globals';
import { runMain, runnerEnv, runPostStep } from '../support/action.js';

// The committed bundle, run the way the runner runs it. No stack needed.
describe('dist/index.js and dist/post/index.js', () => {
  it('fails on an unknown command with a message that names the value and the fix, and the post step copes', async () => {
    const env = runnerEnv();
    const main = await runMain({ command: 'deploy' }, env);
    expect(main.code).toBe(1);
    expect(main.stdout).toContain("::error::Input 'command' is 'deploy'");
    expect(main.stdout).toContain('Fix: set');
    expect(main.state['main-ran']).toBe('true');

    const post = await runPostStep({}, main.state, env);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('Nothing to clean up.');
  });

  it('post step alone (main never ran) exits 0 and does nothing', async () => {
    const post = await runPostStep({}, {});
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('The main step did not run');
  });
});
