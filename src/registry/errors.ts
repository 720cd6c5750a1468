/** Errors of the registry client: what was being done, to which reference, and what the registry said. */

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
    super(`${operation} ${reference} failed${status ? ` (HTTP ${status})` : ''}: ${why}`, options);
    this.name = 'RegistryError';
    this.operation = operation;
    this.reference = reference;
    this.status = status;
    this.errors = errors;
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

/** Parses an error body; registries send JSON `{errors: [...]}`, some send text or nothing. */
export function parseErrorBody(text: string): RegistryErrorDetail[] {
  if (!text.trim()) return [];
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(body.errors)) {
      return body.errors.map((e: { code?: unknown; message?: unknown; detail?: unknown }) => ({
        code: typeof e.code === 'string' ? e.code : 'UNKNOWN',
        message: typeof e.message === 'string' ? e.message : '',
        detail: e.detail,
      }));
    }
  } catch {
    // not JSON: keep the text
  }
  return [{ code: 'UNKNOWN', message: text.trim().slice(0, 500) }];
}

/** `code: message` of each error, as registries and docker print them (`denied: permission_denied: ...`). */
export function describeErrors(errors: RegistryErrorDetail[]): string {
  return errors
    .map((e) => (e.message ? `${e.code.toLowerCase()}: ${e.message}` : e.code.toLowerCase()))
    .join('; ');
}
