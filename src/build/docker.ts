/** The classic docker builder (a daemon without buildx): build, tag, push the first tag once. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerBuild, dockerPullQuietly, dockerPush } from '../docker/cli.js';
import { repositoryOf } from '../registry/index.js';
import { imageArgs } from './args.js';
import type { BuildRequest, BuildResult, Builder } from './types.js';

/** The legacy builder: DOCKER_BUILDKIT=1 fails when the buildx component is missing. */
const LEGACY = { DOCKER_BUILDKIT: '0' };

/**
 * `build --force-rm`: the classic builder runs each step in a container, and without --force-rm the container of
 * a failed step stays behind (stopped) on every failed run; with it, every intermediate container is removed.
 */
export function dockerBuildArgs(request: BuildRequest, iidFile: string): string[] {
  const args = ['build', '--force-rm', '--file', request.file, '--iidfile', iidFile, ...imageArgs(request)];
  if (request.platforms.length === 1) args.push('--platform', request.platforms[0] ?? '');
  if (request.noCache) args.push('--no-cache');
  if (request.pull) args.push('--pull');
  if (request.cacheFrom && request.cache && !request.noCache) args.push('--cache-from', request.cacheFrom);
  // '--' ends the options: a context folder named like a flag (--output=...) stays a folder.
  args.push('--', request.context);
  return args;
}

export const dockerBuilder: Builder = {
  name: 'docker',
  multiPlatform: false,
  cachesFromRegistry: true,
  async build(request: BuildRequest): Promise<BuildResult> {
    // The classic builder reuses layers only from local images: fetch the previous image first.
    if (
      request.cacheFrom &&
      request.cache &&
      !request.noCache &&
      !(await dockerPullQuietly(request.cacheFrom))
    )
      request = { ...request, cacheFrom: undefined };
    const iidFile = join(request.workDir, 'docker.iid');
    await dockerBuild(dockerBuildArgs(request, iidFile), 'docker build', LEGACY);
    const imageId = readFileSync(iidFile, 'utf8').trim();
    const details = { cacheFrom: request.cacheFrom ?? null };
    const first = request.tags[0];
    if (!request.push || !first) return { imageId, pushedTags: [], reportedDigest: undefined, details };
    const reportedDigest = await dockerPush(`${repositoryOf(request.image)}:${first}`);
    return { imageId, pushedTags: [first], reportedDigest, details };
  },
};
