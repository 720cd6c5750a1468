import { expect, it } from '@jest/globals';
import { join } from 'node:path';
import { runProgram } from '../support/exec.js';
import { describeWithStack } from '../support/stack.js';

// The README's demo command, run as a user would: it must publish, pull back by digest, run the image, and
// never show a secret.
const ROOT = join(import.meta.dirname ?? process.cwd(), '..', '..');

describeWithStack('examples/demo.sh', (stack) => {
  it('publishes examples/hello for a v1.2.3 tag push, pulls it back by digest, runs it, and logs out', async () => {
    const ran = await runProgram('bash', [join(ROOT, 'examples', 'demo.sh')], {
      env: { ...process.env, STACK_DIR: stack.dir },
    });
    expect(ran.code).toBe(0);
    const out = ran.stdout;
    expect(out).toMatch(/^tags=.*:1\.2\.3\\n {2}.*:1\.2\\n {2}.*:1\\n {2}.*:latest$/m);
    expect(out).toMatch(/^ref=127\.0\.0\.1:\d+\/octo-org\/hello-world@sha256:[0-9a-f]{64}$/m);
    expect(out).toContain('Hello from 1.2.3');
    expect(out).toContain('Logged docker out of');
    expect(out).toContain('<h2>Published');
    expect(out).not.toContain(stack.env.TOKEN_GHS_WRITE);
  });
});
