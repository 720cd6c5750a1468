/**
 * Every docker CLI call the action makes, with argv arrays (never a shell) and secrets on stdin only. Builders
 * compute their argv; this module runs it.
 */
import * as core from '@actions/core';
import { ActionError } from '../errors.js';
import { removeLogin, storeLogin } from './config.js';
import { mustRunTool, onPath, runTool, tail, type ToolOptions, type ToolRun } from '../tool.js';

/**
 * What docker prints when the registry or the network failed in a way another try may mend: a 5xx or a 429
 * (docker itself retries neither a manifest PUT nor a 429 on a config or an upload), a dropped connection.
 */
const TRANSIENT =
  /HTTP status: (?:5\d\d|429)|HTTP 429|\b(?:500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out)\b|toomanyrequests|connection reset by peer|broken pipe|i\/o timeout|TLS handshake timeout|unexpected EOF/i;
/** Tries of a docker push or pull in all, and the waits between them. */
const DOCKER_WAITS_MS = [2000, 5000];

/**
 * Runs a docker command that talks to a registry; a transient failure (TRANSIENT) is tried again, twice, after
 * 2 s and 5 s. Anything else, or the third failure, is an ActionError with docker's last words and the fix.
 */
async function retryingDocker(
  args: string[],
  what: string,
  fix: string,
  options: ToolOptions = {},
): Promise<ToolRun> {
  for (let attempt = 1; ; attempt++) {
    const run = await runTool('docker', args, options);
    if (!run) throw new ActionError(`${what}: 'docker' is not installed on this runner.`, fix);
    if (run.code === 0) return run;
    const wait = DOCKER_WAITS_MS[attempt - 1];
    if (wait === undefined || !TRANSIENT.test(tail(run, 20))) {
      throw new ActionError(`${what} failed (exit ${run.code}):\n${tail(run)}`, fix);
    }
    core.info(`${what}: the registry or the network failed for now; trying again in ${wait / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

export type LoginResult = { ok: true } | { ok: false; noDocker: boolean; reason: string };

function loginResult(ran: ToolRun | undefined): LoginResult {
  if (!ran) return { ok: false, noDocker: true, reason: 'no docker CLI on this runner' };
  if (ran.code !== 0) return { ok: false, noDocker: false, reason: tail(ran, 3).replace(/\n/g, ' ') };
  return { ok: true };
}

/** `docker login REGISTRY -u USER --password-stdin`, the secret on stdin. */
export async function dockerLogin(registry: string, username: string, secret: string): Promise<LoginResult> {
  const args = ['login', registry, '-u', username, '--password-stdin'];
  return loginResult(await runTool('docker', args, { input: secret, silent: true }));
}

export async function dockerLogout(registry: string): Promise<LoginResult> {
  if (removeLogin(registry)) return { ok: true };
  return loginResult(await runTool('docker', ['logout', registry], { silent: true }));
}

/**
 * docker logged in to REGISTRY for later steps. Credentials the action has just proven against the registry go
 * into the docker config directly, as docker login stores them (no docker process, no requests: docker login
 * would only check them again). docker login runs when a credential helper must store them, or when nothing
 * proved them. Without a docker CLI, nothing is stored.
 */
export async function dockerLoginForLaterSteps(
  registry: string,
  credentials: { username: string; password: string },
  proven: boolean,
): Promise<LoginResult> {
  if (!onPath('docker')) return loginResult(undefined);
  if (proven && storeLogin(registry, credentials)) return { ok: true };
  return dockerLogin(registry, credentials.username, credentials.password);
}

/** Whether a daemon answers (undefined), or why not. */
export async function dockerDaemonProblem(): Promise<string | undefined> {
  const run = await runTool('docker', ['version', '--format', '{{.Server.Version}}'], { silent: true });
  return run?.code === 0 ? undefined : run ? 'no docker daemon answers' : 'there is no docker CLI';
}

/** The docker CLI's version, the daemon's, and the daemon's OS; undefined when no daemon answers. */
export async function dockerVersions(): Promise<{ client: string; server: string; os: string } | undefined> {
  const format = '{{.Client.Version}}|{{.Server.Version}}|{{.Server.Os}}';
  const run = await runTool('docker', ['version', '--format', format], { silent: true });
  if (run?.code !== 0) return undefined;
  const [client = '', server = '', os = ''] = run.stdout.trim().split('|');
  return { client, server, os };
}

/** Whether `docker buildx` is here (undefined), or why not. */
export async function buildxProblem(): Promise<string | undefined> {
  const run = await runTool('docker', ['buildx', 'version'], { silent: true });
  return run?.code === 0 ? undefined : run ? "'docker buildx' is not installed" : 'there is no docker CLI';
}

/** What `docker buildx inspect` says of the current builder ('' when it cannot say). */
export async function buildxInspect(): Promise<string> {
  return (await runTool('docker', ['buildx', 'inspect'], { silent: true }))?.stdout ?? '';
}

/** What a failed build's output means, when it is known, and its fix. */
export type BuildFailure = (output: string) => { what: string; fix: string } | undefined;

/**
 * Runs a build command line (`build ...` or `buildx build ...`); a failure names the fix, the one `explain`
 * finds in the output when it knows the failure.
 */
export async function dockerBuild(
  args: string[],
  what: string,
  env?: Record<string, string>,
  explain?: BuildFailure,
): Promise<void> {
  const run = await runTool('docker', args, { env });
  const fix = 'read the build log above; fix the Dockerfile or the inputs.';
  if (!run) throw new ActionError(`${what}: 'docker' is not installed on this runner.`, fix);
  if (run.code === 0) return;
  const known = explain?.(`${run.stdout}\n${run.stderr}`);
  const plainly = known ? ` ${known.what}.` : '';
  throw new ActionError(`${what} failed (exit ${run.code}):${plainly}\n${tail(run)}`, known?.fix ?? fix);
}

/** `docker push` prints `TAG: digest: sha256:... size: N` last. */
export function pushedDigest(output: string): string | undefined {
  return /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
}

/** Pushes one tag of a local image with docker (tried again on transient failures: layers are not sent twice). */
export async function dockerPush(reference: string): Promise<string | undefined> {
  const pushed = await retryingDocker(
    ['push', reference],
    `docker push ${reference}`,
    'read the output above; the push rights were proven before the build, so look for a network or registry failure.',
  );
  return pushedDigest(pushed.stdout);
}

/** `docker pull --quiet`, best effort (a cache source): whether it worked. */
export async function dockerPullQuietly(reference: string): Promise<boolean> {
  return (await runTool('docker', ['pull', '--quiet', reference], { silent: true }))?.code === 0;
}

/** `docker pull [--platform P] REFERENCE` (by digest: the same image on every try), which must succeed. */
export async function dockerPull(reference: string, platform: string | undefined): Promise<void> {
  await retryingDocker(
    ['pull', ...(platform ? ['--platform', platform] : []), reference],
    `docker pull ${reference}`,
    'read the output above; the digest was resolved and the credentials proven just before.',
  );
}

/** The image ID and repo digests docker holds for a reference. */
export async function dockerInspectImage(reference: string): Promise<{ id: string; repoDigests: string[] }> {
  const inspected = await mustRunTool(
    'docker',
    ['image', 'inspect', '--format', '{{.Id}} {{json .RepoDigests}}', reference],
    `docker image inspect ${reference}`,
    'run the job again.',
    { silent: true },
  );
  const [id = '', digestsJson = '[]'] = inspected.stdout.trim().split(' ');
  return { id, repoDigests: JSON.parse(digestsJson) as string[] };
}

/**
 * The ID of a local image given by name or ID, for the 'source' input; an error that names the input and the
 * fix when docker is missing or has no such image.
 */
export async function localImageId(source: string): Promise<string> {
  const inspected = await runTool('docker', ['image', 'inspect', '--format', '{{.Id}}', '--', source], {
    silent: true,
  });
  if (!inspected)
    throw new ActionError(
      `Input 'source' is '${source}', but there is no docker CLI here to read it from.`,
      'publish a local image on a runner with docker, or build it with this action.',
    );
  if (inspected.code !== 0) {
    throw new ActionError(
      `Input 'source' is '${source}', which is no image in the local docker store.`,
      "give the name or ID of an image built or pulled earlier in this job (see 'docker images'), or leave 'source' empty to build.",
    );
  }
  return inspected.stdout.trim();
}

/** `docker tag SOURCE TARGET`, which must succeed. */
export async function dockerTag(source: string, target: string, fix = 'run the job again.'): Promise<void> {
  await mustRunTool('docker', ['tag', source, target], `docker tag ${source}`, fix, { silent: true });
}

/** `docker save` of one image (by ID) to a file: a docker archive for the action's own upload. */
export async function dockerSave(imageId: string, file: string): Promise<void> {
  await mustRunTool(
    'docker',
    ['save', '--output', file, imageId],
    `docker save ${imageId}`,
    'check the disk space of the runner, then run the job again.',
    { silent: true },
  );
}
