/** docker buildx (GitHub-hosted runners): one build pushes every tag, several platforms, its cache, attestations. */
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError } from '../errors.js';
import { repositoryOf } from '../registry/index.js';
import { buildxInspect, dockerBuild } from '../docker/cli.js';
import { imageArgs } from './args.js';
import { buildxCacheArgs } from './cache.js';
import { exportDockerImage, exportedResult } from './export.js';
import { networkArgs, withMounts } from './secrets.js';
import type { BuildRequest, BuildResult, Builder } from './types.js';

export interface BuildxFiles {
  iidFile: string;
  metadataFile: string;
}

/** The driver of the current buildx builder, from `docker buildx inspect` ('' when it does not say). */
export function parseBuildxDriver(inspectOutput: string): string {
  return /^Driver:\s*(\S+)/m.exec(inspectOutput)?.[1] ?? '';
}

/**
 * The `docker buildx build` argv for a request (no secret ever goes here: `mounts` names secret files only). The
 * `docker` driver (a runner's default builder without docker/setup-buildx-action) exports no cache but an inline
 * one and makes no attestations, so build/cache.ts and `attestationArgs` leave those out there.
 */
export function buildxArgs(
  request: BuildRequest,
  files: BuildxFiles,
  driver = 'docker-container',
  mounts: string[] = [],
): string[] {
  const args = [
    'buildx',
    'build',
    '--file',
    request.file,
    '--iidfile',
    files.iidFile,
    '--metadata-file',
    files.metadataFile,
    ...imageArgs(request),
  ];
  if (request.platforms.length) args.push('--platform', request.platforms.join(','));
  args.push(...buildxCacheArgs(request, driver), ...attestationArgs(request, driver));
  if (request.noCache) args.push('--no-cache');
  if (request.pull) args.push('--pull');
  // Several platforms cannot be loaded into the local image store: without push they stay in the build cache.
  // By digest: pushed under the repository's name with no tag (`request.tags` is empty then).
  const upload = uploadsItself(request, driver);
  if (request.push && request.byDigest && !upload) args.push('--output', byDigestOutput(request));
  else if (request.push && !request.byDigest) args.push('--push');
  else if (request.platforms.length <= 1) args.push('--load');
  args.push(...networkArgs(request), ...mounts);
  // '--' ends the options: a context folder named like a flag (--output=...) stays a folder.
  args.push('--', request.context);
  return args;
}

/**
 * A by-digest push on the `docker` driver: that driver pushes through the daemon, by tag only (an image name
 * without a tag would be pushed as `:latest`), so the image is loaded and the action uploads it by digest itself,
 * as for the docker builder (build/export.ts).
 */
export function uploadsItself(request: BuildRequest, driver: string): boolean {
  return request.push && request.byDigest && driver === 'docker';
}

/**
 * --provenance and --sbom. Attestations travel only with a push (a loaded image cannot carry them), and the
 * default provenance is left out on the docker driver, which cannot make it; a value given is passed on as is.
 * Without a push, buildx's own default (provenance on) is no matter: nothing leaves the runner.
 */
export function attestationArgs(request: BuildRequest, driver: string): string[] {
  if (!request.push || uploadsItself(request, driver)) return [];
  const { provenance, sbom } = request.attestations;
  const args: string[] = [];
  if (provenance && !(provenance.auto && driver === 'docker')) args.push(`--provenance=${provenance.value}`);
  if (sbom) args.push(`--sbom=${sbom.value}`);
  return args;
}

/** The image exporter pushing by digest only: no tag, the canonical name@digest in the metadata. */
export function byDigestOutput(request: BuildRequest): string {
  return `type=image,name=${repositoryOf(request.image)},push-by-digest=true,name-canonical=true,push=true`;
}

/** What a `--metadata-file` says: the pushed manifest (or index) digest and the image config digest. */
export interface BuildxMetadata {
  digest: string | undefined;
  configDigest: string | undefined;
  names: string[];
  raw: Record<string, unknown>;
}

export function parseBuildxMetadata(text: string): BuildxMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ActionError(
      'buildx wrote a metadata file that is not a JSON object.',
      'update docker buildx (0.10 or later).',
    );
  }
  const raw = parsed as Record<string, unknown>;
  const string = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : undefined);
  const descriptor = raw['containerimage.descriptor'] as { digest?: unknown } | undefined;
  const digest =
    string('containerimage.digest') ??
    (typeof descriptor?.digest === 'string' ? descriptor.digest : undefined);
  return {
    digest,
    configDigest: string('containerimage.config.digest'),
    names: (string('image.name') ?? '').split(',').filter(Boolean),
    raw,
  };
}

/** What the docker driver leaves out of this build, said once. */
function reportDockerDriverLimits(request: BuildRequest): void {
  const left: string[] = [];
  if (request.cache === 'default' && !request.noCache) left.push('the GitHub Actions cache');
  if (request.cache === 'registry' && !request.noCache)
    left.push("a registry cache beside the image (the image's inline cache is used instead)");
  const { provenance, sbom } = request.attestations;
  if (request.push && provenance?.auto) left.push('the default provenance attestation');
  if (uploadsItself(request, 'docker') && ((provenance && !provenance.auto) || sbom))
    left.push("the attestations asked for (a by-digest push is the action's own upload here)");
  if (left.length === 0) return;
  core.info(
    `buildx uses the docker driver, which cannot export a cache or make attestations: building without ${left.join(' and ')} (add docker/setup-buildx-action to have them).`,
  );
}

export const buildxBuilder: Builder = {
  name: 'buildx',
  multiPlatform: true,
  async build(request: BuildRequest): Promise<BuildResult> {
    const driver = parseBuildxDriver(await buildxInspect());
    if (driver === 'docker') {
      if (request.platforms.length > 1) {
        throw new ActionError(
          `Input 'platforms' lists ${request.platforms.length} platforms, but the current buildx builder uses the docker driver, which builds one platform.`,
          'add docker/setup-buildx-action (and docker/setup-qemu-action for other architectures) before this step.',
        );
      }
      reportDockerDriverLimits(request);
    }
    const { provenance, sbom } = request.attestations;
    if (!request.push && ((provenance && !provenance.auto) || sbom))
      core.info(
        "'provenance' and 'sbom' are left out: nothing is pushed, and a loaded image cannot carry attestations.",
      );
    const files = {
      iidFile: join(request.workDir, 'buildx.iid'),
      metadataFile: join(request.workDir, 'buildx-metadata.json'),
    };
    await withMounts(request, (mounts) =>
      dockerBuild(buildxArgs(request, files, driver, mounts), 'docker buildx build'),
    );
    const metadata = parseBuildxMetadata(readFileSync(files.metadataFile, 'utf8'));
    const iid = readFileSync(files.iidFile, 'utf8').trim();
    const details = { metadata: metadata.raw, driver };
    if (uploadsItself(request, driver))
      return exportedResult(iid, await exportDockerImage(iid, request.workDir), details);
    return {
      imageId: metadata.configDigest ?? iid,
      pushedTags: request.push ? [...request.tags] : [],
      // By digest, only the digest buildx reports names what it pushed (the iid is a config or index digest).
      reportedDigest: !request.push
        ? undefined
        : request.byDigest
          ? metadata.digest
          : (metadata.digest ?? iid),
      details,
    };
  },
};
