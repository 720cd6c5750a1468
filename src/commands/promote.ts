import * as core from '@actions/core';
import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';
import type { Inputs } from '../inputs.js';
import { copyImage, formatReference, repositoryOf, withTag } from '../registry/index.js';
import { writeOutputs } from '../report/outputs.js';
import { progressLogger } from '../report/progress.js';
import { writeSimpleSummary } from '../report/summary.js';
import { authenticate } from './authenticate.js';
import { imageInput, readManifest, requireOnRegistry, tagsInput } from './references.js';
import { platformDigests } from './resolve.js';

/**
 * command: promote — copy `source` to `image` with `tags`, registry-side: manifest PUTs within a repository,
 * cross-repository mounts within a registry, streamed copies across registries. Tags are written last.
 */
export async function promote(inputs: Inputs, context: RunContext): Promise<void> {
  const source = imageInput(inputs.source, 'source', inputs.registry);
  const target = imageInput(inputs.image, 'image', inputs.registry);
  requireOnRegistry(target, 'image', inputs.registry);
  if (target.digest) {
    throw new ActionError(
      `Input 'image' (${inputs.image}) names a digest.`,
      "give 'image' without a digest; put tags in 'tags'.",
    );
  }
  const tags = tagsInput(inputs.tags.length ? inputs.tags : [target.tag ?? source.tag ?? 'latest']);
  const destination = { ...target, tag: undefined };
  const auth = await authenticate(inputs, context, { push: [destination], pull: [source] });

  const root = await readManifest(auth.client, source, 'source');
  const result = await core.group(`Promote ${formatReference(source)} to ${repositoryOf(destination)}`, () =>
    copyImage(auth.client, source, destination, { tags, root, onProgress: progressLogger('Promote') }),
  );
  core.info(
    `Copied ${result.digest}: ${result.blobs.mounted} blobs mounted, ${result.blobs.uploaded} uploaded, ${result.blobs.exists} already there, ${result.foreignLayersSkipped} foreign layers left in place.`,
  );
  // Every tag is read back: it must resolve to the digest copied.
  for (const tag of tags) {
    const stored = await auth.client.getManifest(withTag(destination, tag));
    if (stored.digest !== result.digest) {
      throw new ActionError(
        `${formatReference(withTag(destination, tag))} resolves to ${stored.digest}, not the promoted ${result.digest}.`,
        'something else wrote that tag meanwhile; run the promotion again.',
      );
    }
  }
  const written = tags.map((tag) => formatReference(withTag(destination, tag)));
  await writeSimpleSummary(
    `Promoted ${formatReference(source)}`,
    [
      ['To', written.map((t) => `<code>${t}</code>`).join('<br>')],
      ['Digest', `<code>${result.digest}</code>`],
      [
        'Blobs',
        `${result.blobs.mounted} mounted, ${result.blobs.uploaded} uploaded, ${result.blobs.exists} already there`,
      ],
    ],
    `docker pull ${repositoryOf(destination)}@${result.digest}`,
  );
  writeOutputs({
    digest: result.digest,
    image: repositoryOf(destination),
    tags: written.join('\n'),
    ref: `${repositoryOf(destination)}@${result.digest}`,
    'platform-digests': JSON.stringify(platformDigests(result.manifest)),
    'auth-method': auth.method,
  });
}
