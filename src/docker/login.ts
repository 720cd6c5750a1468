/** docker login/logout for later steps, through @actions/exec with argv arrays; the secret goes on stdin. */
import * as exec from '@actions/exec';

export type LoginResult = { ok: true } | { ok: false; noDocker: boolean; reason: string };

async function docker(args: string[], input?: string): Promise<{ code: number; output: string } | undefined> {
  try {
    const result = await exec.getExecOutput('docker', args, {
      input: input === undefined ? undefined : Buffer.from(input),
      ignoreReturnCode: true,
      silent: true,
    });
    return { code: result.exitCode, output: `${result.stdout}\n${result.stderr}`.trim() };
  } catch (error) {
    if (String(error).includes('Unable to locate executable file')) return undefined;
    throw error;
  }
}

/** `docker login REGISTRY -u USER --password-stdin`, the secret on stdin (never in argv). */
export async function dockerLogin(registry: string, username: string, secret: string): Promise<LoginResult> {
  const ran = await docker(['login', registry, '-u', username, '--password-stdin'], secret);
  if (!ran) return { ok: false, noDocker: true, reason: 'no docker CLI on this runner' };
  if (ran.code !== 0)
    return { ok: false, noDocker: false, reason: ran.output.split('\n').slice(-3).join(' ') };
  return { ok: true };
}

export async function dockerLogout(registry: string): Promise<LoginResult> {
  const ran = await docker(['logout', registry]);
  if (!ran) return { ok: false, noDocker: true, reason: 'no docker CLI on this runner' };
  if (ran.code !== 0) return { ok: false, noDocker: false, reason: ran.output };
  return { ok: true };
}
