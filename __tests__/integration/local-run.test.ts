import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference } from '../../src/registry/index.js';
import { parseFileCommands } from '../support/action.js';
import { mustRun, runProgram, type Ran } from '../support/exec.js';
import { makeImage, pushImage, stackClient, uniqueTag } from '../support/registry.js';
import { describeWithStack, type Stack } from '../support/stack.js';

// The local run as README, CONTRIBUTING and .env.example document it: copy .env.example, fill it in the way its
// comments say, run `bash scripts/local-run.sh .env` from the repository root, and read the outputs back.
const ROOT = join(import.meta.dirname ?? process.cwd(), '..', '..');

/** .env.example with some lines set: a line of that name is changed in place, a new name is added at the end. */
function fillEnvExample(dir: string, values: Record<string, string>): string {
  const lines = readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n');
  const left = new Map(Object.entries(values));
  const filled = lines.map((line) => {
    const name = /^([A-Za-z_][A-Za-z0-9_.-]*)=/.exec(line)?.[1];
    if (name === undefined || !left.has(name)) return line;
    const changed = `${name}=${left.get(name)}`;
    left.delete(name);
    return changed;
  });
  for (const [name, value] of left) filled.push(`${name}=${value}`);
  const file = join(dir, '.env');
  writeFileSync(file, filled.join('\n'));
  return file;
}

/** What a local run left: its exit, its log, and the outputs in the runner folder it printed. */
interface LocalRun extends Ran {
  outputs: Record<string, string>;
  summary: string;
  folder: string;
}

/** `bash scripts/local-run.sh .env` from the repository root, with the caller's environment given. */
async function localRun(envFile: string, callerEnv: NodeJS.ProcessEnv): Promise<LocalRun> {
  const ran = await runProgram('bash', ['scripts/local-run.sh', envFile], { cwd: ROOT, env: callerEnv });
  const folder = /^== runner files in (.+)$/m.exec(ran.stdout)?.[1] ?? '';
  const read = (name: string) =>
    folder && existsSync(join(folder, name)) ? readFileSync(join(folder, name), 'utf8') : '';
  return { ...ran, folder, outputs: parseFileCommands(read('output')), summary: read('summary') };
}

/** The .env lines that point a run at the stand-in, as the end of .env.example lists them. */
function standInValues(stack: Stack, dir: string): Record<string, string> {
  const e = stack.env;
  const dockerConfig = join(dir, 'docker-config');
  mkdirSync(dockerConfig, { recursive: true });
  return {
    INPUT_REGISTRY: e.REGISTRY_TOKEN,
    'INPUT_GITHUB-TOKEN': e.TOKEN_GHS_WRITE,
    GITHUB_SERVER_URL: e.GITHUB_API_URL,
    GITHUB_API_URL: e.GITHUB_API_URL,
    'INPUT_BUILD-ARGS': `BASE_IMAGE=${e.BASE_IMAGE}`,
    DOCKER_HOST: e.DOCKER_HOST,
    DOCKER_CONFIG: dockerConfig,
  };
}

describeWithStack('the documented local run: .env.example and scripts/local-run.sh', (stack) => {
  const e = stack.env;
  const seed = makeImage();
  const seeded = `${e.REGISTRY_TOKEN}/${e.OWNER}/local-run-${uniqueTag('r')}:1`;
  const dirs: string[] = [];
  /** A folder for one run: its .env, its TMPDIR (the runner files land here) and its docker config. */
  const newDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'local-run-'));
    dirs.push(dir);
    return dir;
  };
  const caller = (dir: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: dir,
    // A caller inside a workflow has runner variables of its own: they must not reach the local run.
    INPUT_COMMAND: 'pull',
    GITHUB_OUTPUT: join(dir, 'outer-output'),
  });

  beforeAll(async () => {
    await pushImage(stackClient(e).client, parseReference(seeded), seed);
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('resolves a tag on the stand-in: outputs back, post step run, no secret shown', async () => {
    const dir = newDir();
    const envFile = fillEnvExample(dir, {
      ...standInValues(stack, dir),
      INPUT_COMMAND: 'resolve',
      INPUT_SOURCE: seeded,
    });
    const run = await localRun(envFile, caller(dir));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.folder.startsWith(dir)).toBe(true);
    expect(run.outputs.digest).toBe(seed.manifest.digest);
    expect(run.outputs.ref).toBe(`${seeded.slice(0, seeded.lastIndexOf(':'))}@${seed.manifest.digest}`);
    expect(run.outputs['auth-method']).toBe('github-token');
    expect(run.stdout).toContain(`digest=${seed.manifest.digest}`);
    expect(run.stdout).toContain(`Logged docker out of ${e.REGISTRY_TOKEN}.`);
    expect(run.stdout).toContain('== main step exit code: 0');
    expect(run.stdout).not.toContain(e.TOKEN_GHS_WRITE);
    expect(existsSync(join(dir, 'outer-output'))).toBe(false);
  });

  it('builds examples/hello without pushing, as .env.example stands (push: false), with the stand-in values', async () => {
    const dir = newDir();
    const envFile = fillEnvExample(dir, standInValues(stack, dir));
    expect(readFileSync(envFile, 'utf8')).toMatch(/^INPUT_COMMAND=publish$/m);
    expect(readFileSync(envFile, 'utf8')).toMatch(/^INPUT_PUSH=false$/m);
    const run = await localRun(envFile, caller(dir));
    expect(run.code).toBe(0);
    expect(run.outputs['image-id']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs.tags).toBeUndefined(); // only tags written to the registry are listed
    const metadata = JSON.parse(run.outputs.metadata ?? '{}') as { written?: string[] };
    expect(metadata.written).toEqual([]);
    const docker = { env: { ...process.env, DOCKER_HOST: e.DOCKER_HOST } };
    const inspected = await mustRun(
      'docker',
      ['image', 'inspect', '--format', '{{.Id}}', run.outputs['image-id'] ?? ''],
      docker,
    );
    expect(inspected.stdout.trim()).toBe(run.outputs['image-id']);
    await mustRun('docker', ['rmi', '-f', run.outputs['image-id'] ?? ''], docker);
  });

  it("fails with the main step's exit code and message, and refuses a line that is not KEY=VALUE", async () => {
    const dir = newDir();
    const bad = await localRun(fillEnvExample(dir, { INPUT_COMMAND: 'bogus' }), caller(dir));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("::error::Input 'command' is 'bogus'");
    expect(bad.stdout).toContain('== main step exit code: 1');

    const broken = join(dir, 'broken.env');
    writeFileSync(broken, 'INPUT_COMMAND=resolve\nnot a variable\n');
    const refused = await localRun(broken, caller(dir));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("line 2 is not KEY=VALUE: 'not a variable'");
    expect(refused.stdout).toBe('');
  });
});
