import { afterAll, describe, expect, it } from '@jest/globals';
import type { PromotePlan } from '../../../src/inputs/promote.js';
import { parseReference, type CopyResult, type Manifest } from '../../../src/registry/index.js';
import { sha256 } from '../../../src/registry/digest.js';
import { reportPromoted } from '../../../src/report/promote.js';
import { removeRunnerFiles, withRunnerFiles } from '../../support/runner-files.js';

afterAll(removeRunnerFiles);

describe('reportPromoted', () => {
  it('reports every tag written, the digest, and how the blobs got there', async () => {
    const bytes = Buffer.from('m');
    const manifest: Manifest = {
      kind: 'image',
      digest: sha256(bytes),
      bytes,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      image: { schemaVersion: 2, config: { mediaType: 'c', digest: sha256('c'), size: 1 }, layers: [] },
    };
    const result: CopyResult = {
      digest: manifest.digest,
      mediaType: manifest.mediaType,
      manifest,
      blobs: { mounted: 2, uploaded: 1, exists: 3 },
      foreignLayersSkipped: 0,
      manifestsPresent: 0,
      bytesUploaded: 10,
    };
    const plan: PromotePlan = {
      source: parseReference('ghcr.io/octo-org/app:rc'),
      destination: parseReference('ghcr.io/octo-org/release'),
      tags: ['1.0', 'production'],
    };
    const { outputs, summary } = await withRunnerFiles(() =>
      reportPromoted(plan, result, { write: 'github-token', read: 'anonymous' }),
    );
    expect(outputs).toEqual({
      digest: manifest.digest,
      image: 'ghcr.io/octo-org/release',
      tags: 'ghcr.io/octo-org/release:1.0\nghcr.io/octo-org/release:production',
      ref: `ghcr.io/octo-org/release@${manifest.digest}`,
      'platform-digests': '{}',
      'auth-method': 'github-token',
    });
    expect(summary).toContain('Promoted ghcr.io/octo-org/app:rc');
    expect(summary).toContain('2 mounted, 1 uploaded, 3 already there');
    expect(summary).toContain('github-token to write ghcr.io; anonymous to read ghcr.io');
    expect(summary).toContain(`docker pull ghcr.io/octo-org/release@${manifest.digest}`);
  });
});
