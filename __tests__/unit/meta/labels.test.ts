import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { readContext } from '../../../src/context.js';
import type { RunContext } from '../../../src/context.js';
import { parseKeyValues } from '../../../src/inputs/key-values.js';
import {
  SOURCE_LABEL,
  buildTime,
  defaultLabels,
  mergeLabels,
  versionFromTags,
} from '../../../src/meta/labels.js';

const TAG_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const created = new Date('2024-05-27T14:20:11.000Z');
const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/events/${name}`, import.meta.url));

/** The context of a tag push, as the runner sets it, with this event payload file. */
function tagPush(eventPath: string | undefined, repository = 'octo-org/hello-world'): RunContext {
  const env: NodeJS.ProcessEnv = {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/tags/v1.2.3',
    GITHUB_SHA: TAG_SHA,
    GITHUB_SERVER_URL: 'https://github.com',
  };
  if (repository !== '') env.GITHUB_REPOSITORY = repository;
  if (eventPath !== undefined) env.GITHUB_EVENT_PATH = eventPath;
  return readContext(env);
}

// Variants of the recorded tag push with another repository description or licence, written to a temp dir.
const scratch = mkdtempSync(join(tmpdir(), 'meta-labels-'));
let written = 0;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tagPushWith(repositoryChanges: Record<string, unknown>): RunContext {
  const payload = JSON.parse(readFileSync(fixture('push_tag_v1.2.3.json'), 'utf8')) as {
    repository: Record<string, unknown>;
  };
  payload.repository = { ...payload.repository, ...repositoryChanges };
  const path = join(scratch, `event-${(written += 1)}.json`);
  writeFileSync(path, JSON.stringify(payload));
  return tagPush(path);
}

describe('defaultLabels', () => {
  it('labels a tag push from its recorded payload', () => {
    const labels = defaultLabels(tagPush(fixture('push_tag_v1.2.3.json')), { version: '1.2.3', created });
    expect(labels).toEqual({
      'org.opencontainers.image.source': 'https://github.com/octo-org/hello-world',
      'org.opencontainers.image.url': 'https://github.com/octo-org/hello-world',
      'org.opencontainers.image.revision': TAG_SHA,
      'org.opencontainers.image.created': '2024-05-27T14:20:11.000Z',
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.title': 'hello-world',
      'org.opencontainers.image.description':
        'A tiny web server that says hello, packaged as a container image.',
      'org.opencontainers.image.licenses': 'Apache-2.0',
    });
    expect(labels[SOURCE_LABEL]).toBe('https://github.com/octo-org/hello-world');
  });

  it('links to the server the run is on (GitHub Enterprise Server)', () => {
    const context = readContext({
      GITHUB_REPOSITORY: 'octo-org/hello-world',
      GITHUB_SERVER_URL: 'https://ghe.example.com/',
    });
    expect(defaultLabels(context, { version: '', created })[SOURCE_LABEL]).toBe(
      'https://ghe.example.com/octo-org/hello-world',
    );
  });

  it('leaves out description and licences the payload does not have', () => {
    const context = readContext({
      GITHUB_EVENT_PATH: fixture('push_main.json'),
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: '4f6d3a1c2b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f',
      GITHUB_REPOSITORY: 'octo-org/hello-world',
      GITHUB_SERVER_URL: 'https://github.com',
    });
    const labels = defaultLabels(context, { version: 'latest', created });
    expect(Object.keys(labels).sort()).toEqual(
      ['created', 'revision', 'source', 'title', 'url', 'version'].map(
        (k) => `org.opencontainers.image.${k}`,
      ),
    );
  });

  it.each([
    ['a null description and licence', { description: null, license: null }],
    ['an empty description and NOASSERTION', { description: '  ', license: { spdx_id: 'NOASSERTION' } }],
    ['non-string values', { description: 42, license: { spdx_id: 7 } }],
  ])('omits description and licences for %s', (_case, changes) => {
    const labels = defaultLabels(tagPushWith(changes), { version: '1.2.3', created });
    expect(labels).not.toHaveProperty(['org.opencontainers.image.description']);
    expect(labels).not.toHaveProperty(['org.opencontainers.image.licenses']);
  });

  it("cuts the description to ghcr.io's 512 characters and the licences to 256", () => {
    const context = tagPushWith({
      description: 'd'.repeat(600),
      license: { spdx_id: `MIT OR ${'x'.repeat(300)}` },
    });
    const labels = defaultLabels(context, { version: '1.2.3', created });
    expect(labels['org.opencontainers.image.description']).toBe('d'.repeat(512));
    expect(labels['org.opencontainers.image.licenses']).toHaveLength(256);
  });

  it('never splits a character in two when cutting', () => {
    const labels = defaultLabels(tagPushWith({ description: '😀'.repeat(600) }), { version: '', created });
    expect(labels['org.opencontainers.image.description']).toBe('😀'.repeat(512));
  });

  it('omits what has no value: no repository, no commit, no version', () => {
    const labels = defaultLabels(readContext({}), { version: '', created });
    expect(labels).toEqual({ 'org.opencontainers.image.created': '2024-05-27T14:20:11.000Z' });
  });
});

describe('mergeLabels', () => {
  it('lets user labels win over defaults and keeps the rest', () => {
    const defaults = defaultLabels(tagPush(fixture('push_tag_v1.2.3.json')), { version: '1.2.3', created });
    const user = parseKeyValues(['org.opencontainers.image.title=Hello', 'team=platform'], 'labels');
    const merged = mergeLabels(defaults, user);
    expect(merged['org.opencontainers.image.title']).toBe('Hello');
    expect(merged.team).toBe('platform');
    expect(merged[SOURCE_LABEL]).toBe('https://github.com/octo-org/hello-world');
    expect(defaults['org.opencontainers.image.title']).toBe('hello-world');
  });
});

describe('versionFromTags', () => {
  it.each([
    [['latest', '1.2.3', '1.2', '1'], '1.2.3'],
    [['1.2.3-rc.1'], '1.2.3-rc.1'],
    [['sha-4f6d3a1', 'v2.0.0'], 'v2.0.0'],
    [['feature-login', 'sha-0c1d2e3'], 'feature-login'],
    [['1.2', 'latest'], '1.2'],
    [[], ''],
  ])('%j -> %j', (tags, expected) => {
    expect(versionFromTags(tags)).toBe(expected);
  });
});

describe('buildTime', () => {
  const at = (payload: Record<string, unknown>): RunContext => ({ ...readContext({}), payload });

  it('takes SOURCE_DATE_EPOCH first', () => {
    const context = at({ head_commit: { timestamp: '2024-05-27T14:20:11Z' } });
    expect(buildTime(context, { SOURCE_DATE_EPOCH: '1700000000' }).toISOString()).toBe(
      '2023-11-14T22:13:20.000Z',
    );
  });

  it("takes the pushed commit's time next, so an unchanged rebuild keeps its digest", () => {
    const context = at({ head_commit: { timestamp: '2024-05-27T16:20:11+02:00' } });
    expect(buildTime(context, {}).toISOString()).toBe('2024-05-27T14:20:11.000Z');
  });

  it('falls back to now when neither says a time', () => {
    const before = Date.now();
    const time = buildTime(at({ head_commit: { timestamp: 'not a time' } }), { SOURCE_DATE_EPOCH: 'x' });
    expect(time.getTime()).toBeGreaterThanOrEqual(before);
    expect(time.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
