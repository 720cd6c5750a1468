// What the cases need: the stack's facts, a runner environment for the bundle, skopeo as a fresh runner runs
// it (its blob-info cache emptied before each run), docker logged in, and the generated images.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { must } from './measure.mjs';

export const ROOT = join(import.meta.dirname, '..');

export function readStackEnv(dir) {
  const env = {};
  for (const line of readFileSync(join(dir, 'stack.env'), 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) env[match[1]] = match[2];
  }
  return env;
}

/** action.yml's defaults that hold no expression: the runner passes every declared default. */
function plainDefaults() {
  const { inputs } = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  return Object.fromEntries(
    Object.entries(inputs)
      .filter(([, spec]) => typeof spec.default === 'string' && !spec.default.includes('${{'))
      .map(([name, spec]) => [name, spec.default]),
  );
}

/** `node dist/index.js` as the runner starts it: fresh runner files, INPUT_* variables, the stack's GitHub. */
export function actionArgv(stack, work, inputs) {
  const dir = mkdtempSync(join(work, 'runner-'));
  for (const name of ['output', 'state', 'summary', 'env', 'path']) writeFileSync(join(dir, name), '');
  mkdirSync(join(dir, 'docker-config'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path'),
    RUNNER_TEMP: dir,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    DOCKER_HOST: stack.DOCKER_HOST,
    DOCKER_CONFIG: join(dir, 'docker-config'),
    GITHUB_REPOSITORY: stack.REPOSITORY,
    GITHUB_REPOSITORY_OWNER: stack.OWNER,
    GITHUB_ACTOR: stack.ACTOR,
    GITHUB_SERVER_URL: stack.GITHUB_API_URL,
    GITHUB_API_URL: stack.GITHUB_API_URL,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: join(ROOT, '__tests__', 'fixtures', 'events', 'push_main.json'),
    GITHUB_SHA: '4f6d3a1c2b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f',
    GITHUB_REF: 'refs/heads/main',
  };
  const all = { ...plainDefaults(), 'github-token': stack.TOKEN_GHS_WRITE, username: stack.ACTOR, ...inputs };
  for (const [name, value] of Object.entries(all)) env[`INPUT_${name.toUpperCase()}`] = value;
  return { argv: [process.execPath, join(ROOT, 'dist', 'index.js')], env };
}

/**
 * skopeo as on a fresh runner: run as an unprivileged user whose blob-info cache (under its own data folder)
 * is removed before every run. As root, skopeo would share /var/lib/containers/cache with everyone else.
 */
export function skopeoRunner(work) {
  const home = join(work, 'skopeo-home');
  mkdirSync(home, { recursive: true });
  chmodSync(work, 0o755);
  must(['chown', '65534:65534', home]);
  const env = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: home, XDG_RUNTIME_DIR: home };
  return {
    home,
    clearCache: () => rmSync(join(home, 'containers'), { recursive: true, force: true }),
    argv: (args) => ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'skopeo', ...args],
    env,
  };
}

/** A docker config logged in to the registries docker pushes to (not timed: a runner step would have done it). */
export function dockerEnv(stack, work, registries) {
  const config = join(work, 'docker-config');
  mkdirSync(config, { recursive: true });
  const env = { ...process.env, DOCKER_HOST: stack.DOCKER_HOST, DOCKER_CONFIG: config };
  for (const registry of registries)
    must(['docker', 'login', registry, '-u', stack.ACTOR, '--password-stdin'], {
      env,
      input: stack.TOKEN_GHS_WRITE,
    });
  return env;
}

/** A local docker image of one layer of `mib` MiB of random bytes (a "built image"); returns its name. */
export function importImage(work, docker, name, mib) {
  const dir = mkdtempSync(join(work, 'layer-'));
  must(['sh', '-c', `head -c ${Math.round(mib * 1024 * 1024)} /dev/urandom > "${dir}/data.bin"`]);
  must(['sh', '-c', `tar -C "${dir}" -c data.bin | docker import - "${name}"`], { env: docker });
  rmSync(dir, { recursive: true, force: true });
  return name;
}

/** Pushes a local image to `ref` (setup). */
export function pushImage(docker, local, ref) {
  must(['docker', 'tag', local, ref], { env: docker });
  must(['docker', 'push', '-q', ref], { env: docker });
}

export function freshDir(work, prefix) {
  const dir = mkdtempSync(join(work, prefix));
  chmodSync(dir, 0o777);
  return dir;
}

export { tmpdir };
