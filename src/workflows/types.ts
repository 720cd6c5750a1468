/** What migrate finds in a workflow file, and the text edits that fix it. */

export type FindingKind =
  | 'login-action'
  | 'run-login'
  | 'pat-input'
  | 'permissions'
  /** A login to a GitHub registry whose credential migrate cannot tell (a literal, a file, an unknown variable). */
  | 'unknown-credential';

/** One thing found: where (path from the workspace root, 1-based line), what, and what replaces it. */
export interface Finding {
  file: string;
  line: number;
  kind: FindingKind;
  message: string;
  replacement: string;
  /** Whether `write: true` rewrites it; otherwise it is left for a human. */
  rewritable: boolean;
}

/** Replace text[start, end) with `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface DetectOptions {
  /** The file's path from the workspace root, for findings. */
  file: string;
  /** ghcr.io, containers.<GHES host>: the registries where GITHUB_TOKEN can replace a PAT. */
  isGitHubRegistry: (host: string) => boolean;
}
