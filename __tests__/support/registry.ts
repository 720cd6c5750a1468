import { afterAll, beforeAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  RegistryClient,
  withTag,
  type Credentials,
  type Logger,
  type Manifest,
  type Platform,
  type Reference,
} from '../../src/registry/index.js';
import { bufferSource } from '../../src/registry/blobs.js';
import { sha256 } from '../../src/registry/digest.js';
import { MediaType, type Descriptor } from '../../src/registry/manifests.js';
import { parseManifest } from '../../src/registry/manifests.js';
import { Transport } from '../../src/registry/transport.js';
import { startHttpServer, type LocalServer } from './http-server.js';
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

/** The media types of an image's manifest, config and layers, in OCI's terms or Docker schema 2's. */
const IMAGE_TYPES = {
  oci: {
    manifest: MediaType.ociManifest,
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    manifest: MediaType.dockerManifest,
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
};

export interface MakeImageOptions {
  platform?: Platform;
  layerBytes?: Buffer;
  extraLayers?: Descriptor[];
  label?: string;
  /** More config labels (beside `test`). */
  labels?: Record<string, string>;
  /** Docker schema 2 media types instead of OCI's. */
  format?: 'oci' | 'docker';
  /** Another config media type (an artifact's). */
  configMediaType?: string;
}

/** An OCI image with one small random layer (or the given ones) and extra layers that are only described. */
export function makeImage(options: MakeImageOptions = {}): MadeImage {
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const types = IMAGE_TYPES[options.format ?? 'oci'];
  const layer = gzipSync(options.layerBytes ?? tarWithFile('hello.txt', randomBytes(64)));
  const diffId = sha256(gunzipSync(layer));
  const config = Buffer.from(
    JSON.stringify({
      ...platform,
      config: { Labels: { test: options.label ?? 'made-in-memory', ...options.labels } },
      rootfs: { type: 'layers', diff_ids: [diffId] },
    }),
  );
  const configDescriptor = describeBytes(options.configMediaType ?? types.config, config);
  const layerDescriptor = describeBytes(types.layer, layer);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: types.manifest,
      config: configDescriptor,
      layers: [layerDescriptor, ...(options.extraLayers ?? [])],
    }),
  );
  const blobs = new Map([
    [configDescriptor.digest, config],
    [layerDescriptor.digest, layer],
  ]);
  const manifest = { bytes, digest: sha256(bytes), mediaType: types.manifest };
  return { blobs, manifest, descriptor: { ...describeBytes(types.manifest, bytes), platform } };
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
  for (const [digest, bytes] of image.blobs) {
    await client.uploadBlob(ref, { digest, size: bytes.length }, bufferSource(bytes));
  }
  await client.putManifest(ref.tag ? ref : withTag(ref, 'latest'), image.manifest);
}

export const uniqueTag = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}`;

/** A registry that serves the blobs of one repository, for unit tests of downloads (see startBlobServer). */
export interface BlobServer extends LocalServer {
  /** Bytes served by digest. */
  stored: Map<string, Buffer>;
  /** Digests served with their first byte flipped. */
  corrupt: Set<string>;
  /** Every request path, in order. */
  requests: string[];
  /** The most GETs that were being answered at once. */
  maxInFlight: number;
}

/**
 * A tiny registry that serves blobs only: GET /v2/<repository>/blobs/<digest> answers the bytes stored for that
 * digest (with one byte flipped for digests marked corrupt) after `delayMs`, HEAD says whether it has them, and
 * anything else is 404 BLOB_UNKNOWN. Every request path is recorded.
 */
export async function startBlobServer(repository: string, delayMs = 0): Promise<BlobServer> {
  let inFlight = 0;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = req.url ?? '/';
    blobServer.requests.push(path);
    const match = /^\/v2\/(.+)\/blobs\/([a-z0-9]+:[0-9a-f]+)$/.exec(path);
    const digest = match?.[2];
    const bytes = digest === undefined ? undefined : blobServer.stored.get(digest);
    const known = match?.[1] === repository && digest !== undefined && bytes !== undefined;
    if (req.method === 'HEAD') return void res.writeHead(known ? 200 : 404).end();
    if (req.method !== 'GET' || !known) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown' }] }));
      return;
    }
    const body = Buffer.from(bytes);
    if (blobServer.corrupt.has(digest)) body.writeUInt8(body.readUInt8(0) ^ 0xff, 0);
    inFlight++;
    blobServer.maxInFlight = Math.max(blobServer.maxInFlight, inFlight);
    const answer = () => {
      inFlight--;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
      res.end(body);
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  };
  const server = await startHttpServer(handle);
  const blobServer: BlobServer = {
    ...server,
    stored: new Map(),
    corrupt: new Set(),
    requests: [],
    maxInFlight: 0,
  };
  return blobServer;
}

/** A made image whose blobs `server` serves, with its manifest parsed. */
export function serveImage(
  server: BlobServer,
  options: Parameters<typeof makeImage>[0] = {},
): { made: MadeImage; manifest: Manifest } {
  const made = makeImage(options);
  for (const [digest, bytes] of made.blobs) server.stored.set(digest, bytes);
  const manifest = parseManifest(made.manifest.bytes, made.manifest.mediaType, 'test image');
  return { made, manifest };
}

export interface BlobServerFixture {
  server: BlobServer;
  /** A transport to the server that does not retry. */
  t: Transport;
  /** A new temporary folder, removed after the file's tests. */
  tempDir(): string;
}

/** For one test file: a blob server for `repository` started before its tests, stopped after them. */
export function blobServerFixture(repository: string, tempPrefix: string): BlobServerFixture {
  const temps: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), tempPrefix));
    temps.push(dir);
    return dir;
  };
  const fixture = { tempDir } as BlobServerFixture;
  beforeAll(async () => {
    fixture.server = await startBlobServer(repository);
    fixture.t = new Transport({ registry: fixture.server.host, userAgent: 'unit', retry: { attempts: 1 } });
  });
  afterAll(async () => {
    await fixture.server.close();
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });
  return fixture;
}
