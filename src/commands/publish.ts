/**
 * command: publish — build (or take a local image), push once, tag the rest in the registry, verify every
 * tag, and report verified digests. `push: by-digest`: push with no tag (the builder, or the action's own upload
 * of what the builder exported), verify by digest. Every input is checked and push rights are proven before the build.
 */
import * as core from '@actions/core';
import { selectBuilder } from '../build/select.js';
import { withWorkDir } from '../build/workdir.js';
import type { RunContext } from '../context.js';
import { existingTag, isNewRepository } from '../images/read.js';
import { pushedPlatform, uploadExported, verifyByDigest } from '../images/by-digest.js';
import { tagAndVerify } from '../images/tags.js';
import type { Inputs } from '../inputs/index.js';
import { publishPlan } from '../inputs/publish.js';
import { reportPublished } from '../report/publish.js';
import { openSession } from '../session/index.js';
import { publishedPackageFacts } from '../session/packages.js';

export async function publish(inputs: Inputs, context: RunContext): Promise<void> {
  const plan = publishPlan(inputs, context);
  const selection = await selectBuilder(inputs);
  const { builder } = selection;
  core.info(
    selection.builds ? `Builder: ${builder.name} (${selection.why}).` : `No build: ${selection.why}.`,
  );

  const push = plan.build.push;
  const session = await openSession(inputs, context, { push: push ? [plan.image] : [], pull: [] });
  const { client } = session;
  // Two independent reads, side by side, while docker logs in (the builder pushes with that login).
  const [newPackage, cacheFrom] = await Promise.all([
    push && isNewRepository(client, plan.image),
    push && builder.cachesFromRegistry ? existingTag(client, plan.image, plan.build.cacheTag) : undefined,
  ]);
  await session.loggedIn();

  const result = await withWorkDir(async (workDir) => {
    const built = await core.group(selection.title, () =>
      builder.build({ ...plan.build, workDir, credentials: session.credentials, cacheFrom }),
    );
    if (!built.exported) return built;
    const { exported } = built;
    const digest = await core.group('Push by digest', () =>
      uploadExported(client, plan.image, exported, workDir, plan.build.platforms[0]),
    );
    return { ...built, reportedDigest: digest };
  });
  client.renewDeadline(); // the build took its own time: the registry work after it gets its own bound
  const manifest = !push
    ? undefined
    : plan.build.byDigest
      ? await core.group('Verify', () => verifyByDigest(client, plan.image, result))
      : await core.group('Tag in the registry and verify', () =>
          tagAndVerify(client, plan.image, result, plan.build.tags),
        );
  if (!manifest)
    core.info(`Built ${result.imageId}; no digest exists because nothing was pushed: ${plan.whyNotPushed}.`);
  const platform = manifest ? await pushedPlatform(client, plan.image, manifest) : undefined;
  const facts =
    manifest && plan.image.repository.includes('/')
      ? await publishedPackageFacts(session, context, plan.image.repository)
      : undefined;
  await reportPublished({ plan, selection, session, result, manifest, newPackage, platform, facts }, context);
}
