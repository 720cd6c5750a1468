import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { imageInput, sourceInput, targetInput } from '../../../src/inputs/references.js';
import { actionErrorOf } from '../../support/errors.js';

afterEach(() => {
  jest.restoreAllMocks();
});

describe('imageInput', () => {
  it('puts a reference without a registry on the given one', () => {
    expect(imageInput('octo-org/app:1.0', 'image', '127.0.0.1:5100')).toEqual({
      registry: '127.0.0.1:5100',
      repository: 'octo-org/app',
      tag: '1.0',
      lowercased: false,
    });
  });

  it('names the empty input and shows the form to write', () => {
    const error = actionErrorOf(() => imageInput('', 'source', 'ghcr.io'));
    expect(error.message).toContain("Input 'source' is empty.");
    expect(error.fix).toBe("set 'source' to an image, e.g. ghcr.io/OWNER/NAME:TAG.");
  });

  it('names the input and quotes the bad part of an invalid reference', () => {
    const error = actionErrorOf(() => imageInput('octo-org/app:-bad', 'image', 'ghcr.io'));
    expect(error.message).toMatch(/^Input 'image': Invalid tag '-bad'/);
    expect(error.fix).toContain('[registry/]owner/name[:tag][@digest]');
  });

  it('lower-cases a repository path with capitals, with a notice that names the input', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const ref = imageInput('ghcr.io/Octo-Org/App:Edge', 'image', 'ghcr.io');
    const printed = write.mock.calls.map(([chunk]) => String(chunk)).join('');
    expect(ref.repository).toBe('octo-org/app');
    expect(ref.tag).toBe('Edge');
    expect(printed).toContain("::notice::'image' was lower-cased to ghcr.io/octo-org/app:Edge");
  });
});

describe('sourceInput', () => {
  const inputs = { source: '', image: '', registry: 'ghcr.io' };

  it("reads 'source' first, and a bare name as latest", () => {
    expect(sourceInput({ ...inputs, source: 'octo-org/app', image: 'octo-org/other:1' })).toMatchObject({
      input: 'source',
      ref: { repository: 'octo-org/app', tag: 'latest' },
    });
  });

  it("falls back to 'image', keeping its tag or digest as given", () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(sourceInput({ ...inputs, image: 'octo-org/app:1.2' })).toMatchObject({
      input: 'image',
      ref: { tag: '1.2' },
    });
    const pinned = sourceInput({ ...inputs, image: `octo-org/app@${digest}` }).ref;
    expect(pinned.digest).toBe(digest);
    expect(pinned.tag).toBeUndefined();
  });
});

describe('targetInput', () => {
  it('keeps the tag named in the image, for default tags', () => {
    expect(targetInput('ghcr.io/octo-org/app:2.0', 'image', 'ghcr.io').tag).toBe('2.0');
  });

  it("refuses an image on another registry than 'registry': the credentials go there only", () => {
    const error = actionErrorOf(() => targetInput('docker.io/octo-org/app', 'image', 'ghcr.io'));
    expect(error.message).toContain("Input 'image' is on docker.io, but 'registry' is ghcr.io");
    expect(error.fix).toContain("set 'registry: docker.io'");
  });

  it('refuses a digest: tags are what gets written', () => {
    const value = `ghcr.io/octo-org/app@sha256:${'b'.repeat(64)}`;
    const error = actionErrorOf(() => targetInput(value, 'image', 'ghcr.io'));
    expect(error.message).toBe(`Input 'image' (${value}) names a digest.\nFix: ${error.fix}`);
    expect(error.fix).toContain("put tags in 'tags'");
  });
});
