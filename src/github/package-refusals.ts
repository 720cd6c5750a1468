/**
 * Why the Packages API refused a token, and what to change: GitHub's own words first, then the likely causes,
 * each with its fix and a link.
 */
import type { RunContext } from '../context.js';
import type { PackageId, PackagesApiError } from './packages.js';
import type { TokenKind } from './token-kind.js';

export const DELETE_DOCS =
  'https://docs.github.com/en/packages/learn-github-packages/deleting-and-restoring-a-package';
export const ACCESS_DOCS =
  'https://docs.github.com/en/packages/learn-github-packages/configuring-a-packages-access-control-and-visibility';
export const DELETE_TOKEN_PAGE =
  'https://github.com/settings/tokens/new?scopes=read:packages,delete:packages';

export interface ApiAttempt {
  /** The input the token came from. */
  input: 'github-token' | 'pat';
  kind: TokenKind;
  id: PackageId;
  /** Reading (package, versions) or deleting a version. */
  need: 'read' | 'delete';
}

/** True when the API refused the token or could not show the package (as opposed to no answer). */
export function isApiRefusal(error: unknown): error is PackagesApiError {
  const status = (error as { status?: unknown })?.status;
  return (
    (error as Error)?.name === 'PackagesApiError' && (status === 401 || status === 403 || status === 404)
  );
}

export function packageSettingsUrl(context: RunContext, id: PackageId): string {
  return `${context.serverUrl}/${id.kind}/${id.owner}/packages/container/${encodeURIComponent(id.name)}/settings`;
}

/** The refusal in lines: who was refused what, GitHub's words, then the causes (most likely first). */
export function explainApiRefusal(
  error: PackagesApiError,
  attempt: ApiAttempt,
  context: RunContext,
): string[] {
  const pkg = `${attempt.id.owner}/${attempt.id.name}`;
  const head = `GitHub's Packages API refused the token in '${attempt.input}' to ${error.operation}: HTTP ${error.status}${error.said ? ` "${error.said}"` : ''}.`;
  if (error.status === 401) {
    return [
      head,
      attempt.input === 'github-token'
        ? '- The token is not valid: pass `${{ github.token }}` (the default) unchanged, not a stored copy.'
        : `- The personal access token is wrong, expired or revoked: create a classic token with read:packages and delete:packages (${DELETE_TOKEN_PAGE}) and update the secret.`,
    ];
  }
  const settings = packageSettingsUrl(context, attempt.id);
  const causes =
    attempt.need === 'read' ? readCauses(attempt, pkg, settings) : deleteCauses(attempt, pkg, settings);
  return [head, ...causes];
}

function readCauses(attempt: ApiAttempt, pkg: string, settings: string): string[] {
  const causes = [
    `- The package ${pkg} does not exist, or this token cannot see it. Check the owner and name in 'image' (the package's name is everything after the owner, e.g. ${attempt.id.owner}/REPO/NAME is the package REPO/NAME).`,
  ];
  if (attempt.input === 'github-token') {
    causes.push(
      `- GITHUB_TOKEN sees a private package only when the job has \`permissions: packages: read\` (or write) and this repository is listed under "Manage Actions access" in the package's settings (${settings}); see ${ACCESS_DOCS}.`,
    );
  } else if (attempt.kind === 'fine-grained-pat') {
    causes.push(
      `- Fine-grained personal access tokens cannot use the Packages API: use GITHUB_TOKEN, or a classic token with read:packages and delete:packages (${DELETE_TOKEN_PAGE}).`,
    );
  } else {
    causes.push(
      `- The token lacks read:packages, or its user cannot see the package. Create a classic token with read:packages and delete:packages (${DELETE_TOKEN_PAGE}).`,
    );
  }
  return causes;
}

function deleteCauses(attempt: ApiAttempt, pkg: string, settings: string): string[] {
  const causes =
    attempt.input === 'github-token'
      ? [
          `- GITHUB_TOKEN may delete versions of ${pkg} only when this repository has the Admin role on the package: in its settings (${settings}), under "Manage Actions access", give the repository the Admin role; and the job needs \`permissions: packages: write\`. See ${DELETE_DOCS}.`,
          "- Otherwise pass a classic personal access token with read:packages and delete:packages in 'pat' (a warned fallback; " +
            DELETE_TOKEN_PAGE +
            ').',
        ]
      : [
          `- The personal access token lacks delete:packages, or its user is not an admin of ${pkg}. Create a classic token with read:packages and delete:packages (${DELETE_TOKEN_PAGE}); see ${DELETE_DOCS}.`,
        ];
  causes.push(
    `- A version of a public package downloaded more than 5,000 times cannot be deleted (${DELETE_DOCS}): keep it with 'keep-tags', or contact GitHub Support.`,
  );
  return causes;
}
