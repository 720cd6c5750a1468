import { expect, it } from '@jest/globals';
import { copyImage, parseReference, withDigest } from '../../../src/registry/index.js';
import { sha256 } from '../../../src/registry/digest.js';
import { MediaType } from '../../../src/registry/manifests.js';
import { mustRun } from '../../support/exec.js';
import {
  makeImage,
  makeIndex,
  pushImage,
  stackClient,
  uniqueTag,
  type MadeImage,
} from '../../support/registry.js';
import { skopeoCreds } from '../../support/skopeo.js';
import { describeWithStack } from '../../support/stack.js';

// Registry-side copies between the real registries of the stand-in, checked with skopeo and by counting the
// requests the client sent.
describeWithStack('copyImage', (stack) => {
  const e = stack.env;
  // The manifest bytes exactly as stored (support/skopeo.ts trims what skopeo prints; these are compared whole).
  const raw = async (ref: string, creds: string[]) =>
    (await mustRun('skopeo', ['inspect', '--raw', '--tls-verify=false', ...creds, `docker://${ref}`])).stdout;
  const tokenCreds = skopeoCreds(e.ACTOR, e.TOKEN_GHS_WRITE);
  const basicCreds = skopeoCreds(e.BASIC_USER, e.BASIC_PASSWORD);
  const uploads = (sent: { method: string; url: string }[]) =>
    sent.filter((r) => r.method === 'POST' && r.url.includes('/blobs/uploads/') && !r.url.includes('mount='));
  const patchesAndPuts = (sent: { method: string; url: string }[]) =>
    sent.filter((r) => (r.method === 'PATCH' || r.method === 'PUT') && r.url.includes('/blobs/uploads/'));

  async function seeded(repository: string, image: MadeImage = makeImage()) {
    const ref = parseReference(`${e.REGISTRY_TOKEN}/${repository}:${uniqueTag('src')}`);
    await pushImage(stackClient(e).client, ref, image);
    return { ref, image };
  }

  it('retags within a repository with manifest PUTs only: no blob is uploaded or even checked', async () => {
    const { ref, image } = await seeded(e.REPOSITORY);
    const { client, sent } = stackClient(e);
    const result = await copyImage(client, ref, { ...ref, tag: undefined }, { tags: ['retag-a', 'retag-b'] });
    expect(result.digest).toBe(image.manifest.digest);
    expect(sent.filter((r) => r.url.includes('/blobs/'))).toEqual([]);
    expect(sent.filter((r) => r.method === 'PUT').map((r) => r.url.split('/manifests/')[1])).toEqual([
      'retag-a',
      'retag-b',
    ]);
    for (const tag of ['retag-a', 'retag-b']) {
      expect(sha256(await raw(`${e.REGISTRY_TOKEN}/${e.REPOSITORY}:${tag}`, tokenCreds))).toBe(
        image.manifest.digest,
      );
    }
  });

  it('copies across repositories of one registry by cross-repository mount, uploading no bytes', async () => {
    const { ref, image } = await seeded(`${e.OWNER}/mount-source`);
    const { client, sent } = stackClient(e);
    const destination = parseReference(`${e.REGISTRY_TOKEN}/${e.OWNER}/mount-target-${uniqueTag('m')}:v1`);
    const result = await copyImage(client, ref, destination);
    expect(result.blobs).toEqual({ exists: 0, mounted: 2, uploaded: 0 });
    expect(uploads(sent)).toEqual([]);
    expect(patchesAndPuts(sent)).toEqual([]);
    const mounts = sent.filter((r) => r.url.includes('mount='));
    expect(mounts).toHaveLength(2);
    // The token asked for covers the destination (push) and the source (pull), as a mount needs.
    const tokenRequest = sent.find((r) => r.url.startsWith(e.TOKEN_REALM) && r.url.includes('mount-source'));
    expect(decodeURIComponent(tokenRequest?.url ?? '')).toContain(`repository:${e.OWNER}/mount-source:pull`);
    expect(sha256(await raw(`${e.REGISTRY_TOKEN}/${destination.repository}:v1`, tokenCreds))).toBe(
      image.manifest.digest,
    );
  });

  it('copies across registries (token registry to htpasswd registry) by streaming, byte-identical', async () => {
    const { ref, image } = await seeded(`${e.OWNER}/cross-source`);
    const { client, sent } = stackClient(e);
    const destination = parseReference(`${e.REGISTRY_BASIC}/${e.OWNER}/cross-target:${uniqueTag('x')}`);
    const result = await copyImage(client, ref, destination);
    expect(result.digest).toBe(image.manifest.digest);
    expect(result.blobs.uploaded).toBe(2);
    expect(sent.filter((r) => r.url.includes('mount='))).toEqual([]);
    expect(
      sha256(await raw(`${destination.registry}/${destination.repository}:${destination.tag}`, basicCreds)),
    ).toBe(image.manifest.digest);

    // A rerun finds everything in place: no upload at all, same digest.
    const again = stackClient(e);
    const rerun = await copyImage(again.client, ref, destination);
    expect(rerun.digest).toBe(image.manifest.digest);
    expect(uploads(again.sent)).toEqual([]);
  });

  it('copies a multi-platform index whole: children first, then the index, tags last', async () => {
    const amd64 = makeImage({ platform: { os: 'linux', architecture: 'amd64' }, label: 'amd64' });
    const arm64 = makeImage({
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      label: 'arm64',
    });
    const index = makeIndex([amd64, arm64]);
    const writer = stackClient(e).client;
    const source = parseReference(`${e.REGISTRY_TOKEN}/${e.OWNER}/multi:${uniqueTag('idx')}`);
    for (const image of [amd64, arm64])
      await pushImage(writer, withDigest({ ...source, tag: undefined }, image.manifest.digest), image);
    await writer.putManifest(source, index);

    const { client, sent } = stackClient(e);
    const destination = parseReference(`${e.REGISTRY_BASIC}/${e.OWNER}/multi:${uniqueTag('copy')}`);
    const result = await copyImage(client, source, destination, { tags: ['1.0', 'latest'] });
    expect(result.digest).toBe(index.digest);
    expect(result.mediaType).toBe(MediaType.ociIndex);
    expect(result.blobs.uploaded).toBe(4);

    const manifestPuts = sent.filter((r) => r.method === 'PUT' && r.url.includes('/manifests/'));
    const order = manifestPuts.map((r) => r.url.split('/manifests/')[1]);
    expect(order.slice(0, 2).sort()).toEqual([amd64.manifest.digest, arm64.manifest.digest].sort());
    expect(order.slice(2)).toEqual(['1.0', 'latest']);
    // Children are copied in parallel: each child's blobs come before that child's manifest, and every blob
    // and child comes before the first tag.
    const putAt = (match: (url: string) => boolean) =>
      sent.findIndex((r) => r.method === 'PUT' && match(decodeURIComponent(r.url)));
    const firstTag = putAt((url) => url.endsWith('/manifests/1.0'));
    for (const child of [amd64, arm64]) {
      const childPut = putAt((url) => url.endsWith(`/manifests/${child.manifest.digest}`));
      expect(childPut).toBeLessThan(firstTag);
      for (const digest of child.blobs.keys()) {
        const blobPut = putAt((url) => url.includes('/blobs/uploads/') && url.includes(`digest=${digest}`));
        expect(blobPut).toBeGreaterThanOrEqual(0);
        expect(blobPut).toBeLessThan(childPut);
      }
    }

    const copied = await raw(`${destination.registry}/${destination.repository}:latest`, basicCreds);
    expect(sha256(copied)).toBe(index.digest);
    const arm = await client.getManifest(
      withDigest({ ...destination, tag: undefined }, arm64.manifest.digest),
    );
    expect(arm.bytes.equals(arm64.manifest.bytes)).toBe(true);
  });

  it('never fetches or uploads a foreign layer, and keeps the manifest byte-identical', async () => {
    const foreign = {
      mediaType: MediaType.dockerForeignLayer,
      digest: sha256('a windows base layer that lives elsewhere'),
      size: 123456789,
      urls: ['https://foreign-layer.invalid/windows/base.tar.gz'],
    };
    const { ref, image } = await seeded(`${e.OWNER}/foreign`, makeImage({ extraLayers: [foreign] }));
    const { client, sent } = stackClient(e);
    const destination = parseReference(`${e.REGISTRY_BASIC}/${e.OWNER}/foreign:${uniqueTag('f')}`);
    const result = await copyImage(client, ref, destination);
    expect(result.foreignLayersSkipped).toBe(1);
    expect(result.blobs.uploaded).toBe(2);
    expect(
      sent.filter((r) => r.url.includes(foreign.digest) || r.url.includes('foreign-layer.invalid')),
    ).toEqual([]);
    const copied = await raw(
      `${destination.registry}/${destination.repository}:${destination.tag}`,
      basicCreds,
    );
    expect(Buffer.from(copied).equals(image.manifest.bytes)).toBe(true);
  });
});
