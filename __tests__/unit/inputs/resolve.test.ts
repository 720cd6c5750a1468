import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { resolveInput } from '../../../src/inputs/resolve.js';
import { inputsFor } from '../../support/inputs.js';

describe('resolveInput', () => {
  it("reads 'source' (latest by default), as pull does", () => {
    expect(resolveInput(inputsFor({ command: 'resolve', source: 'octo-org/app' })).ref.tag).toBe('latest');
  });

  it("refuses 'destination': resolve writes nothing, and a silently ignored input is a mistake left in place", () => {
    const run = () =>
      resolveInput(inputsFor({ command: 'resolve', source: 'octo-org/app', destination: 'oci-layout:x' }));
    expect(run).toThrow(ActionError);
    expect(run).toThrow(
      "Input 'destination' is 'oci-layout:x', but resolve writes nothing: 'destination' is for command: pull.",
    );
  });

  it("takes destination 'docker', action.yml's default that the runner passes to every step, as not given", () => {
    const ref = resolveInput(
      inputsFor({ command: 'resolve', source: 'octo-org/app', destination: 'docker' }),
    ).ref;
    expect(ref.repository).toBe('octo-org/app');
  });

  it("says both 'source' and 'image' are empty when neither names an image", () => {
    expect(() => resolveInput(inputsFor({ command: 'resolve' }))).toThrow(
      "Inputs 'source' and 'image' are both empty",
    );
  });
});
