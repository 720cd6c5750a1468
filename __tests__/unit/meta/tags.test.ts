import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { readContext } from '../../../src/context.js';
import type { RunContext } from '../../../src/context.js';
import { sanitizeTag, tagsFromEvent } from '../../../src/meta/tags.js';
import { validateTag } from '../../../src/registry/reference.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/events/${name}`, import.meta.url));

/** The context the runner gives a step for this event: the env it sets, the payload file it writes. */
function contextFor(event: { file?: string; name: string; ref?: string; sha?: string }): RunContext {
  const env: NodeJS.ProcessEnv = {
    GITHUB_EVENT_NAME: event.name,
    GITHUB_REPOSITORY: 'octo-org/hello-world',
    GITHUB_SERVER_URL: 'https://github.com',
  };
  if (event.file !== undefined) env.GITHUB_EVENT_PATH = fixture(event.file);
  if (event.ref !== undefined) env.GITHUB_REF = event.ref;
  if (event.sha !== undefined) env.GITHUB_SHA = event.sha;
  return readContext(env);
}

const MAIN_SHA = '4f6d3a1c2b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f';
const FEATURE_SHA = '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d';
const TAG_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const RC_SHA = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807';
const ZERO_SHA = '3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f';
const RELEASE_SHA = 'b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f80';
const MERGE_SHA = 'e3a1f0c2d4b6a8c0e2f4a6b8c0d2e4f6a8b0c2d4';
const RELEASE = ['1.2.3', '1.2', '1', 'latest'];

// One recorded payload per case: [fixture, GITHUB_EVENT_NAME, GITHUB_REF, GITHUB_SHA, expected tags].
const EVENTS: [string, string, string, string, string[]][] = [
  ['push_main.json', 'push', 'refs/heads/main', MAIN_SHA, ['latest', 'sha-4f6d3a1']],
  [
    'push_feature_branch.json',
    'push',
    'refs/heads/feature/login',
    FEATURE_SHA,
    ['feature-login', 'sha-0c1d2e3'],
  ],
  ['push_tag_v1.2.3.json', 'push', 'refs/tags/v1.2.3', TAG_SHA, RELEASE],
  ['push_tag_1.2.3.json', 'push', 'refs/tags/1.2.3', TAG_SHA, RELEASE],
  ['push_tag_v1.2.3-rc.1.json', 'push', 'refs/tags/v1.2.3-rc.1', RC_SHA, ['1.2.3-rc.1']],
  ['push_tag_v0.4.1.json', 'push', 'refs/tags/v0.4.1', ZERO_SHA, ['0.4.1', '0.4', 'latest']],
  ['push_tag_release-2024.05.json', 'push', 'refs/tags/release-2024.05', RELEASE_SHA, ['release-2024.05']],
  ['pull_request_same_repo.json', 'pull_request', 'refs/pull/42/merge', MERGE_SHA, ['pr-42']],
  ['schedule.json', 'schedule', 'refs/heads/main', MAIN_SHA, ['nightly']],
  [
    'workflow_dispatch_main.json',
    'workflow_dispatch',
    'refs/heads/main',
    MAIN_SHA,
    ['latest', 'sha-4f6d3a1'],
  ],
];

describe('tagsFromEvent on recorded events', () => {
  it.each(EVENTS)('%s: %s on %s', (file, name, ref, sha, expected) => {
    const context = contextFor({ file, name, ref, sha });
    // The recording agrees with the env the runner would set beside it.
    expect(context.payload.repository?.full_name).toBe('octo-org/hello-world');
    if (typeof context.payload.ref === 'string') expect(context.payload.ref).toBe(ref);
    expect(tagsFromEvent(context)).toEqual(expected);
    for (const tag of tagsFromEvent(context)) expect(() => validateTag(tag)).not.toThrow();
  });

  it('reads the same-repository pull request as not a fork', () => {
    const context = contextFor({
      file: 'pull_request_same_repo.json',
      name: 'pull_request',
      ref: 'refs/pull/42/merge',
    });
    expect(context.pullRequestNumber).toBe(42);
    expect(context.isForkPullRequest).toBe(false);
  });

  it('tags a pull_request_target by its number too', () => {
    const context = contextFor({
      file: 'pull_request_fork.json',
      name: 'pull_request_target',
      ref: 'refs/heads/main',
    });
    expect(tagsFromEvent(context)).toEqual(['pr-42']);
  });

  it('never tags latest when the default branch is unknown', () => {
    const context = contextFor({ name: 'push', ref: 'refs/heads/main', sha: MAIN_SHA });
    expect(context.defaultBranch).toBeUndefined();
    expect(tagsFromEvent(context)).toEqual(['main', 'sha-4f6d3a1']);
  });

  it('gives no sha- tag without a commit', () => {
    const context = contextFor({
      file: 'push_feature_branch.json',
      name: 'push',
      ref: 'refs/heads/feature/login',
    });
    expect(tagsFromEvent(context)).toEqual(['feature-login']);
  });

  it.each([
    ['v1.2.3+build.5', ['1.2.3-build.5']],
    ['v1.2.3-rc.1+build.5', ['1.2.3-rc.1-build.5']],
    ['v2.0.0-beta', ['2.0.0-beta']],
    ['v0.0.1', ['0.0.1', '0.0', 'latest']],
    ['10.20.30', ['10.20.30', '10.20', '10', 'latest']],
    ['v01.2.3', ['v01.2.3']],
    ['v1.2', ['v1.2']],
    ['V1.2.3', ['V1.2.3']],
    ['nightly/2024 05', ['nightly-2024-05']],
  ])('git tag %s -> %j', (tag, expected) => {
    expect(tagsFromEvent(contextFor({ name: 'push', ref: `refs/tags/${tag}`, sha: TAG_SHA }))).toEqual(
      expected,
    );
  });

  it('gives nothing for a ref that is neither a branch nor a tag', () => {
    expect(tagsFromEvent(contextFor({ name: 'workflow_dispatch' }))).toEqual([]);
    expect(tagsFromEvent(contextFor({ name: 'merge_group', ref: 'refs/notes/x' }))).toEqual([]);
  });
});

describe("tagsFromEvent with 'latest'", () => {
  const main = () =>
    contextFor({ file: 'push_main.json', name: 'push', ref: 'refs/heads/main', sha: MAIN_SHA });
  const release = () => contextFor({ name: 'push', ref: 'refs/tags/v1.2.3', sha: TAG_SHA });
  const feature = () =>
    contextFor({ file: 'push_feature_branch.json', name: 'push', ref: 'refs/heads/feature/login' });

  it('auto: latest on the default branch and on a release, as documented', () => {
    expect(tagsFromEvent(main(), 'auto')).toEqual(['latest', 'sha-4f6d3a1']);
    expect(tagsFromEvent(release(), 'auto')).toEqual(['1.2.3', '1.2', '1', 'latest']);
    expect(tagsFromEvent(feature(), 'auto')).toEqual(['feature-login']);
  });

  it('false: never latest; the default branch is tagged with its name (teams that release by tag)', () => {
    expect(tagsFromEvent(main(), 'false')).toEqual(['main', 'sha-4f6d3a1']);
    expect(tagsFromEvent(release(), 'false')).toEqual(['1.2.3', '1.2', '1']);
  });

  it('true: latest on every event that gives tags, once', () => {
    expect(tagsFromEvent(feature(), 'true')).toEqual(['feature-login', 'latest']);
    expect(tagsFromEvent(release(), 'true')).toEqual(['1.2.3', '1.2', '1', 'latest']);
    expect(tagsFromEvent(contextFor({ name: 'workflow_dispatch' }), 'true')).toEqual([]);
  });
});

describe('sanitizeTag', () => {
  it.each([
    ['feature/login', 'feature-login'],
    ['my branch', 'my-branch'],
    ['fix/ünïcode-😀', 'fix--n-code--'],
    ['..hidden', 'hidden'],
    ['-.-x', 'x'],
    ['/feature', 'feature'],
    ['_under', '_under'],
    ['Release_1.0', 'Release_1.0'],
    ['', ''],
    ['///', ''],
    ['...', ''],
  ])('%j -> %j', (name, expected) => {
    const tag = sanitizeTag(name);
    expect(tag).toBe(expected);
    if (tag !== '') expect(() => validateTag(tag)).not.toThrow();
  });

  it('cuts a 200-character name to 128, after dropping what may not start a tag', () => {
    expect(sanitizeTag('a'.repeat(200))).toBe('a'.repeat(128));
    expect(sanitizeTag(`-.${'b'.repeat(200)}`)).toBe('b'.repeat(128));
    expect(() => validateTag(sanitizeTag(`/${'c'.repeat(200)}`))).not.toThrow();
  });
});
