import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { mergePlan, mergeSources } from '../../../src/inputs/merge.js';
import { inputsFor } from '../../support/inputs.js';
import { runContext } from '../../support/run-context.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;

describe('mergePlan', () => {
  const source = [`ghcr.io/octo-org/app@${d('a')}`, `ghcr.io/octo-org/app-arm@${d('b')}`].join('\n');
  const base = { command: 'merge' as const, source, image: 'ghcr.io/octo-org/app' };
  const push = runContext();

  it('reads one reference a line, each once, and the repositories to read, each once', () => {
    const plan = mergePlan(
      inputsFor({ ...base, source: `${source}\n\n  octo-org/app:1.0-amd64  \n${source}`, tags: ['1.0'] }),
      push,
    );
    expect(plan.sources.map((s) => s.line)).toEqual([
      `ghcr.io/octo-org/app@${d('a')}`,
      `ghcr.io/octo-org/app-arm@${d('b')}`,
      'octo-org/app:1.0-amd64',
    ]);
    expect(plan.sources[2]?.ref).toMatchObject({
      registry: 'ghcr.io',
      repository: 'octo-org/app',
      tag: '1.0-amd64',
    });
    expect(plan.repositories.map((r) => r.repository)).toEqual(['octo-org/app', 'octo-org/app-arm']);
    expect(plan.repositories.every((r) => !r.tag && !r.digest)).toBe(true);
    expect(plan.image).toMatchObject({ repository: 'octo-org/app', tag: undefined });
    expect(plan.tags).toEqual(['1.0']);
  });

  it("writes the 'tags' (short or full), else the image's tag, else none (by digest only)", () => {
    expect(
      mergePlan(inputsFor({ ...base, tags: ['1.0', 'ghcr.io/octo-org/app:latest'] }), push).tags,
    ).toEqual(['1.0', 'latest']);
    expect(mergePlan(inputsFor({ ...base, image: 'ghcr.io/octo-org/app:edge' }), push).tags).toEqual([
      'edge',
    ]);
    expect(mergePlan(inputsFor(base), push).tags).toEqual([]);
  });

  it("with 'event-tags: true' and no tags given, writes the event's tags as publish does ('latest' shapes them)", () => {
    const events = { ...base, eventTags: true };
    expect(mergePlan(inputsFor(events), push).tags).toEqual(['latest', 'sha-4f6d3a1']);
    expect(mergePlan(inputsFor({ ...events, latest: 'false' }), push).tags).toEqual(['main', 'sha-4f6d3a1']);
    const release = runContext({ ref: 'refs/tags/v1.2.3' });
    expect(mergePlan(inputsFor(events), release).tags).toEqual(['1.2.3', '1.2', '1', 'latest']);
    // What is given still wins: the tags, else the image's tag.
    expect(mergePlan(inputsFor({ ...events, tags: ['rc'] }), push).tags).toEqual(['rc']);
    expect(mergePlan(inputsFor({ ...events, image: 'ghcr.io/octo-org/app:edge' }), push).tags).toEqual([
      'edge',
    ]);
    // An event that calls for no tags is refused as in publish, rather than leaving the index untagged.
    const noRef = runContext({ eventName: 'workflow_dispatch', ref: '' });
    expect(() => mergePlan(inputsFor(events), noRef)).toThrow('No tags to publish');
  });

  it.each([
    [
      { latest: 'true' as const },
      "merge takes no tags from the event unless 'event-tags' is true",
      'event-tags: true',
    ],
    [
      { latest: 'false' as const, eventTags: true, tags: ['1.0'] },
      "Input 'latest' is 'false', but the tags are given ('1.0')",
      "remove 'tags' and set 'event-tags: true'",
    ],
  ])("refuses a 'latest' that would shape nothing: %j", (overrides, message, fix) => {
    const run = () => mergePlan(inputsFor({ ...base, ...overrides }), push);
    expect(run).toThrow(message);
    expect(run).toThrow(fix);
  });

  it.each([
    [{ source: '' }, "Input 'source' is empty", 'one reference a line'],
    [{ source: ' \n \n' }, "Input 'source' is empty", 'one reference a line'],
    [{ source: `octo-org/app@${d('a')}, octo-org/app@${d('b')}` }, 'holds a comma', 'a line of its own'],
    [{ source: 'octo-org/App!' }, "Input 'source': Invalid repository path component", "correct 'source'"],
    [{ source: 'octo-org/app' }, "lists 'octo-org/app', which names no tag or digest", "'push: by-digest'"],
    [
      { source: `127.0.0.1:5000/octo-org/app@${d('a')}` },
      'on 127.0.0.1:5000, but the index is written to ghcr.io',
      'command: promote',
    ],
    [{ image: '' }, "Input 'image' is empty.", "set 'image'"],
    [{ image: `octo-org/app@${d('c')}` }, 'names a digest', 'without a digest'],
    [{ tags: ['bad tag'] }, "The tag 'bad tag' in 'tags' is not valid", 'valid tag'],
    [{ image: 'octo-org/app:x', tags: ['y'] }, "Input 'image' names the tag 'x'", "put every tag in 'tags'"],
  ])('refuses %j before anything is read or written', (overrides, message, fix) => {
    const run = () => mergePlan(inputsFor({ ...base, ...overrides }), push);
    expect(run).toThrow(ActionError);
    expect(run).toThrow(message);
    expect(run).toThrow(fix);
  });

  it('lower-cases nothing but the repository, and keeps tags as given', () => {
    expect(mergeSources('octo-org/app:V1', 'ghcr.io')[0]?.ref.tag).toBe('V1');
  });
});
