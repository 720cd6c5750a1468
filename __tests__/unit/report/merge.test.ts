import { afterAll, describe, expect, it } from '@jest/globals';
import type { MergeChild } from '../../../src/images/merge.js';
import type { MergePlan } from '../../../src/inputs/merge.js';
import { buildIndex, parseReference, type CopyResult } from '../../../src/registry/index.js';
import { sha256 } from '../../../src/registry/digest.js';
import { MediaType } from '../../../src/registry/manifests.js';
import { reportMerged } from '../../../src/report/merge.js';
import { removeRunnerFiles, withRunnerFiles } from '../../support/runner-files.js';

afterAll(removeRunnerFiles);

describe('reportMerged', () => {
  const image = parseReference('ghcr.io/octo-org/app');
  const arm = parseReference('ghcr.io/octo-org/app-arm');
  const child = (architecture: string, repository = image): MergeChild => {
    const bytes = Buffer.from(architecture);
    const manifest = {
      kind: 'image' as const,
      digest: sha256(bytes),
      bytes,
      mediaType: MediaType.ociManifest,
      image: { schemaVersion: 2, config: { mediaType: 'c', digest: sha256('c'), size: 1 }, layers: [] },
    };
    const platform = { os: 'linux', architecture };
    return { ...manifest, size: bytes.length, platform, repository, manifest };
  };
  const children = [child('amd64'), child('arm64', arm)];
  const index = buildIndex(children);
  const plan = (tags: string[]): MergePlan => ({
    sources: children.map((c) => ({ ref: c.repository, line: `${c.repository.repository}@${c.digest}` })),
    image,
    tags,
    repositories: [image, arm],
  });
  const copied = { child: children[1] as MergeChild, result: {} as CopyResult };

  it('reports the index, its tags, and each platform with where it was copied from', async () => {
    const { outputs, summary } = await withRunnerFiles(() =>
      reportMerged({
        plan: plan(['1.0', 'latest']),
        index,
        children,
        written: { copied: [copied] },
        authMethod: 'github-token',
      }),
    );
    expect(outputs).toEqual({
      digest: index.digest,
      image: 'ghcr.io/octo-org/app',
      tags: 'ghcr.io/octo-org/app:1.0\nghcr.io/octo-org/app:latest',
      ref: `ghcr.io/octo-org/app@${index.digest}`,
      'platform-digests': JSON.stringify({
        'linux/amd64': children[0]?.digest,
        'linux/arm64': children[1]?.digest,
      }),
      'auth-method': 'github-token',
    });
    expect(summary).toContain('Merged 2 source(s) into ghcr.io/octo-org/app');
    expect(summary).toContain('OCI image index');
    expect(summary).toContain(`linux/arm64: ${children[1]?.digest} (copied from ghcr.io/octo-org/app-arm)`);
    expect(summary).toContain(`docker pull ghcr.io/octo-org/app@${index.digest}`);
  });

  it('says the index was put by digest only when there are no tags', async () => {
    const { outputs, summary } = await withRunnerFiles(() =>
      reportMerged({ plan: plan([]), index, children, written: { copied: [] }, authMethod: 'password' }),
    );
    expect(outputs.tags).toBe('');
    expect(summary).toContain('none (put by digest only)');
    expect(summary).not.toContain('copied from');
  });
});
