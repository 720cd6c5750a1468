import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { DigestMismatchError } from '../../../src/registry/errors.js';
import {
  MANIFEST_ACCEPT,
  MediaType,
  isForeignLayer,
  isIndexType,
  parseManifest,
  type Descriptor,
} from '../../../src/registry/manifests.js';
import type { Platform } from '../../../src/registry/platform.js';

const hex = (bytes: Buffer, algorithm = 'sha256') => createHash(algorithm).update(bytes).digest('hex');
const d = (c: string) => `sha256:${c.repeat(64)}`;

const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('c'), size: 100 };
const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d('1'), size: 200 };

// Odd spacing and key order on purpose: the bytes must be kept, never re-serialised.
const OCI_MANIFEST = Buffer.from(
  `{"schemaVersion":2,  "mediaType":"${MediaType.ociManifest}",\n "config":${JSON.stringify(config)},"layers":[${JSON.stringify(layer)}]}`,
);
const DOCKER_MANIFEST = Buffer.from(
  JSON.stringify(
    {
      schemaVersion: 2,
      mediaType: MediaType.dockerManifest,
      config: { ...config, mediaType: 'application/vnd.docker.container.image.v1+json' },
      layers: [{ ...layer, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' }],
    },
    null,
    3,
  ),
);
const entry = (digest: string, platform: Platform): Descriptor => ({
  mediaType: MediaType.ociManifest,
  digest,
  size: 500,
  platform,
});
const OCI_INDEX = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [entry(d('a'), { os: 'linux', architecture: 'amd64' })],
  }),
);
const DOCKER_LIST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.dockerList,
    manifests: [
      {
        ...entry(d('b'), { os: 'linux', architecture: 'arm64', variant: 'v8' }),
        mediaType: MediaType.dockerManifest,
      },
    ],
  }),
);

describe('parseManifest', () => {
  it.each([
    ['OCI manifest', OCI_MANIFEST, MediaType.ociManifest, 'image'],
    ['Docker v2 manifest', DOCKER_MANIFEST, MediaType.dockerManifest, 'image'],
    ['OCI index', OCI_INDEX, MediaType.ociIndex, 'index'],
    ['Docker manifest list', DOCKER_LIST, MediaType.dockerList, 'index'],
  ])('%s: keeps the bytes, hashes them, reads media type and kind', (_name, bytes, mediaType, kind) => {
    const manifest = parseManifest(bytes, mediaType, 'manifest x');
    expect(manifest.kind).toBe(kind);
    expect(manifest.mediaType).toBe(mediaType);
    expect(manifest.digest).toBe(`sha256:${hex(bytes)}`);
    expect(manifest.bytes.equals(bytes)).toBe(true);
  });

  it('exposes the parsed image content', () => {
    const manifest = parseManifest(OCI_MANIFEST, null, 'm');
    if (manifest.kind !== 'image') throw new Error(`expected an image, got ${manifest.kind}`);
    expect(manifest.image.config.digest).toBe(config.digest);
    expect(manifest.image.layers).toEqual([layer]);
  });

  it('exposes the parsed index content', () => {
    const manifest = parseManifest(DOCKER_LIST, null, 'm');
    if (manifest.kind !== 'index') throw new Error(`expected an index, got ${manifest.kind}`);
    expect(manifest.index.manifests.map((m) => m.digest)).toEqual([d('b')]);
  });

  it('accepts bytes that match every expected digest, skipping null and undefined', () => {
    const digest = `sha256:${hex(OCI_INDEX)}`;
    const manifest = parseManifest(OCI_INDEX, MediaType.ociIndex, 'm', [undefined, digest, null, digest]);
    expect(manifest.digest).toBe(digest);
  });

  it('uses the algorithm of the expected digest', () => {
    const digest = `sha512:${hex(OCI_MANIFEST, 'sha512')}`;
    expect(parseManifest(OCI_MANIFEST, null, 'm', [digest]).digest).toBe(digest);
  });

  it.each([
    ['the digest asked for', [d('0')]],
    ["the registry's Docker-Content-Digest", [undefined, d('0')]],
  ])('throws DigestMismatchError when the bytes do not hash to %s', (_name, expected) => {
    const attempt = () =>
      parseManifest(OCI_MANIFEST, MediaType.ociManifest, 'manifest ghcr.io/o/r:t', expected);
    expect(attempt).toThrow(DigestMismatchError);
    expect(attempt).toThrow(`manifest ghcr.io/o/r:t: expected ${d('0')}`);
    expect(attempt).toThrow(`sha256:${hex(OCI_MANIFEST)}`);
  });

  it('checks the digest before parsing (a tampered body fails as a mismatch, not as JSON)', () => {
    expect(() => parseManifest(Buffer.from('not json'), null, 'm', [d('0')])).toThrow(DigestMismatchError);
  });

  describe('media type when the body has no mediaType field', () => {
    const bare = (body: object) => Buffer.from(JSON.stringify({ schemaVersion: 2, ...body }));
    const image = bare({ config, layers: [layer] });
    const index = bare({ manifests: [] });

    it.each<[string, Buffer, string | null, string, string]>([
      [
        'image, Content-Type with parameters',
        image,
        `${MediaType.dockerManifest}; charset=utf-8`,
        MediaType.dockerManifest,
        'image',
      ],
      ['index, Content-Type', index, MediaType.dockerList, MediaType.dockerList, 'index'],
      ['image, no Content-Type', image, null, MediaType.ociManifest, 'image'],
      ['index, no Content-Type', index, null, MediaType.ociIndex, 'index'],
      ['image, application/json', image, 'application/json', MediaType.ociManifest, 'image'],
      [
        'index, application/json; charset=utf-8',
        index,
        'application/json; charset=utf-8',
        MediaType.ociIndex,
        'index',
      ],
    ])('%s', (_name, bytes, contentType, mediaType, kind) => {
      const manifest = parseManifest(bytes, contentType, 'm');
      expect(manifest.mediaType).toBe(mediaType);
      expect(manifest.kind).toBe(kind);
    });

    it('prefers the body mediaType over the Content-Type header', () => {
      expect(parseManifest(OCI_MANIFEST, MediaType.dockerManifest, 'm').mediaType).toBe(
        MediaType.ociManifest,
      );
    });
  });

  it('rejects bytes that are not JSON, naming what was parsed', () => {
    expect(() =>
      parseManifest(Buffer.from('<html>502</html>'), 'text/html', 'manifest ghcr.io/o/r:t'),
    ).toThrow('manifest ghcr.io/o/r:t: the manifest is not JSON');
  });

  it.each([
    ['a schema 1 manifest', { schemaVersion: 1, fsLayers: [], name: 'o/r' }],
    ['config without layers', { schemaVersion: 2, config }],
    ['layers without config', { schemaVersion: 2, layers: [layer] }],
    ['an empty object', {}],
    ['an array', []],
  ])('rejects %s as unsupported', (_name, body) => {
    expect(() => parseManifest(Buffer.from(JSON.stringify(body)), null, 'manifest x')).toThrow(
      /^manifest x: unsupported manifest/,
    );
  });
});

describe('isIndexType and MANIFEST_ACCEPT', () => {
  it.each([
    [MediaType.ociIndex, true],
    [MediaType.dockerList, true],
    [MediaType.ociManifest, false],
    [MediaType.dockerManifest, false],
  ])('isIndexType(%s) -> %p', (mediaType, expected) => {
    expect(isIndexType(mediaType)).toBe(expected);
  });

  it('accepts all four manifest types', () => {
    for (const type of [
      MediaType.ociManifest,
      MediaType.ociIndex,
      MediaType.dockerManifest,
      MediaType.dockerList,
    ]) {
      expect(MANIFEST_ACCEPT.split(', ')).toContain(type);
    }
  });
});

describe('isForeignLayer', () => {
  const desc = (mediaType: string, urls?: string[]): Descriptor => ({
    mediaType,
    digest: d('f'),
    size: 1,
    urls,
  });

  it.each<[string, Descriptor, boolean]>([
    ['docker foreign layer', desc('application/vnd.docker.image.rootfs.foreign.diff.tar.gzip'), true],
    ['OCI nondistributable tar', desc('application/vnd.oci.image.layer.nondistributable.v1.tar'), true],
    [
      'OCI nondistributable tar+gzip',
      desc('application/vnd.oci.image.layer.nondistributable.v1.tar+gzip'),
      true,
    ],
    [
      'OCI nondistributable tar+zstd',
      desc('application/vnd.oci.image.layer.nondistributable.v1.tar+zstd'),
      true,
    ],
    // By media type only, as the OCI spec says: urls on a distributable layer are only more places to fetch it.
    ['ordinary layer with urls', desc(layer.mediaType, ['https://mcr.microsoft.com/layer']), false],
    [
      'ordinary docker layer with urls',
      desc('application/vnd.docker.image.rootfs.diff.tar.gzip', ['https://mcr.microsoft.com/layer']),
      false,
    ],
    ['ordinary OCI layer', desc('application/vnd.oci.image.layer.v1.tar+gzip'), false],
    ['ordinary docker layer', desc('application/vnd.docker.image.rootfs.diff.tar.gzip'), false],
    ['ordinary layer with empty urls', desc(layer.mediaType, []), false],
  ])('%s -> %p', (_name, descriptor, expected) => {
    expect(isForeignLayer(descriptor)).toBe(expected);
  });
});

describe('parseManifest on JSON that is not an object', () => {
  it.each(['null', '[]', '"text"'])('rejects %s naming the manifest', (json) => {
    expect(() => parseManifest(Buffer.from(json), null, 'manifest x')).toThrow(
      /^manifest x: unsupported manifest/,
    );
  });
});
