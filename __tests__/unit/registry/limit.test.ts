import { describe, expect, it } from '@jest/globals';
import { createLimiter } from '../../../src/registry/limit.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createLimiter', () => {
  it.each([1, 2, 3])(
    'never runs more than %p tasks at once, and starts them in order',
    async (concurrency) => {
      const limit = createLimiter(concurrency);
      let running = 0;
      let peak = 0;
      const started: number[] = [];
      const gates = Array.from({ length: 8 }, () => deferred<undefined>());
      const results = gates.map((gate, i) =>
        limit(async () => {
          running++;
          peak = Math.max(peak, running);
          started.push(i);
          await gate.promise;
          running--;
          return i * 10;
        }),
      );

      await settle();
      expect(running).toBe(concurrency);
      expect(started).toEqual(Array.from({ length: concurrency }, (_, i) => i));

      // Finish tasks out of order: each finished slot goes to the next waiter, in submission order.
      for (const i of [1, 0, 4, 2, 3, 6, 5, 7]) {
        gates[i]?.resolve(undefined);
        await settle();
        expect(running).toBeLessThanOrEqual(concurrency);
      }

      await expect(Promise.all(results)).resolves.toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
      expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(peak).toBe(concurrency);
    },
  );

  it('keeps the bound for tasks submitted after a slot was handed over', async () => {
    const limit = createLimiter(1);
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 3 }, () => deferred<undefined>());
    const run = (i: number) =>
      limit(async () => {
        running++;
        peak = Math.max(peak, running);
        await gates[i]?.promise;
        running--;
      });
    const first = run(0);
    const second = run(1);
    await settle();
    gates[0]?.resolve(undefined);
    await first;
    await settle();
    expect(running).toBe(1); // the second task now holds the slot
    const third = run(2); // arrives while the slot is taken: must wait
    await settle();
    expect(running).toBe(1);
    gates[1]?.resolve(undefined);
    gates[2]?.resolve(undefined);
    await Promise.all([second, third]);
    expect(peak).toBe(1);
  });

  it('starts a task at once while a slot is free', async () => {
    const limit = createLimiter(2);
    let ran = false;
    const gate = deferred<undefined>();
    const first = limit(() => gate.promise);
    const second = limit(async () => {
      ran = true;
    });
    await second;
    expect(ran).toBe(true);
    gate.resolve(undefined);
    await first;
  });

  it('passes a rejection through and frees the slot for the next task', async () => {
    const limit = createLimiter(1);
    const failing = limit(async () => {
      throw new Error('task failed');
    });
    const next = limit(async () => 'next ran');
    await expect(failing).rejects.toThrow('task failed');
    await expect(next).resolves.toBe('next ran');
  });

  it('frees the slot when a task throws synchronously', async () => {
    const limit = createLimiter(1);
    const failing = limit((): Promise<string> => {
      throw new Error('sync throw');
    });
    await expect(failing).rejects.toThrow('sync throw');
    await expect(limit(async () => 'after')).resolves.toBe('after');
  });

  it('keeps its bound after failures', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 10 }, (_, i) =>
      limit(async () => {
        running++;
        peak = Math.max(peak, running);
        await settle();
        running--;
        if (i % 3 === 0) throw new Error(`task ${i}`);
        return i;
      }),
    );
    const outcomes = await Promise.allSettled(tasks);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(4);
    expect(peak).toBe(2);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects concurrency %p', (concurrency) => {
    expect(() => createLimiter(concurrency)).toThrow(
      `concurrency must be a whole number >= 1, not ${concurrency}`,
    );
  });
});
