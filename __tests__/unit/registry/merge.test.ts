import { describe, expect, it } from '@jest/globals';
import { sha256 } from '../../../src/registry/digest.js';
import { MediaType } from '../../../src/registry/manifests.js';
import {
  INDEX_LABELS,
  MergeError,
  buildIndex,
  describePlatform,
  requirePlatform,
  type IndexChild,
} from '../../../src/registry/merge.js';
import { parsePlatform, type Platform } from '../../../src/registry/platform.js';

const child = (
  platform: Platform | string,
  options: { mediaType?: string; labels?: Record<string, string>; seed?: string } = {},
): IndexChild => {
  const p = typeof platform === 'string' ? parsePlatform(platform) : platform;
  const seed = options.seed ?? JSON.stringify(p);
  return {
    mediaType: options.mediaType ?? MediaType.ociManifest,
    digest: sha256(seed),
    size: 400 + seed.length,
    platform: p,
    labels: options.labels,
  };
};

const json = (bytes: Buffer) =>
  JSON.parse(bytes.toString('utf8')) as {
    mediaType: string;
    manifests: { mediaType: string; digest: string; size: number; platform: Record<string, string> }[];
    annotations?: Record<string, string>;
  };

/** Every order of a short list. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('buildIndex: one index from single-platform images', () => {
  const children = [
    child('linux/arm64/v8'),
    child('linux/amd64'),
    child('linux/arm/v7'),
    child({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2340' }),
    child({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.5576' }),
  ];

  it('gives the same bytes, hence the same digest, for every order of the same images', () => {
    const first = buildIndex(children);
    for (const order of permutations(children)) {
      const index = buildIndex(order);
      expect(index.bytes.equals(first.bytes)).toBe(true);
      expect(index.digest).toBe(first.digest);
    }
    expect(first.digest).toBe(sha256(first.bytes));
  });

  it('sorts by os, architecture, variant, os.version, writes fixed keys and no whitespace', () => {
    const index = buildIndex(children);
    const body = json(index.bytes);
    expect(body.manifests.map((m) => describePlatform(m.platform as unknown as Platform))).toEqual([
      'linux/amd64',
      'linux/arm/v7',
      'linux/arm64/v8',
      'windows/amd64 (os.version 10.0.17763.5576)',
      'windows/amd64 (os.version 10.0.20348.2340)',
    ]);
    expect(Object.keys(body)).toEqual(['schemaVersion', 'mediaType', 'manifests']);
    expect(Object.keys(body.manifests[0] ?? {})).toEqual(['mediaType', 'digest', 'size', 'platform']);
    expect(Object.keys(body.manifests[2]?.platform ?? {})).toEqual(['architecture', 'os', 'variant']);
    expect(Object.keys(body.manifests[3]?.platform ?? {})).toEqual(['architecture', 'os', 'os.version']);
    expect(index.bytes.toString()).not.toMatch(/\s/);
    // Each descriptor is the child's own manifest: media type, digest, size.
    const amd64 = children[1] as IndexChild;
    expect(body.manifests[0]).toEqual({
      mediaType: amd64.mediaType,
      digest: amd64.digest,
      size: amd64.size,
      platform: { architecture: 'amd64', os: 'linux' },
    });
  });

  it('writes a Docker manifest list when every child is Docker schema 2, an OCI index otherwise', () => {
    const docker = [
      child('linux/amd64', { mediaType: MediaType.dockerManifest }),
      child('linux/arm64', { mediaType: MediaType.dockerManifest }),
    ];
    const list = buildIndex(docker);
    expect(list.mediaType).toBe(MediaType.dockerList);
    expect(json(list.bytes).mediaType).toBe(MediaType.dockerList);
    expect(list.kind).toBe('index');
    const mixed = buildIndex([docker[0] as IndexChild, child('linux/arm64')]);
    expect(mixed.mediaType).toBe(MediaType.ociIndex);
    expect(buildIndex([child('linux/amd64')]).mediaType).toBe(MediaType.ociIndex);
  });

  it("carries the first child's (in platform order) OCI labels as annotations, and no other label", () => {
    const labels = {
      'org.opencontainers.image.source': 'https://github.com/octo-org/app',
      'org.opencontainers.image.description': 'An app',
      'org.opencontainers.image.licenses': 'MIT',
      'org.opencontainers.image.revision': 'abc',
      team: 'platform',
    };
    const other = { 'org.opencontainers.image.description': 'the arm one' };
    const index = buildIndex([child('linux/arm64', { labels: other }), child('linux/amd64', { labels })]);
    const annotations = json(index.bytes).annotations;
    expect(annotations).toEqual({
      'org.opencontainers.image.description': 'An app',
      'org.opencontainers.image.licenses': 'MIT',
      'org.opencontainers.image.source': 'https://github.com/octo-org/app',
    });
    expect(Object.keys(annotations ?? {})).toEqual([...INDEX_LABELS]);
    expect(json(index.bytes).annotations).toEqual(index.kind === 'index' ? index.index.annotations : null);
  });

  it('writes no annotations without OCI labels, nor on a Docker manifest list (it has no such field)', () => {
    expect(json(buildIndex([child('linux/amd64', { labels: { team: 'x' } })]).bytes)).not.toHaveProperty(
      'annotations',
    );
    const source = { 'org.opencontainers.image.source': 'https://github.com/octo-org/app' };
    const list = buildIndex([child('linux/amd64', { mediaType: MediaType.dockerManifest, labels: source })]);
    expect(json(list.bytes)).not.toHaveProperty('annotations');
  });

  it('takes one image listed twice (the same digest) once', () => {
    const amd64 = child('linux/amd64');
    expect(
      buildIndex([amd64, amd64, child('linux/arm64')]).bytes.equals(
        buildIndex([amd64, child('linux/arm64')]).bytes,
      ),
    ).toBe(true);
  });

  it.each<[string, IndexChild[]]>([
    ['the same os/architecture', [child('linux/amd64', { seed: 'a' }), child('linux/amd64', { seed: 'b' })]],
    ['arm64 and arm64/v8 (the same: v8 is its default)', [child('linux/arm64'), child('linux/arm64/v8')]],
    [
      'the same os.version',
      [
        child({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.1' }, { seed: 'a' }),
        child({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.1' }, { seed: 'b' }),
      ],
    ],
  ])('refuses two images for one platform: %s', (_what, twins) => {
    const run = () => buildIndex([child('linux/s390x'), ...twins]);
    expect(run).toThrow(MergeError);
    expect(run).toThrow(/^Two images are for (linux|windows)\//);
    expect(run).toThrow(twins[1]?.digest ?? 'x');
    try {
      run();
    } catch (error) {
      expect((error as MergeError).fix).toMatch(/one image per platform/);
    }
  });

  it('keeps distinct variants and os.versions apart', () => {
    const index = buildIndex([child('linux/arm/v6'), child('linux/arm/v7'), child('linux/arm64')]);
    expect(json(index.bytes).manifests).toHaveLength(3);
  });

  it.each<[string, IndexChild[], RegExp]>([
    ['no image', [], /There is no image to merge/],
    [
      'an unknown media type',
      [child('linux/amd64', { mediaType: 'application/vnd.example.thing+json' })],
      /media type application\/vnd\.example\.thing\+json, not a single-platform image/,
    ],
    [
      'an index among the children',
      [child('linux/amd64', { mediaType: MediaType.ociIndex })],
      /not a single-platform image/,
    ],
  ])('refuses %s', (_what, list, message) => {
    expect(() => buildIndex(list)).toThrow(MergeError);
    expect(() => buildIndex(list)).toThrow(message);
  });

  it('names where a child was listed, sanitised', () => {
    const bad = { ...child('linux/amd64', { mediaType: 'text/plain' }), from: 'o/app@x\n::error::boom' };
    expect(() => buildIndex([bad])).toThrow(/o\/app@x\?: ?:error::boom/);
  });
});

describe('requirePlatform: a config that names no platform cannot be in an index', () => {
  it('returns the platform a config named', () => {
    expect(requirePlatform({ os: 'linux', architecture: 'amd64' }, 'x')).toEqual({
      os: 'linux',
      architecture: 'amd64',
    });
  });

  it('refuses none, naming the image and the fix', () => {
    const run = () => requirePlatform(undefined, "'o/app@sha256:1'");
    expect(run).toThrow(MergeError);
    expect(run).toThrow("'o/app@sha256:1': its config names no os and architecture");
  });
});

describe('buildIndex: attestations kept beside their image', () => {
  const attestation = (seed: string) => ({
    mediaType: MediaType.ociManifest,
    digest: sha256(seed),
    size: 800,
  });
  const amd64 = { ...child('linux/amd64'), attestations: [attestation('b'), attestation('a')] };
  const arm64 = child('linux/arm64');

  it('puts each right after its image, by digest, naming the image as buildx does; in any order, the same bytes', () => {
    const index = buildIndex([arm64, amd64]);
    const manifests = json(index.bytes).manifests as Record<string, unknown>[];
    expect(manifests.map((m) => m.digest)).toEqual([
      amd64.digest,
      ...[sha256('a'), sha256('b')].sort(),
      arm64.digest,
    ]);
    expect(manifests[1]).toEqual({
      mediaType: MediaType.ociManifest,
      digest: [sha256('a'), sha256('b')].sort()[0],
      size: 800,
      annotations: {
        'vnd.docker.reference.digest': amd64.digest,
        'vnd.docker.reference.type': 'attestation-manifest',
      },
      platform: { architecture: 'unknown', os: 'unknown' },
    });
    const reordered = { ...amd64, attestations: [attestation('a'), attestation('b'), attestation('a')] };
    expect(buildIndex([reordered, arm64]).digest).toBe(index.digest);
  });

  it('makes an OCI index even when every image is Docker schema 2', () => {
    const docker = {
      ...child('linux/amd64', { mediaType: MediaType.dockerManifest }),
      attestations: [attestation('a')],
    };
    expect(buildIndex([docker]).mediaType).toBe(MediaType.ociIndex);
  });
});
