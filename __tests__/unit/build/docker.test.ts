import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { imageArgs } from '../../../src/build/args.js';
import { dockerBuildArgs, explainDockerBuild, refuseClassic } from '../../../src/build/docker.js';
import { ActionError } from '../../../src/errors.js';
import type { BuildRequest } from '../../../src/build/types.js';
import { buildWorkDir, COMPLETE, IMAGE_INPUTS, SENTINEL_PASSWORD } from '../../support/build-request.js';

const { workDir, context: CONTEXT, file: DOCKERFILE, request } = buildWorkDir('build-docker-');
const IID = join(workDir, 'docker.iid');

const argsFor = (overrides: Partial<BuildRequest> = {}): string[] => dockerBuildArgs(request(overrides), IID);

const HEAD = ['build', '--force-rm', '--file', DOCKERFILE, '--iidfile', IID];
const TAG = ['--tag', 'ghcr.io/octo-org/app:1.0'];
const PREVIOUS = 'ghcr.io/octo-org/app:latest';

describe('dockerBuildArgs', () => {
  it('a minimal request: build --force-rm, the files, its tag and the context', () => {
    expect(argsFor()).toEqual([...HEAD, ...TAG, '--', CONTEXT]);
  });

  // Without --force-rm the classic builder leaves the container of a failed step behind (stopped), one a run.
  it.each<Partial<BuildRequest>>([
    {},
    IMAGE_INPUTS,
    { noCache: true, pull: true },
    { push: true, cache: 'default', cacheFrom: PREVIOUS, platforms: ['linux/arm64'] },
  ])(
    'always removes intermediate containers, of a failed build too: --force-rm once, before the context (%j)',
    (overrides) => {
      const args = argsFor(overrides);
      expect(args.filter((item) => item === '--force-rm')).toHaveLength(1);
      expect(args.indexOf('--force-rm')).toBeLessThan(args.indexOf('--'));
      expect(args).not.toContain('--rm=false');
    },
  );

  it('carries the shared imageArgs whole, between the files and the context', () => {
    const shared = request(IMAGE_INPUTS);
    expect(dockerBuildArgs(shared, IID)).toEqual([...HEAD, ...imageArgs(shared), '--', CONTEXT]);
  });

  // One input at a time: its flags come after the shared argv, before the context.
  it.each<[string, Partial<BuildRequest>, string[]]>([
    ['a single platform: --platform with it', { platforms: ['linux/arm64'] }, ['--platform', 'linux/arm64']],
    ['noCache: --no-cache', { noCache: true }, ['--no-cache']],
    ['pull: --pull', { pull: true }, ['--pull']],
    [
      'cacheFrom with cache on and noCache off: --cache-from with the image',
      { cache: 'default', cacheFrom: PREVIOUS },
      ['--cache-from', PREVIOUS],
    ],
  ])('%s', (_name, overrides, flags) => {
    expect(argsFor(overrides)).toEqual([...HEAD, ...TAG, ...flags, '--', CONTEXT]);
  });

  it('no platform, or several (refused earlier by the selection): no --platform', () => {
    expect(argsFor({ platforms: [] })).not.toContain('--platform');
    expect(argsFor({ platforms: ['linux/amd64', 'linux/arm64'] })).not.toContain('--platform');
  });

  it.each<Partial<BuildRequest>>([
    { cache: 'off', noCache: false, cacheFrom: PREVIOUS },
    { cache: 'default', noCache: true, cacheFrom: PREVIOUS },
    { cache: 'off', noCache: true, cacheFrom: PREVIOUS },
    { cache: 'default', noCache: false, cacheFrom: undefined },
  ])('no --cache-from for %j', (overrides: Partial<BuildRequest>) => {
    const args = argsFor(overrides);
    expect(args).not.toContain('--cache-from');
    expect(args).not.toContain(PREVIOUS);
  });

  it('BuildKit writes inline cache metadata whenever it caches, so the next run can reuse the layers', () => {
    const buildkit = (overrides: Partial<BuildRequest>) => dockerBuildArgs(request(overrides), IID, [], true);
    const inline = ['--build-arg', 'BUILDKIT_INLINE_CACHE=1'];
    const cached = buildkit({ cache: 'default', cacheFrom: PREVIOUS });
    expect(cached.join(' ')).toContain(`${inline.join(' ')} --cache-from ${PREVIOUS}`);
    expect(buildkit({ cache: 'default', cacheFrom: undefined }).join(' ')).toContain(inline.join(' '));
    const offs: Partial<BuildRequest>[] = [{ cache: 'off' }, { cache: 'default', noCache: true }];
    for (const off of offs) expect(buildkit(off)).not.toContain('BUILDKIT_INLINE_CACHE=1');
    // cache: registry is the same inline cache for this builder: its cache is the image in the registry.
    expect(buildkit({ cache: 'registry', cacheFrom: PREVIOUS })).toEqual(cached);
    // The classic builder has no inline cache.
    expect(argsFor({ cache: 'default', cacheFrom: PREVIOUS })).not.toContain('BUILDKIT_INLINE_CACHE=1');
  });

  it('push, cache alone and credentials add nothing to the build argv', () => {
    const credentials = { username: 'octo-bot', password: SENTINEL_PASSWORD };
    expect(argsFor({ push: true, cache: 'default', credentials })).toEqual(argsFor());
  });

  it('a complete request: exactly this argv, the context last, no password', () => {
    const args = argsFor({ ...COMPLETE.inputs(workDir), pull: true, cache: 'default', cacheFrom: PREVIOUS });
    expect(args).toEqual([
      ...HEAD,
      ...COMPLETE.argv,
      '--pull',
      '--cache-from',
      PREVIOUS,
      '--',
      join(workDir, 'app dir'),
    ]);
    for (const item of args) expect(item).not.toContain(SENTINEL_PASSWORD);
  });

  it.each<Partial<BuildRequest>>([
    {},
    { noCache: true, pull: true },
    { cache: 'default', cacheFrom: PREVIOUS, target: 't' },
  ])('ends with the context (%j)', (overrides: Partial<BuildRequest>) => {
    expect(argsFor(overrides).at(-1)).toBe(CONTEXT);
  });
});

describe('a context folder named like a flag', () => {
  it("stays the context: '--' ends the options just before it", () => {
    const args = argsFor({ context: '--output=type=local,dest=/tmp/stolen' });
    expect(args.slice(-2)).toEqual(['--', '--output=type=local,dest=/tmp/stolen']);
    expect(args.filter((item) => item.startsWith('--output'))).toHaveLength(1);
  });
});

describe('secrets, ssh and the network', () => {
  const MOUNTS = ['--secret', 'id=token,src=/f/secret-0', '--ssh', 'default'];

  it('the network flag, then the mount flags, just before the context', () => {
    expect(dockerBuildArgs(request({ network: 'host' }), IID, MOUNTS)).toEqual([
      ...HEAD,
      ...TAG,
      '--network',
      'host',
      ...MOUNTS,
      '--',
      CONTEXT,
    ]);
    expect(argsFor({ network: 'none' }).slice(-4)).toEqual(['--network', 'none', '--', CONTEXT]);
    expect(argsFor({ network: 'default' })).not.toContain('--network');
  });

  it('a secret value in the request never reaches argv (only the mounts given)', () => {
    const args = argsFor({ secrets: [{ id: 'token', value: SENTINEL_PASSWORD }] });
    expect(args).toEqual([...HEAD, ...TAG, '--', CONTEXT]);
  });

  const classic = { buildkit: false, why: 'DOCKER_BUILDKIT=0 is set' };
  it('the classic builder refuses secrets and ssh mounts, naming the fix; BuildKit takes them', () => {
    const secrets = { secrets: [{ id: 'a', file: '/x' }], ssh: [] };
    const ssh = { secrets: [], ssh: [{ id: 'default', path: '/s' }] };
    for (const mounts of [secrets, ssh]) {
      expect(() => refuseClassic(classic, mounts)).toThrow(ActionError);
      expect(() => refuseClassic(classic, mounts)).toThrow(
        /the docker builder is the classic one here \(DOCKER_BUILDKIT=0 is set\), which cannot mount them\.\nFix: use the buildx builder.*'builder: buildah'/,
      );
      expect(() => refuseClassic({ buildkit: true, why: '' }, mounts)).not.toThrow();
    }
    expect(() => refuseClassic(classic, { secrets: [], ssh: [] })).not.toThrow();
  });

  it("explains BuildKit's missing bridge with 'network: host', and RUN --mount on the classic builder", () => {
    const bridge = explainDockerBuild(
      '#5 ERROR: executor failed running [/bin/sh -c true]: network bridge not found',
    );
    expect(bridge?.fix).toContain("set 'network: host'");
    expect(bridge?.what).toContain('no bridge network');
    const mount = explainDockerBuild(
      'the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/',
    );
    expect(mount?.fix).toContain("'builder: buildah'");
    expect(explainDockerBuild('executor failed running: exit code: 1')).toBeUndefined();
  });
});
