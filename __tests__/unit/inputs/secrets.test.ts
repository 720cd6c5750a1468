import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs } from '../../../src/inputs/index.js';
import { buildSecrets } from '../../../src/inputs/secrets.js';
import { actionErrorOf } from '../../support/errors.js';
import { inputsFor } from '../../support/inputs.js';

const VALUE = 'ghp_SECRET_value_never_quoted_42';
/** A value pasted in secret-envs by mistake (token=${{ secrets.JWT }}). */
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl';
const dir = mkdtempSync(join(tmpdir(), 'inputs-secrets-'));
const npmrc = join(dir, '.npmrc');
writeFileSync(npmrc, VALUE);
mkdirSync(join(dir, 'folder'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The inside-rule of publish: here, anything under `dir`. */
const inside = (path: string, input: string) => {
  if (!path.startsWith(dir)) throw new Error(`${input}: ${path} is outside`);
};
const parse = (overrides: Parameters<typeof inputsFor>[0], env: NodeJS.ProcessEnv = {}) =>
  buildSecrets(inputsFor(overrides), inside, env);
const errorOf = (overrides: Parameters<typeof inputsFor>[0], env: NodeJS.ProcessEnv = {}) =>
  actionErrorOf(() => parse(overrides, env)).message;

describe('buildSecrets', () => {
  it('reads a value, a file, a variable and ssh mounts', () => {
    const socket = join(dir, 'agent.sock');
    writeFileSync(socket, '');
    const parsed = parse(
      {
        secrets: [`token=${VALUE}=with=equals`],
        secretFiles: [`npmrc=${npmrc}`],
        secretEnvs: ['from_env=MY_TOKEN'],
        ssh: ['default', `deploy=${npmrc}`],
      },
      { MY_TOKEN: 'env-value', SSH_AUTH_SOCK: socket },
    );
    expect(parsed).toEqual({
      secrets: [
        { id: 'token', value: `${VALUE}=with=equals` },
        { id: 'npmrc', file: npmrc },
        { id: 'from_env', value: 'env-value' },
      ],
      ssh: [
        { id: 'default', path: socket },
        { id: 'deploy', path: npmrc },
      ],
    });
  });

  it('nothing given: nothing to mount', () => {
    expect(parse({})).toEqual({ secrets: [], ssh: [] });
  });

  it.each<[string, Parameters<typeof inputsFor>[0], string]>([
    ['a line without =', { secrets: ['ok=1', VALUE] }, "Line 2 of 'secrets' has no '='"],
    [
      'an id with a space',
      { secrets: [`my token=${VALUE}`] },
      "Line 1 of 'secrets' has an id that is not valid",
    ],
    ['an empty id', { secrets: [`=${VALUE}`] }, "Line 1 of 'secrets' has an id that is not valid"],
    ['an empty value', { secrets: ['token='] }, "Line 1 of 'secrets' has an empty value"],
    [
      'a bad id in secret-files',
      { secretFiles: [`my file=${npmrc}`] },
      "has the id 'my file', which is not valid",
    ],
    [
      'a duplicate id across inputs',
      { secrets: [`a=${VALUE}`], secretFiles: [`a=${npmrc}`] },
      "The id 'a' appears twice",
    ],
    ['a missing file', { secretFiles: [`f=${dir}/nope`] }, "(id 'f') names '"],
    ['a folder, not a file', { secretFiles: [`f=${dir}/folder`] }, 'which is not a file'],
    ['a missing path with a comma', { secretFiles: [`f=${dir}/a,b`] }, 'does not exist'],
    [
      'a bad variable name',
      { secretEnvs: ['t=MY-TOKEN'] },
      "Line 1 of 'secret-envs' (id 't') names no environment variable",
    ],
    [
      'an unset variable',
      { secretEnvs: ['t=NOT_SET_HERE'] },
      'names the variable NOT_SET_HERE, which is not set',
    ],
    ['a duplicate ssh id', { ssh: [`k=${npmrc}`, `k=${npmrc}`] }, "The id 'k' appears twice in ssh"],
    [
      'ssh default without an agent',
      { ssh: ['default'] },
      "Line 1 of 'ssh' is 'default', but SSH_AUTH_SOCK is not set",
    ],
    ['an ssh key that does not exist', { ssh: ['default', `k=${dir}/no-key`] }, "Line 2 of 'ssh' (id 'k')"],
  ])('refuses %s, naming the input and a fix, never the value', (_name, overrides, phrase) => {
    const message = errorOf(overrides, { SSH_AUTH_SOCK: _name.includes('key') ? npmrc : undefined });
    expect(message).toContain(phrase);
    expect(message).toContain('\nFix: ');
    expect(message).not.toContain(VALUE);
  });

  // A bare secret holding '=' (base64) split at its first '=': no part of it may be quoted.
  it.each([
    ['dG9rZW4tdmFsdWUtc2VjcmV0=', 'has an empty value'],
    ['c2VjcmV0K3/abc+def==', 'has an id that is not valid'],
    ['tok3n.value=', 'has an empty value'],
  ])('a bare secrets line %s is refused by its number only (%s)', (line, phrase) => {
    const message = errorOf({ secrets: ['ok=1', line] });
    expect(message).toContain(`Line 2 of 'secrets' ${phrase}`);
    expect(message).toContain('id=value');
    expect(message).toContain('[A-Za-z0-9_.-]');
    for (const part of line.split('=')) if (part) expect(message).not.toContain(part);
  });

  it('a duplicate id in secrets is named by the line, not quoted', () => {
    const message = errorOf({ secrets: ['abcd=x1', 'abcd=x2'] });
    expect(message).toContain("The id of line 2 of 'secrets' appears twice");
    expect(message).not.toContain('abcd');
  });

  it('a value pasted in secret-envs is not quoted', () => {
    const message = errorOf({ secretEnvs: [`token=${JWT}`] });
    expect(message).toContain("Line 1 of 'secret-envs' (id 'token') names no environment variable");
    expect(message).not.toContain(JWT.slice(0, 8));
  });

  it('an empty variable is refused as empty', () => {
    expect(errorOf({ secretEnvs: ['t=EMPTY'] }, { EMPTY: '' })).toContain('which is empty');
  });

  it('a secret file must pass the inside rule', () => {
    writeFileSync(join(tmpdir(), 'outside-secret-unit'), 'x');
    expect(() => parse({ secretFiles: [`o=${join(tmpdir(), 'outside-secret-unit')}`] })).toThrow(
      'is outside',
    );
    rmSync(join(tmpdir(), 'outside-secret-unit'));
  });

  it('a comma in a secret file path is refused (BuildKit reads src= as CSV)', () => {
    const comma = join(dir, 'a,b');
    writeFileSync(comma, 'x');
    expect(errorOf({ secretFiles: [`c=${comma}`] })).toContain('whose path has a comma');
  });
});

describe('readInputs: build secrets', () => {
  afterEach(() => {
    for (const name of Object.keys(process.env))
      if (name.startsWith('INPUT_') || name === 'MY_SECRET_ENV') Reflect.deleteProperty(process.env, name);
    jest.restoreAllMocks();
  });

  it('masks every secrets value, a bare line whole, and the value of each secret-envs variable', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    process.env.INPUT_SECRETS = `token=${VALUE}\nbare-${VALUE}\n`;
    process.env['INPUT_SECRET-ENVS'] = 'e=MY_SECRET_ENV';
    process.env.MY_SECRET_ENV = 'from-the-env';
    const inputs = readInputs();
    const masked = write.mock.calls
      .map(([chunk]) => String(chunk).trim())
      .filter((line) => line.startsWith('::add-mask::'))
      .map((line) => line.slice('::add-mask::'.length));
    expect(masked).toEqual([`token=${VALUE}`, VALUE, `bare-${VALUE}`, 'from-the-env']);
    expect(inputs.secrets).toEqual([`token=${VALUE}`, `bare-${VALUE}`]);
    expect(inputs.secretEnvs).toEqual(['e=MY_SECRET_ENV']);
  });

  /** What readInputs masks with these inputs and variables. */
  function maskedBy(inputs: Record<string, string>, env: Record<string, string> = {}): string[] {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    Object.assign(process.env, inputs, env);
    try {
      readInputs();
    } catch {
      // A refused line is still masked: what matters here is what was masked before.
    }
    for (const name of Object.keys(env)) Reflect.deleteProperty(process.env, name);
    return write.mock.calls
      .map(([chunk]) => String(chunk).trim())
      .filter((line) => line.startsWith('::add-mask::'))
      .map((line) => line.slice('::add-mask::'.length));
  }

  it('masks a whole bare line holding =, and the trimmed value that is mounted', () => {
    const masked = maskedBy({ INPUT_SECRETS: 'dG9rZW4tdmFsdWUtc2VjcmV0=\ntoken = s3cr3tVALUE' });
    expect(masked).toEqual(
      expect.arrayContaining(['dG9rZW4tdmFsdWUtc2VjcmV0=', 'token = s3cr3tVALUE', 's3cr3tVALUE']),
    );
  });

  it('masks a multi-line variable line by line too (lines of 4 characters or more)', () => {
    const netrc = 'machine example.com\n  login bot\n  password hunter2-long\n}\n';
    const masked = maskedBy({ 'INPUT_SECRET-ENVS': 'n=MY_SECRET_ENV' }, { MY_SECRET_ENV: netrc });
    expect(masked).toEqual(
      expect.arrayContaining(['machine example.com', 'login bot', 'password hunter2-long']),
    );
    expect(masked).not.toContain('}');
  });

  it('masks a secret-envs right-hand side that is no variable name', () => {
    expect(maskedBy({ 'INPUT_SECRET-ENVS': `token=${JWT}` })).toContain(JWT);
  });

  it("reads 'network' (default, host, none) and refuses anything else", () => {
    expect(readInputs().network).toBe('default');
    process.env.INPUT_NETWORK = 'Host';
    expect(readInputs().network).toBe('host');
    process.env.INPUT_NETWORK = 'bridge';
    expect(actionErrorOf(readInputs).message).toContain(
      "Input 'network' is 'bridge', which is not one of its values.\nFix: set 'network' to one of: default, host, none",
    );
  });
});
