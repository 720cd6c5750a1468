import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerConfigCredentials } from '../../../src/docker/config.js';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A DOCKER_CONFIG folder holding config.json with the given content (a string is written as is). */
function configDir(content?: unknown): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'docker-config-unit-'));
  temps.push(dir);
  if (content !== undefined)
    writeFileSync(join(dir, 'config.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return { DOCKER_CONFIG: dir };
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const REGISTRY = 'registry.example.com:5000';

describe('dockerConfigCredentials', () => {
  it('decodes auths[registry].auth (base64 user:pass)', () => {
    const env = configDir({ auths: { [REGISTRY]: { auth: b64('octocat:s3cret') } } });
    expect(dockerConfigCredentials(REGISTRY, env)).toEqual({ username: 'octocat', password: 's3cret' });
  });

  it('reads username and password fields', () => {
    const env = configDir({ auths: { [REGISTRY]: { username: 'robot', password: 'pw' } } });
    expect(dockerConfigCredentials(REGISTRY, env)).toEqual({ username: 'robot', password: 'pw' });
  });

  it.each([`https://${REGISTRY}`, `https://${REGISTRY}/v1/`])('finds an entry stored under %s', (key) => {
    const env = configDir({ auths: { [key]: { auth: b64('user:pass') } } });
    expect(dockerConfigCredentials(REGISTRY, env)).toEqual({ username: 'user', password: 'pass' });
  });

  it('keeps everything after the first colon as the password', () => {
    const env = configDir({ auths: { [REGISTRY]: { auth: b64('user:pa:ss:word:') } } });
    expect(dockerConfigCredentials(REGISTRY, env)).toEqual({ username: 'user', password: 'pa:ss:word:' });
  });

  it('reads only the entry of the registry asked for', () => {
    const env = configDir({
      auths: { 'other.example.com': { auth: b64('other:x') }, [REGISTRY]: { auth: b64('mine:y') } },
    });
    expect(dockerConfigCredentials(REGISTRY, env)).toEqual({ username: 'mine', password: 'y' });
    expect(dockerConfigCredentials('third.example.com', env)).toBeUndefined();
  });

  it('is undefined without a config.json', () => {
    expect(dockerConfigCredentials(REGISTRY, configDir())).toBeUndefined();
  });

  it('is undefined for a config.json that is not JSON', () => {
    expect(dockerConfigCredentials(REGISTRY, configDir('{"auths": {'))).toBeUndefined();
    expect(dockerConfigCredentials(REGISTRY, configDir('null'))).toBeUndefined();
  });

  it('is undefined without an entry for the registry', () => {
    expect(dockerConfigCredentials(REGISTRY, configDir({}))).toBeUndefined();
    expect(dockerConfigCredentials(REGISTRY, configDir({ auths: {} }))).toBeUndefined();
    expect(
      dockerConfigCredentials(REGISTRY, configDir({ auths: { 'ghcr.io': { auth: b64('a:b') } } })),
    ).toBeUndefined();
  });

  it('is undefined when only a credential store or helper is configured', () => {
    expect(dockerConfigCredentials(REGISTRY, configDir({ credsStore: 'desktop' }))).toBeUndefined();
    expect(
      dockerConfigCredentials(
        REGISTRY,
        configDir({
          auths: { [REGISTRY]: {} },
          credsStore: 'osxkeychain',
          credHelpers: { [REGISTRY]: 'ecr' },
        }),
      ),
    ).toBeUndefined();
  });

  it('is undefined for an auth without a colon or without a user name', () => {
    expect(
      dockerConfigCredentials(REGISTRY, configDir({ auths: { [REGISTRY]: { auth: b64('nocolon') } } })),
    ).toBeUndefined();
    expect(
      dockerConfigCredentials(REGISTRY, configDir({ auths: { [REGISTRY]: { auth: b64(':pass') } } })),
    ).toBeUndefined();
  });
});
