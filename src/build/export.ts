/**
 * `push: by-digest` for the builders that push by tag only (docker, buildah, a local image): the image is written
 * to the run's work folder, and the action's registry client uploads it by digest (commands/publish.ts), so no
 * tag of the image, not even a temporary one, is ever written to the repository.
 */
import { join } from 'node:path';
import { dockerSave } from '../docker/cli.js';
import type { BuildResult, ExportedImage } from './types.js';

/** A local docker image as a docker archive in `workDir`. */
export async function exportDockerImage(imageId: string, workDir: string): Promise<ExportedImage> {
  const path = join(workDir, 'image.tar');
  await dockerSave(imageId, path);
  return { format: 'docker-archive', path };
}

/** What a builder returns for a by-digest push it left to the action. */
export function exportedResult(
  imageId: string,
  exported: ExportedImage,
  details: Record<string, unknown>,
): BuildResult {
  return { imageId, pushedTags: [], reportedDigest: undefined, details, exported };
}
