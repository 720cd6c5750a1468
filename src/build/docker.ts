/** The classic docker builder (a daemon without buildx): build, tag, push the first tag once. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError } from '../errors.js';
import { repositoryOf } from '../registry/index.js';
import { mustRunTool, runTool } from '../tool.js';
import { imageArgs } from './args.js';
import type { BuildRequest, BuildResult, Builder } from './types.js';

/** The legacy builder: DOCKER_BUILDKIT=1 fails when the buildx component is missing. */
const LEGACY = { DOCKER_BUILDKIT: '0' };

export function dockerBuildArgs(request: BuildRequest, iidFile: string): string[] {
  const args = ['build', '--file', request.file, '--iidfile', iidFile, ...imageArgs(request)];
  if (request.platforms.length === 1) args.push('--platform', request.platforms[0] ?? '');
  if (request.noCache) args.push('--no-cache');
  if (request.pull) args.push('--pull');
  if (request.cacheFrom && request.cache && !request.noCache) args.push('--cache-from', request.cacheFrom);
  args.push(request.context);
  return args;
}

/** `docker push` prints `TAG: digest: sha256:... size: N` last. */
export function pushedDigest(output: string): string | undefined {
  return /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
}

/** Pushes one tag of a local image with docker; the registry uploads each layer once. */
export async function dockerPush(reference: string): Promise<string | undefined> {
  const pushed = await mustRunTool(
    'docker',
    ['push', reference],
    `docker push ${reference}`,
    'read the output above; the push rights were proven before the build, so look for a network or registry failure.',
  );
  return pushedDigest(pushed.stdout);
}

export const dockerBuilder: Builder = {
  name: 'docker',
  multiPlatform: false,
  async build(request: BuildRequest): Promise<BuildResult> {
    const repository = repositoryOf(request.image);
    if (request.cacheFrom && request.cache && !request.noCache) {
      // The classic builder reuses layers only from local images: fetch the previous image first.
      const pulled = await runTool('docker', ['pull', '--quiet', request.cacheFrom], { silent: true });
      if (pulled?.code !== 0) request = { ...request, cacheFrom: undefined };
    }
    const iidFile = join(request.workDir, 'docker.iid');
    await mustRunTool(
      'docker',
      dockerBuildArgs(request, iidFile),
      'docker build',
      'read the build log above; fix the Dockerfile or the inputs.',
      {
        env: LEGACY,
      },
    );
    const imageId = readFileSync(iidFile, 'utf8').trim();
    const first = request.tags[0];
    if (!request.push || !first)
      return {
        imageId,
        pushedTags: [],
        reportedDigest: undefined,
        details: { cacheFrom: request.cacheFrom ?? null },
      };
    const reportedDigest = await dockerPush(`${repository}:${first}`);
    return {
      imageId,
      pushedTags: [first],
      reportedDigest,
      details: { cacheFrom: request.cacheFrom ?? null },
    };
  },
};

/**
 * Publishes an image that already exists in the local docker store (`source`: a name or an image ID): tags it
 * as the first tag and pushes that once.
 */
export async function publishLocalImage(source: string, request: BuildRequest): Promise<BuildResult> {
  const inspected = await runTool('docker', ['image', 'inspect', '--format', '{{.Id}}', source], {
    silent: true,
  });
  if (!inspected)
    throw new ActionError(
      `Input 'source' is '${source}', but there is no docker CLI here to read it from.`,
      'publish a local image on a runner with docker, or build it with this action.',
    );
  if (inspected.code !== 0) {
    throw new ActionError(
      `Input 'source' is '${source}', which is no image in the local docker store.`,
      "give the name or ID of an image built or pulled earlier in this job (see 'docker images'), or leave 'source' empty to build.",
    );
  }
  const imageId = inspected.stdout.trim();
  const repository = repositoryOf(request.image);
  for (const tag of request.tags) {
    await mustRunTool(
      'docker',
      ['tag', imageId, `${repository}:${tag}`],
      `docker tag ${source}`,
      'check the image name and tags.',
      { silent: true },
    );
  }
  const first = request.tags[0];
  if (!request.push || !first)
    return { imageId, pushedTags: [], reportedDigest: undefined, details: { source } };
  const reportedDigest = await dockerPush(`${repository}:${first}`);
  return { imageId, pushedTags: [first], reportedDigest, details: { source } };
}
