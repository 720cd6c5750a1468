import * as core from '@actions/core';
import { ActionError } from '../errors.js';
import {
  InvalidReferenceError,
  formatReference,
  parseReference,
  validateTag,
  type Reference,
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
