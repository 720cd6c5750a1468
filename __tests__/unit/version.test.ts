import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ACTION_VERSION, USER_AGENT } from '../../src/version.js';

describe('version', () => {
  it('equals the version in package.json, so the User-Agent never lies', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(ACTION_VERSION).toBe(pkg.version);
    expect(USER_AGENT).toBe(`ghcr-image-action/${pkg.version}`);
  });
});
