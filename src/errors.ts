/**
 * An error the user can act on: what failed, why, and what to change. Its message is what the step prints
 * when it fails, so it must never contain a credential.
 */
export class ActionError extends Error {
  readonly fix: string;

  constructor(what: string, fix: string, options?: { cause?: unknown }) {
    super(`${what}\nFix: ${fix}`, options);
    this.name = 'ActionError';
    this.fix = fix;
  }
}

/** The message of anything thrown, for reports. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
