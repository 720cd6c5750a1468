/**
 * GitHub's REST API through @actions/github's Octokit: every REST call of the action goes through here, to
 * $GITHUB_API_URL (GitHub Enterprise Server included). Loaded only when a command calls the API.
 */
import type { getOctokit } from '@actions/github';
import { isLoopbackRegistry, nodeFetch, proxySettingsFrom } from '../registry/index.js';

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

/** Redirects followed, within the API's own origin only. */
const MAX_REDIRECTS = 3;

/**
 * Octokit's fetch: the registry client's node:http(s) requests, through the runner's proxies (HTTPS_PROXY,
 * HTTP_PROXY, NO_PROXY; a loopback API is reached directly, as @actions/http-client does) like every other
 * request of the action. @actions/github's own fetch would load undici for one call and hold the process open
 * for ~100 ms after it (its HTTP parser, compiled to WebAssembly, is optimised in the background). A redirect is
 * followed within the API's origin only (the token never goes anywhere else): 307 and 308 for any method (the
 * body is a string, sent again), 301 and 302 for a GET or HEAD. Any other redirect fails the call: taken as an
 * answer, a redirected DELETE would look done.
 */
export function apiFetch(): typeof fetch {
  const proxied = nodeFetch(proxySettingsFrom(process.env));
  const direct = nodeFetch({});
  return async (input, init) => {
    let url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const read = ['GET', 'HEAD'].includes((init?.method ?? 'GET').toUpperCase());
    for (let hop = 0; ; hop++) {
      const response = await (isLoopbackRegistry(url.host) ? direct : proxied)(url, init);
      if (response.status < 300 || response.status > 399 || response.status === 304) return response;
      await response.body?.cancel();
      const location = response.headers.get('location');
      const next = location ? new URL(location, url) : undefined;
      const follows = [307, 308].includes(response.status) || ([301, 302].includes(response.status) && read);
      if (!next || next.origin !== url.origin || !follows || hop >= MAX_REDIRECTS)
        throw new Error(
          `${url.origin}${url.pathname} answered ${response.status}${next ? ` (to ${next.origin}${next.pathname})` : ''}: not followed`,
        );
      url = next;
    }
  };
}

/** Headers every call sends: the action's own User-Agent (alone) and GitHub's current media type. */
export function apiHeaders(userAgent: string): Record<string, string> {
  return { 'user-agent': userAgent, accept: 'application/vnd.github+json' };
}
