import { afterAll, describe, expect, it } from '@jest/globals';
import { writePublishSummary, writeSimpleSummary } from '../../../src/report/summary.js';
import { removeRunnerFiles, withRunnerFiles } from '../../support/runner-files.js';

afterAll(removeRunnerFiles);

describe('writeSimpleSummary', () => {
  it('writes a heading, one table row per fact, and the pull-by-digest command when given', async () => {
    const { summary } = await withRunnerFiles(() =>
      writeSimpleSummary('Resolved x', [['Digest', { code: 'sha256:1' }]], 'docker pull x@sha256:1'),
    );
    expect(summary).toContain('<h2>Resolved x</h2>');
    expect(summary).toContain('<th>Digest</th><td><code>sha256:1</code></td>');
    expect(summary).toContain('docker pull x@sha256:1');
  });
});

describe('writePublishSummary', () => {
  const base = {
    image: 'ghcr.io/o/app',
    tags: ['ghcr.io/o/app:1'],
    digest: 'sha256:d',
    imageId: 'sha256:i',
    builder: 'docker (docker works here)',
    authMethod: 'github-token',
    pushed: true,
    whyNotPushed: undefined,
    platformDigests: { 'linux/amd64': 'sha256:a', 'linux/arm64': 'sha256:b' },
    packageUrl: undefined,
    newPackage: true,
  };

  it('lists the platforms, and says nothing of visibility without a package page to point at', async () => {
    const { summary } = await withRunnerFiles(() => writePublishSummary(base));
    expect(summary).toContain('<td>linux/arm64</td><td><code>sha256:b</code></td>');
    expect(summary).toContain('docker pull ghcr.io/o/app@sha256:d');
    expect(summary).not.toContain('Package page');
    expect(summary).not.toContain('This package is new');
  });
});
