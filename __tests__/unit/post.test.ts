import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPost } from '../../src/post.js';

// The post step with the state the runner hands back (STATE_<name>), and a docker on PATH that records its argv.
const bin = mkdtempSync(join(tmpdir(), 'post-step-'));
const savedPath = process.env.PATH;
afterAll(() => rmSync(bin, { recursive: true, force: true }));
const savedDockerConfig = process.env.DOCKER_CONFIG;
afterEach(() => {
  process.env.PATH = savedPath;
  if (savedDockerConfig === undefined) delete process.env.DOCKER_CONFIG;
  else process.env.DOCKER_CONFIG = savedDockerConfig;
  for (const name of Object.keys(process.env))
    if (name.startsWith('STATE_')) Reflect.deleteProperty(process.env, name);
  jest.restoreAllMocks();
});

function dockerThatExits(code: number): void {
  writeFileSync(
    join(bin, 'docker'),
    `#!/bin/sh\necho "$@" >> "${bin}/argv"\necho "docker said no" >&2\nexit ${code}\n`,
  );
  chmodSync(join(bin, 'docker'), 0o755);
  rmSync(join(bin, 'argv'), { force: true });
  process.env.PATH = bin;
}

/** A DOCKER_CONFIG of this test's own holding `config`; returns the config file. */
function dockerConfig(config: unknown): string {
  const dir = mkdtempSync(join(bin, 'docker-config-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  process.env.DOCKER_CONFIG = dir;
  return join(dir, 'config.json');
}

async function post(state: Record<string, string>): Promise<string> {
  for (const [name, value] of Object.entries(state)) process.env[`STATE_${name}`] = value;
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  await runPost();
  return write.mock.calls.map(([chunk]) => String(chunk)).join('');
}

describe('the post step', () => {
  it('does nothing when the main step did not run, or logged nothing in', async () => {
    expect(await post({})).toContain('The main step did not run; nothing to clean up.');
    expect(await post({ 'main-ran': 'true' })).toContain('Nothing to clean up.');
  });

  it("stays logged in with 'logout: false'", async () => {
    dockerThatExits(0);
    dockerConfig({ auths: { 'ghcr.io': { auth: 'b2N0b2NhdDpzM2NyZXQ=' } } });
    const printed = await post({ 'main-ran': 'true', 'login-registry': 'ghcr.io', logout: 'false' });
    expect(printed).toContain('Staying logged in to ghcr.io (logout: false).');
    expect(() => readFileSync(join(bin, 'argv'))).toThrow();
  });

  it('logs docker out of the registry the main step logged in to: its entry removed, docker not run', async () => {
    dockerThatExits(0);
    const other = { auth: Buffer.from('someone:else').toString('base64') };
    const file = dockerConfig({
      auths: { 'ghcr.io': { auth: 'b2N0b2NhdDpzM2NyZXQ=' }, 'other.test': other },
    });
    const printed = await post({ 'main-ran': 'true', 'login-registry': 'ghcr.io', logout: 'true' });
    expect(printed).toContain('Logged docker out of ghcr.io.');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ auths: { 'other.test': other } });
    expect(existsSync(join(bin, 'argv'))).toBe(false);
  });

  it('runs docker logout when a credential store holds the login', async () => {
    dockerThatExits(0);
    dockerConfig({ credsStore: 'pass', auths: { 'ghcr.io': {} } });
    const printed = await post({ 'main-ran': 'true', 'login-registry': 'ghcr.io', logout: 'true' });
    expect(readFileSync(join(bin, 'argv'), 'utf8')).toBe('logout ghcr.io\n');
    expect(printed).toContain('Logged docker out of ghcr.io.');
  });

  it('removes a folder of build secret values a cancelled build left under RUNNER_TEMP, and nothing else', async () => {
    const saved = process.env.RUNNER_TEMP;
    const temp = mkdtempSync(join(tmpdir(), 'post-temp-'));
    mkdirSync(join(temp, 'ghcr-image-secrets-abc123'));
    writeFileSync(join(temp, 'ghcr-image-secrets-abc123', 'secret-0'), 'value');
    mkdirSync(join(temp, 'kept'));
    process.env.RUNNER_TEMP = temp;
    try {
      const printed = await post({});
      expect(readdirSync(temp)).toEqual(['kept']);
      expect(printed).toContain('Removed 1 leftover folder(s) of build secret values from RUNNER_TEMP.');
      expect(printed).toContain('The main step did not run');
    } finally {
      process.env.RUNNER_TEMP = saved;
      rmSync(temp, { recursive: true, force: true });
    }
    expect(existsSync(temp)).toBe(false);
  });

  it('warns, without failing, when the logout fails', async () => {
    dockerThatExits(1);
    dockerConfig({ credsStore: 'pass' });
    const printed = await post({ 'main-ran': 'true', 'login-registry': 'ghcr.io' });
    expect(printed).toContain('::warning::docker logout ghcr.io failed: docker said no');
  });
});
