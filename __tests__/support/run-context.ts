import { tmpdir } from 'node:os';
import type { RunContext } from '../../src/context.js';

/** A push to main of octo-org/hello-world (an organization's repository) by octocat, with an empty payload. */
export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    eventName: 'push',
    repository: 'octo-org/hello-world',
    owner: 'octo-org',
    ownerType: 'Organization',
    actor: 'octocat',
    sha: '4f6d3a1c2b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f',
    ref: 'refs/heads/main',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    isPullRequest: false,
    isForkPullRequest: false,
    defaultBranch: 'main',
    pullRequestNumber: undefined,
    payload: {},
    workspace: process.cwd(),
    runnerTemp: tmpdir(),
    ...overrides,
  };
}
