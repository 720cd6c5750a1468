/** Image references from inputs: one rule for every input that names an image. */
import * as core from '@actions/core';
import { ActionError } from '../errors.js';
import {
  InvalidReferenceError,
  formatReference,
  parseReference,
  withTag,
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
  if (ref.registry === 'ghcr.io' && !ref.repository.includes('/')) {
    throw new ActionError(
      `Input '${input}' is '${value}': an image on ghcr.io is named OWNER/NAME, and '${ref.repository}' has no owner.`,
      `set '${input}' to ghcr.io/OWNER/${ref.repository}, OWNER being the user or organization that owns the package.`,
    );
  }
  if (ref.lowercased) {
    core.notice(
      `'${input}' was lower-cased to ${formatReference(ref)}: registries accept lower-case repository names only (tags keep their case).`,
    );
  }
  return ref;
}

/**
 * The image to read (resolve, pull): `source`, else `image`; a reference with neither tag nor digest means
 * `latest`, as docker pull reads it.
 */
export function sourceInput(inputs: { source: string; image: string; registry: string }): {
  ref: Reference;
  input: string;
} {
  if (!inputs.source && !inputs.image) {
    throw new ActionError(
      "Inputs 'source' and 'image' are both empty: there is no image to read.",
      `set 'source' to the image, e.g. ${inputs.registry}/OWNER/NAME:TAG (or @sha256:...).`,
    );
  }
  const input = inputs.source ? 'source' : 'image';
  const ref = imageInput(inputs.source || inputs.image, input, inputs.registry);
  return { ref: ref.tag || ref.digest ? ref : withTag(ref, 'latest'), input };
}

/**
 * An image to write (publish, promote): on `registry` (the credentials go there and nowhere else) and without a
 * digest. The tag it names, if any, is kept on the returned reference for the caller's default tags.
 */
export function targetInput(value: string, input: string, registry: string): Reference {
  const ref = imageInput(value, input, registry);
  if (ref.registry !== registry) {
    throw new ActionError(
      `Input '${input}' is on ${ref.registry}, but 'registry' is ${registry}: the credentials are chosen for, and sent to, 'registry' only.`,
      `set 'registry: ${ref.registry}' (with 'username' and 'password' unless it is GitHub's), or put the image on ${registry}.`,
    );
  }
  if (ref.digest) {
    throw new ActionError(
      `Input '${input}' (${value}) names a digest.`,
      `give '${input}' without a digest; put tags in 'tags'.`,
    );
  }
  return ref;
}

/** A tag named in the image to write and 'tags' at once: one of them would be silently dropped. */
export function requireOneTagSource(target: Reference, tags: string[], input = 'image'): void {
  if (target.tag === undefined || tags.length === 0) return;
  throw new ActionError(
    `Input '${input}' names the tag '${target.tag}', and 'tags' is set too: the tag in '${input}' would not be written.`,
    `put every tag in 'tags' (add '${target.tag}' there if you want it) and give '${input}' without a tag.`,
  );
}
