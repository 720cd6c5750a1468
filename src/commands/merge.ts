/**
 * command: merge — one multi-platform index from per-platform images (by digest or tag, or indexes of them):
 * every image and config read and checked first, then children of other repositories copied in registry-side,
 * the index put by digest, and the tags written last and read back.
 */
import * as core from '@actions/core';
import type { RunContext } from '../context.js';
import { mergedIndex, readChildren, writeIndex } from '../images/merge.js';
import type { Inputs } from '../inputs/index.js';
import { mergePlan } from '../inputs/merge.js';
import { repositoryOf } from '../registry/index.js';
import { reportMerged } from '../report/merge.js';
import { openSession } from '../session/index.js';

export async function merge(inputs: Inputs, context: RunContext): Promise<void> {
  const plan = mergePlan(inputs, context);
  const session = await openSession(inputs, context, { push: [plan.image], pull: plan.repositories });
  const { client } = session;

  const children = await core.group(`Read ${plan.sources.length} source(s)`, () =>
    readChildren(client, plan.sources),
  );
  const index = mergedIndex(children);
  core.info(`The index of ${children.length} image(s) is ${index.digest} (${index.mediaType}).`);
  const written = await core.group(`Write the index to ${repositoryOf(plan.image)}`, () =>
    writeIndex(client, plan.image, children, index, plan.tags),
  );
  await session.loggedIn();
  await reportMerged({ plan, index, children, written, authMethod: session.method });
}
