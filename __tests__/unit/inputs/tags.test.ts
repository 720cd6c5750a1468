import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { resolveTags, tagsInput } from '../../../src/inputs/tags.js';
import { parseReference } from '../../../src/registry/index.js';
import { runContext } from '../../support/run-context.js';

// The one rule for tags given by the user (publish and promote): short tags, or full references of the image.
describe('tagsInput', () => {
  const image = parseReference('ghcr.io/octo-org/app');

  it('keeps explicit short tags, dropping duplicates in order', () => {
    expect(tagsInput(['1.0', 'latest', '1.0', ' edge '], image)).toEqual(['1.0', 'latest', 'edge']);
  });

  it('takes full references of the same repository, capitals and a missing registry included', () => {
    const explicit = ['ghcr.io/octo-org/app:1.0', 'ghcr.io/Octo-Org/App:Edge', 'octo-org/app:2', '1.0'];
    expect(tagsInput(explicit, image)).toEqual(['1.0', 'Edge', '2']);
  });

  it("compares against the image's own registry", () => {
    const local = parseReference('127.0.0.1:5100/octo-org/app');
    expect(tagsInput(['octo-org/app:1', '127.0.0.1:5100/octo-org/app:2'], local)).toEqual(['1', '2']);
    expect(() => tagsInput(['ghcr.io/octo-org/app:1'], local)).toThrow(/'ghcr\.io\/octo-org\/app:1'/);
  });

  it.each(['ghcr.io/octo-org/other:1.0', 'docker.io/octo-org/app:1.0', 'app:1.0'])(
    'rejects %s, a reference of another repository',
    (value) => {
      const run = (): string[] => tagsInput([value], image);
      expect(run).toThrow(ActionError);
      expect(run).toThrow(`'${value}'`);
      expect(run).toThrow(
        /not the image 'ghcr\.io\/octo-org\/app'.*\nFix: .*'ghcr\.io\/octo-org\/app:<tag>'/,
      );
    },
  );

  it('rejects a reference without a tag, or with a digest', () => {
    expect(() => tagsInput(['ghcr.io/octo-org/app'], image)).toThrow(
      /'ghcr\.io\/octo-org\/app' in 'tags' has no tag/,
    );
    const pinned = `ghcr.io/octo-org/app:1.0@sha256:${'a'.repeat(64)}`;
    expect(() => tagsInput([pinned], image)).toThrow(/carries a digest/);
  });

  it.each(['my tag', '.hidden', '-rc', 'a'.repeat(129), 'ghcr.io/octo-org/app:-x'])(
    'rejects the invalid tag %j, quoting it',
    (value) => {
      const run = (): string[] => tagsInput(['1.0', value], image);
      expect(run).toThrow(ActionError);
      expect(run).toThrow(`'${value}' in 'tags'`);
      expect(run).toThrow(/\nFix: .*'1\.0'/);
    },
  );

  it('reads no tags as none (the caller picks its default)', () => {
    expect(tagsInput(['', '  '], image)).toEqual([]);
  });
});

describe('resolveTags', () => {
  const image = parseReference('ghcr.io/octo-org/app');
  const feature = runContext({
    ref: 'refs/heads/feature/login',
    sha: '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d',
  });

  it("takes the explicit tags (the tags input rule) over the event's", () => {
    expect(resolveTags(['1.0', 'octo-org/app:edge'], image, feature)).toEqual(['1.0', 'edge']);
  });

  it('takes the tags from the event when none are given', () => {
    expect(resolveTags([], image, feature)).toEqual(['feature-login', 'sha-0c1d2e3']);
    expect(resolveTags(['', '  '], image, feature)).toEqual(['feature-login', 'sha-0c1d2e3']);
  });

  it("asks for 'tags' when the event calls for none", () => {
    const dispatch = runContext({ eventName: 'workflow_dispatch', ref: '' });
    const run = (): string[] => resolveTags([], image, dispatch);
    expect(run).toThrow(ActionError);
    expect(run).toThrow(/'workflow_dispatch' on no ref.*\nFix: Set the 'tags' input/);
  });
});
