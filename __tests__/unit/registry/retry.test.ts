import { describe, expect, it, jest } from '@jest/globals';
import { DigestMismatchError, RegistryError } from '../../../src/registry/errors.js';
import {
  DEFAULT_RETRY,
  backoffDelay,
  isNetworkError,
  isRetryableStatus,
  isTransient,
  parseRetryAfter,
  retrying,
  type Logger,
  type RetryPolicy,
} from '../../../src/registry/retry.js';

const FAST: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 50, maxTotalMs: 1000 };

function recordingLogger(): Logger & { debugs: string[]; infos: string[] } {
  const debugs: string[] = [];
  const infos: string[] = [];
  return { debugs, infos, debug: (m) => void debugs.push(m), info: (m) => void infos.push(m) };
}

const httpError = (status: number, retryAfterMs?: number): RegistryError => {
  const error = new RegistryError('get manifest', 'ghcr.io/o/r:t', status, [], `status ${status}`);
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  return error;
};

/** An error shaped like undici's: `TypeError('fetch failed')` caused by a system or undici error with a code. */
const undiciError = (code: string): TypeError =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(`socket ${code}`), { code }) });

describe('isRetryableStatus', () => {
  it.each([
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [599, true],
    [200, false],
    [301, false],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [416, false],
    [501, false],
    [505, false],
    [undefined, false],
  ])('%p -> %p', (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2024, 0, 1, 0, 0, 0);

  it.each([
    ['0', 0],
    ['1', 1000],
    ['120', 120_000],
    [' 7 ', 7000],
    ['Mon, 01 Jan 2024 00:00:30 GMT', 30_000],
    ['Mon, 01 Jan 2024 00:02:00 GMT', 120_000],
    ['Sun, 31 Dec 2023 23:59:00 GMT', 0],
  ])('%p -> %p ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([null, undefined, '', 'soon', 'not a date at all'])('%p -> undefined', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  const policy: RetryPolicy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000, maxTotalMs: 60_000 };

  it.each([
    // attempt, ceiling = min(max, base * 2^(attempt-1))
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1000],
    [9, 1000],
  ])('attempt %p stays within [ceiling/2, ceiling] with ceiling %p', (attempt, ceiling) => {
    const low = backoffDelay(attempt, policy, () => 0);
    const high = backoffDelay(attempt, policy, () => 0.999999);
    const mid = backoffDelay(attempt, policy, () => 0.5);
    expect(low).toBe(ceiling / 2);
    expect(high).toBe(ceiling);
    expect(mid).toBe(Math.round(ceiling * 0.75));
    expect(low).toBeLessThanOrEqual(mid);
    expect(mid).toBeLessThanOrEqual(high);
  });

  it('never exceeds maxDelayMs with the real random', () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      const delay = backoffDelay(attempt, DEFAULT_RETRY);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(DEFAULT_RETRY.maxDelayMs);
    }
  });
});

describe('isNetworkError', () => {
  const timeout = Object.assign(new Error('The operation was aborted due to timeout'), {
    name: 'TimeoutError',
  });

  it.each<[string, unknown]>([
    ['fetch failed caused by ECONNRESET', undiciError('ECONNRESET')],
    ['fetch failed caused by UND_ERR_SOCKET', undiciError('UND_ERR_SOCKET')],
    [
      'a bare ECONNREFUSED system error',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    [
      'a code two causes deep',
      new Error('outer', { cause: new Error('middle', { cause: undiciError('EPIPE') }) }),
    ],
    ['an AbortSignal.timeout() TimeoutError', timeout],
    ['a TimeoutError as cause', new Error('request failed', { cause: timeout })],
    ['a body cut short (undici "terminated")', new TypeError('terminated')],
    [
      'UND_ERR_BODY_TIMEOUT',
      Object.assign(new Error('Body Timeout Error'), { code: 'UND_ERR_BODY_TIMEOUT' }),
    ],
  ])('%s -> true', (_name, error) => {
    expect(isNetworkError(error)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['an ordinary Error', new Error('boom')],
    ['an ordinary TypeError', new TypeError('x is not a function')],
    ['a file-system error code', Object.assign(new Error('no such file'), { code: 'ENOENT' })],
    ['an AbortError (cancelled on purpose)', Object.assign(new Error('aborted'), { name: 'AbortError' })],
    ['a RegistryError', httpError(503)],
    ['a DigestMismatchError', new DigestMismatchError('blob', 'sha256:a', 'sha256:b')],
    ['a string', 'ECONNRESET'],
    ['a plain object with a non-string code', { code: 104 }],
    ['undefined', undefined],
    ['null', null],
  ])('%s -> false', (_name, error) => {
    expect(isNetworkError(error)).toBe(false);
  });
});

describe('isTransient', () => {
  it.each<[string, unknown, boolean]>([
    ['RegistryError 503', httpError(503), true],
    ['RegistryError 429', httpError(429), true],
    ['RegistryError 404', httpError(404), false],
    ['RegistryError without status', new RegistryError('x', 'y', undefined, [], 'z'), false],
    ['network error', undiciError('ECONNRESET'), true],
    ['digest mismatch', new DigestMismatchError('blob', 'sha256:a', 'sha256:b'), false],
  ])('%s -> %p', (_name, error, expected) => {
    expect(isTransient(error)).toBe(expected);
  });
});

describe('retrying', () => {
  it('succeeds after transient 503s, one debug line per retry', async () => {
    const logger = recordingLogger();
    const fn = jest.fn(async (attempt: number) => {
      if (attempt < 3) throw httpError(503);
      return `ok on ${attempt}`;
    });
    await expect(retrying('get manifest ghcr.io/o/r:t', FAST, logger, fn)).resolves.toBe('ok on 3');
    expect(fn.mock.calls.map((c) => c[0])).toEqual([1, 2, 3]);
    expect(logger.debugs).toHaveLength(2);
    expect(logger.debugs[0]).toMatch(/^get manifest ghcr\.io\/o\/r:t: .*status 503; try 2 of 3 in \d+ ms$/);
    expect(logger.debugs[1]).toMatch(/try 3 of 3 in \d+ ms$/);
    expect(logger.infos).toEqual([]);
  });

  it('retries network errors', async () => {
    const logger = recordingLogger();
    let calls = 0;
    const result = await retrying('x', FAST, logger, async () => {
      calls++;
      if (calls === 1) throw undiciError('ECONNRESET');
      return 42;
    });
    expect(result).toBe(42);
    expect(calls).toBe(2);
    expect(logger.debugs).toEqual([expect.stringMatching(/^x: fetch failed; try 2 of 3 in \d+ ms$/)]);
  });

  it('does not log the later lines of a multi-line message', async () => {
    const logger = recordingLogger();
    let calls = 0;
    await retrying('x', FAST, logger, async () => {
      if (calls++ === 0) throw Object.assign(new Error('first line\nsecond line'), { code: 'ECONNRESET' });
      return 'done';
    });
    expect(logger.debugs).toEqual([expect.stringMatching(/^x: first line; try 2/)]);
  });

  it('stops at once on a 404', async () => {
    const logger = recordingLogger();
    const error = httpError(404);
    const fn = jest.fn(async (_attempt: number): Promise<string> => {
      throw error;
    });
    await expect(retrying('x', FAST, logger, fn)).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(logger.debugs).toEqual([]);
  });

  it('stops at once on a DigestMismatchError', async () => {
    const logger = recordingLogger();
    const error = new DigestMismatchError('manifest', 'sha256:aa', 'sha256:bb');
    const fn = jest.fn(async (_attempt: number): Promise<string> => {
      throw error;
    });
    await expect(retrying('x', FAST, logger, fn)).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(logger.debugs).toEqual([]);
  });

  it.each([1, 2, 4])('makes exactly %p attempts, then throws the last error', async (attempts) => {
    const logger = recordingLogger();
    const fn = jest.fn(async (attempt: number): Promise<string> => {
      throw httpError(503 + (attempt === attempts ? 1 : 0));
    });
    const failure = retrying('x', { ...FAST, attempts }, logger, fn);
    await expect(failure).rejects.toBeInstanceOf(RegistryError);
    await expect(failure).rejects.toMatchObject({ status: 504 });
    expect(fn).toHaveBeenCalledTimes(attempts);
    expect(logger.debugs).toHaveLength(attempts - 1);
  });

  it('waits what Retry-After asked (retryAfterMs), not the backoff', async () => {
    const logger = recordingLogger();
    let calls = 0;
    const started = Date.now();
    await retrying('x', { ...FAST, maxDelayMs: 200 }, logger, async () => {
      if (calls++ === 0) throw httpError(429, 40);
      return 'ok';
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    expect(logger.debugs).toEqual([expect.stringMatching(/in 40 ms$/)]);
  });

  it('honours a Retry-After of zero', async () => {
    const logger = recordingLogger();
    let calls = 0;
    await retrying('x', { ...FAST, baseDelayMs: 40 }, logger, async () => {
      if (calls++ === 0) throw httpError(429, 0);
      return 'ok';
    });
    expect(logger.debugs).toEqual([expect.stringMatching(/in 0 ms$/)]);
  });

  it('honours a Retry-After longer than maxDelayMs while the time budget allows', async () => {
    const logger = recordingLogger();
    let calls = 0;
    await retrying('x', { ...FAST, maxDelayMs: 5, maxTotalMs: 1000 }, logger, async () => {
      if (calls++ === 0) throw httpError(503, 40);
      return 'ok';
    });
    expect(logger.debugs).toEqual([expect.stringMatching(/in 40 ms$/)]);
  });

  it('gives up at once when a Retry-After asks for more than the time budget', async () => {
    const logger = recordingLogger();
    const error = httpError(429, 60_000);
    await expect(
      retrying('x', { ...FAST, maxTotalMs: 1000 }, logger, async () => Promise.reject(error)),
    ).rejects.toBe(error);
    expect(logger.debugs).toEqual([]);
  });

  it('gives up when the next wait would exceed maxTotalMs', async () => {
    const logger = recordingLogger();
    const error = httpError(503, 50);
    const fn = jest.fn(async (_attempt: number): Promise<string> => {
      throw error;
    });
    await expect(retrying('x', { ...FAST, attempts: 10, maxTotalMs: 20 }, logger, fn)).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(logger.debugs).toEqual([]);
  });

  it('counts time already spent against maxTotalMs', async () => {
    const logger = recordingLogger();
    const fn = jest.fn(async (_attempt: number): Promise<string> => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      throw httpError(503, 1);
    });
    await expect(retrying('x', { ...FAST, attempts: 10, maxTotalMs: 70 }, logger, fn)).rejects.toBeInstanceOf(
      RegistryError,
    );
    // 40 ms + 1 ms fits in 70 ms; after the second try, 81 ms or more does not.
    expect(fn).toHaveBeenCalledTimes(2);
    expect(logger.debugs).toHaveLength(1);
  });
});

describe('isNetworkError for failures no retry mends', () => {
  it.each(['ENOTFOUND', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'])(
    'does not retry fetch failed caused by %s',
    (code) => {
      const error = new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
      expect(isNetworkError(error)).toBe(false);
    },
  );
});
