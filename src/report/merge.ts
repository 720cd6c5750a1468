/** What merge reports: the index written, its tags, and the image of each platform. */
import type { MergeChild, Written } from '../images/merge.js';
import type { MergePlan } from '../inputs/merge.js';
import {
  describePlatform,
  formatReference,
  repositoryOf,
  withTag,
  type Manifest,
} from '../registry/index.js';
import { writeWrittenOutputs } from './outputs.js';
import { writeSimpleSummary, type Cell } from './summary.js';

export interface Merged {
  plan: MergePlan;
  index: Manifest;
  children: MergeChild[];
  written: Written;
  authMethod: string;
}

/** One line per platform of the index: platform, digest, and where the image came from. */
function platformLines({ index, children, written }: Merged): string[] {
  const copied = new Set(written.copied.map(({ child }) => child.digest));
  const byDigest = new Map(children.map((child) => [child.digest, child]));
  if (index.kind !== 'index') return [];
  return index.index.manifests.map((entry) => {
    const child = byDigest.get(entry.digest);
    const platform = child ? describePlatform(child.platform) : '';
    const from = child && copied.has(entry.digest) ? ` (copied from ${repositoryOf(child.repository)})` : '';
    return `${platform}: ${entry.digest}${from}`;
  });
}

/** The outputs and summary of a merge; `tags` is empty when the index was put by digest only. */
export async function reportMerged(merged: Merged): Promise<void> {
  const { plan, index, authMethod } = merged;
  const repository = repositoryOf(plan.image);
  const written = plan.tags.map((tag) => formatReference(withTag(plan.image, tag)));
  const kind = index.mediaType.includes('docker') ? 'Docker manifest list' : 'OCI image index';
  const rows: [string, Cell][] = [
    ['Index', [{ code: `${repository}@${index.digest}` }, ` (${kind})`]],
    ['Tags', written.length ? { codeLines: written } : 'none (put by digest only)'],
    ['Platforms', { codeLines: platformLines(merged) }],
    ['Credentials', authMethod],
  ];
  await writeSimpleSummary(
    `Merged ${plan.sources.length} source(s) into ${repository}`,
    rows,
    `docker pull ${repository}@${index.digest}`,
  );
  writeWrittenOutputs(repository, index, written, authMethod);
}
