import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineEnd, lineStart, parseWorkflow } from '../../../src/workflows/parse.js';
import { BROKEN_FILE, BROKEN_LINE } from '../../fixtures/workflows/expected.js';

const CORPUS = join(import.meta.dirname ?? process.cwd(), '..', '..', 'fixtures', 'workflows');

describe('parseWorkflow', () => {
  it('gives the line and first message line of a YAML error', () => {
    const parsed = parseWorkflow(readFileSync(join(CORPUS, BROKEN_FILE), 'utf8'));
    expect('problem' in parsed && parsed.problem.line).toBe(BROKEN_LINE);
    expect('problem' in parsed && parsed.problem.message).not.toContain('\n');
    const duplicate = parseWorkflow('a: [1\nb: 2\n');
    expect('problem' in duplicate).toBe(true);
  });

  it('keeps the line ending of the file for inserted lines', () => {
    const crlf = parseWorkflow('on: push\r\njobs: {}\r\n');
    const lf = parseWorkflow('on: push\njobs: {}\n');
    expect('workflow' in crlf && crlf.workflow.eol).toBe('\r\n');
    expect('workflow' in lf && lf.workflow.eol).toBe('\n');
  });

  it('finds line starts and ends around an offset', () => {
    const text = 'ab\ncd\nef';
    expect([lineStart(text, 4), lineEnd(text, 4)]).toEqual([3, 6]);
    expect([lineStart(text, 0), lineEnd(text, 7)]).toEqual([0, 8]);
  });
});
