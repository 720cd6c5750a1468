import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import type { BuildRequest } from '../../src/build/types.js';
import { parseReference } from '../../src/registry/index.js';

/** A registry password that must never show up in a builder's argv. */
export const SENTINEL_PASSWORD = 'ghp_SENTINEL_never_in_argv_0123456789';

/** The default build context and Dockerfile of a request in `workDir`: `context/` and `context/Dockerfile`. */
export function buildPaths(workDir: string): { context: string; file: string } {
  const context = join(workDir, 'context');
  return { context, file: join(context, 'Dockerfile') };
}

/** A validated request with nothing optional set: one tag, no platform, no push, no cache. */
export function buildRequest(workDir: string, overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    ...buildPaths(workDir),
    target: '',
    buildArgs: {},
    labels: {},
    platforms: [],
    image: parseReference('ghcr.io/octo-org/app'),
    tags: ['1.0'],
    push: false,
    byDigest: false,
    cacheTag: '1.0',
    cache: 'off',
    noCache: false,
    pull: false,
    cacheFrom: undefined,
    credentials: undefined,
    workDir,
    secrets: [],
    ssh: [],
    network: 'default',
    attestations: {},
    ...overrides,
  };
}

/** A builder test file's work folder: its default paths, and requests made in it. */
export interface BuildWorkDir {
  workDir: string;
  context: string;
  file: string;
  request(overrides?: Partial<BuildRequest>): BuildRequest;
}

/** A fresh work folder (`prefix` + random) for one test file, removed after the file's tests. */
export function buildWorkDir(prefix: string): BuildWorkDir {
  const workDir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));
  return { workDir, ...buildPaths(workDir), request: (overrides = {}) => buildRequest(workDir, overrides) };
}

/** Overrides that set every input `imageArgs` reads: two tags, labels and build args with `=` and spaces, a target. */
export const IMAGE_INPUTS = {
  tags: ['1.2.3', 'latest'],
  labels: { 'org.opencontainers.image.title': 'app', note: 'a=b c = d' },
  buildArgs: { VERSION: '1.0', FLAGS: '-X a=b' },
  target: 'runtime',
} satisfies Partial<BuildRequest>;

/**
 * A complete request that docker and buildah treat alike (a context with a space, two tags, a label, a build arg,
 * a target, one platform, push, credentials), for their complete-request tests, which add their own flags:
 * its inputs, and the argv they give from --tag to --platform, written out (not computed by `imageArgs`).
 */
export const COMPLETE = {
  inputs: (workDir: string): Partial<BuildRequest> => ({
    context: join(workDir, 'app dir'),
    tags: ['1.2.3', 'latest'],
    labels: { 'org.opencontainers.image.version': '1.2.3' },
    buildArgs: { VERSION: '1.2.3' },
    target: 'runtime',
    platforms: ['linux/amd64'],
    push: true,
    credentials: { username: 'octo-bot', password: SENTINEL_PASSWORD },
  }),
  argv: [
    ['--tag', 'ghcr.io/octo-org/app:1.2.3'],
    ['--tag', 'ghcr.io/octo-org/app:latest'],
    ['--label', 'org.opencontainers.image.version=1.2.3'],
    ['--build-arg', 'VERSION=1.2.3'],
    ['--target', 'runtime'],
    ['--platform', 'linux/amd64'],
  ].flat(),
};
