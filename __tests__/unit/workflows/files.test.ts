import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError } from '../../../src/errors.js';
import { MAX_WORKFLOW_BYTES, readWorkflowFile, selectWorkflowFiles } from '../../../src/workflows/files.js';

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
