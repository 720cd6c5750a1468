import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkWorkflows } from '../../../src/workflows/scan.js';

const ws = mkdtempSync(join(tmpdir(), 'workflow-scan-'));
mkdirSync(join(ws, 'w'));
const PAT =
  'on: push\njobs:\n  b:\n    permissions:\n      packages: write\n    steps:\n      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          password: ${{ secrets.CR_PAT }}\n';
writeFileSync(join(ws, 'w', 'pat.yml'), PAT);
writeFileSync(join(ws, 'w', 'bad.yml'), 'on: [\n');
afterAll(() => rmSync(ws, { recursive: true, force: true }));

const request = (write: boolean) => ({
  workspace: ws,
  files: ['w/bad.yml', 'w/pat.yml', 'w/gone.yml'],
  write,
  isGitHubRegistry: (h: string) => h === 'ghcr.io',
});

describe('checkWorkflows', () => {
  it('reports without writing, and names each file it could not check', () => {
    const [bad, pat, gone] = checkWorkflows(request(false));
    expect(bad).toMatchObject({ file: 'w/bad.yml', findings: [], problem: { line: 2 }, rewritten: false });
    expect(bad?.problem?.message).toMatch(/^it is not valid YAML: /);
    expect(pat).toMatchObject({ file: 'w/pat.yml', rewritten: false });
    expect(pat?.findings.map((f) => [f.file, f.line])).toEqual([['w/pat.yml', 10]]);
    expect(gone?.problem?.message).toContain('cannot be read');
    expect(readFileSync(join(ws, 'w', 'pat.yml'), 'utf8')).toBe(PAT);
  });

  it('writes the rewrite back with write, and finds nothing the second time', () => {
    expect(checkWorkflows(request(true))[1]).toMatchObject({ rewritten: true });
    expect(readFileSync(join(ws, 'w', 'pat.yml'), 'utf8')).toBe(
      PAT.replace('secrets.CR_PAT', 'secrets.GITHUB_TOKEN'),
    );
    expect(checkWorkflows(request(true))[1]).toMatchObject({ findings: [], rewritten: false });
  });
});
