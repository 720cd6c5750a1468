/**
 * Why a registry refused a GitHub credential, and what to change. The registry's own words come first; the
 * likely causes follow, most likely first, each with its fix.
 */
import { RegistryError, describeErrors } from '../registry/index.js';
import type { RunContext } from '../context.js';
import type { TokenKind } from './token-kind.js';

/** How a registry was spoken to: a GitHub token, a PAT, a password, the docker config's login, or nothing. */
export type AuthMethod = 'github-token' | 'pat' | 'password' | 'docker-config' | 'anonymous';
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

/** Causes and fixes for one refused attempt, as lines: what was refused and by whom, then the likely causes. */
export function explainRefusal(error: RegistryError, attempt: Attempt, context: RunContext): string[] {
  const tokenRefused = error.operation === 'authenticate to';
  // A token service's refusal says which service refused (RegistryError.why): it may not be the registry.
  const said = error.errors.length
    ? describeErrors(error.errors)
    : tokenRefused
      ? error.why
      : `HTTP ${error.status ?? '?'}`;
  const who = attempt.method === 'anonymous' ? 'anonymous access' : `the ${attempt.method}`;
  const head = `${attempt.registry} refused ${who} to ${attempt.need} ${attempt.repository}: ${said}.`;
  const causes =
    tokenRefused && attempt.method !== 'anonymous'
      ? credentialCauses(attempt)
      : accessCauses(attempt, context);
  return [head, ...causes];
}

/** The credential itself was refused by the token service. */
function credentialCauses(attempt: Attempt): string[] {
  if (attempt.method === 'github-token') {
    return [
      '- The token itself was refused: GITHUB_TOKEN is valid only while its job runs. Pass `${{ github.token }}` (the default) unchanged, not a stored copy.',
    ];
  }
  if (attempt.method === 'pat') {
    return [
      '- The personal access token was refused: it is wrong, expired or revoked. Create a new classic token with only write:packages (' +
        TOKEN_PAGE +
        ') and update the secret, or better, drop the PAT and use GITHUB_TOKEN.',
      "- For an organization's packages: if the organization uses SAML single sign-on, authorize the token for it (Settings > Developer settings > Personal access tokens > Configure SSO).",
    ];
  }
  return [`- The credentials were refused by ${attempt.registry}: check the username and password.`];
}

/** The credential was accepted (or there was none), but not for this repository and action. */
function accessCauses(attempt: Attempt, context: RunContext): string[] {
  const repo = context.repository || 'this repository';
  if (attempt.method === 'anonymous' && attempt.need === 'push') {
    return [
      `- Pushing needs credentials. Give the step a token that may push to ${attempt.repository}: \`github-token: \${{ github.token }}\` with \`permissions: packages: write\`.`,
    ];
  }
  if (attempt.method === 'anonymous') {
    return [
      `- ${attempt.repository} is private (new ghcr.io packages are) or does not exist. Give the step a token that may read it: \`github-token: \${{ github.token }}\` with \`permissions: packages: read\`.`,
    ];
  }
  if (attempt.method === 'github-token') {
    const role = attempt.need === 'push' ? 'write' : 'read';
    const fork =
      attempt.need === 'push' && context.isForkPullRequest
        ? [
            '- This run is a pull request from a fork: its GITHUB_TOKEN is read-only, whatever the workflow asks. Do not push for pull requests: `push: auto` (the default) builds without pushing on pull_request events.',
          ]
        : [];
    return [
      ...fork,
      `- The job lacks \`permissions: packages: ${role}\`. Add it to the job (or the workflow); in a reusable workflow, add it to the caller's job, the one whose \`uses:\` names the workflow (a called workflow cannot raise what its caller grants):\n    permissions:\n      contents: read\n      packages: ${role}`,
      `- The package ${attempt.repository} exists but is not connected to ${repo}, or ${repo} has no Actions access to it. In ${packageSettings(context, attempt.repository)}, under "Manage Actions access", add ${repo} with the ${role === 'write' ? 'Write' : 'Read'} role. (A package first published from this repository's workflow with the org.opencontainers.image.source label, which this action adds, is connected to it.)`,
    ];
  }
  if (attempt.method === 'pat') {
    return [
      `- The token's user may not ${attempt.need} ${attempt.repository}, or the token lacks ${attempt.need === 'push' ? 'write:packages' : 'read:packages'}.`,
      "- For an organization's packages: if the organization uses SAML single sign-on, authorize the token for it.",
    ];
  }
  return [
    `- The account given in 'username' may not ${attempt.need} ${attempt.repository} on ${attempt.registry}: check its rights there.`,
  ];
}
