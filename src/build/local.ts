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
      // The first tag is the one pushed; the others are local names only (the registry gets them by manifest
      // PUTs later), made side by side, and beside the push.
      if (first) await tag(first);
      const named = allOrFirstError(others.map(tag));
      if (request.push && request.byDigest) {
        await named;
        return exportedResult(imageId, await exportDockerImage(imageId, request.workDir), details);
      }
      if (!request.push || !first) {
        await named;
        return { imageId, pushedTags: [], reportedDigest: undefined, details };
      }
      const pushed = dockerPush(`${repository}:${first}`);
      await allOrFirstError([pushed, named]); // both settled before any failure is reported
      const reportedDigest = await pushed;
      return { imageId, pushedTags: [first], reportedDigest, details };
    },
  };
}
