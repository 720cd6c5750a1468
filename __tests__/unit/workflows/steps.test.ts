import { describe, expect, it } from '@jest/globals';
import { jobsOf } from '../../../src/workflows/model.js';
import { parseWorkflow } from '../../../src/workflows/parse.js';
import { checkStep, isThisAction } from '../../../src/workflows/steps.js';

const GHES = (host: string) => host === 'ghcr.io' || host === 'containers.git.example.com';

/** The outcome of the only step of the only job of a workflow built around `step`. */
function outcome(step: string, env = '') {
  const parsed = parseWorkflow(`on: push\n${env}jobs:\n  build:\n    steps:\n${step}`);
  if (!('workflow' in parsed)) throw new Error(parsed.problem.message);
  const [job] = jobsOf(parsed.workflow);
  const first = job?.steps[0];
  if (!first) throw new Error('no step');
  return checkStep(parsed.workflow, first, { file: 'w.yml', isGitHubRegistry: GHES });
}

const login = (uses: string, registryKey: string, registry: string, password: string) =>
  `      - uses: ${uses}\n        with:\n          ${registryKey}: ${registry}\n          password: ${password}\n`;

describe('checkStep: login actions', () => {
  it('finds known and similar login actions pointed at a GitHub registry, at the password line', () => {
    for (const [uses, key] of [
      ['docker/login-action@v3', 'registry'],
      ['redhat-actions/podman-login@v1', 'registry'],
      ['azure/docker-login@v2', 'login-server'],
      ['someone/registry-login-action@main', 'registry'],
    ] as const) {
      const found = outcome(login(uses, key, 'ghcr.io', '${{ secrets.CR_PAT }}'));
      expect(found?.findings.map((f) => [f.kind, f.line, f.rewritable])).toEqual([['login-action', 8, true]]);
      expect(found?.registry).toEqual({ host: 'ghcr.io', need: 'write' });
    }
  });

  it('knows containers.<GHES host> and reads the registry through env', () => {
    const found = outcome(
      login('docker/login-action@v3', 'registry', '${{ env.R }}', "'${{ secrets.X }}'"),
      'env:\n  R: containers.git.example.com\n',
    );
    expect(found?.findings).toHaveLength(1);
    expect(found?.edits).toEqual([expect.objectContaining({ text: "'${{ secrets.GITHUB_TOKEN }}'" })]);
  });

  it('leaves other registries, GITHUB_TOKEN, and actions that are no login alone', () => {
    expect(
      outcome(login('docker/login-action@v3', 'registry', 'docker.io', '${{ secrets.HUB }}')),
    ).toBeUndefined();
    expect(
      outcome(login('docker/login-action@v3', 'registry', 'ghcr.io', '${{ github.token }}'))?.findings,
    ).toEqual([]);
    expect(outcome(login('actions/cache@v4', 'registry', 'ghcr.io', '${{ secrets.X }}'))).toBeUndefined();
  });

  it('does not rewrite a block-scalar password', () => {
    const found = outcome(
      '      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          password: >-\n            ${{ secrets.CR_PAT }}\n',
    );
    expect(found?.findings.map((f) => f.rewritable)).toEqual([false]);
    expect(found?.edits).toEqual([]);
  });
});

describe('checkStep: this action', () => {
  it('recognises its uses: forms', () => {
    expect(['o/ghcr-image-action@v1', 'o/ghcr-image-action/sub@main', './', '.'].map(isThisAction)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['o/ghcr-image-action-fork@v1', 'o/other@v1', 'ghcr-image-action@v1'].map(isThisAction)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('flags pat: and a PAT in github-token:, and needs read only for pull and resolve', () => {
    const found = outcome(
      '      - uses: o/ghcr-image-action@v1\n        with:\n          command: pull\n          github-token: ${{ secrets.OLD }}\n          pat: ${{ secrets.CR_PAT }}\n',
    );
    expect(found?.findings.map((f) => [f.kind, f.line, f.message.slice(0, 35)])).toEqual([
      ['pat-input', 9, "This action's 'pat' input passes se"],
      ['pat-input', 8, "This action's 'github-token' input "],
    ]);
    // Both go: removing the inputs' lines leaves `with:` its command.
    expect(found?.edits).toHaveLength(2);
    expect(found?.registry).toEqual({ host: 'ghcr.io', need: 'read' });
  });

  it('skips migrate steps and other registries', () => {
    expect(
      outcome(
        '      - uses: ./\n        with:\n          command: migrate\n          pat: ${{ secrets.X }}\n',
      ),
    ).toBeUndefined();
    expect(
      outcome(
        '      - uses: ./\n        with:\n          registry: docker.io\n          pat: ${{ secrets.X }}\n',
      ),
    ).toBeUndefined();
  });
});
