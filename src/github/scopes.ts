/** The scopes of a classic personal access token, as GitHub reports them on any REST answer. */

export type ScopeReport =
  { kind: 'scopes'; scopes: string[] } | { kind: 'bad-credentials' } | { kind: 'unknown'; why: string };

/** GET $GITHUB_API_URL/user: X-OAuth-Scopes lists a classic PAT's scopes; 401 means a wrong or revoked token. */
export async function readTokenScopes(
  apiUrl: string,
  token: string,
  userAgent: string,
  fetchImpl: typeof fetch = fetch,
): Promise<ScopeReport> {
  let response: Response;
  try {
    response = await fetchImpl(`${apiUrl}/user`, {
      headers: {
        Authorization: `token ${token}`,
        Accept: 'application/vnd.github+json',
        'User-Agent': userAgent,
      },
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    return { kind: 'unknown', why: `${apiUrl}/user could not be reached (${String(error)})` };
  }
  await response.body?.cancel();
  if (response.status === 401) return { kind: 'bad-credentials' };
  const header = response.headers.get('x-oauth-scopes');
  if (!response.ok || header === null) {
    return { kind: 'unknown', why: `${apiUrl}/user answered ${response.status} without X-OAuth-Scopes` };
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
