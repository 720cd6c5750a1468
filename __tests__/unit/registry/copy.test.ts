import { describe, expect, it } from '@jest/globals';
import type { RegistryClient } from '../../../src/registry/client.js';
import { MAX_COPY, MAX_INDEX_DEPTH, copyImage } from '../../../src/registry/copy.js';
import { sha256 } from '../../../src/registry/digest.js';
import type { Descriptor, Manifest } from '../../../src/registry/manifests.js';
import { parseReference, withTag, type Reference } from '../../../src/registry/reference.js';

// copyImage's walk against a client in memory: what matters here is how many requests it makes and how many
// at once (the real registry round trips are covered by integration/registry/copy.test.ts).
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_IMAGE = 'application/vnd.oci.image.manifest.v1+json';

function image(name: string): Manifest {
  const config = {
    mediaType: 'application/vnd.oci.image.config.v1+json',
    digest: sha256(`${name}-config`),
    size: 2,
  };
  const layers = [
    { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(`${name}-layer`), size: 3 },
  ];
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, config, layers }));
  return {
    kind: 'image',
    digest: sha256(bytes),
    mediaType: OCI_IMAGE,
    bytes,
    image: { schemaVersion: 2, config, layers },
  };
}

function index(children: Descriptor[], name = 'index'): Manifest {
  const bytes = Buffer.from(`${name}:${children.length}`);
  return {
    kind: 'index',
    digest: sha256(bytes),
    mediaType: OCI_INDEX,
    bytes,
    index: { schemaVersion: 2, manifests: children },
  };
}

const describeOf = (m: Manifest): Descriptor => ({
  mediaType: m.mediaType,
  digest: m.digest,
  size: m.bytes.length,
});

/** A source registry holding `manifests`, an empty destination, and counts of what was asked, and how many at once. */
function memoryClient(manifests: Manifest[]) {
  const byDigest = new Map(manifests.map((m) => [m.digest, m]));
  const calls: string[] = [];
  let running = 0;
  let peak = 0;
  const counted = async <T>(what: string, work: () => T): Promise<T> => {
    calls.push(what);
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 2));
    running--;
    return work();
  };
  const client = {
    concurrency: 4,
    headManifest: (_ref: Reference) => counted('head', () => undefined),
    getManifest: (ref: Reference) =>
      counted('get', () => {
        const found = byDigest.get(ref.digest ?? '');
        if (!found) throw new Error(`no ${ref.digest}`);
        return found;
      }),
    putManifest: (ref: Reference) => counted('put', () => ref.digest ?? ref.tag ?? ''),
    blobSource: () => ({ open: async () => undefined }),
    uploadBlob: () => counted('upload', () => 'uploaded' as const),
  } as unknown as RegistryClient;
  return { client, calls, peak: () => peak };
}

const source = parseReference('127.0.0.1:5000/o/src:1');
const destination = parseReference('127.0.0.1:5000/o/dst');

describe('copyImage of an index', () => {
  it('walks each child once however often the index lists it, never more requests at once than the limit', async () => {
    const [a, b] = [image('amd64'), image('arm64')];
    const root = index(Array.from({ length: 900 }, (_, i) => describeOf(i % 2 ? a : b)));
    const { client, calls, peak } = memoryClient([a, b, root]);
    const result = await copyImage(client, source, destination, { root, tags: ['1'] });
    const count = (what: string) => calls.filter((c) => c === what).length;
    expect(count('get')).toBe(2);
    expect(count('head')).toBe(3);
    expect(count('upload')).toBe(4);
    expect(count('put')).toBe(3);
    expect(peak()).toBeLessThanOrEqual(4);
    expect(result.digest).toBe(root.digest);
  });

  it(`refuses indexes nested more than ${MAX_INDEX_DEPTH} deep, before writing a tag`, async () => {
    const leaf = image('leaf');
    let nested = index([describeOf(leaf)], 'level-1');
    const all: Manifest[] = [leaf, nested];
    for (let level = 2; level <= MAX_INDEX_DEPTH + 1; level++) {
      nested = index([describeOf(nested)], `level-${level}`);
      all.push(nested);
    }
    const { client, calls } = memoryClient(all);
    await expect(copyImage(client, source, destination, { root: nested, tags: ['1'] })).rejects.toThrow(
      `indexes nested more than ${MAX_INDEX_DEPTH} deep are not copied`,
    );
    expect(calls.filter((c) => c === 'put')).toEqual([]);
  });

  it(`refuses an image that names more than ${MAX_COPY.manifests} manifests in all, before writing a tag`, async () => {
    const leaves = Array.from({ length: 40 }, (_, i) => image(`leaf-${i}`));
    // 30 indexes of the 40 images each: 1,230 manifests in all, each index within its own 1,000 entries.
    const middles = Array.from({ length: 30 }, (_, i) => index(leaves.map(describeOf), `middle-${i}`));
    const root = index(
      middles.map(describeOf).concat(Array.from({ length: 960 }, (_, i) => describeOf(image(`extra-${i}`)))),
    );
    const extras = Array.from({ length: 960 }, (_, i) => image(`extra-${i}`));
    const { client, calls } = memoryClient([...leaves, ...middles, ...extras, root]);
    await expect(copyImage(client, source, destination, { root, tags: ['1'] })).rejects.toThrow(
      `names more than ${MAX_COPY.manifests} manifests`,
    );
    expect(calls.filter((c) => c === 'put').length).toBeLessThan(MAX_COPY.manifests);
  });
});

describe('copyImage and foreign layers', () => {
  /** A client holding `manifest` that records the digest of every blob it is asked to upload. */
  function uploadRecorder(manifest: Manifest) {
    const uploaded: string[] = [];
    const client = {
      concurrency: 4,
      headManifest: async () => undefined,
      getManifest: async () => manifest,
      putManifest: async (ref: Reference) => ref.digest ?? ref.tag ?? '',
      blobSource: () => ({ open: async () => undefined }),
      uploadBlob: async (_ref: Reference, blob: Descriptor) => {
        uploaded.push(blob.digest);
        return 'uploaded' as const;
      },
    } as unknown as RegistryClient;
    return { client, uploaded };
  }

  it('copies a distributable layer that carries urls, and skips layers by their non-distributable media type only', async () => {
    const base = image('foreign');
    if (base.kind !== 'image') throw new Error('not an image');
    const withUrls: Descriptor = {
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: sha256('a layer with urls'),
      size: 5,
      urls: ['https://mirror.invalid/layer.tar.gz'],
    };
    const foreign: Descriptor[] = [
      {
        mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
        digest: sha256('docker foreign'),
        size: 7,
        urls: ['https://mcr.invalid/layer'],
      },
      {
        mediaType: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
        digest: sha256('oci nondistributable'),
        size: 9,
      },
    ];
    const layers = [...base.image.layers, withUrls, ...foreign];
    const manifest: Manifest = { ...base, image: { ...base.image, layers } };
    const { client, uploaded } = uploadRecorder(manifest);
    const result = await copyImage(client, source, withTag(destination, 'v1'));
    expect(result.foreignLayersSkipped).toBe(2);
    expect(uploaded.sort()).toEqual(
      [base.image.config.digest, base.image.layers[0]?.digest, withUrls.digest].sort(),
    );
  });
});
