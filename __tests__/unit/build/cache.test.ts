import { describe, expect, it } from '@jest/globals';
import {
  buildahCacheArgs,
  buildcacheTag,
  buildxCacheArgs,
  cacheScope,
  isBuildahCachePushFailure,
  scopeSuffix,
} from '../../../src/build/cache.js';
import { buildWorkDir } from '../../support/build-request.js';

const { request } = buildWorkDir('build-cache-');
const APP = 'ghcr.io/octo-org/app';

describe('cache scopes: two images, targets or platform lists never share one', () => {
  it('is the repository path alone for a plain build', () => {
    expect(cacheScope(request())).toBe('ghcr.io/octo-org/app');
    expect(buildcacheTag(request())).toBe('buildcache');
  });

  it('adds the target and each platform, as a tag fragment', () => {
    const arm = request({ target: 'Runtime', platforms: ['linux/arm64/v8'] });
    expect(cacheScope(arm)).toBe('ghcr.io/octo-org/app-runtime-linux-arm64-v8');
    expect(buildcacheTag(arm)).toBe('buildcache-runtime-linux-arm64-v8');
    const amd = request({ platforms: ['linux/amd64'] });
    expect(buildcacheTag(amd)).not.toBe(buildcacheTag(request({ platforms: ['linux/arm64'] })));
  });

  it('takes the platforms in any order as one build', () => {
    const one = request({ platforms: ['linux/arm64', 'linux/amd64'] });
    expect(cacheScope(one)).toBe(cacheScope(request({ platforms: ['linux/amd64', 'linux/arm64'] })));
  });

  it('keeps a very long suffix inside a valid tag by hashing it', () => {
    const many = Array.from({ length: 20 }, (_, i) => `linux/arch${i}/v${i}`);
    const suffix = scopeSuffix({ target: '', platforms: many });
    expect(suffix).toMatch(/^[0-9a-f]{16}$/);
    expect(buildcacheTag(request({ platforms: many }))).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
    expect(scopeSuffix({ target: '', platforms: many.slice(1) })).not.toBe(suffix);
  });
});

describe('buildxCacheArgs', () => {
  it('cache: true is the GitHub Actions cache under the image scope, errors ignored on export', () => {
    expect(buildxCacheArgs(request({ cache: 'default' }), 'docker-container')).toEqual([
      '--cache-from',
      'type=gha,scope=ghcr.io/octo-org/app',
      '--cache-to',
      'type=gha,scope=ghcr.io/octo-org/app,mode=max,ignore-error=true',
    ]);
  });

  it('cache: registry is <image>:buildcache, mode=max, exported only on a push', () => {
    const from = ['--cache-from', `type=registry,ref=${APP}:buildcache`];
    expect(buildxCacheArgs(request({ cache: 'registry' }), 'docker-container')).toEqual(from);
    expect(buildxCacheArgs(request({ cache: 'registry', push: true }), 'docker-container')).toEqual([
      ...from,
      '--cache-to',
      `type=registry,ref=${APP}:buildcache,mode=max,ignore-error=true`,
    ]);
  });

  it('the docker driver: no gha cache; the registry cache is the inline one of the image under cacheTag', () => {
    expect(buildxCacheArgs(request({ cache: 'default', push: true }), 'docker')).toEqual([]);
    expect(buildxCacheArgs(request({ cache: 'registry', push: true }), 'docker')).toEqual([
      '--cache-from',
      `type=registry,ref=${APP}:1.0`,
      '--cache-to',
      'type=inline',
    ]);
    expect(buildxCacheArgs(request({ cache: 'registry', cacheTag: undefined }), 'docker')).toEqual([]);
  });

  it('nothing with cache off or no-cache', () => {
    for (const cache of ['default', 'registry', 'off'] as const) {
      expect(buildxCacheArgs(request({ cache, noCache: true, push: true }), 'docker-container')).toEqual([]);
    }
    expect(buildxCacheArgs(request({ cache: 'off', push: true }), 'docker-container')).toEqual([]);
  });
});

describe('buildahCacheArgs', () => {
  it('cache: registry reads <image>-buildcache and writes it only on a push', () => {
    const repo = `${APP}-buildcache`;
    expect(buildahCacheArgs(request({ cache: 'registry' }))).toEqual(['--cache-from', repo]);
    expect(buildahCacheArgs(request({ cache: 'registry', push: true }))).toEqual([
      '--cache-from',
      repo,
      '--cache-to',
      repo,
    ]);
  });

  it("nothing for cache: true (the layer store's Actions cache), off, or no-cache", () => {
    expect(buildahCacheArgs(request({ cache: 'default', push: true }))).toEqual([]);
    expect(buildahCacheArgs(request({ cache: 'off', push: true }))).toEqual([]);
    expect(buildahCacheArgs(request({ cache: 'registry', push: true, noCache: true }))).toEqual([]);
  });

  it("knows buildah's words for a cache it could not push, and only those", () => {
    const failed =
      'STEP 2/4: RUN x\nError: failed pushing cache to {{{"127.0.0.1:5100" "o/app-buildcache"} "c7db"}}: denied\n';
    expect(isBuildahCachePushFailure(failed)).toBe(true);
    expect(isBuildahCachePushFailure('Error: building at STEP "RUN x": exit status 1')).toBe(false);
    expect(isBuildahCachePushFailure('RUN echo "Error: failed pushing cache to x"')).toBe(false);
  });
});
