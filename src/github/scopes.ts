/** The scopes of a classic personal access token, as GitHub reports them on any REST answer. */
import { asNetworkError, NetworkError, printable } from '../registry/index.js';
import { apiHeaders, githubApi } from './api.js';

export type ScopeReport =
  { kind: 'scopes'; scopes: string[] } | { kind: 'bad-credentials' } | { kind: 'unknown'; why: string };

/** What Octokit throws for an answer that is not 2xx (RequestError), as far as it is read here. */
interface ApiFailure {
  status?: number;
  response?: { headers: Record<string, unknown> };
}

/** GET $GITHUB_API_URL/user: X-OAuth-Scopes lists a classic PAT's scopes; 401 means a wrong or revoked token. */
export async function readTokenScopes(
  apiUrl: string,
  token: string,
  userAgent: string,
  fetchImpl?: typeof fetch,
): Promise<ScopeReport> {
  let status: number;
  let header: unknown;
  try {
    const api = await githubApi({ apiUrl, token, userAgent, fetch: fetchImpl });
    const answer = await api.request('GET /user', {
      headers: apiHeaders(userAgent),
      request: { signal: AbortSignal.timeout(15_000) },
    });
    [status, header] = [answer.status, answer.headers['x-oauth-scopes']];
  } catch (error) {
    const failure = error as ApiFailure;
    if (failure.response === undefined || failure.status === undefined) {
      // No HTTP answer: the network failure in words (host and port, cause), else what was thrown.
      const network = asNetworkError(error, new URL(apiUrl));
      const why = network instanceof NetworkError ? network.brief : printable(String(error), 300);
      return { kind: 'unknown', why: `${apiUrl}/user: ${why}` };
    }
    if (failure.status === 401) return { kind: 'bad-credentials' };
    return { kind: 'unknown', why: `${apiUrl}/user answered ${failure.status} without X-OAuth-Scopes` };
  }
  if (typeof header !== 'string') {
    return { kind: 'unknown', why: `${apiUrl}/user answered ${status} without X-OAuth-Scopes` };
  }
  return {
    kind: 'scopes',
    scopes: header
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/** The classic scope a registry action needs; write:packages includes reading. */
export function missingScope(scopes: string[], need: 'pull' | 'push'): string | undefined {
  if (need === 'push') return scopes.includes('write:packages') ? undefined : 'write:packages';
  return scopes.includes('read:packages') || scopes.includes('write:packages') ? undefined : 'read:packages';
}
