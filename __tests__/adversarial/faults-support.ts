/**
 * Helpers of the fault suite (faults.test.ts): what a tag, an OCI layout, a docker archive or the docker daemon
 * holds after a faulted run, read straight from the stand-in (never through a fault proxy) and verified byte
 * for byte; the proxies a case needs, closed after it; and each case's verdict, recorded and asserted.
 */
import { expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseReference,
  withDigest,
  type Manifest,
  type Reference,
  type RegistryClient,
} from '../../src/registry/index.js';
import { isForeignLayer } from '../../src/registry/manifests.js';
import type { StepResult } from '../support/action.js';
import { runProgram } from '../support/exec.js';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from '../support/fault-proxy.js';
import { annotations } from '../support/step.js';
import { recordOutcome } from './outcomes.js';

/** The User-Agent of the action's own registry client, and of the docker daemon (for rules aimed at one). */
export const ACTION_AGENT = /^ghcr-image-action\//;
export const DOCKER_AGENT = /^docker\//;

const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Runs `step`, measuring its wall time. */
export async function timed<T>(step: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await step();
  return { value, ms: Date.now() - started };
}

/**
 * What something written looks like afterwards: absent, intact (with its digest), or pointing at missing or
 * wrong content ('broken', with why). Only 'broken' counts as a corrupt tag.
 */
export type Found =
  | { state: 'absent' }
  | { state: 'intact'; digest: string }
  | { state: 'broken'; digest?: string; why: string };

/** Reads a blob whole through the client's verifying stream: it fails on a missing blob or wrong bytes. */
async function drainBlob(
  client: RegistryClient,
  repo: Reference,
  digest: string,
  size: number,
): Promise<void> {
  const stream = await client.openBlob(repo, { digest, size });
  for await (const chunk of stream) void chunk;
}

/** Every blob and child manifest `manifest` needs, fetched and verified; throws at the first missing or bad one. */
async function verifyContent(client: RegistryClient, repo: Reference, manifest: Manifest): Promise<void> {
  if (manifest.kind === 'index') {
    for (const child of manifest.index.manifests) {
      const childManifest = await client.getManifest(withDigest({ ...repo, tag: undefined }, child.digest));
      await verifyContent(client, repo, childManifest);
    }
    return;
  }
  for (const blob of [manifest.image.config, ...manifest.image.layers]) {
    if (!isForeignLayer(blob)) await drainBlob(client, repo, blob.digest, blob.size);
  }
}

/**
 * What the tag `reference` points at in the registry the client reads directly: absent, intact (its manifest
 * and every blob it needs exist and hash to their digests, and the digest is `expected` when given), or broken.
 */
export async function inspectTag(
  client: RegistryClient,
  reference: string,
  expected?: string,
): Promise<Found> {
  const ref = parseReference(reference);
  if (!(await client.headManifest(ref))) return { state: 'absent' };
  let manifest: Manifest;
  try {
    manifest = await client.getManifest(ref);
  } catch (error) {
    return { state: 'broken', why: `manifest unreadable: ${String(error)}` };
  }
  if (expected !== undefined && manifest.digest !== expected)
    return { state: 'broken', digest: manifest.digest, why: `points at ${manifest.digest}, not ${expected}` };
  try {
    await verifyContent(client, ref, manifest);
  } catch (error) {
    return { state: 'broken', digest: manifest.digest, why: `content missing or wrong: ${String(error)}` };
  }
  return { state: 'intact', digest: manifest.digest };
}

/**
 * An OCI layout after a pull: broken when any file under blobs/ does not hash to its name (even without an
 * index.json: corrupt bytes must never land under a digest's name); else absent (no index.json: an interrupted
 * pull writes none), intact (the entry named `refName` has the expected digest and its manifest is there), or
 * broken.
 */
export function inspectLayout(dir: string, refName: string, expected: string): Found {
  const blobs = join(dir, 'blobs', 'sha256');
  for (const name of existsSync(blobs) ? readdirSync(blobs) : []) {
    if (/^[0-9a-f]{64}$/.test(name) && sha256Hex(readFileSync(join(blobs, name))) !== name)
      return { state: 'broken', why: `blobs/sha256/${name} does not hash to its name` };
  }
  const indexPath = join(dir, 'index.json');
  if (!existsSync(indexPath)) return { state: 'absent' };
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as {
    manifests?: { digest: string; annotations?: Record<string, string> }[];
  };
  const entry = index.manifests?.find(
    (m) => m.annotations?.['org.opencontainers.image.ref.name'] === refName,
  );
  if (!entry) return { state: 'broken', why: `index.json has no entry named ${refName}` };
  if (entry.digest !== expected)
    return { state: 'broken', digest: entry.digest, why: `${refName} is ${entry.digest}, not ${expected}` };
  if (!existsSync(join(blobs, expected.slice('sha256:'.length))))
    return { state: 'broken', digest: entry.digest, why: 'the manifest named in index.json is missing' };
  return { state: 'intact', digest: entry.digest };
}

/** The regular files of a ustar archive, by name. */
function tarEntries(archive: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  for (let offset = 0; offset + 512 <= archive.length;) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim(), 8);
    entries.set(name, archive.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/**
 * A docker archive after a pull: absent, intact (manifest.json names `<config hex>.json`, the expected config,
 * and layers whose bytes hash to the names they are stored under), or broken.
 */
export function inspectArchive(file: string, expectedConfig: string): Found {
  if (!existsSync(file)) return { state: 'absent' };
  const entries = tarEntries(readFileSync(file));
  const manifestJson = entries.get('manifest.json');
  if (!manifestJson) return { state: 'broken', why: 'no manifest.json' };
  const [image] = JSON.parse(manifestJson.toString('utf8')) as { Config: string; Layers: string[] }[];
  if (!image) return { state: 'broken', why: 'manifest.json lists no image' };
  const config = `sha256:${image.Config.replace(/\.json$/, '')}`;
  if (config !== expectedConfig) return { state: 'broken', why: `config ${config}, not ${expectedConfig}` };
  for (const name of [image.Config, ...image.Layers]) {
    const bytes = entries.get(name);
    const hex = name.replace(/(\.json|\/layer\.tar)$/, '');
    if (!bytes || sha256Hex(bytes) !== hex)
      return { state: 'broken', why: `${name} missing or not its digest` };
  }
  return { state: 'intact', digest: config };
}

/** What the docker daemon holds for `reference`: absent, intact (its image ID is `expectedId`), or broken. */
export async function inspectDockerImage(
  env: NodeJS.ProcessEnv,
  reference: string,
  expectedId: string,
): Promise<Found> {
  const ran = await runProgram('docker', ['image', 'inspect', '--format', '{{.Id}}', reference], { env });
  if (ran.code !== 0) return { state: 'absent' };
  const id = ran.stdout.trim();
  return id === expectedId
    ? { state: 'intact', digest: id }
    : { state: 'broken', digest: id, why: `image ID ${id}, not ${expectedId}` };
}

/** Removes images from the docker daemon, best effort (so a later case downloads its layers again). */
export async function removeDockerImages(env: NodeJS.ProcessEnv, references: string[]): Promise<void> {
  await runProgram('docker', ['rmi', '-f', ...references], { env });
}

/**
 * A failure ('' never) when fewer than `atLeast` requests through `proxy` had a fault described by `fault`
 * (e.g. 'status 503', /^truncate/): a case whose fault never fired proves nothing.
 */
export function fired(proxy: FaultProxy, fault: string | RegExp, atLeast = 1): string | undefined {
  const count = proxy.requests.filter((r) =>
    typeof fault === 'string' ? r.fault === fault : r.fault !== undefined && fault.test(r.fault),
  ).length;
  return count >= atLeast ? undefined : `the fault '${String(fault)}' fired ${count} times, not ${atLeast}`;
}

/** Starts a fault proxy in front of `upstream` for one case, and closes it afterwards, whatever happens. */
export async function withProxy<T>(
  upstream: string,
  body: (proxy: FaultProxy) => Promise<T>,
  options: FaultProxyOptions = {},
): Promise<T> {
  const proxy = await startFaultProxy(upstream, undefined, options);
  try {
    return await body(proxy);
  } finally {
    await proxy.close();
  }
}

/**
 * Whether the step's error says that bytes did not match their digest: the client's DigestMismatchError
 * ("expected sha256:A, the bytes received hash to sha256:B", A and B different), or any message that names a
 * digest mismatch or a failed digest verification in words.
 */
export function saysDigestMismatch(text: string): boolean {
  const exact = /expected (sha256:[0-9a-f]{64}),? the bytes received hash to (sha256:[0-9a-f]{64})/.exec(
    text,
  );
  if (exact) return exact[1] !== exact[2];
  return /digest/i.test(text) && /mismatch|did not match|does not match|verification failed/i.test(text);
}

/** The step's first error annotation, or a short tail of its output when it raised none. */
export function firstError(result: StepResult): string {
  return annotations(result, 'error')[0] ?? result.stdout.split('\n').slice(-5).join('\n');
}

/** What a case expects: a transient fault survived, or corruption detected; and its time bound. */
export interface Expectation {
  name: string;
  expect: 'survive' | 'detect';
  boundMs: number;
}

/** What a case observed, judged by the rules of the suite. */
export interface Observation {
  result: StepResult;
  ms: number;
  /** The fault-free result: the digest a surviving run must report (transient faults only). */
  digest?: string;
  /** What each thing the command writes (or must not write) holds afterwards, by a name for messages. */
  written: Record<string, Found>;
  /**
   * Detection only: what may exist because it was written before the corruption was seen (the tag docker
   * pushed before the action read it back); it must not be broken.
   */
  kept?: Record<string, Found>;
  /** Further checks of the case, as failures ('' or undefined for none). */
  extra?: (string | undefined)[];
}

/**
 * The suite's verdict on one case, recorded for the closing line (recordOutcome) and then asserted:
 * - survive: exit 0, the fault-free digest, and everything written intact (present, right digest, every blob);
 * - detect: exit 1, an error saying the digest did not match, and nothing written;
 * - always: no tag pointing at missing or wrong content, and the wall time within the bound.
 */
export function judge(expectation: Expectation, observed: Observation): void {
  const { result } = observed;
  const problems: string[] = [];
  const entries = Object.entries(observed.written);
  if (expectation.expect === 'survive') {
    if (result.code !== 0) problems.push(`exit ${result.code}: ${firstError(result)}`);
    if (observed.digest !== undefined && result.outputs.digest !== observed.digest)
      problems.push(`digest ${result.outputs.digest ?? 'none'}, not the fault-free ${observed.digest}`);
    for (const [name, found] of entries)
      if (found.state !== 'intact') problems.push(`${name}: ${found.state}`);
  } else {
    if (result.code !== 1) problems.push(`exit ${result.code}, not 1`);
    if (!saysDigestMismatch(firstError(result)))
      problems.push(`the error does not say the digest did not match: ${firstError(result)}`);
    for (const [name, found] of entries)
      if (found.state !== 'absent') problems.push(`${name} was written (${found.state})`);
  }
  problems.push(...(observed.extra ?? []).filter((p): p is string => !!p));
  const broken = [...entries, ...Object.entries(observed.kept ?? {})].filter(
    ([, found]) => found.state === 'broken',
  );
  const survived = problems.length === 0;
  recordOutcome({ suite: 'fault', name: expectation.name, survived, corruptTags: broken.length });
  expect({
    problems,
    corrupt: broken.map(([name, found]) => `${name}: ${found.state === 'broken' ? found.why : ''}`),
    withinBound: observed.ms <= expectation.boundMs ? true : `${observed.ms} ms > ${expectation.boundMs} ms`,
  }).toEqual({ problems: [], corrupt: [], withinBound: true });
}
