/** docker login/logout for later steps; the secret goes on stdin, never in argv. */
import { runTool, tail } from '../tool.js';

export type LoginResult = { ok: true } | { ok: false; noDocker: boolean; reason: string };

/** `docker login REGISTRY -u USER --password-stdin`, the secret on stdin. */
export async function dockerLogin(registry: string, username: string, secret: string): Promise<LoginResult> {
  const ran = await runTool('docker', ['login', registry, '-u', username, '--password-stdin'], {
    input: secret,
    silent: true,
  });
  if (!ran) return { ok: false, noDocker: true, reason: 'no docker CLI on this runner' };
  if (ran.code !== 0) return { ok: false, noDocker: false, reason: tail(ran, 3).replace(/\n/g, ' ') };
  return { ok: true };
}

export async function dockerLogout(registry: string): Promise<LoginResult> {
  const ran = await runTool('docker', ['logout', registry], { silent: true });
  if (!ran) return { ok: false, noDocker: true, reason: 'no docker CLI on this runner' };
  if (ran.code !== 0) return { ok: false, noDocker: false, reason: tail(ran, 3).replace(/\n/g, ' ') };
  return { ok: true };
}
