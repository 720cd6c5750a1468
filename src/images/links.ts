/**
 * What every version of a package refers to, read from the registry before anything is deleted: an index's
 * children, and the OCI `subject` of a signature, attestation or other referrer.
 */
import {
  RegistryError,
  withDigest,
  type Manifest,
  type Reference,
  type RegistryClient,
} from '../registry/index.js';
import type { Links, PackageVersion } from './retention.js';

const PARALLEL = 4;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** The digest in a manifest's `subject`, when it has one. */
export function subjectDigest(manifest: Manifest): string | undefined {
  try {
    const body = JSON.parse(manifest.bytes.toString('utf8')) as { subject?: { digest?: unknown } };
    const digest = body.subject?.digest;
    return typeof digest === 'string' && DIGEST.test(digest) ? digest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads each version's manifest (by digest, PARALLEL at a time). A manifest the registry does not have (404)
 * makes its version unreadable (never deleted); any other failure stops the run before anything is deleted.
 */
export async function readLinks(
  client: RegistryClient,
  image: Reference,
  versions: PackageVersion[],
): Promise<Links> {
  const links: Links = { children: new Map(), subject: new Map(), unreadable: new Set() };
  let next = 0;
  const worker = async () => {
    while (next < versions.length) {
      const version = versions[next++] as PackageVersion;
      let manifest: Manifest;
      try {
        manifest = await client.getManifest(withDigest(image, version.digest));
      } catch (error) {
        if (error instanceof RegistryError && error.status === 404) {
          links.unreadable.add(version.digest);
          continue;
        }
        throw error;
      }
      if (manifest.kind === 'index')
        links.children.set(
          version.digest,
          manifest.index.manifests.map((m) => m.digest),
        );
      const subject = subjectDigest(manifest);
      if (subject) links.subject.set(version.digest, subject);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, versions.length) }, worker));
  return links;
}
