import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Starts the local stand-in unless one is already running, and remembers whether it did so that the teardown
 * stops only what this run started. Exit 3 from the start script means a missing prerequisite (not root, no
 * apt): outside CI the integration tests then skip with that reason; with CI=true the run fails.
 */
// Self-contained: jest loads global setup without the project's module mapping, so no relative imports.
const stackDir = () => process.env.STACK_DIR || '/tmp/ghcr-image-action-stack';

export default function globalSetup(): void {
  const root = join(import.meta.dirname ?? process.cwd(), '..', '..');
  const script = (name: string) => join(root, 'stack', name);
  const env = { ...process.env, STACK_DIR: stackDir() };
  process.env.STACK_DIR = env.STACK_DIR;
  const running =
    existsSync(join(stackDir(), 'stack.env')) &&
    spawnSync('bash', [script('stop.sh'), '--check'], { env }).status === 0;
  if (running) return;

  const started = spawnSync('bash', [script('start.sh')], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  process.stderr.write(started.stderr ?? '');
  if (started.status === 0) {
    process.env.STACK_STARTED_BY_JEST = 'true';
    return;
  }
  const reason = (started.stderr ?? '').trim().split('\n').pop() || `stack/start.sh exited ${started.status}`;
  if (started.status === 3 && process.env.CI !== 'true') {
    process.env.STACK_SKIP_REASON = reason;
    return;
  }
  throw new Error(`The local stand-in did not start: ${reason}`);
}
