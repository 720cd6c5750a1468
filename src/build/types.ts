import type { Credentials, Reference } from '../registry/index.js';

/** Everything a builder needs, validated: paths exist, tags are valid, the image has no tag. */
export interface BuildRequest {
  context: string;
  file: string;
  target: string;
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  platforms: string[];
  /** The image repository (no tag): registry/owner/name. */
  image: Reference;
  /** Tags in order; the first is the one a single-tag builder pushes. */
  tags: string[];
  push: boolean;
  /** Push with no tag at all (`tags` is empty): the builder pushes by digest itself, or exports the image for the action to upload. */
  byDigest: boolean;
  /**
   * The tag whose image in the registry an inline cache is read from (docker, buildx's docker driver): the first
   * tag, or for a by-digest push (no tag of its own) the first the event gives, which a merge then writes.
   */
  cacheTag: string | undefined;
  /** Where the cache lives: each builder's own store, the image's registry, or nowhere (build/cache.ts). */
  cache: CacheMode;
  noCache: boolean;
  pull: boolean;
  /** An image that exists in the registry to reuse layers from (the docker builder pulls it first). */
  cacheFrom: string | undefined;
  /** For builders that push themselves without docker's login (buildah): the chosen credentials. */
  credentials: Credentials | undefined;
  /** A folder of the run's own (RUNNER_TEMP) for id and metadata files. */
  workDir: string;
  /** Secrets for `RUN --mount=type=secret`: never in argv, an output or the log (see build/secrets.ts). */
  secrets: BuildSecret[];
  /** Agent sockets or keys for `RUN --mount=type=ssh`. */
  ssh: SshMount[];
  /** The network of RUN steps: the builder's default, the host's, or none. */
  network: BuildNetwork;
  /** buildx attestations: the --provenance and --sbom values, each only when it is to be given. */
  attestations: Attestations;
}

export type CacheMode = 'default' | 'registry' | 'off';

/** A buildx attestation flag's value; `auto` when the action chose it (left out where the driver cannot attest). */
export interface Attestation {
  value: string;
  auto: boolean;
}

export interface Attestations {
  provenance?: Attestation;
  sbom?: Attestation;
}

/** A build secret: a value (written to a private file for the build) or a file of the workspace or RUNNER_TEMP. */
export type BuildSecret = { id: string; value: string } | { id: string; file: string };

/** `default` with the SSH_AUTH_SOCK agent, or an id with a socket or a private key file. */
export interface SshMount {
  id: string;
  path: string;
}

export type BuildNetwork = 'default' | 'host' | 'none';

export interface BuildResult {
  /** The local image ID (config digest) where the builder has one. */
  imageId: string;
  /** The tags the builder pushed itself (all of them for buildx, the first for docker and buildah). */
  pushedTags: string[];
  /** The manifest digest the builder reports for its push, when it reports one (checked against the registry). */
  reportedDigest: string | undefined;
  /** Builder-specific facts for the metadata output. */
  details: Record<string, unknown>;
  /** A by-digest push the builder left to the action: the image on disk, for the action's client to upload. */
  exported?: ExportedImage;
}

/** An image written to disk: a docker archive (`docker save`) or an OCI image layout folder. */
export interface ExportedImage {
  format: 'docker-archive' | 'oci-layout';
  path: string;
}

/** The builders 'builder' may name; 'source' is the no-build publisher of a local image. */
export type BuilderName = 'buildx' | 'docker' | 'buildah';

export interface Builder {
  name: BuilderName | 'source';
  /** Whether it builds several platforms at once. */
  multiPlatform: boolean;
  /** Whether it reuses layers of the image already in the registry (set as `cacheFrom`) when caching. */
  cachesFromRegistry?: boolean;
  build(request: BuildRequest): Promise<BuildResult>;
}
