import { describe, expect, it } from '@jest/globals';
import { detect } from '../../../src/workflows/detect.js';
import { parseWorkflow } from '../../../src/workflows/parse.js';

function run(text: string) {
  const parsed = parseWorkflow(text);
  if (!('workflow' in parsed)) throw new Error(parsed.problem.message);
  return detect(parsed.workflow, { file: 'w.yml', isGitHubRegistry: (h) => h === 'ghcr.io' });
}

const THIS = (command: string, permissions = '') =>
  `on: push\njobs:\n  build:\n${permissions}    steps:\n      - uses: o/ghcr-image-action@v1\n        with:\n          command: ${command}\n`;

describe('detect', () => {
  it('flags a GITHUB_TOKEN job without the packages access its steps need', () => {
    expect(run(THIS('publish')).findings.map((f) => [f.kind, f.line, f.replacement])).toEqual([
      ['permissions', 3, 'permissions: contents: read, packages: write'],
    ]);
    expect(run(THIS('resolve', '    permissions:\n      packages: read\n')).findings).toEqual([]);
    expect(
      run(THIS('publish', '    permissions:\n      packages: read\n')).findings.map((f) => f.line),
    ).toEqual([4]);
    expect(run(THIS('publish', '    permissions: write-all\n')).findings).toEqual([]);
  });

  it('reports a login shared through an anchor once, and edits it once', () => {
    const login =
      '        uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          password: ${{ secrets.CR_PAT }}\n';
    const text = `on: push\npermissions:\n  packages: write\njobs:\n  a:\n    steps:\n      - &login\n${login}  b:\n    steps:\n      - *login\n`;
    const { findings, edits } = run(text);
    expect(findings.map((f) => [f.kind, f.line])).toEqual([['login-action', 11]]);
    expect(new Set(edits.map((e) => `${e.start}:${e.text}`)).size).toBe(1);
  });

  it('adds no permissions to a job whose PAT logins all stay', () => {
    const text =
      'on: push\njobs:\n  build:\n    steps:\n      - run: docker login ghcr.io -u me -p ${{ secrets.X }} && docker push ghcr.io/o/a\n';
    const { findings, edits } = run(text);
    expect(findings.map((f) => [f.kind, f.rewritable])).toEqual([['run-login', false]]);
    expect(edits).toEqual([]);
  });

  it('says GITHUB_TOKEN only for GITHUB_TOKEN: an unknown credential is a finding of its own, permissions untouched', () => {
    const job = (env: string, shell: string, script: string) =>
      `on: push\njobs:\n  win:\n    runs-on: windows-latest\n${env}    steps:\n      - shell: ${shell}\n        run: ${script}\n`;
    for (const script of [
      'echo ghp_abcdef123 | docker login ghcr.io -u me --password-stdin',
      'cat pat.txt | docker login ghcr.io -u me --password-stdin',
      'docker login ghcr.io -u me -p "$UNSET"',
    ]) {
      const { findings, edits } = run(job('', 'bash', script));
      expect(findings.map((f) => [f.kind, f.line, f.rewritable])).toEqual([['unknown-credential', 7, false]]);
      expect(findings[0]?.message).toContain(
        'could not tell which credential this login uses; check it by hand',
      );
      expect(findings.some((f) => f.message.includes('with GITHUB_TOKEN'))).toBe(false);
      expect(edits).toEqual([]);
    }
    // PowerShell's $env:NAME is an env lookup: a PAT login, rewritten with the permissions.
    const pwsh = run(
      job(
        '    env:\n      WPAT: ${{ secrets.CR_PAT }}\n',
        'pwsh',
        'echo $env:WPAT | docker login ghcr.io -u me --password-stdin',
      ),
    );
    expect(pwsh.findings.map((f) => [f.kind, f.rewritable])).toEqual([['run-login', true]]);
    expect(pwsh.findings[0]?.message).toContain('env WPAT (secrets.CR_PAT), a personal access token');
    expect(pwsh.edits.some((e) => e.text.includes('packages: write'))).toBe(true);
  });

  it('leaves a job alone when one of its logins has an unknown credential, its PAT logins included', () => {
    const text =
      'on: push\njobs:\n  build:\n    steps:\n      - run: cat pat.txt | docker login ghcr.io -u me --password-stdin\n      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          password: ${{ secrets.CR_PAT }}\n      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          password: literal-token\n';
    const { findings, edits } = run(text);
    expect(findings.map((f) => [f.kind, f.line, f.rewritable])).toEqual([
      ['unknown-credential', 5, false],
      ['login-action', 9, false],
      ['unknown-credential', 13, false],
    ]);
    expect(findings[1]?.message).toContain('Not rewritten: another login in this job');
    expect(edits).toEqual([]);
  });
});
