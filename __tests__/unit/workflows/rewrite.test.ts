import { describe, expect, it } from '@jest/globals';
import { applyEdits, rewriteWorkflow } from '../../../src/workflows/rewrite.js';

const options = { file: 'w.yml', isGitHubRegistry: (host: string) => host === 'ghcr.io' };

describe('applyEdits', () => {
  it('splices from the end, once per identical edit, skipping one that overlaps a later edit', () => {
    expect(
      applyEdits('abcdef', [
        { start: 1, end: 2, text: 'B' },
        { start: 4, end: 4, text: '+' },
        { start: 1, end: 2, text: 'B' },
        { start: 3, end: 5, text: 'X' },
      ]),
    ).toBe('aBcd+ef');
    expect(applyEdits('abc', [])).toBe('abc');
  });
});

describe('rewriteWorkflow', () => {
  const job = (steps: string, env = '') =>
    `on: push\n${env}jobs:\n  build:\n    permissions:\n      contents: read\n      packages: write\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

  it('removes an env entry that only carried the PAT (an env key opening its step stays, as {})', () => {
    const text = job(
      '      - env:\n          PAT: ${{ secrets.CR_PAT }}\n        run: echo "$PAT" | docker login ghcr.io -u me --password-stdin\n',
      'env:\n  PAT2: ${{ secrets.CR_PAT }}\n  KEEP: 1\n',
    );
    const { text: out, findings } = rewriteWorkflow(text, options);
    expect(findings.map((f) => f.kind)).toEqual(['run-login']);
    expect(out).not.toContain('PAT:');
    expect(out).toContain(
      '      - env: {}\n        run: echo "${{ secrets.GITHUB_TOKEN }}" | docker login ghcr.io',
    );
    expect(out).toContain('env:\n  PAT2: ${{ secrets.CR_PAT }}\n  KEEP: 1\n'); // never used by a rewritten login
  });

  it('keeps an env entry the rest of the file still uses', () => {
    const text = job(
      '      - run: echo "$PAT" | docker login ghcr.io -u me --password-stdin\n      - run: gh release create --token "$PAT"\n',
      'env:\n  PAT: ${{ secrets.CR_PAT }}\n',
    );
    const { text: out } = rewriteWorkflow(text, options);
    expect(out).toContain('env:\n  PAT: ${{ secrets.CR_PAT }}\n');
    expect(out).toContain('echo "${{ secrets.GITHUB_TOKEN }}" | docker login');
  });

  it("removes this action's pat input, and the with key when it held nothing else", () => {
    const text = job(
      '      - uses: o/ghcr-image-action@v1\n        with:\n          pat: ${{ secrets.X }}\n      - run: echo done\n',
    );
    const { text: out, findings } = rewriteWorkflow(text, options);
    expect(findings.map((f) => [f.kind, f.line])).toEqual([['pat-input', 11]]);
    expect(out).toContain('      - uses: o/ghcr-image-action@v1\n      - run: echo done\n');
  });

  it('leaves a job whose permissions it cannot merge as it is, reporting why', () => {
    const text =
      'on: push\njobs:\n  build:\n    permissions: read-all\n    steps:\n      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          password: ${{ secrets.CR_PAT }}\n';
    const { text: out, findings } = rewriteWorkflow(text, options);
    expect(out).toBe(text);
    expect(findings).toMatchObject([{ kind: 'login-action', line: 9, rewritable: false }]);
  });

  it('never touches a file with a YAML error, nor one already on GITHUB_TOKEN', () => {
    expect(rewriteWorkflow('jobs: [\n', options)).toEqual({ findings: [], text: 'jobs: [\n' });
    const clean = job(
      '      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          password: ${{ github.token }}\n',
    );
    expect(rewriteWorkflow(clean, options)).toEqual({ findings: [], text: clean });
  });

  it('keeps job- and workflow-level env entries other steps still see, and says so in the finding', () => {
    const login = (name: string) =>
      `      - run: echo "$${name}" | docker login ghcr.io -u me --password-stdin\n`;
    const jobOf = (id: string, name: string, other: string) =>
      `  ${id}:\n    permissions:\n      packages: write\n    runs-on: ubuntu-latest\n    env:\n      ${name}: \${{ secrets.${name} }}\n    steps:\n${login(name)}${other}`;
    const text = `on: push\njobs:\n${jobOf('win', 'CR_PAT', '      - shell: pwsh\n        run: gh api user $env:CR_PAT\n')}${jobOf('rel', 'GHCR_TOKEN', '      - run: ./scripts/release.sh\n')}${jobOf('py', 'TOK', `      - run: python -c "import os; print(os.environ['TOK'])"\n`)}`;
    const { text: out, findings } = rewriteWorkflow(text, options);
    for (const name of ['CR_PAT', 'GHCR_TOKEN', 'TOK']) {
      expect(out).toContain(`    env:\n      ${name}: \${{ secrets.${name} }}\n`);
      expect(out).not.toContain(`echo "$${name}"`);
    }
    expect(findings.map((f) => [f.kind, f.rewritable])).toEqual(Array(3).fill(['run-login', true]));
    expect(findings.map((f) => /The env entry (\w+) of job '(\w+)' stays/.exec(f.message)?.slice(1))).toEqual(
      [
        ['CR_PAT', 'win'],
        ['GHCR_TOKEN', 'rel'],
        ['TOK', 'py'],
      ],
    );
    expect(findings[0]?.message).toContain('remove it by hand once nothing else needs the PAT');
  });

  it('removes a job-level env entry when every step of the job is a rewritten login', () => {
    const text = job(
      '      - run: echo "$PAT" | docker login ghcr.io -u me --password-stdin\n      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          password: ${{ env.PAT }}\n',
    ).replace('    runs-on:', '    env:\n      PAT: ${{ secrets.CR_PAT }}\n    runs-on:');
    const { text: out, findings } = rewriteWorkflow(text, options);
    expect(out).not.toContain('PAT:');
    expect(out).not.toContain('env:');
    expect(findings.some((f) => f.message.includes('stays'))).toBe(false);
  });
});
