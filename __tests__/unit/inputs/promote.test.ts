import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { promotePlan } from '../../../src/inputs/promote.js';
import { inputsFor } from '../../support/inputs.js';

describe('promotePlan', () => {
  const base = { command: 'promote' as const, source: 'ghcr.io/octo-org/app@sha256:' + 'c'.repeat(64) };

  it("copies to the image's repository under 'tags' (short tags or references of the image)", () => {
    const plan = promotePlan(
      inputsFor({ ...base, image: 'ghcr.io/octo-org/app', tags: ['production', 'ghcr.io/octo-org/app:v2'] }),
    );
    expect(plan.destination).toMatchObject({ repository: 'octo-org/app', tag: undefined });
    expect(plan.tags).toEqual(['production', 'v2']);
  });

  it("defaults the tag to the image's, then the source's, then latest", () => {
    expect(promotePlan(inputsFor({ ...base, image: 'octo-org/app:stable' })).tags).toEqual(['stable']);
    expect(
      promotePlan(inputsFor({ ...base, source: 'octo-org/app:1.4', image: 'octo-org/app' })).tags,
    ).toEqual(['1.4']);
    expect(promotePlan(inputsFor({ ...base, image: 'octo-org/app' })).tags).toEqual(['latest']);
  });

  it.each([
    [{ source: '' }, "Input 'source' is empty."],
    [{ image: 'docker.io/octo-org/app' }, "Input 'image' is on docker.io, but 'registry' is ghcr.io"],
    [{ image: `octo-org/app@sha256:${'d'.repeat(64)}` }, 'names a digest'],
    [{ image: 'octo-org/app', tags: ['-bad'] }, "The tag '-bad' in 'tags' is not valid"],
    [
      { image: 'octo-org/app:stable', tags: ['prod'] },
      "Input 'image' names the tag 'stable', and 'tags' is set too",
    ],
    [{ image: 'octo-org/app', tags: ['octo-org/other:1'] }, "names the repository 'ghcr.io/octo-org/other'"],
  ])('refuses %j before anything is read or written', (overrides, message) => {
    const run = () => promotePlan(inputsFor({ ...base, ...overrides }));
    expect(run).toThrow(ActionError);
    expect(run).toThrow(message);
  });
});
