/** What pull reports: the digest it resolved and verified, the image ID, where it went. */
import { describeDestination } from '../inputs/destination.js';
import type { PullPlan } from '../inputs/pull.js';
import {
  formatPlatform,
  formatReference,
  platformDigests,
  repositoryOf,
  type Manifest,
} from '../registry/index.js';
import { writeOutputs } from './outputs.js';
import { writeSimpleSummary } from './summary.js';

export interface Pulled {
  plan: PullPlan;
  /** What the reference resolved to (an image, or an index). */
  root: Manifest;
  /** The image pulled (the root, or its child for the platform). */
  image: Manifest;
  imageId: string;
  authMethod: string;
}

export async function reportPulled({ plan, root, image, imageId, authMethod }: Pulled): Promise<void> {
  const repository = repositoryOf(plan.ref);
  const child = image.digest !== root.digest ? formatPlatform(plan.platform) : undefined;
  await writeSimpleSummary(`Pulled ${repository}@${root.digest}`, [
    ['Asked for', { code: formatReference(plan.ref) }],
    ['Digest', [{ code: root.digest }, ...(child ? [` (${child}: `, { code: image.digest }, ')'] : [])]],
    ['Image ID', { code: imageId }],
    [
      'Into',
      plan.destination.kind === 'docker' ? 'the docker daemon' : describeDestination(plan.destination),
    ],
  ]);
  writeOutputs({
    digest: root.digest,
    'image-id': imageId,
    image: repository,
    ref: `${repository}@${root.digest}`,
    'platform-digests': JSON.stringify(platformDigests(root)),
    'auth-method': authMethod,
  });
}
