import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { mergePlan, mergeSources } from '../../../src/inputs/merge.js';
import { inputsFor } from '../../support/inputs.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;

describe('mergePlan', () => {
  const source = [`ghcr.io/octo-org/app@${d('a')}`, `ghcr.io/octo-org/app-arm@${d('b')}`].join('\n');
  const base = { command: 'merge' as const, source, image: 'ghcr.io/octo-org/app' };

  it('reads one reference a line, each once, and the repositories to read, each once', () => {
    const plan = mergePlan(
      inputsFor({ ...base, source: `${source}\n\n  octo-org/app:1.0-amd64  \n${source}`, tags: ['1.0'] }),
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
    expect(mergePlan(inputsFor({ ...base, tags: ['1.0', 'ghcr.io/octo-org/app:latest'] })).tags).toEqual([
      '1.0',
      'latest',
    ]);
    expect(mergePlan(inputsFor({ ...base, image: 'ghcr.io/octo-org/app:edge' })).tags).toEqual(['edge']);
    expect(mergePlan(inputsFor(base)).tags).toEqual([]);
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
    const run = () => mergePlan(inputsFor({ ...base, ...overrides }));
    expect(run).toThrow(ActionError);
    expect(run).toThrow(message);
    expect(run).toThrow(fix);
  });

  it('lower-cases nothing but the repository, and keeps tags as given', () => {
    expect(mergeSources('octo-org/app:V1', 'ghcr.io')[0]?.ref.tag).toBe('V1');
  });
});
