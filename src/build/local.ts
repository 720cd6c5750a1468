/** No build: an image that already exists in the local docker store ('source'), tagged and pushed once (or exported for a by-digest push). */
import { dockerPush, dockerTag, localImageId } from '../docker/cli.js';
import { allOrFirstError, repositoryOf } from '../registry/index.js';
import { exportDockerImage, exportedResult } from './export.js';
import type { BuildRequest, BuildResult, Builder } from './types.js';

/** The "builder" of `source`: tags the local image (a name or an ID) with every tag and pushes the first once. */
export function localImageBuilder(source: string): Builder {
  return {
    name: 'source',
    multiPlatform: false,
    async build(request: BuildRequest): Promise<BuildResult> {
      const imageId = await localImageId(source);
      const repository = repositoryOf(request.image);
      const tag = (name: string) =>
        dockerTag(imageId, `${repository}:${name}`, 'check the image name and tags.');
      const [first, ...others] = request.tags;
      const details = { source };
      // Every local name is made before anything is pushed (a failure there leaves the registry untouched): the
      // first, then the others side by side (the registry gets those by manifest PUTs later).
      if (first) await tag(first);
      await allOrFirstError(others.map(tag));
      if (request.push && request.byDigest)
        return exportedResult(imageId, await exportDockerImage(imageId, request.workDir), details);
      if (!request.push || !first) return { imageId, pushedTags: [], reportedDigest: undefined, details };
      const reportedDigest = await dockerPush(`${repository}:${first}`);
      return { imageId, pushedTags: [first], reportedDigest, details };
    },
  };
}
