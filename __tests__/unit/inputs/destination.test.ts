import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { destinationInput } from '../../../src/inputs/destination.js';
import type { ActionError } from '../../../src/errors.js';
import { actionErrorOf } from '../../support/errors.js';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pull-destination-unit-'));
  temps.push(dir);
  return dir;
}

/** The ActionError destinationInput throws for value (fails the test when it throws none or another). */
const refusal = (value: string): ActionError => actionErrorOf(() => destinationInput(value));

describe('destinationInput', () => {
  it.each(['', 'docker', 'docker-daemon'])("takes '%s' as the docker daemon", (value) => {
    expect(destinationInput(value)).toEqual({ kind: 'docker' });
  });

  it('takes oci-layout:DIR for a new folder, an empty folder and an existing layout, as absolute paths', () => {
    const base = tempDir();
    const fresh = join(base, 'new', 'layout');
    expect(destinationInput(`oci-layout:${fresh}`)).toEqual({ kind: 'oci-layout', path: fresh });

    const empty = join(base, 'empty');
    mkdirSync(empty);
    expect(destinationInput(`oci-layout:${empty}`)).toEqual({ kind: 'oci-layout', path: empty });

    const layout = join(base, 'layout');
    mkdirSync(layout);
    writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(join(layout, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
    mkdirSync(join(layout, 'blobs'));
    expect(destinationInput(`oci-layout:${layout}`)).toEqual({ kind: 'oci-layout', path: layout });
  });

  it('resolves a relative path against the working directory', () => {
    const relative = join('pull-destination-unit-does-not-exist', 'out');
    expect(destinationInput(`oci-layout:${relative}`)).toEqual({
      kind: 'oci-layout',
      path: resolve(process.cwd(), relative),
    });
    expect(destinationInput(`docker-archive:${relative}.tar`)).toEqual({
      kind: 'docker-archive',
      path: resolve(process.cwd(), `${relative}.tar`),
    });
  });

  it('refuses oci-layout: with a non-empty folder that is not a layout, naming the value and what would work', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const value = `oci-layout:${dir}`;
    const error = refusal(value);
    expect(error.message).toContain(`'${value}'`);
    expect(error.message).toContain('notes.txt');
    expect(error.fix).toMatch(/new or empty folder/);
    expect(error.fix).toMatch(/existing OCI layout/);
  });

  it('refuses oci-layout: with a file', () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    expect(refusal(`oci-layout:${file}`).message).toMatch(/not a folder/);
  });

  it('takes docker-archive:FILE, new or existing', () => {
    const base = tempDir();
    const fresh = join(base, 'sub', 'image.tar');
    expect(destinationInput(`docker-archive:${fresh}`)).toEqual({ kind: 'docker-archive', path: fresh });
    const existing = join(base, 'old.tar');
    writeFileSync(existing, 'old');
    expect(destinationInput(`docker-archive:${existing}`)).toEqual({
      kind: 'docker-archive',
      path: existing,
    });
  });

  it('refuses docker-archive: with an existing folder', () => {
    const dir = tempDir();
    const value = `docker-archive:${dir}`;
    const error = refusal(value);
    expect(error.message).toContain(`'${value}'`);
    expect(error.message).toMatch(/is a folder/);
    expect(error.fix).toMatch(/docker-archive:/);
  });

  it.each(['tarball:x', 'oci-layout:', 'docker-archive:', 'foo', ':x', 'oci:dir', 'Docker'])(
    "refuses '%s', listing the destinations there are",
    (value) => {
      const error = refusal(value);
      expect(error.message).toContain(`'${value}'`);
      expect(error.message).toMatch(/not a destination/);
      expect(error.fix).toContain("'docker'");
      expect(error.fix).toContain('oci-layout:DIR');
      expect(error.fix).toContain('docker-archive:FILE');
    },
  );
});
