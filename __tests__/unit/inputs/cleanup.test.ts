import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import {
  DEFAULT_KEEP_TAGS,
  cleanupPlan,
  parseAge,
  parseKeepLast,
  tagPattern,
} from '../../../src/inputs/cleanup.js';
import { inputsFor } from '../../support/inputs.js';

const plan = (overrides: Parameters<typeof inputsFor>[0]) =>
  cleanupPlan(inputsFor({ command: 'cleanup', image: 'ghcr.io/octo-org/app', ...overrides }));

describe('older-than', () => {
  it.each([
    ['12h', 12 * 3_600_000],
    ['30d', 30 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['0d', 0],
    [' 7d ', 7 * 86_400_000],
  ])('reads %p', (text, ms) => expect(parseAge(text)?.ms).toBe(ms));

  it('is any age when empty', () => expect(parseAge('')).toBeUndefined());

  it.each(['30', 'd', '30 days', '-1d', '1.5d', '30m', '3y', '1234567d', 'thirty'])(
    'refuses %p by name, with the fix',
    (text) => {
      expect(() => parseAge(text)).toThrow(ActionError);
      expect(() => parseAge(text)).toThrow(`Input 'older-than' is '${text}'`);
      expect(() => parseAge(text)).toThrow("'12h', '30d' or '2w'");
    },
  );
});

describe('keep-last', () => {
  it('defaults to 10 and reads whole numbers', () => {
    expect(parseKeepLast('')).toBe(10);
    expect(parseKeepLast('0')).toBe(0);
    expect(parseKeepLast('25')).toBe(25);
  });

  it.each(['-1', '1.5', 'ten', '1e3', '9999999'])('refuses %p by name', (text) => {
    expect(() => parseKeepLast(text)).toThrow(`Input 'keep-last' is '${text}'`);
  });
});

describe('keep-tags patterns', () => {
  const matches = (pattern: string, tag: string) => tagPattern(pattern).regex.test(tag);

  it('reads wildcards as whole-tag globs', () => {
    expect(matches('release-*', 'release-2024')).toBe(true);
    expect(matches('release-*', 'pre-release-2024')).toBe(false);
    expect(matches('v?', 'v1')).toBe(true);
    expect(matches('v?', 'v10')).toBe(false);
    expect(matches('1.0', '1x0')).toBe(false);
    expect(matches('latest', 'latest')).toBe(true);
    expect(matches('latest', 'latest-old')).toBe(false);
  });

  it('reads /regex/ as a regular expression', () => {
    expect(matches('/^sha-/', 'sha-abc')).toBe(true);
    expect(matches('/^sha-/', 'pr-1')).toBe(false);
  });

  it('keeps latest and version-like tags by default, not sha-* or pr-*', () => {
    const keep = (tag: string) => DEFAULT_KEEP_TAGS.map(tagPattern).some((p) => p.regex.test(tag));
    for (const tag of ['latest', '1', 'v1', '1.2', 'v1.2.3', '1.2.3-rc.1']) expect(keep(tag)).toBe(true);
    for (const tag of ['sha-4f6d3a1', 'pr-12', 'main', 'edge', 'latest-1', '1.2.3.4'])
      expect(keep(tag)).toBe(false);
  });

  it.each([
    ['/[/', 'is not a regular expression'],
    ['release @x', 'holds characters no tag can have'],
    ['a/b', 'holds characters no tag can have'],
    ['x'.repeat(201), 'longer than 200'],
  ])('refuses %p by name', (text, why) => {
    expect(() => tagPattern(text)).toThrow(`Input 'keep-tags' has the pattern`);
    expect(() => tagPattern(text)).toThrow(why);
  });
});

describe('cleanupPlan', () => {
  it('names the package and the policy, dry run by default', () => {
    const made = plan({ keepTags: ['stable'], keepLast: '3', olderThan: '30d' });
    expect(made).toMatchObject({ owner: 'octo-org', name: 'app', dryRun: true });
    expect(made.policy.keepTags.map((p) => p.text)).toEqual(['stable']);
    expect(made.policy).toMatchObject({ keepLast: 3, untagged: true, olderThan: { text: '30d' } });
  });

  it('takes a nested package name (everything after the owner)', () => {
    expect(plan({ image: 'ghcr.io/octo-org/repo/worker' })).toMatchObject({
      owner: 'octo-org',
      name: 'repo/worker',
    });
  });

  it('uses the default keep-tags when none are given', () => {
    expect(plan({}).policy.keepTags.map((p) => p.text)).toEqual(DEFAULT_KEEP_TAGS);
  });

  it.each([
    [{ image: '' }, "Input 'image' is empty"],
    [{ image: 'ghcr.io/octo-org/app:v1' }, 'names a tag'],
    [{ image: `ghcr.io/octo-org/app@sha256:${'a'.repeat(64)}` }, 'names a digest'],
    [{ image: 'example.com/app' }, 'has no owner'],
  ])('refuses %p', (overrides, message) => {
    expect(() => plan(overrides)).toThrow(message);
  });
});
