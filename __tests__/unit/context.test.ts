import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readContext, workflowFileOf, type EventPayload } from '../../src/context.js';
import { runContext } from '../support/run-context.js';

const dir = mkdtempSync(join(tmpdir(), 'context-test-'));
let files = 0;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes an event payload to a fresh file in the temp dir and returns its path. */
function payloadFile(payload: EventPayload): string {
  const path = join(dir, `event-${++files}.json`);
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

const REPOSITORY = { full_name: 'octo-org/hello-world', default_branch: 'main' };

function runnerEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'octo-org/hello-world',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SHA: '4f6d3a1c2b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    ...overrides,
  };
}

function pullRequest(headRepo: { full_name: string } | null, number = 42): EventPayload {
  return {
    action: 'opened',
    number,
    pull_request: { number, head: { repo: headRepo } },
    repository: REPOSITORY,
  };
}

describe('readContext', () => {
  it('reads a push: not a pull request, fields from the env and the payload', () => {
    const payload: EventPayload = { ref: 'refs/heads/main', repository: REPOSITORY };
    const context = readContext(runnerEnv({ GITHUB_EVENT_PATH: payloadFile(payload) }));
    expect(context).toEqual(runContext({ ownerType: '', payload }));
  });

  it("marks a pull request from a fork (head repository differs) as a fork's", () => {
    const context = readContext(
      runnerEnv({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REF: 'refs/pull/42/merge',
        GITHUB_EVENT_PATH: payloadFile(pullRequest({ full_name: 'someone/hello-world' })),
      }),
    );
    expect(context.isPullRequest).toBe(true);
    expect(context.isForkPullRequest).toBe(true);
    expect(context.pullRequestNumber).toBe(42);
    expect(context.eventName).toBe('pull_request');
  });

  it('does not mark a pull request within the repository as a fork', () => {
    const context = readContext(
      runnerEnv({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: payloadFile(pullRequest({ full_name: 'octo-org/hello-world' }, 7)),
      }),
    );
    expect(context.isPullRequest).toBe(true);
    expect(context.isForkPullRequest).toBe(false);
    expect(context.pullRequestNumber).toBe(7);
  });

  it('treats a pull request whose head repository is gone (deleted fork) as a fork', () => {
    const context = readContext(
      runnerEnv({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: payloadFile(pullRequest(null)) }),
    );
    expect(context.isPullRequest).toBe(true);
    expect(context.isForkPullRequest).toBe(true);
  });

  it('compares the head repository with GITHUB_REPOSITORY when the payload names no repository', () => {
    const sameRepo: EventPayload = {
      pull_request: { number: 3, head: { repo: { full_name: 'octo-org/hello-world' } } },
    };
    const fork: EventPayload = {
      pull_request: { number: 4, head: { repo: { full_name: 'someone/hello-world' } } },
    };
    expect(readContext(runnerEnv({ GITHUB_EVENT_PATH: payloadFile(sameRepo) })).isForkPullRequest).toBe(
      false,
    );
    expect(readContext(runnerEnv({ GITHUB_EVENT_PATH: payloadFile(fork) })).isForkPullRequest).toBe(true);
  });

  it('defaults the server and API URLs to github.com', () => {
    const context = readContext({});
    expect(context.serverUrl).toBe('https://github.com');
    expect(context.apiUrl).toBe('https://api.github.com');
  });

  it('defaults empty server and API URLs too', () => {
    const context = readContext({ GITHUB_SERVER_URL: '', GITHUB_API_URL: '' });
    expect(context.serverUrl).toBe('https://github.com');
    expect(context.apiUrl).toBe('https://api.github.com');
  });

  it('keeps GitHub Enterprise Server URLs, trailing slashes trimmed', () => {
    const context = readContext({
      GITHUB_SERVER_URL: 'https://ghe.example.com/',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3//',
    });
    expect(context.serverUrl).toBe('https://ghe.example.com');
    expect(context.apiUrl).toBe('https://ghe.example.com/api/v3');
  });

  it('reads an empty payload when GITHUB_EVENT_PATH is unset or names no file', () => {
    for (const env of [runnerEnv(), runnerEnv({ GITHUB_EVENT_PATH: join(dir, 'no-such-event.json') })]) {
      const context = readContext(env);
      expect(context.payload).toEqual({});
      expect(context.isPullRequest).toBe(false);
      expect(context.isForkPullRequest).toBe(false);
      expect(context.defaultBranch).toBeUndefined();
      expect(context.repository).toBe('octo-org/hello-world');
    }
  });

  it('gives empty strings outside a run', () => {
    const context = readContext({});
    expect(context).toMatchObject({ eventName: '', repository: '', owner: '', actor: '', sha: '', ref: '' });
  });

  it('takes the owner from GITHUB_REPOSITORY_OWNER first', () => {
    const context = readContext({
      GITHUB_REPOSITORY: 'octo-org/hello-world',
      GITHUB_REPOSITORY_OWNER: 'Octo-Org',
    });
    expect(context.owner).toBe('Octo-Org');
  });

  it('else from GITHUB_REPOSITORY', () => {
    expect(readContext({ GITHUB_REPOSITORY: 'octo-org/hello-world' }).owner).toBe('octo-org');
  });

  it("else from the payload's repository, which also gives the repository", () => {
    const context = readContext({ GITHUB_EVENT_PATH: payloadFile({ repository: REPOSITORY }) });
    expect(context.repository).toBe('octo-org/hello-world');
    expect(context.owner).toBe('octo-org');
    expect(context.defaultBranch).toBe('main');
  });

  it('reads process.env by default', () => {
    const saved = process.env.GITHUB_ACTOR;
    process.env.GITHUB_ACTOR = 'context-test-actor';
    try {
      expect(readContext().actor).toBe('context-test-actor');
    } finally {
      if (saved === undefined) delete process.env.GITHUB_ACTOR;
      else process.env.GITHUB_ACTOR = saved;
    }
  });
});

describe('readContext owner type', () => {
  it('reads the repository owner type from the payload', () => {
    const payload: EventPayload = { repository: { ...REPOSITORY, owner: { type: 'Organization' } } };
    expect(readContext(runnerEnv({ GITHUB_EVENT_PATH: payloadFile(payload) })).ownerType).toBe(
      'Organization',
    );
  });
});

describe('the workflow file (GITHUB_WORKFLOW_REF)', () => {
  const workspace = join(dir, 'workspace');
  mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(workspace, '.github', 'workflows', 'publish.yml'), 'on: push\n');
  writeFileSync(join(dir, 'outside.yml'), 'on: push\n');
  symlinkSync(join(dir, 'outside.yml'), join(workspace, '.github', 'workflows', 'linked.yml'));
  const ref = (path: string) => `octo-org/hello-world/${path}@refs/heads/main`;

  it('is the path from the workspace root when the checkout has the file', () => {
    expect(workflowFileOf(ref('.github/workflows/publish.yml'), workspace)).toBe(
      '.github/workflows/publish.yml',
    );
    const context = readContext(
      runnerEnv({
        GITHUB_WORKSPACE: workspace,
        GITHUB_WORKFLOW_REF: ref('.github/workflows/publish.yml'),
        GITHUB_JOB: 'build',
        GITHUB_ACTION: 'push-step',
      }),
    );
    expect(context).toMatchObject({
      workflowFile: '.github/workflows/publish.yml',
      job: 'build',
      stepId: 'push-step',
    });
  });

  it('is undefined when missing, a link, outside .github/workflows, escaping, or not set', () => {
    for (const value of [
      ref('.github/workflows/other.yml'),
      ref('.github/workflows/linked.yml'),
      ref('.github/workflows/../../outside.yml'),
      ref('README.md'),
      'garbage',
      '',
      undefined,
    ])
      expect(workflowFileOf(value, workspace)).toBeUndefined();
  });
});
