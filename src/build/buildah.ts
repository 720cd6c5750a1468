/** buildah (no daemon): bud, push with --digestfile; its layer store kept across runs with @actions/cache. */
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryOf, type Credentials } from '../registry/index.js';
import { mustRunTool, runTool } from '../tool.js';
import { imageArgs } from './args.js';
import type { BuildRequest, BuildResult, Builder } from './types.js';

export function buildahBudArgs(request: BuildRequest, iidFile: string): string[] {
  const args = ['bud', '--layers', '--file', request.file, '--iidfile', iidFile, ...imageArgs(request)];
  if (request.platforms.length === 1) args.push('--platform', request.platforms[0] ?? '');
  if (request.noCache) args.push('--no-cache');
  if (request.pull) args.push('--pull=always');
  // '--' ends the options: a context folder named like a flag (--output=...) stays a folder.
  args.push('--', request.context);
  return args;
}

/**
 * A containers auth file (the docker config format) readable by root only, for buildah's pulls and push; the
 * secret never goes into argv. Removed after use.
 */
function withAuthFile<T>(
  request: BuildRequest,
  run: (env: Record<string, string>) => Promise<T>,
): Promise<T> {
  const credentials: Credentials | undefined = request.credentials;
  if (!credentials) return run({});
  const file = join(request.workDir, `buildah-auth-${process.pid}.json`);
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  writeFileSync(file, JSON.stringify({ auths: { [request.image.registry]: { auth } } }), { mode: 0o600 });
  return run({ REGISTRY_AUTH_FILE: file }).finally(() => rmSync(file, { force: true }));
}

/** The layer store's folder, to cache between runs. */
async function storageRoot(): Promise<string | undefined> {
  const info = await runTool('buildah', ['info', '--format', '{{.store.GraphRoot}}'], { silent: true });
  return info?.code === 0 ? info.stdout.trim() || undefined : undefined;
}

export function layerCacheKey(request: BuildRequest): { key: string; restoreKeys: string[] } {
  const prefix = `ghcr-image-action-buildah-${process.platform}-${process.arch}-${repositoryOf(request.image)}-`;
  const dockerfile = createHash('sha256').update(readFileSync(request.file)).digest('hex').slice(0, 16);
  return { key: `${prefix}${dockerfile}`, restoreKeys: [prefix] };
}

async function restoreLayers(request: BuildRequest): Promise<(() => Promise<void>) | undefined> {
  if (!request.cache || request.noCache || !cache.isFeatureAvailable()) {
    core.debug('buildah layer cache: not used (cache off, or no GitHub Actions cache service here).');
    return undefined;
  }
  const root = await storageRoot();
  if (!root) return undefined;
  const { key, restoreKeys } = layerCacheKey(request);
  try {
    const hit = await cache.restoreCache([root], key, restoreKeys);
    core.info(hit ? `buildah layer cache restored (${hit}).` : 'buildah layer cache: no earlier entry.');
    if (hit === key) return undefined;
  } catch (error) {
    core.warning(`buildah layer cache could not be restored (building without it): ${String(error)}`);
  }
  return async () => {
    try {
      await cache.saveCache([root], key);
    } catch (error) {
      core.debug(`buildah layer cache not saved: ${String(error)}`);
    }
  };
}

export const buildahBuilder: Builder = {
  name: 'buildah',
  multiPlatform: false,
  async build(request: BuildRequest): Promise<BuildResult> {
    const repository = repositoryOf(request.image);
    const iidFile = join(request.workDir, 'buildah.iid');
    const saveLayers = await restoreLayers(request);
    return withAuthFile(request, async (env) => {
      await mustRunTool(
        'buildah',
        buildahBudArgs(request, iidFile),
        'buildah bud',
        'read the build log above; fix the Dockerfile or the inputs.',
        { env },
      );
      await saveLayers?.();
      const imageId = readFileSync(iidFile, 'utf8').trim();
      const first = request.tags[0];
      if (!request.push || !first) return { imageId, pushedTags: [], reportedDigest: undefined, details: {} };
      const digestFile = join(request.workDir, 'buildah.digest');
      await mustRunTool(
        'buildah',
        ['push', '--digestfile', digestFile, `${repository}:${first}`, `docker://${repository}:${first}`],
        `buildah push ${repository}:${first}`,
        'read the output above; the push rights were proven before the build, so look for a network or registry failure.',
        { env },
      );
      return {
        imageId,
        pushedTags: [first],
        reportedDigest: readFileSync(digestFile, 'utf8').trim(),
        details: {},
      };
    });
  },
};
