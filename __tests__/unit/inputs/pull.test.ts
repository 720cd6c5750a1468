import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { pullPlan } from '../../../src/inputs/pull.js';
import { hostPlatform } from '../../../src/registry/index.js';
import { inputsFor } from '../../support/inputs.js';

describe('pullPlan', () => {
  it("pulls 'source' as latest into docker, for the runner's platform, by default", () => {
    const plan = pullPlan(inputsFor({ command: 'pull', source: 'octo-org/app' }));
    expect(plan).toMatchObject({
      ref: { registry: 'ghcr.io', repository: 'octo-org/app', tag: 'latest' },
      input: 'source',
      destination: { kind: 'docker' },
      platform: hostPlatform(),
      platformAsked: false,
    });
  });

  it('takes the platform and destination asked for', () => {
    const plan = pullPlan(
      inputsFor({ source: 'octo-org/app:1', platform: 'linux/arm64', destination: 'docker-archive:x.tar' }),
    );
    expect(plan.platform).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(plan.platformAsked).toBe(true);
    expect(plan.destination.kind).toBe('docker-archive');
  });

  it.each([
    [{ source: '' }, "Inputs 'source' and 'image' are both empty"],
    [{ source: 'ghcr.io/app' }, "an image on ghcr.io is named OWNER/NAME, and 'app' has no owner"],
    [{ source: 'octo-org/app', destination: 'tarball:x' }, "Input 'destination' is 'tarball:x'"],
    [{ source: 'octo-org/app', platform: 'linux' }, "Input 'platform': Invalid platform 'linux'"],
  ])('checks every input before anything is fetched: %j', (overrides, message) => {
    const run = () => pullPlan(inputsFor(overrides));
    expect(run).toThrow(ActionError);
    expect(run).toThrow(message);
  });
});
