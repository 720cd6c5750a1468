/** No build: an image that already exists in the local docker store ('source'), tagged and pushed once (or exported for a by-digest push). */
import { dockerPush, dockerTag, localImageId } from '../docker/cli.js';
import { repositoryOf } from '../registry/index.js';
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
      for (const tag of request.tags)
        await dockerTag(imageId, `${repository}:${tag}`, 'check the image name and tags.');
      const details = { source };
      if (request.push && request.byDigest)
        return exportedResult(imageId, await exportDockerImage(imageId, request.workDir), details);
      const first = request.tags[0];
      if (!request.push || !first) return { imageId, pushedTags: [], reportedDigest: undefined, details };
      const reportedDigest = await dockerPush(`${repository}:${first}`);
      return { imageId, pushedTags: [first], reportedDigest, details };
    },
  };
}
