/**
 * A staging folder inside a destination folder: files are written there, then moved into place together at the
 * end, in order. A failure before or during the move leaves the destination as it was: the staging folder goes,
 * files already moved go back out, and a destination this run created goes whole.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** The name of a staging folder inside a destination (a folder of that form is another run's, or a leftover). */
export const STAGING = /^\.staging-\d+$/;

/** The topmost folder of `dir` and its parents that does not exist yet (what creating `dir` creates), if any. */
export function firstMissing(dir: string): string | undefined {
  let missing: string | undefined;
  for (let at = resolve(dir); !existsSync(at); at = dirname(at)) {
    missing = at;
    if (dirname(at) === at) break;
  }
  return missing;
}

export class Staging {
  /** `<destination>/.staging-<pid>`. */
  readonly dir: string;
  private readonly destination: string;
  /** The folder this run created for the destination (removed on failure), or undefined when it existed. */
  private readonly created: string | undefined;
  /** Files to move, in order: staged path -> final path. */
  private readonly moves = new Map<string, string>();

  constructor(destination: string) {
    this.destination = resolve(destination);
    this.created = firstMissing(this.destination);
    this.dir = resolve(this.destination, `.staging-${process.pid}`);
    mkdirSync(this.dir, { recursive: true });
  }

  /**
   * Where to stage the file that belongs at `target` (inside the destination, outside the staging folder);
   * it is moved there by commit(), after the files staged before it.
   */
  stage(target: string): string {
    const final = resolve(target);
    const path = relative(this.destination, final);
    const outside = path === '' || path.startsWith('..') || isAbsolute(path);
    if (outside || path.split(sep)[0] === relative(this.destination, this.dir))
      throw new Error(`${target} is not a file of ${this.destination}`);
    const staged = resolve(this.dir, path);
    this.moves.delete(staged);
    this.moves.set(staged, final);
    return staged;
  }

  /**
   * Moves every staged file into place in the order staged, then removes the staging folder. When a move
   * fails, the files moved so far that were new are taken out again and the failure is thrown (abort() then
   * cleans up the rest).
   */
  commit(): void {
    // What this commit adds (new files, new folders), newest last: taken out again, newest first, on failure.
    const placed: string[] = [];
    try {
      for (const [staged, final] of this.moves) {
        const folder = mkdirSync(dirname(final), { recursive: true });
        if (folder) placed.push(folder);
        const isNew = !existsSync(final);
        renameSync(staged, final);
        if (isNew) placed.push(final);
      }
    } catch (error) {
      for (const path of placed.reverse()) rmSync(path, { recursive: true, force: true });
      throw error;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Removes the staging folder, and the destination itself when this run created it. */
  abort(): void {
    rmSync(this.dir, { recursive: true, force: true });
    if (this.created) rmSync(this.created, { recursive: true, force: true });
  }
}
