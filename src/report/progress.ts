import * as core from '@actions/core';
import type { CopyProgress } from '../registry/index.js';

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/**
 * Progress lines for long transfers: one when a blob completes, and one at most every `everyMs` while bytes
 * move, so a large layer shows it is alive without flooding the log.
 */
export function progressLogger(
  label: string,
  everyMs = 5000,
  now: () => number = Date.now,
): (p: CopyProgress) => void {
  let last = now();
  let blobsDone = 0;
  return (p) => {
    const finished = p.blobsDone > blobsDone;
    if (!finished && now() - last < everyMs) return;
    blobsDone = p.blobsDone;
    last = now();
    core.info(`${label}: ${p.blobsDone}/${p.blobsTotal} blobs done, ${mib(p.bytesDone)} sent`);
  };
}
