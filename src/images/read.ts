/** Reading images through the registry client, with errors that name the input and what would work. */
import * as core from '@actions/core';
import { ActionError } from '../errors.js';
import {
  RegistryError,
  formatPlatform,
  formatReference,
  imagePlatform,
  platformMatches,
  platformsOf,
  repositoryOf,
  selectPlatform,
  withDigest,
  withTag,
  type Manifest,
  type Platform,
  type Reference,
  type RegistryClient,
} from '../registry/index.js';

/**
 * Reads a manifest; a tag or digest that does not exist becomes an error that names it and what would work
 * (the repository's tags, when it has any).
 */
export async function readManifest(client: RegistryClient, ref: Reference, input: string): Promise<Manifest> {
  try {
    return await client.getManifest(ref);
  } catch (error) {
    if (!(error instanceof RegistryError) || error.status !== 404) throw error;
    throw await missing(client, ref, input, error);
  }
}

/** Why a manifest is missing, and what would work: the repository's tags, when they can be listed. */
async function missing(client: RegistryClient, ref: Reference, input: string, error: RegistryError) {
  const what = formatReference(ref);
  const listed = await client.listTags(ref).then(
    (tags) => ({ tags, why: '' }),
    (failure: unknown) => ({
      tags: undefined,
      why: failure instanceof Error ? failure.message : String(failure),
    }),
  );
  const noRepository = error.code === 'NAME_UNKNOWN' || /\(HTTP 404\)/.test(listed.why);
  if (noRepository) {
    return new ActionError(
      `${repositoryOf(ref)} does not exist (or these credentials cannot see it), so '${what}' cannot be read.`,
      `check the owner and name in '${input}' (registries want them lower-case).`,
    );
  }
  const absent = `${ref.digest ? `The digest ${ref.digest}` : `The tag '${ref.tag}'`} does not exist in ${repositoryOf(ref)} ('${input}': ${what})`;
  const { tags } = listed;
  if (tags === undefined) {
    return new ActionError(
      `${absent}; its tags could not be listed: ${listed.why}`,
      `check the tag or digest in '${input}'.`,
      { cause: error },
    );
  }
  const shown = tags.slice(-20).join(', ');
  return new ActionError(
    `${absent}.`,
    tags.length
      ? `use one of its ${tags.length} tags (${tags.length > 20 ? 'the last 20: ' : ''}${shown}) or a digest it holds.`
      : 'the repository has no tags yet; publish first.',
    { cause: error },
  );
}

/**
 * The image manifest for `platform` (asked for, or the runner's): a single-platform image when its config says
 * it is for that platform, else the index's entry for the platform; otherwise an error that says what there is.
 * Nothing has been written when it fails.
 */
export async function imageForPlatform(
  client: RegistryClient,
  ref: Reference,
  root: Manifest,
  platform: Platform,
  asked: boolean,
): Promise<Manifest> {
  if (root.kind !== 'index') {
    await checkImagePlatform(client, ref, root, platform, asked);
    return root;
  }
  const entry = selectPlatform(root.index, platform);
  if (!entry) {
    throw new ActionError(
      `${repositoryOf(ref)}@${root.digest} has no image for ${formatPlatform(platform)}${asked ? '' : " (the runner's platform)"}.`,
      `set 'platform' to one it has: ${platformsOf(root.index).join(', ') || 'none listed'}.`,
    );
  }
  return client.getManifest(withDigest({ ...ref, tag: undefined }, entry.digest));
}

/**
 * A single-platform image must be of the platform wanted (selectPlatform's rule): its config says which it is.
 * A config that names no platform (an artifact's) cannot be checked, and says so.
 */
async function checkImagePlatform(
  client: RegistryClient,
  ref: Reference,
  image: Manifest,
  wanted: Platform,
  asked: boolean,
): Promise<void> {
  if (image.kind !== 'image') return;
  const name = `${repositoryOf(ref)}@${image.digest}`;
  const have = await imagePlatform(client, ref, image.image);
  if (!have) {
    core.info(
      `${name} does not say which platform it is for; it is not checked against ${formatPlatform(wanted)}.`,
    );
    return;
  }
  if (platformMatches(have, wanted)) return;
  throw new ActionError(
    `${name} is ${formatPlatform(have)}, not ${formatPlatform(wanted)}${asked ? '' : " (the runner's platform)"}.`,
    `set 'platform' to ${formatPlatform(have)} to pull it, or pull an image built for ${formatPlatform(wanted)}.`,
  );
}

/** Whether the repository has no tag yet (a new package), for the summary's visibility note. */
export async function isNewRepository(client: RegistryClient, image: Reference): Promise<boolean> {
  try {
    return !(await client.hasTags(image));
  } catch (error) {
    core.debug(`Could not list the tags of ${repositoryOf(image)}: ${String(error)}`);
    return false;
  }
}

/** `repository:tag` when the registry has that tag already (a cache source for the next build), else undefined. */
export async function existingTag(
  client: RegistryClient,
  image: Reference,
  tag: string | undefined,
): Promise<string | undefined> {
  if (!tag || !(await client.headManifest(withTag(image, tag)))) return undefined;
  return `${repositoryOf(image)}:${tag}`;
}
