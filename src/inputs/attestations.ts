/**
 * `provenance` and `sbom`: buildx attestations, with build-push-action's defaults. Provenance by default: on a
 * push only (a loaded image cannot carry attestations), `mode=max` for a public repository and `mode=min` for a
 * private or internal one or one whose visibility the event does not give, with this run as the builder id. SBOM
 * by default: none. Each takes true, false, or buildx's attribute list (`mode=max,version=v1`, `generator=...`).
 */
import type { Attestation, Attestations } from '../build/types.js';
import type { RunContext } from '../context.js';
import { ActionError } from '../errors.js';

/** `key=value[,key=value...]`: keys as buildx spells them, values without a comma, a quote or a space. */
const ATTRIBUTES = /^[a-z][a-z0-9-]*=[\w.:/@+-]+(,[a-z][a-z0-9-]*=[\w.:/@+-]+)*$/;

const HINTS = {
  provenance: 'true, false, or attributes such as mode=max (mode=min|max, version=v0.2|v1)',
  sbom: 'true, false, or attributes such as generator=<image>',
} as const;

/** A given value as buildx takes it ('true', 'false' or attributes), undefined when blank. */
function attestationValue(name: 'provenance' | 'sbom', given: string): string | undefined {
  const raw = given.trim();
  if (raw === '') return undefined;
  const lower = raw.toLowerCase();
  if (['true', 'false'].includes(lower)) return lower;
  const mode = /(?:^|,)mode=([^,]*)/.exec(raw)?.[1];
  if (ATTRIBUTES.test(raw) && (name !== 'provenance' || mode === undefined || ['min', 'max'].includes(mode)))
    return raw;
  throw new ActionError(
    `Input '${name}' is '${given}', which is not one of its values.`,
    `set '${name}' to ${HINTS[name]}; leave it out for the default.`,
  );
}

/** The provenance build-push-action would add by default, for this run. */
function defaultProvenance(context: RunContext): Attestation {
  const mode = context.repositoryPrivate === false ? 'max' : 'min';
  const builder =
    context.repository && context.runId
      ? `,builder-id=${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`
      : '';
  return { value: `mode=${mode}${builder}`, auto: true };
}

/** The attestations for a build: defaults apply only to a push; given values are kept (buildx.ts passes them on a push only, and says so otherwise). */
export function attestationsFor(
  given: { provenance: string; sbom: string },
  context: RunContext,
  push: boolean,
): Attestations {
  const provenance = attestationValue('provenance', given.provenance);
  const sbom = attestationValue('sbom', given.sbom);
  const result: Attestations = {};
  if (provenance !== undefined) result.provenance = { value: provenance, auto: false };
  else if (push) result.provenance = defaultProvenance(context);
  if (sbom !== undefined) result.sbom = { value: sbom, auto: false };
  return result;
}
