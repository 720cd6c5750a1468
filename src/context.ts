import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';

/** Facts about the run: where, for which repository, triggered by what. Read once from the runner's env. */
export interface RunContext {
  eventName: string;
  /** `owner/repo`, or '' outside a repository run. */
  repository: string;
  owner: string;
  /** 'User' or 'Organization' (from the payload), '' when unknown. */
  ownerType: string;
  actor: string;
  sha: string;
  ref: string;
  serverUrl: string;
  apiUrl: string;
  isPullRequest: boolean;
  /** A pull request whose head lives in another repository: its GITHUB_TOKEN is read-only. */
  isForkPullRequest: boolean;
  defaultBranch: string | undefined;
  pullRequestNumber: number | undefined;
  payload: EventPayload;
  /** GITHUB_WORKSPACE (the checkout), else the current folder: builds read files from here ... */
  workspace: string;
  /** ... or from RUNNER_TEMP (the system's temp folder outside a runner). */
  runnerTemp: string;
  /**
   * The running workflow's file (GITHUB_WORKFLOW_REF), as a path from the workspace root, when the checkout holds
   * it as a regular file; undefined otherwise (no checkout, a reusable workflow of another repository).
   */
  workflowFile?: string;
  /** GITHUB_JOB: the running job's id in the workflow file. */
  job?: string;
  /** GITHUB_ACTION: the running step's id (or the name the runner made up for a step without one). */
  stepId?: string;
  /** GITHUB_RUN_ID: the workflow run (provenance names it as the builder). */
  runId?: string;
  /** Whether the repository is private or internal (the payload's `private`); undefined when it does not say. */
  repositoryPrivate?: boolean;
}

/** The webhook payload of the triggering event (GITHUB_EVENT_PATH), as far as this action reads it. */
export interface EventPayload {
  repository?: RepoPayload;
  pull_request?: { number?: number; head?: { repo?: RepoPayload | null } };
  [key: string]: unknown;
}

interface RepoPayload {
  full_name?: string;
  owner?: { type?: string };
  default_branch?: string;
  private?: boolean;
}

function readPayload(path: string | undefined): EventPayload {
  if (!path || !existsSync(path)) return {};
  return JSON.parse(readFileSync(path, 'utf8')) as EventPayload;
}

/**
 * `owner/repo/.github/workflows/file.yml@refs/heads/main` -> `.github/workflows/file.yml`, when that file is a
 * regular file inside `workspace` (a symlink is not followed).
 */
export function workflowFileOf(workflowRef: string | undefined, workspace: string): string | undefined {
  const at = workflowRef?.lastIndexOf('@') ?? -1;
  const path = (at > 0 ? workflowRef?.slice(0, at) : workflowRef)?.split('/').slice(2).join('/');
  if (!path || !path.startsWith('.github/workflows/')) return undefined;
  const inside = relative(workspace, resolve(workspace, path));
  if (inside.startsWith('..') || isAbsolute(inside)) return undefined;
  try {
    return lstatSync(resolve(workspace, inside)).isFile() ? inside.split('\\').join('/') : undefined;
  } catch {
    return undefined;
  }
}

/** The run's context from the runner's environment and the event payload file. */
export function readContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const repository = env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? '';
  const pullRequest = payload.pull_request;
  const headRepo = pullRequest?.head?.repo?.full_name;
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    repository,
    owner: env.GITHUB_REPOSITORY_OWNER ?? repository.split('/')[0] ?? '',
    ownerType: payload.repository?.owner?.type ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    isPullRequest: pullRequest !== undefined,
    // A deleted fork has no head repository: treat it as a fork (its token is read-only too).
    isForkPullRequest:
      pullRequest !== undefined && headRepo !== (payload.repository?.full_name ?? repository),
    defaultBranch: payload.repository?.default_branch,
    pullRequestNumber: pullRequest?.number,
    payload,
    workspace: resolve(env.GITHUB_WORKSPACE || process.cwd()),
    runnerTemp: resolve(env.RUNNER_TEMP || tmpdir()),
    workflowFile: workflowFileOf(env.GITHUB_WORKFLOW_REF, resolve(env.GITHUB_WORKSPACE || process.cwd())),
    job: env.GITHUB_JOB || undefined,
    stepId: env.GITHUB_ACTION || undefined,
    runId: env.GITHUB_RUN_ID || undefined,
    repositoryPrivate:
      typeof payload.repository?.private === 'boolean' ? payload.repository.private : undefined,
  };
}
