/** What `publish` will do, decided from the inputs and the run alone: every check before any side effect. */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { BuildRequest, CacheMode } from '../build/types.js';
import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';
import { buildTime, defaultLabels, mergeLabels, versionFromTags } from '../meta/labels.js';
import type { Reference } from '../registry/index.js';
import { attestationsFor } from './attestations.js';
import type { CacheChoice, Inputs } from './index.js';
import { parseKeyValues } from './key-values.js';
import { platformsInput } from './platform.js';
import { requireOneTagSource, targetInput } from './references.js';
import { buildSecrets } from './secrets.js';
import { refuseLatestWithTags, resolveTags } from './tags.js';

/** The `cache` input as the builders take it (build/cache.ts). */
const CACHE_MODES: Record<CacheChoice, CacheMode> = { true: 'default', registry: 'registry', false: 'off' };

/** A build request before the run adds what only it knows (a work folder, credentials, a cache source). */
export type PlannedBuild = Omit<BuildRequest, 'workDir' | 'credentials' | 'cacheFrom'>;

export interface PublishPlan {
  /** The repository to publish to (no tag). */
  image: Reference;
  build: PlannedBuild;
  /** Why nothing is pushed, when nothing is. */
  whyNotPushed: string | undefined;
}

/** 'image', else the repository the workflow runs for, on 'registry'. */
function imageToPublish(inputs: Inputs, context: RunContext): Reference {
  const given = inputs.image || (context.repository ? `${inputs.registry}/${context.repository}` : '');
  if (!given) {
    throw new ActionError(
      "Input 'image' is empty and GITHUB_REPOSITORY is not set.",
      `set 'image', e.g. ${inputs.registry}/OWNER/NAME.`,
    );
  }
  return targetInput(given, inputs.image ? 'image' : 'image (from GITHUB_REPOSITORY)', inputs.registry);
}

/**
 * A path a build reads must be inside the workspace or RUNNER_TEMP, links followed: a build sends its context
 * to the builder, and a builder's errors quote the Dockerfile, so nothing else of the runner's may be named.
 */
export function requireInside(path: string, input: string, context: RunContext): void {
  const real = realpathSync(path);
  const roots = [context.workspace, context.runnerTemp].map((root) =>
    existsSync(root) ? realpathSync(root) : root,
  );
  if (roots.some((root) => real === root || real.startsWith(`${root}${sep}`))) return;
  throw new ActionError(
    `Input '${input}' is '${path}', which is outside the workspace (${context.workspace}) and RUNNER_TEMP.`,
    `use a path inside the workspace (check out the repository first) or RUNNER_TEMP.`,
  );
}

/** The build context and Dockerfile must exist, unless a local image is published ('source'). */
function checkBuildFiles(inputs: Inputs, file: string, context: RunContext): void {
  if (inputs.source) return;
  if (!existsSync(inputs.context) || !statSync(inputs.context).isDirectory()) {
    throw new ActionError(
      `Input 'context' is '${inputs.context}', which is not a directory.`,
      "set 'context' to the folder to build (default '.'; check out the repository first).",
    );
  }
  const which = inputs.file ? "correct 'file'" : "add a Dockerfile to the context, or set 'file'";
  if (!existsSync(file)) {
    throw new ActionError(
      `The Dockerfile '${file}' does not exist.`,
      `${which}; to publish an image that already exists, set 'source'.`,
    );
  }
  if (!statSync(file).isFile()) {
    throw new ActionError(
      `The Dockerfile '${file}' is not a file.`,
      `${which}: it names the Dockerfile itself.`,
    );
  }
  requireInside(inputs.context, 'context', context);
  requireInside(file, inputs.file ? 'file' : 'context', context);
}

function whyNotPushed(inputs: Inputs, context: RunContext, push: boolean): string | undefined {
  if (push) return undefined;
  return inputs.push === 'auto'
    ? `this is a ${context.eventName} event and 'push: auto' does not push pull requests (set 'push: true' to override)`
    : "'push' is false";
}

/** The first tag the event gives (for a cache source only), or none when it gives none. */
function eventTag(image: Reference, context: RunContext): string | undefined {
  try {
    return resolveTags([], image, context, 'auto')[0];
  } catch {
    return undefined;
  }
}

/** `push: by-digest` writes no tag at all: a tag asked for would be silently dropped. */
function refuseTagsByDigest(named: Reference, inputs: Inputs): void {
  const given = [
    ...(named.tag ? [`the tag '${named.tag}' in 'image'`] : []),
    ...(inputs.tags.length ? [`'tags' (${inputs.tags.join(', ')})`] : []),
    ...(inputs.latest !== 'auto' ? [`'latest: ${inputs.latest}'`] : []),
  ];
  if (given.length === 0) return;
  throw new ActionError(
    `'push: by-digest' pushes the image with no tag, so ${given.join(' and ')} would not be written.`,
    "remove them here and give the tags to the step that merges the platforms ('command: merge'); or set 'push: true' to push with tags.",
  );
}

/** Build secrets, SSH and a network given with 'source' would be silently unused: nothing is built. */
function refuseUnusedBuildInputs(inputs: Inputs): void {
  if (!inputs.source) return;
  const given = (
    [
      ['secrets', inputs.secrets.length],
      ['secret-files', inputs.secretFiles.length],
      ['secret-envs', inputs.secretEnvs.length],
      ['ssh', inputs.ssh.length],
      ['network', inputs.network !== 'default'],
      ['provenance', inputs.provenance !== ''],
      ['sbom', inputs.sbom !== ''],
    ] as const
  ).filter(([, set]) => set);
  if (given.length === 0) return;
  const names = given.map(([name]) => `'${name}'`).join(', ');
  throw new ActionError(
    `Input 'source' publishes an existing image without building, so ${names} would not be used.`,
    `remove ${names}, or remove 'source' to build from the Dockerfile.`,
  );
}

/** Everything publish decides from the inputs alone; throws before any side effect. */
export function publishPlan(inputs: Inputs, context: RunContext): PublishPlan {
  const named = imageToPublish(inputs, context);
  const byDigest = inputs.push === 'by-digest';
  if (byDigest) refuseTagsByDigest(named, inputs);
  requireOneTagSource(named, inputs.tags);
  const image: Reference = { ...named, tag: undefined };
  const explicit = inputs.tags.length ? inputs.tags : named.tag ? [named.tag] : [];
  refuseLatestWithTags(explicit, inputs.latest, "remove 'tags' to tag from the event");
  const tags = byDigest ? [] : resolveTags(explicit, image, context, inputs.latest);
  const buildArgs = parseKeyValues(inputs.buildArgs, 'build-args');
  const labels = mergeLabels(
    defaultLabels(context, { version: versionFromTags(tags), created: buildTime(context) }),
    parseKeyValues(inputs.labels, 'labels'),
  );
  const platforms = platformsInput(inputs.platforms, 'platforms');
  const file = inputs.file || join(inputs.context, 'Dockerfile');
  checkBuildFiles(inputs, file, context);
  const push = inputs.push === 'auto' ? !context.isPullRequest : inputs.push !== 'false';
  refuseUnusedBuildInputs(inputs);
  const mounts = buildSecrets(inputs, (path, input) => requireInside(path, input, context));
  return {
    image,
    whyNotPushed: whyNotPushed(inputs, context, push),
    build: {
      context: inputs.context,
      file,
      target: inputs.target,
      buildArgs,
      labels,
      platforms,
      image,
      tags,
      push,
      byDigest,
      cacheTag: byDigest ? eventTag(image, context) : tags[0],
      cache: CACHE_MODES[inputs.cache],
      noCache: inputs.noCache,
      pull: inputs.pull,
      ...mounts,
      network: inputs.network,
      attestations: attestationsFor(inputs, context, push),
    },
  };
}
