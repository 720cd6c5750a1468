/** What promote reports: the tags written, the digest they resolve to, how the blobs got there. */
import type { PromotePlan } from '../inputs/promote.js';
import { formatReference, repositoryOf, withTag, type CopyResult } from '../registry/index.js';
import { writeWrittenOutputs } from './outputs.js';
import { writeSimpleSummary } from './summary.js';

/**
 * The outputs and summary of a promotion. `auth-method` is what wrote the destination; the summary also says
 * what read the source (another registry is read with the docker config's login or anonymously).
 */
export async function reportPromoted(
  plan: PromotePlan,
  result: CopyResult,
  auth: { write: string; read: string },
): Promise<void> {
  const repository = repositoryOf(plan.destination);
  const written = plan.tags.map((tag) => formatReference(withTag(plan.destination, tag)));
  const { blobs } = result;
  await writeSimpleSummary(
    `Promoted ${formatReference(plan.source)}`,
    [
      ['To', { codeLines: written }],
      ['Digest', { code: result.digest }],
      ['Blobs', `${blobs.mounted} mounted, ${blobs.uploaded} uploaded, ${blobs.exists} already there`],
      [
        'Credentials',
        `${auth.write} to write ${plan.destination.registry}; ${auth.read} to read ${plan.source.registry}`,
      ],
    ],
    `docker pull ${repository}@${result.digest}`,
  );
  writeWrittenOutputs(repository, result.manifest, written, auth.write);
}
