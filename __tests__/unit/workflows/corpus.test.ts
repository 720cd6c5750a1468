import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkflow } from '../../../src/workflows/parse.js';
import { rewriteWorkflow } from '../../../src/workflows/rewrite.js';
import { BROKEN_FILE, EXPECTED_FINDINGS } from '../../fixtures/workflows/expected.js';

// The corpus of realistic workflows (__tests__/fixtures/workflows): every PAT login found at its line, nothing
// clean flagged, the rewrite valid YAML that a second run finds clean, and every untouched byte kept.
const CORPUS = join(import.meta.dirname ?? process.cwd(), '..', '..', 'fixtures', 'workflows');
const options = (file: string) => ({ file, isGitHubRegistry: (host: string) => host === 'ghcr.io' });
const read = (file: string) => readFileSync(join(CORPUS, file), 'utf8');

const EXPECTED = EXPECTED_FINDINGS;
const PARSED = Object.keys(EXPECTED);

/** Whether `small`'s lines appear in `big`'s lines in the same order (untouched lines kept byte for byte). */
function keptInOrder(small: string[], big: string[]): boolean {
  let at = 0;
  for (const line of small) {
    while (at < big.length && big[at] !== line) at++;
    if (at++ >= big.length) return false;
  }
  return true;
}

describe('the workflow corpus', () => {
  it('holds every file the expectations name, and a broken one', () => {
    const yaml = readdirSync(CORPUS).filter((name) => name.endsWith('.yml'));
    expect(yaml.sort()).toEqual([...PARSED, BROKEN_FILE].sort());
  });

  it.each(PARSED)('%s: finds each PAT login at its line, and nothing else', (file) => {
    const text = read(file);
    const lines = text.split(/\r?\n/);
    const { findings } = rewriteWorkflow(text, options(file));
    expect(findings.map((f) => [f.line, f.kind, f.rewritable])).toEqual(
      EXPECTED[file]?.map(([line, kind, rewritable]) => [line, kind, rewritable]),
    );
    for (const [line, , , holds] of EXPECTED[file] ?? []) expect(lines[line - 1]).toContain(holds);
    for (const f of findings) {
      expect(f.file).toBe(file);
      expect(f.message.length).toBeGreaterThan(20);
      expect(f.replacement).toMatch(/GITHUB_TOKEN|github\.token|permissions/);
    }
  });

  it.each(PARSED)('%s: the rewrite parses, a second run finds only what is left for a human', (file) => {
    const text = read(file);
    const first = rewriteWorkflow(text, options(file));
    expect('workflow' in parseWorkflow(first.text)).toBe(true);
    const second = rewriteWorkflow(first.text, options(file));
    expect(second.findings.map((f) => [f.line, f.kind])).toEqual(
      first.findings.filter((f) => !f.rewritable).map((f) => [f.line, f.kind]),
    );
    expect(second.text).toBe(first.text);
    expect(first.text === text).toBe(first.findings.every((f) => !f.rewritable));
  });

  it.each(PARSED)('%s: comments and untouched lines survive byte for byte, in order', (file) => {
    const text = read(file);
    const { text: rewritten, findings } = rewriteWorkflow(text, options(file));
    const touched = new Set(findings.map((f) => f.line));
    const before = text.split('\n');
    const after = rewritten.split('\n');
    const comments = before.filter((line) => line.trim().startsWith('#'));
    expect(keptInOrder(comments, after)).toBe(true);
    // Lines the rewrite did not touch: not a finding's line, not an env entry that only carried the PAT, not
    // the `env:` key of a block that carried nothing else.
    const removable = (line: string) => /secrets\.(?!GITHUB_TOKEN)|^\s*env:\s*$/.test(line);
    const untouched = before.filter((line, i) => !touched.has(i + 1) && !removable(line));
    expect(untouched.length).toBeGreaterThan(before.length / 2);
    expect(keptInOrder(untouched, after)).toBe(true);
  });

  it('keeps CRLF line endings, inserted lines included', () => {
    const { text } = rewriteWorkflow(read('crlf.yml'), options('crlf.yml'));
    expect(text).toContain('permissions:\r\n      contents: read\r\n      packages: write\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('rewrites to GITHUB_TOKEN, drops env entries only rewritten logins saw, and says which stay', () => {
    const { text: scripts, findings } = rewriteWorkflow(read('run-scripts.yml'), options('run-scripts.yml'));
    expect(scripts).not.toMatch(/secrets\.(CR_PAT|BUILDAH_PAT)|BUILDAH_PAT|\$PUSH_TOKEN/);
    // The workflow-level PUSH_TOKEN is also seen by steps that are no login (actions/checkout): it stays.
    expect(scripts).toContain('env:\n  PUSH_TOKEN: ${{ secrets.PUSH_TOKEN }}\n');
    expect(findings.find((f) => f.line === 34)?.message).toContain(
      'The env entry PUSH_TOKEN of the workflow stays, as other steps or scripts may still read it: remove it by hand',
    );
    expect(findings.find((f) => f.line === 39)?.message).not.toContain('stays');
    expect(scripts).toContain(
      'echo "${{ secrets.GITHUB_TOKEN }}" | docker login ghcr.io -u ${{ github.actor }} --password-stdin\n          docker push',
    );
    expect(scripts).toContain('  DOCKERHUB_USER: octocat\n'); // the env entry that is not a PAT stays
    const logins = rewriteWorkflow(read('login-action.yml'), options('login-action.yml')).text;
    expect(logins).toContain('password: "${{ secrets.GITHUB_TOKEN }}"'); // its quotes kept
    expect(logins).not.toContain('${{ env.GHCR_PAT }}');
    // The job-level entry is also seen by actions/checkout and the push step: it stays, and the finding says so.
    expect(logins).toContain('    env:\n      GHCR_PAT: ${{ secrets.GHCR_PAT }}\n');
    const found = rewriteWorkflow(read('login-action.yml'), options('login-action.yml')).findings;
    expect(found.find((f) => f.line === 62)?.message).toContain(
      "The env entry GHCR_PAT of job 'podman' stays",
    );
    expect(logins).toContain('      packages: write\n      contents: read # read the checkout\n');
  });
});
