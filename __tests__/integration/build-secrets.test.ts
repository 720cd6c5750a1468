import { expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SECRETS_FOLDER_PREFIX } from '../../src/build/secrets.js';
import { runnerEnv, runPostStep } from '../support/action.js';
import { mustRun } from '../support/exec.js';
import { stackClient, uniqueTag } from '../support/registry.js';
import { skopeo } from '../support/skopeo.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, leakSurface, stackJob, type Job } from '../support/step.js';
import { parseReference } from '../../src/registry/index.js';

// Build secrets end to end: the bundle builds a Dockerfile whose RUN steps fail unless each secret is mounted
// (a value, a file, a variable of the step), with the docker builder on BuildKit (Debian's docker CLI 20.10 and
// DOCKER_BUILDKIT=1, as the action detects it) and with buildah. The Dockerfile compares a hash of each secret,
// never the secret itself, so the image's history (which keeps every RUN line) cannot hold a value: then no
// sentinel may appear in any layer or config of the pushed image, in `docker history`, or anywhere the step
// wrote, and the private folder of the values under RUNNER_TEMP is gone.

const SENTINELS = {
  token: `tok-${'S3'.repeat(8)}-value`,
  file: `file-${'F4'.repeat(8)}-content`,
  env: `env-${'E5'.repeat(8)}-variable`,
};
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** RUN steps that pass only when /run/secrets/<id> holds the sentinel (compared by its sha256). */
function dockerfile(base: string): string {
  const check = (id: string, text: string) =>
    `RUN --mount=type=secret,id=${id} test "$(sha256sum < /run/secrets/${id} | cut -d' ' -f1)" = "${sha(text)}"`;
  return [
    `FROM ${base}`,
    check('token', SENTINELS.token),
    check('npmrc', SENTINELS.file),
    check('from-env', SENTINELS.env),
    'RUN echo built > /built',
    '',
  ].join('\n');
}

/** A folder on PATH whose `docker` is Debian's 20.10 CLI (BuildKit with DOCKER_BUILDKIT=1, no buildx). */
function debianDockerPath(dir: string): string {
  const bin = join(dir, 'debian-docker-bin');
  mkdirSync(bin);
  symlinkSync('/usr/bin/docker', join(bin, 'docker'));
  return `${bin}:${process.env.PATH ?? ''}`;
}

/** Every blob of a pushed image (layers gunzipped, the config as is), copied with skopeo to a dir: layout. */
async function imageBlobs(reference: string, creds: string, dir: string): Promise<Buffer[]> {
  await skopeo([
    'copy',
    '--src-tls-verify=false',
    '--src-creds',
    creds,
    `docker://${reference}`,
    `dir:${dir}`,
  ]);
  return readdirSync(dir).map((name) => {
    const bytes = readFileSync(join(dir, name));
    return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  });
}

describeWithStack('build secrets', (stack) => {
  const e = stack.env;
  const creds = `${e.ACTOR}:${e.TOKEN_GHS_WRITE}`;

  /** A job whose context (in RUNNER_TEMP) holds the Dockerfile and whose RUNNER_TEMP holds the secret file. */
  function secretJob(env: NodeJS.ProcessEnv = {}): { job: Job; context: string; secretFile: string } {
    const job = stackJob(stack, { env: { SECRET_FROM_ENV: SENTINELS.env, ...env } });
    const temp = job.env.RUNNER_TEMP as string;
    const context = mkdtempSync(join(temp, 'context-'));
    writeFileSync(join(context, 'Dockerfile'), dockerfile(e.BASE_IMAGE));
    const secretFile = join(temp, 'npmrc');
    writeFileSync(secretFile, SENTINELS.file, { mode: 0o600 });
    return { job, context, secretFile };
  }

  // no-cache: a RUN step cached by an earlier run would pass without its secret (a secret is no part of the key).
  const secretInputs = (secretFile: string) => ({
    'no-cache': 'true',
    secrets: `token=${SENTINELS.token}`,
    'secret-files': `npmrc=${secretFile}`,
    'secret-envs': 'from-env=SECRET_FROM_ENV',
  });

  async function expectNoSentinel(job: Job, result: Awaited<ReturnType<Job['main']>>, reference: string) {
    const seen = leakSurface(result);
    const blobs = await imageBlobs(
      reference,
      creds,
      mkdtempSync(join(job.env.RUNNER_TEMP as string, 'img-')),
    );
    expect(blobs.length).toBeGreaterThanOrEqual(3);
    for (const sentinel of Object.values(SENTINELS)) {
      expect(seen).not.toContain(sentinel);
      for (const blob of blobs) expect(blob.includes(sentinel)).toBe(false);
    }
    // The layer of the last RUN step is there (the blobs are the image's, not empty files).
    expect(blobs.some((blob) => blob.includes('built\n'))).toBe(true);
    const left = readdirSync(job.env.RUNNER_TEMP as string).filter((n) =>
      n.startsWith(SECRETS_FOLDER_PREFIX),
    );
    expect(left).toEqual([]);
  }

  it('docker on BuildKit (Debian CLI): every kind of secret is mounted, and none is in the image or the log', async () => {
    const { job, context, secretFile } = secretJob();
    job.env.PATH = debianDockerPath(job.env.RUNNER_TEMP as string);
    const image = `${e.REGISTRY_TOKEN}/${e.OWNER}/secrets-docker-${uniqueTag('s')}`;
    const result = await job.main({
      'github-token': e.TOKEN_GHS_WRITE,
      image,
      tags: 'v1',
      context,
      builder: 'docker',
      network: 'none',
      ...secretInputs(secretFile),
    });
    expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
    expect(result.stdout).toContain('docker build runs BuildKit: the docker CLI 20.10');
    await expectNoSentinel(job, result, `${image}:v1`);
    const history = await mustRun('docker', ['history', '--no-trunc', `${image}:v1`], {
      env: stack.processEnv,
    });
    expect(history.stdout).toContain('/run/secrets/token');
    for (const sentinel of Object.values(SENTINELS)) expect(history.stdout).not.toContain(sentinel);
  });

  it('buildah: every kind of secret is mounted, and none is in the image or the log', async () => {
    const { job, context, secretFile } = secretJob();
    const image = `${e.REGISTRY_TOKEN}/${e.OWNER}/secrets-buildah-${uniqueTag('s')}`;
    const result = await job.main({
      'github-token': e.TOKEN_GHS_WRITE,
      image,
      tags: 'v1',
      context,
      builder: 'buildah',
      ...secretInputs(secretFile),
    });
    expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
    await expectNoSentinel(job, result, `${image}:v1`);
  });

  it.each(['docker', 'buildah'])(
    '%s: the same Dockerfile without the secrets fails (the mounts are needed)',
    async (builder) => {
      const { job, context } = secretJob();
      if (builder === 'docker') job.env.PATH = debianDockerPath(job.env.RUNNER_TEMP as string);
      const image = `${e.REGISTRY_TOKEN}/${e.OWNER}/secrets-none-${uniqueTag(builder)}`;
      const result = await job.main({
        'github-token': e.TOKEN_GHS_WRITE,
        image,
        tags: 'v1',
        context,
        builder,
        'no-cache': 'true',
        ...(builder === 'docker' ? { network: 'none' } : {}),
      });
      expect(result.code).toBe(1);
      expect(annotations(result, 'error')[0]).toMatch(/(docker build|buildah bud) failed/);
    },
  );

  it('the classic builder (DOCKER_BUILDKIT=0) refuses secrets before building, naming the fix', async () => {
    const { job, context, secretFile } = secretJob({ DOCKER_BUILDKIT: '0' });
    job.env.PATH = debianDockerPath(job.env.RUNNER_TEMP as string);
    const name = `${e.OWNER}/secrets-classic-${uniqueTag('c')}`;
    const result = await job.main({
      'github-token': e.TOKEN_GHS_WRITE,
      image: `${e.REGISTRY_TOKEN}/${name}`,
      tags: 'v1',
      context,
      builder: 'docker',
      ...secretInputs(secretFile),
    });
    expect(result.code).toBe(1);
    const error = annotations(result, 'error')[0] ?? '';
    expect(error).toContain("Input 'builder' is 'docker', but docker builds with the classic builder");
    expect(error).toContain('DOCKER_BUILDKIT=0');
    expect(error).toContain("'builder: buildah'");
    expect(result.stdout).not.toContain('Build with docker');
    const listed = await stackClient(e)
      .client.listTags(parseReference(`${e.REGISTRY_TOKEN}/${name}`))
      .catch((err: unknown) => err);
    expect((listed as { status?: number }).status).toBe(404);
    for (const sentinel of Object.values(SENTINELS)) expect(leakSurface(result)).not.toContain(sentinel);
  });

  it('builder auto with secrets passes over a classic docker for buildah, saying why', async () => {
    const { job, context, secretFile } = secretJob({ DOCKER_BUILDKIT: '0' });
    const image = `${e.REGISTRY_TOKEN}/${e.OWNER}/secrets-auto-${uniqueTag('a')}`;
    const result = await job.main({
      'github-token': e.TOKEN_GHS_WRITE,
      image,
      tags: 'v1',
      context,
      ...secretInputs(secretFile),
    });
    expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
    expect(result.stdout).toMatch(/Builder: buildah \(.*not docker: docker builds with the classic builder/);
  });

  it('a bad secrets line fails before any build, naming the line but never the value', async () => {
    const { job, context } = secretJob();
    const result = await job.main({
      'github-token': e.TOKEN_GHS_WRITE,
      image: `${e.REGISTRY_TOKEN}/${e.OWNER}/secrets-bad-${uniqueTag('b')}`,
      tags: 'v1',
      context,
      secrets: `token=ok\n${SENTINELS.token}`,
    });
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')[0]).toContain("Line 2 of 'secrets' has no '='");
    expect(leakSurface(result)).not.toContain(SENTINELS.token);
  });

  it('a context of RUNNER_TEMP itself: COPY . copies no secret value (the folder of values is elsewhere)', async () => {
    const job = stackJob(stack);
    const temp = job.env.RUNNER_TEMP as string;
    writeFileSync(
      join(temp, 'Dockerfile'),
      [
        `FROM ${e.BASE_IMAGE}`,
        `RUN --mount=type=secret,id=token test "$(sha256sum < /run/secrets/token | cut -d' ' -f1)" = "${sha(SENTINELS.token)}"`,
        'COPY . /ctx',
        `RUN test -z "$(find /ctx -name '${SECRETS_FOLDER_PREFIX}*')" && echo built > /built`,
        '',
      ].join('\n'),
    );
    const image = `${e.REGISTRY_TOKEN}/${e.OWNER}/secrets-temp-${uniqueTag('t')}`;
    const result = await job.main({
      'github-token': e.TOKEN_GHS_WRITE,
      image,
      tags: 'v1',
      context: temp,
      builder: 'buildah',
      'no-cache': 'true',
      secrets: `token=${SENTINELS.token}`,
    });
    expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
    const blobs = await imageBlobs(`${image}:v1`, creds, mkdtempSync(join(tmpdir(), 'img-')));
    expect(blobs.some((blob) => blob.includes('built\n'))).toBe(true);
    for (const blob of blobs) expect(blob.includes(SENTINELS.token)).toBe(false);
    expect(leakSurface(result)).not.toContain(SENTINELS.token);
  });
});

it('the post step (the bundle) removes a folder of values a cancelled build left under RUNNER_TEMP', async () => {
  const env = runnerEnv();
  const temp = env.RUNNER_TEMP as string;
  const left = join(temp, `${SECRETS_FOLDER_PREFIX}cancelled`);
  mkdirSync(left);
  writeFileSync(join(left, 'secret-0'), SENTINELS.token, { mode: 0o600 });
  const result = await runPostStep({}, { 'main-ran': 'true' }, env);
  expect(result.code).toBe(0);
  expect(existsSync(left)).toBe(false);
  expect(existsSync(join(temp, 'state'))).toBe(true);
  expect(result.stdout).toContain('Removed 1 leftover folder(s) of build secret values from RUNNER_TEMP.');
});
