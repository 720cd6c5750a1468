import { repositoryOf } from '../registry/index.js';
import type { BuildRequest } from './types.js';

/** The argv every builder shares: --tag per tag, --label and --build-arg per entry, --target when set. */
export function imageArgs(request: BuildRequest): string[] {
  const repository = repositoryOf(request.image);
  const args: string[] = [];
  for (const tag of request.tags) args.push('--tag', `${repository}:${tag}`);
  for (const [key, value] of Object.entries(request.labels)) args.push('--label', `${key}=${value}`);
  for (const [key, value] of Object.entries(request.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  if (request.target) args.push('--target', request.target);
  return args;
}

/** A Dockerfile's instructions, one a line: comments and blank lines dropped, `\` line continuations joined. */
function instructions(text: string): string[] {
  const found: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.endsWith('\\')) pending += `${line.slice(0, -1)} `;
    else {
      found.push(pending + line);
      pending = '';
    }
  }
  if (pending.trim()) found.push(pending.trim());
  return found;
}

const VARIABLE = /\$(?:\{([A-Za-z_]\w*)(?::?([-+])([^}]*))?\}|([A-Za-z_]\w*))/g;

/** `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME:+word}` replaced; undefined when a name has no value. */
function expand(word: string, values: Map<string, string>): string | undefined {
  let unknown = false;
  const expanded = word.replace(VARIABLE, (_all, braced?: string, op?: string, alt = '', bare?: string) => {
    const value = values.get(braced ?? bare ?? '');
    if (op === '-') return value || alt;
    if (op === '+') return value ? alt : '';
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown || expanded.includes('$') ? undefined : expanded;
}

/** `ARG NAME[=default] ...`: each name's value, a build arg first, then its default, then `inherited`'s. */
function declare(
  words: string[],
  into: Map<string, string>,
  buildArgs: Record<string, string>,
  inherited?: Map<string, string>,
): void {
  for (const word of words) {
    const [name = '', ...rest] = word.split('=');
    const fallback = rest.length
      ? expand(rest.join('=').replace(/^(["'])(.*)\1$/, '$2'), into)
      : inherited?.get(name);
    const value = Object.hasOwn(buildArgs, name) ? buildArgs[name] : fallback;
    if (value !== undefined) into.set(name, value);
  }
}

/** The images a step's leading flags name: `--from=` (COPY, ADD) and `--mount=...,from=` (RUN). */
function fromFlags(op: string, words: string[]): string[] {
  if (!['COPY', 'ADD', 'RUN'].includes(op)) return [];
  const images: string[] = [];
  for (const word of words) {
    if (!word.startsWith('--')) break;
    if (word.startsWith('--from=')) images.push(word.slice('--from='.length));
    if (!word.startsWith('--mount=')) continue;
    const from = word
      .slice('--mount='.length)
      .split(',')
      .find((option) => option.startsWith('from='));
    if (from) images.push(from.slice('from='.length));
  }
  return images;
}

/**
 * The images a build of this Dockerfile may pull, build args applied: every FROM and `--from` that names no
 * earlier stage and is not `scratch`. Undefined when that cannot be told for sure (a variable without a value,
 * an escape directive): the caller must then assume any registry.
 */
export function dockerfilePulls(text: string, buildArgs: Record<string, string>): string[] | undefined {
  if (/^#\s*escape\s*=/im.test(text)) return undefined;
  const globals = new Map<string, string>();
  let scope: Map<string, string> | undefined;
  const stages: string[] = [];
  const pulls: string[] = [];
  const add = (image: string | undefined): boolean => {
    if (!image) return false;
    const name = image.toLowerCase();
    if (name !== 'scratch' && !stages.includes(name) && !/^\d+$/.test(name)) pulls.push(image);
    return true;
  };
  for (const line of instructions(text)) {
    const [keyword = '', ...words] = line.split(/\s+/);
    const op = keyword.toUpperCase();
    if (op === 'ARG') declare(words, scope ?? globals, buildArgs, scope && globals);
    else if (op === 'FROM') {
      const [image = '', as, stage] = words.filter((word) => !word.startsWith('--'));
      if (!add(expand(image, globals))) return undefined;
      if (as?.toLowerCase() === 'as' && stage) stages.push(stage.toLowerCase());
      scope = new Map();
    } else {
      for (const flag of fromFlags(op, words)) if (!add(expand(flag, scope ?? globals))) return undefined;
    }
  }
  return pulls;
}

/** The registry an image name pulls from, by docker's rule: a first component with '.' or ':', or localhost. */
export function registryOfImage(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  return /[.:]/.test(first) || first === 'localhost' ? first : 'docker.io';
}
