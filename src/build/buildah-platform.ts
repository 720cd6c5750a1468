/**
 * buildah (1.28 at least) takes a cached step built for another platform when nothing before it differs by
 * platform (`FROM scratch`, then COPY): `bud --platform linux/arm64` after an amd64 build of the same Dockerfile
 * returns the amd64 image. The image a build returns is therefore checked against the platform asked for.
 */
import { formatPlatform, parsePlatform, platformMatches, type Platform } from '../registry/index.js';
import { runTool } from '../tool.js';
import type { BuildRequest } from './types.js';

/** The platform in the config of a local buildah image, or undefined when buildah cannot say. */
async function imagePlatform(imageId: string, env: Record<string, string>): Promise<Platform | undefined> {
  const format = '{{.OCIv1.OS}}/{{.OCIv1.Architecture}}/{{.OCIv1.Variant}}';
  const run = await runTool('buildah', ['inspect', '--type', 'image', '--format', format, imageId], {
    env,
    silent: true,
  });
  if (run?.code !== 0) return undefined;
  try {
    return parsePlatform(run.stdout.trim().replace(/\/+$/, ''));
  } catch {
    return undefined;
  }
}

/** The platform the built image holds when it is not the one platform asked for; undefined when it is. */
export async function wrongPlatform(
  request: BuildRequest,
  imageId: string,
  env: Record<string, string>,
): Promise<string | undefined> {
  const [asked] = request.platforms;
  if (request.platforms.length !== 1 || !asked) return undefined;
  const built = await imagePlatform(imageId, env);
  if (!built || platformMatches(built, parsePlatform(asked))) return undefined;
  return formatPlatform(built);
}
