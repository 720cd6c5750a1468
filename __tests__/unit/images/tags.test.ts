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
  const client = {
    getManifest: async (ref: Reference) => {
      const found = ref.tag ? tags[ref.tag] : undefined;
      if (!found) throw new Error(`no tag ${ref.tag}`);
      return found;
    },
    putManifest: async (ref: Reference, manifest: Manifest) => {
      puts.push(ref.tag ?? '');
      if (ref.tag) tags[ref.tag] = manifest;
      return manifest.digest;
    },
  } as unknown as RegistryClient;
  return { client, puts };
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

  it('fails when the builder reported another digest than the registry holds', async () => {
    const built = manifest('built');
    const { client } = fakeRegistry({ '1.0': built });
    await expect(tagAndVerify(client, image, pushed(['1.0'], sha256('other')), ['1.0'])).rejects.toThrow(
      /reported sha256:.*registry holds/,
    );
  });
});
