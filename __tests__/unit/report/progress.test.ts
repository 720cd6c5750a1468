import { describe, expect, it, jest } from '@jest/globals';
import { progressLogger } from '../../../src/report/progress.js';

describe('progressLogger', () => {
  it('logs when a blob completes, and otherwise at most every interval', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    let clock = 0;
    try {
      const log = progressLogger('Copy', 5000, () => clock);
      log({ blobsDone: 0, blobsTotal: 3, bytesDone: 1024 * 1024 }); // too soon, nothing finished
      clock = 6000;
      log({ blobsDone: 0, blobsTotal: 3, bytesDone: 50 * 1024 * 1024 }); // interval passed
      clock = 7000;
      log({ blobsDone: 1, blobsTotal: 3, bytesDone: 60 * 1024 * 1024 }); // a blob finished
      log({ blobsDone: 1, blobsTotal: 3, bytesDone: 61 * 1024 * 1024 }); // neither
    } finally {
      spy.mockRestore();
    }
    expect(lines.map((l) => l.trim())).toEqual([
      'Copy: 0/3 blobs done, 50.0 MiB sent',
      'Copy: 1/3 blobs done, 60.0 MiB sent',
    ]);
  });
});
