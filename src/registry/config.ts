/**
 * What a single-platform image is for: the platform its config names (os, architecture, variant), read whole
 * (small, bounded, verified), and whether that is the platform asked for, by the rule an index's entries are
 * picked by (platform.ts: selectPlatform).
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

/**
 * The platform an image config names; undefined when it names none (no os or no architecture). A config that is
 * not a JSON object, or whose os, architecture or variant is not a platform name, is an error that quotes none
 * of it.
 */
export function configPlatform(bytes: Buffer, what: string): Platform | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${what}: the image config is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${what}: the image config is not a JSON object`);
  const body = parsed as Record<string, unknown>;
  const part = (key: 'os' | 'architecture' | 'variant'): string | undefined => {
    const value = body[key];
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string' && PLATFORM_WORD.test(value)) return value;
    throw new Error(
      `${what}: invalid image config: ${key} is not a platform name (letters, digits, ., _ or -)`,
    );
  };
  const [os, architecture, variant] = [part('os'), part('architecture'), part('variant')];
  if (!os || !architecture) return undefined;
  return variant ? { os, architecture, variant } : { os, architecture };
}

/**
 * The platform a single-platform image's config names, or undefined when it names none or is not a container
 * image's config (an artifact's). The config is read whole: at most 4 MiB, and verified against its digest.
 */
export async function imagePlatform(
  client: RegistryClient,
  repo: Reference,
  image: ImageManifest,
): Promise<Platform | undefined> {
  if (!IMAGE_CONFIG_TYPES.has(image.config.mediaType)) return undefined;
  const bytes = await client.readBlob(repo, image.config);
  return configPlatform(bytes, `config ${repo.registry}/${repo.repository}@${image.config.digest}`);
}

/** Whether an image of platform `have` serves for `wanted`: selectPlatform's rule (arm64 without variant = v8). */
export function platformMatches(have: Platform, wanted: Platform): boolean {
  const entry: Descriptor = { mediaType: MediaType.ociManifest, digest: '', size: 0, platform: have };
  return selectPlatform({ schemaVersion: 2, manifests: [entry] }, wanted) !== undefined;
}
