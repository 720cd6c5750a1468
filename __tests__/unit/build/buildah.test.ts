import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { imageArgs } from '../../../src/build/args.js';
import { buildahBudArgs, layerCacheKey } from '../../../src/build/buildah.js';
import type { BuildRequest } from '../../../src/build/types.js';
import { parseReference } from '../../../src/registry/index.js';
import { buildWorkDir, COMPLETE, IMAGE_INPUTS, SENTINEL_PASSWORD } from '../../support/build-request.js';

const { workDir, context: CONTEXT, file: DOCKERFILE, request } = buildWorkDir('build-buildah-');
const IID = join(workDir, 'buildah.iid');
mkdirSync(CONTEXT);
writeFileSync(DOCKERFILE, 'FROM docker.io/library/alpine:3.20\nRUN echo hello > /hello\n');

const argsFor = (overrides: Partial<BuildRequest> = {}): string[] => buildahBudArgs(request(overrides), IID);

const HEAD = ['bud', '--layers', '--file', DOCKERFILE, '--iidfile', IID];
const TAG = ['--tag', 'ghcr.io/octo-org/app:1.0'];

describe('buildahBudArgs', () => {
  it('a minimal request: bud --layers, the files, its tag and the context', () => {
    const args = argsFor();
    expect(args.slice(0, 2)).toEqual(['bud', '--layers']);
    expect(args).toEqual([...HEAD, ...TAG, '--', CONTEXT]);
  });

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
      argsFor({ push: true, cache: true, cacheFrom: 'ghcr.io/octo-org/app:latest', credentials }),
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
