/**
 * Benchmark: move a large blob through the registry client and report the process's peak RSS.
 *
 *   node <bundle of this file> BLOB_FILE SOURCE_REGISTRY DEST_REGISTRY
 *
 * Uploads BLOB_FILE to SOURCE_REGISTRY (streamed PATCH), copies it registry-to-registry to DEST_REGISTRY (a
 * verified download streamed straight into the upload), then downloads it to /dev/null (verified). Both
 * registries must be anonymous (the stand-in's anonymous registry works for both: use two repositories).
 * Prints one JSON line with sizes, times, throughput and peak RSS.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { RegistryClient, parseReference } from '../src/registry/index.js';
import { fileSource } from '../src/registry/blobs.js';

async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

async function main(): Promise<void> {
  const [file, sourceRegistry, destRegistry] = process.argv.slice(2);
  if (!file || !sourceRegistry || !destRegistry)
    throw new Error('usage: BLOB_FILE SOURCE_REGISTRY DEST_REGISTRY');
  const size = statSync(file).size;
  const digest = await fileDigest(file);
  const client = new RegistryClient({ userAgent: 'ghcr-image-action-bench' });
  const run = `${process.pid}-${Date.now().toString(36)}`;
  const blob = { digest, size };
  const source = parseReference(`${sourceRegistry}/bench/source-${run}`);
  const dest = parseReference(`${destRegistry}/bench/dest-${run}`);
  const timings: Record<string, number> = {};
  const peaks: Record<string, number> = {};
  const time = async (name: string, task: () => Promise<unknown>) => {
    const started = process.hrtime.bigint();
    await task();
    timings[name] = Number(process.hrtime.bigint() - started) / 1e6;
    peaks[name.replace('Ms', 'PeakRssMiB')] = Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
  };

  await time('uploadMs', () => client.uploadBlob(source, blob, fileSource(file)));
  await time('copyMs', () => client.uploadBlob(dest, blob, client.blobSource(source, blob)));
  await time('downloadMs', async () =>
    pipeline(await client.openBlob(dest, blob), createWriteStream('/dev/null')),
  );
  if (!(await client.blobExists(dest, blob))) throw new Error('the copied blob is missing');
  const mib = size / (1 << 20);
  const rate = (ms: number | undefined) => (ms ? Math.round((mib / (ms / 1000)) * 10) / 10 : 0);
  console.log(
    JSON.stringify({
      blobMiB: mib,
      ...Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])),
      uploadMiBps: rate(timings.uploadMs),
      copyMiBps: rate(timings.copyMs),
      downloadMiBps: rate(timings.downloadMs),
      ...peaks,
      peakRssMiB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
      node: process.version,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
