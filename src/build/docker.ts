/** The docker builder (a daemon without buildx): BuildKit where it has it, else classic; build, push once. */
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerBuild, dockerPullQuietly, dockerPush, type BuildFailure } from '../docker/cli.js';
import { ActionError } from '../errors.js';
import { repositoryOf } from '../registry/index.js';
import { imageArgs } from './args.js';
import { detectDockerMode, modeEnv, type DockerMode } from './docker-mode.js';
import { usesCache } from './cache.js';
import { exportDockerImage, exportedResult } from './export.js';
import { needsMounts, networkArgs, withMounts } from './secrets.js';
import type { BuildRequest, BuildResult, Builder } from './types.js';

/**
 * `build --force-rm`: the classic builder runs each step in a container, and without --force-rm the container of
 * a failed step stays behind (stopped) on every failed run; with it, every intermediate container is removed
 * (BuildKit takes the flag and has no such containers). `mounts` are the secret and SSH flags (BuildKit only).
 */
export function dockerBuildArgs(
  request: BuildRequest,
  iidFile: string,
  mounts: string[] = [],
  buildkit = false,
): string[] {
  const args = ['build', '--force-rm', '--file', request.file, '--iidfile', iidFile, ...imageArgs(request)];
  if (request.platforms.length === 1) args.push('--platform', request.platforms[0] ?? '');
  if (request.noCache) args.push('--no-cache');
  if (request.pull) args.push('--pull');
  if (usesCache(request)) {
    // BuildKit reuses a registry image's layers only through the cache metadata it carries: write it into
    // every image it builds (inline cache), so the next run's --cache-from finds it. That is the docker
    // builder's cache for `cache: true` and `cache: registry` alike: it lives in the image's registry.
    if (buildkit) args.push('--build-arg', 'BUILDKIT_INLINE_CACHE=1');
    if (request.cacheFrom) args.push('--cache-from', request.cacheFrom);
  }
  args.push(...networkArgs(request), ...mounts);
  // '--' ends the options: a context folder named like a flag (--output=...) stays a folder.
  args.push('--', request.context);
  return args;
}

/** The fix for DOCKER_BUILDKIT=1 on a docker CLI that runs BuildKit only through buildx. */
export const BUILDKIT_FIX =
  "install the buildx plugin (docker/setup-buildx-action), or unset DOCKER_BUILDKIT (the classic builder is used then), or use 'builder: buildah'.";

/** The fix for secrets or SSH mounts given to the classic builder. */
export const CLASSIC_FIX =
  "use the buildx builder (docker/setup-buildx-action), a docker whose CLI and daemon have BuildKit (a CLI with the buildx plugin, or a CLI older than 23 with a daemon of 18.09 or later, not forced off with DOCKER_BUILDKIT=0), or 'builder: buildah'.";

/** Secrets and SSH mounts need BuildKit: the classic builder is refused before it builds. */
export function refuseClassic(mode: DockerMode, request: Pick<BuildRequest, 'secrets' | 'ssh'>): void {
  if (mode.buildkit || !needsMounts(request)) return;
  throw new ActionError(
    `The build has secrets or SSH mounts ('secrets', 'secret-files', 'secret-envs', 'ssh'), but the docker builder is the classic one here (${mode.why}), which cannot mount them.`,
    CLASSIC_FIX,
  );
}

/** Failures of docker build that have a known cause and fix. */
export const explainDockerBuild: BuildFailure = (output) => {
  if (output.includes('network bridge not found'))
    return {
      what: "a RUN step asked for the default network, and the docker daemon has no bridge network (BuildKit's default)",
      fix: "set 'network: host' (RUN steps use the runner's network) or 'network: none' (RUN steps need no network).",
    };
  if (/the --mount option requires BuildKit/.test(output))
    return {
      what: 'the Dockerfile uses RUN --mount, which the classic builder cannot run',
      fix: CLASSIC_FIX,
    };
  return undefined;
};

export const dockerBuilder: Builder = {
  name: 'docker',
  multiPlatform: false,
  cachesFromRegistry: true,
  async build(request: BuildRequest): Promise<BuildResult> {
    const mode = await detectDockerMode();
    if (mode.problem) throw new ActionError(`docker cannot build here: ${mode.problem}.`, BUILDKIT_FIX);
    core.info(`docker build runs ${mode.buildkit ? 'BuildKit' : 'the classic builder'}: ${mode.why}.`);
    refuseClassic(mode, request);
    // The classic builder reuses layers only from local images: fetch the previous image first. BuildKit reads
    // the cache metadata the previous image carries (inline cache) from the registry itself.
    if (
      !mode.buildkit &&
      request.cacheFrom &&
      usesCache(request) &&
      !(await dockerPullQuietly(request.cacheFrom))
    )
      request = { ...request, cacheFrom: undefined };
    const iidFile = join(request.workDir, 'docker.iid');
    await withMounts(request, (mounts) =>
      dockerBuild(
        dockerBuildArgs(request, iidFile, mounts, mode.buildkit),
        'docker build',
        modeEnv(mode),
        explainDockerBuild,
      ),
    );
    const imageId = readFileSync(iidFile, 'utf8').trim();
    const details = { cacheFrom: request.cacheFrom ?? null, buildkit: mode.buildkit };
    if (request.push && request.byDigest)
      return exportedResult(imageId, await exportDockerImage(imageId, request.workDir), details);
    const first = request.tags[0];
    if (!request.push || !first) return { imageId, pushedTags: [], reportedDigest: undefined, details };
    const reportedDigest = await dockerPush(`${repositoryOf(request.image)}:${first}`);
    return { imageId, pushedTags: [first], reportedDigest, details };
  },
};
