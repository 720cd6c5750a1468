import { describe, expect, it } from '@jest/globals';
import { ActionError } from '../../../src/errors.js';
import { configDigest, pullToDisk } from '../../../src/images/pull.js';
import { parseReference, type Manifest, type RegistryClient } from '../../../src/registry/index.js';
import { sha256 } from '../../../src/registry/digest.js';
import { imageManifest } from '../../support/manifests.js';

const index: Manifest = {
  kind: 'index',
  digest: sha256('index'),
  bytes: Buffer.from('{}'),
  mediaType: 'application/vnd.oci.image.index.v1+json',
  index: { schemaVersion: 2, manifests: [] },
};

describe('configDigest', () => {
  it("is an image's config digest, and '' for an index", () => {
    expect(configDigest(imageManifest('c'))).toBe(sha256('c'));
    expect(configDigest(index)).toBe('');
  });
});

describe('pullToDisk', () => {
  it('refuses what is not an image manifest before writing anything, naming it', async () => {
    // A client that fails the test if any write is attempted: nothing may be written for a refused pull.
    const client = new Proxy({} as RegistryClient, {
      get: (_target, name) => () => {
        throw new Error(`client.${String(name)} called`);
      },
    });
    const ref = parseReference('ghcr.io/octo-org/app:1');
    const run = pullToDisk(client, ref, index, { kind: 'oci-layout', path: '/nonexistent/layout' });
    await expect(run).rejects.toThrow(ActionError);
    await expect(run).rejects.toThrow(`ghcr.io/octo-org/app@${index.digest} is not an image manifest.`);
  });
});
