import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { attestationsFor } from '../../../src/inputs/attestations.js';
import { runContext } from '../../support/run-context.js';

const none = { provenance: '', sbom: '' };

describe('attestationsFor: build-push-action defaults', () => {
  it('a push of a public repository: provenance mode=max with this run as the builder id; no SBOM', () => {
    const context = runContext({ repositoryPrivate: false, runId: '42' });
    expect(attestationsFor(none, context, true)).toEqual({
      provenance: {
        value: `mode=max,builder-id=${context.serverUrl}/${context.repository}/actions/runs/42`,
        auto: true,
      },
    });
  });

  it('a private repository, or one whose visibility is unknown: mode=min', () => {
    for (const repositoryPrivate of [true, undefined]) {
      const found = attestationsFor(none, runContext({ repositoryPrivate, runId: undefined }), true);
      expect(found.provenance).toEqual({ value: 'mode=min', auto: true });
    }
  });

  it('no push: no default attestation at all', () => {
    expect(attestationsFor(none, runContext(), false)).toEqual({});
  });

  it('values given are passed on as buildx takes them, push or not', () => {
    const given = { provenance: 'mode=max,version=v1', sbom: 'TRUE' };
    expect(attestationsFor(given, runContext(), false)).toEqual({
      provenance: { value: 'mode=max,version=v1', auto: false },
      sbom: { value: 'true', auto: false },
    });
    expect(attestationsFor({ provenance: 'false', sbom: 'false' }, runContext(), true)).toEqual({
      provenance: { value: 'false', auto: false },
      sbom: { value: 'false', auto: false },
    });
  });

  it.each([
    ['provenance', 'mode=huge'],
    ['provenance', 'yes please'],
    ['sbom', 'generator=a,b'],
    ['sbom', 'generator="x"'],
    ['provenance', 'mode=max,'],
  ])("refuses %s '%s' by name, with the values it takes", (name, value) => {
    const run = () => attestationsFor({ ...none, [name]: value }, runContext(), true);
    expect(run).toThrow(ActionError);
    expect(run).toThrow(`Input '${name}' is '${value}', which is not one of its values.`);
  });
});
