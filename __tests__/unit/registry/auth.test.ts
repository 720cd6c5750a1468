import { describe, expect, it } from '@jest/globals';
import { Authenticator, type FetchLike } from '../../../src/registry/auth.js';
import type { Scope } from '../../../src/registry/scope.js';
import { RegistryError } from '../../../src/registry/errors.js';

const USER = 'octo-user';
const PASSWORD = 'ghp_s3cretPassw0rdValue';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const GHCR_CHALLENGE = 'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/r:pull"';
const PUSH: Scope[] = [{ repository: 'o/r', actions: ['pull', 'push'] }];
const PULL: Scope[] = [{ repository: 'o/r', actions: ['pull'] }];

interface Call {
  url: URL;
  headers: Record<string, string>;
}

/** A token service: records each request and answers with the next of `answers` (the last one repeats). */
function tokenService(...answers: { status?: number; body: unknown }[]) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    calls.push({ url, headers });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)] ?? { body: {} };
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return new Response(body, {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { calls, fetch };
}

/** Answers token-1, token-2, ... in turn. */
function countingTokenService(extra: Record<string, unknown> = {}) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init) => {
    calls.push({
      url: new URL(String(input)),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
    });
    return new Response(JSON.stringify({ token: `token-${calls.length}`, ...extra }), { status: 200 });
  };
  return { calls, fetch };
}

function clock(start = 1_700_000_000_000) {
  const c = { time: start, now: () => c.time };
  return c;
}

describe('Authenticator with a Bearer challenge', () => {
  it('fetches a token from the realm with service, scope, Basic credentials and User-Agent', async () => {
    const service = tokenService({ body: { token: 'tok-1' } });
    const auth = new Authenticator({
      registry: 'ghcr.io',
      credentials: { username: USER, password: PASSWORD },
      userAgent: 'test-agent/1.0',
      fetch: service.fetch,
    });
    expect(auth.knowsScheme).toBe(false);
    expect(await auth.header(PUSH)).toBeUndefined();
    expect(service.calls).toHaveLength(0);

    expect(auth.learn(GHCR_CHALLENGE, PUSH)).toBe(true);
    expect(auth.knowsScheme).toBe(true);
    await expect(auth.header(PUSH)).resolves.toBe('Bearer tok-1');

    expect(service.calls).toHaveLength(1);
    const [call] = service.calls;
    expect(call?.url.origin + (call?.url.pathname ?? '')).toBe('https://ghcr.io/token');
    expect(call?.url.searchParams.get('service')).toBe('ghcr.io');
    expect(call?.url.searchParams.getAll('scope')).toEqual([
      'repository:o/r:pull,push',
      'repository:o/r:pull',
    ]);
    expect(call?.headers.authorization).toBe(BASIC);
    expect(call?.headers['user-agent']).toBe('test-agent/1.0');
  });

  it('asks only once for a scope that both the caller and the challenge name', async () => {
    const service = tokenService({ body: { token: 't' } });
    const auth = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: service.fetch });
    auth.learn(GHCR_CHALLENGE, PULL);
    await auth.header(PULL);
    expect(service.calls[0]?.url.searchParams.getAll('scope')).toEqual(['repository:o/r:pull']);
  });

  it('requests every scope the challenge names (space separated), e.g. a mount source', async () => {
    const service = tokenService({ body: { token: 't' } });
    const auth = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: service.fetch });
    auth.learn(
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/r:pull,push repository:o/base:pull",error="insufficient_scope"',
      PUSH,
    );
    await auth.header(PUSH);
    expect(service.calls[0]?.url.searchParams.getAll('scope')).toEqual([
      'repository:o/r:pull,push',
      'repository:o/base:pull',
    ]);
  });

  it("asks for a challenge's extra scope only with the scope set that was challenged", async () => {
    const service = tokenService({ body: { token: 't' } });
    const auth = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: service.fetch });
    auth.learn('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/base:pull"', PUSH);
    await auth.header(PULL);
    expect(service.calls[0]?.url.searchParams.getAll('scope')).toEqual(['repository:o/r:pull']);
  });

  it('omits service when the challenge has none, and keeps the realm query', async () => {
    const service = tokenService({ body: { token: 't' } });
    const auth = new Authenticator({ registry: 'r.example', userAgent: 'ua', fetch: service.fetch });
    auth.learn('Bearer realm="https://auth.example/token?account=x"', PULL);
    await auth.header(PULL);
    const url = service.calls[0]?.url;
    expect(url?.searchParams.has('service')).toBe(false);
    expect(url?.searchParams.get('account')).toBe('x');
    expect(url?.searchParams.getAll('scope')).toEqual(['repository:o/r:pull']);
  });

  it('accepts access_token when token is absent or empty', async () => {
    for (const body of [{ access_token: 'acc-1' }, { token: '', access_token: 'acc-1' }]) {
      const service = tokenService({ body });
      const auth = new Authenticator({ registry: 'r', userAgent: 'ua', fetch: service.fetch });
      auth.learn(GHCR_CHALLENGE, PULL);
      await expect(auth.header(PULL)).resolves.toBe('Bearer acc-1');
    }
  });

  it('prefers token over access_token', async () => {
    const service = tokenService({ body: { token: 'tok', access_token: 'acc' } });
    const auth = new Authenticator({ registry: 'r', userAgent: 'ua', fetch: service.fetch });
    auth.learn(GHCR_CHALLENGE, PULL);
    await expect(auth.header(PULL)).resolves.toBe('Bearer tok');
  });

  it('caches one token per scope set', async () => {
    const service = countingTokenService();
    const auth = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: service.fetch });
    auth.learn(GHCR_CHALLENGE, PULL);
    await expect(auth.header(PULL)).resolves.toBe('Bearer token-1');
    await expect(auth.header(PULL)).resolves.toBe('Bearer token-1');
    expect(service.calls).toHaveLength(1);

    await expect(auth.header(PUSH)).resolves.toBe('Bearer token-2');
    await expect(auth.header(PULL)).resolves.toBe('Bearer token-1');
    await expect(auth.header(PUSH)).resolves.toBe('Bearer token-2');
    expect(service.calls).toHaveLength(2);
  });

  it('asks once for every scope the caller said it wants (want): one token for pull here and push there', async () => {
    const service = countingTokenService();
    const auth = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: service.fetch });
    const source: Scope = { repository: 'o/src', actions: ['pull'] };
    const target: Scope = { repository: 'o/dst', actions: ['pull', 'push'] };
    auth.want([source]);
    auth.want([target]);
    auth.learn('Bearer realm="https://ghcr.io/token"', [source]);
    await expect(auth.header([source])).resolves.toBe('Bearer token-1');
    await expect(auth.header([target])).resolves.toBe('Bearer token-1');
    await expect(auth.header([{ repository: 'o/dst', actions: ['pull'] }])).resolves.toBe('Bearer token-1');
    expect(service.calls).toHaveLength(1);
    expect(service.calls[0]?.url.searchParams.getAll('scope')).toEqual([
      'repository:o/dst:pull,push',
      'repository:o/src:pull',
    ]);
    // A request beyond what was wanted gets a token for all of it, once.
    const remove: Scope = { repository: 'o/dst', actions: ['delete'] };
    await expect(auth.header([remove])).resolves.toBe('Bearer token-2');
    expect(service.calls[1]?.url.searchParams.getAll('scope')).toEqual([
      'repository:o/dst:delete,pull,push',
      'repository:o/src:pull',
    ]);
  });

  it('sends one token request for requests that ask at the same time', async () => {
    const service = countingTokenService();
    const auth = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: service.fetch });
    auth.learn(GHCR_CHALLENGE, PUSH);
    const headers = await Promise.all([auth.header(PUSH), auth.header(PUSH), auth.header(PUSH)]);
    expect(headers).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-1']);
    expect(service.calls).toHaveLength(1);
  });

  it('treats the same scopes in another order as the same set', async () => {
    const service = countingTokenService();
    const auth = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: service.fetch });
    const a: Scope = { repository: 'o/a', actions: ['pull'] };
    const b: Scope = { repository: 'o/b', actions: ['pull', 'push'] };
    auth.learn('Bearer realm="https://ghcr.io/token"', [a, b]);
    await expect(auth.header([a, b])).resolves.toBe('Bearer token-1');
    await expect(auth.header([b, a])).resolves.toBe('Bearer token-1');
    expect(service.calls).toHaveLength(1);
  });

  it.each([
    ['expires_in 300', { expires_in: 300 }, 300],
    ['no expires_in (ghcr.io): 60 s', {}, 60],
    ['expires_in 0: 60 s', { expires_in: 0 }, 60],
    ['expires_in as a string: 60 s', { expires_in: '300' }, 60],
  ])('%s; refreshes 5 s before expiry', async (_name, extra, seconds) => {
    const c = clock();
    const service = countingTokenService(extra);
    const auth = new Authenticator({
      registry: 'ghcr.io',
      userAgent: 'ua',
      fetch: service.fetch,
      now: c.now,
    });
    auth.learn(GHCR_CHALLENGE, PULL);
    const start = c.time;
    await expect(auth.header(PULL)).resolves.toBe('Bearer token-1');

    c.time = start + (seconds - 5) * 1000 - 1;
    await expect(auth.header(PULL)).resolves.toBe('Bearer token-1');
    expect(service.calls).toHaveLength(1);

    c.time = start + (seconds - 5) * 1000;
    await expect(auth.header(PULL)).resolves.toBe('Bearer token-2');
    expect(service.calls).toHaveLength(2);

    // The new token lives from when it was fetched.
    c.time += (seconds - 5) * 1000 - 1;
    await expect(auth.header(PULL)).resolves.toBe('Bearer token-2');
    expect(service.calls).toHaveLength(2);
  });

  it('learn() again drops the cached token for those scopes only', async () => {
    const service = countingTokenService();
    const auth = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: service.fetch });
    auth.learn(GHCR_CHALLENGE, PULL);
    await expect(auth.header(PULL)).resolves.toBe('Bearer token-1');
    await expect(auth.header(PUSH)).resolves.toBe('Bearer token-2');

    expect(auth.learn(GHCR_CHALLENGE, PULL)).toBe(true);
    await expect(auth.header(PULL)).resolves.toBe('Bearer token-3');
    await expect(auth.header(PUSH)).resolves.toBe('Bearer token-2');
    expect(service.calls).toHaveLength(3);
  });

  it('anonymous: asks for a token without Authorization', async () => {
    const service = tokenService({ body: { token: 'anon' } });
    const auth = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: service.fetch });
    auth.learn(GHCR_CHALLENGE, PULL);
    await expect(auth.header(PULL)).resolves.toBe('Bearer anon');
    expect(service.calls[0]?.headers).not.toHaveProperty('authorization');
    expect(service.calls[0]?.url.searchParams.getAll('scope')).toEqual(['repository:o/r:pull']);
  });

  it('hands every token to onSecret before returning it', async () => {
    const secrets: string[] = [];
    const service = countingTokenService();
    const auth = new Authenticator({
      registry: 'ghcr.io',
      userAgent: 'ua',
      fetch: service.fetch,
      onSecret: (s) => secrets.push(s),
    });
    auth.learn(GHCR_CHALLENGE, PULL);
    await auth.header(PULL);
    expect(secrets).toEqual(['token-1']);
    await auth.header(PULL);
    expect(secrets).toEqual(['token-1']);
    await auth.header(PUSH);
    expect(secrets).toEqual(['token-1', 'token-2']);
  });

  it('a refusal names the user and the token service, never the password', async () => {
    const service = tokenService({
      status: 401,
      body: { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
    });
    const auth = new Authenticator({
      registry: 'ghcr.io',
      credentials: { username: USER, password: PASSWORD },
      userAgent: 'ua',
      fetch: service.fetch,
    });
    auth.learn(GHCR_CHALLENGE, PUSH);
    const error = await auth.header(PUSH).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RegistryError);
    if (!(error instanceof RegistryError)) return;
    expect(error.status).toBe(401);
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain(`'${USER}'`);
    expect(error.message).toContain('https://ghcr.io/token');
    expect(error.message).toContain('unauthorized: authentication required');
    expect(error.message).toContain('ghcr.io');
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).not.toContain(BASIC.slice('Basic '.length));
    expect(JSON.stringify(error.errors)).not.toContain(PASSWORD);
  });

  it('an anonymous refusal says so', async () => {
    const service = tokenService({ status: 403, body: '' });
    const auth = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: service.fetch });
    auth.learn(GHCR_CHALLENGE, PULL);
    await expect(auth.header(PULL)).rejects.toThrow(/refused an anonymous request/);
  });

  it.each([
    ['not JSON', 'oops', 'the token answer is not JSON'],
    ['no token', { expires_in: 60 }, 'the token answer has no token'],
    ['an empty token', { token: '' }, 'the token answer has no token'],
    ['a token that is not a string', { token: 42 }, 'the token answer has no token'],
  ])('an answer with %s is a RegistryError', async (_name, body, message) => {
    const service = tokenService({ body });
    const auth = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: service.fetch });
    auth.learn(GHCR_CHALLENGE, PULL);
    const failure = auth.header(PULL);
    await expect(failure).rejects.toBeInstanceOf(RegistryError);
    await expect(failure).rejects.toThrow(message);
  });

  it('does not cache a failed token request', async () => {
    const service = tokenService({ status: 500, body: '' }, { body: { token: 'second' } });
    const auth = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: service.fetch });
    auth.learn(GHCR_CHALLENGE, PULL);
    await expect(auth.header(PULL)).rejects.toBeInstanceOf(RegistryError);
    await expect(auth.header(PULL)).resolves.toBe('Bearer second');
  });
});

describe('Authenticator with a Basic challenge', () => {
  it('answers with Basic credentials, without any token request', async () => {
    const service = tokenService({ body: { token: 'never' } });
    const auth = new Authenticator({
      registry: 'r.example',
      credentials: { username: USER, password: PASSWORD },
      userAgent: 'ua',
      fetch: service.fetch,
    });
    expect(auth.learn('Basic realm="Registry"', PULL)).toBe(true);
    await expect(auth.header(PULL)).resolves.toBe(BASIC);
    await expect(auth.header(PUSH)).resolves.toBe(BASIC);
    expect(service.calls).toHaveLength(0);
    // A second Basic challenge means the credentials were refused: nothing new to try.
    expect(auth.learn('Basic realm="Registry"', PULL)).toBe(false);
  });

  it('without credentials: learn() returns false and no header is sent', async () => {
    const auth = new Authenticator({ registry: 'r.example', userAgent: 'ua', fetch: tokenService().fetch });
    expect(auth.learn('Basic realm="Registry"', PULL)).toBe(false);
    expect(auth.knowsScheme).toBe(false);
    await expect(auth.header(PULL)).resolves.toBeUndefined();
  });

  it('prefers Bearer when both are offered', async () => {
    const service = tokenService({ body: { token: 'b' } });
    const auth = new Authenticator({
      registry: 'r.example',
      credentials: { username: USER, password: PASSWORD },
      userAgent: 'ua',
      fetch: service.fetch,
    });
    expect(auth.learn('Basic realm="x", Bearer realm="https://auth.example/token",service="r"', PULL)).toBe(
      true,
    );
    await expect(auth.header(PULL)).resolves.toBe('Bearer b');
  });
});

describe('Authenticator.learn with nothing usable', () => {
  it.each([null, '', 'Negotiate', 'Bearer service="no-realm"'])('%p -> false', (header) => {
    const auth = new Authenticator({
      registry: 'r',
      credentials: { username: USER, password: PASSWORD },
      userAgent: 'ua',
      fetch: tokenService().fetch,
    });
    expect(auth.learn(header, PULL)).toBe(false);
    expect(auth.knowsScheme).toBe(false);
  });
});

describe('Authenticator against a hostile realm', () => {
  const creds = { username: USER, password: PASSWORD };

  it.each([
    [
      'an http realm named by an https registry',
      'Bearer realm="http://other-host/token"',
      'registry.example.com',
    ],
    [
      'an http realm on this machine named by an https registry',
      'Bearer realm="http://127.0.0.1:9/token"',
      'ghcr.io',
    ],
    ['a realm that is no URL', 'Bearer realm="::::"', 'ghcr.io'],
  ])('sends nothing to %s', async (_name, challenge, registry) => {
    const service = tokenService({ body: { token: 'tok' } });
    const auth = new Authenticator({ registry, credentials: creds, userAgent: 'ua', fetch: service.fetch });
    expect(() => auth.learn(challenge, PULL)).toThrow(RegistryError);
    expect(service.calls).toHaveLength(0);
    await expect(auth.header(PULL)).resolves.toBeUndefined();
  });

  it("sends a GitHub token only to a realm the caller's policy allows", async () => {
    const service = tokenService({ body: { token: 'tok' } });
    const auth = new Authenticator({
      registry: 'ghcr.io',
      credentials: creds,
      userAgent: 'ua',
      fetch: service.fetch,
      realmPolicy: (realm) => (realm.host === 'ghcr.io' ? undefined : "is not GitHub's"),
    });
    expect(() => auth.learn('Bearer realm="https://evil.example/token"', PULL)).toThrow(
      "the registry named a token service at https://evil.example/token, which is not GitHub's",
    );
    expect(service.calls).toHaveLength(0);
    expect(auth.learn(GHCR_CHALLENGE, PULL)).toBe(true);
    await expect(auth.header(PULL)).resolves.toBe('Bearer tok');
  });

  it('follows no redirect of the token request, so the credentials reach nothing else', async () => {
    const calls: string[] = [];
    const fetch: FetchLike = async (input, init) => {
      calls.push(`${String(input)} redirect=${init?.redirect}`);
      return new Response(null, { status: 302, headers: { location: 'http://thief.example/token' } });
    };
    const auth = new Authenticator({ registry: 'ghcr.io', credentials: creds, userAgent: 'ua', fetch });
    auth.learn(GHCR_CHALLENGE, PULL);
    await expect(auth.header(PULL)).rejects.toThrow('(with a redirect, not followed)');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain('redirect=manual');
  });

  it("never echoes another service's answer (a realm must not make the step a probe); quotes the registry's own", async () => {
    const marker = `MARKER-${'x'.repeat(480)}`;
    const elsewhere = tokenService({ status: 401, body: marker });
    const probe = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: elsewhere.fetch });
    probe.learn('Bearer realm="https://internal.example/admin"', PULL);
    const error = await probe.header(PULL).catch((e: unknown) => e as RegistryError);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).message).not.toContain('MARKER');
    expect((error as RegistryError).message).toContain(
      'the token service at https://internal.example/admin refused an anonymous request',
    );
    const own = tokenService({ status: 403, body: { errors: [{ code: 'DENIED', message: 'no' }] } });
    const ghcr = new Authenticator({ registry: 'ghcr.io', userAgent: 'ua', fetch: own.fetch });
    ghcr.learn(GHCR_CHALLENGE, PULL);
    await expect(ghcr.header(PULL)).rejects.toThrow('(denied: no)');
  });

  it('refuses a token that cannot go in a header, after masking it', async () => {
    const secrets: string[] = [];
    const service = tokenService({ body: { token: 'tok\r\nX-Injected: yes' } });
    const auth = new Authenticator({
      registry: 'ghcr.io',
      userAgent: 'ua',
      fetch: service.fetch,
      onSecret: (s) => secrets.push(s),
    });
    auth.learn(GHCR_CHALLENGE, PULL);
    await expect(auth.header(PULL)).rejects.toThrow(
      'the token answer holds a token that cannot go in a header',
    );
    expect(secrets).toEqual(['tok\r\nX-Injected: yes']);
  });

  it('masks the secret and its Basic form before any request', () => {
    const secrets: string[] = [];
    new Authenticator({
      registry: 'ghcr.io',
      credentials: creds,
      userAgent: 'ua',
      onSecret: (s) => secrets.push(s),
    });
    expect(secrets).toEqual([PASSWORD, BASIC.slice('Basic '.length)]);
  });
});
