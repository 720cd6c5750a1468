/**
 * What a value in a workflow carries: GITHUB_TOKEN, another secret (a PAT, as far as migrate can tell), or
 * something else. `${{ env.NAME }}`, shell `$NAME` and PowerShell `$env:NAME` are followed through the env of the step, job and workflow.
 */

export type Credential =
  { kind: 'github-token' } | { kind: 'secret'; secret: string; envName?: string } | { kind: 'other' };

/** Looks up an env variable visible to a step (step env first, then the job's, then the workflow's). */
export type EnvLookup = (name: string) => string | undefined;

const GITHUB_TOKEN = /^\$\{\{\s*(?:secrets\.GITHUB_TOKEN|github\.token)\s*\}\}$/i;
const ENV_EXPRESSION = /^\$\{\{\s*env\.([A-Za-z_][\w-]*)\s*\}\}$/;
const SECRET = /\$\{\{[^}]*?\bsecrets\.([A-Za-z_]\w*)[^}]*\}\}/g;
/** A shell variable: $NAME or ${NAME}, or PowerShell's $env:NAME. */
const SHELL_VARIABLE = /^\$(?:env:)?\{?([A-Za-z_]\w*)\}?$/i;

/** The expression every PAT is replaced with. */
export const GITHUB_TOKEN_EXPRESSION = '${{ secrets.GITHUB_TOKEN }}';

export function classify(value: string, env: EnvLookup, depth = 0): Credential {
  const text = value.trim();
  if (GITHUB_TOKEN.test(text)) return { kind: 'github-token' };
  const variable = ENV_EXPRESSION.exec(text) ?? SHELL_VARIABLE.exec(text);
  if (variable?.[1] && depth < 3) {
    const defined = env(variable[1]);
    if (defined === undefined) return { kind: 'other' };
    const inner = classify(defined, env, depth + 1);
    return inner.kind === 'secret' ? { ...inner, envName: variable[1] } : inner;
  }
  for (const match of text.matchAll(SECRET)) {
    const name = match[1] ?? '';
    if (name.toUpperCase() !== 'GITHUB_TOKEN') return { kind: 'secret', secret: name };
  }
  return { kind: 'other' };
}

/** How a credential is named in messages: `secrets.CR_PAT`, or `$CR_PAT (secrets.CR_PAT)`. */
export function describeSecret(credential: { secret: string; envName?: string }): string {
  return credential.envName
    ? `env ${credential.envName} (secrets.${credential.secret})`
    : `secrets.${credential.secret}`;
}

/** `text` with `${{ env.X }}`, `$X`, `${X}` and `$env:X` replaced by the env values known (for registry names). */
export function expandEnv(text: string, env: EnvLookup): string {
  return text
    .replace(/\$\{\{\s*env\.([A-Za-z_][\w-]*)\s*\}\}/g, (whole, name: string) => env(name) ?? whole)
    .replace(/\$(?:env:)?\{?([A-Za-z_]\w*)\}?/gi, (whole, name: string) => env(name) ?? whole);
}

/** The host of a registry value: scheme and path dropped, lower-cased ('' when none). */
export function registryHost(value: string): string {
  return (
    value
      .trim()
      .replace(/^[a-z]+:\/\//i, '')
      .split('/')[0]
      ?.toLowerCase() ?? ''
  );
}
