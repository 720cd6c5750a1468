import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { imageArgs } from '../../../src/build/args.js';
import { buildahBudArgs, buildahPushArgs, layerCacheKey } from '../../../src/build/buildah.js';
import type { BuildRequest } from '../../../src/build/types.js';
import { parseReference } from '../../../src/registry/index.js';
import { buildWorkDir, COMPLETE, IMAGE_INPUTS, SENTINEL_PASSWORD } from '../../support/build-request.js';

const { workDir, context: CONTEXT, file: DOCKERFILE, request } = buildWorkDir('build-buildah-');
const IID = join(workDir, 'buildah.iid');
mkdirSync(CONTEXT);
writeFileSync(DOCKERFILE, 'FROM docker.io/library/alpine:3.20\nRUN echo hello > /hello\n');

const argsFor = (overrides: Partial<BuildRequest> = {}): string[] => buildahBudArgs(request(overrides), IID);

const HEAD = ['bud', '--layers', '--force-rm', '--file', DOCKERFILE, '--iidfile', IID];
const TAG = ['--tag', 'ghcr.io/octo-org/app:1.0'];

describe('buildahBudArgs', () => {
  it('a minimal request: bud --layers --force-rm, the files, its tag and the context', () => {
    const args = argsFor();
    expect(args.slice(0, 3)).toEqual(['bud', '--layers', '--force-rm']);
    expect(args).toEqual([...HEAD, ...TAG, '--', CONTEXT]);
  });

  // --rm (the default) removes the working container after a success only; --force-rm after a failed step too.
  // buildah takes either only with --layers or --no-cache ("'rm' and 'force-rm' can only be set with either
  // 'layers' or 'no-cache'"), and --layers is always there.
  it.each<Partial<BuildRequest>>([{}, { noCache: true }, { pull: true }, IMAGE_INPUTS])(
    'removes the working container of a failed build: --force-rm once, with --layers (%j)',
    (overrides) => {
      const args = argsFor(overrides);
      expect(args.filter((item) => item === '--force-rm')).toHaveLength(1);
      expect(args).toContain('--layers');
      expect(args.indexOf('--force-rm')).toBeLessThan(args.indexOf('--'));
    },
  );

  it('carries the shared imageArgs whole, between the files and the context', () => {
    const shared = request(IMAGE_INPUTS);
    expect(buildahBudArgs(shared, IID)).toEqual([...HEAD, ...imageArgs(shared), '--', CONTEXT]);
  });

  it('a single platform: --platform with it; none for no platform or several', () => {
    expect(argsFor({ platforms: ['linux/arm64'] })).toEqual([
      ...HEAD,
      ...TAG,
      '--platform',
      'linux/arm64',
      '--',
      CONTEXT,
    ]);
    expect(argsFor({ platforms: [] })).not.toContain('--platform');
    expect(argsFor({ platforms: ['linux/amd64', 'linux/arm64'] })).not.toContain('--platform');
  });

  // One input at a time: its flags come after the shared argv, before the context.
  it.each<[string, Partial<BuildRequest>, string[]]>([
    ['noCache: --no-cache', { noCache: true }, ['--no-cache']],
    // buildah's --pull has an optional value (pflag NoOptDefVal), so the value only binds as '--pull=always':
    // with '--pull', 'always' buildah 1.28.2 takes 'always' for a second context and fails with
    // "Error: accepts at most 1 arg(s), received 2".
    [
      'pull: the policy is bound to the flag as one argv item, --pull=always',
      { pull: true },
      ['--pull=always'],
    ],
  ])('%s', (_name, overrides, flags) => {
    expect(argsFor(overrides)).toEqual([...HEAD, ...TAG, ...flags, '--', CONTEXT]);
  });

  it('pull: asks for the always pull policy, just before the context', () => {
    const args = argsFor({ pull: true });
    expect(args.slice(0, -2).join(' ')).toMatch(/ --pull[ =]always$/);
    expect(args.at(-2)).toBe('--');
    expect(args.at(-1)).toBe(CONTEXT);
  });

  it('push, cache, cacheFrom and credentials add nothing to the bud argv', () => {
    const credentials = { username: 'octo-bot', password: SENTINEL_PASSWORD };
    expect(
      argsFor({ push: true, cache: 'default', cacheFrom: 'ghcr.io/octo-org/app:latest', credentials }),
    ).toEqual(argsFor());
  });

  it('a complete request: the context last, every input in, no password', () => {
    const args = argsFor({ ...COMPLETE.inputs(workDir), noCache: true });
    expect(args).toEqual([...HEAD, ...COMPLETE.argv, '--no-cache', '--', join(workDir, 'app dir')]);
    for (const item of args) expect(item).not.toContain(SENTINEL_PASSWORD);
  });

  it.each([{}, { noCache: true }, { pull: true }, { target: 't', platforms: ['linux/arm64'] }])(
    'ends with the context (%j)',
    (overrides: Partial<BuildRequest>) => {
      expect(argsFor(overrides).at(-1)).toBe(CONTEXT);
    },
  );
});

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('layerCacheKey', () => {
  let count = 0;
  /** A request whose Dockerfile (in workDir) holds `content`. */
  function withDockerfile(content: string, overrides: Partial<BuildRequest> = {}): BuildRequest {
    const file = join(workDir, `Dockerfile.${++count}`);
    writeFileSync(file, content);
    return request({ file, ...overrides });
  }

  const FIRST = 'FROM docker.io/library/node:20-alpine\nCOPY . /app\nRUN npm ci\n';

  it('is the restore prefix and 16 hex chars of the Dockerfile sha256', () => {
    const { key, restoreKeys } = layerCacheKey(withDockerfile(FIRST));
    expect(restoreKeys).toHaveLength(1);
    const prefix = restoreKeys[0] ?? '';
    expect(key).toBe(`${prefix}${sha256(FIRST).slice(0, 16)}`);
    expect(key.slice(prefix.length)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('the prefix names the repository and the runner platform and arch', () => {
    const prefix = layerCacheKey(withDockerfile(FIRST)).restoreKeys[0] ?? '';
    expect(prefix).toContain('ghcr.io/octo-org/app');
    expect(prefix).toContain(`${process.platform}-${process.arch}`);
    expect(prefix.endsWith('-')).toBe(true);
  });

  it('a changed Dockerfile changes the key but not the prefix', () => {
    const before = layerCacheKey(withDockerfile(FIRST));
    const after = layerCacheKey(withDockerfile(`${FIRST}RUN npm run build\n`));
    expect(after.key).not.toBe(before.key);
    expect(after.restoreKeys).toEqual(before.restoreKeys);
  });

  it('the same Dockerfile content gives the same key wherever the file is', () => {
    expect(layerCacheKey(withDockerfile(FIRST)).key).toBe(layerCacheKey(withDockerfile(FIRST)).key);
  });

  it('another repository changes the prefix', () => {
    const app = layerCacheKey(withDockerfile(FIRST));
    const other = layerCacheKey(withDockerfile(FIRST, { image: parseReference('ghcr.io/octo-org/worker') }));
    expect(other.restoreKeys).not.toEqual(app.restoreKeys);
    expect(other.restoreKeys[0]).toContain('ghcr.io/octo-org/worker');
  });

  it('throws when the Dockerfile is missing', () => {
    expect(() => layerCacheKey(request({ file: join(workDir, 'no-such-Dockerfile') }))).toThrow(/ENOENT/);
  });
});

describe('a context folder named like a flag', () => {
  it("stays the context: '--' ends the options just before it", () => {
    const args = argsFor({ context: '--output=type=local,dest=/tmp/stolen' });
    expect(args.slice(-2)).toEqual(['--', '--output=type=local,dest=/tmp/stolen']);
    expect(args.filter((item) => item.startsWith('--output'))).toHaveLength(1);
  });
});

describe('bud and TLS: --tls-verify=false only when every pull is from a registry on this machine', () => {
  let count = 0;
  /** The bud argv for a Dockerfile holding `content` (in workDir), with these build args. */
  function budFor(content: string, buildArgs: Record<string, string> = {}): string[] {
    const file = join(workDir, `Dockerfile.tls.${++count}`);
    writeFileSync(file, content);
    return buildahBudArgs(request({ file, buildArgs }), IID);
  }

  it.each<[string, string, Record<string, string>]>([
    ['a loopback FROM', 'FROM 127.0.0.1:5102/library/busybox:latest\nRUN true\n', {}],
    ['localhost', 'FROM localhost:5000/base\n', {}],
    ['IPv6 loopback', 'FROM [::1]:5000/base:1\n', {}],
    [
      'a base given as a build arg',
      'ARG BASE_IMAGE=busybox\nFROM ${BASE_IMAGE}\n',
      { BASE_IMAGE: '127.0.0.1:5102/b' },
    ],
    [
      'stages, a stage used by COPY --from, scratch, a loopback --from image',
      'FROM 127.0.0.1:5100/a AS build\nFROM scratch\nCOPY --from=build /x /x\nCOPY --from=localhost:5000/tools /t /t\n',
      {},
    ],
  ])('%s: --tls-verify=false, just before the context', (_name, dockerfile, buildArgs) => {
    const args = budFor(dockerfile, buildArgs);
    expect(args.slice(-3)).toEqual(['--tls-verify=false', '--', CONTEXT]);
  });

  it.each<[string, string, Record<string, string>]>([
    ['a FROM on another registry', 'FROM ghcr.io/octo-org/base:1\n', {}],
    ['a short name (docker.io)', 'FROM busybox\n', {}],
    [
      'a build arg naming another registry',
      'ARG BASE_IMAGE=127.0.0.1:5102/b\nFROM ${BASE_IMAGE}\n',
      { BASE_IMAGE: 'quay.io/b' },
    ],
    [
      'a loopback FROM and another registry',
      'FROM 127.0.0.1:5102/b AS one\nFROM docker.io/library/alpine\n',
      {},
    ],
    [
      'a loopback FROM and a --from image elsewhere',
      'FROM 127.0.0.1:5102/b\nCOPY --from=ghcr.io/o/tools /t /t\n',
      {},
    ],
    [
      'a RUN --mount from an image elsewhere',
      'FROM 127.0.0.1:5102/b\nRUN --mount=type=bind,from=quay.io/o/x,target=/x true\n',
      {},
    ],
    ['a base that cannot be told (no value)', 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n', {}],
    ['FROM scratch alone (nothing is pulled)', 'FROM scratch\nCOPY a /a\n', {}],
  ])('%s: TLS verified (no --tls-verify)', (_name, dockerfile, buildArgs) => {
    expect(budFor(dockerfile, buildArgs).some((item) => item.startsWith('--tls-verify'))).toBe(false);
  });

  it('a Dockerfile that cannot be read: TLS verified', () => {
    const args = buildahBudArgs(request({ file: join(workDir, 'no-such-Dockerfile') }), IID);
    expect(args.some((item) => item.startsWith('--tls-verify'))).toBe(false);
  });
});

describe('buildahPushArgs', () => {
  const DIGEST_FILE = join(workDir, 'buildah.digest');
  const pushFor = (image: string, tag = '1.0') =>
    buildahPushArgs(request({ image: parseReference(image) }), tag, DIGEST_FILE);

  it('a loopback registry (plain http, as the action speaks to it): --tls-verify=false', () => {
    expect(pushFor('127.0.0.1:5100/octo-org/app', 'v1')).toEqual([
      'push',
      '--tls-verify=false',
      '--digestfile',
      DIGEST_FILE,
      '127.0.0.1:5100/octo-org/app:v1',
      'docker://127.0.0.1:5100/octo-org/app:v1',
    ]);
  });

  it.each(['localhost:5000/octo-org/app', '[::1]:5000/octo-org/app', '127.1.2.3:443/octo-org/app'])(
    '%s is on this machine: --tls-verify=false',
    (image) => {
      expect(pushFor(image)).toContain('--tls-verify=false');
    },
  );

  it.each(['ghcr.io/octo-org/app', 'registry.example:5000/octo-org/app', '10.0.0.5:5000/octo-org/app'])(
    '%s is not: TLS verified, no --tls-verify at all',
    (image) => {
      expect(pushFor(image)).toEqual([
        'push',
        '--digestfile',
        DIGEST_FILE,
        `${image}:1.0`,
        `docker://${image}:1.0`,
      ]);
    },
  );

  it('no password in the push argv', () => {
    const credentials = { username: 'octo-bot', password: SENTINEL_PASSWORD };
    const args = buildahPushArgs(request({ credentials }), '1.0', DIGEST_FILE);
    for (const item of args) expect(item).not.toContain(SENTINEL_PASSWORD);
  });
});

describe('buildahBudArgs: secrets, ssh and the network', () => {
  it('the network flag, then the mount flags, just before the context; no value in argv', () => {
    const mounts = ['--secret', 'id=token,src=/f/secret-0', '--ssh', 'deploy=/k'];
    const secrets = [{ id: 'token', value: SENTINEL_PASSWORD }];
    expect(buildahBudArgs(request({ network: 'host', secrets }), IID, mounts)).toEqual([
      ...HEAD,
      ...TAG,
      '--network',
      'host',
      ...mounts,
      '--',
      CONTEXT,
    ]);
    expect(argsFor({ secrets })).toEqual([...HEAD, ...TAG, '--', CONTEXT]);
    expect(argsFor({ network: 'none' }).slice(-4)).toEqual(['--network', 'none', '--', CONTEXT]);
  });
});
