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
});
