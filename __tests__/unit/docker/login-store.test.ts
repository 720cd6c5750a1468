import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerConfigCredentials, removeLogin, storeLogin } from '../../../src/docker/config.js';

const temps: string[] = [];
// A PATH without credential helpers (docker would pick one found there by itself); a test puts one there.
const savedPath = process.env.PATH;
beforeAll(() => {
  const empty = mkdtempSync(join(tmpdir(), 'docker-login-store-path-'));
  temps.push(empty);
  process.env.PATH = empty;
});
afterAll(() => {
  process.env.PATH = savedPath;
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const REGISTRY = 'ghcr.example.test';
const CREDS = { username: 'octocat', password: 'ghs_SENTINELstore' };
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A DOCKER_CONFIG folder, with config.json holding `content` when given (a string is written as is). */
function configDir(content?: unknown): { env: NodeJS.ProcessEnv; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'docker-login-store-'));
  temps.push(dir);
  const file = join(dir, 'config.json');
  if (content !== undefined)
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return { env: { DOCKER_CONFIG: dir }, file };
}

const read = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('storeLogin', () => {
  it('writes the auths entry docker login writes, in a private file docker reads back', () => {
    const { env, file } = configDir();
    expect(storeLogin(REGISTRY, CREDS, env)).toBe(true);
    expect(read(file)).toEqual({ auths: { [REGISTRY]: { auth: b64('octocat:ghs_SENTINELstore') } } });
    expect(lstatSync(file).mode & 0o777).toBe(0o600);
    expect(dockerConfigCredentials(REGISTRY, env)).toEqual(CREDS);
  });

  it('creates the config folder when there is none', () => {
    const { env } = configDir();
    const nested = { DOCKER_CONFIG: join(env.DOCKER_CONFIG as string, 'not', 'yet') };
    expect(storeLogin(REGISTRY, CREDS, nested)).toBe(true);
    expect(dockerConfigCredentials(REGISTRY, nested)).toEqual(CREDS);
  });

  it("keeps every other key and every other registry's login, and replaces its own", () => {
    const other = { auth: b64('someone:else') };
    const { env, file } = configDir({
      auths: { 'other.test': other, [REGISTRY]: { auth: b64('old:login') } },
      credHelpers: { 'ecr.test': 'ecr-login' },
      proxies: { default: { httpProxy: 'http://proxy.test:3128' } },
    });
    expect(storeLogin(REGISTRY, CREDS, env)).toBe(true);
    expect(read(file)).toEqual({
      auths: { 'other.test': other, [REGISTRY]: { auth: b64('octocat:ghs_SENTINELstore') } },
      credHelpers: { 'ecr.test': 'ecr-login' },
      proxies: { default: { httpProxy: 'http://proxy.test:3128' } },
    });
  });

  it.each([
    ['a credential store', { credsStore: 'desktop' }],
    ['a credential helper for the registry', { credHelpers: { [REGISTRY]: 'pass' } }],
    ['a file that is not JSON', '{ not json'],
    ['JSON that is not an object', '[]'],
  ])('leaves the login to docker (false, nothing written) with %s', (_what, content) => {
    const { env, file } = configDir(content);
    const before = readFileSync(file, 'utf8');
    expect(storeLogin(REGISTRY, CREDS, env)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it.each(['docker.io', 'index.docker.io', 'registry-1.docker.io'])(
    "leaves Docker Hub's login (%s) to docker: it keeps it under its legacy index URL",
    (hub) => {
      const { env, file } = configDir();
      expect(storeLogin(hub, CREDS, env)).toBe(false);
      expect(existsSync(file)).toBe(false);
    },
  );

  it('leaves the login to docker when a credential store docker picks by itself is on PATH', () => {
    const bin = mkdtempSync(join(tmpdir(), 'docker-login-store-bin-'));
    temps.push(bin);
    writeFileSync(join(bin, 'docker-credential-secretservice'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${saved ?? ''}`;
    try {
      const { env, file } = configDir();
      expect(storeLogin(REGISTRY, CREDS, env)).toBe(false);
      expect(existsSync(file)).toBe(false);
    } finally {
      process.env.PATH = saved;
    }
  });

  it('leaves a config that is a dangling symbolic link to docker', () => {
    const { env, file } = configDir();
    symlinkSync(join(tmpdir(), 'no-such-docker-config.json'), file);
    expect(storeLogin(REGISTRY, CREDS, env)).toBe(false);
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
  });

  it('leaves a config that is a symbolic link to docker', () => {
    const target = configDir({ auths: {} });
    const { env, file } = configDir();
    symlinkSync(target.file, file);
    expect(storeLogin(REGISTRY, CREDS, env)).toBe(false);
    expect(read(target.file)).toEqual({ auths: {} });
  });
});

describe('removeLogin', () => {
  it("removes only the registry's entry", () => {
    const other = { auth: b64('someone:else') };
    const { env, file } = configDir({ auths: { 'other.test': other }, currentContext: 'default' });
    expect(storeLogin(REGISTRY, CREDS, env)).toBe(true);
    expect(removeLogin(REGISTRY, env)).toBe(true);
    expect(read(file)).toEqual({ auths: { 'other.test': other }, currentContext: 'default' });
    expect(readFileSync(file, 'utf8')).not.toContain(b64('octocat:ghs_SENTINELstore'));
  });

  it('has nothing to do without a config or an entry', () => {
    expect(removeLogin(REGISTRY, configDir().env)).toBe(true);
    const { env, file } = configDir({ auths: {} });
    expect(removeLogin(REGISTRY, env)).toBe(true);
    expect(read(file)).toEqual({ auths: {} });
  });

  it('leaves the logout to docker with a credential store', () => {
    const { env } = configDir({ credsStore: 'pass', auths: { [REGISTRY]: {} } });
    expect(removeLogin(REGISTRY, env)).toBe(false);
  });
});
