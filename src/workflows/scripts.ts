/**
 * `run:` scripts that log docker, podman or buildah in: the registry, where the password comes from (argv or
 * stdin), and, for the few shapes recognised exactly, the line that logs in with GITHUB_TOKEN instead. Anything
 * else is reported and left for a human.
 */
import {
  GITHUB_TOKEN_EXPRESSION,
  classify,
  expandEnv,
  registryHost,
  type Credential,
  type EnvLookup,
} from './expressions.js';

export interface ScriptLogin {
  /** The script line (0-based, in the scalar's value) where the login command is. */
  index: number;
  host: string;
  credential: Credential;
  /** The new text of that line, when the line is a shape recognised exactly. */
  rewritten?: string;
}

const LOGIN = /(^|[\s;&|(])((?:sudo\s+)?(?:docker|podman|buildah)\s+login)\b([^;&|)]*)/g;
/** An expression, a shell variable, or PowerShell's $env:NAME. */
const TOKEN = /\$\{\{[^}]*\}\}|\$(?:env:)?\{?[A-Za-z_]\w*\}?/gi;
const FEEDER =
  /^\s*(?:echo(?:\s+-n)?|printf\s+(?:'%s'|"%s"|%s))\s+(?:"[^"]*"|'[^']*'|\$\{\{[^}]*\}\}|\S+)\s*$/;

interface LoginArgs {
  registry: string;
  password: string | undefined;
  stdin: boolean;
  hereString: string | undefined;
  /** Only -u/--username, -p/--password, --password-stdin and the registry: safe to rewrite. */
  plain: boolean;
  kept: string[];
}

/** Shell words (quotes kept on each word, as written). */
function words(text: string): string[] {
  return text.match(/(?:\$\{\{[^}]*\}\}|"[^"]*"|'[^']*'|[^\s"'$]+|\$)+/g) ?? [];
}

function parseArgs(text: string): LoginArgs {
  const args: LoginArgs = {
    registry: '',
    password: undefined,
    stdin: false,
    hereString: undefined,
    plain: true,
    kept: [],
  };
  const list = words(text);
  for (let i = 0; i < list.length; i++) {
    const word = list[i] ?? '';
    if (word === '-u' || word === '--username') args.kept.push(word, list[++i] ?? '');
    else if (word.startsWith('--username=')) args.kept.push(word);
    else if (word === '-p' || word === '--password') args.password = list[++i] ?? '';
    else if (word.startsWith('--password=')) args.password = word.slice('--password='.length);
    else if (word === '--password-stdin') args.stdin = true;
    else if (word === '<<<') args.hereString = list[++i] ?? '';
    else if (/^\d*[<>]/.test(word)) {
      if (/^\d*[<>]+&?$/.test(word)) i++; // a redirection and its file: not the registry
      args.plain = false;
    } else if (word.startsWith('-')) args.plain = false;
    else {
      args.registry = word;
      args.kept.push(word);
    }
  }
  return args;
}

/** The first secret among the shell variables and expressions in `text`, else what the first token is. */
function credentialIn(text: string, env: EnvLookup): Credential {
  let first: Credential = { kind: 'other' };
  for (const token of text.match(TOKEN) ?? []) {
    const found = classify(token, env);
    if (found.kind === 'secret') return found;
    if (first.kind === 'other') first = found;
  }
  return first;
}

/** Every secret-carrying token of `text` swapped for GITHUB_TOKEN. */
function swapSecrets(text: string, env: EnvLookup): string {
  return text.replace(TOKEN, (token) =>
    classify(token, env).kind === 'secret' ? GITHUB_TOKEN_EXPRESSION : token,
  );
}

/** The new line for an exactly recognised shape, else undefined. */
function rewriteLine(
  line: string,
  at: number,
  command: string,
  args: LoginArgs,
  env: EnvLookup,
): string | undefined {
  if (!args.plain || /;|&&|\|\||`|\$\(/.test(line)) return undefined;
  const before = line.slice(0, at);
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  if (args.password !== undefined && !args.stdin && before.trim() === '' && !line.includes('|')) {
    const kept = args.kept.join(' ');
    return `${indent}echo "${GITHUB_TOKEN_EXPRESSION}" | ${command} ${kept} --password-stdin`;
  }
  if (!args.stdin || args.password !== undefined) return undefined;
  const feeder = before.replace(/\|\s*$/, '');
  const piped = before.trimEnd().endsWith('|') && FEEDER.test(feeder) && args.hereString === undefined;
  const here = before.trim() === '' && args.hereString !== undefined && !line.includes('|');
  return piped || here ? swapSecrets(line, env) : undefined;
}

/** Joins `\`-continued lines: [logical text, index of its first line, whether it spans several]. */
function logicalLines(script: string): [string, number, boolean][] {
  const lines = script.split('\n');
  const out: [string, number, boolean][] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i] ?? '';
    while (/\\\s*$/.test(text) && i + 1 < lines.length)
      text = `${text.replace(/\\\s*$/, ' ')}${lines[++i] ?? ''}`;
    out.push([text, start, i > start]);
  }
  return out;
}

/** Logins in `script` to a registry `isGitHubRegistry` accepts, whatever their credential. */
export function scriptLogins(
  script: string,
  env: EnvLookup,
  isGitHubRegistry: (host: string) => boolean,
): ScriptLogin[] {
  const found: ScriptLogin[] = [];
  for (const [line, index, spans] of logicalLines(script)) {
    if (line.trim().startsWith('#')) continue;
    for (const match of line.matchAll(LOGIN)) {
      const [, lead = '', command = '', rest = ''] = match;
      const at = (match.index ?? 0) + lead.length;
      const args = parseArgs(rest);
      const host = registryHost(expandEnv(args.registry, env));
      if (!host || !isGitHubRegistry(host)) continue;
      const feeder =
        line
          .slice(0, at)
          .split(/;|&&|\|\|/)
          .pop() ?? '';
      const source = args.password ?? args.hereString ?? (args.stdin ? feeder : '');
      const credential = credentialIn(source, env);
      const rewritten = spans ? undefined : rewriteLine(line, at, command, args, env);
      found.push({ index, host, credential, ...(rewritten !== undefined ? { rewritten } : {}) });
    }
  }
  return found;
}
