import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  mountArgs,
  needsMounts,
  networkArgs,
  SECRETS_FOLDER_PREFIX,
  withMounts,
} from '../../../src/build/secrets.js';
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
    const result = await withMounts({ secrets, ssh: [] }, async (args) => {
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
      withMounts({ secrets, ssh: [] }, () => Promise.reject(new Error('build failed'))),
    ).rejects.toThrow('build failed');
    expect(readdirSync(temp)).toEqual([]);
    rmSync(temp, { recursive: true });
  });

  it('makes no folder when there is nothing to mount', async () => {
    const temp = runnerTemp();
    expect(await withMounts({ secrets: [], ssh: [] }, (args) => Promise.resolve(args))).toEqual([]);
    expect(readdirSync(temp)).toEqual([]);
    expect(existsSync(temp)).toBe(true);
    rmSync(temp, { recursive: true });
  });
});
