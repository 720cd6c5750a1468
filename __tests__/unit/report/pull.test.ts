import { afterAll, describe, expect, it } from '@jest/globals';
import type { PullPlan } from '../../../src/inputs/pull.js';
import { parseReference, type Manifest } from '../../../src/registry/index.js';
import { sha256 } from '../../../src/registry/digest.js';
import { reportPulled } from '../../../src/report/pull.js';
import { removeRunnerFiles, withRunnerFiles } from '../../support/runner-files.js';

afterAll(removeRunnerFiles);

function manifest(kind: 'image' | 'index', name: string): Manifest {
  const bytes = Buffer.from(name);
  const common = { digest: sha256(bytes), bytes, mediaType: 'application/vnd.oci.image.manifest.v1+json' };
  if (kind === 'image') {
    return {
      ...common,
      kind,
      image: { schemaVersion: 2, config: { mediaType: 'c', digest: sha256('c'), size: 1 }, layers: [] },
    };
  }
  const entry = {
    mediaType: common.mediaType,
    digest: sha256('arm'),
    size: 1,
    platform: { os: 'linux', architecture: 'arm64' },
  };
  return { ...common, kind, index: { schemaVersion: 2, manifests: [entry] } };
}

const plan: PullPlan = {
  ref: parseReference('ghcr.io/octo-org/app:1.0'),
  input: 'source',
  destination: { kind: 'oci-layout', path: '/tmp/layout' },
  platform: { os: 'linux', architecture: 'arm64' },
  platformAsked: true,
};

describe('reportPulled', () => {
  it('reports the digest resolved (the index) and the platform image pulled from it', async () => {
    const [root, image] = [manifest('index', 'root'), manifest('image', 'child')];
    const { outputs, summary } = await withRunnerFiles(() =>
      reportPulled({ plan, root, image, imageId: sha256('c'), authMethod: 'anonymous' }),
    );
    expect(outputs).toEqual({
      digest: root.digest,
      'image-id': sha256('c'),
      image: 'ghcr.io/octo-org/app',
      ref: `ghcr.io/octo-org/app@${root.digest}`,
      'platform-digests': JSON.stringify({ 'linux/arm64': sha256('arm') }),
      'auth-method': 'anonymous',
    });
    expect(summary).toContain(`(linux/arm64: <code>${image.digest}</code>)`);
    expect(summary).toContain('oci-layout:/tmp/layout');
  });

  it('names the docker daemon as the destination, and no platform for a single image', async () => {
    const image = manifest('image', 'single');
    const { summary } = await withRunnerFiles(() =>
      reportPulled({
        plan: { ...plan, destination: { kind: 'docker' } },
        root: image,
        image,
        imageId: 'x',
        authMethod: 'pat',
      }),
    );
    expect(summary).toContain('the docker daemon');
    expect(summary).not.toContain('linux/arm64');
  });
});
