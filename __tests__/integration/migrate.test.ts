import { afterAll, expect, it } from '@jest/globals';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain, runPostStep, runnerEnv, type StepResult } from '../support/action.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, FIXTURES } from '../support/step.js';
import { BROKEN_FILE, BROKEN_LINE, EXPECTED_FINDINGS } from '../fixtures/workflows/expected.js';

// command: migrate through the bundle (node dist/index.js), on a temp copy of the corpus as the workspace: every
// PAT login annotated at its file and line, nothing clean flagged, `write: true` rewriting in place with
// comments kept, a second run finding nothing, and no session, docker login or post-step work at all.
const CORPUS = join(FIXTURES, 'workflows');
const DIR = '.github/workflows';
const temps: string[] = [];

/** A workspace holding the corpus under .github/workflows, and runner files of its own. */
function workspace(): { env: NodeJS.ProcessEnv; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'migrate-ws-'));
  temps.push(root);
  mkdirSync(join(root, '.github'), { recursive: true });
  cpSync(CORPUS, join(root, DIR), { recursive: true, filter: (src) => !src.endsWith('.ts') });
  const env = runnerEnv({
    GITHUB_WORKSPACE: root,
    DOCKER_CONFIG: join(root, '..', `docker-${temps.length}`),
  });
  temps.push(env.RUNNER_TEMP as string);
  return { env, root };
}

/** `::warning ...file=F,line=N::` lines as [file, line, title]. */
function placed(result: StepResult): [string, number, string][] {
  return result.stdout.split('\n').flatMap((line) => {
    const m = /^::warning title=([^,]*),file=([^,]*),line=(\d+)::/.exec(line);
    return m ? [[m[2] ?? '', Number(m[3]), m[1] ?? '']] : [];
  });
}

const snapshot = (root: string) =>
  Object.fromEntries(readdirSync(join(root, DIR)).map((f) => [f, readFileSync(join(root, DIR, f), 'utf8')]));

const expectedPlaces = (only: (rewritable: boolean) => boolean = () => true) =>
  Object.entries(EXPECTED_FINDINGS)
    .flatMap(([file, found]) => found.filter(([, , r]) => only(r)).map(([line]) => [`${DIR}/${file}`, line]))
    .sort();

describeWithStack('migrate: PAT logins in workflow files, found and rewritten', () => {
  afterAll(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  it('reports every PAT login at its line, flags nothing clean, and changes nothing without write', async () => {
    const { env, root } = workspace();
    const before = snapshot(root);
    const result = await runMain({ command: 'migrate' }, env);
    expect(result.code).toBe(0);
    const findings = placed(result).filter(([file]) => !file.endsWith(BROKEN_FILE));
    expect(findings.map(([file, line]) => [file, line]).sort()).toEqual(expectedPlaces());
    expect(findings.some(([file]) => file.endsWith('clean.yml'))).toBe(false);
    expect(placed(result)).toContainEqual([`${DIR}/${BROKEN_FILE}`, BROKEN_LINE, 'Workflow not checked']);
    expect(result.outputs.findings).toBe(String(expectedPlaces().length));
    expect(result.outputs.files).toBe('');
    expect(snapshot(root)).toEqual(before);
    expect(annotations(result, 'warning').filter((w) => w.includes('left for a human'))).toHaveLength(
      expectedPlaces((r) => !r).length,
    );
  });

  it('rewrites in place with write: true (comments kept), and a second run reports 0', async () => {
    const { env, root } = workspace();
    const before = snapshot(root);
    const result = await runMain({ command: 'migrate', write: 'true' }, env);
    expect(result.code).toBe(0);
    const changed = Object.entries(EXPECTED_FINDINGS)
      .filter(([, found]) => found.some(([, , rewritable]) => rewritable))
      .map(([file]) => `${DIR}/${file}`)
      .sort();
    expect(result.outputs.files?.split('\n').sort()).toEqual(changed);
    expect(result.outputs.findings).toBe(String(expectedPlaces().length));
    expect(result.summary).toContain('<table>');
    expect(result.summary).toContain('rewritten');
    expect(result.summary).toContain('left for a human');
    const after = snapshot(root);
    for (const file of Object.keys(before)) {
      const comments = before[file]?.split('\n').filter((l) => l.trim().startsWith('#')) ?? [];
      for (const comment of comments) expect(after[file]).toContain(comment);
      if (!changed.includes(`${DIR}/${file}`)) expect(after[file]).toBe(before[file]);
    }
    expect(after['crlf.yml']?.replace(/\r\n/g, '')).not.toContain('\n');
    expect(after['run-scripts.yml']).not.toContain('secrets.CR_PAT');

    // Again: only what was left for a human remains; without that file, nothing at all.
    const again = await runMain({ command: 'migrate', write: 'true' }, env);
    expect(again.outputs.findings).toBe(String(expectedPlaces((r) => !r).length));
    expect(again.outputs.files).toBe('');
    unlinkSync(join(root, DIR, 'manual.yml'));
    const last = await runMain({ command: 'migrate' }, env);
    expect(last.code).toBe(0);
    expect(last.outputs.findings).toBe('0');
    expect(placed(last).filter(([file]) => !file.endsWith(BROKEN_FILE))).toEqual([]);
  });

  it('opens no session: no docker login, nothing for the post step to undo', async () => {
    const { env } = workspace();
    const result = await runMain({ command: 'migrate', write: 'true', 'github-token': 'ghs_unused' }, env);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('Credentials for');
    expect(result.state['login-registry']).toBeUndefined();
    expect(existsSync(join(env.DOCKER_CONFIG as string, 'config.json'))).toBe(false);
    const post = await runPostStep({}, result.state, env);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('Nothing to clean up.');
  });

  it.each([
    ['../x', 'outside the workspace'],
    ['/etc', 'outside the workspace'],
    ['.github/workflows/*.yaml', 'a glob that matches no file'],
    ['no-such-folder', 'does not exist in the workspace'],
  ])('refuses workflows: %s, naming the value and the fix, changing nothing', async (value, why) => {
    const { env, root } = workspace();
    const before = snapshot(root);
    const result = await runMain({ command: 'migrate', workflows: value, write: 'true' }, env);
    expect(result.code).toBe(1);
    const [error] = annotations(result, 'error');
    expect(error).toContain(`Input 'workflows' is '${value}'`);
    expect(error).toContain(why);
    expect(error).toContain('Fix:');
    expect(snapshot(root)).toEqual(before);
  });

  it('warns about a file over 1 MiB and a link out of the workspace, and still checks the others', async () => {
    const { env, root } = workspace();
    const outside = mkdtempSync(join(tmpdir(), 'migrate-out-'));
    temps.push(outside);
    writeFileSync(join(outside, 'secret.yml'), readFileSync(join(CORPUS, 'crlf.yml')));
    symlinkSync(join(outside, 'secret.yml'), join(root, DIR, 'linked.yml'));
    writeFileSync(join(root, DIR, 'huge.yml'), `# ${'x'.repeat(1024 * 1024)}\non: push\n`);
    const result = await runMain({ command: 'migrate', write: 'true' }, env);
    expect(result.code).toBe(0);
    const warnings = annotations(result, 'warning');
    expect(warnings.some((w) => w.includes('linked.yml') && w.includes('not followed'))).toBe(true);
    expect(warnings.some((w) => w.includes('huge.yml') && w.includes('limit'))).toBe(true);
    expect(result.outputs.findings).toBe(String(expectedPlaces().length));
    expect(readFileSync(join(outside, 'secret.yml'), 'utf8')).toBe(
      readFileSync(join(CORPUS, 'crlf.yml'), 'utf8'),
    );
  });
});
