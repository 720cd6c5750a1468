/**
 * Choosing the credentials: GITHUB_TOKEN first, a personal access token only as a warned fallback, a password
 * for registries that are not GitHub's. Each candidate is proven on the registry (a token handshake, and for
 * push an empty upload opened) before any work; the first that passes is used.
 */
import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';
import { allOrFirstError, type Credentials, type RegistryClient, type Reference } from '../registry/index.js';
import { TOKEN_PAGE, explainRefusal, isRefusal, type AuthMethod, type Need } from './refusals.js';
import { isGitHubRegistry } from './registry.js';
import { missingScope, readTokenScopes } from './scopes.js';
import { describeTokenKind, isPersonalAccessToken, tokenKind, type TokenKind } from './token-kind.js';

export interface Annotation {
  level: 'warning' | 'notice';
  message: string;
  /** Where it points: a file from the workspace root and its 1-based line (the workflow's `pat:` line). */
  file?: string;
  line?: number;
}

export interface CredentialRequest {
  registry: string;
  githubToken: string;
  pat: string;
  password: string;
  username: string;
  /** What must be proven: push on these repositories, pull on those (all on `registry`). */
  push: Reference[];
  pull: Reference[];
  context: RunContext;
  userAgent: string;
}

export interface CredentialChoice {
  method: AuthMethod;
  credentials: Credentials | undefined;
  client: RegistryClient;
  annotations: Annotation[];
}

export interface CredentialDeps {
  /** A client that sends `credentials` (chosen as `method`) to the registry, and only there. */
  newClient: (credentials: Credentials | undefined, method: AuthMethod) => RegistryClient;
  fetch?: typeof fetch;
  debug?: (message: string) => void;
  /** The line of the running workflow file (context.workflowFile) that passes `pat:`, when it can be found. */
  patLine?: () => number | undefined;
}

interface Candidate {
  method: AuthMethod;
  input: 'github-token' | 'pat' | 'password' | 'none';
  secret: string;
  kind: TokenKind;
}

function candidatesFor(request: CredentialRequest, annotations: Annotation[]): Candidate[] {
  if (request.password) {
    return [
      { method: 'password', input: 'password', secret: request.password, kind: tokenKind(request.password) },
    ];
  }
  if (!isGitHubRegistry(request.registry, request.context)) {
    if (request.githubToken || request.pat) {
      annotations.push({
        level: 'notice',
        message: `${request.registry} is not a GitHub registry, so no GitHub token is sent to it. To log in there, set 'username' and 'password' (e.g. from secrets).`,
      });
    }
    return [{ method: 'anonymous', input: 'none', secret: '', kind: 'other' }];
  }
  const candidates: Candidate[] = [];
  if (request.githubToken) {
    const kind = tokenKind(request.githubToken);
    candidates.push({
      method: isPersonalAccessToken(kind) ? 'pat' : 'github-token',
      input: 'github-token',
      secret: request.githubToken,
      kind,
    });
  }
  if (request.pat)
    candidates.push({ method: 'pat', input: 'pat', secret: request.pat, kind: tokenKind(request.pat) });
  if (candidates.length === 0)
    candidates.push({ method: 'anonymous', input: 'none', secret: '', kind: 'other' });
  return candidates;
}

function usernameFor(request: CredentialRequest): string {
  return request.username || request.context.actor || 'github-actions';
}

/** How to move this workflow off the PAT, for the access it needs (reading wants less than writing). */
function migrationSteps(context: RunContext, need: Need): string {
  const repo = context.repository || 'this repository';
  const connect =
    need === 'push'
      ? `2. Connect the package to ${repo}: the next publish with GITHUB_TOKEN adds the org.opencontainers.image.source label that does it, or add the repository under "Manage Actions access" in the package settings (Write role).`
      : `2. Give ${repo} access to the package: under "Manage Actions access" in the package settings, add it with the Read role (a package published from ${repo} has it already).`;
  return [
    'Migrate this workflow to GITHUB_TOKEN:',
    `1. Give the job \`permissions: packages: ${need === 'push' ? 'write' : 'read'}\` (and \`contents: read\`).`,
    connect,
    "3. Remove the 'pat' input and delete the PAT secret (and revoke the token).",
  ].join('\n');
}

/** Checks a GitHub token before it touches the registry: kind warnings, classic PAT scopes. */
async function precheck(
  candidate: Candidate,
  need: Need,
  request: CredentialRequest,
  deps: CredentialDeps,
  annotations: Annotation[],
): Promise<string | undefined> {
  if (candidate.kind === 'fine-grained-pat') {
    annotations.push({
      level: 'warning',
      message: `The '${candidate.input}' input holds ${describeTokenKind(candidate.kind)}. GitHub Packages documents only classic personal access tokens for the container registry; prefer GITHUB_TOKEN, or a classic token with only write:packages (${TOKEN_PAGE}).`,
    });
  }
  if (candidate.kind === 'refresh')
    return `the '${candidate.input}' input holds ${describeTokenKind(candidate.kind)}.`;
  if (candidate.kind !== 'classic-pat') return undefined;
  const report = await readTokenScopes(
    request.context.apiUrl,
    candidate.secret,
    request.userAgent,
    deps.fetch,
  );
  if (report.kind === 'bad-credentials') {
    return `GitHub does not accept the personal access token in '${candidate.input}' (401 Bad credentials from ${request.context.apiUrl}/user): it is wrong, expired or revoked. Create a new classic token with only write:packages (${TOKEN_PAGE}) and update the secret.`;
  }
  if (report.kind === 'unknown') {
    deps.debug?.(`Could not read the token's scopes: ${report.why}`);
    return undefined;
  }
  if (report.scopes.includes('repo')) {
    annotations.push({
      level: 'warning',
      message: `The personal access token in '${candidate.input}' has the 'repo' scope, which gives full control of private repositories: far more than a registry needs. Create one with only write:packages (${TOKEN_PAGE}), or move to GITHUB_TOKEN.`,
    });
  }
  const missing = missingScope(report.scopes, need);
  if (missing) {
    return `The personal access token in '${candidate.input}' lacks the ${missing} scope needed to ${need} (its scopes: ${report.scopes.join(', ') || 'none'}). Create a token with ${missing} (${TOKEN_PAGE}), or use GITHUB_TOKEN with \`permissions: packages: ${need === 'push' ? 'write' : 'read'}\`.`;
  }
  return undefined;
}

/** Proves the client may do what the command needs, without writing anything. */
async function prove(client: RegistryClient, request: CredentialRequest): Promise<void> {
  // One token covers everything the command does on the registry (the proof's requests included).
  client.expectAccess({ push: request.push, pull: request.pull });
  const proofs = [
    ...request.pull.map((ref) => () => client.checkPullPermission(ref)),
    ...request.push.map((ref) => () => client.checkPushPermission(ref)),
  ];
  // The first alone (it makes the token handshake), then the others side by side; a refusal is reported in
  // this order (pulls first) whichever came back first.
  const [first, ...others] = proofs;
  if (first) await first();
  await allOrFirstError(others.map((proof) => proof()));
}

export async function chooseCredentials(
  request: CredentialRequest,
  deps: CredentialDeps,
): Promise<CredentialChoice> {
  const annotations: Annotation[] = [];
  const need: Need = request.push.length ? 'push' : 'pull';
  const failures: string[] = [];
  const candidates = candidatesFor(request, annotations);
  for (const candidate of candidates) {
    const refused = await precheck(candidate, need, request, deps, annotations);
    if (refused) {
      failures.push(refused);
      continue;
    }
    const credentials =
      candidate.method === 'anonymous'
        ? undefined
        : { username: usernameFor(request), password: candidate.secret };
    const client = deps.newClient(credentials, candidate.method);
    try {
      await prove(client, request);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      // A token service's refusal names the registry only: then the first repository asked for is meant.
      const asked = request.push.concat(request.pull);
      const repository =
        (asked.find((r) => error.reference.includes(r.repository)) ?? asked[0])?.repository ?? '';
      failures.push(
        explainRefusal(
          error,
          { method: candidate.method, kind: candidate.kind, need, registry: request.registry, repository },
          request.context,
        ).join('\n'),
      );
      continue;
    }
    annotations.push(...afterChoice(candidate, failures, request, deps));
    return { method: candidate.method, credentials, client, annotations };
  }
  const tried = candidates
    .map((c) => (c.input === 'none' ? 'anonymous access' : `'${c.input}'`))
    .join(', then ');
  if (
    !request.githubToken &&
    !request.pat &&
    !request.password &&
    isGitHubRegistry(request.registry, request.context)
  ) {
    failures.unshift(
      "'github-token' is empty (and no 'pat' is set), so no credentials were given: pass `github-token: ${{ github.token }}` (the default; check that the workflow does not set it to an empty value).",
    );
  }
  throw new ActionError(
    `No credentials may ${need} on ${request.registry} (tried ${tried}); nothing was built, pushed or changed.\n${failures.join('\n')}`,
    candidates.length === 1
      ? 'see the causes above.'
      : 'see the causes above, one group per credential tried.',
  );
}

/** The workflow file and line of its `pat:` input, for the warning to point at; {} when either is unknown. */
function patPlace(request: CredentialRequest, deps: CredentialDeps): { file?: string; line?: number } {
  const file = request.context.workflowFile;
  const line = file ? deps.patLine?.() : undefined;
  return file && line ? { file, line } : {};
}

function afterChoice(
  chosen: Candidate,
  failures: string[],
  request: CredentialRequest,
  deps: CredentialDeps,
): Annotation[] {
  const notes: Annotation[] = [];
  if (chosen.method === 'pat') {
    const why = failures.length
      ? `GITHUB_TOKEN was refused, so the personal access token from '${chosen.input}' was used.\nWhy GITHUB_TOKEN was refused:\n${failures.join('\n')}`
      : `A personal access token (from '${chosen.input}') was used.`;
    const need: Need = request.push.length ? 'push' : 'pull';
    const place = chosen.input === 'pat' ? patPlace(request, deps) : {};
    notes.push({ level: 'warning', message: `${why}\n${migrationSteps(request.context, need)}`, ...place });
  }
  if (chosen.method === 'github-token' && request.pat && request.push.length + request.pull.length > 0) {
    notes.push({
      level: 'notice',
      message:
        "GITHUB_TOKEN was enough: the personal access token in 'pat' was not needed. Remove the 'pat' input and delete the PAT secret.",
    });
  }
  return notes;
}
