import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { withWorkDir } from '../../../src/build/workdir.js';

const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'));
const saved = process.env.RUNNER_TEMP;
afterAll(() => {
  process.env.RUNNER_TEMP = saved;
  rmSync(runnerTemp, { recursive: true, force: true });
});

describe('withWorkDir', () => {
  it('gives a new folder under RUNNER_TEMP and removes it, files and all, after the work', async () => {
    process.env.RUNNER_TEMP = runnerTemp;
    let seen = '';
    await withWorkDir(async (dir) => {
      seen = dir;
      writeFileSync(join(dir, 'buildah-auth.json'), '{}');
    });
    expect(dirname(seen)).toBe(runnerTemp);
    expect(existsSync(seen)).toBe(false);
  });

  it('removes it when the work fails too', async () => {
    process.env.RUNNER_TEMP = runnerTemp;
    let seen = '';
    const failed = withWorkDir(async (dir) => {
      seen = dir;
      throw new Error('build failed');
    });
    await expect(failed).rejects.toThrow('build failed');
    expect(existsSync(seen)).toBe(false);
  });
});
