import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

const actionYml = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8');

describe('action.yml', () => {
  it('runs the bundle on node24 with a post step that always runs', () => {
    expect(actionYml).toMatch(/^\s+using: 'node24'$/m);
    expect(actionYml).toMatch(/^\s+main: 'dist\/index.js'$/m);
    expect(actionYml).toMatch(/^\s+post: 'dist\/post\/index.js'$/m);
    expect(actionYml).toMatch(/^\s+post-if: 'always\(\)'$/m);
  });
});
