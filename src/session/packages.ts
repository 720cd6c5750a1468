/**
 * The Packages API session of `cleanup`: GITHUB_TOKEN first, a classic PAT as the warned fallback (its scopes
 * checked before use), every refusal explained. Reads the package's versions; deletes with the token that may.
 */
import * as core from '@actions/core';
import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';
import {
  DELETE_TOKEN_PAGE,
  explainApiRefusal,
  isApiRefusal,
  type ApiAttempt,
} from '../github/package-refusals.js';
import { PackagesApi, type ApiVersion, type PackageFacts, type PackageId } from '../github/packages.js';
import { readTokenScopes } from '../github/scopes.js';
import { tokenKind, type TokenKind } from '../github/token-kind.js';
import type { Inputs } from '../inputs/index.js';
import { USER_AGENT } from '../version.js';

export interface ApiCandidate {
  input: 'github-token' | 'pat';
  token: string;
  kind: TokenKind;
}

export interface PackageSession {
  api: PackagesApi;
  candidate: ApiCandidate;
  id: PackageId;
  versions: ApiVersion[];
  /** Visibility and page, when GitHub answered. */
  facts: PackageFacts | undefined;
  /** The candidates not tried yet (the PAT after GITHUB_TOKEN). */
  rest: ApiCandidate[];
}

type ApiInputs = Pick<Inputs, 'githubToken' | 'pat'>;

export function apiCandidates(inputs: ApiInputs): ApiCandidate[] {
  const candidates: ApiCandidate[] = [];
  if (inputs.githubToken)
    candidates.push({
      input: 'github-token',
      token: inputs.githubToken,
      kind: tokenKind(inputs.githubToken),
    });
  if (inputs.pat) candidates.push({ input: 'pat', token: inputs.pat, kind: tokenKind(inputs.pat) });
  if (candidates.length === 0) {
    throw new ActionError(
      "Inputs 'github-token' and 'pat' are both empty: GitHub's Packages API needs a token.",
      "leave 'github-token' at its default (`${{ github.token }}`) and give the job `permissions: packages: write`.",
    );
  }
  return candidates;
}

/** A classic PAT's missing scope for what the run does, when GitHub says which scopes it has. */
async function missingPatScope(candidate: ApiCandidate, context: RunContext, deleting: boolean) {
  if (candidate.kind !== 'classic-pat') return undefined;
  const report = await readTokenScopes(context.apiUrl, candidate.token, USER_AGENT);
  if (report.kind !== 'scopes') return undefined;
  const has = (scope: string) => report.scopes.includes(scope);
  if (!has('read:packages') && !has('write:packages') && !has('delete:packages')) return 'read:packages';
  return deleting && !has('delete:packages') ? 'delete:packages' : undefined;
}

/** The package as one candidate sees it: its owner's kind, its versions and (best effort) its facts. */
async function readWith(candidate: ApiCandidate, context: RunContext, owner: string, name: string) {
  const api = await PackagesApi.open(context.apiUrl, candidate.token, USER_AGENT);
  const known = context.ownerType && context.owner.toLowerCase() === owner.toLowerCase();
  const kind = known ? (context.ownerType === 'Organization' ? 'orgs' : 'users') : await api.ownerKind(owner);
  const id: PackageId = { owner, kind, name };
  const versions = await api.listVersions(id);
  const facts = await api.getPackage(id).catch((error: unknown) => {
    core.info(
      `The package's visibility could not be read: ${error instanceof Error ? error.message : String(error)}.`,
    );
    return undefined;
  });
  return { api, id, versions, facts };
}

/** Lists the package's versions with the first candidate GitHub lets read them; refusals explained. */
export async function openPackageSession(
  inputs: ApiInputs,
  context: RunContext,
  pkg: { owner: string; name: string },
  deleting: boolean,
): Promise<PackageSession> {
  const candidates = apiCandidates(inputs);
  const refused: string[] = [];
  for (const [index, candidate] of candidates.entries()) {
    if (index > 0) core.warning(fallbackWarning(refused.at(-1) ?? ''), { title: 'Packages API credentials' });
    const missing = await missingPatScope(candidate, context, deleting);
    if (missing) {
      refused.push(
        `The personal access token in '${candidate.input}' lacks the ${missing} scope that cleanup needs${deleting ? ' to delete' : ''}: create a classic token with read:packages and delete:packages (${DELETE_TOKEN_PAGE}), or use GITHUB_TOKEN with the Admin role on the package.`,
      );
      continue;
    }
    try {
      const read = await readWith(candidate, context, pkg.owner, pkg.name);
      return { ...read, candidate, rest: candidates.slice(index + 1) };
    } catch (error) {
      if (!isApiRefusal(error)) throw error;
      const attempt: ApiAttempt = {
        input: candidate.input,
        kind: candidate.kind,
        id: { ...pkg, kind: context.ownerType === 'User' ? 'users' : 'orgs' },
        need: 'read',
      };
      refused.push(explainApiRefusal(error, attempt, context).join('\n'));
    }
  }
  throw new ActionError(
    `Nothing was deleted: the package ${pkg.owner}/${pkg.name} could not be read.\n${refused.join('\n')}`,
    'follow the cause above that applies, then run again (dry-run first).',
  );
}

export function fallbackWarning(why: string): string {
  return `${why}\nFalling back to the personal access token in 'pat'. Move off it: give this repository the Admin role on the package ("Manage Actions access" in its settings) and the job \`permissions: packages: write\`, then remove 'pat'.`;
}

/** A session for the next candidate (the PAT), for deleting after GITHUB_TOKEN was refused; undefined if none. */
export async function nextDeleter(
  session: PackageSession,
  context: RunContext,
): Promise<PackageSession | undefined> {
  const [candidate, ...rest] = session.rest;
  if (!candidate) return undefined;
  const missing = await missingPatScope(candidate, context, true);
  if (missing) {
    core.warning(
      `The personal access token in '${candidate.input}' lacks ${missing}: it cannot delete either (${DELETE_TOKEN_PAGE}).`,
    );
    return undefined;
  }
  const api = await PackagesApi.open(context.apiUrl, candidate.token, USER_AGENT);
  return { ...session, api, candidate, rest };
}

/**
 * The visibility and page of a just-published package, for the publish summary: asked with the token the
 * registry took (GitHub's registries only); never an error (a line in the log instead).
 */
export async function publishedPackageFacts(
  session: { method: string; credentials: { password: string } | undefined },
  context: RunContext,
  repository: string,
): Promise<PackageFacts | undefined> {
  const token = session.credentials?.password;
  if (!token || (session.method !== 'github-token' && session.method !== 'pat')) return undefined;
  const [owner = '', ...rest] = repository.split('/');
  try {
    return (
      await readWith({ input: 'github-token', token, kind: tokenKind(token) }, context, owner, rest.join('/'))
    ).facts;
  } catch (error) {
    core.info(
      `The package's visibility could not be read from GitHub's API: ${error instanceof Error ? error.message : String(error)}.`,
    );
    return undefined;
  }
}
