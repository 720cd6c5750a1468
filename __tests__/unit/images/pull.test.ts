import { describe, expect, it, jest } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('pullToDisk to a docker archive', () => {
  const ref = parseReference('ghcr.io/octo-org/app:1');
  const image = imageManifest('archive config');

  /** Runs pullToDisk to `file` with a client that writes 'new archive' there, and what the step printed. */
  async function pullTo(file: string): Promise<string> {
    const client = {
      writeDockerArchive: async (_ref: unknown, path: string) => writeFileSync(path, 'new archive'),
    } as unknown as RegistryClient;
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await pullToDisk(client, ref, image, { kind: 'docker-archive', path: file });
      return write.mock.calls.map(([chunk]) => String(chunk)).join('');
    } finally {
      write.mockRestore();
    }
  }

  it('replaces an existing file, with a notice that names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pull-unit-'));
    try {
      const file = join(dir, 'image.tar');
      expect(await pullTo(file)).not.toContain('::notice');
      expect(existsSync(file)).toBe(true);
      const printed = await pullTo(file);
      expect(printed).toContain(
        `::notice::Replaced the existing file ${file} with the docker archive of ghcr.io/octo-org/app@${image.digest}.`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
