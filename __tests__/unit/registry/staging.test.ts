import { afterAll, describe, expect, it } from '@jest/globals';
import {
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
import { Staging } from '../../../src/registry/staging.js';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'staging-unit-'));
  temps.push(dir);
  return dir;
};

/** Every file under dir (recursively), as paths relative to dir. */
const allFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));

describe('Staging', () => {
  it('moves the staged files into place in order and removes the staging folder', () => {
    const dir = tempDir();
    const staging = new Staging(dir);
    expect(staging.dir).toBe(join(dir, `.staging-${process.pid}`));
    for (const name of ['blobs/sha256/aa', 'index.json']) {
      const staged = staging.stage(join(dir, name));
      mkdirSync(join(staged, '..'), { recursive: true });
      writeFileSync(staged, name);
    }
    staging.commit();
    expect(allFiles(dir).sort()).toEqual(['blobs/sha256/aa', 'index.json']);
    expect(readFileSync(join(dir, 'index.json'), 'utf8')).toBe('index.json');
  });

  it('takes out what a failed commit placed, and abort removes the folders the destination needed', () => {
    const base = tempDir();
    const dir = join(base, 'a', 'b');
    const staging = new Staging(dir);
    writeFileSync(staging.stage(join(dir, 'first')), 'first');
    // The second move fails: its target is a folder that is not empty.
    writeFileSync(staging.stage(join(dir, 'second')), 'second');
    mkdirSync(join(dir, 'second', 'occupied'), { recursive: true });
    expect(() => staging.commit()).toThrow();
    expect(existsSync(join(dir, 'first'))).toBe(false);
    staging.abort();
    expect(readdirSync(base)).toEqual([]);
  });

  it('keeps a destination that existed on abort, and stages nothing outside it or inside the staging folder', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'kept'), 'kept');
    const staging = new Staging(dir);
    expect(() => staging.stage(join(dir, '..', 'elsewhere'))).toThrow(/is not a file of/);
    expect(() => staging.stage(dir)).toThrow(/is not a file of/);
    expect(() => staging.stage(join(staging.dir, 'x'))).toThrow(/is not a file of/);
    staging.abort();
    expect(readdirSync(dir)).toEqual(['kept']);
  });
});
