import { type Manifest } from '../../src/registry/index.js';
import { sha256 } from '../../src/registry/digest.js';

/** A small OCI image manifest whose config digest is sha256(`configText`): distinct text, distinct digest. */
export function imageManifest(configText: string): Manifest {
  const config = {
    mediaType: 'application/vnd.oci.image.config.v1+json',
    digest: sha256(configText),
    size: 1,
  };
  const image = { schemaVersion: 2, config, layers: [] };
  const bytes = Buffer.from(JSON.stringify(image));
  return {
    kind: 'image',
    digest: sha256(bytes),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    bytes,
    image,
  };
}
