import { afterAll, describe, expect, it } from '@jest/globals';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe('checkWorkflows with write: files it must not or cannot write', () => {
  const root = mkdtempSync(join(tmpdir(), 'workflow-scan-refuse-'));
  const dir = join(root, 'ws', 'w');
  mkdirSync(dir, { recursive: true });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${PAT}`)]);

  it('leaves hard-linked, non-UTF-8 and read-only files as they were, and still writes the others', () => {
    writeFileSync(join(dir, 'a-linked.yml'), PAT);
    linkSync(join(dir, 'a-linked.yml'), join(root, 'outside.yml'));
    writeFileSync(join(dir, 'b-latin1.yml'), latin1);
    writeFileSync(join(dir, 'c-ro.yml'), PAT);
    chmodSync(join(dir, 'c-ro.yml'), 0o444);
    writeFileSync(join(dir, 'd-ok.yml'), PAT);
    const checks = checkWorkflows({
      ...request(true),
      workspace: join(root, 'ws'),
      files: ['w/a-linked.yml', 'w/b-latin1.yml', 'w/c-ro.yml', 'w/d-ok.yml'],
    });
    expect(checks.map((c) => [c.file, c.rewritten, c.unwritten?.failed, c.findings.length])).toEqual([
      ['w/a-linked.yml', false, false, 1],
      ['w/b-latin1.yml', false, false, 1],
      ['w/c-ro.yml', false, true, 1],
      ['w/d-ok.yml', true, undefined, 1],
    ]);
    expect(checks[0]?.unwritten?.message).toContain('hard links');
    expect(checks[1]?.unwritten?.message).toContain('not valid UTF-8');
    expect(checks[2]?.unwritten?.message).toContain('read-only');
    expect(readFileSync(join(root, 'outside.yml'), 'utf8')).toBe(PAT);
    expect(readFileSync(join(dir, 'b-latin1.yml')).equals(latin1)).toBe(true);
    expect(readFileSync(join(dir, 'c-ro.yml'), 'utf8')).toBe(PAT);
    expect(readFileSync(join(dir, 'd-ok.yml'), 'utf8')).toContain('secrets.GITHUB_TOKEN');
  });
});
