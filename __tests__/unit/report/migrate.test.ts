import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import type { MigratePlan } from '../../../src/inputs/migrate.js';
import { reportMigration } from '../../../src/report/migrate.js';
import type { FileCheck } from '../../../src/workflows/scan.js';
import type { Finding } from '../../../src/workflows/types.js';
import { removeRunnerFiles, withRunnerFiles } from '../../support/runner-files.js';

afterAll(removeRunnerFiles);
afterEach(() => {
  jest.restoreAllMocks();
});

/** The workflow commands the step printed (core.warning writes `::warning props::message` to stdout). */
function captureWarnings(): { props: () => string[]; messages: () => string[] } {
  const lines: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.startsWith('::warning')),
    );
    return true;
  });
  const end = (l: string) => l.indexOf('::', 2);
  return {
    props: () => lines.map((l) => l.slice(2, end(l))),
    messages: () => lines.map((l) => l.slice(end(l) + 2)),
  };
}

const plan = (write: boolean): MigratePlan => ({
  workflows: '.github/workflows',
  workspace: '/ws',
  files: [],
  write,
  isGitHubRegistry: () => true,
});

const finding = (over: Partial<Finding>): Finding => ({
  file: '.github/workflows/a.yml',
  line: 12,
  kind: 'login-action',
  message: 'docker/login-action logs in to ghcr.io with secrets.CR_PAT, a personal access token.',
  replacement: 'password: ${{ secrets.GITHUB_TOKEN }}',
  rewritable: true,
  ...over,
});

describe('reportMigration', () => {
  it('annotates each finding at its file and line, and outputs the count and the files rewritten', async () => {
    const warning = captureWarnings();
    const checks: FileCheck[] = [
      {
        file: '.github/workflows/a.yml',
        findings: [finding({}), finding({ line: 30, kind: 'run-login', rewritable: false })],
        rewritten: true,
      },
      { file: '.github/workflows/b.yml', findings: [], rewritten: false },
      {
        file: '.github/workflows/c.yml',
        findings: [],
        problem: { message: 'it is not valid YAML: x', line: 6 },
        rewritten: false,
      },
    ];
    const { outputs, summary } = await withRunnerFiles(() => reportMigration(plan(true), checks));
    expect(outputs).toEqual({ findings: '2', files: '.github/workflows/a.yml' });
    expect(warning.props()).toEqual([
      'warning title=PAT login (login action),file=.github/workflows/a.yml,line=12',
      'warning title=PAT login (run script),file=.github/workflows/a.yml,line=30',
      'warning title=Workflow not checked,file=.github/workflows/c.yml,line=6',
    ]);
    expect(warning.messages()[0]).toContain(
      'Replace with: password: ${{ secrets.GITHUB_TOKEN }}. (rewritten)',
    );
    expect(warning.messages()[1]).toContain('left for a human');
    expect(summary).toContain('<th>File</th>');
    expect(summary).toContain('Not checked: .github/workflows/c.yml line 6');
    expect(summary).toContain('Rewritten (not committed): .github/workflows/a.yml');
  });

  it('makes file text printable in annotations and escapes it in the summary', async () => {
    const warning = captureWarnings();
    const hostile = finding({
      file: 'w/<b>x</b>.yml',
      message: 'found \u001b[31m<script>alert(1)</script>\n::error::x',
    });
    const { outputs, summary } = await withRunnerFiles(() =>
      reportMigration(plan(false), [{ file: hostile.file, findings: [hostile], rewritten: false }]),
    );
    expect(outputs).toEqual({ findings: '1', files: '' });
    const message = warning.messages()[0] ?? '';
    expect(message).not.toContain('\u001b');
    expect(message).not.toContain('%0A');
    expect(warning.props()[0]).toContain('file=w/<b>x</b>.yml,line=12');
    expect(message).toContain('write: true rewrites it');
    expect(summary).not.toContain('<script>');
    expect(summary).toContain('&#60;script&#62;');
    expect(summary).toContain('none rewritten (write is false)');
  });
});
