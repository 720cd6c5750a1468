import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  MediaType,
  RegistryClient,
  bufferSource,
  sha256,
  uploadBlob,
  withTag,
  type Credentials,
  type Descriptor,
  type Logger,
  type Platform,
  type Reference,
} from '../../src/registry/index.js';
import type { StackEnv } from './stack.js';

/** One request as the client sent it: the real fetch does the work, the test client only writes it down. */
export interface SentRequest {
  method: string;
  url: string;
  authorization: boolean;
}

export type Identity = 'ghs-write' | 'ghs-read' | 'pat-read' | 'wrong' | 'anonymous';

/** Credentials by registry: the token registry with the given identity, the basic one with its user. */
export function stackCredentials(env: StackEnv, identity: Identity = 'ghs-write') {
  const tokens: Record<Identity, string | undefined> = {
    'ghs-write': env.TOKEN_GHS_WRITE,
    'ghs-read': env.TOKEN_GHS_READ,
    'pat-read': env.TOKEN_PAT_READ,
    wrong: env.TOKEN_WRONG,
    anonymous: undefined,
  };
  return (registry: string): Credentials | undefined => {
    if (registry === env.REGISTRY_BASIC) return { username: env.BASIC_USER, password: env.BASIC_PASSWORD };
    const token = tokens[identity];
    if (token && registry !== env.REGISTRY_ANONYMOUS) return { username: env.ACTOR, password: token };
    return undefined;
  };
}

export interface TestClient {
  client: RegistryClient;
  sent: SentRequest[];
  debug: string[];
}

export function stackClient(
  env: StackEnv,
  identity: Identity = 'ghs-write',
  extra: {
    fetch?: typeof fetch;
    retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  } = {},
): TestClient {
  const sent: SentRequest[] = [];
  const debug: string[] = [];
  const logger: Logger = { debug: (m) => debug.push(m), info: (m) => debug.push(m) };
  const inner = extra.fetch ?? fetch;
  const recording: typeof fetch = (input, init) => {
    sent.push({
      method: init?.method ?? 'GET',
      url: input instanceof Request ? input.url : String(input),
      authorization: new Headers(init?.headers).has('authorization'),
    });
    return inner(input, init);
  };
  const client = new RegistryClient({
    userAgent: 'ghcr-image-action-tests',
    credentials: stackCredentials(env, identity),
    logger,
    fetch: recording,
    retry: { baseDelayMs: 20, maxDelayMs: 500, ...extra.retry },
  });
  return { client, sent, debug };
}

/** A minimal tar archive holding one regular file. */
export function tarWithFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) =>
    header.write(value, offset, length, 'ascii');
  field(0, 100, name);
  field(100, 8, '0000644\0');
  field(108, 8, '0000000\0');
  field(116, 8, '0000000\0');
  field(124, 12, `${content.length.toString(8).padStart(11, '0')}\0`);
  field(136, 12, '00000000000\0');
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

/** An image made in memory: its blobs and its manifest bytes. */
export interface MadeImage {
  blobs: Map<string, Buffer>;
  manifest: { bytes: Buffer; digest: string; mediaType: string };
  descriptor: Descriptor;
}

const describeBytes = (mediaType: string, bytes: Buffer): Descriptor => ({
  mediaType,
  digest: sha256(bytes),
  size: bytes.length,
});

/** An OCI image with one small random layer (or the given ones) and extra layers that are only described. */
export function makeImage(
  options: { platform?: Platform; layerBytes?: Buffer; extraLayers?: Descriptor[]; label?: string } = {},
): MadeImage {
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const layer = gzipSync(options.layerBytes ?? tarWithFile('hello.txt', randomBytes(64)));
  const diffId = sha256(gunzipSync(layer));
  const config = Buffer.from(
    JSON.stringify({
      ...platform,
      config: { Labels: { test: options.label ?? 'made-in-memory' } },
      rootfs: { type: 'layers', diff_ids: [diffId] },
    }),
  );
  const configDescriptor = describeBytes('application/vnd.oci.image.config.v1+json', config);
  const layerDescriptor = describeBytes('application/vnd.oci.image.layer.v1.tar+gzip', layer);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: configDescriptor,
      layers: [layerDescriptor, ...(options.extraLayers ?? [])],
    }),
  );
  const blobs = new Map([
    [configDescriptor.digest, config],
    [layerDescriptor.digest, layer],
  ]);
  const manifest = { bytes, digest: sha256(bytes), mediaType: MediaType.ociManifest };
  return { blobs, manifest, descriptor: { ...describeBytes(MediaType.ociManifest, bytes), platform } };
}

/** An OCI index over images. */
export function makeIndex(images: MadeImage[]): { bytes: Buffer; digest: string; mediaType: string } {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: images.map((i) => i.descriptor),
    }),
  );
  return { bytes, digest: sha256(bytes), mediaType: MediaType.ociIndex };
}

/** Pushes a made image with the client itself: blobs first, then the manifest under the reference's tag. */
export async function pushImage(client: RegistryClient, ref: Reference, image: MadeImage): Promise<void> {
  const t = client.transport(ref.registry);
  for (const [digest, bytes] of image.blobs) {
    await uploadBlob(t, { repository: ref.repository, digest, size: bytes.length }, bufferSource(bytes));
  }
  await client.putManifest(ref.tag ? ref : withTag(ref, 'latest'), image.manifest);
}

export const uniqueTag = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}`;
