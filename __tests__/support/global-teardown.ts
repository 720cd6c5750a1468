import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Stops the stand-in only when this test run started it (a stack started by hand or by .ci/run stays up). */
export default function globalTeardown(): void {
  if (process.env.STACK_STARTED_BY_JEST !== 'true') return;
  const root = join(import.meta.dirname ?? process.cwd(), '..', '..');
  spawnSync('bash', [join(root, 'stack', 'stop.sh')], { stdio: 'inherit', env: process.env });
}
