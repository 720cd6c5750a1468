import { describe, expect, it } from '@jest/globals';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BodyLimitError,
  DeadlineError,
  idleWatchdog,
  limitsFrom,
  readLimited,
  remaining,
} from '../../../src/registry/body.js';

/** A body that sends `chunks`, waiting `gapMs` before each. */
function slowBody(chunks: string[], gapMs: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      await new Promise((r) => setTimeout(r, gapMs));
      if (i < chunks.length) controller.enqueue(new TextEncoder().encode(chunks[i++]));
      else controller.close();
    },
  });
}

describe('readLimited', () => {
  const limits = limitsFrom({ bodyMs: 300 });

  it('reads a body within its size and time', async () => {
    const bytes = await readLimited(new Response('{"ok":true}'), 100, limits, 'get x');
    expect(bytes.toString()).toBe('{"ok":true}');
  });

  it('refuses a declared Content-Length over the cap before reading a byte', async () => {
    let pulled = 0;
    const body = new ReadableStream({ pull: (c) => void (pulled++, c.enqueue(new Uint8Array(10))) });
    const response = new Response(body, { headers: { 'content-length': String(400 * 1024 * 1024) } });
    await expect(readLimited(response, 4 * 1024 * 1024, limits, 'get manifest')).rejects.toThrow(
      'get manifest: the answer has 419430400 bytes, more than the 4194304 accepted',
    );
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('stops a body without Content-Length as soon as it passes the cap', async () => {
    let sent = 0;
    const body = new ReadableStream({
      pull: (c) => {
        sent += 1024;
        c.enqueue(new Uint8Array(1024));
      },
    });
    await expect(readLimited(new Response(body), 10 * 1024, limits, 'x')).rejects.toThrow(BodyLimitError);
    expect(sent).toBeLessThan(64 * 1024);
  });

  it('fails a body that trickles past its time, whatever its size', async () => {
    const started = Date.now();
    const response = new Response(slowBody(['{', '"a"', ':', '1', '}'], 100));
    await expect(readLimited(response, 100, limits, 'get manifest')).rejects.toThrow(
      'get manifest: the answer did not arrive whole within 0 s',
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('is final: the same body would fail the same way again', () => {
    expect(new BodyLimitError('x').name).toBe('BodyLimitError');
  });
});

describe('the deadline of a whole command', () => {
  it('refuses to start anything once it has passed', () => {
    const limits = limitsFrom({ totalMs: 1 }, Date.now() - 10);
    expect(() => remaining(limits, 'get manifest')).toThrow(DeadlineError);
    expect(() => remaining(limits, 'get manifest')).toThrow(
      'get manifest: the registry work of this step passed its limit of 0 s',
    );
  });
});

describe('idleWatchdog', () => {
  it('lets a stream that keeps moving through, however long it takes in all', async () => {
    const source = Readable.from(
      (async function* () {
        for (let i = 0; i < 6; i++) {
          await new Promise((r) => setTimeout(r, 60));
          yield Buffer.from('x');
        }
      })(),
    );
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await pipeline(source, idleWatchdog(limitsFrom({ idleMs: 150 }), 'blob'), out);
    expect(Buffer.concat(chunks).toString()).toBe('xxxxxx');
  });

  it('fails a stalled stream with a retryable ETIMEDOUT', async () => {
    const source = new PassThrough();
    source.write('x');
    const run = pipeline(
      source,
      idleWatchdog(limitsFrom({ idleMs: 100 }), 'blob b'),
      new PassThrough().resume(),
    );
    await expect(run).rejects.toMatchObject({ code: 'ETIMEDOUT', message: 'blob b: no data for 0 s' });
  });

  it('fails at the deadline when that comes first, finally', async () => {
    const source = new PassThrough();
    const limits = limitsFrom({ idleMs: 60_000, totalMs: 100 });
    const run = pipeline(source, idleWatchdog(limits, 'blob b'), new PassThrough().resume());
    await expect(run).rejects.toThrow(DeadlineError);
  });
});
