/**
 * Strict checks of what a manifest says before anything uses it: every descriptor's media type, digest and
 * size, platforms, and a cap on entries. A digest becomes a file path and a URL path, a platform a log line:
 * nothing from the network is used unchecked. Errors say where in the manifest, never echo much of it.
 */
import type { Descriptor, ImageManifest, IndexManifest } from './manifests.js';
import type { Platform } from './platform.js';
import { isMediaType, printable } from './text.js';

/** The most layers of an image, or manifests of an index, accepted (the fan-out of one manifest). */
export const MAX_ENTRIES = 1000;

const DIGEST = /^(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;
const PLATFORM_WORD = /^[A-Za-z0-9._-]{1,64}$/;

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}

/** A registry's Docker-Content-Digest header: undefined when absent; an error when it is not a digest. */
export function announcedDigest(response: Response, what: string): string | undefined {
  const value = response.headers.get('docker-content-digest');
  if (value === null) return undefined;
  if (!isDigest(value)) {
    throw new Error(
      `${what}: the registry's Docker-Content-Digest is not a digest ('${printable(value, 80)}')`,
    );
  }
  return value;
}

class Checker {
  constructor(private readonly what: string) {}

  fail(where: string, why: string): never {
    throw new Error(`${this.what}: invalid manifest: ${where} ${why}`);
  }

  object(value: unknown, where: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(where, 'is not an object');
    return value as Record<string, unknown>;
  }

  platform(value: unknown, where: string): Platform {
    const p = this.object(value, where);
    for (const key of ['os', 'architecture', 'variant'] as const) {
      const word = p[key];
      if (
        (key !== 'variant' || word !== undefined) &&
        !(typeof word === 'string' && PLATFORM_WORD.test(word))
      )
        this.fail(`${where}.${key}`, 'is not a platform name (letters, digits, ., _ or -)');
    }
    const version = p['os.version'];
    if (version !== undefined && !(typeof version === 'string' && PLATFORM_WORD.test(version)))
      this.fail(`${where}.os.version`, 'is not a version');
    return p as unknown as Platform;
  }

  descriptor(value: unknown, where: string): Descriptor {
    const d = this.object(value, where);
    if (!isMediaType(d.mediaType)) this.fail(`${where}.mediaType`, 'is not a media type');
    if (!isDigest(d.digest))
      this.fail(
        `${where}.digest`,
        `is not a digest ('${printable(String(d.digest), 80)}'); a digest is sha256: and 64 lowercase hex characters`,
      );
    if (!(typeof d.size === 'number' && Number.isSafeInteger(d.size) && d.size >= 0))
      this.fail(`${where}.size`, 'is not a size in bytes');
    if (d.urls !== undefined && !(Array.isArray(d.urls) && d.urls.every((u) => typeof u === 'string')))
      this.fail(`${where}.urls`, 'is not a list of URLs');
    if (d.platform !== undefined) this.platform(d.platform, `${where}.platform`);
    if (d.annotations !== undefined) this.object(d.annotations, `${where}.annotations`);
    return d as unknown as Descriptor;
  }

  entries(value: unknown, where: string): Descriptor[] {
    if (!Array.isArray(value)) this.fail(where, 'is not a list');
    if (value.length > MAX_ENTRIES)
      this.fail(where, `has ${value.length} entries, more than the ${MAX_ENTRIES} accepted`);
    return value.map((entry, i) => this.descriptor(entry, `${where}[${i}]`));
  }

  schema(body: Record<string, unknown>): void {
    if (body.schemaVersion !== 2) this.fail('schemaVersion', 'is not 2 (Docker schema 2 or OCI)');
    if (body.subject !== undefined) this.descriptor(body.subject, 'subject');
    if (body.annotations !== undefined) this.object(body.annotations, 'annotations');
  }
}

/** An image manifest's content, checked: config and layers are valid descriptors, at most MAX_ENTRIES layers. */
export function checkImage(body: unknown, what: string): ImageManifest {
  const check = new Checker(what);
  const image = check.object(body, 'the manifest');
  check.schema(image);
  check.descriptor(image.config, 'config');
  check.entries(image.layers, 'layers');
  return image as unknown as ImageManifest;
}

/** An index's content, checked: every entry a valid descriptor, at most MAX_ENTRIES of them. */
export function checkIndex(body: unknown, what: string): IndexManifest {
  const check = new Checker(what);
  const index = check.object(body, 'the index');
  check.schema(index);
  check.entries(index.manifests, 'manifests');
  return index as unknown as IndexManifest;
}
