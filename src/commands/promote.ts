/**
 * command: promote — copy `source` to `image` with `tags`, registry-side: manifest PUTs within a repository,
 * cross-repository mounts within a registry, streamed copies across registries. Tags are written last.
 */
import * as core from '@actions/core';
import type { RunContext } from '../context.js';
import { readManifest } from '../images/read.js';
import { verifyTags } from '../images/tags.js';
import type { Inputs } from '../inputs/index.js';
import { promotePlan } from '../inputs/promote.js';
import { copyImage, formatReference, repositoryOf } from '../registry/index.js';
import { progressLogger } from '../report/progress.js';
import { reportPromoted } from '../report/promote.js';
import { openSession } from '../session/index.js';

export async function promote(inputs: Inputs, context: RunContext): Promise<void> {
  const plan = promotePlan(inputs);
  const { source, destination, tags } = plan;
  const session = await openSession(inputs, context, { push: [destination], pull: [source] });

  const root = await readManifest(session.client, source, 'source');
  const result = await core.group(`Promote ${formatReference(source)} to ${repositoryOf(destination)}`, () =>
    copyImage(session.client, source, destination, { tags, root, onProgress: progressLogger('Promote') }),
  );
  const { blobs } = result;
  core.info(
    `Copied ${result.digest}: ${blobs.mounted} blobs mounted, ${blobs.uploaded} uploaded, ${blobs.exists} already there, ${result.foreignLayersSkipped} foreign layers left in place.`,
  );
  await verifyTags(session.client, destination, tags, result.digest, 'promoted');
  await session.loggedIn();
  await reportPromoted(plan, result, { write: session.method, read: session.methodFor(source.registry) });
}
