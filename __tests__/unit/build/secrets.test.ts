import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  mountArgs,
  needsMounts,
  networkArgs,
  SECRETS_FOLDER_PREFIX,
  withMounts,
} from '../../../src/build/secrets.js';
import { removeLeftoverSecrets } from '../../../src/build/secrets-cleanup.js';
import type { BuildSecret, SshMount } from '../../../src/build/types.js';

const VALUE = 'value-SENTINEL-never-in-argv';
const savedTemp = process.env.RUNNER_TEMP;
afterEach(() => {
  process.env.RUNNER_TEMP = savedTemp;
});

/** A RUNNER_TEMP of the test's own. */
function runnerTemp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-temp-'));
  process.env.RUNNER_TEMP = dir;
  return dir;
}

const secrets: BuildSecret[] = [
  { id: 'token', value: VALUE },
  { id: 'npmrc', file: '/work/space/.npmrc' },
];
const ssh: SshMount[] = [
  { id: 'default', path: '/tmp/agent.sock' },
  { id: 'deploy', path: '/keys/deploy key' },
];

describe('mountArgs', () => {
  it('a value becomes a file of the folder, a file is passed as is; ssh default bare, others id=path', () => {
    expect(mountArgs({ secrets, ssh }, '/f')).toEqual([
      '--secret',
      'id=token,src=/f/secret-0',
      '--secret',
      'id=npmrc,src=/work/space/.npmrc',
      '--ssh',
      'default',
      '--ssh',
      'deploy=/keys/deploy key',
    ]);
  });

  it('never carries a value', () => {
    for (const item of mountArgs({ secrets, ssh }, '/f')) expect(item).not.toContain(VALUE);
  });

  it('nothing for no secret and no ssh', () => {
    expect(mountArgs({ secrets: [], ssh: [] }, '/f')).toEqual([]);
    expect(needsMounts({ secrets: [], ssh: [] })).toBe(false);
    expect(needsMounts({ secrets: [], ssh })).toBe(true);
    expect(needsMounts({ secrets, ssh: [] })).toBe(true);
  });
});

describe('networkArgs', () => {
  it.each([
    ['default', []],
    ['host', ['--network', 'host']],
    ['none', ['--network', 'none']],
  ] as const)('%s -> %j', (network, args) => {
    expect(networkArgs({ network })).toEqual(args);
  });
});

describe('withMounts', () => {
  it('writes each value to a 0600 file of a 0700 folder under RUNNER_TEMP, and removes the folder after', async () => {
    const temp = runnerTemp();
    let seen: { args: string[]; folder: string; mode: number; file: string; fileMode: number } | undefined;
    const result = await withMounts({ secrets, ssh: [], context: '.' }, async (args) => {
      const [folder = ''] = readdirSync(temp).filter((name) => name.startsWith(SECRETS_FOLDER_PREFIX));
      const file = join(temp, folder, 'secret-0');
      seen = {
        args,
        folder,
        mode: statSync(join(temp, folder)).mode & 0o777,
        file: readFileSync(file, 'utf8'),
        fileMode: statSync(file).mode & 0o777,
      };
      return 'built';
    });
    expect(result).toBe('built');
    expect(seen).toMatchObject({ mode: 0o700, file: VALUE, fileMode: 0o600 });
    expect(seen?.args).toEqual(mountArgs({ secrets, ssh: [] }, join(temp, seen?.folder ?? '')));
    expect(readdirSync(temp)).toEqual([]);
    rmSync(temp, { recursive: true });
  });

  it('removes the folder when the build fails too', async () => {
    const temp = runnerTemp();
    await expect(
      withMounts({ secrets, ssh: [], context: '.' }, () => Promise.reject(new Error('build failed'))),
    ).rejects.toThrow('build failed');
    expect(readdirSync(temp)).toEqual([]);
    rmSync(temp, { recursive: true });
  });

  it('makes no folder when there is nothing to mount', async () => {
    const temp = runnerTemp();
    expect(await withMounts({ secrets: [], ssh: [], context: '.' }, (args) => Promise.resolve(args))).toEqual(
      [],
    );
    expect(readdirSync(temp)).toEqual([]);
    expect(existsSync(temp)).toBe(true);
    rmSync(temp, { recursive: true });
  });
});

describe('withMounts: the folder is never inside the build context', () => {
  /** The folder of the values, as argv names it. */
  const folderOf = (args: string[]) =>
    (args[1] ?? '').replace(/^id=token,src=/, '').replace(/\/secret-0$/, '');

  it.each([
    ['RUNNER_TEMP itself', (temp: string) => temp],
    [
      'a link to RUNNER_TEMP',
      (temp: string) => {
        symlinkSync(temp, `${temp}-link`);
        return `${temp}-link`;
      },
    ],
    [
      'a folder holding RUNNER_TEMP',
      (temp: string) => {
        mkdirSync(join(temp, 'runner'));
        process.env.RUNNER_TEMP = join(temp, 'runner');
        return temp;
      },
    ],
  ])('context = %s: the values go outside the context', async (_name, contextOf) => {
    const temp = runnerTemp();
    const context = contextOf(temp);
    const folder = await withMounts({ secrets, ssh: [], context }, (args) => {
      const found = folderOf(args);
      expect(readFileSync(join(found, 'secret-0'), 'utf8')).toBe(VALUE);
      return Promise.resolve(found);
    });
    expect(folder.startsWith(temp)).toBe(false);
    expect(folder.startsWith(tmpdir())).toBe(true);
    expect(existsSync(folder)).toBe(false);
    rmSync(`${temp}-link`, { force: true });
    rmSync(temp, { recursive: true });
  });

  it('refuses, before building, a context that holds RUNNER_TEMP and the system temp folder', async () => {
    runnerTemp();
    const build = jest.fn(() => Promise.resolve('built'));
    const refused = withMounts({ secrets, ssh: [], context: '/' }, build);
    await expect(refused).rejects.toThrow(
      "The build context '/' holds both RUNNER_TEMP and the system's temp folder",
    );
    await expect(refused).rejects.toThrow("\nFix: set 'context'");
    expect(build).not.toHaveBeenCalled();
  });
});

describe('the folder on SIGINT/SIGTERM and in the post step', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s during the build removes the folder, then exits with %d; the handlers go after',
    async (signal, code) => {
      const temp = runnerTemp();
      const exit = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never);
      const before = process.listeners(signal);
      await withMounts({ secrets, ssh: [], context: '.' }, () => {
        const added = process.listeners(signal).filter((listener) => !before.includes(listener));
        expect(added).toHaveLength(1);
        expect(readdirSync(temp)).toHaveLength(1);
        added[0]?.(signal);
        expect(readdirSync(temp)).toEqual([]);
        // Node's default for the signal, unless another handler of the process owns it.
        if (before.length === 0) expect(exit).toHaveBeenCalledWith(code);
        else expect(exit).not.toHaveBeenCalled();
        return Promise.resolve();
      });
      expect(process.listeners(signal)).toEqual(before);
      exit.mockRestore();
      rmSync(temp, { recursive: true });
    },
  );

  it('removes every leftover folder of values, and nothing else', () => {
    const temp = runnerTemp();
    mkdtempSync(join(temp, SECRETS_FOLDER_PREFIX));
    mkdtempSync(join(temp, SECRETS_FOLDER_PREFIX));
    mkdtempSync(join(temp, 'other-'));
    expect(removeLeftoverSecrets(temp)).toBe(2);
    expect(readdirSync(temp).map((name) => name.startsWith('other-'))).toEqual([true]);
    expect(removeLeftoverSecrets(join(temp, 'missing'))).toBe(0);
    rmSync(temp, { recursive: true });
  });
});
