import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { platformInput, platformsInput } from '../../../src/inputs/platform.js';

describe('platformInput', () => {
  it.each([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
    ['linux/arm64/v8', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    ['windows/amd64', { os: 'windows', architecture: 'amd64' }],
    ['LINUX/ARM64', { os: 'linux', architecture: 'arm64' }],
  ])('reads %s', (value, expected) => {
    expect(platformInput(value, 'platform')).toEqual(expected);
  });

  it.each(['linux', 'linux/', 'linux/arm/v7/extra', ''])(
    'refuses %p, naming the input, quoting the value and giving the form',
    (value) => {
      const run = () => platformInput(value, 'platform');
      expect(run).toThrow(ActionError);
      expect(run).toThrow(`Input 'platform': Invalid platform '${value}'`);
      expect(run).toThrow("\nFix: correct 'platform' (e.g. linux/amd64, linux/arm64/v8 or windows/amd64).");
    },
  );
});

describe('platformsInput', () => {
  it('writes every platform the standard way (lower case)', () => {
    expect(platformsInput(['Linux/AMD64', 'linux/arm64/V8'], 'platforms')).toEqual([
      'linux/amd64',
      'linux/arm64/v8',
    ]);
  });

  it('keeps the list as given when every item is a platform', () => {
    expect(platformsInput(['linux/amd64', 'linux/arm64'], 'platforms')).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
  });

  it('names the list input and the bad item', () => {
    expect(() => platformsInput(['linux/amd64', 'arm64'], 'platforms')).toThrow(
      "Input 'platforms': Invalid platform 'arm64'",
    );
  });
});
