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

describe('credential helpers (real docker-credential-* programs on PATH)', () => {
  /**
   * A folder on PATH holding `docker-credential-<name>` scripts that speak the helper protocol: the server on
   * stdin, JSON on stdout, exit 1 when they know nothing. Each logs the servers it was asked about.
   */
  function helpers(answers: Record<string, Record<string, { Username: string; Secret: string }>>) {
    const dir = mkdtempSync(join(tmpdir(), 'credential-helpers-'));
    temps.push(dir);
    for (const [name, byServer] of Object.entries(answers)) {
      const cases = Object.entries(byServer)
        .map(
          ([server, answer]) =>
            `  '${server}') echo '${JSON.stringify({ ServerURL: server, ...answer })}' ;;`,
        )
        .join('\n');
      const script = `#!/bin/sh\n[ "$1" = get ] || exit 2\nread -r server\necho "$server" >> "${dir}/${name}.log"\ncase "$server" in\n${cases}\n  *) echo 'credentials not found in native keychain'; exit 1 ;;\nesac\n`;
      writeFileSync(join(dir, `docker-credential-${name}`), script, { mode: 0o755 });
    }
    return { dir, PATH: `${dir}:${process.env.PATH ?? ''}` };
  }

  it("asks the registry's own helper (credHelpers) first, with the host on stdin", () => {
    const path = helpers({ team: { [REGISTRY]: { Username: 'robot', Secret: 'from-helper' } } });
    const env = {
      ...configDir({ credHelpers: { [REGISTRY]: 'team' }, auths: { [REGISTRY]: { auth: b64('u:p') } } }),
      PATH: path.PATH,
    };
    expect(dockerConfigCredentials(REGISTRY, env)).toEqual({ username: 'robot', password: 'from-helper' });
  });

  it('asks the credential store (credsStore) for registries without a helper of their own', () => {
    const path = helpers({ store: { [`https://${REGISTRY}`]: { Username: 'octo', Secret: 'stored' } } });
    const env = { ...configDir({ credsStore: 'store' }), PATH: path.PATH };
    expect(dockerConfigCredentials(REGISTRY, env)).toEqual({ username: 'octo', password: 'stored' });
  });

  it('falls back to auths when the helper knows nothing, is missing, or answers an identity token', () => {
    const path = helpers({
      empty: {},
      oauth: { [REGISTRY]: { Username: '<token>', Secret: 'refresh-token' } },
    });
    for (const helper of ['empty', 'oauth', 'not-installed']) {
      const env = {
        ...configDir({ credsStore: helper, auths: { [REGISTRY]: { auth: b64('u:p') } } }),
        PATH: path.PATH,
      };
      expect(dockerConfigCredentials(REGISTRY, env)).toEqual({ username: 'u', password: 'p' });
    }
  });

  it('never runs a helper whose name is a path (nor one named by the prototype)', () => {
    const asked: string[] = [];
    const run = (helper: string) => {
      asked.push(helper);
      return undefined;
    };
    for (const name of ['../../tmp/evil', '/bin/sh', 'a/b', '.hidden'])
      expect(dockerConfigCredentials(REGISTRY, configDir({ credsStore: name }), run)).toBeUndefined();
    dockerConfigCredentials('constructor', configDir({ credHelpers: {} }), run);
    expect(asked).toEqual([]);
    // The guard is what stops them: a plain name is run.
    dockerConfigCredentials(REGISTRY, configDir({ credsStore: 'pass' }), run);
    expect(asked).toEqual(['pass', 'pass']);
  });
});
