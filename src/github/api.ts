/**
 * GitHub's REST API through @actions/github's Octokit: every REST call of the action goes through here, to
 * $GITHUB_API_URL (GitHub Enterprise Server included). Loaded only when a command calls the API.
 */
import type { getOctokit } from '@actions/github';
import { nodeFetch, proxySettingsFrom } from '../registry/index.js';

export type GitHubApi = ReturnType<typeof getOctokit>;

export interface ApiOptions {
  /** $GITHUB_API_URL, e.g. https://api.github.com or https://HOST/api/v3. */
  apiUrl: string;
  token: string;
  userAgent: string;
  /** For tests; otherwise apiFetch(). */
  fetch?: typeof fetch;
}

/** An Octokit for the API at `apiUrl`, authenticated with `token` (sent as `Authorization: token ...`). */
export async function githubApi(options: ApiOptions): Promise<GitHubApi> {
  const { getOctokit } = await import('@actions/github');
  return getOctokit(options.token, {
    baseUrl: options.apiUrl,
    userAgent: options.userAgent,
    request: { fetch: options.fetch ?? apiFetch() },
  });
}

/** Redirects followed for a read, within the API's own origin only. */
const MAX_REDIRECTS = 3;

/**
 * Octokit's fetch: the registry client's node:http(s) requests, through the runner's proxies (HTTPS_PROXY,
 * HTTP_PROXY, NO_PROXY) like every other request of the action. @actions/github's own fetch would load undici
 * for one call and hold the process open for ~100 ms after it (its HTTP parser, compiled to WebAssembly, is
 * optimised in the background). A GET or HEAD follows a redirect (a renamed owner) within the API's origin, so
 * the token never goes anywhere else; other redirects are answered as they are.
 */
export function apiFetch(): typeof fetch {
  const send = nodeFetch(proxySettingsFrom(process.env));
  return async (input, init) => {
    let url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const read = ['GET', 'HEAD'].includes((init?.method ?? 'GET').toUpperCase());
    for (let hop = 0; ; hop++) {
      const response = await send(url, init);
      const location = response.headers.get('location');
      if (!read || hop >= MAX_REDIRECTS || !location || ![301, 302, 307, 308].includes(response.status))
        return response;
      const next = new URL(location, url);
      if (next.origin !== url.origin) return response;
      await response.body?.cancel();
      url = next;
    }
  };
}

/** Headers every call sends: the action's own User-Agent (alone) and GitHub's current media type. */
export function apiHeaders(userAgent: string): Record<string, string> {
  return { 'user-agent': userAgent, accept: 'application/vnd.github+json' };
}
