import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const ROOT = join(import.meta.dirname ?? process.cwd(), '..', '..');
const read = (name: string) => JSON.parse(readFileSync(join(ROOT, name), 'utf8')) as Record<string, unknown>;

describe('package.json engines', () => {
  const engines = (read('package.json').engines as { node: string }).node;
  const packages = read('package-lock.json').packages as Record<string, { engines?: { node?: string } }>;

  it("accepts only Node versions that every installed dependency's own engine range accepts", () => {
    const narrower = Object.entries(packages)
      .filter(([name, info]) => name !== '' && typeof info.engines?.node === 'string')
      .filter(([, info]) => !semver.subset(engines, info.engines?.node ?? '*'))
      .map(([name, info]) => `${name.replace(/^node_modules\//, '')}: ${info.engines?.node}`);
    expect(narrower).toEqual([]);
  });

  it("includes this machine's Node and the runner's node24", () => {
    expect(semver.satisfies(process.versions.node, engines)).toBe(true);
    expect(semver.satisfies('24.0.0', engines)).toBe(true);
  });
});
