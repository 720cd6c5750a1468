/**
 * Which manifests of a `docker save` archive's OCI layout to push when index.json names an index. With docker's
 * containerd image store the archive holds the image's index as pulled or built, but only the content that is
 * local: often one platform's image (and its attestation), the other platforms named and absent. The whole
 * index is pushed when all of it is there (its digest is then the local image ID); else the one image whose
 * content is all there, saying so; else nothing, with the fix.
 */
import { platformMatches } from './config.js';
import type { Descriptor, Manifest } from './manifests.js';
import { formatPlatform, type Platform } from './platform.js';
import { blobProblem, manifestTree, readManifest, type LayoutFiles } from './push-layout.js';

/** Buildx's attestation manifests (provenance, SBOM), which describe an image and are no image to run. */
const isAttestation = (d: Descriptor): boolean =>
  d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' || d.platform?.os === 'unknown';

const nameOf = (d: Descriptor): string => (d.platform ? formatPlatform(d.platform) : d.digest);

const SAVE_ONE = 'docker save --platform <os/arch> (docker 28 and later) saves one platform';

/** The index's images that are in the archive with all their blobs, attestations left out. */
function completeImages(files: LayoutFiles, index: Manifest): { d: Descriptor; m: Manifest }[] {
  if (index.kind !== 'index') return [];
  return index.index.manifests
    .filter((d) => !isAttestation(d) && files.blobSize(d.digest) !== undefined)
    .map((d) => ({ d, m: readManifest(files, d) }))
    .filter(({ m }) => m.kind === 'image' && !blobProblem(files, [m]));
}

/**
 * The manifests to push, children first: the image `root` itself; an index with all its content; or of an
 * index the image of `wanted`'s platform, or the only image whose content is all in the archive.
 */
export function selectImages(
  files: LayoutFiles,
  root: Manifest,
  wanted: Platform | undefined,
  log: (line: string) => void,
): Manifest[] {
  const tree = wanted === undefined || root.kind === 'image' ? wholeTree(files, root) : undefined;
  if (tree) return tree;
  if (root.kind === 'image') throw new Error(`${files.what}: ${blobProblem(files, [root]) ?? ''}`);
  const listed = root.kind === 'index' ? root.index.manifests.length : 0;
  const complete = completeImages(files, root);
  const matching = wanted
    ? complete.filter(({ d }) => d.platform && platformMatches(d.platform, wanted))
    : complete;
  const chosen = matching[0];
  const where = `${files.what}: the index ${root.digest} lists ${listed} manifests`;
  if (matching.length === 1 && chosen) {
    log(
      wanted
        ? `${where}: pushing the ${nameOf(chosen.d)} image ${chosen.d.digest} alone, as asked.`
        : `${where}, and only the ${nameOf(chosen.d)} image ${chosen.d.digest} has all its content in the archive: pushing that image alone (the index names content that is not there).`,
    );
    return [chosen.m];
  }
  const present = complete.length ? complete.map(({ d }) => nameOf(d)).join(', ') : 'none';
  if (wanted)
    throw new Error(
      `${where}, and ${matching.length} image(s) of platform ${formatPlatform(wanted)} with all their content in the archive (images with their content: ${present}); ${SAVE_ONE}`,
    );
  if (complete.length === 0)
    throw new Error(
      `${where}, none with all its blobs in the archive (docker's containerd image store saves only the content that is local): pull or build the image for this platform first, or ${SAVE_ONE}`,
    );
  throw new Error(
    `${where}, not all of it in the archive, and ${complete.length} images with all their content (${present}): name the platform to push, or ${SAVE_ONE}`,
  );
}

/** Every manifest under `root` when all of them and all their blobs are in the archive, else undefined. */
function wholeTree(files: LayoutFiles, root: Manifest): Manifest[] | undefined {
  if (root.kind === 'index' && root.index.manifests.some((d) => files.blobSize(d.digest) === undefined))
    return undefined;
  const descriptor = { mediaType: root.mediaType, digest: root.digest, size: root.bytes.length };
  const tree = root.kind === 'image' ? [root] : manifestTree(files, descriptor);
  return blobProblem(files, tree) ? undefined : tree;
}
