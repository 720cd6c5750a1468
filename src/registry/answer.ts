/**
 * A node:http answer as a fetch Response: its headers, and its body as a web stream with backpressure that
 * fails (never ends short) when the connection is lost or the request is aborted.
 */
import type { IncomingMessage } from 'node:http';

function toHeaders(message: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** Bytes queued ahead of the reader before the message is paused (backpressure). */
const QUEUED_BYTES = 1024 * 1024;

/** A web stream over an answer, and a way to fail it (an abort or a deadline after its headers). */
export interface Body {
  stream: ReadableStream<Uint8Array>;
  fail(reason: Error): void;
}

/**
 * The message as a web stream, with backpressure. Cancelling an answer that has arrived whole (a 401's or a
 * redirect's few bytes) reads it out, so its connection goes back to the pool for the next request; cancelling
 * one still arriving closes the connection. A connection lost, or a request aborted, before the end is an
 * error, never a short body.
 */
function webBody(res: IncomingMessage): Body {
  let onData: (chunk: Buffer) => void = () => undefined;
  let failed: Error | undefined;
  let fail: (reason: Error) => void = () => undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        res.pause();
        onData = (chunk) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) res.pause();
        };
        res.on('data', onData);
        // Once cancelled or failed, the stream is closed: a late end or error has nothing left to tell it.
        const settle = (how: () => void): void => {
          try {
            how();
          } catch {
            // already closed
          }
        };
        fail = (reason) => {
          failed ??= reason;
          res.removeListener('data', onData);
          settle(() => controller.error(reason));
        };
        res.on('end', () => settle(() => (failed ? controller.error(failed) : controller.close())));
        res.on('error', (error) => fail(error));
        res.on('close', () => {
          const lost = Object.assign(new Error('the connection closed before the end of the answer'), {
            code: 'ECONNRESET',
          });
          if (!res.complete) fail(lost);
        });
      },
      pull() {
        res.resume();
      },
      async cancel(reason) {
        res.removeListener('data', onData);
        if (res.readableEnded || res.destroyed) return;
        if (!res.complete) {
          res.destroy(reason instanceof Error ? reason : undefined);
          return;
        }
        // Read out; the connection is back in the pool once the end has been seen.
        const ended = new Promise<void>((resolve) => {
          res.once('end', resolve);
          res.once('close', resolve);
        });
        res.resume();
        await ended;
      },
    },
    { highWaterMark: QUEUED_BYTES, size: (chunk) => chunk.byteLength },
  );
  return { stream, fail: (reason) => fail(reason) };
}

/**
 * The answer as a fetch Response (no body for a HEAD or a status without one: read out at once). An answer
 * fetch would not accept either (a status outside 200-599, a reason phrase with control characters) throws.
 */
export function asResponse(res: IncomingMessage, method: string): { response: Response; body?: Body } {
  const status = res.statusCode ?? 0;
  const empty = method === 'HEAD' || [204, 205, 304].includes(status);
  if (status < 200 || status > 599)
    throw Object.assign(new Error(`the server answered with status ${status}`), { code: 'EBADSTATUS' });
  if (empty) res.resume();
  const body = empty ? undefined : webBody(res);
  const statusText = /^[\t\x20-\x7e\x80-\xff]*$/.test(res.statusMessage ?? '') ? res.statusMessage : '';
  const response = new Response(body?.stream ?? null, { status, statusText, headers: toHeaders(res) });
  return { response, body };
}
