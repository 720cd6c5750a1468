/**
 * `push: by-digest`: an image a builder exported to disk (build/export.ts) uploaded by digest with the action's
 * client (blobs verified, existing ones skipped, manifest put by digest, no tag), then read back; and the
 * platform the pushed image holds, for the step's `platform` output.
 */
import * as core from '@actions/core';
import type { BuildResult, ExportedImage } from '../build/types.js';
import { ActionError } from '../errors.js';
import {
  formatPlatform,
  imagePlatform,
  platformsOf,
  repositoryOf,
  withDigest,
  type Manifest,
  type Reference,
  type RegistryClient,
} from '../registry/index.js';

/**
 * Uploads the exported image to `image`'s repository by digest; the digest as pushed. `platform` (the one built)
 * picks its image when a docker save holds an index of several platforms (docker's containerd image store).
 */
export async function uploadExported(
  client: RegistryClient,
  image: Reference,
  exported: ExportedImage,
  workDir: string,
  platform?: string,
): Promise<string> {
  const pushed =
    exported.format === 'oci-layout'
      ? await client.pushOciLayout(image, exported.path)
      : await client.pushDockerArchive(image, exported.path, { workDir, ...(platform ? { platform } : {}) });
  const { uploaded, mounted, exists } = pushed.blobs;
  core.info(
    `Pushed ${repositoryOf(image)}@${pushed.digest} by digest, no tag: ${uploaded} blobs uploaded (${pushed.bytesUploaded} bytes), ${mounted} mounted, ${exists} already there.`,
  );
  return pushed.digest;
}

/** Reads the pushed manifest back by the digest the builder or the upload reported (the client checks the bytes). */
export async function verifyByDigest(
  client: RegistryClient,
  image: Reference,
  result: BuildResult,
): Promise<Manifest> {
  const digest = result.reportedDigest;
  if (!digest) {
    throw new ActionError(
      `The builder pushed ${repositoryOf(image)} by digest but reported no digest.`,
      'update the builder (buildx 0.10 or later writes the digest to its metadata file), or push with tags.',
    );
  }
  const manifest = await client.getManifest(withDigest(image, digest));
  core.info(`Verified: ${repositoryOf(image)}@${manifest.digest} is in the registry, with no tag.`);
  return manifest;
}

/** The platform(s) a pushed manifest holds: os/arch[/variant], comma-separated for an index; '' when unknown. */
export async function pushedPlatform(
  client: RegistryClient,
  image: Reference,
  manifest: Manifest,
): Promise<string> {
  if (manifest.kind === 'index') return platformsOf(manifest.index).join(',');
  const platform = await imagePlatform(client, image, manifest.image);
  return platform ? formatPlatform(platform) : '';
}
