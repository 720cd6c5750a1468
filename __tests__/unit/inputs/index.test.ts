import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { COMMANDS, readInputs, splitList } from '../../../src/inputs/index.js';
import { actionErrorOf } from '../../support/errors.js';

// core.getInput reads INPUT_<NAME> from the environment, as on the runner: no mock needed.
afterEach(() => {
  delete process.env.INPUT_COMMAND;
});

// The tests below set other inputs too: remove every INPUT_* and restore spies after each test.
afterEach(() => {
  for (const name of Object.keys(process.env))
    if (name.startsWith('INPUT_')) Reflect.deleteProperty(process.env, name);
  jest.restoreAllMocks();
});

/** Sets inputs as the runner does: INPUT_<NAME>, upper-cased, hyphens kept. */
function setInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

/** The error readInputs throws, which must be an ActionError. */
const inputError = (): ActionError => actionErrorOf(readInputs);

describe('readInputs', () => {
  it('defaults the command to publish', () => {
    expect(readInputs().command).toBe('publish');
  });

  it.each(COMMANDS)('accepts %s, whatever its case and spacing', (command) => {
    process.env.INPUT_COMMAND = `  ${command.toUpperCase()} `;
    expect(readInputs().command).toBe(command);
  });

  it('rejects an unknown command, quoting it and listing the valid ones', () => {
    process.env.INPUT_COMMAND = 'deploy';
    expect(() => readInputs()).toThrow(ActionError);
    expect(() => readInputs()).toThrow(/'deploy'.*\n.*publish, pull, resolve, promote, merge, migrate/);
  });
});

describe('readInputs: registry', () => {
  it.each(['', '   '])('defaults %p to ghcr.io', (value) => {
    setInputs({ registry: value });
    expect(readInputs().registry).toBe('ghcr.io');
  });

  it('defaults to ghcr.io when the input is unset', () => {
    expect(readInputs().registry).toBe('ghcr.io');
  });

  it.each([
    ['ghcr.io', 'ghcr.io'],
    ['127.0.0.1:5100', '127.0.0.1:5100'],
    ['localhost:5000', 'localhost:5000'],
    ['containers.ghe.example.com', 'containers.ghe.example.com'],
    ['[::1]:5000', '[::1]:5000'],
    ['  GHCR.IO ', 'ghcr.io'],
    ['Registry-1.Docker.io', 'registry-1.docker.io'],
  ])('accepts %p as %p', (value, expected) => {
    setInputs({ registry: value });
    expect(readInputs().registry).toBe(expected);
  });

  it('rejects a URL, quoting it and suggesting the bare host', () => {
    setInputs({ registry: 'https://ghcr.io' });
    const error = inputError();
    expect(error.message).toContain(
      "Input 'registry' is 'https://ghcr.io', which is not a registry host name.",
    );
    expect(error.fix).toContain("'ghcr.io'");
    expect(error.fix).toContain("images go in 'image'");
  });

  it('rejects a registry with an image path, suggesting the host alone', () => {
    setInputs({ registry: 'ghcr.io/owner/img' });
    const error = inputError();
    expect(error.message).toContain("'ghcr.io/owner/img'");
    expect(error.fix).toContain("'ghcr.io'");
  });

  it('suggests the host and port of a URL with a path', () => {
    setInputs({ registry: 'https://Registry.Example.com:5000/v2/' });
    expect(inputError().fix).toContain("or 'registry.example.com:5000'");
  });

  it.each(['ghcr io', '-ghcr.io', 'ghcr.io:', 'ghcr..io', 'ghcr.io:123456', 'user@ghcr.io'])(
    'rejects %p',
    (value) => {
      setInputs({ registry: value });
      expect(inputError().message).toContain(`Input 'registry' is '${value}'`);
    },
  );
});

describe('readInputs: logout', () => {
  it('defaults to true', () => {
    expect(readInputs().logout).toBe(true);
  });

  it.each([
    ['true', true],
    ['True', true],
    [' yes ', true],
    ['on', true],
    ['1', true],
    ['false', false],
    ['FALSE', false],
    ['no', false],
    ['off', false],
    ['0', false],
  ])('reads %p as %p', (value, expected) => {
    setInputs({ logout: value });
    expect(readInputs().logout).toBe(expected);
  });

  it('rejects a value that is not a boolean, naming the input and the value', () => {
    setInputs({ logout: 'maybe' });
    const error = inputError();
    expect(error.message).toBe(
      "Input 'logout' is 'maybe', which is not a boolean.\nFix: set 'logout' to true or false.",
    );
  });
});

describe('readInputs: lists and plain inputs', () => {
  it('splits tags on newlines and commas, trimming and dropping blanks', () => {
    setInputs({ tags: 'v1\n v2 , latest,,\n\n  ,sha-4f6d3a1\r\n' });
    expect(readInputs().tags).toEqual(['v1', 'v2', 'latest', 'sha-4f6d3a1']);
  });

  it('keeps the case of tags', () => {
    setInputs({ tags: 'Release-1.0,RC' });
    expect(readInputs().tags).toEqual(['Release-1.0', 'RC']);
  });

  it("refuses a 'tags' value that holds only separators, rather than tagging from the event", () => {
    setInputs({ tags: ' , ,\n ,' });
    const error = inputError();
    expect(error.message).toContain("Input 'tags' is ', ,\n ,', which holds no tag.");
    expect(error.fix).toContain("leave 'tags' empty to tag from the event");
  });

  it('reads no tags as an empty list', () => {
    expect(readInputs().tags).toEqual([]);
    expect(splitList('  \n , \n')).toEqual([]);
  });

  it('trims the other inputs and keeps them as given', () => {
    setInputs({
      username: ' octocat ',
      image: ' octo-org/app:1 ',
      source: ' ghcr.io/octo-org/base@sha256:abc ',
      'github-token': ' ghs_plainToken ',
    });
    const inputs = readInputs();
    expect(inputs.username).toBe('octocat');
    expect(inputs.image).toBe('octo-org/app:1');
    expect(inputs.source).toBe('ghcr.io/octo-org/base@sha256:abc');
    expect(inputs.githubToken).toBe('ghs_plainToken');
    expect(inputs.pat).toBe('');
    expect(inputs.password).toBe('');
  });
});

describe('readInputs: masking', () => {
  const GITHUB_TOKEN = 'ghs_SENTINELgithubToken7f3a9c';
  const PAT = 'ghp_SENTINELpat51b2d8e0';
  const PASSWORD = 'SENTINEL-password-c0ffee42';
  const SENTINELS = [GITHUB_TOKEN, PAT, PASSWORD];

  /** Runs readInputs with stdout captured; returns what it wrote, line by line, and what it threw. */
  function captured(): { lines: string[]; error: unknown } {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let error: unknown;
    try {
      readInputs();
    } catch (e) {
      error = e;
    }
    // Read the calls before restoring: mockRestore clears them.
    const text = write.mock.calls.map(([chunk]) => String(chunk)).join('');
    write.mockRestore();
    return { lines: text.split(/\r?\n/).filter(Boolean), error };
  }

  function expectMaskedFirst(lines: string[]): void {
    expect(lines.slice(0, 3).sort()).toEqual(SENTINELS.map((s) => `::add-mask::${s}`).sort());
    for (const line of lines.slice(3)) for (const s of SENTINELS) expect(line).not.toContain(s);
  }

  it('masks github-token, pat and password before any other output', () => {
    setInputs({ 'github-token': GITHUB_TOKEN, pat: PAT, password: PASSWORD });
    const { lines, error } = captured();
    expect(error).toBeUndefined();
    expectMaskedFirst(lines);
  });

  it('masks the trimmed value, the one that is used', () => {
    setInputs({ 'github-token': `  ${GITHUB_TOKEN}\n`, pat: ` ${PAT} `, password: `\t${PASSWORD}` });
    const { lines } = captured();
    expectMaskedFirst(lines);
  });

  it.each([
    ['registry', 'https://ghcr.io'],
    ['command', 'deploy'],
    ['logout', 'maybe'],
  ])('masks them even when %s = %p then fails validation, and the error quotes no secret', (name, value) => {
    setInputs({ 'github-token': GITHUB_TOKEN, pat: PAT, password: PASSWORD, [name]: value });
    const { lines, error } = captured();
    expect(error).toBeInstanceOf(ActionError);
    expectMaskedFirst(lines);
    const message = error instanceof Error ? error.message : '';
    for (const s of SENTINELS) expect(message).not.toContain(s);
  });

  it('masks nothing when no secret is given', () => {
    setInputs({ username: 'octocat' });
    expect(captured().lines.filter((line) => line.startsWith('::add-mask::'))).toEqual([]);
  });
});

describe('registry port range', () => {
  afterEach(() => {
    delete process.env.INPUT_REGISTRY;
  });
  it.each(['ghcr.io:0', 'ghcr.io:99999'])('rejects %s', (registry) => {
    process.env.INPUT_REGISTRY = registry;
    expect(() => readInputs()).toThrow(/not a registry host name/);
  });
});

describe('readInputs: cache', () => {
  it.each([
    ['', 'true'],
    ['TRUE', 'true'],
    ['yes', 'true'],
    ['0', 'false'],
    ['off', 'false'],
    [' Registry ', 'registry'],
  ])("reads '%s' as %s", (value, cache) => {
    setInputs({ cache: value });
    expect(readInputs().cache).toBe(cache);
  });

  it('refuses anything else by name, listing the three values', () => {
    setInputs({ cache: 'gha' });
    const error = inputError();
    expect(error.message).toMatch(/^Input 'cache' is 'gha', which is not one of its values\./);
    expect(error.fix).toContain('true');
    expect(error.fix).toContain('registry');
  });
});
