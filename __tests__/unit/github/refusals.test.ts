import { describe, expect, it } from '@jest/globals';
import { TOKEN_PAGE, explainRefusal, isRefusal, type Attempt } from '../../../src/github/refusals.js';
import { RegistryError, parseErrorBody } from '../../../src/registry/errors.js';
import { runContext } from '../../support/run-context.js';

// Bodies as ghcr.io sends them (recorded in issues; see ../shared/notes/ghcr-facts.md).
const WRITE_PACKAGE = '{"errors":[{"code":"DENIED","message":"permission_denied: write_package"}]}';
const INSTALLATION_NOT_ALLOWED =
  '{"errors":[{"code":"DENIED","message":"installation not allowed to Write organization package"}]}';
const AUTHENTICATION_REQUIRED = '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}';
const ACCESS_DENIED = '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}';

function refusal(
  status: number,
  body: string,
  operation = 'check push permission for',
  reference = 'ghcr.io/octo-org/app',
): RegistryError {
  return new RegistryError(operation, reference, status, parseErrorBody(body), 'the registry refused');
}

const FORK_PR = runContext({
  eventName: 'pull_request',
  ref: 'refs/pull/42/merge',
  isPullRequest: true,
  isForkPullRequest: true,
  pullRequestNumber: 42,
});

function attempt(overrides: Partial<Attempt> = {}): Attempt {
  return {
    method: 'github-token',
    kind: 'installation',
    need: 'push',
    registry: 'ghcr.io',
    repository: 'octo-org/app',
    ...overrides,
  };
}

/** A password attempt to push team/app on a registry other than ghcr.io. */
const passwordElsewhere = (): Attempt =>
  attempt({ method: 'password', kind: 'other', registry: 'registry.example.com', repository: 'team/app' });

describe('isRefusal', () => {
  it.each([401, 403])('is true for a RegistryError with status %d', (status) => {
    expect(isRefusal(refusal(status, ACCESS_DENIED))).toBe(true);
  });

  it.each([404, 429, 500, undefined])('is false for a RegistryError with status %p', (status) => {
    const error = new RegistryError('fetch manifest', 'ghcr.io/octo-org/app:1', status, [], 'not there');
    expect(isRefusal(error)).toBe(false);
  });

  it('is false for plain errors and non-errors', () => {
    expect(isRefusal(new Error('HTTP 403'))).toBe(false);
    expect(isRefusal(Object.assign(new Error('denied'), { status: 403 }))).toBe(false);
    expect(isRefusal({ status: 401, errors: [] })).toBe(false);
    expect(isRefusal(undefined)).toBe(false);
  });
});

describe('explainRefusal: github-token', () => {
  it('for a push: quotes the registry, then the missing permission, then the package connection', () => {
    const lines = explainRefusal(refusal(403, WRITE_PACKAGE), attempt(), runContext());
    expect(lines[0]).toBe(
      'ghcr.io refused the github-token to push octo-org/app: denied: permission_denied: write_package.',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('`permissions: packages: write`');
    expect(lines[1]).toContain('\n      packages: write');
    // Where to grant it when the job is a reusable workflow's: the caller's job limits the called one.
    expect(lines[1]).toContain("in a reusable workflow, add it to the caller's job");
    expect(lines[1]).toContain('`uses:`');
    expect(lines[1]).toContain('a called workflow cannot raise what its caller grants');
    expect(lines[2]).toContain('"Manage Actions access"');
    expect(lines[2]).toContain('add octo-org/hello-world with the Write role');
    expect(lines[2]).toContain('not connected to octo-org/hello-world');
    expect(lines.join('\n')).not.toMatch(/fork/);
  });

  it('quotes "installation not allowed to Write organization package" as ghcr.io said it', () => {
    const lines = explainRefusal(refusal(403, INSTALLATION_NOT_ALLOWED), attempt(), runContext());
    expect(lines[0]).toContain(': denied: installation not allowed to Write organization package.');
    expect(lines.join('\n')).toContain('Manage Actions access');
  });

  it('quotes "requested access to the resource is denied"', () => {
    const lines = explainRefusal(refusal(403, ACCESS_DENIED), attempt(), runContext());
    expect(lines[0]).toContain(': denied: requested access to the resource is denied.');
  });

  it('quotes "unauthorized: authentication required" on a 401 from the registry', () => {
    const lines = explainRefusal(refusal(401, AUTHENTICATION_REQUIRED), attempt(), runContext());
    expect(lines[0]).toContain(': unauthorized: authentication required.');
    expect(lines[1]).toContain('`permissions: packages: write`');
  });

  it('says HTTP <status> when the registry sent no body', () => {
    const lines = explainRefusal(refusal(403, ''), attempt(), runContext());
    expect(lines[0]).toBe('ghcr.io refused the github-token to push octo-org/app: HTTP 403.');
  });

  it("puts the fork pull request first on a fork's pull request, suggesting `push: auto`", () => {
    const lines = explainRefusal(refusal(403, WRITE_PACKAGE), attempt(), FORK_PR);
    expect(lines[1]).toContain('pull request from a fork');
    expect(lines[1]).toContain('read-only');
    expect(lines[1]).toContain('`push: auto`');
    expect(lines[2]).toContain('`permissions: packages: write`');
    expect(lines[3]).toContain('Manage Actions access');
  });

  it('does not blame the fork when only pulling', () => {
    const lines = explainRefusal(refusal(403, ACCESS_DENIED), attempt({ need: 'pull' }), FORK_PR);
    expect(lines.join('\n')).not.toContain('fork');
  });

  it('for a pull: asks for packages: read and the Read role', () => {
    const lines = explainRefusal(
      refusal(403, ACCESS_DENIED, 'check pull permission for'),
      attempt({ need: 'pull' }),
      runContext(),
    );
    expect(lines[0]).toBe(
      'ghcr.io refused the github-token to pull octo-org/app: denied: requested access to the resource is denied.',
    );
    expect(lines[1]).toContain('`permissions: packages: read`');
    expect(lines[1]).not.toContain('packages: write');
    expect(lines[1]).toContain("in a reusable workflow, add it to the caller's job");
    expect(lines[2]).toContain('with the Read role');
    expect(lines[2]).not.toContain('Write role');
  });

  it('explains a refused token (token service, 401) as a token used after its job', () => {
    const lines = explainRefusal(
      refusal(401, AUTHENTICATION_REQUIRED, 'authenticate to'),
      attempt(),
      runContext(),
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('unauthorized: authentication required');
    expect(lines[1]).toContain('valid only while its job runs');
    expect(lines[1]).toContain('${{ github.token }}');
    expect(lines.join('\n')).not.toContain('Manage Actions access');
  });

  it('names the repository generically outside a repository run', () => {
    const lines = explainRefusal(refusal(403, WRITE_PACKAGE), attempt(), runContext({ repository: '' }));
    expect(lines[2]).toContain('not connected to this repository');
    expect(lines[2]).toContain('add this repository with the Write role');
  });
});

/** `(<owner URL>/packages/container/[package/]<name>/settings)`: the owner part and the name are what matter here. */
function settingsLink(owner: string, name: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\(${escape(owner)}/packages/container/(?:package/)?${escape(name)}/settings\\)`);
}

describe('explainRefusal: package settings URL', () => {
  it('uses /orgs/OWNER/ when the payload says the owner is an organization', () => {
    const lines = explainRefusal(
      refusal(403, WRITE_PACKAGE),
      attempt(),
      runContext({ ownerType: 'Organization' }),
    );
    expect(lines[2]).toMatch(settingsLink('https://github.com/orgs/octo-org', 'app'));
    expect(lines[2]).not.toContain('/users/');
  });

  it('uses /users/OWNER/ when the payload says the owner is a user, whoever runs the workflow', () => {
    const lines = explainRefusal(
      refusal(403, WRITE_PACKAGE, 'check push permission for', 'ghcr.io/octocat/app'),
      attempt({ repository: 'octocat/app' }),
      runContext({ actor: 'someone-else', ownerType: 'User' }),
    );
    expect(lines[2]).toMatch(settingsLink('https://github.com/users/octocat', 'app'));
    expect(lines[2]).not.toContain('/orgs/');
  });

  it('encodes a nested package name and uses the server URL (GitHub Enterprise Server)', () => {
    const lines = explainRefusal(
      refusal(
        403,
        WRITE_PACKAGE,
        'check push permission for',
        'containers.ghe.example.com/octo-org/team/app',
      ),
      attempt({ registry: 'containers.ghe.example.com', repository: 'octo-org/team/app' }),
      runContext({ serverUrl: 'https://ghe.example.com' }),
    );
    expect(lines[0]).toMatch(
      /^containers\.ghe\.example\.com refused the github-token to push octo-org\/team\/app:/,
    );
    expect(lines[2]).toMatch(settingsLink('https://ghe.example.com/orgs/octo-org', 'team%2Fapp'));
  });
});

describe('explainRefusal: pat', () => {
  it('explains a refused token as wrong, expired or revoked, with the token page and SAML SSO', () => {
    const lines = explainRefusal(
      refusal(401, AUTHENTICATION_REQUIRED, 'authenticate to'),
      attempt({ method: 'pat', kind: 'classic-pat' }),
      runContext(),
    );
    expect(lines[0]).toBe(
      'ghcr.io refused the pat to push octo-org/app: unauthorized: authentication required.',
    );
    const text = lines.join('\n');
    expect(text).toContain('wrong, expired or revoked');
    expect(text).toContain('https://github.com/settings/tokens/new?scopes=write:packages');
    expect(TOKEN_PAGE).toBe('https://github.com/settings/tokens/new?scopes=write:packages');
    expect(text).toContain('SAML single sign-on');
    expect(text).not.toContain('valid only while its job runs');
  });

  it('on a registry refusal: the user may not push or the token lacks write:packages, and SAML SSO', () => {
    const lines = explainRefusal(
      refusal(403, WRITE_PACKAGE),
      attempt({ method: 'pat', kind: 'classic-pat' }),
      runContext(),
    );
    expect(lines[1]).toBe("- The token's user may not push octo-org/app, or the token lacks write:packages.");
    expect(lines[2]).toContain('SAML single sign-on');
  });

  it('on a pull refusal: names read:packages', () => {
    const lines = explainRefusal(
      refusal(403, ACCESS_DENIED, 'check pull permission for'),
      attempt({ method: 'pat', kind: 'classic-pat', need: 'pull' }),
      runContext(),
    );
    expect(lines[1]).toBe("- The token's user may not pull octo-org/app, or the token lacks read:packages.");
  });
});

describe('explainRefusal: anonymous and password', () => {
  it('anonymous: says the package is private or missing and how to give the step a token', () => {
    const lines = explainRefusal(
      refusal(401, AUTHENTICATION_REQUIRED, 'check pull permission for'),
      attempt({ method: 'anonymous', kind: 'other', need: 'pull' }),
      runContext(),
    );
    expect(lines[0]).toBe(
      'ghcr.io refused anonymous access to pull octo-org/app: unauthorized: authentication required.',
    );
    expect(lines[1]).toContain('octo-org/app is private');
    expect(lines[1]).toContain('`github-token: ${{ github.token }}`');
    expect(lines[1]).toContain('`permissions: packages: read`');
    expect(lines).toHaveLength(2);
  });

  it('password refused by the token service: check the username and password', () => {
    const lines = explainRefusal(
      refusal(401, AUTHENTICATION_REQUIRED, 'authenticate to', 'registry.example.com/team/app'),
      passwordElsewhere(),
      runContext(),
    );
    expect(lines[0]).toMatch(/^registry\.example\.com refused the password to push team\/app:/);
    expect(lines[1]).toBe(
      '- The credentials were refused by registry.example.com: check the username and password.',
    );
  });

  it("password refused by the registry: the account's rights", () => {
    const lines = explainRefusal(
      refusal(403, ACCESS_DENIED, 'check push permission for', 'registry.example.com/team/app'),
      passwordElsewhere(),
      runContext(),
    );
    expect(lines[1]).toBe(
      "- The account given in 'username' may not push team/app on registry.example.com: check its rights there.",
    );
  });
});

describe('explainRefusal: a token service that refuses anonymous access', () => {
  it('says which service refused, and does not ask for a username and password that were never given', () => {
    const error = new RegistryError(
      'authenticate to',
      '127.0.0.1:5000',
      401,
      [],
      'the token service at http://127.0.0.1:5999/token refused an anonymous request',
    );
    const lines = explainRefusal(
      error,
      attempt({
        method: 'anonymous',
        kind: 'other',
        need: 'pull',
        registry: '127.0.0.1:5000',
        repository: 'octo-org/app',
      }),
      runContext(),
    );
    expect(lines[0]).toBe(
      '127.0.0.1:5000 refused anonymous access to pull octo-org/app: the token service at http://127.0.0.1:5999/token refused an anonymous request.',
    );
    expect(lines.join('\n')).not.toContain('username and password');
    expect(lines[1]).toContain('is private (new ghcr.io packages are) or does not exist');
  });
});
