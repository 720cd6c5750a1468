import { join } from 'node:path';
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
    cache: false,
    noCache: false,
    pull: false,
    cacheFrom: undefined,
    credentials: undefined,
    workDir,
    ...overrides,
  };
}
