/**
 * GitHub's REST API through @actions/github's Octokit: every REST call of the action goes through here, to
 * $GITHUB_API_URL (GitHub Enterprise Server included). Loaded only when a command calls the API.
 */
import type { getOctokit } from '@actions/github';

export type GitHubApi = ReturnType<typeof getOctokit>;

export interface ApiOptions {
  /** $GITHUB_API_URL, e.g. https://api.github.com or https://HOST/api/v3. */
  apiUrl: string;
  token: string;
  userAgent: string;
  /** For tests; otherwise @actions/github's own fetch, which honours the runner's proxy settings. */
  fetch?: typeof fetch;
}

/** An Octokit for the API at `apiUrl`, authenticated with `token` (sent as `Authorization: token ...`). */
export async function githubApi(options: ApiOptions): Promise<GitHubApi> {
  const { getOctokit } = await import('@actions/github');
  return getOctokit(options.token, {
    baseUrl: options.apiUrl,
    userAgent: options.userAgent,
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
}

/** Headers every call sends: the action's own User-Agent (alone) and GitHub's current media type. */
export function apiHeaders(userAgent: string): Record<string, string> {
  return { 'user-agent': userAgent, accept: 'application/vnd.github+json' };
}
