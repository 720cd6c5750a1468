/** Tags written last and read back: every tag must resolve to the digest that was published or promoted. */
import * as core from '@actions/core';
import type { BuildResult } from '../build/types.js';
import { ActionError } from '../errors.js';
import {
  repositoryOf,
  withTag,
  type Manifest,
  type Reference,
  type RegistryClient,
} from '../registry/index.js';

/** Reads every tag back; one that resolves to another digest fails, naming it. */
export async function verifyTags(
  client: RegistryClient,
  image: Reference,
  tags: string[],
  digest: string,
  done: 'published' | 'promoted' | 'merged',
): Promise<void> {
  for (const tag of tags) {
    const stored = await client.getManifest(withTag(image, tag));
    if (stored.digest !== digest) {
      throw new ActionError(
        `${repositoryOf(image)}:${tag} resolves to ${stored.digest}, not the ${done} ${digest}.`,
        'something else wrote that tag meanwhile; run the job again.',
      );
    }
  }
}

/** Makes the other tags with manifest PUTs (no upload), then reads every tag back: all must be one digest. */
export async function tagAndVerify(
  client: RegistryClient,
  image: Reference,
  result: BuildResult,
  tags: string[],
): Promise<Manifest> {
  const first = result.pushedTags[0] ?? tags[0] ?? 'latest';
  const manifest = await client.getManifest(withTag(image, first));
  if (result.reportedDigest && result.reportedDigest !== manifest.digest) {
    throw new ActionError(
      `The builder reported ${result.reportedDigest} for ${repositoryOf(image)}:${first}, but the registry holds ${manifest.digest}.`,
      'another push to that tag ran at the same time; run the job again.',
    );
  }
  for (const tag of tags.filter((t) => !result.pushedTags.includes(t))) {
    await client.putManifest(withTag(image, tag), manifest);
    core.info(`Tagged ${repositoryOf(image)}:${tag} in the registry (manifest PUT, nothing uploaded).`);
  }
  await verifyTags(client, image, tags, manifest.digest, 'published');
  core.info(`Verified: all ${tags.length} tags resolve to ${manifest.digest}.`);
  return manifest;
}
