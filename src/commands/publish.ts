/**
 * command: publish — build (or take a local image), push once, tag the rest in the registry, verify every
 * tag, and report verified digests. Every input is checked and push rights are proven before the build.
 */
import * as core from '@actions/core';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishLocalImage } from '../build/docker.js';
import { selectBuilder } from '../build/select.js';
import type { BuildRequest, BuildResult } from '../build/types.js';
import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';
import type { Inputs } from '../inputs.js';
import { defaultLabels, mergeLabels, parseKeyValues, versionFromTags } from '../meta/labels.js';
import { resolveTags } from '../meta/tags.js';
import {
  RegistryError,
  parsePlatform,
  repositoryOf,
  withTag,
  type Reference,
  type RegistryClient,
} from '../registry/index.js';
import { writeOutputs } from '../report/outputs.js';
import { writePublishSummary } from '../report/summary.js';
import { authenticate } from './authenticate.js';
import { imageInput, requireOnRegistry } from './references.js';
import { platformDigests } from './resolve.js';

/**
 * The image's creation time: SOURCE_DATE_EPOCH when set, else the pushed commit's time, else now. A time fixed
 * by the commit lets an unchanged rebuild give the same image, digest included.
 */
function buildTime(context: RunContext): Date {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  if (process.env.SOURCE_DATE_EPOCH && Number.isFinite(epoch)) return new Date(epoch * 1000);
  const commit = context.payload.head_commit as { timestamp?: unknown } | undefined;
  const time = typeof commit?.timestamp === 'string' ? new Date(commit.timestamp) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : new Date();
}

interface Plan {
  image: Reference;
  request: BuildRequest;
  whyNotPushed: string | undefined;
}

/** Everything decided from the inputs alone; throws before any side effect. */
function plan(inputs: Inputs, context: RunContext): Plan {
  const given = inputs.image || (context.repository ? `${inputs.registry}/${context.repository}` : '');
  if (!given) {
    throw new ActionError(
      "Input 'image' is empty and GITHUB_REPOSITORY is not set.",
      `set 'image', e.g. ${inputs.registry}/OWNER/NAME.`,
    );
  }
  const parsed = imageInput(
    given,
    inputs.image ? 'image' : 'image (from GITHUB_REPOSITORY)',
    inputs.registry,
  );
  if (parsed.digest)
    throw new ActionError(
      `Input 'image' (${inputs.image}) names a digest.`,
      "give 'image' without a digest; put tags in 'tags'.",
    );
  const image: Reference = { ...parsed, tag: undefined };
  requireOnRegistry(image, 'image', inputs.registry);
  const tags = resolveTags(inputs.tags.length ? inputs.tags : parsed.tag ? [parsed.tag] : [], image, context);
  const buildArgs = parseKeyValues(inputs.buildArgs, 'build-args');
  const labels = mergeLabels(
    defaultLabels(context, { version: versionFromTags(tags), created: buildTime(context) }),
    parseKeyValues(inputs.labels, 'labels'),
  );
  for (const platform of inputs.platforms) parsePlatform(platform);
  const file = inputs.file || join(inputs.context, 'Dockerfile');
  if (!inputs.source) {
    if (!existsSync(inputs.context) || !statSync(inputs.context).isDirectory()) {
      throw new ActionError(
        `Input 'context' is '${inputs.context}', which is not a directory.`,
        "set 'context' to the folder to build (default '.'; check out the repository first).",
      );
    }
    if (!existsSync(file)) {
      throw new ActionError(
        `The Dockerfile '${file}' does not exist.`,
        `${inputs.file ? "correct 'file'" : "add a Dockerfile to the context, or set 'file'"}; to publish an image that already exists, set 'source'.`,
      );
    }
  }
  const push = inputs.push === 'auto' ? !context.isPullRequest : inputs.push === 'true';
  const whyNotPushed = push
    ? undefined
    : inputs.push === 'auto'
      ? `this is a ${context.eventName} event and 'push: auto' does not push pull requests (set 'push: true' to override)`
      : "'push' is false";
  const workDir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'ghcr-image-'));
  return {
    image,
    whyNotPushed,
    request: {
      context: inputs.context,
      file,
      target: inputs.target,
      buildArgs,
      labels,
      platforms: inputs.platforms,
      image,
      tags,
      push,
      cache: inputs.cache,
      noCache: inputs.noCache,
      pull: inputs.pull,
      cacheFrom: undefined,
      credentials: undefined,
      workDir,
    },
  };
}

/** Whether the repository has no tag yet (a new package), for the summary's visibility note. */
async function isNewRepository(client: RegistryClient, image: Reference): Promise<boolean> {
  try {
    return (await client.listTags(image)).length === 0;
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) return true;
    core.debug(`Could not list the tags of ${repositoryOf(image)}: ${String(error)}`);
    return false;
  }
}

/** Makes the other tags with manifest PUTs (no upload), then reads every tag back: all must be one digest. */
export async function tagAndVerify(
  client: RegistryClient,
  image: Reference,
  result: BuildResult,
  tags: string[],
) {
  const first = result.pushedTags[0] ?? tags[0] ?? 'latest';
  const manifest = await client.getManifest(withTag(image, first));
  if (result.reportedDigest && result.reportedDigest !== manifest.digest) {
    throw new ActionError(
      `The builder reported ${result.reportedDigest} for ${repositoryOf(image)}:${first}, but the registry holds ${manifest.digest}.`,
      'another push to that tag ran at the same time; run the job again.',
    );
  }
  for (const tag of tags.filter((t) => !result.pushedTags.includes(t))) {
    await client.putManifest(withTag(image, tag), manifest);
    core.info(`Tagged ${repositoryOf(image)}:${tag} in the registry (manifest PUT, nothing uploaded).`);
  }
  for (const tag of tags) {
    const stored = await client.getManifest(withTag(image, tag));
    if (stored.digest !== manifest.digest) {
      throw new ActionError(
        `${repositoryOf(image)}:${tag} resolves to ${stored.digest}, not the published ${manifest.digest}.`,
        'something else pushed that tag meanwhile; run the job again.',
      );
    }
  }
  core.info(`Verified: all ${tags.length} tags resolve to ${manifest.digest}.`);
  return manifest;
}

export async function publish(inputs: Inputs, context: RunContext): Promise<void> {
  const planned = plan(inputs, context);
  try {
    await publishPlanned(planned, inputs, context);
  } finally {
    rmSync(planned.request.workDir, { recursive: true, force: true });
  }
}

async function publishPlanned(
  { image, request, whyNotPushed }: Plan,
  inputs: Inputs,
  context: RunContext,
): Promise<void> {
  const repository = repositoryOf(image);
  const { builder, why } = inputs.source
    ? { builder: undefined, why: `'source' names a local image (${inputs.source})` }
    : await selectBuilder(inputs.builder, inputs.platforms);
  core.info(builder ? `Builder: ${builder.name} (${why}).` : `No build: ${why}.`);

  const auth = await authenticate(inputs, context, { push: request.push ? [image] : [], pull: [] });
  const newPackage = request.push && (await isNewRepository(auth.client, image));
  const first = request.tags[0];
  if (
    request.push &&
    builder?.name === 'docker' &&
    first &&
    (await auth.client.headManifest(withTag(image, first)))
  ) {
    request.cacheFrom = `${repository}:${first}`;
  }
  request.credentials = auth.credentials;

  const result = await core.group(builder ? `Build with ${builder.name}` : `Tag ${inputs.source}`, () =>
    builder ? builder.build(request) : publishLocalImage(inputs.source, request),
  );
  const tags = request.tags.map((tag) => `${repository}:${tag}`);
  let digest: string | undefined;
  let platforms: Record<string, string> = {};
  if (request.push) {
    const manifest = await core.group('Tag in the registry and verify', () =>
      tagAndVerify(auth.client, image, result, request.tags),
    );
    digest = manifest.digest;
    platforms = platformDigests(manifest);
  } else {
    core.info(`Built ${result.imageId}; no digest exists because nothing was pushed: ${whyNotPushed}.`);
  }
  const server = new URL(context.serverUrl).host;
  const githubRegistry = image.registry === 'ghcr.io' || image.registry === `containers.${server}`;
  const packageUrl =
    githubRegistry && context.repository
      ? `${context.serverUrl}/${context.repository}/pkgs/container/${encodeURIComponent(image.repository.split('/').slice(1).join('/'))}`
      : undefined;
  const metadata = {
    image: repository,
    tags,
    digest: digest ?? null,
    imageId: result.imageId,
    pushed: request.push,
    builder: builder?.name ?? 'source',
    builderReason: why,
    labels: request.labels,
    platformDigests: platforms,
    authMethod: auth.method,
    details: result.details,
  };
  writeOutputs({
    digest,
    'image-id': result.imageId,
    image: repository,
    tags: tags.join('\n'),
    ref: digest ? `${repository}@${digest}` : undefined,
    'platform-digests': JSON.stringify(platforms),
    metadata: JSON.stringify(metadata),
    'auth-method': auth.method,
  });
  await writePublishSummary({
    image: repository,
    tags,
    digest,
    imageId: result.imageId,
    builder: builder ? `${builder.name} (${why})` : `none: ${why}`,
    authMethod: auth.method,
    pushed: request.push,
    whyNotPushed,
    platformDigests: platforms,
    packageUrl,
    newPackage,
  });
}
