/**
 * What a single-platform image is: the platform its config names (os, architecture, variant, os.version) and its
 * labels, read whole (small, bounded, verified), and whether that is the platform asked for, by the rule an
 * index's entries are picked by (platform.ts: selectPlatform).
 */
import type { RegistryClient } from './client.js';
import { MediaType, type Descriptor, type ImageManifest } from './manifests.js';
import { selectPlatform, type Platform } from './platform.js';
import type { Reference } from './reference.js';

/** The config media types of container images; any other config (an artifact's) names no platform. */
const IMAGE_CONFIG_TYPES = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);

/** A part of a platform as a config may write it (checked before it reaches a log line or an error). */
const PLATFORM_WORD = /^[A-Za-z0-9._-]{1,64}$/;

/** An image config as a JSON object; an error that quotes none of it when it is not one. */
function configObject(bytes: Buffer, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${what}: the image config is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${what}: the image config is not a JSON object`);
  return parsed as Record<string, unknown>;
}

/** The platform of a parsed config (os.version kept when the config names one, as Windows images do). */
function platformOf(body: Record<string, unknown>, what: string): Platform | undefined {
  const part = (key: 'os' | 'architecture' | 'variant' | 'os.version'): string | undefined => {
    const value = body[key];
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string' && PLATFORM_WORD.test(value)) return value;
    throw new Error(
      `${what}: invalid image config: ${key} is not a platform name (letters, digits, ., _ or -)`,
    );
  };
  const [os, architecture, variant, version] = [
    part('os'),
    part('architecture'),
    part('variant'),
    part('os.version'),
  ];
  if (!os || !architecture) return undefined;
  const platform: Platform = variant ? { os, architecture, variant } : { os, architecture };
  if (version) platform['os.version'] = version;
  return platform;
}

/**
 * The platform an image config names; undefined when it names none (no os or no architecture). A config that is
 * not a JSON object, or whose os, architecture, variant or os.version is not a platform name, is an error that
 * quotes none of it.
 */
export function configPlatform(bytes: Buffer, what: string): Platform | undefined {
  return platformOf(configObject(bytes, what), what);
}

/** What an image config says of itself: its platform (if it names one) and its string labels. */
export interface ConfigFacts {
  platform: Platform | undefined;
  labels: Record<string, string>;
}

/** The platform and the labels (`config.Labels`, string values only) of an image config. */
export function configFacts(bytes: Buffer, what: string): ConfigFacts {
  const body = configObject(bytes, what);
  const inner = body.config;
  const given =
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? (inner as Record<string, unknown>).Labels
      : undefined;
  const labels: Record<string, string> = {};
  if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
    for (const [key, value] of Object.entries(given)) if (typeof value === 'string') labels[key] = value;
  }
  return { platform: platformOf(body, what), labels };
}

/**
 * What a single-platform image's config says (platform and labels), or undefined when the config is not a
 * container image's (an artifact's). The config is read whole: at most 4 MiB, and verified against its digest.
 */
export async function imageConfig(
  client: RegistryClient,
  repo: Reference,
  image: ImageManifest,
): Promise<ConfigFacts | undefined> {
  if (!IMAGE_CONFIG_TYPES.has(image.config.mediaType)) return undefined;
  const bytes = await client.readBlob(repo, image.config);
  return configFacts(bytes, `config ${repo.registry}/${repo.repository}@${image.config.digest}`);
}

/**
 * The platform a single-platform image's config names, or undefined when it names none or is not a container
 * image's config (an artifact's).
 */
export async function imagePlatform(
  client: RegistryClient,
  repo: Reference,
  image: ImageManifest,
): Promise<Platform | undefined> {
  return (await imageConfig(client, repo, image))?.platform;
}

/** Whether an image of platform `have` serves for `wanted`: selectPlatform's rule (arm64 without variant = v8). */
export function platformMatches(have: Platform, wanted: Platform): boolean {
  const entry: Descriptor = { mediaType: MediaType.ociManifest, digest: '', size: 0, platform: have };
  return selectPlatform({ schemaVersion: 2, manifests: [entry] }, wanted) !== undefined;
}
