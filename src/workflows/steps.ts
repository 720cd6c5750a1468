/**
 * One step at a time: a login action pointed at a GitHub registry, this action's `pat:` input, or a `run:`
 * script that logs in. Each gives findings (without the job's permissions, added by detect.ts), its edits, and
 * whether the step uses a GitHub registry at all (so the job needs a packages permission).
 */
import type { Node, Pair, Scalar } from 'yaml';
import {
  GITHUB_TOKEN_EXPRESSION,
  classify,
  describeSecret,
  registryHost,
  expandEnv,
  type Credential,
} from './expressions.js';
import type { StepView } from './model.js';
import {
  lineAt,
  lineEnd,
  lineStart,
  mapOf,
  pairOf,
  resolved,
  textOf,
  valueOf,
  type Workflow,
} from './parse.js';
import type { Need } from './permissions.js';
import { scriptLogins } from './scripts.js';
import type { DetectOptions, Edit, Finding, FindingKind } from './types.js';

export interface StepOutcome {
  findings: Finding[];
  edits: Edit[];
  /** The registry this step logs in to, when it is GitHub's, and the packages access it needs. */
  registry?: { host: string; need: Need };
  /** Env variables whose use was rewritten, with the finding that rewrote it (the entry may be removed). */
  envUses: EnvUse[];
  /** A login whose credential migrate cannot tell: the job's permissions and PATs are left as they are. */
  unknown?: boolean;
}

export interface EnvUse {
  name: string;
  finding: Finding;
}

type Secret = Extract<Credential, { kind: 'secret' }>;

/** Login actions: their registry and password inputs. Other `*login*` actions with these inputs count too. */
const LOGIN_ACTIONS: Record<string, [string, string]> = {
  'docker/login-action': ['registry', 'password'],
  'redhat-actions/podman-login': ['registry', 'password'],
  'azure/docker-login': ['login-server', 'password'],
};

const actionOf = (uses: string): string =>
  uses.split('@')[0]?.split('/').slice(0, 2).join('/').toLowerCase() ?? '';

export function isThisAction(uses: string): boolean {
  return uses === './' || uses === '.' || /^[^/\s]+\/ghcr-image-action(?:\/[^@]*)?@/i.test(uses);
}

/** A scalar replaced by `value`, in the quotes it had; undefined for block scalars. */
function replaceScalar(node: Node | undefined, value: string): Edit | undefined {
  const scalar = node as Scalar | undefined;
  const range = scalar?.range;
  if (!range) return undefined;
  const quote =
    scalar?.type === 'QUOTE_DOUBLE'
      ? '"'
      : scalar?.type === 'QUOTE_SINGLE'
        ? "'"
        : scalar?.type === 'PLAIN'
          ? ''
          : undefined;
  return quote === undefined
    ? undefined
    : { start: range[0], end: range[1], text: `${quote}${value}${quote}` };
}

/** The lines of a pair removed (comments above kept), when the pair starts its line. */
export function removePair(workflow: Workflow, pair: Pair): Edit | undefined {
  const key = (pair.key as Node).range;
  const value = (pair.value as Node | null)?.range;
  if (!key) return undefined;
  const start = lineStart(workflow.text, key[0]);
  if (workflow.text.slice(start, key[0]).trim() !== '') return undefined;
  const last = value ? value[1] : key[1];
  const end = workflow.text[last - 1] === '\n' ? last : lineEnd(workflow.text, last);
  return { start, end, text: '' };
}

function finding(
  options: DetectOptions,
  workflow: Workflow,
  at: number,
  kind: FindingKind,
  parts: [string, string],
  edits: (Edit | undefined)[],
): [Finding, Edit[]] {
  const ok = edits.every((edit) => edit !== undefined);
  const line = lineAt(workflow, at);
  return [
    { file: options.file, line, kind, message: parts[0], replacement: parts[1], rewritable: ok },
    ok ? (edits as Edit[]) : [],
  ];
}

/** A login to `host` whose credential is neither GITHUB_TOKEN nor a secret: reported, never rewritten. */
function unknownLogin(options: DetectOptions, workflow: Workflow, at: number, what: string): StepOutcome {
  const message = `${what}, but migrate could not tell which credential this login uses; check it by hand (it is neither GITHUB_TOKEN nor a secret).`;
  const replacement = `${GITHUB_TOKEN_EXPRESSION} with the job's packages permission, if it is a personal access token`;
  const [found] = finding(options, workflow, at, 'unknown-credential', [message, replacement], [undefined]);
  return { findings: [found], edits: [], envUses: [], unknown: true };
}

function loginAction(workflow: Workflow, step: StepView, options: DetectOptions): StepOutcome | undefined {
  const name = actionOf(step.uses);
  const with_ = mapOf(workflow.doc, pairOf(step.map, 'with')?.value);
  const keys =
    LOGIN_ACTIONS[name] ??
    (name.includes('login') ? (['registry', 'password'] as [string, string]) : undefined);
  if (!keys) return undefined;
  const host = registryHost(expandEnv(valueOf(workflow.doc, with_, keys[0]) ?? '', step.env));
  if (!host || !options.isGitHubRegistry(host)) return undefined;
  const outcome: StepOutcome = { findings: [], edits: [], registry: { host, need: 'write' }, envUses: [] };
  const pair = pairOf(with_, keys[1]);
  const credential = classify(textOf(workflow.doc, pair?.value) ?? '', step.env);
  if (credential.kind === 'github-token') return outcome;
  const at = ((pair ?? pairOf(step.map, 'uses'))?.key as Node | undefined)?.range?.[0] ?? 0;
  if (!pair || credential.kind !== 'secret')
    return unknownLogin(options, workflow, at, `${name} logs in to ${host}`);
  const message = `${name} logs in to ${host} with ${describeSecret(credential)}, a personal access token.`;
  const [found, edits] = finding(
    options,
    workflow,
    at,
    'login-action',
    [message, `${keys[1]}: ${GITHUB_TOKEN_EXPRESSION}`],
    [replaceScalar(resolved(workflow.doc, pair.value), GITHUB_TOKEN_EXPRESSION)],
  );
  const envUses = credential.envName ? [{ name: credential.envName, finding: found }] : [];
  return { ...outcome, findings: [found], edits, envUses };
}

function thisAction(workflow: Workflow, step: StepView, options: DetectOptions): StepOutcome | undefined {
  if (!isThisAction(step.uses)) return undefined;
  const withPair = pairOf(step.map, 'with');
  const with_ = mapOf(workflow.doc, withPair?.value);
  const host = registryHost(expandEnv(valueOf(workflow.doc, with_, 'registry') || 'ghcr.io', step.env));
  const command = (valueOf(workflow.doc, with_, 'command') || 'publish').toLowerCase();
  if (command === 'migrate' || !options.isGitHubRegistry(host)) return undefined;
  const need: Need = command === 'pull' || command === 'resolve' ? 'read' : 'write';
  const outcome: StepOutcome = { findings: [], edits: [], registry: { host, need }, envUses: [] };
  const inputs = (['pat', 'github-token'] as const).flatMap((input) => {
    const pair = pairOf(with_, input);
    const text = textOf(workflow.doc, pair?.value) ?? '';
    return pair && text.trim() ? [{ input, pair, credential: classify(text, step.env) }] : [];
  });
  const unknown = inputs.find((i) => i.credential.kind === 'other');
  if (unknown) {
    const at = (unknown.pair.key as Node).range?.[0] ?? 0;
    return unknownLogin(options, workflow, at, `This action's '${unknown.input}' input (${host})`);
  }
  const secrets = inputs.flatMap((i) =>
    i.credential.kind === 'secret' ? [{ ...i, credential: i.credential }] : [],
  );
  // When every input goes, the `with:` key goes with them: the first one's edit removes it, the others need none.
  const all = secrets.length === (with_?.items.length ?? 0) && withPair;
  for (const { input, pair, credential } of secrets) {
    const message = `This action's '${input}' input passes ${describeSecret(credential)}, a personal access token.`;
    const replacement = `no '${input}' input (the action uses ${'${{ github.token }}'} by default)`;
    const first = secrets[0]?.pair === pair;
    const edit = all ? (first ? [removePair(workflow, all)] : []) : [removePair(workflow, pair)];
    const [found, edits] = finding(
      options,
      workflow,
      (pair.key as Node).range?.[0] ?? 0,
      'pat-input',
      [message, replacement],
      edit,
    );
    outcome.findings.push(found);
    outcome.edits.push(...edits);
    if (credential.envName) outcome.envUses.push({ name: credential.envName, finding: found });
  }
  return outcome;
}

/** Where a script line sits in the file: the k-th verbatim occurrence of its text inside the scalar. */
function locate(workflow: Workflow, node: Scalar, script: string, index: number): number | undefined {
  const lines = script.split('\n');
  const target = lines[index]?.trim() ?? '';
  const range = node.range;
  if (!target || !range) return undefined;
  const before = lines.slice(0, index).join('\n').split(target).length - 1;
  const source = workflow.text.slice(range[0], range[1]);
  let at = -1;
  for (let seen = 0; seen <= before; seen++) {
    at = source.indexOf(target, at + 1);
    if (at < 0) return undefined;
  }
  return range[0] + at;
}

const safeIn = (node: Scalar, text: string): boolean =>
  node.type === 'QUOTE_DOUBLE'
    ? !/["\\]/.test(text)
    : node.type === 'QUOTE_SINGLE'
      ? !text.includes("'")
      : node.type === 'PLAIN'
        ? !/: | #/.test(text)
        : true;

function runStep(workflow: Workflow, step: StepView, options: DetectOptions): StepOutcome | undefined {
  const pair = pairOf(step.map, 'run');
  const node = resolved(workflow.doc, pair?.value) as Scalar | undefined;
  const script = textOf(workflow.doc, node);
  if (!script || !node?.range) return undefined;
  const outcome: StepOutcome = { findings: [], edits: [], envUses: [] };
  for (const login of scriptLogins(script, step.env, options.isGitHubRegistry)) {
    const at = locate(workflow, node, script, login.index);
    if (login.credential.kind === 'other') {
      const unknown = unknownLogin(
        options,
        workflow,
        at ?? node.range[0],
        `A run script logs in to ${login.host}`,
      );
      outcome.findings.push(...unknown.findings);
      outcome.unknown = true;
      continue;
    }
    outcome.registry = { host: login.host, need: 'write' };
    if (login.credential.kind !== 'secret') continue;
    const credential: Secret = login.credential;
    const original = script.split('\n')[login.index]?.trim() ?? '';
    const text = login.rewritten?.trim();
    const edit =
      at !== undefined && text !== undefined && safeIn(node, text)
        ? { start: at, end: at + original.length, text }
        : undefined;
    const message = `A run script logs in to ${login.host} with ${describeSecret(credential)}, a personal access token.`;
    const replacement = text ?? `the password from ${GITHUB_TOKEN_EXPRESSION}, piped to --password-stdin`;
    const [found, edits] = finding(
      options,
      workflow,
      at ?? node.range[0],
      'run-login',
      [message, replacement],
      [edit],
    );
    outcome.findings.push(found);
    outcome.edits.push(...edits);
    if (credential.envName && edit) outcome.envUses.push({ name: credential.envName, finding: found });
  }
  return outcome;
}

export function checkStep(
  workflow: Workflow,
  step: StepView,
  options: DetectOptions,
): StepOutcome | undefined {
  if (step.uses) return thisAction(workflow, step, options) ?? loginAction(workflow, step, options);
  return runStep(workflow, step, options);
}
