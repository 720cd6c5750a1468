/** Files that appear whole or not at all. */
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes `path` through `<path>.partial-<pid>`, renamed into place only when `write` succeeds. The partial file
 * is closed and removed whatever happens, so a failure leaves `path` as it was (absent, or the previous file).
 */
export async function writeAtomically(
  path: string,
  write: (out: WriteStream) => Promise<void>,
): Promise<void> {
  const partial = `${path}.partial-${process.pid}`;
  // Open the file first, so a failure cannot race its creation and leave it behind.
  const out = createWriteStream(partial);
  await once(out, 'open');
  try {
    await write(out);
    renameSync(partial, path);
  } finally {
    // A failed pipeline has destroyed the stream already; either way it is closed before the file goes. What
    // it says while being torn down (a write cut short) changes nothing: the outcome is decided.
    if (!out.closed) {
      const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
      out.on('error', () => undefined);
      out.destroy();
      await closed;
    }
    rmSync(partial, { force: true });
  }
}
