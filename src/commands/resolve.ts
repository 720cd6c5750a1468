/** command: resolve — a tag to its verified digest, without pulling anything. */
import * as core from '@actions/core';
import type { RunContext } from '../context.js';
import { readManifest } from '../images/read.js';
import type { Inputs } from '../inputs/index.js';
import { resolveInput } from '../inputs/resolve.js';
import { formatReference, platformDigests, repositoryOf } from '../registry/index.js';
import { writeOutputs } from '../report/outputs.js';
import { openSession } from '../session/index.js';

export async function resolve(inputs: Inputs, context: RunContext): Promise<void> {
  const { ref, input } = resolveInput(inputs);
  const session = await openSession(inputs, context, { push: [], pull: [ref] });
  const manifest = await core.group(`Resolve ${formatReference(ref)}`, async () => {
    const found = await readManifest(session.client, ref, input);
    core.info(`${formatReference(ref)} is ${found.digest} (${found.mediaType}), verified from its bytes.`);
    return found;
  });
  await session.loggedIn();
  writeOutputs({
    digest: manifest.digest,
    image: repositoryOf(ref),
    ref: `${repositoryOf(ref)}@${manifest.digest}`,
    'platform-digests': JSON.stringify(platformDigests(manifest)),
    'auth-method': session.methodFor(ref.registry),
  });
}
