import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseFileCommands } from '../support/action.js';
import { mustRun, runProgram } from '../support/exec.js';
import { expand } from '../support/expressions.js';
import { loadYaml, ROOT } from '../support/workflow-call.js';

// .github/workflows/release.yml's scripts, run with bash as the runner runs them, on small trees: the tag is the
// version, action references follow the tag's major (and name this repository on GitHub), the notes are the
// version's CHANGELOG.md section, the major tag moves to the newest release only (docs/releasing.md).
// (`gh release create` needs GitHub: it is not run here.)
const release = loadYaml(join(ROOT, '.github', 'workflows', 'release.yml'));
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const temp = () => mkdtempSync(join(tmpdir(), 'workflows-release-'));
const tree = (files: Record<string, string>) => {
  const dir = temp();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
};

type Step = { id?: string; name?: string; env?: Record<string, string>; run?: string };

function releaseStep(jobId: string, idOrName: string): Step & { run: string } {
  const jobs = release.jobs as Record<string, { steps: Step[] }>;
  const step = jobs[jobId]?.steps.find((s) => s.id === idOrName || s.name === idOrName);
  if (!step?.run) throw new Error(`release.yml has no run step '${idOrName}' in job ${jobId}`);
  return { ...step, run: step.run };
}

/** Runs a release step's script as the runner does (bash -eo pipefail) in `cwd`, its env: evaluated. */
async function runStep(step: Step & { run: string }, cwd: string, github: Record<string, string>) {
  const runner = temp();
  writeFileSync(join(runner, 'output'), '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: join(runner, 'output'),
    RUNNER_TEMP: runner,
    GITHUB_SHA: github.sha,
  };
  for (const [name, value] of Object.entries(step.env ?? {})) env[name] = String(expand(value, { github }));
  const ran = await runProgram('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
    env,
    cwd,
  });
  return { ...ran, outputs: parseFileCommands(readFileSync(join(runner, 'output'), 'utf8')) };
}

describe("release.yml: the tag is package.json's version", () => {
  const step = releaseStep('check', 'version');
  const dir = tree({ 'package.json': '{ "version": "1.2.3" }' });

  it('passes for v1.2.3 and fails for any other tag, naming both', async () => {
    expect((await runStep(step, dir, { ref_name: 'v1.2.3' })).code).toBe(0);
    const wrong = await runStep(step, dir, { ref_name: 'v1.2.4' });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain("::error::Tag v1.2.4 does not match package.json's version 1.2.3");
  });
});

describe('release.yml: action references at the tag major, naming this repository on GitHub', () => {
  const step = releaseStep('check', 'references');
  const files = (uses: string, called = uses) => ({
    'README.md': `Use it:\n\n    - uses: ${uses}\n`,
    '.github/workflows/publish-image.yml': `jobs:\n  a:\n    steps:\n      - uses: ${uses}\n`,
    'docs/reusable-workflows.md': `uses: ${called.replace('@', '/.github/workflows/publish-image.yml@')}\n`,
  });

  it("passes on this repository at package.json's version (off GitHub: the owner is not checked)", async () => {
    const ran = await runStep(step, ROOT, { ref_name: `v${version}`, repository: '' });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
  });

  it('fails on a reference at another major, with an annotation at its file and line', async () => {
    const dir = tree(files('OWNER/ghcr-image-action@v1', 'OWNER/ghcr-image-action@v2'));
    const ran = await runStep(step, dir, { ref_name: 'v1.4.0', repository: '' });
    expect(ran.code).toBe(1);
    expect(ran.stdout.trim().split('\n')).toEqual([
      '::error file=docs/reusable-workflows.md,line=1::OWNER/ghcr-image-action/.github/workflows/publish-image.yml@v2 is at v2, but this release is v1.4.0: change it to OWNER/ghcr-image-action/.github/workflows/publish-image.yml@v1.',
    ]);
  });

  it('on GitHub refuses the placeholder owner, and passes when every reference names the repository', async () => {
    const github = { ref_name: 'v1.4.0', repository: 'octo-org/ghcr-image-action' };
    const placeholder = await runStep(step, tree(files('OWNER/ghcr-image-action@v1')), github);
    expect(placeholder.code).toBe(1);
    expect(placeholder.stdout).toContain(
      '::error file=README.md,line=3::OWNER/ghcr-image-action@v1 names OWNER, but this release is of octo-org/ghcr-image-action: change it to octo-org/ghcr-image-action@v1',
    );
    expect(placeholder.stdout.match(/::error /g)).toHaveLength(3);
    const named = await runStep(step, tree(files('octo-org/ghcr-image-action@v1')), github);
    expect(named.stdout).toContain('3 references name octo-org/ghcr-image-action at v1.');
    expect(named.code).toBe(0);
  });

  it('fails when it finds no reference at all (a check that checked nothing)', async () => {
    const ran = await runStep(
      step,
      tree({ 'README.md': 'nothing\n', '.github/workflows/x.yml': '', 'docs/a.md': '' }),
      {
        ref_name: 'v1.0.0',
        repository: '',
      },
    );
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('No <owner>/ghcr-image-action@vN reference');
  });
});

describe('release.yml: release notes from CHANGELOG.md', () => {
  const step = releaseStep('check', 'notes');
  const changelog = [
    '# Changelog',
    '',
    '## [Unreleased]',
    '',
    '- not yet',
    '',
    '## [0.2.0] - 2026-12-01',
    '',
    '### Fixed',
    '',
    '- a [linked](https://example.com) fix',
    '',
    '## 0.1.0 (2026-11-27)',
    '',
    'The first release.',
    '',
    '[0.2.0]: https://example.com/compare',
    '',
  ].join('\n');
  const dir = tree({ 'CHANGELOG.md': changelog });

  it('takes the section of `## [X.Y.Z] ...` or `## X.Y.Z ...`, to the next heading, trimmed', async () => {
    const second = await runStep(step, dir, { ref_name: 'v0.2.0' });
    expect(second.code).toBe(0);
    expect(second.outputs.notes).toBe('### Fixed\n\n- a [linked](https://example.com) fix');
    const first = await runStep(step, dir, { ref_name: 'v0.1.0' });
    expect(first.outputs.notes).toBe('The first release.\n\n[0.2.0]: https://example.com/compare');
  });

  it('fails without a section for the version, saying what to add', async () => {
    const ran = await runStep(step, dir, { ref_name: 'v0.3.0' });
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain(
      "::error file=CHANGELOG.md::CHANGELOG.md has no section for 0.3.0: add '## [0.3.0] - ",
    );
    expect(ran.outputs).toEqual({});
  });

  it("finds package.json's version in this repository's CHANGELOG.md, and the release job gets it", async () => {
    const ran = await runStep(step, ROOT, { ref_name: `v${version}` });
    expect(ran.code).toBe(0);
    expect(ran.outputs.notes?.length).toBeGreaterThan(20);
    const jobs = release.jobs as Record<string, { outputs?: Record<string, string>; steps: Step[] }>;
    const notes = expand(jobs.check?.outputs?.notes, { steps: { notes: { outputs: ran.outputs } } });
    const create = jobs.release?.steps.find((s) => s.name === 'Create the GitHub release');
    expect(expand(create?.env?.NOTES, { needs: { check: { outputs: { notes } } } })).toBe(ran.outputs.notes);
  });
});

describe('release.yml: the major tag', () => {
  const step = releaseStep('release', 'Move the major tag');
  const git = (cwd: string, ...args: string[]) =>
    mustRun('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd });
  const commit = async (work: string, tag: string) => {
    await git(work, 'commit', '-q', '--allow-empty', '-m', tag);
    await git(work, 'tag', tag);
    await git(work, 'push', '-q', 'origin', tag);
    return (await git(work, 'rev-parse', 'HEAD')).stdout.trim();
  };
  const remoteTag = async (origin: string, tag: string) =>
    (await git(origin, 'rev-parse', `refs/tags/${tag}^{commit}`)).stdout.trim();

  it('moves vX to the newest vX.Y.Z, and leaves it there for a patch of an older minor', async () => {
    const origin = temp();
    const work = temp();
    await git(origin, 'init', '-q', '--bare');
    await git(work, 'init', '-q');
    await git(work, 'remote', 'add', 'origin', origin);
    const first = await commit(work, 'v1.0.0');
    const newest = await commit(work, 'v1.1.0');
    const moved = await runStep(step, work, { ref_name: 'v1.1.0', sha: newest });
    expect(moved.code).toBe(0);
    expect(await remoteTag(origin, 'v1')).toBe(newest);

    await git(work, 'checkout', '-q', first);
    const patch = await commit(work, 'v1.0.1');
    const kept = await runStep(step, work, { ref_name: 'v1.0.1', sha: patch });
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain('::notice::v1 stays where it is: v1.1.0 is a higher release than v1.0.1.');
    expect(await remoteTag(origin, 'v1')).toBe(newest);
  });
});
