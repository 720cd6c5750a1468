import { afterEach, describe, expect, it } from '@jest/globals';
import { sha256 } from '../../../src/registry/digest.js';
import {
  MediaType,
  parseManifest,
  type Descriptor,
  type IndexManifest,
} from '../../../src/registry/manifests.js';
import {
  formatPlatform,
  hostPlatform,
  parsePlatform,
  platformDigests,
  platformsOf,
  selectPlatform,
  type Platform,
} from '../../../src/registry/platform.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const entry = (digest: string, platform: Platform): Descriptor => ({
  mediaType: MediaType.ociManifest,
  digest,
  size: 500,
  platform,
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

describe('platformDigests', () => {
  const manifestOf = (body: object) => {
    const bytes = Buffer.from(JSON.stringify(body));
    return parseManifest(bytes, null, 'test manifest', [sha256(bytes)]);
  };

  it('maps each platform of an index to the digest of its image, leaving attestations out', () => {
    const index = manifestOf({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [
        entry(d('1'), { os: 'linux', architecture: 'amd64' }),
        entry(d('2'), { os: 'linux', architecture: 'arm64', variant: 'v8' }),
        entry(d('3'), { os: 'unknown', architecture: 'unknown' }),
        entry(d('4'), { os: 'linux', architecture: 'arm', variant: 'v7' }),
      ],
    });
    expect(platformDigests(index)).toEqual({
      'linux/amd64': d('1'),
      'linux/arm64/v8': d('2'),
      'linux/arm/v7': d('4'),
    });
  });

  it('is empty for an image manifest and for an index of attestations only', () => {
    const image = manifestOf({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('c'), size: 1 },
      layers: [],
    });
    expect(platformDigests(image)).toEqual({});
    const attestations = manifestOf({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [entry(d('5'), { os: 'unknown', architecture: 'unknown' })],
    });
    expect(platformDigests(attestations)).toEqual({});
  });

  it('agrees with platformsOf on the names', () => {
    const index = manifestOf({
      schemaVersion: 2,
      mediaType: MediaType.dockerList,
      manifests: [
        entry(d('6'), { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2340' }),
        entry(d('7'), { os: 'linux', architecture: 's390x' }),
      ],
    });
    if (index.kind !== 'index') throw new Error('expected an index');
    expect(Object.keys(platformDigests(index))).toEqual(platformsOf(index.index));
  });
});
