/**
 * Archives shaped like what `docker save` of docker 25 and later writes (synthesized from the documented
 * layout: no such docker here): an OCI image layout (oci-layout, index.json, blobs/sha256/<hex>) plus the
 * manifest.json of older dockers whose Config and Layers name blob paths. With the classic store the layers are
 * uncompressed tars (media type ...layer.v1.tar); with the containerd store they are the image's compressed
 * layers and index.json may name an index of platforms only some of whose content is in the archive.
 */
import { sha256 } from '../../src/registry/digest.js';
import type { Descriptor } from '../../src/registry/manifests.js';
import type { Platform } from '../../src/registry/platform.js';
import { tarEntry } from './tar.js';

export const OCI_TAR = 'application/vnd.oci.image.layer.v1.tar';
export const OCI_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

export const describeBlob = (mediaType: string, bytes: Buffer): Descriptor => ({
  mediaType,
  digest: sha256(bytes),
  size: bytes.length,
});

export interface SavedOci {
  config: Buffer;
  manifest: Buffer;
  descriptor: Descriptor;
  /** Every blob of the image (config and layers as stored), by digest. */
  blobs: Map<string, Buffer>;
}

/**
 * An OCI image: `layers` as stored (media type `layerType`), the config's diff_ids those of `uncompressed`
 * (default: the layers themselves).
 */
export function ociImage(
  layers: Buffer[],
  layerType: string,
  uncompressed: Buffer[] = layers,
  platform: Platform = { os: 'linux', architecture: 'amd64' },
): SavedOci {
  const config = Buffer.from(
    JSON.stringify({
      ...platform,
      config: { Env: ['PATH=/bin'] },
      rootfs: { type: 'layers', diff_ids: uncompressed.map((l) => sha256(l)) },
    }),
  );
  return ociImageOf(config, layers, layerType, platform);
}

/** An OCI image of a given config and layers (as stored, media type `layerType`). */
export function ociImageOf(
  config: Buffer,
  layers: Buffer[],
  layerType: string,
  platform: Platform = { os: 'linux', architecture: 'amd64' },
): SavedOci {
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: describeBlob('application/vnd.oci.image.config.v1+json', config),
      layers: layers.map((l) => describeBlob(layerType, l)),
    }),
  );
  const blobs = new Map([config, ...layers].map((b) => [sha256(b), b]));
  return { config, manifest, descriptor: { ...describeBlob(OCI_MANIFEST, manifest), platform }, blobs };
}

/** An OCI index over images' descriptors. */
export function ociIndex(manifests: Descriptor[]): { bytes: Buffer; descriptor: Descriptor } {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
  return { bytes, descriptor: describeBlob(OCI_INDEX, bytes) };
}

/** A blob, or other bytes under a blob's name (a corrupt archive). */
export type BlobEntry = Buffer | { digest: string; bytes: Buffer };

const blobEntry = (blob: BlobEntry) =>
  Buffer.isBuffer(blob)
    ? tarEntry(`blobs/sha256/${sha256(blob).slice(7)}`, blob)
    : tarEntry(`blobs/sha256/${blob.digest.slice(7)}`, blob.bytes);

/**
 * The archive: every blob given (each once), index.json naming `root` as `repoTag`, oci-layout, and a
 * manifest.json for `image` (Config and Layers as blob paths, the first layer also reached through a legacy
 * <id>/layer.tar symlink as docker 25 leaves them).
 */
export function savedArchive(
  blobs: BlobEntry[],
  root: Descriptor,
  image: SavedOci,
  repoTag = 'app:1',
): Buffer {
  const unique = new Map(blobs.map((b) => [Buffer.isBuffer(b) ? sha256(b) : b.digest, b]));
  const layerDigests = (JSON.parse(image.manifest.toString()) as { layers: Descriptor[] }).layers.map(
    (l) => l.digest,
  );
  const path = (digest: string) => `blobs/sha256/${digest.slice(7)}`;
  const manifestJson = [
    { Config: path(sha256(image.config)), RepoTags: [repoTag], Layers: layerDigests.map(path) },
  ];
  const [name, tag] = repoTag.split(':');
  const annotations = {
    'io.containerd.image.name': `docker.io/library/${name}:${tag}`,
    'org.opencontainers.image.ref.name': tag,
  };
  const index = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ ...root, annotations }] };
  const legacy = layerDigests[0]
    ? [tarEntry('legacy/layer.tar', '', '2', `../${path(layerDigests[0])}`)]
    : [];
  return Buffer.concat([
    tarEntry('blobs/', '', '5'),
    tarEntry('blobs/sha256/', '', '5'),
    ...[...unique.values()].map(blobEntry),
    tarEntry('legacy/', '', '5'),
    ...legacy,
    tarEntry('index.json', JSON.stringify(index)),
    tarEntry('manifest.json', JSON.stringify(manifestJson)),
    tarEntry('oci-layout', '{"imageLayoutVersion":"1.0.0"}'),
    tarEntry('repositories', JSON.stringify({ app: { [tag ?? '']: 'x' } })),
    Buffer.alloc(1024),
  ]);
}

/** A docker 25+ classic-store archive of one image of uncompressed layers. */
export function classicArchive(
  layers: Buffer[],
  repoTag?: string,
  config?: Buffer,
): { archive: Buffer; image: SavedOci } {
  const image = config ? ociImageOf(config, layers, OCI_TAR) : ociImage(layers, OCI_TAR);
  const archive = savedArchive([...image.blobs.values(), image.manifest], image.descriptor, image, repoTag);
  return { archive, image };
}
