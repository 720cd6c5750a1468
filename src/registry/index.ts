/**
 * A client for OCI distribution registries on Node's fetch. A library: it knows nothing of GitHub or of
 * @actions/*; callers pass credentials, a logger and a hook to mask secrets.
 */
export * from './auth.js';
export * from './blobs.js';
export * from './challenge.js';
export * from './client.js';
export * from './copy.js';
export * from './digest.js';
export * from './errors.js';
export * from './layout.js';
export * from './limit.js';
export * from './manifests.js';
export * from './reference.js';
export * from './retry.js';
export * from './transport.js';
export * from './upload.js';
