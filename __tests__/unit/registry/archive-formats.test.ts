import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readArchive } from '../../../src/registry/archive-read.js';
import { planFromLayout } from '../../../src/registry/archive-layout.js';
import { sha256 } from '../../../src/registry/digest.js';
import { zstdDecompressor } from '../../../src/registry/layer-digest.js';
import type { Manifest } from '../../../src/registry/manifests.js';
import { DOCKER_LAYER, planFromArchive } from '../../../src/registry/push-archive.js';
import type { PushPlan } from '../../../src/registry/push.js';
import {
  classicArchive,
  OCI_GZIP,
  OCI_TAR,
  ociImage,
  ociIndex,
  savedArchive,
} from '../../support/docker-save.js';
import { tarWithFile } from '../../support/registry.js';
import { tarArchive, tarEntry } from '../../support/tar.js';

let work: string;
let logged: string[];
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'archive-formats-'));
  logged = [];
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** The plan for an archive's bytes, the way pushDockerArchive makes it. */
async function plan(bytes: Buffer, options: { repoTag?: string; platform?: string } = {}): Promise<PushPlan> {
  const file = join(work, `archive-${logged.length}-${Math.random()}.tar`);
  writeFileSync(file, bytes);
  const archive = await readArchive(file, mkdtempSync(join(work, 'read-')));
  return archive.files.has('index.json')
    ? planFromLayout(archive, { ...options, log: (line) => logged.push(line) })
    : planFromArchive(archive, options.repoTag);
}

/** A plan's blob bytes, read from its sources. */
async function blobBytes(p: PushPlan, digest: string, size = 0): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await p.source({ mediaType: '', digest, size }).open(0))
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const imageOf = (m: Manifest | undefined) => {
  if (m?.kind !== 'image') throw new Error('not an image');
  return m.image;
};

const layerA = tarWithFile('a.txt', Buffer.from('a'.repeat(3000)));
const layerB = tarWithFile('b.txt', Buffer.from('b'.repeat(3000)));
const amd = { os: 'linux', architecture: 'amd64' };
const arm = { os: 'linux', architecture: 'arm64' };

/** A zstd frame of `content` (256 bytes to 64 KiB) in one raw block: valid zstd, made without a compressor. */
function zstdFrame(content: Buffer): Buffer {
  const size = Buffer.alloc(2);
  size.writeUInt16LE(content.length - 256);
  const block = (content.length << 3) | 1; // last block, raw
  const header = Buffer.from([block & 255, (block >> 8) & 255, block >> 16]);
  return Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x60]), size, header, content]);
}

describe('docker 25+ archives, classic store (uncompressed OCI layer blobs)', () => {
  it('pushes the layout: layers gzip-compressed with the gzip media type, config unchanged, diff_ids checked', async () => {
    const { archive, image } = classicArchive([layerA, layerB, layerA]);
    const p = await plan(archive);
    expect(p.manifests).toHaveLength(1);
    const pushed = imageOf(p.manifests[0]);
    expect(p.manifests[0]?.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(pushed.config).toEqual({
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: sha256(image.config),
      size: image.config.length,
    });
    expect(pushed.layers.map((l) => l.mediaType)).toEqual([OCI_GZIP, OCI_GZIP, OCI_GZIP]);
    expect(pushed.layers[0]?.digest).toBe(pushed.layers[2]?.digest);
    for (const [i, layer] of pushed.layers.entries()) {
      const bytes = await blobBytes(p, layer.digest);
      expect(sha256(bytes)).toBe(layer.digest);
      expect(bytes.length).toBe(layer.size);
      expect(gunzipSync(bytes).equals([layerA, layerB, layerA][i] ?? Buffer.alloc(0))).toBe(true);
    }
    expect((await blobBytes(p, sha256(image.config))).equals(image.config)).toBe(true);
    // Deterministic: the same archive gives the same manifest.
    expect((await plan(archive)).manifests[0]?.digest).toBe(p.manifests[0]?.digest);
  });

  it('picks the image by its docker name, and refuses a name the archive does not hold', async () => {
    const { archive } = classicArchive([layerA], 'web:2.0');
    expect((await plan(archive, { repoTag: 'web:2.0' })).manifests).toHaveLength(1);
    await expect(plan(archive, { repoTag: 'web:3' })).rejects.toThrow(/0 entries named 'web:3'/);
  });

  it('refuses a layer that does not match its diff_id, or whose bytes do not match its name', async () => {
    const wrong = ociImage([layerA], OCI_TAR, [layerB]);
    const archive = savedArchive([...wrong.blobs.values(), wrong.manifest], wrong.descriptor, wrong);
    await expect(plan(archive)).rejects.toThrow(/layer 1 .* has sha256 .*, the config's diff_id is/);
    const { image } = classicArchive([layerA]);
    const swapped = { digest: sha256(image.config), bytes: layerA };
    const renamed = savedArchive([swapped, layerA, image.manifest], image.descriptor, image);
    await expect(plan(renamed)).rejects.toThrow(/hashes to sha256:[0-9a-f]{64}: the archive is corrupt/);
  });

  it('refuses a layer whose bytes are not what its media type says', async () => {
    const lying = ociImage([layerA], OCI_GZIP);
    const archive = savedArchive([...lying.blobs.values(), lying.manifest], lying.descriptor, lying);
    await expect(plan(archive)).rejects.toThrow(/is uncompressed, its media type .*tar\+gzip says otherwise/);
  });
});

describe('docker 25+/29 archives, containerd store (compressed blobs, an index of platforms)', () => {
  const amdImage = ociImage([gzipSync(layerA)], OCI_GZIP, [layerA], amd);
  const armImage = ociImage([gzipSync(layerB)], OCI_GZIP, [layerB], arm);
  const attestation = ociImage([Buffer.from('{}')], 'application/vnd.in-toto+json', [Buffer.from('{}')], {
    os: 'unknown',
    architecture: 'unknown',
  });
  const index = ociIndex([amdImage.descriptor, armImage.descriptor, attestation.descriptor]);
  const blobsOf = (...images: (typeof amdImage)[]) =>
    images.flatMap((i) => [...i.blobs.values(), i.manifest]).concat(index.bytes);

  it('pushes the whole index when all of it is there: its digest is the image ID docker shows', async () => {
    const p = await plan(savedArchive(blobsOf(amdImage, armImage, attestation), index.descriptor, amdImage));
    expect(p.manifests.map((m) => m.digest)).toEqual([
      amdImage.descriptor.digest,
      armImage.descriptor.digest,
      attestation.descriptor.digest,
      index.descriptor.digest,
    ]);
    const layer = imageOf(p.manifests[0]).layers[0];
    expect(layer?.mediaType).toBe(OCI_GZIP);
    expect((await blobBytes(p, layer?.digest ?? '')).equals(gzipSync(layerA))).toBe(true);
    expect(logged).toEqual([]);
  });

  it('pushes the one platform whose content is there, as it is, and says so', async () => {
    // The arm64 manifest is there, one of its layers is not; the attestation is there (not an image to push).
    const partial = blobsOf(amdImage, attestation).concat(armImage.manifest, armImage.config);
    const p = await plan(savedArchive(partial, index.descriptor, amdImage));
    expect(p.manifests.map((m) => m.digest)).toEqual([amdImage.descriptor.digest]);
    expect(p.manifests[0]?.bytes.equals(amdImage.manifest)).toBe(true);
    expect(logged.join('\n')).toMatch(/only the linux\/amd64 image sha256:[0-9a-f]{64} has all its content/);
  });

  it('refuses an index with several complete platforms but not all, unless one is named; and one with none', async () => {
    const both = savedArchive(blobsOf(amdImage, armImage), index.descriptor, amdImage);
    await expect(plan(both)).rejects.toThrow(
      /2 images with all their content \(linux\/amd64, linux\/arm64\): name the platform to push, or docker save --platform/,
    );
    const chosen = await plan(both, { platform: 'linux/arm64' });
    expect(chosen.manifests.map((m) => m.digest)).toEqual([armImage.descriptor.digest]);
    await expect(plan(both, { platform: 'linux/s390x' })).rejects.toThrow(
      /0 image\(s\) of platform linux\/s390x/,
    );
    const none = savedArchive([index.bytes, amdImage.manifest], index.descriptor, amdImage);
    await expect(plan(none)).rejects.toThrow(
      /none with all its blobs in the archive .* docker save --platform/,
    );
  });

  it('refuses a gzip layer that does not decompress to its diff_id, and gzip data that does not decompress', async () => {
    const wrong = ociImage([gzipSync(layerA)], OCI_GZIP, [layerB]);
    const archive = savedArchive([...wrong.blobs.values(), wrong.manifest], wrong.descriptor, wrong);
    await expect(plan(archive)).rejects.toThrow(/after gzip decompression\), the config's diff_id is/);
    const broken = Buffer.concat([gzipSync(layerA).subarray(0, 40), Buffer.alloc(64, 1)]);
    const bad = ociImage([broken], OCI_GZIP, [layerA]);
    const badArchive = savedArchive([...bad.blobs.values(), bad.manifest], bad.descriptor, bad);
    await expect(plan(badArchive)).rejects.toThrow(/starts like gzip data but does not decompress/);
  });
});

/** A manifest.json-only archive (docker 20.10's shape) of layers as stored, diff_ids of `uncompressed`. */
function legacyArchive(stored: Buffer[], uncompressed: Buffer[]): { bytes: Buffer; config: Buffer } {
  const config = Buffer.from(
    JSON.stringify({ os: 'linux', rootfs: { type: 'layers', diff_ids: uncompressed.map((l) => sha256(l)) } }),
  );
  const names = stored.map((_, i) => `l${i}/layer.tar`);
  const manifest = JSON.stringify([{ Config: 'config.json', Layers: names }]);
  const entries = stored.map((l, i) => tarEntry(names[i] ?? '', l));
  const bytes = tarArchive(tarEntry('config.json', config), ...entries, tarEntry('manifest.json', manifest));
  return { bytes, config };
}

describe('manifest.json archives whose layers are compressed already', () => {
  it('uploads a gzip layer as it is (docker gzip type), checked against its diff_id', async () => {
    const gz = gzipSync(layerA);
    const { bytes } = legacyArchive([gz, layerB], [layerA, layerB]);
    const p = await plan(bytes);
    const layers = imageOf(p.manifests[0]).layers;
    expect(layers.map((l) => l.mediaType)).toEqual([DOCKER_LAYER, DOCKER_LAYER]);
    expect(layers[0]?.digest).toBe(sha256(gz));
    expect((await blobBytes(p, sha256(gz))).equals(gz)).toBe(true);
    await expect(plan(legacyArchive([gz], [layerB]).bytes)).rejects.toThrow(/after gzip decompression/);
  });

  it('checks a zstd layer where Node has zstd (then an OCI manifest), and refuses it where it has not', async () => {
    const zst = zstdFrame(layerA);
    const { bytes, config } = legacyArchive([zst], [layerA]);
    if (!zstdDecompressor()) {
      await expect(plan(bytes)).rejects.toThrow(/zstd-compressed and this Node .* has no zstd decompressor/);
      return;
    }
    const p = await plan(bytes);
    expect(p.manifests[0]?.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    const image = imageOf(p.manifests[0]);
    expect(image.config.digest).toBe(sha256(config));
    expect(image.layers[0]).toEqual({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd',
      digest: sha256(zst),
      size: zst.length,
    });
    await expect(plan(legacyArchive([zst], [layerB]).bytes)).rejects.toThrow(/after zstd decompression/);
  });
});

describe('paths', () => {
  it('refuses entry names and links that leave the archive, and index digests that are not digests', async () => {
    await expect(plan(tarArchive(tarEntry('blobs/sha256/../../../etc/passwd', 'x')))).rejects.toThrow(
      /leaves the archive/,
    );
    await expect(plan(tarArchive(tarEntry('blobs/x', '', '2', '../../etc/passwd')))).rejects.toThrow(
      /points outside the archive/,
    );
    const { image } = classicArchive([layerA]);
    const evil = { ...image.descriptor, digest: 'sha256:../../../etc/passwd' };
    const archive = savedArchive([...image.blobs.values(), image.manifest], evil, image);
    await expect(plan(archive)).rejects.toThrow(/is not a digest/);
  });
});
