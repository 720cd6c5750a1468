import { afterAll, describe, expect, it } from '@jest/globals';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError } from '../../../src/errors.js';
import {
  MAX_WORKFLOW_BYTES,
  readWorkflowFile,
  selectWorkflowFiles,
  writeRefusal,
  writeWorkflowFile,
} from '../../../src/workflows/files.js';

const root = mkdtempSync(join(tmpdir(), 'workflow-files-'));
const ws = join(root, 'ws');
const outside = join(root, 'outside');
for (const dir of [join(ws, '.github', 'workflows', 'sub'), join(ws, 'ci'), outside])
  mkdirSync(dir, { recursive: true });
const put = (path: string, text = 'on: push\n') => writeFileSync(join(ws, path), text);
put('.github/workflows/a.yml');
put('.github/workflows/b.yaml');
put('.github/workflows/notes.md');
put('.github/workflows/sub/c.yml');
put('ci/d.yml');
writeFileSync(join(outside, 'x.yml'), 'on: push\n');
symlinkSync(join(outside, 'x.yml'), join(ws, '.github', 'workflows', 'link.yml'));
symlinkSync(outside, join(ws, 'elsewhere'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

function refusal(value: string): string {
  try {
    selectWorkflowFiles(ws, value);
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError);
    return (error as Error).message;
  }
  throw new Error(`'${value}' was accepted`);
}

describe('selectWorkflowFiles', () => {
  it("takes a folder's .yml and .yaml files (links listed, to be refused when read), one file, or a glob", () => {
    expect(selectWorkflowFiles(ws, '.github/workflows')).toEqual([
      '.github/workflows/a.yml',
      '.github/workflows/b.yaml',
      '.github/workflows/link.yml',
    ]);
    expect(selectWorkflowFiles(ws, 'ci/d.yml')).toEqual(['ci/d.yml']);
    expect(selectWorkflowFiles(ws, '.github/workflows/*.yml')).toEqual([
      '.github/workflows/a.yml',
      '.github/workflows/link.yml',
    ]);
    expect(selectWorkflowFiles(ws, '**/*.yml')).toEqual([
      '.github/workflows/a.yml',
      '.github/workflows/link.yml',
      '.github/workflows/sub/c.yml',
      'ci/d.yml',
    ]);
    expect(selectWorkflowFiles(ws, join(ws, 'ci'))).toEqual(['ci/d.yml']);
  });

  it('refuses values outside the workspace, globs matching nothing, missing folders and links out, naming the value and the fix', () => {
    expect(refusal('../outside')).toContain(
      "Input 'workflows' is '../outside', which is outside the workspace",
    );
    expect(refusal(outside)).toContain('outside the workspace');
    expect(refusal('../*/x.yml')).toContain('outside the workspace');
    expect(refusal('.github/workflows/*.json')).toContain('a glob that matches no file');
    expect(refusal('nope/*.yml')).toContain('a glob that matches no file');
    expect(refusal('missing')).toContain("Input 'workflows' is 'missing', which does not exist");
    expect(refusal('elsewhere')).toContain('a symbolic link that leads out of the workspace');
    for (const value of ['../outside', 'missing', 'nope/*.yml'])
      expect(refusal(value)).toContain('Fix: give a folder or a glob');
  });
});

describe('readWorkflowFile', () => {
  it('reads a file inside the workspace', () => {
    expect(readWorkflowFile(ws, '.github/workflows/a.yml')).toMatchObject({ text: 'on: push\n' });
  });

  it('refuses a link out of the workspace, a file over the limit, and a missing file', () => {
    expect(readWorkflowFile(ws, '.github/workflows/link.yml')).toEqual({
      problem: 'it is a symbolic link that leads out of the workspace: not followed',
    });
    put('big.yml', 'x'.repeat(MAX_WORKFLOW_BYTES + 1));
    expect(readWorkflowFile(ws, 'big.yml')).toMatchObject({
      problem: expect.stringContaining('limit') as unknown as string,
    });
    put('edge.yml', 'x'.repeat(MAX_WORKFLOW_BYTES));
    expect(readWorkflowFile(ws, 'edge.yml')).toHaveProperty('text');
    expect(readWorkflowFile(ws, 'gone.yml')).toHaveProperty('problem');
  });
});

describe('writeRefusal and writeWorkflowFile', () => {
  const at = (name: string) => join(ws, 'ci', name);

  it('refuses a file that is not valid UTF-8 (a Latin-1 byte), and one with hard links', () => {
    writeFileSync(at('latin1.yml'), Buffer.from([0x23, 0x20, 0xe9, 0x0a]));
    const latin1 = readWorkflowFile(ws, 'ci/latin1.yml');
    expect(latin1).toMatchObject({ utf8: false });
    if (!('text' in latin1)) throw new Error('not read');
    expect(writeRefusal(latin1)).toContain('not valid UTF-8');
    put('ci/linked.yml');
    linkSync(at('linked.yml'), join(outside, 'hard.yml'));
    const linked = readWorkflowFile(ws, 'ci/linked.yml');
    if (!('text' in linked)) throw new Error('not read');
    expect(linked.utf8).toBe(true);
    expect(writeRefusal(linked)).toContain('it has 2 hard links');
    const plain = readWorkflowFile(ws, 'ci/d.yml');
    if (!('text' in plain)) throw new Error('not read');
    expect(writeRefusal(plain)).toBeUndefined();
  });

  it('writes through a temp file renamed over the original, keeping the mode and leaving no temp file', () => {
    put('ci/mode.yml', 'old\n');
    chmodSync(at('mode.yml'), 0o640);
    const inode = statSync(at('mode.yml')).ino;
    expect(writeWorkflowFile(at('mode.yml'), 'new é\n')).toBeUndefined();
    expect(readFileSync(at('mode.yml'), 'utf8')).toBe('new é\n');
    expect(statSync(at('mode.yml')).mode & 0o7777).toBe(0o640);
    expect(statSync(at('mode.yml')).ino).not.toBe(inode);
    expect(readdirSync(join(ws, 'ci')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('returns why a file could not be written, leaving it as it was', () => {
    put('ci/ro.yml', 'old\n');
    chmodSync(at('ro.yml'), 0o444);
    expect(writeWorkflowFile(at('ro.yml'), 'new\n')).toBe('it is read-only (mode 444)');
    expect(readFileSync(at('ro.yml'), 'utf8')).toBe('old\n');
    expect(writeWorkflowFile(join(ws, 'nowhere', 'x.yml'), 'new\n')).toMatch(
      /^it could not be written: ENOENT/,
    );
  });
});
