import * as core from '@actions/core';
import { ActionError } from '../errors.js';
import {
  InvalidReferenceError,
  RegistryError,
  formatReference,
  parseReference,
  repositoryOf,
  validateTag,
  type Manifest,
  type Reference,
  type RegistryClient,
} from '../registry/index.js';

/**
 * An image input as a Reference on `registry` unless it names its own. Bad values fail with the input's name;
 * a repository path with capitals is lower-cased with a notice (ghcr.io accepts lower case only).
 */
export function imageInput(value: string, input: string, registry: string): Reference {
  if (!value) {
    throw new ActionError(
      `Input '${input}' is empty.`,
      `set '${input}' to an image, e.g. ${registry}/OWNER/NAME:TAG.`,
    );
  }
  let ref: Reference;
  try {
    ref = parseReference(value, { defaultRegistry: registry });
  } catch (error) {
    if (error instanceof InvalidReferenceError) {
      throw new ActionError(
        `Input '${input}': ${error.message}`,
        `correct '${input}'; the form is [registry/]owner/name[:tag][@digest].`,
      );
    }
    throw error;
  }
  if (ref.lowercased) {
    core.notice(
      `'${input}' was lower-cased to ${formatReference(ref)}: registries accept lower-case repository names only (tags keep their case).`,
    );
  }
  return ref;
}

/** Validates tags up front, so a bad one fails before anything is written. */
export function tagsInput(tags: string[], input = 'tags'): string[] {
  for (const tag of tags) {
    try {
      validateTag(tag);
    } catch (error) {
      if (error instanceof InvalidReferenceError) {
        throw new ActionError(`Input '${input}': ${error.message}`, `correct or remove the tag '${tag}'.`);
      }
      throw error;
    }
  }
  return [...new Set(tags)];
}

/**
 * Reads a manifest; a tag or digest that does not exist becomes an error that names it and what would work
 * (the repository's tags, when it has any).
 */
export async function readManifest(client: RegistryClient, ref: Reference, input: string): Promise<Manifest> {
  try {
    return await client.getManifest(ref);
  } catch (error) {
    if (!(error instanceof RegistryError) || error.status !== 404) throw error;
    const what = formatReference(ref);
    const tags = await client.listTags(ref).catch(() => undefined);
    if (tags === undefined || error.code === 'NAME_UNKNOWN') {
      throw new ActionError(
        `${repositoryOf(ref)} does not exist (or these credentials cannot see it), so '${what}' cannot be read.`,
        `check the owner and name in '${input}' (registries want them lower-case).`,
      );
    }
    const shown = tags.slice(-20).join(', ');
    throw new ActionError(
      `${ref.digest ? `The digest ${ref.digest}` : `The tag '${ref.tag}'`} does not exist in ${repositoryOf(ref)} ('${input}': ${what}).`,
      tags.length
        ? `use one of its ${tags.length} tags (${tags.length > 20 ? 'the last 20: ' : ''}${shown}) or a digest it holds.`
        : 'the repository has no tags yet; publish first.',
      { cause: error },
    );
  }
}

/**
 * An image to write must be on the registry the credentials were chosen for: they go to that registry only.
 */
export function requireOnRegistry(ref: Reference, input: string, registry: string): void {
  if (ref.registry !== registry) {
    throw new ActionError(
      `Input '${input}' is on ${ref.registry}, but 'registry' is ${registry}: the credentials are chosen for, and sent to, 'registry' only.`,
      `set 'registry: ${ref.registry}' (with 'username' and 'password' unless it is GitHub's), or put the image on ${registry}.`,
    );
  }
}
