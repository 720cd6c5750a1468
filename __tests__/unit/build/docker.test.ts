import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { dockerBuildArgs, pushedDigest } from '../../../src/build/docker.js';
import type { BuildRequest } from '../../../src/build/types.js';
import { buildPaths, buildRequest, SENTINEL_PASSWORD as PASSWORD } from '../../support/build-request.js';

const workDir = mkdtempSync(join(tmpdir(), 'build-docker-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const { context: CONTEXT, file: DOCKERFILE } = buildPaths(workDir);
const IID = join(workDir, 'docker.iid');

const argsFor = (overrides: Partial<BuildRequest> = {}): string[] =>
  dockerBuildArgs(buildRequest(workDir, overrides), IID);

const HEAD = ['build', '--file', DOCKERFILE, '--iidfile', IID];
const TAG = ['--tag', 'ghcr.io/octo-org/app:1.0'];
const PREVIOUS = 'ghcr.io/octo-org/app:latest';

describe('dockerBuildArgs', () => {
  it('a minimal request: build, the files, its tag and the context', () => {
    expect(argsFor()).toEqual([...HEAD, ...TAG, CONTEXT]);
  });

  it('one --tag per tag as registry/repository:tag, in order', () => {
    expect(argsFor({ tags: ['1.2.3', 'latest'] })).toEqual([
      ...HEAD,
      '--tag',
      'ghcr.io/octo-org/app:1.2.3',
      '--tag',
      'ghcr.io/octo-org/app:latest',
      CONTEXT,
    ]);
  });

  it('--label k=v per label; a value with = and spaces stays one item', () => {
    expect(argsFor({ labels: { 'org.opencontainers.image.title': 'app', note: 'a=b c = d' } })).toEqual([
      ...HEAD,
      ...TAG,
      '--label',
      'org.opencontainers.image.title=app',
      '--label',
      'note=a=b c = d',
      CONTEXT,
    ]);
  });

  it('--build-arg k=v per build arg', () => {
    expect(argsFor({ buildArgs: { VERSION: '1.0', FLAGS: '-X a=b' } })).toEqual([
      ...HEAD,
      ...TAG,
      '--build-arg',
      'VERSION=1.0',
      '--build-arg',
      'FLAGS=-X a=b',
      CONTEXT,
    ]);
  });

  it('--target only when set', () => {
    expect(argsFor({ target: 'runtime' })).toEqual([...HEAD, ...TAG, '--target', 'runtime', CONTEXT]);
    expect(argsFor({ target: '' })).not.toContain('--target');
  });

  it('a single platform: --platform with it', () => {
    expect(argsFor({ platforms: ['linux/arm64'] })).toEqual([
      ...HEAD,
      ...TAG,
      '--platform',
      'linux/arm64',
      CONTEXT,
    ]);
  });

  it('no platform, or several (refused earlier by the selection): no --platform', () => {
    expect(argsFor({ platforms: [] })).not.toContain('--platform');
    expect(argsFor({ platforms: ['linux/amd64', 'linux/arm64'] })).not.toContain('--platform');
  });

  it('noCache: --no-cache', () => {
    expect(argsFor({ noCache: true })).toEqual([...HEAD, ...TAG, '--no-cache', CONTEXT]);
  });

  it('pull: --pull', () => {
    expect(argsFor({ pull: true })).toEqual([...HEAD, ...TAG, '--pull', CONTEXT]);
  });

  it('cacheFrom with cache on and noCache off: --cache-from with the image', () => {
    expect(argsFor({ cache: true, cacheFrom: PREVIOUS })).toEqual([
      ...HEAD,
      ...TAG,
      '--cache-from',
      PREVIOUS,
      CONTEXT,
    ]);
  });

  it.each([
    { cache: false, noCache: false, cacheFrom: PREVIOUS },
    { cache: true, noCache: true, cacheFrom: PREVIOUS },
    { cache: false, noCache: true, cacheFrom: PREVIOUS },
    { cache: true, noCache: false, cacheFrom: undefined },
  ])('no --cache-from for %j', (overrides: Partial<BuildRequest>) => {
    const args = argsFor(overrides);
    expect(args).not.toContain('--cache-from');
    expect(args).not.toContain(PREVIOUS);
  });

  it('push, cache alone and credentials add nothing to the build argv', () => {
    const credentials = { username: 'octo-bot', password: PASSWORD };
    expect(argsFor({ push: true, cache: true, credentials })).toEqual(argsFor());
  });

  it('a complete request: exactly this argv, the context last, no password', () => {
    const args = argsFor({
      context: join(workDir, 'app dir'),
      tags: ['1.2.3', 'latest'],
      labels: { 'org.opencontainers.image.version': '1.2.3' },
      buildArgs: { VERSION: '1.2.3' },
      target: 'runtime',
      platforms: ['linux/amd64'],
      pull: true,
      cache: true,
      cacheFrom: PREVIOUS,
      push: true,
      credentials: { username: 'octo-bot', password: PASSWORD },
    });
    expect(args).toEqual([
      ...HEAD,
      '--tag',
      'ghcr.io/octo-org/app:1.2.3',
      '--tag',
      'ghcr.io/octo-org/app:latest',
      '--label',
      'org.opencontainers.image.version=1.2.3',
      '--build-arg',
      'VERSION=1.2.3',
      '--target',
      'runtime',
      '--platform',
      'linux/amd64',
      '--pull',
      '--cache-from',
      PREVIOUS,
      join(workDir, 'app dir'),
    ]);
    for (const item of args) expect(item).not.toContain(PASSWORD);
  });

  it.each([{}, { noCache: true, pull: true }, { cache: true, cacheFrom: PREVIOUS, target: 't' }])(
    'ends with the context (%j)',
    (overrides: Partial<BuildRequest>) => {
      expect(argsFor(overrides).at(-1)).toBe(CONTEXT);
    },
  );
});

const DIGEST = 'sha256:103f8dafbfdf80c1dea324dd713b8f6b616c49d38ce76a27e0ef15355ea78957';

/** What `docker push ghcr.io/octo-org/app:1.0` prints on stdout once the layers are up. */
const PUSH_OUTPUT = [
  'The push refers to repository [ghcr.io/octo-org/app]',
  '5f70bf18a086: Preparing',
  'c0d1a4b2e3f4: Preparing',
  '8d3ac3489996: Preparing',
  '4693057ce236: Preparing',
  '8d3ac3489996: Layer already exists',
  '4693057ce236: Layer already exists',
  '5f70bf18a086: Pushed',
  'c0d1a4b2e3f4: Pushed',
  `1.0: digest: ${DIGEST} size: 942`,
  '',
].join('\n');

describe('pushedDigest', () => {
  it("reads the digest from docker push's last line", () => {
    expect(pushedDigest(PUSH_OUTPUT)).toBe(DIGEST);
  });

  it('reads it with Windows line ends too', () => {
    expect(pushedDigest(PUSH_OUTPUT.replaceAll('\n', '\r\n'))).toBe(DIGEST);
  });

  it('is undefined for output without a digest', () => {
    const unfinished = PUSH_OUTPUT.split('\n').slice(0, 9).join('\n');
    expect(pushedDigest(unfinished)).toBeUndefined();
    expect(pushedDigest('')).toBeUndefined();
  });

  it('is undefined for a digest line whose hex is short or not sha256', () => {
    expect(pushedDigest(`1.0: digest: sha256:${'a'.repeat(63)} size: 942`)).toBeUndefined();
    expect(pushedDigest(`1.0: digest: sha512:${'a'.repeat(128)} size: 942`)).toBeUndefined();
  });
});
