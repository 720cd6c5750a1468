import { RegistryError } from './errors.js';
import { classifyNetworkFailure, isTransientFailure, NetworkError } from './network.js';

/** Where the client reports what it does; the action maps it onto @actions/core, tests onto arrays. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
}

export const silentLogger: Logger = { debug: () => undefined, info: () => undefined };

/** How hard to try: attempts in all (first try included), backoff bounds, and a budget of total time. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxTotalMs: number;
  /** Epoch milliseconds after which nothing is tried again (the step's deadline). */
  deadline?: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 15_000,
  maxTotalMs: 120_000,
};

/** 408, 429 and 5xx (but 501 and 505, which no retry mends). */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return false;
  return (
    status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505)
  );
}

/**
 * A dropped or reset connection, a refused one, a timeout, a body cut short: worth another try. Not retried:
 * corrupt bytes, a body over its limits, the deadline, and failures no retry mends (an unknown host, a
 * certificate problem). See network.ts.
 */
export function isNetworkError(error: unknown): boolean {
  const failure = classifyNetworkFailure(error);
  return failure !== undefined && isTransientFailure(failure);
}

/** Errors from fetch may come from another realm (undici's own TypeError): judge them by shape, not class. */
function asErrorLike(value: unknown): { message?: unknown } | undefined {
  return typeof value === 'object' && value !== null ? (value as { message?: unknown }) : undefined;
}

/** The first line of an error's message, for log lines. */
export function firstLine(error: unknown): string {
  if (error instanceof NetworkError) return error.brief;
  const message = asErrorLike(error)?.message;
  return (typeof message === 'string' ? message : String(error)).split('\n')[0] ?? '';
}

export function isTransient(error: unknown): boolean {
  if (error instanceof RegistryError) return isRetryableStatus(error.status);
  return isNetworkError(error);
}

/** Retry-After as delta-seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Equal jitter: a random delay between half of and all of base * 2^(attempt-1), capped. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs fn until it succeeds, fails with something not transient, or the attempts or the time budget run out.
 * A RegistryError's retryAfterMs (from Retry-After) wins over the backoff, within the time budget.
 */
export async function retrying<T>(
  what: string,
  policy: RetryPolicy,
  logger: Logger,
  fn: (attempt: number) => Promise<T>,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      // A network failure says how hard the client tried.
      const final = error instanceof NetworkError ? error.after(attempt, Date.now() - started) : error;
      if (!isTransient(error) || attempt >= policy.attempts) throw final;
      // A Retry-After is honoured as long as the time budget allows; the backoff is capped at maxDelayMs.
      const hinted = error instanceof RegistryError ? error.retryAfterMs : undefined;
      const delay = hinted ?? backoffDelay(attempt, policy);
      if (Date.now() - started + delay > policy.maxTotalMs) throw final;
      if (policy.deadline !== undefined && Date.now() + delay > policy.deadline) throw final;
      logger.debug(`${what}: ${firstLine(error)}; try ${attempt + 1} of ${policy.attempts} in ${delay} ms`);
      await sleep(delay);
    }
  }
}
