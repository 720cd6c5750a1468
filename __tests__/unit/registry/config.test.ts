import { describe, expect, it } from '@jest/globals';
import { configFacts, configPlatform, platformMatches } from '../../../src/registry/config.js';
import type { Descriptor } from '../../../src/registry/manifests.js';
import { parsePlatform, selectPlatform, type Platform } from '../../../src/registry/platform.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const entry = (digest: string, platform: Platform): Descriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest,
  size: 1,
  platform,
});

describe('configPlatform: the platform an image config names', () => {
  const config = (body: unknown) => Buffer.from(JSON.stringify(body));

  it.each<[string, unknown, Platform | undefined]>([
    [
      'os and architecture',
      { os: 'linux', architecture: 'amd64', rootfs: {} },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      'a variant',
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ],
    [
      'an empty variant (none)',
      { os: 'windows', architecture: 'amd64', variant: '' },
      { os: 'windows', architecture: 'amd64' },
    ],
    [
      "a Windows image's os.version",
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2340' },
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2340' },
    ],
    ['no os (names none)', { architecture: 'amd64' }, undefined],
    ['no architecture (names none)', { os: 'linux' }, undefined],
  ])('%s', (_what, body, expected) => {
    expect(configPlatform(config(body), 'config x')).toEqual(expected);
  });

  it.each<[string, Buffer, RegExp]>([
    ['not JSON', Buffer.from('{nope'), /^config x: the image config is not JSON$/],
    ['a list', config([]), /not a JSON object/],
    [
      'an os that is not a name',
      config({ os: 'linux\n::error::x', architecture: 'amd64' }),
      /os is not a platform name/,
    ],
    [
      'an architecture that is a number',
      config({ os: 'linux', architecture: 64 }),
      /architecture is not a platform name/,
    ],
    [
      'a variant of 65 characters',
      config({ os: 'linux', architecture: 'arm', variant: 'v'.repeat(65) }),
      /variant/,
    ],
  ])('refuses a config that is %s, quoting none of it', (_what, bytes, message) => {
    expect(() => configPlatform(bytes, 'config x')).toThrow(message);
    expect(() => configPlatform(bytes, 'config x')).not.toThrow(/::error::|vvvvv/);
  });
});

describe('configFacts: the platform and the labels of an image config', () => {
  const config = (body: unknown) => Buffer.from(JSON.stringify(body));

  it('reads config.Labels, string values only', () => {
    const facts = configFacts(
      config({
        os: 'linux',
        architecture: 'arm64',
        config: { Labels: { 'org.opencontainers.image.source': 'https://x', n: 1, o: null } },
      }),
      'config x',
    );
    expect(facts).toEqual({
      platform: { os: 'linux', architecture: 'arm64' },
      labels: { 'org.opencontainers.image.source': 'https://x' },
    });
  });

  it.each([{}, { config: null }, { config: { Labels: null } }, { config: { Labels: ['a'] } }])(
    'reads no labels from %j',
    (body) => {
      expect(configFacts(config(body), 'config x')).toEqual({ platform: undefined, labels: {} });
    },
  );

  it('refuses an os.version that is no version, quoting none of it', () => {
    const bytes = config({ os: 'windows', architecture: 'amd64', 'os.version': '10 ::error::x' });
    expect(() => configFacts(bytes, 'config x')).toThrow(/os\.version is not a platform name/);
    expect(() => configFacts(bytes, 'config x')).not.toThrow(/::error::/);
  });
});

describe('platformMatches: the rule of selectPlatform', () => {
  const p = (text: string) => parsePlatform(text);

  it.each<[string, string, boolean]>([
    ['linux/amd64', 'linux/amd64', true],
    ['linux/amd64', 'linux/arm64', false],
    ['windows/amd64', 'linux/amd64', false],
    ['linux/arm64/v8', 'linux/arm64', true],
    ['linux/arm64', 'linux/arm64/v8', true],
    ['linux/arm64/v9', 'linux/arm64/v8', false],
    ['linux/arm/v7', 'linux/arm/v7', true],
    ['linux/arm/v6', 'linux/arm/v7', false],
    ['linux/arm/v7', 'linux/arm', true],
  ])('an image of %s for %s: %p', (have, wanted, expected) => {
    expect(platformMatches(p(have), p(wanted))).toBe(expected);
    // The same answer as picking it out of an index.
    expect(
      selectPlatform({ schemaVersion: 2, manifests: [entry(d('1'), p(have))] }, p(wanted)) !== undefined,
    ).toBe(expected);
  });
});
