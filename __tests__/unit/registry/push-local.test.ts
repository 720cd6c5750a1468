import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { compressTo, readArchive } from '../../../src/registry/archive-read.js';
import { sha256 } from '../../../src/registry/digest.js';
import { DOCKER_LAYER, planFromArchive } from '../../../src/registry/push-archive.js';
import { readLayout, selectEntry } from '../../../src/registry/push-layout.js';
import { makeImage, makeIndex, tarWithFile, type MadeImage } from '../../support/registry.js';
import { tarArchive, tarEntry } from '../../support/tar.js';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'push-local-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A docker-save (20.10) archive of layers, with the config's diff_ids as given (default: the real ones). */
function savedArchive(layers: Buffer[], diffIds = layers.map((l) => sha256(l)), extra: Buffer[] = []) {
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds } }),
  );
  const hex = sha256(config).slice(7);
  const names = layers.map((_, i) => `layer${i}/layer.tar`);
  const manifest = JSON.stringify([{ Config: `${hex}.json`, RepoTags: ['app:1'], Layers: names }]);
  const file = join(work, 'image.tar');
  writeFileSync(
    file,
    tarArchive(
      tarEntry(`${hex}.json`, config),
      ...layers.flatMap((l, i) => [
        tarEntry(`layer${i}/`, '', '5'),
        tarEntry(`layer${i}/VERSION`, '1.0'),
        tarEntry(names[i] ?? '', l),
      ]),
      ...extra,
      tarEntry('manifest.json', manifest),
    ),
  );
  return { file, config };
}

async function plan(file: string, repoTag?: string) {
  const dir = mkdtempSync(join(work, 'read-'));
  return planFromArchive(await readArchive(file, dir), repoTag);
}

describe('docker archives', () => {
  it('compresses deterministically: gzip with mtime 0, no name, the same bytes every time', async () => {
    const input = Buffer.from('layer bytes '.repeat(10000));
    const one = await compressTo(Readable.from([input]), join(work, 'one.gz'));
    const two = await compressTo(
      Readable.from([input.subarray(0, 7), input.subarray(7)]),
      join(work, 'two.gz'),
    );
    const bytes = readFileSync(one.path);
    expect(readFileSync(two.path).equals(bytes)).toBe(true);
    expect(one).toEqual({ ...two, path: one.path });
    // Header: magic, deflate, no flags (no name), mtime 0.
    expect([...bytes.subarray(0, 8)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    expect(one.digest).toBe(sha256(bytes));
    expect(one.diffId).toBe(sha256(input));
    expect(gunzipSync(bytes).equals(input)).toBe(true);
  });

  it('makes a Docker schema 2 manifest: the config as is, layers compressed, diff_ids checked', async () => {
    const layers = [tarWithFile('a.txt', Buffer.from('a')), tarWithFile('b.txt', Buffer.from('b'))];
    const { file, config } = savedArchive(layers);
    const { manifests } = await plan(file);
    const manifest = manifests[0];
    expect(manifest?.kind).toBe('image');
    if (manifest?.kind !== 'image') return;
    expect(manifest.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(manifest.image.config).toEqual({
      mediaType: 'application/vnd.docker.container.image.v1+json',
      digest: sha256(config),
      size: config.length,
    });
    expect(manifest.image.layers.map((l) => l.mediaType)).toEqual([DOCKER_LAYER, DOCKER_LAYER]);
    // Reading the same archive again gives the same manifest, byte for byte.
    expect((await plan(file)).manifests[0]?.bytes.equals(manifest.bytes)).toBe(true);
  });

  it('refuses a layer whose sha256 is not the diff_id at its position', async () => {
    const layers = [tarWithFile('a.txt', Buffer.from('a')), tarWithFile('b.txt', Buffer.from('b'))];
    const swapped = [sha256(layers[1] ?? ''), sha256(layers[0] ?? '')];
    await expect(plan(savedArchive(layers, swapped).file)).rejects.toThrow(
      /layer 1 .* the config's diff_id is/,
    );
    await expect(plan(savedArchive(layers, [swapped[0] ?? '']).file)).rejects.toThrow(/names 1 layers/);
  });

  it("follows docker save's links for repeated layers within the archive only", async () => {
    const layer = tarWithFile('same.txt', Buffer.from('same'));
    const config = Buffer.from(
      JSON.stringify({ rootfs: { type: 'layers', diff_ids: [sha256(layer), sha256(layer)] } }),
    );
    const hex = sha256(config).slice(7);
    const archive = (link: string) => {
      const file = join(work, `linked-${link.length}.tar`);
      const manifest = JSON.stringify([{ Config: `${hex}.json`, Layers: ['a/layer.tar', 'b/layer.tar'] }]);
      writeFileSync(
        file,
        tarArchive(
          tarEntry(`${hex}.json`, config),
          tarEntry('a/layer.tar', '', '2', link),
          tarEntry('b/layer.tar', layer),
          tarEntry('manifest.json', manifest),
        ),
      );
      return file;
    };
    const { manifests } = await plan(archive('../b/layer.tar'));
    const image = manifests[0];
    expect(image?.kind === 'image' && image.image.layers[0]?.digest === image.image.layers[1]?.digest).toBe(
      true,
    );
    await expect(plan(archive('../../etc/passwd'))).rejects.toThrow(/points outside the archive/);
    await expect(plan(archive('/etc/passwd'))).rejects.toThrow(/points outside the archive/);
  });

  it('picks an image by repo tag when the archive holds several, and refuses a missing one', async () => {
    const { file } = savedArchive([tarWithFile('a.txt', Buffer.from('a'))]);
    expect((await plan(file, 'app:1')).manifests).toHaveLength(1);
    await expect(plan(file, 'app:2')).rejects.toThrow(/0 of them tagged 'app:2'/);
  });
});

/** An OCI layout of images (and an index of them when asked) in `dir`. */
function layout(
  dir: string,
  images: MadeImage[],
  entries: { digest: string; mediaType: string; size: number; name?: string }[],
) {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  for (const image of images) {
    for (const [digest, bytes] of image.blobs) writeFileSync(join(blobs, digest.slice(7)), bytes);
    writeFileSync(join(blobs, image.manifest.digest.slice(7)), image.manifest.bytes);
  }
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const manifests = entries.map(({ name, ...d }) => ({
    ...d,
    ...(name ? { annotations: { 'org.opencontainers.image.ref.name': name } } : {}),
  }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
}

const entryOf = (image: MadeImage, name?: string) => ({ ...image.descriptor, name });

describe('OCI layouts', () => {
  it('selects the only entry, or the one named, and refuses ambiguity', () => {
    const a = makeImage({ label: 'a' });
    const b = makeImage({ label: 'b' });
    layout(work, [a], [entryOf(a)]);
    expect(selectEntry(work, undefined).digest).toBe(a.manifest.digest);
    layout(work, [a, b], [entryOf(a, 'v1'), entryOf(b, 'v2')]);
    expect(selectEntry(work, 'v2').digest).toBe(b.manifest.digest);
    expect(() => selectEntry(work, undefined)).toThrow(/lists 2 images \(names: v1, v2\)/);
    expect(() => selectEntry(work, 'v3')).toThrow(/0 entries named 'v3'/);
  });

  it('orders an index after its children, and lists every blob once', () => {
    const amd = makeImage({ label: 'amd' });
    const arm = makeImage({ platform: { os: 'linux', architecture: 'arm64' }, label: 'arm' });
    const index = makeIndex([amd, arm]);
    layout(work, [amd, arm], [{ ...index, size: index.bytes.length }]);
    writeFileSync(join(work, 'blobs', 'sha256', index.digest.slice(7)), index.bytes);
    const { manifests } = readLayout(work);
    expect(manifests.map((m) => m.digest)).toEqual([amd.manifest.digest, arm.manifest.digest, index.digest]);
  });

  it('refuses a missing or short blob, and a manifest that does not match its digest, before any push', () => {
    const a = makeImage();
    layout(work, [a], [entryOf(a)]);
    const layer = [...a.blobs.keys()][1];
    rmSync(join(work, 'blobs', 'sha256', (layer ?? '').slice(7)));
    expect(() => readLayout(work)).toThrow(/blob sha256:[0-9a-f]{64} is missing/);
    writeFileSync(join(work, 'blobs', 'sha256', (layer ?? '').slice(7)), 'short');
    expect(() => readLayout(work)).toThrow(/has 5 bytes, its descriptor says/);
    const path = join(work, 'blobs', 'sha256', a.manifest.digest.slice(7));
    writeFileSync(path, Buffer.from(a.manifest.bytes.toString().replace('layers', 'layerz')));
    expect(() => readLayout(work)).toThrow(/the bytes received hash to sha256:/);
  });

  it('refuses an index.json whose digests are not digests (they would become paths)', () => {
    const a = makeImage();
    layout(work, [a], [{ ...entryOf(a), digest: 'sha256:../../../etc/passwd' }]);
    expect(() => selectEntry(work, undefined)).toThrow(/is not a digest/);
  });
});
