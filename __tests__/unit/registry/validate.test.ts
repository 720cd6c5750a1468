import { describe, expect, it } from '@jest/globals';
import { sha256 } from '../../../src/registry/digest.js';
import { parseManifest } from '../../../src/registry/manifests.js';
import { MAX_ENTRIES, isDigest } from '../../../src/registry/validate.js';

const layer = (overrides: Record<string, unknown> = {}) => ({
  mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
  digest: sha256('layer'),
  size: 5,
  ...overrides,
});
const image = (overrides: Record<string, unknown> = {}) => ({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256('config'), size: 6 },
  layers: [layer()],
  ...overrides,
});
const parse = (body: unknown) => parseManifest(Buffer.from(JSON.stringify(body)), null, 'manifest x');

describe('isDigest', () => {
  it.each([sha256('a'), `sha512:${'a'.repeat(128)}`])('accepts %s', (d) => expect(isDigest(d)).toBe(true));
  it.each([
    'sha256:../../../ESCAPED/x',
    `sha256:${'A'.repeat(64)}`,
    `sha256:${'a'.repeat(63)}`,
    'sha256:82jf9a84u29hiasldj289498uhois8498hjs29hkuhs',
    `md5:${'a'.repeat(32)}`,
    `sha256:${'a'.repeat(64)}\n`,
  ])('refuses %j', (d) => expect(isDigest(d)).toBe(false));
});

describe('parseManifest checks every descriptor before anything uses it', () => {
  it('accepts a valid image and index', () => {
    expect(parse(image()).kind).toBe('image');
    const entry = {
      ...layer(),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    };
    expect(parse({ schemaVersion: 2, manifests: [entry] }).kind).toBe('index');
  });

  it.each<[string, unknown, string]>([
    [
      'a digest that walks out of a folder',
      image({ layers: [layer({ digest: 'sha256:../../../ESCAPED/x' })] }),
      'layers[0].digest is not a digest',
    ],
    [
      'a config without digest',
      image({ config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: 1 } }),
      'config.digest is not a digest',
    ],
    ['a negative size', image({ layers: [layer({ size: -1 })] }), 'layers[0].size is not a size in bytes'],
    [
      'a media type with a newline',
      image({ layers: [layer({ mediaType: 'a/b\n::warning::x' })] }),
      'layers[0].mediaType is not a media type',
    ],
    [
      'a manifest media type with a newline',
      image({ mediaType: 'application/vnd.oci.image.manifest.v1+json\n::add-mask::sha256' }),
      'its mediaType is not a media type',
    ],
    [
      'a platform with a newline',
      {
        schemaVersion: 2,
        manifests: [{ ...layer(), platform: { os: 'linux\n::x', architecture: 'amd64' } }],
      },
      'manifests[0].platform.os is not a platform name',
    ],
    ['schema version 1', image({ schemaVersion: 1 }), 'schemaVersion is not 2'],
    [
      'urls that are not strings',
      image({ layers: [layer({ urls: [1] })] }),
      'layers[0].urls is not a list of URLs',
    ],
  ])('refuses %s, saying where', (_name, body, where) => {
    expect(() => parse(body)).toThrow(`manifest x: invalid manifest: ${where}`);
  });

  it(`refuses more than ${MAX_ENTRIES} entries (an index's fan-out), saying how many`, () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => layer({ digest: sha256(String(i % 2)) }));
    expect(() => parse({ schemaVersion: 2, manifests: entries })).toThrow(
      `manifests has 20000 entries, more than the ${MAX_ENTRIES} accepted`,
    );
    expect(() => parse(image({ layers: entries.slice(0, MAX_ENTRIES + 1) }))).toThrow(
      'layers has 1001 entries',
    );
  });

  it('quotes no more than a short, printable piece of a bad digest', () => {
    const error = (() => {
      try {
        parse(image({ layers: [layer({ digest: `sha256:\n::warning::${'x'.repeat(500)}` })] }));
      } catch (e) {
        return e as Error;
      }
      throw new Error('accepted');
    })();
    expect(error.message).not.toContain('\n');
    expect(error.message.length).toBeLessThan(400);
  });
});
