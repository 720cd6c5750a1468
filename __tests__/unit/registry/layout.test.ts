import { describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../../src/registry/digest.js';
import { DigestMismatchError } from '../../../src/registry/errors.js';
import { layoutProblem, toOciManifest, writeOciLayout } from '../../../src/registry/layout.js';
import type { Logger } from '../../../src/registry/retry.js';
import { Transport } from '../../../src/registry/transport.js';
import {
  MediaType,
  parseManifest,
  type Descriptor,
  type ImageManifest,
  type Manifest,
} from '../../../src/registry/manifests.js';
import { makeImage, blobServerFixture, serveImage, tarWithFile } from '../../support/registry.js';

/** A tiny registry that serves the blobs of REPO (support/registry.ts), and the transport that reaches it. */
const REPO = 'octo/app';
const registry = blobServerFixture(REPO, 'layout-unit-');
const tempDir = registry.tempDir;

const hexOf = (digest: string) => digest.slice(digest.indexOf(':') + 1);
const fileSha256 = (path: string) =>
  `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;

/** A made image, served by the registry, with its manifest parsed. */
const servedImage = (options: Parameters<typeof makeImage>[0] = {}) => serveImage(registry.server, options);

function imageOf(manifest: Manifest): ImageManifest {
  if (manifest.kind !== 'image') throw new Error('not an image manifest');
  return manifest.image;
}

interface IndexJson {
  schemaVersion: number;
  manifests: Descriptor[];
}

const readIndex = (dir: string) => JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as IndexJson;
const REF_NAME = 'org.opencontainers.image.ref.name';

/** Every file under dir (recursively), as paths relative to dir. */
function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

/** Waits until no `*.partial-*` file is left under dir (sibling downloads may still be finishing). */
async function partialsAfterSettling(dir: string): Promise<string[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const partials = allFiles(dir).filter((f) => f.includes('.partial-'));
    if (partials.length === 0 || Date.now() > deadline) return partials;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const requested = (digest: string) =>
  registry.server.requests.some((path) => path.endsWith(`/blobs/${digest}`));

describe('writeOciLayout', () => {
  it('writes oci-layout, index.json and byte-identical blobs named by their sha256', async () => {
    const dir = join(tempDir(), 'new', 'layout');
    const { made, manifest } = servedImage();
    await writeOciLayout(registry.t, REPO, dir, { root: manifest, images: [manifest], refName: 'v1' });

    expect(JSON.parse(readFileSync(join(dir, 'oci-layout'), 'utf8'))).toEqual({
      imageLayoutVersion: '1.0.0',
    });
    const index = readIndex(dir);
    expect(index.schemaVersion).toBe(2);
    expect(index.manifests).toEqual([
      {
        mediaType: MediaType.ociManifest,
        digest: made.manifest.digest,
        size: made.manifest.bytes.length,
        annotations: { [REF_NAME]: 'v1' },
      },
    ]);

    const blobDir = join(dir, 'blobs', 'sha256');
    const expected = new Map<string, Buffer>([...made.blobs, [made.manifest.digest, made.manifest.bytes]]);
    expect(readdirSync(blobDir).sort()).toEqual([...expected.keys()].map(hexOf).sort());
    for (const [digest, bytes] of expected) {
      const file = join(blobDir, hexOf(digest));
      expect(readFileSync(file).equals(bytes)).toBe(true);
      expect(fileSha256(file)).toBe(digest);
    }
    expect(allFiles(dir).sort()).toEqual(
      [
        'index.json',
        'oci-layout',
        ...[...expected.keys()].map((d) => join('blobs', 'sha256', hexOf(d))),
      ].sort(),
    );
  });

  it('adds an entry for another ref name and replaces the entry of the same ref name', async () => {
    const dir = tempDir();
    const a = servedImage({ label: 'a' });
    const b = servedImage({ label: 'b' });
    const c = servedImage({ label: 'c' });
    await writeOciLayout(registry.t, REPO, dir, { root: a.manifest, images: [a.manifest], refName: 'v1' });
    await writeOciLayout(registry.t, REPO, dir, { root: b.manifest, images: [b.manifest], refName: 'v2' });
    const entries = () => readIndex(dir).manifests.map((d) => [d.annotations?.[REF_NAME], d.digest]);
    expect(entries()).toEqual([
      ['v1', a.manifest.digest],
      ['v2', b.manifest.digest],
    ]);

    await writeOciLayout(registry.t, REPO, dir, { root: c.manifest, images: [c.manifest], refName: 'v1' });
    expect(entries()).toEqual([
      ['v2', b.manifest.digest],
      ['v1', c.manifest.digest],
    ]);
    expect(readIndex(dir).schemaVersion).toBe(2);
    // Blobs of every image written stay (the layout is a content store).
    for (const image of [a, b, c]) {
      for (const digest of [...image.made.blobs.keys(), image.manifest.digest])
        expect(fileSha256(join(dir, 'blobs', 'sha256', hexOf(digest)))).toBe(digest);
    }
  });

  it('neither fetches nor writes a foreign layer', async () => {
    const foreignBytes = randomBytes(300);
    const foreign: Descriptor = {
      mediaType: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
      digest: sha256(foreignBytes),
      size: foreignBytes.length,
      urls: ['https://example.invalid/foreign.tar.gz'],
    };
    // Served, so that fetching it would succeed: only the writer's choice keeps it out.
    registry.server.stored.set(foreign.digest, foreignBytes);
    const dir = tempDir();
    const { made, manifest } = servedImage({ extraLayers: [foreign] });
    await writeOciLayout(registry.t, REPO, dir, { root: manifest, images: [manifest], refName: 'foreign' });

    expect(requested(foreign.digest)).toBe(false);
    expect(existsSync(join(dir, 'blobs', 'sha256', hexOf(foreign.digest)))).toBe(false);
    for (const digest of made.blobs.keys()) expect(requested(digest)).toBe(true);
    expect(readIndex(dir).manifests.map((d) => d.digest)).toEqual([made.manifest.digest]);
  });

  it('rejects a corrupted blob with DigestMismatchError, leaving no partial file and index.json untouched', async () => {
    const dir = tempDir();
    const good = servedImage({ label: 'good' });
    await writeOciLayout(registry.t, REPO, dir, {
      root: good.manifest,
      images: [good.manifest],
      refName: 'good',
    });
    const indexBefore = readFileSync(join(dir, 'index.json'));

    // A large layer: the failure comes once the download is well under way. (Small blobs: see the skipped test.)
    const bad = servedImage({ label: 'bad', layerBytes: randomBytes(300_000) });
    const layer = imageOf(bad.manifest).layers[0];
    if (!layer) throw new Error('the made image has no layer');
    registry.server.corrupt.add(layer.digest);
    await expect(
      writeOciLayout(registry.t, REPO, dir, { root: bad.manifest, images: [bad.manifest], refName: 'bad' }),
    ).rejects.toBeInstanceOf(DigestMismatchError);

    expect(await partialsAfterSettling(dir)).toEqual([]);
    expect(existsSync(join(dir, 'blobs', 'sha256', hexOf(layer.digest)))).toBe(false);
    expect(existsSync(join(dir, 'blobs', 'sha256', hexOf(bad.manifest.digest)))).toBe(false);
    expect(readFileSync(join(dir, 'index.json')).equals(indexBefore)).toBe(true);
  });

  it('writes no index.json into a new folder when a blob is corrupted', async () => {
    const dir = join(tempDir(), 'fresh');
    const bad = servedImage({ label: 'bad-fresh', layerBytes: randomBytes(300_000) });
    const layer = imageOf(bad.manifest).layers[0];
    if (!layer) throw new Error('the made image has no layer');
    registry.server.corrupt.add(layer.digest);
    await expect(
      writeOciLayout(registry.t, REPO, dir, { root: bad.manifest, images: [bad.manifest], refName: 'x' }, 1),
    ).rejects.toThrow(DigestMismatchError);

    expect(await partialsAfterSettling(dir)).toEqual([]);
    expect(existsSync(join(dir, 'index.json'))).toBe(false);
    expect(existsSync(join(dir, 'oci-layout'))).toBe(false);
    expect(existsSync(join(dir, 'blobs', 'sha256', hexOf(layer.digest)))).toBe(false);
  });

  // A small blob can fail verification before its file is open: no partial file may be left either way.
  it('leaves no partial file when a small blob is corrupted (repeated)', async () => {
    for (let i = 0; i < 20; i++) {
      const dir = join(tempDir(), 'small');
      const bad = servedImage({ label: `bad-small-${i}` });
      registry.server.corrupt.add(imageOf(bad.manifest).config.digest);
      await expect(
        writeOciLayout(
          registry.t,
          REPO,
          dir,
          { root: bad.manifest, images: [bad.manifest], refName: 'x' },
          1,
        ),
      ).rejects.toThrow(DigestMismatchError);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(allFiles(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    }
  });

  it('rejects a blob the registry does not have, without writing index.json', async () => {
    const dir = join(tempDir(), 'missing');
    const made = makeImage({ label: 'never-served' });
    const manifest = parseManifest(made.manifest.bytes, made.manifest.mediaType, 'unserved image');
    await expect(
      writeOciLayout(registry.t, REPO, dir, { root: manifest, images: [manifest], refName: 'x' }),
    ).rejects.toMatchObject({ name: 'RegistryError', status: 404 });
    expect(await partialsAfterSettling(dir)).toEqual([]);
    expect(existsSync(join(dir, 'index.json'))).toBe(false);
  });
});

/** Every file under dir with the sha256 of its bytes: a layout's state, to compare before and after. */
const snapshot = (dir: string) => new Map(allFiles(dir).map((file) => [file, fileSha256(join(dir, file))]));

/** A layer of `size` random bytes, served (and so fetchable), described with `extra` fields. */
function servedLayer(size: number, extra: Partial<Descriptor> = {}): Descriptor {
  const bytes = randomBytes(size);
  registry.server.stored.set(sha256(bytes), bytes);
  return { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(bytes), size, ...extra };
}

describe('writeOciLayout when it fails, and while it works', () => {
  const STAGING_DIR = `.staging-${process.pid}`;

  it('removes a new destination whole, with the folders it created for it, when a blob is corrupted', async () => {
    const base = tempDir();
    const dir = join(base, 'new', 'deeper', 'layout');
    const bad = servedImage({ label: 'bad-new', extraLayers: [servedLayer(300_000)] });
    registry.server.corrupt.add(imageOf(bad.manifest).layers[1]?.digest ?? '');
    // One at a time: the config and the first layer are whole on disk before the corrupted layer fails.
    await expect(
      writeOciLayout(registry.t, REPO, dir, { root: bad.manifest, images: [bad.manifest], refName: 'x' }, 1),
    ).rejects.toThrow(DigestMismatchError);
    expect(existsSync(join(base, 'new'))).toBe(false);
    expect(readdirSync(base)).toEqual([]);
  });

  it('leaves an existing layout exactly as it was when a blob is corrupted; a rerun keeps the blobs it holds', async () => {
    const dir = tempDir();
    const tar = tarWithFile('shared.txt', randomBytes(2000));
    const first = servedImage({ label: 'first', layerBytes: tar });
    await writeOciLayout(registry.t, REPO, dir, {
      root: first.manifest,
      images: [first.manifest],
      refName: 'a',
    });
    const before = snapshot(dir);

    // The same first layer (in the layout already), a new config, and a new layer that arrives corrupted.
    const corrupted = servedLayer(300_000);
    const second = servedImage({ label: 'second', layerBytes: tar, extraLayers: [corrupted] });
    const shared = imageOf(second.manifest).layers[0]?.digest ?? '';
    expect(shared).toBe(imageOf(first.manifest).layers[0]?.digest);
    registry.server.corrupt.add(corrupted.digest);
    const image = { root: second.manifest, images: [second.manifest], refName: 'a' };
    await expect(writeOciLayout(registry.t, REPO, dir, image, 1)).rejects.toThrow(DigestMismatchError);
    expect(snapshot(dir)).toEqual(before);

    registry.server.corrupt.delete(corrupted.digest);
    const asked = registry.server.requests.length;
    await writeOciLayout(registry.t, REPO, dir, image, 1);
    const fetched = registry.server.requests.slice(asked);
    expect(fetched).toEqual(
      [imageOf(second.manifest).config.digest, corrupted.digest].map((d) => `/v2/${REPO}/blobs/${d}`),
    );
    expect(readIndex(dir).manifests.map((d) => d.digest)).toEqual([second.manifest.digest]);
    expect(allFiles(dir).filter((f) => f.startsWith('.staging'))).toEqual([]);
  });

  it('writes into a staging folder inside the destination until every blob is in, then moves it into place', async () => {
    const dir = join(tempDir(), 'staged');
    const { made, manifest } = servedImage({ label: 'staged', extraLayers: [servedLayer(200_000)] });
    const seen = new Set<string>();
    await writeOciLayout(registry.t, REPO, dir, {
      root: manifest,
      images: [manifest],
      refName: 'v1',
      onProgress: () => allFiles(dir).forEach((file) => seen.add(file)),
    });
    expect(seen.size).toBeGreaterThan(0);
    expect([...seen].filter((file) => !file.startsWith(`${STAGING_DIR}/`))).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
    for (const digest of made.blobs.keys())
      expect(fileSha256(join(dir, 'blobs', 'sha256', hexOf(digest)))).toBe(digest);
  });
});

describe('writeOciLayout and layers with urls', () => {
  it('fetches and writes a distributable layer that carries urls, like any other', async () => {
    const dir = tempDir();
    const withUrls = servedLayer(500, { urls: ['https://mirror.invalid/layer.tar.gz'] });
    const { manifest } = servedImage({ label: 'urls', extraLayers: [withUrls] });
    await writeOciLayout(registry.t, REPO, dir, { root: manifest, images: [manifest], refName: 'u' });
    expect(requested(withUrls.digest)).toBe(true);
    expect(fileSha256(join(dir, 'blobs', 'sha256', hexOf(withUrls.digest)))).toBe(withUrls.digest);
  });

  it('says how many foreign layers it left out, and that they are fetched from their URLs', async () => {
    const lines: string[] = [];
    const logger: Logger = { debug: () => undefined, info: (line) => lines.push(line) };
    const t = new Transport({
      registry: registry.server.host,
      userAgent: 'unit',
      retry: { attempts: 1 },
      logger,
    });
    const foreign = (name: string, mediaType: string): Descriptor => ({
      mediaType,
      digest: sha256(name),
      size: 10,
      urls: [`https://example.invalid/${name}`],
    });
    const { manifest } = servedImage({
      label: 'foreign-count',
      extraLayers: [
        foreign('one', MediaType.dockerForeignLayer),
        foreign('two', 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip'),
      ],
    });
    await writeOciLayout(t, REPO, tempDir(), { root: manifest, images: [manifest], refName: 'f' });
    expect(lines).toEqual([
      '2 foreign (non-distributable) layer(s) left out of the OCI layout: whoever runs the image fetches them from their URLs.',
    ]);
  });
});

describe('writeOciLayout with a digest that would name a path elsewhere', () => {
  it('writes nothing, inside or outside the destination, and asks the registry for nothing', async () => {
    const parent = tempDir();
    const dir = join(parent, 'layout');
    const { manifest } = servedImage();
    const image = imageOf(manifest);
    // Past the parser's checks (a crafted manifest value): the writer checks every path itself.
    const hostile: Manifest = {
      kind: 'image',
      digest: manifest.digest,
      mediaType: manifest.mediaType,
      bytes: manifest.bytes,
      image: {
        ...image,
        layers: [{ ...image.layers[0], digest: 'sha256:../../../ESCAPED/x', size: 1 } as Descriptor],
      },
    };
    const before = registry.server.requests.length;
    await expect(
      writeOciLayout(registry.t, REPO, dir, { root: hostile, images: [hostile], refName: 'x' }),
    ).rejects.toThrow("'sha256:../../../ESCAPED/x' is not a digest; it names no file");
    expect(allFiles(parent)).toEqual([]);
    expect(registry.server.requests.length).toBe(before);
  });
});

describe('toOciManifest', () => {
  const d = (c: string) => `sha256:${c.repeat(64)}`;
  const dockerLayer: Descriptor = {
    mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
    digest: d('1'),
    size: 1234,
  };
  const dockerForeign: Descriptor = {
    mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
    digest: d('2'),
    size: 5678,
    urls: ['https://mcr.microsoft.com/windows/layer'],
  };
  const dockerConfig: Descriptor = {
    mediaType: 'application/vnd.docker.container.image.v1+json',
    digest: d('c'),
    size: 321,
  };

  it('converts a Docker schema 2 manifest to OCI media types with new bytes and digest, blobs unchanged', () => {
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.dockerManifest,
        config: dockerConfig,
        layers: [dockerLayer, dockerForeign],
      }),
    );
    const docker = parseManifest(bytes, MediaType.dockerManifest, 'docker manifest');
    const oci = toOciManifest(docker);

    expect(oci.mediaType).toBe(MediaType.ociManifest);
    expect(oci.digest).toBe(sha256(oci.bytes));
    expect(oci.digest).not.toBe(docker.digest);
    const parsed = JSON.parse(oci.bytes.toString('utf8')) as ImageManifest;
    expect(parsed).toEqual({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { ...dockerConfig, mediaType: 'application/vnd.oci.image.config.v1+json' },
      layers: [
        { ...dockerLayer, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' },
        {
          ...dockerForeign,
          mediaType: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
        },
      ],
    });
    expect(imageOf(oci)).toEqual(parsed);
    // The bytes re-parse to the same manifest and digest.
    const reparsed = parseManifest(oci.bytes, oci.mediaType, 'converted', [oci.digest]);
    expect(reparsed.digest).toBe(oci.digest);
    // The input is left alone.
    expect(docker.mediaType).toBe(MediaType.dockerManifest);
    expect(imageOf(docker).layers[0]?.mediaType).toBe(dockerLayer.mediaType);
  });

  it('returns an OCI manifest unchanged', () => {
    const { manifest } = servedImage({ label: 'already-oci' });
    const result = toOciManifest(manifest);
    expect(result).toBe(manifest);
    expect(result.bytes.equals(manifest.bytes)).toBe(true);
    expect(result.digest).toBe(manifest.digest);
  });

  it('returns an index unchanged', () => {
    const bytes = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.dockerList, manifests: [] }),
    );
    const list = parseManifest(bytes, MediaType.dockerList, 'list');
    expect(toOciManifest(list)).toBe(list);
  });
});

describe('layoutProblem', () => {
  it('accepts a missing path, an empty folder and an existing layout', async () => {
    const base = tempDir();
    expect(layoutProblem(join(base, 'does', 'not', 'exist'))).toBeUndefined();
    const empty = join(base, 'empty');
    mkdirSync(empty);
    expect(layoutProblem(empty)).toBeUndefined();

    const layout = join(base, 'layout');
    const { manifest } = servedImage({ label: 'for-layout-problem' });
    await writeOciLayout(registry.t, REPO, layout, { root: manifest, images: [manifest], refName: 'v1' });
    expect(layoutProblem(layout)).toBeUndefined();
  });

  it('accepts a folder that holds only a staging folder another run left behind', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.staging-4242', 'blobs'), { recursive: true });
    expect(layoutProblem(dir)).toBeUndefined();
  });

  it('refuses a file', () => {
    const file = join(tempDir(), 'image.tar');
    writeFileSync(file, 'not a folder');
    expect(layoutProblem(file)).toMatch(/not a folder/);
  });

  it('refuses a non-empty folder that is not a layout, naming some of its entries', () => {
    const dir = tempDir();
    for (const name of ['alpha.txt', 'beta.txt', 'gamma.txt', 'delta.txt'])
      writeFileSync(join(dir, name), name);
    const problem = layoutProblem(dir);
    expect(problem).toMatch(/not empty/);
    expect(problem).toMatch(/not an OCI image layout/);
    expect(problem).toMatch(/(alpha|beta|gamma|delta)\.txt/);
  });

  it('refuses a folder with only one of oci-layout and index.json', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    expect(layoutProblem(dir)).toMatch(/oci-layout/);
  });
});
