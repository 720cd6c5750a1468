/**
 * Why a registry refused a GitHub credential, and what to change. The registry's own words come first; the
 * likely causes follow, most likely first, each with its fix.
 */
import { RegistryError, describeErrors } from '../registry/index.js';
import type { RunContext } from '../context.js';
import type { TokenKind } from './token-kind.js';

export type AuthMethod = 'github-token' | 'pat' | 'password' | 'anonymous';
export type Need = 'pull' | 'push';

export interface Attempt {
  method: AuthMethod;
  kind: TokenKind;
  need: Need;
  registry: string;
  /** The repository the refusal concerns (registry path, e.g. octo-org/app). */
  repository: string;
}

export const TOKEN_PAGE = 'https://github.com/settings/tokens/new?scopes=write:packages';

/** True when the error is a refusal of the credentials (not a network failure or a missing image). */
export function isRefusal(error: unknown): error is RegistryError {
  return error instanceof RegistryError && (error.status === 401 || error.status === 403);
}

function packageSettings(context: RunContext, repository: string): string {
  const [owner = '', ...rest] = repository.split('/');
  const kind = context.ownerType === 'User' ? 'users' : 'orgs';
  return `the package's settings (${context.serverUrl}/${kind}/${owner}/packages/container/${encodeURIComponent(rest.join('/'))}/settings)`;
}

/** Causes and fixes for one refused attempt, as lines. */
export function explainRefusal(error: RegistryError, attempt: Attempt, context: RunContext): string[] {
  const said = error.errors.length ? describeErrors(error.errors) : `HTTP ${error.status ?? '?'}`;
  const lines = [
    `${attempt.registry} refused ${attempt.method === 'anonymous' ? 'anonymous access' : `the ${attempt.method}`} to ${attempt.need} ${attempt.repository}: ${said}.`,
  ];
  const tokenRefused = error.operation === 'authenticate to';
  const repo = context.repository || 'this repository';

  if (tokenRefused && attempt.method === 'github-token') {
    lines.push(
      '- The token itself was refused: GITHUB_TOKEN is valid only while its job runs. Pass `${{ github.token }}` (the default) unchanged, not a stored copy.',
    );
    return lines;
  }
  if (tokenRefused && attempt.method === 'pat') {
    lines.push(
      '- The personal access token was refused: it is wrong, expired or revoked. Create a new classic token with only write:packages (' +
        TOKEN_PAGE +
        ') and update the secret, or better, drop the PAT and use GITHUB_TOKEN.',
      "- For an organization's packages: if the organization uses SAML single sign-on, authorize the token for it (Settings > Developer settings > Personal access tokens > Configure SSO).",
    );
    return lines;
  }
  if (tokenRefused) {
    lines.push(`- The credentials were refused by ${attempt.registry}: check the username and password.`);
    return lines;
  }
  if (attempt.method === 'anonymous') {
    lines.push(
      `- ${attempt.repository} is private (new ghcr.io packages are) or does not exist. Give the step a token that may read it: \`github-token: \${{ github.token }}\` with \`permissions: packages: read\`.`,
    );
    return lines;
  }
  if (attempt.method === 'github-token') {
    if (attempt.need === 'push' && context.isForkPullRequest) {
      lines.push(
        '- This run is a pull request from a fork: its GITHUB_TOKEN is read-only, whatever the workflow asks. Do not push for pull requests: `push: auto` (the default) builds without pushing on pull_request events.',
      );
    }
    const role = attempt.need === 'push' ? 'write' : 'read';
    lines.push(
      `- The job lacks \`permissions: packages: ${role}\`. Add it to the job (or the workflow):\n    permissions:\n      contents: read\n      packages: ${role}`,
      `- The package ${attempt.repository} exists but is not connected to ${repo}, or ${repo} has no Actions access to it. In ${packageSettings(context, attempt.repository)}, under "Manage Actions access", add ${repo} with the ${role === 'write' ? 'Write' : 'Read'} role. (A package first published from this repository's workflow with the org.opencontainers.image.source label, which this action adds, is connected to it.)`,
    );
    return lines;
  }
  if (attempt.method === 'pat') {
    lines.push(
      `- The token's user may not ${attempt.need} ${attempt.repository}, or the token lacks ${attempt.need === 'push' ? 'write:packages' : 'read:packages'}.`,
      "- For an organization's packages: if the organization uses SAML single sign-on, authorize the token for it.",
    );
    return lines;
  }
  lines.push(
    `- The account given in 'username' may not ${attempt.need} ${attempt.repository} on ${attempt.registry}: check its rights there.`,
  );
  return lines;
}
