/**
 * A client for OCI distribution registries on Node's fetch. A library: it knows nothing of GitHub or of
 * @actions/*; callers pass credentials, a logger and a hook to mask secrets. The client is the one door: every
 * request goes through its methods; the rest of this index is values and rules callers need around it.
 */
export { RegistryClient, type ClientOptions, type ManifestHead } from './client.js';
export type { Credentials } from './auth.js';
export type { Logger } from './retry.js';
export { bufferSource, fileSource, type BlobDescriptor, type BlobSource } from './blobs.js';
export type { UploadResult } from './upload.js';
export { copyImage, type CopyOptions, type CopyProgress, type CopyResult } from './copy.js';
export { DigestMismatchError, RegistryError, describeErrors, type RegistryErrorDetail } from './errors.js';
export {
  MediaType,
  type Descriptor,
  type ImageManifest,
  type IndexManifest,
  type Manifest,
} from './manifests.js';
export {
  formatPlatform,
  hostPlatform,
  parsePlatform,
  platformDigests,
  platformsOf,
  selectPlatform,
  type Platform,
} from './platform.js';
export {
  DEFAULT_REGISTRY,
  InvalidReferenceError,
  MAX_TAG_LENGTH,
  TAG_RULE,
  formatReference,
  isLoopbackRegistry,
  parseReference,
  registryProblem,
  repositoryOf,
  validateDigest,
  validateTag,
  withDigest,
  withTag,
  type Reference,
} from './reference.js';
export { layoutProblem, toOciManifest, type LayoutImage } from './layout.js';
export { sha256 } from './digest.js';
