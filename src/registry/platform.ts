/** Platforms (os/architecture[/variant]): parsing, the host's, and picking an index's entries by platform. */
import type { Descriptor, IndexManifest, Manifest } from './manifests.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** One part of a platform: lower-case letters, digits, '.', '_' or '-' (as OCI platforms are written). */
const PART = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** 'linux/arm64/v8' -> {os, architecture, variant}. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().split('/');
  const [os, architecture, variant, ...rest] = parts;
  if (!os || !architecture || rest.length || !parts.every((part) => PART.test(part))) {
    throw new Error(
      `Invalid platform '${text}': write it as os/architecture[/variant] in lower-case letters, digits, '.', '_' or '-', e.g. linux/amd64 or linux/arm64/v8`,
    );
  }
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** The platform Node runs on, in OCI terms. */
export function hostPlatform(): Platform {
  const architectures: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    s390x: 's390x',
    ppc64: 'ppc64le',
  };
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  return { os, architecture: architectures[process.arch] ?? process.arch };
}

const DEFAULT_VARIANTS: Record<string, string> = { arm64: 'v8' };

/** A platform's variant, or its architecture's default one when it names none (arm64 without variant is v8). */
export function variantOf(platform: Platform): string | undefined {
  return platform.variant ?? DEFAULT_VARIANTS[platform.architecture];
}

/** The index entry for a platform; variant must match when asked for (arm64 without variant means v8). */
export function selectPlatform(index: IndexManifest, wanted: Platform): Descriptor | undefined {
  return index.manifests.find(
    (d) =>
      d.platform &&
      d.platform.os === wanted.os &&
      d.platform.architecture === wanted.architecture &&
      (wanted.variant === undefined || variantOf(d.platform) === variantOf(wanted)),
  );
}

/** The platforms an index offers (attestation entries, with os 'unknown', left out). */
export function platformsOf(index: IndexManifest): string[] {
  return index.manifests
    .filter((d) => d.platform && d.platform.os !== 'unknown')
    .map((d) => formatPlatform(d.platform as Platform));
}

/** `platform -> digest` of an index's images (attestation entries, with os 'unknown', left out); {} for an image. */
export function platformDigests(manifest: Manifest): Record<string, string> {
  if (manifest.kind !== 'index') return {};
  const names = platformsOf(manifest.index);
  const entries = manifest.index.manifests.filter((d) => d.platform && d.platform.os !== 'unknown');
  return Object.fromEntries(entries.map((d, i) => [names[i] ?? '', d.digest]));
}
