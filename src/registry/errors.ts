/** Errors of the registry client: what was being done, to which reference, and what the registry said. */
import { printable } from './text.js';

/** One entry of a registry's `{errors: [{code, message, detail}]}` body. */
export interface RegistryErrorDetail {
  code: string;
  message: string;
  detail?: unknown;
}

export class RegistryError extends Error {
  readonly operation: string;
  readonly reference: string;
  readonly status: number | undefined;
  readonly errors: RegistryErrorDetail[];
  /** Why it failed, as one printable line (the registry's words, or what the client saw). */
  readonly why: string;
  /** From Retry-After, when the registry asked to wait. */
  retryAfterMs?: number;

  constructor(
    operation: string,
    reference: string,
    status: number | undefined,
    errors: RegistryErrorDetail[],
    why: string,
    options?: { cause?: unknown },
  ) {
    // `why` may quote the network (a status text, an error message): one printable line.
    super(
      `${operation} ${reference} failed${status ? ` (HTTP ${status})` : ''}: ${printable(why, 500)}`,
      options,
    );
    this.name = 'RegistryError';
    this.operation = operation;
    this.reference = reference;
    this.status = status;
    this.errors = errors;
    this.why = printable(why, 500);
  }

  /** The first error code the registry sent, e.g. 'MANIFEST_UNKNOWN' or 'DENIED'. */
  get code(): string | undefined {
    return this.errors[0]?.code;
  }
}

/** Bytes that did not hash to the digest they were fetched or announced by. Never retried: fail closed. */
export class DigestMismatchError extends Error {
  constructor(
    readonly what: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${what}: expected ${expected}, the bytes received hash to ${actual}`);
    this.name = 'DigestMismatchError';
  }
}

/** At most this many errors of one body are kept. */
const MAX_ERRORS = 10;

/**
 * Parses an error body; registries send JSON `{errors: [...]}`, some send text or nothing. Codes and messages
 * are network text: kept printable and short (see text.ts); details are kept for code, never printed.
 */
export function parseErrorBody(text: string): RegistryErrorDetail[] {
  if (!text.trim()) return [];
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(body.errors)) {
      return body.errors
        .slice(0, MAX_ERRORS)
        .map((e: { code?: unknown; message?: unknown; detail?: unknown }) => ({
          code: typeof e.code === 'string' ? printable(e.code, 60) : 'UNKNOWN',
          message: typeof e.message === 'string' ? printable(e.message) : '',
          detail: e.detail,
        }));
    }
  } catch {
    // not JSON: keep the text
  }
  return [{ code: 'UNKNOWN', message: printable(text.trim()) }];
}

/** `code: message` of each error, as registries and docker print them (`denied: permission_denied: ...`). */
export function describeErrors(errors: RegistryErrorDetail[]): string {
  return errors
    .map((e) => (e.message ? `${e.code.toLowerCase()}: ${e.message}` : e.code.toLowerCase()))
    .join('; ');
}
