/**
 * command: pull — by tag, digest or latest, verified. The tag is resolved to a digest first and everything is
 * fetched by that digest, so a tag that moves meanwhile cannot slip another image in. Into the docker daemon
 * (default), or without any daemon to an OCI layout folder or a docker archive, through the registry client.
 */
import * as core from '@actions/core';
import { existsSync, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';
import type { Inputs } from '../inputs.js';
import {
  formatPlatform,
  formatReference,
  hostPlatform,
  layoutProblem,
  parsePlatform,
  platformsOf,
  repositoryOf,
  selectPlatform,
  toOciManifest,
  withDigest,
  withTag,
  writeDockerArchive,
  writeOciLayout,
  type Manifest,
  type Platform,
  type Reference,
  type RegistryClient,
} from '../registry/index.js';
import { writeOutputs } from '../report/outputs.js';
import { progressLogger } from '../report/progress.js';
import { writeSimpleSummary } from '../report/summary.js';
import { mustRunTool } from '../tool.js';
import { authenticate } from './authenticate.js';
import { imageInput, readManifest } from './references.js';
import { platformDigests } from './resolve.js';

type Destination =
  { kind: 'docker' } | { kind: 'oci-layout'; path: string } | { kind: 'docker-archive'; path: string };

/** The `destination` input, checked before anything is fetched or written. */
export function parseDestination(value: string): Destination {
  if (!value || value === 'docker' || value === 'docker-daemon') return { kind: 'docker' };
  const colon = value.indexOf(':');
  const kind = colon > 0 ? value.slice(0, colon) : '';
  const path = colon > 0 ? resolvePath(value.slice(colon + 1)) : '';
  if ((kind !== 'oci-layout' && kind !== 'docker-archive') || !value.slice(colon + 1)) {
    throw new ActionError(
      `Input 'destination' is '${value}', which is not a destination.`,
      "use 'docker' (the default: the local docker daemon), 'oci-layout:DIR' or 'docker-archive:FILE'.",
    );
  }
  if (kind === 'oci-layout') {
    const problem = layoutProblem(path);
    if (problem) {
      throw new ActionError(
        `Input 'destination' is '${value}', but ${path}: ${problem}.`,
        'name a new or empty folder, or an existing OCI layout to add to.',
      );
    }
    return { kind, path };
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new ActionError(
      `Input 'destination' is '${value}', but ${path} is a folder.`,
      'name a file for the archive, e.g. docker-archive:image.tar.',
    );
  }
  return { kind, path };
}

/** The image manifest for the platform (the manifest itself when it is not an index). */
async function forPlatform(
  client: RegistryClient,
  ref: Reference,
  root: Manifest,
  platform: Platform,
  asked: boolean,
): Promise<Manifest> {
  if (root.kind !== 'index') return root;
  const entry = selectPlatform(root.index, platform);
  if (!entry) {
    throw new ActionError(
      `${repositoryOf(ref)}@${root.digest} has no image for ${formatPlatform(platform)}${asked ? '' : " (the runner's platform)"}.`,
      `set 'platform' to one it has: ${platformsOf(root.index).join(', ') || 'none listed'}.`,
    );
  }
  return client.getManifest(withDigest({ ...ref, tag: undefined }, entry.digest));
}

function configDigest(image: Manifest): string {
  return image.kind === 'image' ? image.image.config.digest : '';
}

/** docker pull by digest, then check what the daemon holds is that image, then apply the asked-for tag. */
async function pullIntoDocker(
  ref: Reference,
  digest: string,
  image: Manifest,
  platform: Platform | undefined,
): Promise<string> {
  const byDigest = `${repositoryOf(ref)}@${digest}`;
  const args = ['pull', ...(platform ? ['--platform', formatPlatform(platform)] : []), byDigest];
  await mustRunTool(
    'docker',
    args,
    `docker pull ${byDigest}`,
    'read the output above; the digest was resolved and the credentials proven just before.',
  );
  const inspected = await mustRunTool(
    'docker',
    ['image', 'inspect', '--format', '{{.Id}} {{json .RepoDigests}}', byDigest],
    `docker image inspect ${byDigest}`,
    'run the job again.',
    { silent: true },
  );
  const [id = '', digestsJson = '[]'] = inspected.stdout.trim().split(' ');
  const repoDigests = JSON.parse(digestsJson) as string[];
  if (!repoDigests.includes(byDigest)) {
    throw new ActionError(
      `docker pulled ${byDigest}, but the image's repo digests are ${repoDigests.join(', ') || 'none'}.`,
      'run the job again; report it if it stays.',
    );
  }
  // The classic store names an image by its config digest; the containerd store by its manifest or index digest.
  if (configDigest(image) && ![configDigest(image), image.digest, digest].includes(id)) {
    throw new ActionError(
      `docker holds image ${id} for ${byDigest}, but the registry's manifest names config ${configDigest(image)}.`,
      'run the job again; report it if it stays.',
    );
  }
  if (ref.tag)
    await mustRunTool(
      'docker',
      ['tag', byDigest, `${repositoryOf(ref)}:${ref.tag}`],
      `docker tag ${byDigest}`,
      'run the job again.',
      { silent: true },
    );
  return id;
}

export async function pull(inputs: Inputs, context: RunContext): Promise<void> {
  let ref = imageInput(inputs.source || inputs.image, inputs.source ? 'source' : 'image', inputs.registry);
  if (!ref.tag && !ref.digest) ref = withTag(ref, 'latest');
  const destination = parseDestination(inputs.destination);
  const platform = inputs.platform ? parsePlatform(inputs.platform) : hostPlatform();
  const auth = await authenticate(inputs, context, { push: [], pull: [ref] });

  const root = await readManifest(auth.client, ref, inputs.source ? 'source' : 'image');
  core.info(
    `${ref.digest ? ref.digest : `${repositoryOf(ref)}:${ref.tag}`} resolves to ${root.digest}; pulling by that digest.`,
  );
  const image = await forPlatform(auth.client, ref, root, platform, inputs.platform !== '');
  const t = auth.client.transport(ref.registry);
  const imageId = await core.group(
    `Pull ${repositoryOf(ref)}@${root.digest} to ${destination.kind === 'docker' ? 'docker' : `${destination.kind}:${destination.path}`}`,
    async () => {
      if (destination.kind === 'docker') {
        return pullIntoDocker(
          ref,
          root.digest,
          image,
          root.kind === 'index' || inputs.platform ? platform : undefined,
        );
      }
      if (image.kind !== 'image')
        throw new ActionError(
          `${repositoryOf(ref)}@${image.digest} is not an image manifest.`,
          'pull an image or a multi-platform index of images.',
        );
      if (destination.kind === 'oci-layout') {
        const stored = toOciManifest(image);
        if (stored.digest !== image.digest) {
          core.info(
            `The Docker-format manifest is stored in OCI media types (as skopeo copy does), as ${stored.digest}; the blobs are the registry's.`,
          );
        }
        await writeOciLayout(t, ref.repository, destination.path, {
          root: stored,
          images: [stored],
          refName: ref.tag ?? image.digest,
          onProgress: progressLogger('Pull'),
        });
      } else {
        await writeDockerArchive(
          t,
          ref.repository,
          destination.path,
          image.image,
          ref.tag ? `${repositoryOf(ref)}:${ref.tag}` : undefined,
        );
      }
      return configDigest(image);
    },
  );
  core.info(
    `Pulled ${image.digest}${image.digest !== root.digest ? ` (${formatPlatform(platform)} of ${root.digest})` : ''}, verified.`,
  );
  await writeSimpleSummary(`Pulled ${repositoryOf(ref)}@${root.digest}`, [
    ['Asked for', `<code>${formatReference(ref)}</code>`],
    [
      'Digest',
      `<code>${root.digest}</code>${image.digest !== root.digest ? ` (${formatPlatform(platform)}: <code>${image.digest}</code>)` : ''}`,
    ],
    ['Image ID', `<code>${imageId}</code>`],
    ['Into', destination.kind === 'docker' ? 'the docker daemon' : `${destination.kind}:${destination.path}`],
  ]);
  writeOutputs({
    digest: root.digest,
    'image-id': imageId,
    image: repositoryOf(ref),
    ref: `${repositoryOf(ref)}@${root.digest}`,
    'platform-digests': JSON.stringify(platformDigests(root)),
    'auth-method': auth.method,
  });
}
