/**
 * Where a build's cache lives, per builder, and under which scope. `cache: true` uses each builder's own store
 * (buildx and buildah: the GitHub Actions cache; docker: the image in its registry, inline cache); `registry` keeps
 * the cache in the image's registry for every builder, so it works on any runner. A scope per image (and per
 * target and platform list) keeps two images, or the per-platform jobs of one image, from evicting each other.
 */
import { createHash } from 'node:crypto';
import { repositoryOf } from '../registry/index.js';
import type { BuildRequest } from './types.js';

/** The longest registry tag (and the budget of the scope's suffix inside it). */
const MAX_TAG = 128;

/** A scope part as a tag fragment: lower-case letters, digits, '.', '_' and '-'. */
function slug(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

/** What sets one cache apart within an image: the Dockerfile target and the platforms, '' for neither. */
export function scopeSuffix(request: Pick<BuildRequest, 'target' | 'platforms'>): string {
  // Platforms sorted: `amd64,arm64` and `arm64,amd64` are one build, and share one cache.
  const parts = [request.target, ...[...request.platforms].sort()].map(slug).filter(Boolean);
  const suffix = parts.join('-');
  if (suffix.length <= MAX_TAG - 'buildcache-'.length) return suffix;
  // Too long for a tag: a short hash keeps scopes apart.
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/** The GitHub Actions cache scope: the image's registry and repository, then the suffix. */
export function cacheScope(request: BuildRequest): string {
  const suffix = scopeSuffix(request);
  const repository = repositoryOf(request.image);
  return suffix ? `${repository}-${suffix}` : repository;
}

/** The tag that holds buildx's registry cache in the image's own repository: `buildcache[-<suffix>]`. */
export function buildcacheTag(request: BuildRequest): string {
  const suffix = scopeSuffix(request);
  return suffix ? `buildcache-${suffix}` : 'buildcache';
}

/**
 * buildah's registry cache: a repository beside the image's (`<image>-buildcache`), since buildah tags every
 * cached step by its key there and those tags must not crowd the image's own tag list.
 */
export function buildahCacheRepository(request: BuildRequest): string {
  return `${repositoryOf(request.image)}-buildcache`;
}

/** Whether a build reads a cache at all. */
export const usesCache = (request: BuildRequest): boolean => request.cache !== 'off' && !request.noCache;

/**
 * buildx's cache flags. Every export ignores errors (a cache must never fail a build); an import that finds
 * nothing is a warning in BuildKit. The `docker` driver exports no cache but an inline one in the image itself,
 * so there the registry cache is the image under `cacheTag`. Without a push, nothing is exported to the registry.
 */
export function buildxCacheArgs(request: BuildRequest, driver: string): string[] {
  if (!usesCache(request)) return [];
  const ref = repositoryOf(request.image);
  if (driver === 'docker') {
    if (request.cache !== 'registry' || !request.cacheTag) return [];
    const from = ['--cache-from', `type=registry,ref=${ref}:${request.cacheTag}`];
    return request.push ? [...from, '--cache-to', 'type=inline'] : from;
  }
  if (request.cache === 'default') {
    const scope = `scope=${cacheScope(request)}`;
    return [
      '--cache-from',
      `type=gha,${scope}`,
      '--cache-to',
      `type=gha,${scope},mode=max,ignore-error=true`,
    ];
  }
  const at = `type=registry,ref=${ref}:${buildcacheTag(request)}`;
  const from = ['--cache-from', at];
  return request.push ? [...from, '--cache-to', `${at},mode=max,ignore-error=true`] : from;
}

/** buildah's registry cache flags (the Actions cache of its layer store is buildah.ts's); written only on a push. */
export function buildahCacheArgs(request: BuildRequest): string[] {
  if (!usesCache(request) || request.cache !== 'registry') return [];
  const repository = buildahCacheRepository(request);
  const from = ['--cache-from', repository];
  return request.push ? [...from, '--cache-to', repository] : from;
}

/** buildah's words when it could not write a cached step to the registry (it fails the build for that). */
export function isBuildahCachePushFailure(output: string): boolean {
  return /^Error: failed pushing cache to /m.test(output);
}
