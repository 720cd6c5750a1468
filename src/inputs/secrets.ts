/**
 * Build secrets ('secrets', 'secret-files', 'secret-envs') and SSH mounts ('ssh') of publish, checked before any
 * side effect. A message names the input and the line by its number and id: never a secret value.
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
  /** 1-based, among the input's non-blank lines. */
  line: number;
  id: string;
  rest: string;
}

/** An `id=rest` line; without '=' or with a bad id it throws, never quoting the line (it may be a secret). */
function item(text: string, index: number, input: string, shape: string): Item {
  const equals = text.indexOf('=');
  const id = equals < 0 ? '' : text.slice(0, equals).trim();
  const where = `Line ${index + 1} of '${input}'`;
  const fix = `write each line of '${input}' as ${shape}; an id has only letters, digits, '_', '.' and '-'.`;
  if (equals < 0)
    throw new ActionError(`${where} has no '=' (the line is not shown: it may hold a secret).`, fix);
  if (!ID.test(id))
    throw new ActionError(`${where} has the id '${printable(id, 80)}', which is not valid.`, fix);
  return { input, line: index + 1, id, rest: text.slice(equals + 1).trim() };
}

const items = (lines: string[], input: string, shape: string): Item[] =>
  lines.map((text, index) => item(text, index, input, shape));

function fail(item: Item, what: string, fix: string): never {
  throw new ActionError(`Line ${item.line} of '${item.input}' (id '${item.id}') ${what}.`, fix);
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
        'has an empty value',
        `give the secret's value after '=', e.g. 'token=\${{ secrets.TOKEN }}'.`,
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
        `names '${printable(item.rest, 80)}', which is not an environment variable name`,
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

function unique<T extends { id: string }>(list: T[], inputs: string): T[] {
  const seen = new Set<string>();
  for (const { id } of list) {
    if (seen.has(id))
      throw new ActionError(
        `The id '${id}' appears twice in ${inputs}.`,
        'give every secret (and every ssh mount) an id of its own.',
      );
    seen.add(id);
  }
  return list;
}

/** Every secret and SSH mount of the build, checked; `inside` refuses a secret file outside the workspace and RUNNER_TEMP. */
export function buildSecrets(
  inputs: Inputs,
  inside: (path: string, input: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): { secrets: BuildSecret[]; ssh: SshMount[] } {
  const secrets = unique(
    [...valueSecrets(inputs), ...fileSecrets(inputs, inside), ...envSecrets(inputs, env)],
    "'secrets', 'secret-files' and 'secret-envs'",
  );
  return { secrets, ssh: sshMounts(inputs, env) };
}
