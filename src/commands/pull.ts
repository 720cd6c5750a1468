/**
 * command: pull — by tag, digest or latest, verified. The tag is resolved to a digest first and everything is
 * fetched by that digest, so a tag that moves meanwhile cannot slip another image in. Into the docker daemon
 * (default), or without any daemon to an OCI layout folder or a docker archive, through the registry client.
 */
import * as core from '@actions/core';
import type { RunContext } from '../context.js';
import { pullIntoDocker, pullToDisk } from '../images/pull.js';
import { imageForPlatform, readManifest } from '../images/read.js';
import { describeDestination } from '../inputs/destination.js';
import type { Inputs } from '../inputs/index.js';
import { pullPlan } from '../inputs/pull.js';
import { formatPlatform, repositoryOf } from '../registry/index.js';
import { progressLogger } from '../report/progress.js';
import { reportPulled } from '../report/pull.js';
import { openSession } from '../session/index.js';

export async function pull(inputs: Inputs, context: RunContext): Promise<void> {
  const plan = pullPlan(inputs);
  const { ref, destination, platform } = plan;
  const session = await openSession(inputs, context, { push: [], pull: [ref] });

  const root = await readManifest(session.client, ref, plan.input);
  core.info(
    `${ref.digest ?? `${repositoryOf(ref)}:${ref.tag}`} resolves to ${root.digest}; pulling by that digest.`,
  );
  const image = await imageForPlatform(session.client, ref, root, platform, plan.platformAsked);
  // docker pull needs the login; a pull to disk does not wait for it (it finishes alongside).
  if (destination.kind === 'docker') await session.loggedIn();
  const imageId = await core.group(
    `Pull ${repositoryOf(ref)}@${root.digest} to ${describeDestination(destination)}`,
    () =>
      destination.kind === 'docker'
        ? pullIntoDocker(
            ref,
            root.digest,
            image,
            root.kind === 'index' || plan.platformAsked ? platform : undefined,
          )
        : pullToDisk(session.client, ref, image, destination, progressLogger('Pull')),
  );
  const child = image.digest !== root.digest ? ` (${formatPlatform(platform)} of ${root.digest})` : '';
  core.info(`Pulled ${image.digest}${child}, verified.`);
  await session.loggedIn();
  await reportPulled({ plan, root, image, imageId, authMethod: session.methodFor(ref.registry) });
}
