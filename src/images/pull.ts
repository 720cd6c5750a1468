/**
 * Pulling a resolved image: into the docker daemon by digest (then checked), or without any daemon to an OCI
 * layout folder or a docker archive through the registry client.
 */
import * as core from '@actions/core';
import { existsSync } from 'node:fs';
import { dockerInspectImage, dockerPull, dockerTag } from '../docker/cli.js';
import { ActionError } from '../errors.js';
import type { Destination } from '../inputs/destination.js';
import {
  formatPlatform,
  repositoryOf,
  toOciManifest,
  type CopyProgress,
  type Manifest,
  type Platform,
  type Reference,
  type RegistryClient,
} from '../registry/index.js';

/** The config digest of an image manifest ('' for an index). */
export function configDigest(image: Manifest): string {
  return image.kind === 'image' ? image.image.config.digest : '';
}

/** docker pull by digest, then check what the daemon holds is that image, then apply the asked-for tag. */
export async function pullIntoDocker(
  ref: Reference,
  digest: string,
  image: Manifest,
  platform: Platform | undefined,
): Promise<string> {
  const byDigest = `${repositoryOf(ref)}@${digest}`;
  await dockerPull(byDigest, platform ? formatPlatform(platform) : undefined);
  const { id, repoDigests } = await dockerInspectImage(byDigest);
  if (!repoDigests.includes(byDigest)) {
    throw new ActionError(
      `docker pulled ${byDigest}, but the image's repo digests are ${repoDigests.join(', ') || 'none'}.`,
      'run the job again; report it if it stays.',
    );
  }
  // The classic store names an image by its config digest; the containerd store by its manifest or index digest.
  if (configDigest(image) && ![configDigest(image), image.digest, digest].includes(id)) {
    throw new ActionError(
      `docker holds image ${id} for ${byDigest}, but the registry's manifest names config ${configDigest(image)}.`,
      'run the job again; report it if it stays.',
    );
  }
  if (ref.tag) await dockerTag(byDigest, `${repositoryOf(ref)}:${ref.tag}`);
  return id;
}

/**
 * Writes an image to an OCI layout or a docker archive, no daemon involved; returns its config digest.
 * `onProgress` hears of bytes and blobs as they arrive (OCI layouts).
 */
export async function pullToDisk(
  client: RegistryClient,
  ref: Reference,
  image: Manifest,
  destination: Exclude<Destination, { kind: 'docker' }>,
  onProgress?: (progress: CopyProgress) => void,
): Promise<string> {
  if (image.kind !== 'image')
    throw new ActionError(
      `${repositoryOf(ref)}@${image.digest} is not an image manifest.`,
      'pull an image or a multi-platform index of images.',
    );
  if (destination.kind === 'oci-layout') {
    const stored = toOciManifest(image);
    if (stored.digest !== image.digest) {
      core.info(
        `The Docker-format manifest is stored in OCI media types (as skopeo copy does), as ${stored.digest}; the blobs are the registry's.`,
      );
    }
    await client.writeOciLayout(ref, destination.path, {
      root: stored,
      images: [stored],
      refName: ref.tag ?? image.digest,
      onProgress,
    });
  } else {
    const repoTag = ref.tag ? `${repositoryOf(ref)}:${ref.tag}` : undefined;
    // A rerun writes the same archive again: the file is replaced (only once the new one is whole), and said so.
    const replacing = existsSync(destination.path);
    await client.writeDockerArchive(ref, destination.path, image.image, repoTag);
    if (replacing)
      core.notice(
        `Replaced the existing file ${destination.path} with the docker archive of ${repositoryOf(ref)}@${image.digest}.`,
      );
  }
  return configDigest(image);
}
