/**
 * A client for OCI distribution registries on Node's fetch. A library: it knows nothing of GitHub or of
 * @actions/*; callers pass credentials, a logger and a hook to mask secrets. The client is the one door: every
 * request goes through its methods. This index exports what the action uses, nothing more (tests and benches
 * import the modules themselves).
 */
export { RegistryClient } from './client.js';
export type { Credentials } from './auth.js';
export type { Logger } from './retry.js';
export { imageConfig, imagePlatform, platformMatches, type ConfigFacts } from './config.js';
export { allOrFirstError, createLimiter } from './limit.js';
export { copyImage, type CopyProgress, type CopyResult } from './copy.js';
export { RegistryError, describeErrors } from './errors.js';
export { isIndexType, type Descriptor, type Manifest } from './manifests.js';
export {
  MergeError,
  buildIndex,
  describePlatform,
  isImageManifestType,
  requirePlatform,
  type IndexChild,
} from './merge.js';
export { isDigest } from './validate.js';
export { nodeFetch } from './stream-request.js';
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
  InvalidReferenceError,
  MAX_TAG_LENGTH,
  formatReference,
  isLoopbackRegistry,
  parseReference,
  registryProblem,
  repositoryOf,
  validateTag,
  withDigest,
  withTag,
  type Reference,
} from './reference.js';
export { layoutProblem, toOciManifest } from './layout.js';
export type { PushOptions, PushResult } from './push.js';
export type { PushArchiveOptions } from './push-archive.js';
export type { PushLayoutOptions } from './push-layout.js';
export { printable } from './text.js';
export { asNetworkError, NetworkError } from './network.js';
export {
  decodeLenient,
  parseProxyUrl,
  proxyAuthorization,
  proxySettingsFrom,
  type ProxySettings,
} from './proxy.js';
