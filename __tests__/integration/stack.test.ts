import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mustRun, runProgram } from '../support/exec.js';
import { skopeoCreds, skopeoDigest } from '../support/skopeo.js';
import { describeWithStack } from '../support/stack.js';

// Proves the local ghcr.io stand-in with real clients: docker, skopeo, buildah and curl.
describeWithStack('the local ghcr.io stand-in', (stack) => {
  const e = stack.env;
  const unique = `${process.pid}-${Date.now().toString(36)}`;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const docker = (args: string[], input?: string) => mustRun('docker', args, { env, input });

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'stack-test-'));
    // A docker config of this test's own: logins never touch the user's ~/.docker.
    env = { ...stack.processEnv, DOCKER_CONFIG: join(work, 'docker-config') };
    writeFileSync(
      join(work, 'Dockerfile'),
      `FROM ${e.BASE_IMAGE}\nRUN echo "built ${unique}" > /hello && chmod 0644 /hello\nCMD ["cat", "/hello"]\n`,
    );
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('logs in with the GITHUB_TOKEN-like identity, builds with RUN, pushes, pulls back by digest, and skopeo agrees', async () => {
    const repo = `${e.REGISTRY_TOKEN}/${e.REPOSITORY}`;
    const tag = `${repo}:stack-${unique}`;
    const login = await docker(
      ['login', e.REGISTRY_TOKEN, '-u', e.ACTOR, '--password-stdin'],
      e.TOKEN_GHS_WRITE,
    );
    expect(login.stdout).toContain('Login Succeeded');

    await docker(['build', '-q', '-t', tag, work]);
    await docker(['push', tag]);
    const repoDigests = JSON.parse(
      (await docker(['inspect', '--format', '{{json .RepoDigests}}', tag])).stdout,
    ) as string[];
    const pushed = repoDigests.find((d) => d.startsWith(`${repo}@`));
    expect(pushed).toMatch(/@sha256:[0-9a-f]{64}$/);
    const digest = pushed?.split('@')[1] ?? '';

    expect(await skopeoDigest(tag, skopeoCreds(e.ACTOR, e.TOKEN_GHS_WRITE))).toBe(digest);

    await docker(['rmi', tag]);
    await docker(['pull', `${repo}@${digest}`]);
    const ran = await docker(['run', '--rm', '--network', 'none', `${repo}@${digest}`]);
    expect(ran.stdout.trim()).toBe(`built ${unique}`);
  });

  it('refuses a wrong token at docker login', async () => {
    const login = await runProgram('docker', ['login', e.REGISTRY_TOKEN, '-u', e.ACTOR, '--password-stdin'], {
      env,
      input: e.TOKEN_WRONG,
    });
    expect(login.code).not.toBe(0);
    expect(login.stderr).toMatch(/unauthorized/i);
  });

  it('gives the read-only GITHUB_TOKEN-like identity pull but not push', async () => {
    const token = await fetch(
      `${e.TOKEN_REALM}?service=${e.TOKEN_SERVICE}&scope=repository:${e.REPOSITORY}:pull,push`,
      { headers: { Authorization: `Basic ${Buffer.from(`x:${e.TOKEN_GHS_READ}`).toString('base64')}` } },
    );
    expect(token.status).toBe(200);
    const { token: jwt } = (await token.json()) as { token: string };
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as {
      access: { name: string; actions: string[] }[];
    };
    expect(claims.access).toEqual([{ type: 'repository', name: e.REPOSITORY, actions: ['pull'] }]);

    const upload = await fetch(`http://${e.REGISTRY_TOKEN}/v2/${e.REPOSITORY}/blobs/uploads/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${jwt}` },
    });
    expect(upload.status).toBe(401);
    expect(upload.headers.get('www-authenticate')).toContain('insufficient_scope');
  });

  it('refuses like ghcr.io through its ghcr-like front: 403 with a denied error naming the refusal', async () => {
    const token = await fetch(
      `${e.TOKEN_REALM}?service=${e.TOKEN_SERVICE}&scope=repository:${e.REPOSITORY}:pull,push`,
      {
        headers: { Authorization: `Basic ${Buffer.from(`x:${e.TOKEN_GHS_READ}`).toString('base64')}` },
      },
    );
    const { token: jwt } = (await token.json()) as { token: string };
    const upload = await fetch(`http://${e.REGISTRY_GHCR}/v2/${e.REPOSITORY}/blobs/uploads/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${jwt}` },
    });
    expect(upload.status).toBe(403);
    expect(await upload.json()).toEqual({
      errors: [{ code: 'DENIED', message: 'installation not allowed to Write organization package' }],
    });
    // Anything else passes through as the registry answered.
    expect((await fetch(`http://${e.REGISTRY_GHCR}/v2/`)).status).toBe(401);
  });

  it('lets anonymous callers pull public repositories only', async () => {
    const anonymous = (repository: string) =>
      fetch(`${e.TOKEN_REALM}?service=${e.TOKEN_SERVICE}&scope=repository:${repository}:pull`)
        .then((r) => r.json() as Promise<{ token: string }>)
        .then(
          ({ token }) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).access,
        );
    expect(await anonymous(`${e.OWNER}/public-tools`)).toEqual([
      { type: 'repository', name: `${e.OWNER}/public-tools`, actions: ['pull'] },
    ]);
    expect(await anonymous(e.REPOSITORY)).toEqual([{ type: 'repository', name: e.REPOSITORY, actions: [] }]);
  });

  it('answers GET /user like GitHub: X-OAuth-Scopes for classic PATs, none for fine-grained, 401 for a bad token', async () => {
    const user = (token: string) =>
      fetch(`${e.GITHUB_API_URL}/user`, { headers: { Authorization: `token ${token}` } });
    const repo = await user(e.TOKEN_PAT_REPO);
    expect(repo.status).toBe(200);
    expect(repo.headers.get('x-oauth-scopes')).toBe('read:packages, repo, write:packages');
    expect((await user(e.TOKEN_PAT_READ)).headers.get('x-oauth-scopes')).toBe('read:packages');
    const fine = await user(e.TOKEN_FINE_GRAINED);
    expect(fine.status).toBe(200);
    expect(fine.headers.get('x-oauth-scopes')).toBeNull();
    expect((await user(e.TOKEN_GHS_WRITE)).status).toBe(403);
    const wrong = await user(e.TOKEN_WRONG);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ message: 'Bad credentials' });
  });

  it('builds with buildah from the same base (RUN included) and pushes to the htpasswd registry', async () => {
    const ref = `${e.REGISTRY_BASIC}/${e.OWNER}/buildah-proof:${unique}`;
    const storage = ['--root', e.BUILDAH_ROOT, '--runroot', e.BUILDAH_RUNROOT, '--storage-driver', 'vfs'];
    const creds = `${e.BASIC_USER}:${e.BASIC_PASSWORD}`;
    await mustRun('buildah', [
      ...storage,
      'bud',
      '--isolation',
      'chroot',
      '--tls-verify=false',
      '-q',
      '-t',
      ref,
      work,
    ]);
    const digestFile = join(work, 'buildah.digest');
    await mustRun('buildah', [
      ...storage,
      'push',
      '--tls-verify=false',
      '--creds',
      creds,
      '--digestfile',
      digestFile,
      ref,
    ]);
    const digest = readFileSync(digestFile, 'utf8').trim();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await skopeoDigest(ref, skopeoCreds(e.BASIC_USER, e.BASIC_PASSWORD))).toBe(digest);

    const anonymous = await runProgram('skopeo', [
      'inspect',
      '--tls-verify=false',
      '--no-creds',
      `docker://${ref}`,
    ]);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toMatch(/unauthorized|authentication required/i);
  });

  it('creates no bridge network: docker sees only host and none', async () => {
    const networks = (await docker(['network', 'ls', '--format', '{{.Driver}}'])).stdout
      .trim()
      .split('\n')
      .sort();
    expect(networks).toEqual(['host', 'null']);
    const bridges = await mustRun('ip', ['-o', 'link', 'show', 'type', 'bridge']);
    expect(bridges.stdout.trim()).toBe('');
  });
});
