import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { DigestMismatchError } from '../../../src/registry/errors.js';
import {
  MANIFEST_ACCEPT,
  MediaType,
  formatPlatform,
  hostPlatform,
  isForeignLayer,
  isIndexType,
  parseManifest,
  parsePlatform,
  platformsOf,
  selectPlatform,
  type Descriptor,
  type IndexManifest,
  type Platform,
} from '../../../src/registry/manifests.js';

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
    ['ordinary layer with urls', desc(layer.mediaType, ['https://mcr.microsoft.com/layer']), true],
    ['ordinary OCI layer', desc('application/vnd.oci.image.layer.v1.tar+gzip'), false],
    ['ordinary docker layer', desc('application/vnd.docker.image.rootfs.diff.tar.gzip'), false],
    ['ordinary layer with empty urls', desc(layer.mediaType, []), false],
  ])('%s -> %p', (_name, descriptor, expected) => {
    expect(isForeignLayer(descriptor)).toBe(expected);
  });
});

describe('parsePlatform and formatPlatform', () => {
  it.each<[string, Platform]>([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
    ['linux/arm64/v8', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    ['linux/arm/v7', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['windows/amd64', { os: 'windows', architecture: 'amd64' }],
    ['  linux/s390x  ', { os: 'linux', architecture: 's390x' }],
  ])('%p', (text, platform) => {
    const parsed = parsePlatform(text);
    expect(parsed).toEqual(platform);
    expect(formatPlatform(parsed)).toBe(text.trim());
  });

  it.each(['', 'linux', 'amd64', '/amd64', 'linux/', 'linux//v8', 'linux/arm/v7/extra'])(
    'rejects %p, naming the value and the expected format',
    (text) => {
      expect(() => parsePlatform(text)).toThrow(`Invalid platform '${text}'`);
      expect(() => parsePlatform(text)).toThrow('os/architecture[/variant]');
    },
  );
});

describe('selectPlatform and platformsOf', () => {
  const index: IndexManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [
      entry(d('1'), { os: 'linux', architecture: 'amd64' }),
      entry(d('2'), { os: 'linux', architecture: 'arm', variant: 'v6' }),
      entry(d('3'), { os: 'linux', architecture: 'arm', variant: 'v7' }),
      entry(d('4'), { os: 'linux', architecture: 'arm64' }),
      entry(d('5'), { os: 'unknown', architecture: 'unknown' }),
      { mediaType: MediaType.ociManifest, digest: d('6'), size: 1 },
      entry(d('7'), { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2340' }),
    ],
  };

  it.each<[string, Platform, string | undefined]>([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }, d('1')],
    ['linux/arm64 (no variant asked)', { os: 'linux', architecture: 'arm64' }, d('4')],
    [
      'linux/arm64/v8 matches an arm64 entry without variant',
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      d('4'),
    ],
    ['linux/arm/v7 skips v6', { os: 'linux', architecture: 'arm', variant: 'v7' }, d('3')],
    ['linux/arm/v5 is absent', { os: 'linux', architecture: 'arm', variant: 'v5' }, undefined],
    ['windows/amd64', { os: 'windows', architecture: 'amd64' }, d('7')],
    ['linux/s390x is absent', { os: 'linux', architecture: 's390x' }, undefined],
    ['darwin/amd64 is absent', { os: 'darwin', architecture: 'amd64' }, undefined],
  ])('%s', (_name, wanted, digest) => {
    expect(selectPlatform(index, wanted)?.digest).toBe(digest);
  });

  it('matches an arm64/v8 entry when asked for arm64 without variant or with v8', () => {
    const v8: IndexManifest = {
      schemaVersion: 2,
      manifests: [entry(d('8'), { os: 'linux', architecture: 'arm64', variant: 'v8' })],
    };
    expect(selectPlatform(v8, parsePlatform('linux/arm64'))?.digest).toBe(d('8'));
    expect(selectPlatform(v8, parsePlatform('linux/arm64/v8'))?.digest).toBe(d('8'));
    expect(selectPlatform(v8, parsePlatform('linux/arm64/v9'))).toBeUndefined();
  });

  it('lists platforms without attestation entries or entries without platform', () => {
    expect(platformsOf(index)).toEqual([
      'linux/amd64',
      'linux/arm/v6',
      'linux/arm/v7',
      'linux/arm64',
      'windows/amd64',
    ]);
  });

  it('lists nothing for an empty index', () => {
    expect(platformsOf({ schemaVersion: 2, manifests: [] })).toEqual([]);
  });
});

const realArch = process.arch;

describe('hostPlatform', () => {
  // process.arch and process.platform are read-only but configurable: redefine them, then put the originals back.
  const saved = new Map<string, PropertyDescriptor>();
  const replace = (key: 'arch' | 'platform', value: string) => {
    const original = Object.getOwnPropertyDescriptor(process, key);
    if (original && !saved.has(key)) saved.set(key, original);
    Object.defineProperty(process, key, { value, configurable: true, enumerable: true, writable: false });
  };
  afterEach(() => {
    for (const [key, descriptor] of saved) Object.defineProperty(process, key, descriptor);
    saved.clear();
  });

  it.each<[NodeJS.Architecture, string]>([
    ['x64', 'amd64'],
    ['arm64', 'arm64'],
    ['arm', 'arm'],
    ['ia32', '386'],
    ['s390x', 's390x'],
    ['ppc64', 'ppc64le'],
    ['riscv64', 'riscv64'],
  ])('maps process.arch %p to %p', (arch, architecture) => {
    replace('arch', arch);
    expect(hostPlatform().architecture).toBe(architecture);
  });

  it.each<[NodeJS.Platform, string]>([
    ['linux', 'linux'],
    ['win32', 'windows'],
    ['darwin', 'darwin'],
  ])('maps process.platform %p to os %p', (platform, os) => {
    replace('platform', platform);
    expect(hostPlatform()).toEqual({ os, architecture: expect.any(String) });
  });

  it('restores the real process.arch after each replacement', () => {
    expect(Object.getOwnPropertyDescriptor(process, 'arch')?.value).toBe(realArch);
  });

  it('has no variant', () => {
    expect(hostPlatform()).not.toHaveProperty('variant');
  });
});

describe('parseManifest on JSON that is not an object', () => {
  it.each(['null', '[]', '"text"'])('rejects %s naming the manifest', (json) => {
    expect(() => parseManifest(Buffer.from(json), null, 'manifest x')).toThrow(
      /^manifest x: unsupported manifest/,
    );
  });
});
