import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { imageArgs } from '../../../src/build/args.js';
import {
  attestationArgs,
  buildxArgs,
  byDigestOutput,
  uploadsItself,
  parseBuildxDriver,
  parseBuildxMetadata,
  type BuildxMetadata,
} from '../../../src/build/buildx.js';
import type { BuildRequest } from '../../../src/build/types.js';
import { ActionError } from '../../../src/errors.js';
import { buildWorkDir, IMAGE_INPUTS, SENTINEL_PASSWORD as PASSWORD } from '../../support/build-request.js';

const { workDir, context: CONTEXT, file: DOCKERFILE, request } = buildWorkDir('build-buildx-');
const FILES = { iidFile: join(workDir, 'buildx.iid'), metadataFile: join(workDir, 'buildx-metadata.json') };

const argsFor = (overrides: Partial<BuildRequest> = {}): string[] => buildxArgs(request(overrides), FILES);

/** What every argv starts with. */
const HEAD = [
  'buildx',
  'build',
  '--file',
  DOCKERFILE,
  '--iidfile',
  FILES.iidFile,
  '--metadata-file',
  FILES.metadataFile,
];
const TAG = ['--tag', 'ghcr.io/octo-org/app:1.0'];
const GHA_CACHE = [
  '--cache-from',
  'type=gha,scope=ghcr.io/octo-org/app',
  '--cache-to',
  'type=gha,scope=ghcr.io/octo-org/app,mode=max,ignore-error=true',
];

describe('buildxArgs: one input at a time', () => {
  it('a minimal request: the files, its tag, --load and the context', () => {
    expect(argsFor()).toEqual([...HEAD, ...TAG, '--load', '--', CONTEXT]);
  });

  it('carries the shared imageArgs whole, between the files and --load', () => {
    const shared = request(IMAGE_INPUTS);
    expect(buildxArgs(shared, FILES)).toEqual([...HEAD, ...imageArgs(shared), '--load', '--', CONTEXT]);
  });

  // One input at a time: its flags (and --load or not) come after the shared argv, before the context.
  it.each<[string, Partial<BuildRequest>, string[]]>([
    [
      'one platform: --platform with it, and still --load',
      { platforms: ['linux/arm64'] },
      ['--platform', 'linux/arm64', '--load'],
    ],
    [
      'several platforms: one --platform joined with commas, and neither --load nor --push',
      { platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] },
      ['--platform', 'linux/amd64,linux/arm64,linux/arm/v7'],
    ],
    [
      'cache on: the GitHub Actions cache, from and to, ignoring cache errors',
      { cache: 'default' },
      [...GHA_CACHE, '--load'],
    ],
    ['pull: --pull', { pull: true }, ['--pull', '--load']],
    ['push: --push and no --load', { push: true }, ['--push']],
  ])('%s', (_name, overrides, flags) => {
    expect(argsFor(overrides)).toEqual([...HEAD, ...TAG, ...flags, '--', CONTEXT]);
  });

  it('cache off: no cache flags', () => {
    const args = argsFor({ cache: 'off' });
    expect(args).not.toContain('--cache-from');
    expect(args).not.toContain('--cache-to');
    expect(args.some((item) => item.startsWith('type=gha'))).toBe(false);
  });

  it('noCache: --no-cache, and no cache import or export even with cache on', () => {
    expect(argsFor({ noCache: true })).toEqual([...HEAD, ...TAG, '--no-cache', '--load', '--', CONTEXT]);
    expect(argsFor({ cache: 'default', noCache: true })).toEqual([
      ...HEAD,
      ...TAG,
      '--no-cache',
      '--load',
      '--',
      CONTEXT,
    ]);
  });

  it('cacheFrom adds nothing: buildx reuses layers through the gha cache', () => {
    expect(argsFor({ cacheFrom: 'ghcr.io/octo-org/app:latest' })).toEqual(argsFor());
    expect(argsFor({ cache: 'default', cacheFrom: 'ghcr.io/octo-org/app:latest' })).toEqual(
      argsFor({ cache: 'default' }),
    );
  });

  it.each([[[]], [['linux/amd64']], [['linux/amd64', 'linux/arm64']]])(
    'push with platforms %j: --push, never --load',
    (platforms) => {
      const args = argsFor({ push: true, platforms });
      expect(args.filter((item) => item === '--push')).toHaveLength(1);
      expect(args).not.toContain('--load');
    },
  );

  it.each([
    [[], true],
    [['linux/amd64'], true],
    [['linux/amd64', 'linux/arm64'], false],
  ])('no push with platforms %j: --load is %p, --push never', (platforms, load) => {
    const args = argsFor({ push: false, platforms });
    expect(args.includes('--load')).toBe(load);
    expect(args).not.toContain('--push');
  });

  it('credentials and workDir add nothing', () => {
    const credentials = { username: 'octo-bot', password: PASSWORD };
    expect(argsFor({ credentials, workDir: join(workDir, 'elsewhere') })).toEqual(argsFor());
  });
});

describe('buildxArgs: a complete request', () => {
  const credentials = { username: 'octo-bot', password: PASSWORD };
  const full = request({
    context: join(workDir, 'src with space'),
    file: join(workDir, 'docker', 'Dockerfile.release'),
    target: 'runtime',
    buildArgs: { VERSION: '1.2.3', NODE_ENV: 'production' },
    labels: { 'org.opencontainers.image.version': '1.2.3', 'com.example.note': 'a=b c' },
    platforms: ['linux/amd64', 'linux/arm64'],
    tags: ['1.2.3', 'latest'],
    push: true,
    cache: 'default',
    noCache: false,
    pull: true,
    cacheFrom: 'ghcr.io/octo-org/app:latest',
    credentials,
  });
  const args = buildxArgs(full, FILES);

  it('is exactly this argv', () => {
    expect(args).toEqual([
      'buildx',
      'build',
      '--file',
      join(workDir, 'docker', 'Dockerfile.release'),
      '--iidfile',
      FILES.iidFile,
      '--metadata-file',
      FILES.metadataFile,
      '--tag',
      'ghcr.io/octo-org/app:1.2.3',
      '--tag',
      'ghcr.io/octo-org/app:latest',
      '--label',
      'org.opencontainers.image.version=1.2.3',
      '--label',
      'com.example.note=a=b c',
      '--build-arg',
      'VERSION=1.2.3',
      '--build-arg',
      'NODE_ENV=production',
      '--target',
      'runtime',
      '--platform',
      'linux/amd64,linux/arm64',
      '--cache-from',
      'type=gha,scope=ghcr.io/octo-org/app-runtime-linux-amd64-linux-arm64',
      '--cache-to',
      'type=gha,scope=ghcr.io/octo-org/app-runtime-linux-amd64-linux-arm64,mode=max,ignore-error=true',
      '--pull',
      '--push',
      '--',
      join(workDir, 'src with space'),
    ]);
  });

  it('never carries the password, plain or base64, in any argv item', () => {
    const basic = Buffer.from(`octo-bot:${PASSWORD}`).toString('base64');
    for (const item of args) {
      expect(item).not.toContain(PASSWORD);
      expect(item).not.toContain(basic);
    }
  });

  it('does not change the request', () => {
    expect(full.tags).toEqual(['1.2.3', 'latest']);
    expect(full.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it.each<Partial<BuildRequest>>([
    {},
    { push: true },
    { platforms: ['linux/amd64', 'linux/arm64'] },
    { noCache: true, pull: true },
    { cache: 'default', target: 'test' },
  ])('ends with the context whatever else is set (%j)', (overrides: Partial<BuildRequest>) => {
    expect(argsFor(overrides).at(-1)).toBe(CONTEXT);
    expect(argsFor(overrides).filter((item) => item === CONTEXT)).toHaveLength(1);
  });
});

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/buildx/${name}`, import.meta.url)), 'utf8');

/**
 * Parses a recorded metadata file and checks what every recording is read for: the digest, the config digest
 * (undefined when there is none), the names, and `raw` as the file holds it. Returns the parse.
 */
function parsedFixture(
  name: string,
  expected: Pick<BuildxMetadata, 'digest' | 'configDigest' | 'names'>,
): BuildxMetadata {
  const text = fixture(name);
  const metadata = parseBuildxMetadata(text);
  expect(metadata.digest).toBe(expected.digest);
  expect(metadata.configDigest).toBe(expected.configDigest);
  expect(metadata.names).toEqual(expected.names);
  expect(metadata.raw).toEqual(JSON.parse(text));
  return metadata;
}

describe('parseBuildxMetadata on recorded metadata files', () => {
  it('a single-platform push: the manifest digest, the config digest and every name', () => {
    const metadata = parsedFixture('single-platform-push.json', {
      digest: 'sha256:82672ead6751e9d88dc27cd794263ef6ebb961dac92b62469b470d0aef5f17f5',
      configDigest: 'sha256:f273eb60ccc141184ab4cb33c69e4666cc714f9bbe8fc1326636f2ad1af6bc1e',
      names: ['ghcr.io/octo-org/app:1.2.3', 'ghcr.io/octo-org/app:1.2', 'ghcr.io/octo-org/app:latest'],
    });
    expect(Object.keys(metadata.raw)).toEqual([
      'buildx.build.ref',
      'containerimage.config.digest',
      'containerimage.descriptor',
      'containerimage.digest',
      'image.name',
    ]);
    expect(metadata.raw['containerimage.descriptor']).toEqual({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: 'sha256:82672ead6751e9d88dc27cd794263ef6ebb961dac92b62469b470d0aef5f17f5',
      size: 1054,
      annotations: {
        'config.digest': 'sha256:f273eb60ccc141184ab4cb33c69e4666cc714f9bbe8fc1326636f2ad1af6bc1e',
        'org.opencontainers.image.created': '2024-05-27T14:21:48Z',
      },
    });
  });

  it('a multi-platform push: the index digest, no config digest', () => {
    const metadata = parsedFixture('multi-platform-push.json', {
      digest: 'sha256:361864d1be0efc8f9b8768480d414d8cbd1ba5d6d2966fe016a70ab53cc6bdcf',
      configDigest: undefined,
      names: ['ghcr.io/octo-org/app:1.2.3', 'ghcr.io/octo-org/app:latest'],
    });
    expect(metadata.raw['containerimage.descriptor']).toMatchObject({
      mediaType: 'application/vnd.oci.image.index.v1+json',
    });
  });

  it('a --load without push: the digest comes from the descriptor', () => {
    const metadata = parsedFixture('load.json', {
      digest: 'sha256:921e8db89176b8788ddd2938f1f54c77c4f2a43c5c7199c1d6c612ff8114f7af',
      configDigest: 'sha256:1abaf2670ac29fb8c33a4a089219c8fd071da57da7b424e68c245f3fb3f0f9df',
      names: ['ghcr.io/octo-org/app:pr-42'],
    });
    expect(metadata.raw).not.toHaveProperty(['containerimage.digest']);
  });

  it('a push with provenance: the digests as usual, the provenance kept in raw', () => {
    const metadata = parsedFixture('provenance-push.json', {
      digest: 'sha256:e3d182844bdc92aaa1dd7b23ab9deb3df2b4639ffd05128f49d81ac632f1bde5',
      configDigest: 'sha256:668900990716bbe2a861ad47470f2d9176c1ceea6cd2cfa7e17698afa4ff395f',
      names: ['ghcr.io/octo-org/app:1.2.3'],
    });
    expect(metadata.raw['buildx.build.provenance']).toMatchObject({
      buildType: 'https://mobyproject.org/buildkit@v1',
      invocation: { environment: { platform: 'linux/amd64' } },
    });
    expect(metadata.raw['buildx.build.warnings']).toEqual([]);
  });

  it('prefers containerimage.digest over the descriptor when both are there', () => {
    const metadata = parseBuildxMetadata(
      JSON.stringify({
        'containerimage.digest': `sha256:${'a'.repeat(64)}`,
        'containerimage.descriptor': { digest: `sha256:${'b'.repeat(64)}` },
      }),
    );
    expect(metadata.digest).toBe(`sha256:${'a'.repeat(64)}`);
  });

  it('an empty object: nothing known, no names', () => {
    expect(parseBuildxMetadata('{}')).toEqual({
      digest: undefined,
      configDigest: undefined,
      names: [],
      raw: {},
    });
  });

  it('a truncated file is an ActionError that names buildx', () => {
    const text = fixture('truncated.txt');
    expect(() => parseBuildxMetadata(text)).toThrow(ActionError);
    expect(() => parseBuildxMetadata(text)).toThrow(/buildx/);
  });

  it.each(['', 'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully'])(
    'non-JSON text %p is an ActionError that names buildx',
    (text) => {
      let caught: unknown;
      try {
        parseBuildxMetadata(text);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ActionError);
      expect(caught instanceof ActionError ? caught.message : '').toMatch(
        /buildx.*metadata file.*not a JSON object/,
      );
      expect(caught instanceof ActionError ? caught.fix : '').toMatch(/buildx/);
    },
  );
});

describe('parseBuildxMetadata on JSON that is not an object', () => {
  it.each(['null', '[]', '"x"'])('%s is an ActionError', (text) => {
    expect(() => parseBuildxMetadata(text)).toThrow(/not a JSON object/);
  });
});

describe('buildx with the docker driver (a runner without docker/setup-buildx-action)', () => {
  it('reads the driver from docker buildx inspect', () => {
    const inspect =
      'Name:          default\nDriver:        docker\nLast Activity: 2026-11-27 05:00:00 +0000 UTC\n\nNodes:\nName:      default\n';
    expect(parseBuildxDriver(inspect)).toBe('docker');
    expect(parseBuildxDriver('Name: builder\nDriver: docker-container\n')).toBe('docker-container');
    expect(parseBuildxDriver('')).toBe('');
  });

  it('leaves the gha cache out, since the docker driver cannot export a cache', () => {
    const cached = request({ cache: 'default' });
    const files = { iidFile: 'iid', metadataFile: 'meta' };
    const gha = (args: string[]) => args.filter((item) => item.startsWith('type=gha'));
    expect(gha(buildxArgs(cached, files, 'docker'))).toEqual([]);
    expect(gha(buildxArgs(cached, files, 'docker-container'))).toHaveLength(2);
  });
});

describe('a context folder named like a flag', () => {
  it("stays the context: '--' ends the options just before it", () => {
    const args = argsFor({ context: '--output=type=local,dest=/tmp/stolen' });
    expect(args.slice(-2)).toEqual(['--', '--output=type=local,dest=/tmp/stolen']);
    expect(args.filter((item) => item.startsWith('--output'))).toHaveLength(1);
  });
});

describe('buildxArgs: secrets, ssh and the network', () => {
  it('the network flag, then the mount flags, after --load and before the context; no value in argv', () => {
    const mounts = ['--secret', 'id=token,src=/f/secret-0', '--ssh', 'default'];
    const secrets = [{ id: 'token', value: PASSWORD }];
    const args = buildxArgs(request({ network: 'none', secrets }), FILES, 'docker-container', mounts);
    expect(args.slice(-9)).toEqual(['--load', '--network', 'none', ...mounts, '--', CONTEXT]);
    for (const item of args) expect(item).not.toContain(PASSWORD);
    expect(argsFor({ network: 'host', secrets })).toEqual([
      ...argsFor().slice(0, -2),
      '--network',
      'host',
      '--',
      CONTEXT,
    ]);
  });
});

describe('attestationArgs: --provenance and --sbom', () => {
  const auto = { provenance: { value: 'mode=min', auto: true } };
  const given = { provenance: { value: 'mode=max', auto: false }, sbom: { value: 'true', auto: false } };

  it('pass on a push, after the cache flags', () => {
    const args = argsFor({ push: true, attestations: given });
    expect(args.slice(args.indexOf('--provenance=mode=max'))).toEqual([
      '--provenance=mode=max',
      '--sbom=true',
      '--push',
      '--',
      CONTEXT,
    ]);
    expect(attestationArgs(request({ push: true, attestations: auto }), 'docker-container')).toEqual([
      '--provenance=mode=min',
    ]);
  });

  it('none without a push: a loaded image cannot carry them', () => {
    expect(attestationArgs(request({ push: false, attestations: given }), 'docker-container')).toEqual([]);
  });

  it('the docker driver: the default provenance is left out, a given one is passed on', () => {
    expect(attestationArgs(request({ push: true, attestations: auto }), 'docker')).toEqual([]);
    expect(attestationArgs(request({ push: true, attestations: given }), 'docker')).toEqual([
      '--provenance=mode=max',
      '--sbom=true',
    ]);
  });
});

describe('buildx by digest', () => {
  it('pushes through the image exporter with push-by-digest and no tag, instead of --push', () => {
    const args = argsFor({ push: true, byDigest: true, tags: [] });
    expect(args).not.toContain('--push');
    expect(args).not.toContain('--tag');
    expect(args).not.toContain('--load');
    expect(args.slice(-4)).toEqual([
      '--output',
      'type=image,name=ghcr.io/octo-org/app,push-by-digest=true,name-canonical=true,push=true',
      '--',
      CONTEXT,
    ]);
    expect(byDigestOutput(request())).toContain('push-by-digest=true');
  });

  it("on the docker driver (which would push an untagged name as ':latest'): --load, no attestation, the action uploads", () => {
    const byDigest = request({
      push: true,
      byDigest: true,
      tags: [],
      attestations: { provenance: { value: 'mode=max', auto: false }, sbom: { value: 'true', auto: false } },
    });
    const files = { iidFile: 'iid', metadataFile: 'meta' };
    const args = buildxArgs(byDigest, files, 'docker');
    expect(uploadsItself(byDigest, 'docker')).toBe(true);
    expect(uploadsItself(byDigest, 'docker-container')).toBe(false);
    expect(args).toContain('--load');
    expect(args.some((item) => item.startsWith('type=image') || item === '--push')).toBe(false);
    expect(args.some((item) => item.startsWith('--provenance') || item.startsWith('--sbom'))).toBe(false);
    expect(buildxArgs(byDigest, files, 'docker-container')).toContain('--provenance=mode=max');
  });
});
