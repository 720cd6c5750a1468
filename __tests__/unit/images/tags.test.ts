import { describe, expect, it } from '@jest/globals';
import { tagAndVerify } from '../../../src/images/tags.js';
import { ActionError } from '../../../src/errors.js';
import {
  parseReference,
  type Manifest,
  type Reference,
  type RegistryClient,
} from '../../../src/registry/index.js';
import { sha256 } from '../../../src/registry/digest.js';
import { imageManifest } from '../../support/manifests.js';

/** A registry in memory: tags to manifests. A fake client is fine here: this tests one function's logic. */
function fakeRegistry(tags: Record<string, Manifest>) {
  const puts: string[] = [];
  const gets: string[] = [];
  const client = {
    concurrency: 4,
    getManifest: async (ref: Reference) => {
      gets.push(ref.tag ?? '');
      const found = ref.tag ? tags[ref.tag] : undefined;
      if (!found) throw new Error(`no tag ${ref.tag}`);
      return found;
    },
    // No Docker-Content-Digest: verification falls back to reading the bytes.
    headManifest: async (ref: Reference) =>
      ref.tag && tags[ref.tag] ? { digest: undefined, mediaType: undefined, size: undefined } : undefined,
    putManifest: async (ref: Reference, manifest: Manifest) => {
      puts.push(ref.tag ?? '');
      if (ref.tag) tags[ref.tag] = manifest;
      return manifest.digest;
    },
  } as unknown as RegistryClient;
  return { client, puts, gets };
}

const manifest = imageManifest;

const image = parseReference('ghcr.io/octo-org/app');
const pushed = (tags: string[], reportedDigest?: string) => ({
  imageId: 'sha256:id',
  pushedTags: tags,
  reportedDigest,
  details: {},
});

describe('tagAndVerify', () => {
  it('PUTs only the tags the builder did not push, then reads every tag back', async () => {
    const built = manifest('built');
    const { client, puts } = fakeRegistry({ '1.0': built });
    const result = await tagAndVerify(client, image, pushed(['1.0'], built.digest), [
      '1.0',
      'latest',
      'stable',
    ]);
    expect(result.digest).toBe(built.digest);
    expect(puts).toEqual(['latest', 'stable']);
  });

  it('fails, naming the tag, when a tag reads back as another digest', async () => {
    const built = manifest('built');
    const other = manifest('someone else');
    const { client } = fakeRegistry({ '1.0': built, latest: other });
    const error = await tagAndVerify(client, image, pushed(['1.0', 'latest'], built.digest), [
      '1.0',
      'latest',
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as Error).message).toContain(
      `ghcr.io/octo-org/app:latest resolves to ${other.digest}, not the published ${built.digest}`,
    );
  });

  it('verifies a tag by HEAD when its Docker-Content-Digest is the digest known here (no GET)', async () => {
    const built = manifest('built');
    const { client, gets } = fakeRegistry({ '1.0': built });
    const heads: string[] = [];
    Object.assign(client, {
      headManifest: async (ref: Reference) => {
        heads.push(ref.tag ?? '');
        return { digest: built.digest, mediaType: built.mediaType, size: built.bytes.length };
      },
    });
    await tagAndVerify(client, image, pushed(['1.0'], built.digest), ['1.0', 'latest', 'stable']);
    // Every tag, the first too, read back after the writes.
    expect(heads.sort()).toEqual(['1.0', 'latest', 'stable']);
    expect(gets).toEqual(['1.0']);
  });

  it('settles a HEAD that names another digest by the bytes (a lying header neither passes nor decides)', async () => {
    const built = manifest('built');
    const other = manifest('someone else');
    const { client, gets } = fakeRegistry({ '1.0': built, latest: other });
    Object.assign(client, {
      headManifest: async () => ({ digest: built.digest.replace(/.$/, '0'), mediaType: undefined, size: 1 }),
    });
    const error = await tagAndVerify(client, image, pushed(['1.0', 'latest'], built.digest), [
      '1.0',
      'latest',
    ]).catch((e: unknown) => e);
    expect((error as Error).message).toContain(`resolves to ${other.digest}`);
    expect(gets.sort()).toEqual(['1.0', '1.0', 'latest']);
  });

  it('fails when the builder reported another digest than the registry holds', async () => {
    const built = manifest('built');
    const { client } = fakeRegistry({ '1.0': built });
    await expect(tagAndVerify(client, image, pushed(['1.0'], sha256('other')), ['1.0'])).rejects.toThrow(
      /reported sha256:.*registry holds/,
    );
  });
});
