import { describe, expect, it, jest } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import {
  chooseCredentials,
  type CredentialDeps,
  type CredentialRequest,
} from '../../../src/github/credentials.js';
import { TOKEN_PAGE } from '../../../src/github/refusals.js';
import {
  RegistryError,
  parseReference,
  type Credentials,
  type Reference,
  type RegistryClient,
} from '../../../src/registry/index.js';
import { parseErrorBody } from '../../../src/registry/errors.js';
import { runContext } from '../../support/run-context.js';

const GHS = 'ghs_unitGithubToken0123456789abcdefABCD';
const PAT = 'ghp_unitClassicPat0123456789abcdefABCDEF';
const FINE = 'github_pat_11UNIT0123456789_fineGrainedTokenBody0123456789abcdef';
const PASSWORD = 'hunter2-registry-password';
const SECRETS = [GHS, PAT, FINE, PASSWORD];

const WRITE_PACKAGE = '{"errors":[{"code":"DENIED","message":"permission_denied: write_package"}]}';
const AUTHENTICATION_REQUIRED = '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}';

const APP = parseReference('ghcr.io/octo-org/app');

function request(overrides: Partial<CredentialRequest> = {}): CredentialRequest {
  return {
    registry: 'ghcr.io',
    githubToken: '',
    pat: '',
    password: '',
    username: '',
    push: [APP],
    pull: [],
    context: runContext(),
    userAgent: 'ghcr-image-action/unit-test',
    ...overrides,
  };
}

function refusal(status: number, body: string, ref: Reference, operation = 'check push permission for') {
  return new RegistryError(
    operation,
    `${ref.registry}/${ref.repository}`,
    status,
    parseErrorBody(body),
    'refused',
  );
}

/** What a fake client does for a secret ('' = anonymous): succeed, or reject with the error. */
type Outcome = 'ok' | Error;

interface Check {
  secret: string;
  check: 'pull' | 'push';
  repository: string;
}

/**
 * A fake registry: newClient records the credentials it got and returns a client whose permission checks
 * resolve or reject according to `outcomes` (keyed by the password; '' for anonymous). GET /user answers
 * with `scopes` (keyed by token; a missing token gets 200 without X-OAuth-Scopes).
 */
function fakes(outcomes: Record<string, Outcome>, scopes: Record<string, string | number | Error> = {}) {
  const checks: Check[] = [];
  const clients: RegistryClient[] = [];
  const newClient = jest.fn((credentials: Credentials | undefined, _method?: string): RegistryClient => {
    const secret = credentials?.password ?? '';
    const outcome = outcomes[secret] ?? new Error(`unexpected credentials in test: ${secret.slice(0, 4)}`);
    const answer = (check: 'pull' | 'push') => async (ref: Reference) => {
      checks.push({ secret, check, repository: ref.repository });
      if (outcome !== 'ok') throw outcome;
    };
    const client = {
      checkPullPermission: answer('pull'),
      checkPushPermission: answer('push'),
      expectAccess: () => undefined,
    };
    const typed = client as unknown as RegistryClient;
    clients.push(typed);
    return typed;
  });
  const userCalls: { url: string; authorization: string | null; userAgent: string | null }[] = [];
  const fetchFake = jest.fn(async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const authorization = headers.get('authorization');
    userCalls.push({ url: String(input), authorization, userAgent: headers.get('user-agent') });
    const answer = scopes[(authorization ?? '').replace(/^token /, '')];
    if (answer instanceof Error) throw answer;
    if (typeof answer === 'number') return new Response(null, { status: answer });
    if (answer === undefined) return new Response(null, { status: 200 });
    return new Response(null, { status: 200, headers: { 'X-OAuth-Scopes': answer } });
  });
  const debug = jest.fn((_message: string) => undefined);
  const deps: CredentialDeps = { newClient, fetch: fetchFake as typeof fetch, debug };
  return { deps, newClient, checks, clients, userCalls, fetchFake, debug };
}

async function failure(promise: Promise<unknown>): Promise<ActionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionError);
  if (!(error instanceof ActionError)) throw new Error('expected an ActionError');
  return error;
}

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('chooseCredentials', () => {
  it('uses GITHUB_TOKEN when it is proven, with no annotations and no GET /user', async () => {
    const f = fakes({ [GHS]: 'ok' });
    const choice = await chooseCredentials(request({ githubToken: GHS }), f.deps);
    expect(choice.method).toBe('github-token');
    expect(choice.credentials).toEqual({ username: 'octocat', password: GHS });
    expect(choice.annotations).toEqual([]);
    expect(choice.client).toBe(f.clients[0]);
    expect(f.newClient).toHaveBeenCalledTimes(1);
    expect(f.checks).toEqual([{ secret: GHS, check: 'push', repository: 'octo-org/app' }]);
    expect(f.fetchFake).not.toHaveBeenCalled();
  });

  it('proves every pull reference, then every push reference', async () => {
    const f = fakes({ [GHS]: 'ok' });
    const source = parseReference('ghcr.io/octo-org/source:1');
    const other = parseReference('ghcr.io/octo-org/other');
    await chooseCredentials(request({ githubToken: GHS, pull: [source], push: [APP, other] }), f.deps);
    expect(f.checks.map((c) => `${c.check} ${c.repository}`)).toEqual([
      'pull octo-org/source',
      'push octo-org/app',
      'push octo-org/other',
    ]);
  });

  it('falls back to the PAT when GITHUB_TOKEN is refused, with one warning: the reason and the migration', async () => {
    const f = fakes({ [GHS]: refusal(403, WRITE_PACKAGE, APP), [PAT]: 'ok' }, { [PAT]: 'write:packages' });
    const choice = await chooseCredentials(request({ githubToken: GHS, pat: PAT }), f.deps);
    expect(choice.method).toBe('pat');
    expect(choice.credentials).toEqual({ username: 'octocat', password: PAT });
    expect(choice.client).toBe(f.clients[1]);
    expect(f.newClient.mock.calls.map(([c]) => c?.password)).toEqual([GHS, PAT]);
    expect(choice.annotations).toHaveLength(1);
    const [warning] = choice.annotations;
    expect(warning?.level).toBe('warning');
    expect(warning?.message).toContain(
      "GITHUB_TOKEN was refused, so the personal access token from 'pat' was used.",
    );
    expect(warning?.message).toContain('denied: permission_denied: write_package');
    expect(warning?.message).toContain('`permissions: packages: write`');
    expect(warning?.message).toContain('Migrate this workflow to GITHUB_TOKEN');
    expect(warning?.message).toContain('octo-org/hello-world');
    expectNoSecrets(warning?.message ?? '');
  });

  it('reads the PAT scopes from GET $GITHUB_API_URL/user with the token and the user agent', async () => {
    const f = fakes({ [PAT]: 'ok' }, { [PAT]: 'write:packages' });
    await chooseCredentials(
      request({ pat: PAT, context: runContext({ apiUrl: 'https://ghe.example.com/api/v3' }) }),
      f.deps,
    );
    expect(f.userCalls).toEqual([
      {
        url: 'https://ghe.example.com/api/v3/user',
        authorization: `token ${PAT}`,
        userAgent: 'ghcr-image-action/unit-test',
      },
    ]);
  });

  it('notes that the PAT was not needed when GITHUB_TOKEN was enough, and never tries the PAT', async () => {
    const f = fakes({ [GHS]: 'ok', [PAT]: 'ok' }, { [PAT]: 'write:packages' });
    const choice = await chooseCredentials(request({ githubToken: GHS, pat: PAT }), f.deps);
    expect(choice.method).toBe('github-token');
    expect(choice.annotations).toEqual([
      {
        level: 'notice',
        message: expect.stringContaining("the personal access token in 'pat' was not needed"),
      },
    ]);
    expect(f.newClient).toHaveBeenCalledTimes(1);
    expect(f.fetchFake).not.toHaveBeenCalled();
  });

  it("warns about a PAT with the 'repo' scope, pointing at the token page", async () => {
    const f = fakes({ [PAT]: 'ok' }, { [PAT]: 'read:packages, repo, write:packages' });
    const choice = await chooseCredentials(request({ pat: PAT }), f.deps);
    expect(choice.method).toBe('pat');
    const repoWarnings = choice.annotations.filter((a) => a.message.includes("'repo' scope"));
    expect(repoWarnings).toHaveLength(1);
    expect(repoWarnings[0]?.level).toBe('warning');
    expect(repoWarnings[0]?.message).toContain(TOKEN_PAGE);
    // Used without GITHUB_TOKEN being refused: still warned, with the migration steps.
    expect(choice.annotations).toContainEqual({
      level: 'warning',
      message: expect.stringMatching(
        /^A personal access token \(from 'pat'\) was used\.\nMigrate this workflow/,
      ),
    });
  });

  it('does not warn about scopes for a PAT with only write:packages', async () => {
    const f = fakes({ [PAT]: 'ok' }, { [PAT]: 'write:packages' });
    const choice = await chooseCredentials(request({ pat: PAT }), f.deps);
    expect(choice.annotations.map((a) => a.message).join('\n')).not.toContain("'repo'");
  });

  it('refuses a PAT lacking write:packages for a push before calling the registry', async () => {
    const f = fakes({ [PAT]: 'ok' }, { [PAT]: 'read:packages' });
    const error = await failure(chooseCredentials(request({ pat: PAT }), f.deps));
    expect(error.message).toContain('lacks the write:packages scope needed to push');
    expect(error.message).toContain('(its scopes: read:packages)');
    expect(error.message).toContain(TOKEN_PAGE);
    expect(error.message).toContain("tried 'pat'");
    expect(f.newClient).not.toHaveBeenCalled();
    expect(f.checks).toEqual([]);
    expectNoSecrets(error.message);
  });

  it('accepts a PAT with read:packages for a pull', async () => {
    const f = fakes({ [PAT]: 'ok' }, { [PAT]: 'read:packages' });
    const choice = await chooseCredentials(request({ pat: PAT, push: [], pull: [APP] }), f.deps);
    expect(choice.method).toBe('pat');
    expect(f.checks).toEqual([{ secret: PAT, check: 'pull', repository: 'octo-org/app' }]);
  });

  it('refuses a PAT that GET /user calls bad credentials, without calling the registry', async () => {
    const f = fakes({ [PAT]: 'ok' }, { [PAT]: 401 });
    const error = await failure(chooseCredentials(request({ pat: PAT }), f.deps));
    expect(error.message).toContain('401 Bad credentials from https://api.github.com/user');
    expect(error.message).toContain('wrong, expired or revoked');
    expect(f.newClient).not.toHaveBeenCalled();
  });

  it('tries the registry when the PAT scopes cannot be read, logging why at debug level', async () => {
    const f = fakes({ [PAT]: 'ok' }, { [PAT]: new TypeError('fetch failed') });
    const choice = await chooseCredentials(request({ pat: PAT }), f.deps);
    expect(choice.method).toBe('pat');
    expect(f.debug).toHaveBeenCalledWith(expect.stringContaining("Could not read the token's scopes"));
    expect(f.checks).toHaveLength(1);
  });

  it('warns about a fine-grained PAT and does not read scopes it has none of', async () => {
    const f = fakes({ [FINE]: 'ok' });
    const choice = await chooseCredentials(request({ pat: FINE }), f.deps);
    expect(choice.method).toBe('pat');
    const warning = choice.annotations.find((a) => a.message.includes('fine-grained personal access token'));
    expect(warning?.level).toBe('warning');
    expect(warning?.message).toContain("The 'pat' input holds");
    expect(warning?.message).toContain('GitHub Packages documents only classic personal access tokens');
    expect(f.fetchFake).not.toHaveBeenCalled();
  });

  it('refuses a refresh token without calling the registry', async () => {
    const f = fakes({});
    const error = await failure(chooseCredentials(request({ pat: 'ghr_refreshTokenBody0123' }), f.deps));
    expect(error.message).toContain('refresh token (ghr_)');
    expect(f.newClient).not.toHaveBeenCalled();
  });

  it('treats a ghp_ token given as github-token as a PAT (method pat, scopes read)', async () => {
    const f = fakes({ [PAT]: 'ok' }, { [PAT]: 'write:packages' });
    const choice = await chooseCredentials(request({ githubToken: PAT }), f.deps);
    expect(choice.method).toBe('pat');
    expect(choice.credentials).toEqual({ username: 'octocat', password: PAT });
    expect(f.userCalls).toHaveLength(1);
    expect(choice.annotations).toContainEqual({
      level: 'warning',
      message: expect.stringContaining("A personal access token (from 'github-token') was used."),
    });
  });

  it('uses the password alone when one is given: no GitHub token tried', async () => {
    const f = fakes({ [PASSWORD]: 'ok' });
    const choice = await chooseCredentials(
      request({ githubToken: GHS, pat: PAT, password: PASSWORD, username: 'robot' }),
      f.deps,
    );
    expect(choice.method).toBe('password');
    expect(choice.credentials).toEqual({ username: 'robot', password: PASSWORD });
    expect(f.newClient).toHaveBeenCalledTimes(1);
    expect(f.newClient).toHaveBeenCalledWith({ username: 'robot', password: PASSWORD }, 'password');
    expect(f.fetchFake).not.toHaveBeenCalled();
    expect(choice.annotations).toEqual([]);
  });

  it('sends no GitHub token to a registry that is not GitHub: anonymous, with a notice', async () => {
    const f = fakes({ '': 'ok' });
    const ref = parseReference('registry.example.com/team/app');
    const choice = await chooseCredentials(
      request({ registry: 'registry.example.com', githubToken: GHS, pat: PAT, push: [], pull: [ref] }),
      f.deps,
    );
    expect(choice.method).toBe('anonymous');
    expect(choice.credentials).toBeUndefined();
    expect(f.newClient).toHaveBeenCalledTimes(1);
    expect(f.newClient).toHaveBeenCalledWith(undefined, 'anonymous');
    expect(f.fetchFake).not.toHaveBeenCalled();
    expect(choice.annotations).toEqual([
      {
        level: 'notice',
        message: expect.stringContaining(
          'registry.example.com is not a GitHub registry, so no GitHub token is sent to it',
        ),
      },
    ]);
  });

  it('gives no notice for a non-GitHub registry when no GitHub token was given', async () => {
    const f = fakes({ '': 'ok' });
    const ref = parseReference('registry.example.com/team/app');
    const choice = await chooseCredentials(
      request({ registry: 'registry.example.com', push: [], pull: [ref] }),
      f.deps,
    );
    expect(choice.method).toBe('anonymous');
    expect(choice.annotations).toEqual([]);
  });

  it('sends GITHUB_TOKEN to containers.<host> of GitHub Enterprise Server', async () => {
    const f = fakes({ [GHS]: 'ok' });
    const ref = parseReference('containers.ghe.example.com/octo-org/app');
    const choice = await chooseCredentials(
      request({
        registry: 'containers.ghe.example.com',
        githubToken: GHS,
        push: [ref],
        context: runContext({
          serverUrl: 'https://ghe.example.com',
          apiUrl: 'https://ghe.example.com/api/v3',
        }),
      }),
      f.deps,
    );
    expect(choice.method).toBe('github-token');
    expect(f.newClient).toHaveBeenCalledWith({ username: 'octocat', password: GHS }, 'github-token');
  });

  it('goes anonymous on a GitHub registry when no token is given', async () => {
    const f = fakes({ '': 'ok' });
    const choice = await chooseCredentials(request({ push: [], pull: [APP] }), f.deps);
    expect(choice.method).toBe('anonymous');
    expect(f.newClient).toHaveBeenCalledWith(undefined, 'anonymous');
  });

  it('fails when every credential is refused, listing each one tried and saying nothing was changed', async () => {
    const f = fakes(
      {
        [GHS]: refusal(403, WRITE_PACKAGE, APP),
        [PAT]: refusal(401, AUTHENTICATION_REQUIRED, APP, 'authenticate to'),
      },
      { [PAT]: 'write:packages' },
    );
    const error = await failure(chooseCredentials(request({ githubToken: GHS, pat: PAT }), f.deps));
    expect(error.message).toMatch(
      /^No credentials may push on ghcr\.io \(tried 'github-token', then 'pat'\); nothing was built, pushed or changed\.\n/,
    );
    expect(error.message).toContain(
      'ghcr.io refused the github-token to push octo-org/app: denied: permission_denied: write_package.',
    );
    expect(error.message).toContain(
      'ghcr.io refused the pat to push octo-org/app: unauthorized: authentication required.',
    );
    expect(error.message).toContain('wrong, expired or revoked');
    expect(error.fix).toBe('see the causes above, one group per credential tried.');
    expect(f.newClient).toHaveBeenCalledTimes(2);
    expectNoSecrets(error.message);
  });

  it('fails with one group when the only credential is refused', async () => {
    const f = fakes({ '': refusal(401, AUTHENTICATION_REQUIRED, APP, 'check pull permission for') });
    const error = await failure(chooseCredentials(request({ push: [], pull: [APP] }), f.deps));
    expect(error.message).toContain('No credentials may pull on ghcr.io (tried anonymous access)');
    expect(error.message).toContain('octo-org/app is private');
    expect(error.fix).toBe('see the causes above.');
  });

  it('names the repository that was refused', async () => {
    const source = parseReference('ghcr.io/octo-org/source:1');
    const f = fakes({ [GHS]: refusal(403, WRITE_PACKAGE, source, 'check pull permission for') });
    const error = await failure(chooseCredentials(request({ githubToken: GHS, pull: [source] }), f.deps));
    expect(error.message).toContain('refused the github-token to push octo-org/source:');
  });

  it('lets an error that is not a refusal through unchanged, trying nothing else', async () => {
    const hangUp = new Error('socket hang up');
    const f = fakes({ [GHS]: hangUp, [PAT]: 'ok' }, { [PAT]: 'write:packages' });
    await expect(chooseCredentials(request({ githubToken: GHS, pat: PAT }), f.deps)).rejects.toBe(hangUp);
    expect(f.newClient).toHaveBeenCalledTimes(1);
  });

  it('lets a 404 RegistryError through unchanged', async () => {
    const missing = new RegistryError(
      'check push permission for',
      'ghcr.io/octo-org/app',
      404,
      [],
      'not found',
    );
    const f = fakes({ [GHS]: missing });
    await expect(chooseCredentials(request({ githubToken: GHS }), f.deps)).rejects.toBe(missing);
  });

  it.each<[string, string, string]>([
    ['robot', 'octocat', 'robot'],
    ['', 'octocat', 'octocat'],
    ['', '', 'github-actions'],
  ])("username '%s' with actor '%s' logs in as '%s'", async (username, actor, expected) => {
    const f = fakes({ [GHS]: 'ok' });
    const choice = await chooseCredentials(
      request({ githubToken: GHS, username, context: runContext({ actor }) }),
      f.deps,
    );
    expect(choice.credentials?.username).toBe(expected);
    expect(f.newClient).toHaveBeenCalledWith({ username: expected, password: GHS }, 'github-token');
  });
});

describe('chooseCredentials: advice that fits the access asked for', () => {
  it('after a pull that needed a PAT, asks for packages: read, not write', async () => {
    const f = fakes(
      { [GHS]: refusal(403, WRITE_PACKAGE, APP, 'check pull permission for'), [PAT]: 'ok' },
      { [PAT]: 'read:packages' },
    );
    const choice = await chooseCredentials(
      request({ githubToken: GHS, pat: PAT, push: [], pull: [APP] }),
      f.deps,
    );
    expect(choice.method).toBe('pat');
    const warning =
      choice.annotations.find((a) => a.message.includes('Migrate this workflow'))?.message ?? '';
    expect(warning).toContain('`permissions: packages: read`');
    expect(warning).not.toContain('packages: write');
    expect(warning).toContain('with the Read role');
  });

  it('says the token was empty when nothing was given to push with, and asks for packages: write', async () => {
    const f = fakes({ '': refusal(401, AUTHENTICATION_REQUIRED, APP) });
    const error = await failure(chooseCredentials(request({ githubToken: '', push: [APP] }), f.deps));
    expect(error.message).toContain(
      "'github-token' is empty (and no 'pat' is set), so no credentials were given",
    );
    expect(error.message).toContain('`permissions: packages: write`');
    expect(error.message).not.toContain('packages: read');
  });
});

describe('chooseCredentials: the PAT warning points at the workflow line that passes pat:', () => {
  const fallback = async (workflowFile: string | undefined, line: number | undefined) => {
    const f = fakes({ [GHS]: refusal(403, WRITE_PACKAGE, APP), [PAT]: 'ok' }, { [PAT]: 'write:packages' });
    const patLine = jest.fn(() => line);
    const given = { githubToken: GHS, pat: PAT };
    const choice = await chooseCredentials(request({ ...given, context: runContext({ workflowFile }) }), {
      ...f.deps,
      patLine,
    });
    return { warning: choice.annotations.find((a) => a.level === 'warning'), patLine };
  };

  it('gives the file from the run context and the line found there', async () => {
    const { warning } = await fallback('.github/workflows/publish.yml', 17);
    expect(warning).toMatchObject({ file: '.github/workflows/publish.yml', line: 17 });
    expect(warning?.message).toContain('Migrate this workflow to GITHUB_TOKEN');
  });

  it('gives no place when the file is not in the workspace or its pat: line is not found', async () => {
    const outside = await fallback(undefined, 17);
    expect(outside.warning?.file).toBeUndefined();
    expect(outside.patLine).not.toHaveBeenCalled();
    const notFound = await fallback('.github/workflows/publish.yml', undefined);
    expect(notFound.warning).not.toHaveProperty('file');
    expect(notFound.warning).not.toHaveProperty('line');
  });

  it("gives no place when the PAT came from 'github-token', not from 'pat:'", async () => {
    const f = fakes({ [PAT]: 'ok' }, { [PAT]: 'write:packages' });
    const patLine = jest.fn(() => 17);
    const choice = await chooseCredentials(
      request({ githubToken: PAT, context: runContext({ workflowFile: '.github/workflows/p.yml' }) }),
      { ...f.deps, patLine },
    );
    expect(choice.annotations.find((a) => a.level === 'warning')).not.toHaveProperty('file');
    expect(patLine).not.toHaveBeenCalled();
  });
});
