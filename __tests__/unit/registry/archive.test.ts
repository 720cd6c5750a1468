import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDockerArchive } from '../../../src/registry/archive.js';
import { sha256 } from '../../../src/registry/digest.js';
import { DigestMismatchError } from '../../../src/registry/errors.js';
import { MediaType, type Descriptor, type ImageManifest } from '../../../src/registry/manifests.js';
import { blobServerFixture, serveImage } from '../../support/registry.js';

/** A tiny registry that serves the blobs of REPO (support/registry.ts), and the transport that reaches it. */
const REPO = 'octo/app';
const registry = blobServerFixture(REPO, 'archive-unit-');
const tempDir = registry.tempDir;

const hexOf = (digest: string) => digest.slice(digest.indexOf(':') + 1);

/** Every file under dir (recursively), as paths relative to dir. */
function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

interface TarEntry {
  name: string;
  body: Buffer;
}

/** A ustar reader: 512-byte headers (checksum checked), octal sizes, bodies padded to 512; stops at a zero block. */
function readTar(archive: Buffer): { entries: TarEntry[]; end: number } {
  const entries: TarEntry[] = [];
  let offset = 0;
  const text = (header: Buffer, start: number, length: number) =>
    header
      .subarray(start, start + length)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) return { entries, end: offset };
    const checksum = parseInt(text(header, 148, 8).trim(), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : header.readUInt8(i);
    expect(sum).toBe(checksum);
    expect(text(header, 257, 6)).toBe('ustar');
    expect(text(header, 156, 1)).toBe('0');
    const size = parseInt(text(header, 124, 12), 8);
    const body = archive.subarray(offset + 512, offset + 512 + size);
    expect(body.length).toBe(size);
    const padded = Math.ceil(size / 512) * 512;
    expect(archive.subarray(offset + 512 + size, offset + 512 + padded).every((byte) => byte === 0)).toBe(
      true,
    );
    entries.push({ name: text(header, 0, 100), body: Buffer.from(body) });
    offset += 512 + padded;
  }
  throw new Error('the archive has no end-of-archive block');
}

describe('writeDockerArchive', () => {
  /** An image with two real layers of odd sizes (padding), one larger than a network chunk. */
  function twoLayerImage(): { image: ImageManifest; blobs: Map<string, Buffer> } {
    const { made, manifest } = serveImage(registry.server, { label: 'archive' });
    const extra = randomBytes(300_001);
    registry.server.stored.set(sha256(extra), extra);
    if (manifest.kind !== 'image') throw new Error('not an image manifest');
    const image = manifest.image;
    const withExtra: ImageManifest = {
      ...image,
      layers: [
        ...image.layers,
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: sha256(extra),
          size: extra.length,
        },
      ],
    };
    return { image: withExtra, blobs: new Map([...made.blobs, [sha256(extra), extra]]) };
  }

  it('writes config, layers and manifest.json as a docker save archive', async () => {
    const file = join(tempDir(), 'out', 'image.tar');
    const { image, blobs } = twoLayerImage();
    await writeDockerArchive(registry.t, REPO, file, image, 'ghcr.io/octo/app:v1');

    const archive = readFileSync(file);
    expect(archive.length % 512).toBe(0);
    const { entries, end } = readTar(archive);
    expect(end).toBe(archive.length - 1024);
    expect(archive.subarray(end).every((byte) => byte === 0)).toBe(true);

    const configName = `${hexOf(image.config.digest)}.json`;
    const layerNames = image.layers.map((layer) => `${hexOf(layer.digest)}/layer.tar`);
    expect(entries.map((e) => e.name)).toEqual([configName, ...layerNames, 'manifest.json']);
    const byName = new Map(entries.map((e) => [e.name, e.body]));
    expect(byName.get(configName)?.equals(blobs.get(image.config.digest) ?? Buffer.alloc(0))).toBe(true);
    for (const layer of image.layers) {
      const body = byName.get(`${hexOf(layer.digest)}/layer.tar`);
      expect(body && sha256(body)).toBe(layer.digest);
      expect(body?.equals(blobs.get(layer.digest) ?? Buffer.alloc(0))).toBe(true);
    }
    expect(JSON.parse(byName.get('manifest.json')?.toString('utf8') ?? 'null')).toEqual([
      { Config: configName, RepoTags: ['ghcr.io/octo/app:v1'], Layers: layerNames },
    ]);
    expect(readdirSync(join(file, '..'))).toEqual(['image.tar']);
  });

  it('names no tag when none was asked for (a pull by digest must not move a local tag on docker load)', async () => {
    const file = join(tempDir(), 'untagged.tar');
    const { image } = twoLayerImage();
    await writeDockerArchive(registry.t, REPO, file, image, undefined);
    const manifest = readTar(readFileSync(file)).entries.find((entry) => entry.name === 'manifest.json');
    expect(JSON.parse(manifest?.body.toString('utf8') ?? 'null')[0].RepoTags).toEqual([]);
  });

  it('rejects a corrupted blob, leaving no archive and no partial file', async () => {
    const dir = tempDir();
    const file = join(dir, 'image.tar');
    const { image } = twoLayerImage();
    const last = image.layers[image.layers.length - 1];
    if (!last) throw new Error('no layer');
    registry.server.corrupt.add(last.digest);
    await expect(
      writeDockerArchive(registry.t, REPO, file, image, 'ghcr.io/octo/app:v1'),
    ).rejects.toBeInstanceOf(DigestMismatchError);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes the folders it made for the archive when the archive cannot be written', async () => {
    const dir = tempDir();
    const file = join(dir, 'new', 'deeper', 'image.tar');
    const { image } = twoLayerImage();
    const last = image.layers[image.layers.length - 1];
    if (!last) throw new Error('no layer');
    registry.server.corrupt.add(last.digest);
    await expect(writeDockerArchive(registry.t, REPO, file, image, undefined)).rejects.toBeInstanceOf(
      DigestMismatchError,
    );
    registry.server.corrupt.delete(last.digest);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps an existing archive when the new one fails', async () => {
    const dir = tempDir();
    const file = join(dir, 'image.tar');
    writeFileSync(file, 'the previous archive');
    const { image } = twoLayerImage();
    const last = image.layers[image.layers.length - 1];
    if (!last) throw new Error('no layer');
    registry.server.corrupt.add(last.digest);
    await expect(writeDockerArchive(registry.t, REPO, file, image, 'ghcr.io/octo/app:v1')).rejects.toThrow(
      DigestMismatchError,
    );
    expect(readFileSync(file, 'utf8')).toBe('the previous archive');
    expect(readdirSync(dir)).toEqual(['image.tar']);
  });

  // A small blob is verified as soon as it arrives: its failure must reject, never escape as an uncaught error.
  it('rejects a corrupted small config cleanly', async () => {
    const dir = tempDir();
    const file = join(dir, 'image.tar');
    const { image } = twoLayerImage();
    registry.server.corrupt.add(image.config.digest);
    await expect(writeDockerArchive(registry.t, REPO, file, image, 'ghcr.io/octo/app:v1')).rejects.toThrow(
      DigestMismatchError,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('throws before writing or fetching anything when the image has a foreign layer', async () => {
    const dir = tempDir();
    const file = join(dir, 'sub', 'image.tar');
    const { image } = twoLayerImage();
    const foreign: Descriptor = {
      mediaType: MediaType.dockerForeignLayer,
      digest: `sha256:${'f'.repeat(64)}`,
      size: 10,
      urls: ['https://example.invalid/layer'],
    };
    const before = registry.server.requests.length;
    await expect(
      writeDockerArchive(registry.t, REPO, file, { ...image, layers: [...image.layers, foreign] }, 'x:y'),
    ).rejects.toThrow(/foreign layer/);
    expect(registry.server.requests.length).toBe(before);
    expect(allFiles(dir)).toEqual([]);
    expect(existsSync(join(dir, 'sub'))).toBe(false);
  });
});
