import { afterAll, expect, it } from '@jest/globals';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain, runnerEnv } from '../support/action.js';
import { describeWithStack } from '../support/stack.js';
import { annotations } from '../support/step.js';

// command: migrate through the bundle, on what a review found it got wrong: env entries other steps still read,
// credentials it cannot tell, files it cannot or must not write (read-only, hard-linked, not UTF-8).
const DIR = '.github/workflows';
const temps: string[] = [];
const PAT = (job: string) =>
  `on: push\njobs:\n  ${job}:\n    permissions:\n      packages: write\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          password: \${{ secrets.CR_PAT }}\n`;

function workspace(files: Record<string, string | Buffer>): { env: NodeJS.ProcessEnv; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'migrate-writes-'));
  temps.push(root);
  mkdirSync(join(root, 'ws', DIR), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'ws', DIR, name), text);
  const env = runnerEnv({ GITHUB_WORKSPACE: join(root, 'ws'), DOCKER_CONFIG: join(root, 'docker') });
  temps.push(env.RUNNER_TEMP as string);
  return { env, root };
}

const at = (root: string, name: string) => join(root, 'ws', DIR, name);

describeWithStack('migrate: what it must leave alone, and files it cannot write', () => {
  afterAll(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps job-level env entries other steps still use, and says so', async () => {
    const job = (id: string, name: string, other: string) =>
      `  ${id}:\n    permissions:\n      packages: write\n    runs-on: ubuntu-latest\n    env:\n      ${name}: \${{ secrets.${name} }}\n    steps:\n      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          password: \${{ env.${name} }}\n${other}`;
    const text = `on: push\njobs:\n${job('win', 'CR_PAT', '      - shell: pwsh\n        run: gh api user $env:CR_PAT\n')}${job('rel', 'GHCR_TOKEN', '      - run: ./scripts/release.sh\n')}${job('py', 'TOK', `      - run: python -c "import os; print(os.environ['TOK'])"\n`)}`;
    const { env, root } = workspace({ 'release.yml': text });
    const result = await runMain({ command: 'migrate', write: 'true' }, env);
    expect(result.code).toBe(0);
    expect(result.outputs.files).toBe(`${DIR}/release.yml`);
    const after = readFileSync(at(root, 'release.yml'), 'utf8');
    for (const name of ['CR_PAT', 'GHCR_TOKEN', 'TOK'])
      expect(after).toContain(`    env:\n      ${name}: \${{ secrets.${name} }}\n`);
    expect(after).not.toContain('password: ${{ env.');
    const kept = annotations(result, 'warning').filter((w) => w.includes('stays'));
    expect(kept).toHaveLength(3);
    expect(kept[0]).toContain("The env entry CR_PAT of job 'win' stays");
  });

  it('reports a login whose credential it cannot tell as such, never as GITHUB_TOKEN, and changes nothing', async () => {
    const win = `on: push\njobs:\n  win:\n    runs-on: windows-latest\n    steps:\n      - shell: pwsh\n        run: echo ghp_literal | docker login ghcr.io -u me --password-stdin\n      - run: cat pat.txt | docker login ghcr.io -u me --password-stdin\n`;
    const pwsh = `on: push\njobs:\n  win:\n    runs-on: windows-latest\n    env:\n      WPAT: \${{ secrets.CR_PAT }}\n    steps:\n      - shell: pwsh\n        run: echo $env:WPAT | docker login ghcr.io -u me --password-stdin\n`;
    const { env, root } = workspace({ 'unknown.yml': win, 'pwsh.yml': pwsh });
    const result = await runMain({ command: 'migrate', write: 'true' }, env);
    expect(result.code).toBe(0);
    const warnings = annotations(result, 'warning');
    expect(warnings.some((w) => w.includes('with GITHUB_TOKEN'))).toBe(false);
    const unknown = result.stdout.split('\n').filter((l) => l.includes('title=Login credential unknown'));
    expect(unknown.map((l) => /line=(\d+)/.exec(l)?.[1])).toEqual(['7', '8']);
    expect(unknown[0]).toContain('could not tell which credential this login uses; check it by hand');
    expect(readFileSync(at(root, 'unknown.yml'), 'utf8')).toBe(win);
    // $env:WPAT is read as the env entry: a PAT login, rewritten with the job's permissions.
    expect(result.outputs.files).toBe(`${DIR}/pwsh.yml`);
    const after = readFileSync(at(root, 'pwsh.yml'), 'utf8');
    expect(after).toContain('run: echo ${{ secrets.GITHUB_TOKEN }} | docker login ghcr.io');
    expect(after).toContain('packages: write');
  });

  it('leaves hard-linked and non-UTF-8 files as they were, with a warning each', async () => {
    const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${PAT('b')}`)]);
    const { env, root } = workspace({ 'a.yml': PAT('a'), 'latin1.yml': latin1, 'ok.yml': PAT('c') });
    linkSync(at(root, 'a.yml'), join(root, 'outside.yml'));
    const result = await runMain({ command: 'migrate', write: 'true' }, env);
    expect(result.code).toBe(0);
    expect(readFileSync(join(root, 'outside.yml'), 'utf8')).toBe(PAT('a'));
    expect(readFileSync(at(root, 'latin1.yml')).equals(latin1)).toBe(true);
    expect(result.outputs.files).toBe(`${DIR}/ok.yml`);
    const warnings = annotations(result, 'warning');
    expect(warnings.some((w) => w.includes(`${DIR}/a.yml was not rewritten: it has 2 hard links`))).toBe(
      true,
    );
    expect(
      warnings.some((w) => w.includes(`${DIR}/latin1.yml was not rewritten: it is not valid UTF-8`)),
    ).toBe(true);
  });

  it('writes every file it can, reports the one it cannot, writes outputs and summary, then fails', async () => {
    const { env, root } = workspace({ 'a.yml': PAT('a'), 'b.yml': PAT('b'), 'c.yml': PAT('c') });
    chmodSync(at(root, 'b.yml'), 0o444);
    const result = await runMain({ command: 'migrate', write: 'true' }, env);
    expect(result.code).toBe(1);
    expect(result.outputs.files?.split('\n')).toEqual([`${DIR}/a.yml`, `${DIR}/c.yml`]);
    expect(result.outputs.findings).toBe('3');
    expect(readFileSync(at(root, 'b.yml'), 'utf8')).toBe(PAT('b'));
    expect(readFileSync(at(root, 'c.yml'), 'utf8')).toContain('secrets.GITHUB_TOKEN');
    expect(annotations(result, 'warning')).toContainEqual(
      expect.stringContaining(`${DIR}/b.yml was not rewritten: it is read-only (mode 444). Fix:`),
    );
    const [error] = annotations(result, 'error');
    expect(error).toContain(`1 workflow file(s) could not be rewritten: ${DIR}/b.yml (it is read-only`);
    expect(error).toContain('Fix:');
    expect(result.summary).toContain(`${DIR}/b.yml was not rewritten`);
    expect(result.summary).toContain('<table>');
  });
});
