/**
 * Build secrets ('secrets', 'secret-files', 'secret-envs') and SSH mounts ('ssh') of publish, checked before any
 * side effect. A message names the input and the line by its number and id: never a secret value. A `secrets`
 * line is named by its number only: a bare secret may hold '=', and what is left of it is no id to quote.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { BuildSecret, SshMount } from '../build/types.js';
import { ActionError } from '../errors.js';
import { printable } from '../registry/index.js';
import type { Inputs } from './index.js';

const ID = /^[A-Za-z0-9_.-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Item {
  input: string;
  /** How messages name the line: by number and id, or by number only (`secrets`). */
  where: string;
  id: string;
  rest: string;
}

/** An `id=rest` line; without '=' or with a bad id it throws, never quoting the line (it may be a secret). */
function item(text: string, index: number, input: string, shape: string): Item {
  const equals = text.indexOf('=');
  const id = equals < 0 ? '' : text.slice(0, equals).trim();
  const where = `Line ${index + 1} of '${input}'`;
  const fix = `write each line of '${input}' as ${shape}; an id has only letters, digits, '_', '.' and '-' ([A-Za-z0-9_.-]).`;
  if (equals < 0)
    throw new ActionError(`${where} has no '=' (the line is not shown: it may hold a secret).`, fix);
  if (!ID.test(id)) {
    // Any part of a `secrets` line may be a secret (a bare base64 value is split at its first '=').
    const shown =
      input === 'secrets'
        ? 'an id that is not valid (the line is not shown: it may hold a secret)'
        : `the id '${printable(id, 80)}', which is not valid`;
    throw new ActionError(`${where} has ${shown}.`, fix);
  }
  const named = input === 'secrets' ? where : `${where} (id '${id}')`;
  return { input, where: named, id, rest: text.slice(equals + 1).trim() };
}

const items = (lines: string[], input: string, shape: string): Item[] =>
  lines.map((text, index) => item(text, index, input, shape));

function fail(item: Item, what: string, fix: string): never {
  throw new ActionError(`${item.where} ${what}.`, fix);
}

/** A path a secret file or key is read from, relative to the current folder (the workspace). */
function existingFile(item: Item, inside?: (path: string, input: string) => void): string {
  const path = isAbsolute(item.rest) ? item.rest : resolve(item.rest);
  const shown = `'${printable(item.rest, 200)}'`;
  if (!item.rest) fail(item, 'names no path', `write it as id=path.`);
  if (!existsSync(path))
    fail(
      item,
      `names ${shown}, which does not exist`,
      'check the path (relative paths start at the workspace) and create the file in an earlier step.',
    );
  // BuildKit and buildah read `src=PATH` and `id=PATH` as CSV: a comma would cut the path.
  if (path.includes(','))
    fail(item, `names ${shown}, whose path has a comma`, 'move or link the file to a path without a comma.');
  inside?.(path, item.input);
  return path;
}

function valueSecrets(inputs: Inputs): BuildSecret[] {
  return items(inputs.secrets, 'secrets', 'id=value').map((item) => {
    if (!item.rest)
      fail(
        item,
        'has an empty value (the line is not shown: it may hold a secret)',
        `write it as id=value (an id of [A-Za-z0-9_.-]), e.g. 'token=\${{ secrets.TOKEN }}'.`,
      );
    return { id: item.id, value: item.rest };
  });
}

function fileSecrets(inputs: Inputs, inside: (path: string, input: string) => void): BuildSecret[] {
  return items(inputs.secretFiles, 'secret-files', 'id=path').map((item) => {
    const file = existingFile(item, inside);
    if (!statSync(file).isFile())
      fail(
        item,
        `names '${printable(item.rest, 200)}', which is not a file`,
        'name the file that holds the secret.',
      );
    return { id: item.id, file };
  });
}

function envSecrets(inputs: Inputs, env: NodeJS.ProcessEnv): BuildSecret[] {
  return items(inputs.secretEnvs, 'secret-envs', 'id=ENV_NAME').map((item) => {
    if (!ENV_NAME.test(item.rest))
      fail(
        item,
        // Not quoted: a value pasted here by mistake (token=\${{ secrets.JWT }}) is a secret.
        'names no environment variable (the right-hand side is not shown: it may hold a secret)',
        'write the name of a variable of the step (letters, digits and _), e.g. token=NPM_TOKEN.',
      );
    const value = env[item.rest];
    if (!value)
      fail(
        item,
        `names the variable ${item.rest}, which is ${value === undefined ? 'not set' : 'empty'}`,
        `set it in the step's 'env:' (e.g. ${item.rest}: \${{ secrets.${item.rest} }}).`,
      );
    return { id: item.id, value };
  });
}

/** `default` (the SSH_AUTH_SOCK agent) or `id=path` (an agent socket or a private key file). */
function sshMounts(inputs: Inputs, env: NodeJS.ProcessEnv): SshMount[] {
  const mounts = inputs.ssh.map((line, index): SshMount => {
    if (line !== 'default') {
      const mount = item(line, index, 'ssh', "'default' or id=path");
      return { id: mount.id, path: existingFile(mount) };
    }
    const socket = env.SSH_AUTH_SOCK;
    if (!socket || !existsSync(socket)) {
      throw new ActionError(
        `Line ${index + 1} of 'ssh' is 'default', but SSH_AUTH_SOCK ${socket ? `names '${printable(socket, 200)}', which does not exist` : 'is not set'}.`,
        "start an agent and add the key in an earlier step (e.g. webfactory/ssh-agent), or write 'id=path' with a key file.",
      );
    }
    return { id: 'default', path: socket };
  });
  return unique(mounts, 'ssh');
}

/** `hidden(index)` names an item whose id is not to be quoted (a `secrets` line: it may be part of a secret). */
function unique<T extends { id: string }>(
  list: T[],
  inputs: string,
  hidden?: (index: number) => string,
): T[] {
  const seen = new Set<string>();
  list.forEach(({ id }, index) => {
    const named = hidden?.(index);
    if (seen.has(id))
      throw new ActionError(
        `${named ? `The id of ${named}` : `The id '${id}'`} appears twice in ${inputs}.`,
        'give every secret (and every ssh mount) an id of its own.',
      );
    seen.add(id);
  });
  return list;
}

/**
 * Each value to mask for a secret: as given, trimmed (what is mounted), and each line of 4 characters or more (the
 * runner masks a log line by line, so a multi-line value registered whole would not hide a single line of it;
 * shorter lines such as '}' or '-----' fragments would mask common text all over the log and hide nothing).
 */
export function maskedParts(value: string): string[] {
  const lines = value.split(/\r?\n/).map((line) => line.trim());
  const parts = [value, value.trim(), ...lines.filter((line) => line.length >= 4)];
  return [...new Set(parts.filter(Boolean))];
}

/** Every secret and SSH mount of the build, checked; `inside` refuses a secret file outside the workspace and RUNNER_TEMP. */
export function buildSecrets(
  inputs: Inputs,
  inside: (path: string, input: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): { secrets: BuildSecret[]; ssh: SshMount[] } {
  const values = valueSecrets(inputs);
  const secrets = unique(
    [...values, ...fileSecrets(inputs, inside), ...envSecrets(inputs, env)],
    "'secrets', 'secret-files' and 'secret-envs'",
    (index) => (index < values.length ? `line ${index + 1} of 'secrets'` : ''),
  );
  return { secrets, ssh: sshMounts(inputs, env) };
}
