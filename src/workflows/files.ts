/**
 * Which workflow files migrate reads, and reading them bounded: a folder's *.yml and *.yaml, a glob, or one
 * file, all under the workspace. Symbolic links that lead out of the workspace are not followed.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ActionError } from '../errors.js';

/** Workflow files larger than this are refused (GitHub's own limit is far below it). */
export const MAX_WORKFLOW_BYTES = 1024 * 1024;
const MAX_FILES = 10000;
const FIX =
  "give a folder or a glob under the workspace, e.g. '.github/workflows' (the default) or '.github/workflows/*.yml'";

const toPosix = (path: string): string => path.split(sep).join('/');
const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};
const isWorkflowName = (name: string): boolean => /\.ya?ml$/i.test(name);

/** A glob (`*`, `**`, `?`) as a regular expression over paths from the workspace root. */
function globPattern(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*' && glob[i + 1] === '*') {
      pattern += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') pattern += '[^/]*';
    else if (c === '?') pattern += '[^/]';
    else pattern += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

/** Every file under `dir` (symlinks not followed), as paths from `root`, at most MAX_FILES. */
function walk(root: string, dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (out.length >= MAX_FILES) break;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(root, path, out);
    else if (entry.isFile() || entry.isSymbolicLink()) out.push(toPosix(relative(root, path)));
  }
  return out;
}

/** The files `value` names, as sorted paths from the workspace root; bad values are ActionErrors. */
export function selectWorkflowFiles(workspace: string, value: string): string[] {
  const root = resolve(workspace);
  const target = resolve(root, value);
  if (!inside(root, target)) {
    throw new ActionError(
      `Input 'workflows' is '${value}', which is outside the workspace (${root}).`,
      `${FIX}.`,
    );
  }
  const rel = toPosix(relative(root, target));
  if (/[*?]/.test(value)) {
    const segments = rel.split('/');
    const base = segments
      .slice(
        0,
        segments.findIndex((s) => /[*?]/.test(s)),
      )
      .join('/');
    const pattern = globPattern(rel);
    const dir = join(root, base);
    const files =
      existsSync(dir) && statSync(dir).isDirectory() ? walk(root, dir).filter((f) => pattern.test(f)) : [];
    if (files.length === 0) {
      throw new ActionError(
        `Input 'workflows' is '${value}', a glob that matches no file under the workspace.`,
        `${FIX}; check the pattern against the checkout.`,
      );
    }
    return files.sort();
  }
  if (!existsSync(target)) {
    throw new ActionError(
      `Input 'workflows' is '${value}', which does not exist in the workspace (${root}).`,
      `${FIX}; check that the repository is checked out (actions/checkout) before this step.`,
    );
  }
  if (!inside(realpathSync(root), realpathSync(target))) {
    throw new ActionError(
      `Input 'workflows' is '${value}', a symbolic link that leads out of the workspace.`,
      `${FIX}.`,
    );
  }
  if (statSync(target).isFile()) return [rel];
  return readdirSync(target, { withFileTypes: true })
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && isWorkflowName(e.name))
    .map((e) => toPosix(relative(root, join(target, e.name))))
    .sort();
}

/** A file read: its text, its resolved path, and whether the bytes were valid UTF-8 (else not rewritable). */
export type ReadResult = { text: string; path: string; utf8: boolean } | { problem: string };

/** Reads one workflow file (a path from the workspace root), at most MAX_WORKFLOW_BYTES. */
export function readWorkflowFile(workspace: string, file: string): ReadResult {
  const root = realpathSync(resolve(workspace));
  let path: string;
  try {
    path = realpathSync(resolve(workspace, file));
  } catch {
    return { problem: 'it cannot be read (a broken link or a missing file)' };
  }
  if (!inside(root, path))
    return { problem: 'it is a symbolic link that leads out of the workspace: not followed' };
  const stat = statSync(path);
  if (!stat.isFile()) return { problem: 'it is not a regular file' };
  if (stat.size > MAX_WORKFLOW_BYTES)
    return { problem: `it is ${stat.size} bytes, over the ${MAX_WORKFLOW_BYTES}-byte limit: not read` };
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(MAX_WORKFLOW_BYTES + 1);
    const size = readSync(fd, buffer, 0, buffer.length, 0);
    if (size > MAX_WORKFLOW_BYTES)
      return { problem: `it grew over the ${MAX_WORKFLOW_BYTES}-byte limit while read: not read` };
    const bytes = buffer.subarray(0, size);
    const text = bytes.toString('utf8');
    return { text, path, utf8: Buffer.from(text, 'utf8').equals(bytes) };
  } finally {
    closeSync(fd);
  }
}

/** Why a file must not be rewritten in place (a refusal, not an error), or undefined when it may be. */
export function writeRefusal(read: { path: string; utf8: boolean }): string | undefined {
  if (!read.utf8)
    return 'it is not valid UTF-8, and rewriting it would change bytes outside the edits: make the changes by hand, or convert it to UTF-8 and run again';
  const links = statSync(read.path).nlink;
  if (links > 1)
    return `it has ${links} hard links, and rewriting it would change the other names too: make the changes by hand, or replace it with a copy of its own and run again`;
  return undefined;
}

/**
 * Writes a rewritten workflow back where it was read (the resolved path, inside the workspace): to a temp file in
 * the same folder, with the file's mode, then renamed over it. Returns why it could not (the file left as it was).
 */
export function writeWorkflowFile(path: string, text: string): string | undefined {
  let temp: string | undefined;
  try {
    const mode = statSync(path).mode & 0o7777;
    if ((mode & 0o200) === 0) return `it is read-only (mode ${mode.toString(8)})`;
    temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(temp, 'wx', mode);
    try {
      writeFileSync(fd, text, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, mode);
    renameSync(temp, path);
    return undefined;
  } catch (error) {
    if (temp) rmSync(temp, { force: true });
    return `it could not be written: ${(error as Error).message}`;
  }
}
