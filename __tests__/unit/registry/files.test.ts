import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomically } from '../../../src/registry/files.js';

const work = mkdtempSync(join(tmpdir(), 'files-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const write = (text: string) => (out: NodeJS.WritableStream) =>
  new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.end(text, () => resolve());
  });

describe('writeAtomically', () => {
  it('puts the whole file in place and leaves no partial file', async () => {
    const file = join(work, 'whole.txt');
    await writeAtomically(file, write('all of it'));
    expect(readFileSync(file, 'utf8')).toBe('all of it');
    expect(readdirSync(work).filter((name) => name.startsWith('whole.txt'))).toEqual(['whole.txt']);
  });

  it('replaces an earlier file only once the new one is complete', async () => {
    const file = join(work, 'replaced.txt');
    writeFileSync(file, 'before');
    await writeAtomically(file, async (out) => {
      out.write('half');
      expect(readFileSync(file, 'utf8')).toBe('before');
      await write(' and the rest')(out);
    });
    expect(readFileSync(file, 'utf8')).toBe('half and the rest');
  });

  it('keeps the earlier file, removes the partial one, and rethrows when writing fails', async () => {
    const file = join(work, 'kept.txt');
    writeFileSync(file, 'the previous one');
    const failure = await writeAtomically(file, async (out) => {
      out.write('some bytes');
      throw new Error('the download broke');
    }).catch((error: unknown) => error);
    expect((failure as Error).message).toBe('the download broke');
    expect(readFileSync(file, 'utf8')).toBe('the previous one');
    expect(readdirSync(work).filter((name) => name.startsWith('kept.txt'))).toEqual(['kept.txt']);
  });

  it('leaves nothing at all when there was no file before', async () => {
    const file = join(work, 'never.txt');
    await expect(
      writeAtomically(file, async () => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(work).filter((name) => name.startsWith('never.txt'))).toEqual([]);
  });
});
