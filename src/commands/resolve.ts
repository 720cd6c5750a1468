import * as core from '@actions/core';
import type { RunContext } from '../context.js';
import type { Inputs } from '../inputs.js';
import { formatReference, platformsOf, repositoryOf, withTag, type Manifest } from '../registry/index.js';
import { writeOutputs } from '../report/outputs.js';
import { authenticate } from './authenticate.js';
import { imageInput, readManifest } from './references.js';

/** `platform -> digest` of an index's images, as the `platform-digests` output. */
export function platformDigests(manifest: Manifest): Record<string, string> {
  if (manifest.kind !== 'index') return {};
  const names = platformsOf(manifest.index);
  const entries = manifest.index.manifests.filter((d) => d.platform && d.platform.os !== 'unknown');
  return Object.fromEntries(entries.map((d, i) => [names[i] ?? '', d.digest]));
}

/** command: resolve — a tag to its verified digest, without pulling anything. */
export async function resolve(inputs: Inputs, context: RunContext): Promise<void> {
  let ref = imageInput(inputs.source || inputs.image, inputs.source ? 'source' : 'image', inputs.registry);
  if (!ref.tag && !ref.digest) ref = withTag(ref, 'latest');
  const auth = await authenticate(inputs, context, { push: [], pull: [ref] });
  const manifest = await core.group(`Resolve ${formatReference(ref)}`, async () => {
    const found = await readManifest(auth.client, ref, inputs.source ? 'source' : 'image');
    core.info(`${formatReference(ref)} is ${found.digest} (${found.mediaType}), verified from its bytes.`);
    return found;
  });
  writeOutputs({
    digest: manifest.digest,
    image: repositoryOf(ref),
    ref: `${repositoryOf(ref)}@${manifest.digest}`,
    'platform-digests': JSON.stringify(platformDigests(manifest)),
    'auth-method': auth.method,
  });
}
