import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference } from '../../src/registry/index.js';
import type { StepResult } from '../support/action.js';
import { makeImage, pushImage, stackClient, uniqueTag } from '../support/registry.js';
import { describeWithStack } from '../support/stack.js';
import { annotated, annotations, leakSurface, stackJob } from '../support/step.js';

// Credentials end to end: the bundle (node dist/index.js, then the post step) against the stand-in's token
// registry, its token service and its GET /user, for each identity modelled on GitHub's credentials.
describeWithStack('credentials: GITHUB_TOKEN first, PAT as a warned fallback', (stack) => {
  const e = stack.env;
  const seed = makeImage();
  const source = `${e.REGISTRY_TOKEN}/${e.REPOSITORY}:seed-credentials`;
  const publicSource = `${e.REGISTRY_TOKEN}/${e.OWNER}/public-credentials:seed`;
  const allSteps: StepResult[] = [];
  const secrets = [
    e.TOKEN_GHS_WRITE,
    e.TOKEN_GHS_READ,
    e.TOKEN_PAT_WRITE,
    e.TOKEN_PAT_REPO,
    e.TOKEN_PAT_READ,
    e.TOKEN_FINE_GRAINED,
    e.TOKEN_WRONG,
  ];
  const tokenLogLines = () => readFileSync(e.TOKEN_LOG, 'utf8').trim().split('\n');
  const exists = async (reference: string) =>
    (await stackClient(e).client.headManifest(parseReference(reference))) !== undefined;

  /** A promote (push) run: copies the seed to a fresh repository under the owner. */
  async function promote(job: ReturnType<typeof stackJob>, inputs: Record<string, string>) {
    const image = `${e.OWNER}/promoted-${uniqueTag('c')}`;
    const result = await job.main({ command: 'promote', source, image, tags: 'v1', ...inputs });
    allSteps.push(result);
    return { result, destination: `${e.REGISTRY_TOKEN}/${image}:v1` };
  }

  beforeAll(async () => {
    await pushImage(stackClient(e).client, parseReference(source), seed);
    await pushImage(stackClient(e).client, parseReference(publicSource), seed);
  });

  it('uses GITHUB_TOKEN when it may push: auth-method github-token, no warning, docker logged in then out', async () => {
    const job = stackJob(stack);
    const { result, destination } = await promote(job, { 'github-token': e.TOKEN_GHS_WRITE });
    expect(result.code).toBe(0);
    expect(result.outputs['auth-method']).toBe('github-token');
    expect(result.outputs.digest).toBe(seed.manifest.digest);
    expect(annotations(result, 'warning')).toEqual([]);
    expect(await exists(destination)).toBe(true);
    expect(JSON.parse(job.dockerConfigText()).auths).toHaveProperty([e.REGISTRY_TOKEN]);
    expect(result.state['login-registry']).toBe(e.REGISTRY_TOKEN);
    // The proven login was written to the docker config without running docker login: docker itself uses it.
    const pulled = spawnSync('docker', ['pull', '-q', destination], {
      env: { ...stack.processEnv, DOCKER_CONFIG: job.dockerConfig },
      encoding: 'utf8',
    });
    expect(pulled.stderr).toBe('');
    expect(pulled.status).toBe(0);

    const post = await job.post({}, result.state);
    allSteps.push(post);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`Logged docker out of ${e.REGISTRY_TOKEN}`);
    expect(JSON.parse(job.dockerConfigText()).auths ?? {}).not.toHaveProperty([e.REGISTRY_TOKEN]);
  });

  it('falls back to a write PAT when GITHUB_TOKEN is read-only, and says how to migrate', async () => {
    const job = stackJob(stack);
    const { result, destination } = await promote(job, {
      'github-token': e.TOKEN_GHS_READ,
      pat: e.TOKEN_PAT_WRITE,
    });
    expect(result.code).toBe(0);
    expect(result.outputs['auth-method']).toBe('pat');
    const [warning, ...others] = annotations(result, 'warning');
    expect(others).toEqual([]);
    expect(warning).toContain('GITHUB_TOKEN was refused, so the personal access token');
    expect(warning).toContain('permissions: packages: write');
    expect(warning).toContain('Manage Actions access');
    expect(warning).toContain('delete the PAT secret');
    expect(await exists(destination)).toBe(true);
  });

  it('fails before any work with a read-only GITHUB_TOKEN and no PAT, naming packages: write', async () => {
    const job = stackJob(stack);
    const { result, destination } = await promote(job, { 'github-token': e.TOKEN_GHS_READ });
    expect(result.code).toBe(1);
    const [error] = annotations(result, 'error');
    expect(error).toContain('No credentials may push');
    expect(error).toContain('packages: write');
    expect(error).toContain('nothing was built, pushed or changed');
    expect(await exists(destination)).toBe(false);
    expect(result.outputs).toEqual({});
    expect(job.dockerConfigText()).toBe('');
  });

  it("quotes ghcr.io's own refusal (403 denied) and names packages: write and the package's Actions access", async () => {
    // The stand-in's ghcr-like front answers as ghcr.io does: 403 `denied: installation not allowed to Write
    // organization package` for an installation token that may not write.
    const job = stackJob(stack);
    const result = await job.main({
      command: 'promote',
      registry: e.REGISTRY_GHCR,
      source: `${e.REGISTRY_GHCR}/${e.REPOSITORY}:seed-credentials`,
      image: `${e.REGISTRY_GHCR}/${e.OWNER}/unlinked-${uniqueTag('u')}`,
      tags: 'v1',
      'github-token': e.TOKEN_GHS_WRITE,
    });
    allSteps.push(result);
    expect(result.code).toBe(1);
    const [error] = annotations(result, 'error');
    expect(error).toContain('denied: installation not allowed to Write organization package');
    expect(error).toContain('permissions: packages: write');
    expect(error).toContain('Manage Actions access');
  });

  it('tells a pull request from a fork to skip the push instead', async () => {
    const job = stackJob(stack, { event: 'pull_request_fork.json', eventName: 'pull_request' });
    const { result } = await promote(job, { 'github-token': e.TOKEN_GHS_READ });
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')[0]).toMatch(
      /pull request from a fork: its GITHUB_TOKEN is read-only.*push: auto/s,
    );
  });

  it("warns that a PAT with 'repo' is broader than needed, pointing to a write:packages-only token", async () => {
    const job = stackJob(stack);
    const { result } = await promote(job, { 'github-token': '', pat: e.TOKEN_PAT_REPO });
    expect(result.code).toBe(0);
    expect(result.outputs['auth-method']).toBe('pat');
    const warnings = annotations(result, 'warning');
    expect(warnings.some((w) => w.includes("'repo' scope") && w.includes('scopes=write:packages'))).toBe(
      true,
    );
    expect(annotated(result, 'warning', 'Migrate this workflow to GITHUB_TOKEN')).toBe(true);
  });

  it('fails early, before touching the registry, when a PAT lacks write:packages for a push', async () => {
    const job = stackJob(stack);
    const before = tokenLogLines().length;
    const { result, destination } = await promote(job, { 'github-token': '', pat: e.TOKEN_PAT_READ });
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')[0]).toContain(
      'lacks the write:packages scope needed to push (its scopes: read:packages)',
    );
    expect(
      tokenLogLines()
        .slice(before)
        .filter((line) => line.includes('"pat-read"')),
    ).toEqual([]);
    expect(await exists(destination)).toBe(false);
  });

  it('warns about a fine-grained PAT (GitHub Packages documents classic PATs only)', async () => {
    const job = stackJob(stack);
    const { result } = await promote(job, { 'github-token': '', pat: e.TOKEN_FINE_GRAINED });
    expect(result.code).toBe(0);
    expect(annotated(result, 'warning', 'fine-grained personal access token')).toBe(true);
  });

  it('notes that a PAT was not needed when GITHUB_TOKEN works', async () => {
    const job = stackJob(stack);
    const { result } = await promote(job, { 'github-token': e.TOKEN_GHS_WRITE, pat: e.TOKEN_PAT_WRITE });
    expect(result.code).toBe(0);
    expect(result.outputs['auth-method']).toBe('github-token');
    expect(annotated(result, 'notice', "the personal access token in 'pat' was not needed")).toBe(true);
    expect(annotations(result, 'warning')).toEqual([]);
  });

  it('explains a wrong token: a revoked PAT, and a GITHUB_TOKEN that is not valid (any more)', async () => {
    const pat = await promote(stackJob(stack), { 'github-token': e.TOKEN_WRONG });
    expect(pat.result.code).toBe(1);
    expect(annotations(pat.result, 'error')[0]).toContain('401 Bad credentials');

    const stale = await promote(stackJob(stack), { 'github-token': `ghs_${'0'.repeat(36)}` });
    expect(stale.result.code).toBe(1);
    expect(annotations(stale.result, 'error')[0]).toContain('GITHUB_TOKEN is valid only while its job runs');
  });

  it('resolves a public image anonymously when no token is given', async () => {
    const job = stackJob(stack);
    const result = await job.main({ command: 'resolve', source: publicSource, 'github-token': '' });
    allSteps.push(result);
    expect(result.code).toBe(0);
    expect(result.outputs['auth-method']).toBe('anonymous');
    expect(result.outputs.digest).toBe(seed.manifest.digest);
    expect(result.state['login-registry']).toBeUndefined();
  });

  it("never sends a GitHub token to a registry that is not GitHub's (a job's own localhost registry)", async () => {
    // On github.com, a registry on localhost is the job's own: the GitHub token must not go there.
    const job = stackJob(stack, { env: { GITHUB_SERVER_URL: 'https://github.com' } });
    const before = tokenLogLines().length;
    const result = await job.main({
      command: 'resolve',
      source: publicSource,
      'github-token': e.TOKEN_GHS_WRITE,
    });
    allSteps.push(result);
    expect(result.code).toBe(0);
    expect(result.outputs['auth-method']).toBe('anonymous');
    expect(annotated(result, 'notice', 'is not a GitHub registry, so no GitHub token is sent to it')).toBe(
      true,
    );
    expect(
      tokenLogLines()
        .slice(before)
        .every((line) => line.includes('"anonymous"')),
    ).toBe(true);
  });

  it('keeps the docker login when logout is false', async () => {
    const job = stackJob(stack);
    const { result } = await promote(job, { 'github-token': e.TOKEN_GHS_WRITE, logout: 'false' });
    expect(result.code).toBe(0);
    const post = await job.post({ logout: 'false' }, result.state);
    expect(post.stdout).toContain('Staying logged in');
    expect(JSON.parse(job.dockerConfigText()).auths).toHaveProperty([e.REGISTRY_TOKEN]);
  });

  it('uses username and password on an htpasswd registry; the source on another registry is read anonymously', async () => {
    const job = stackJob(stack);
    const target = `${e.REGISTRY_BASIC}/${e.OWNER}/password-${uniqueTag('pw')}`;
    const result = await job.main({
      command: 'promote',
      registry: e.REGISTRY_BASIC,
      source: publicSource,
      image: target,
      tags: 'v1',
      username: e.BASIC_USER,
      password: e.BASIC_PASSWORD,
      'github-token': e.TOKEN_GHS_WRITE,
    });
    allSteps.push(result);
    expect(result.code).toBe(0);
    expect(result.outputs['auth-method']).toBe('password');
    expect(result.outputs.digest).toBe(seed.manifest.digest);
  });

  it('skips docker login with a notice when there is no docker CLI, and still does its registry work', async () => {
    // A PATH with nothing on it: the bundle runs by node's full path, docker cannot be found.
    const job = stackJob(stack, { env: { PATH: mkdtempSync(join(tmpdir(), 'no-docker-')) } });
    const { result, destination } = await promote(job, { 'github-token': e.TOKEN_GHS_WRITE });
    expect(result.code).toBe(0);
    expect(annotated(result, 'notice', 'No docker CLI here: skipped docker login')).toBe(true);
    expect(await exists(destination)).toBe(true);
    expect(result.state['login-registry']).toBeUndefined();
  });

  afterAll(() => {
    // The scan can see secrets: every run announced its own to the runner's masker.
    const everything = allSteps.map((step) => step.everything).join('\n');
    expect(everything).toContain(`::add-mask::${e.TOKEN_GHS_WRITE}`);
    // Sentinel scan: no credential in any log, output, state or summary of the runs above (the docker config
    // after each logout is checked in its test). Base64 forms count too.
    const surface = allSteps.map(leakSurface).join('\n');
    for (const secret of secrets) {
      expect(surface).not.toContain(secret);
      expect(surface).not.toContain(Buffer.from(`${e.ACTOR}:${secret}`).toString('base64'));
    }
    expect(allSteps.length).toBeGreaterThanOrEqual(10);
  });
});
