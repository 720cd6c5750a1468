/**
 * Tags written last and read back: every tag must resolve to the digest that was published or promoted. Tags
 * are written side by side and read back side by side (a few at a time, the client's concurrency).
 */
import * as core from '@actions/core';
import type { BuildResult } from '../build/types.js';
import { ActionError } from '../errors.js';
import {
  allOrFirstError,
  createLimiter,
  repositoryOf,
  withTag,
  type Manifest,
  type Reference,
  type RegistryClient,
} from '../registry/index.js';

/** Runs `task` for every tag, at most the client's concurrency at once; fails with the first failure. */
async function eachTag(client: RegistryClient, tags: string[], task: (tag: string) => Promise<void>) {
  const limit = createLimiter(client.concurrency);
  await allOrFirstError(tags.map((tag) => limit(() => task(tag))));
}

/**
 * The digest `tag` resolves to, as the registry says. The digest expected is known here (from bytes this step
 * read or wrote), so a HEAD whose Docker-Content-Digest equals it is the registry's word that the tag points
 * there; bytes would prove no more (a registry that lies could serve the known bytes just as well). Any other
 * answer (no header, another digest) is settled by the bytes: a GET, its digest computed here.
 */
async function resolvedDigest(client: RegistryClient, ref: Reference, expected: string): Promise<string> {
  const head = await client.headManifest(ref);
  if (head?.digest === expected) return expected;
  return (await client.getManifest(ref)).digest;
}

/** Reads every tag back; one that resolves to another digest fails, naming it. */
export async function verifyTags(
  client: RegistryClient,
  image: Reference,
  tags: string[],
  digest: string,
  done: 'published' | 'promoted' | 'merged',
): Promise<void> {
  await eachTag(client, tags, async (tag) => {
    const stored = await resolvedDigest(client, withTag(image, tag), digest);
    if (stored !== digest) {
      throw new ActionError(
        `${repositoryOf(image)}:${tag} resolves to ${stored}, not the ${done} ${digest}.`,
        'something else wrote that tag meanwhile; run the job again.',
      );
    }
  });
}

/** Writes tags with manifest PUTs (no upload), side by side; the registry's answered digest is checked. */
export async function putTags(
  client: RegistryClient,
  image: Reference,
  manifest: Pick<Manifest, 'bytes' | 'mediaType' | 'digest'>,
  tags: string[],
): Promise<void> {
  await eachTag(client, tags, async (tag) => {
    await client.putManifest(withTag(image, tag), manifest);
  });
}

/**
 * Makes the other tags with manifest PUTs (no upload), then reads every tag back: all must be one digest. The
 * first tag is read by its bytes first (that read is what the others are written from), and checked again last.
 */
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
  const others = tags.filter((t) => !result.pushedTags.includes(t));
  await putTags(client, image, manifest, others);
  for (const tag of others)
    core.info(`Tagged ${repositoryOf(image)}:${tag} in the registry (manifest PUT, nothing uploaded).`);
  // Every tag read back after the writes, the first too (a HEAD): a push to it meanwhile is caught.
  await verifyTags(client, image, tags, manifest.digest, 'published');
  core.info(`Verified: all ${tags.length} tags resolve to ${manifest.digest}.`);
  return manifest;
}
