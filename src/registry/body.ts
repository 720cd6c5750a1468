/**
 * Bounds on what the network sends: a body read whole has a size cap and a deadline; a streamed body (a blob)
 * must keep moving; and the whole of a command's registry work has one deadline. A hostile or broken registry
 * can neither fill the memory nor hold the step forever.
 */
import { Transform, type TransformCallback } from 'node:stream';

export interface Limits {
  /** The answer's status and headers must arrive within this (per request). */
  headersMs: number;
  /** A body read whole (a manifest, a tag list, a token, an error) must arrive within this. */
  bodyMs: number;
  /** A streamed body (a blob) fails when no byte arrives for this long. */
  idleMs: number;
  /** The bound of the whole of a command's registry work ... */
  totalMs: number;
  /** ... as the epoch milliseconds after which no request starts and running ones stop. */
  deadline: number;
}

/** The whole of one command's registry work: the documented bound (docs/security.md). */
export const TOTAL_MS = 60 * 60 * 1000;

/** The limits, the given ones over the defaults; the deadline counts from `now`. */
export function limitsFrom(given: Partial<Omit<Limits, 'deadline'>> = {}, now = Date.now()): Limits {
  const limits = { headersMs: 60_000, bodyMs: 30_000, idleMs: 60_000, totalMs: TOTAL_MS, ...given };
  return { ...limits, deadline: now + limits.totalMs };
}

/** '60 minutes', '90 s'. */
function duration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.round(ms / 1000)} s`;
}

/** The command's registry work passed its deadline: final, never retried. */
export class DeadlineError extends Error {
  constructor(what: string, totalMs: number) {
    super(`${what}: the registry work of this step passed its limit of ${duration(totalMs)}`);
    this.name = 'DeadlineError';
  }
}

/** A body larger than its cap, or too slow to arrive whole: final, never retried (it is the same next time). */
export class BodyLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyLimitError';
  }
}

/** Milliseconds left before the deadline; throws DeadlineError when none are. */
export function remaining(limits: Limits, what: string): number {
  const left = limits.deadline - Date.now();
  if (left <= 0) throw new DeadlineError(what, limits.totalMs);
  return left;
}

/**
 * Reads a whole body of at most `maxBytes`, within `limits.bodyMs` (and the deadline). A larger or slower body
 * is cancelled and fails with BodyLimitError; the Content-Length, when sent, is checked before any byte is read.
 */
export async function readLimited(
  response: Response,
  maxBytes: number,
  limits: Limits,
  what: string,
): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyLimitError(`${what}: the answer has ${declared} bytes, more than the ${maxBytes} accepted`);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const ms = Math.min(limits.bodyMs, remaining(limits, what));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new BodyLimitError(`${what}: the answer did not arrive whole within ${Math.round(ms / 1000)} s`),
        ),
      ms,
    );
  });
  late.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late]);
      if (done) break;
      total += value.length;
      if (total > maxBytes)
        throw new BodyLimitError(`${what}: the answer is larger than the ${maxBytes} bytes accepted`);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks);
}

/**
 * A pass-through that fails when no byte arrives for `limits.idleMs` (an ETIMEDOUT: worth another try) or the
 * deadline passes (DeadlineError). Nothing is held: the bytes flow on as they come. One timer, not one per chunk
 * (re-arming per chunk cost ~2% of a 512 MiB copy's CPU): when it fires it looks at when the last byte came.
 */
export function idleWatchdog(limits: Limits, what: string): Transform {
  let timer: NodeJS.Timeout | undefined;
  let last = Date.now();
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      last = Date.now();
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      clearTimeout(timer);
      callback();
    },
    destroy(error, callback) {
      clearTimeout(timer);
      callback(error);
    },
  });
  const check = (): void => {
    const now = Date.now();
    if (now >= limits.deadline) return void stream.destroy(new DeadlineError(what, limits.totalMs));
    const quiet = now - last;
    if (quiet >= limits.idleMs) {
      const idle = new Error(`${what}: no data for ${Math.round(limits.idleMs / 1000)} s`);
      return void stream.destroy(Object.assign(idle, { code: 'ETIMEDOUT' }));
    }
    timer = setTimeout(check, Math.min(limits.idleMs - quiet, limits.deadline - now));
  };
  timer = setTimeout(check, Math.max(0, Math.min(limits.idleMs, limits.deadline - Date.now())));
  return stream;
}
