import { afterAll, describe, expect, it } from '@jest/globals';
import type { Selection } from '../../../src/build/select.js';
import type { Builder } from '../../../src/build/types.js';
import type { PublishPlan } from '../../../src/inputs/publish.js';
import { parseReference, type Manifest } from '../../../src/registry/index.js';
import { sha256 } from '../../../src/registry/digest.js';
import { reportPublished } from '../../../src/report/publish.js';
import type { Session } from '../../../src/session/index.js';
import { removeRunnerFiles, withRunnerFiles } from '../../support/runner-files.js';
import { runContext } from '../../support/run-context.js';

afterAll(removeRunnerFiles);

const image = parseReference('ghcr.io/octo-org/app');
const plan = (push: boolean): PublishPlan => ({
  image,
  whyNotPushed: push ? undefined : "'push' is false",
  build: {
    context: '.',
    file: 'Dockerfile',
    target: '',
    buildArgs: {},
    labels: { 'org.opencontainers.image.source': 'https://github.com/octo-org/hello-world' },
    platforms: [],
    image,
    tags: ['1.0', 'latest'],
    push,
    byDigest: false,
    cacheTag: '1.0',
    cache: 'default',
    noCache: false,
    pull: false,
    secrets: [],
    ssh: [],
    network: 'default',
    attestations: {},
  },
});
const selection: Selection = {
  builder: { name: 'docker' } as Builder,
  why: 'docker works here',
  builds: true,
  title: 'Build with docker',
};
const session = { method: 'github-token' } as Session;
const result = {
  imageId: 'sha256:' + '1'.repeat(64),
  pushedTags: ['1.0'],
  reportedDigest: undefined,
  details: {},
};
const index: Manifest = (() => {
  const bytes = Buffer.from('{"schemaVersion":2,"manifests":[]}');
  const child = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256('amd64'), size: 1 };
  return {
    kind: 'index',
    digest: sha256(bytes),
    mediaType: 'application/vnd.oci.image.index.v1+json',
    bytes,
    index: { schemaVersion: 2, manifests: [{ ...child, platform: { os: 'linux', architecture: 'amd64' } }] },
  };
})();

describe('reportPublished', () => {
  it('sets every output from the verified manifest, and a summary to pull it by digest', async () => {
    const { outputs, summary } = await withRunnerFiles(() =>
      reportPublished(
        { plan: plan(true), selection, session, result, manifest: index, newPackage: true },
        runContext(),
      ),
    );
    expect(outputs).toMatchObject({
      digest: index.digest,
      'image-id': result.imageId,
      image: 'ghcr.io/octo-org/app',
      tags: 'ghcr.io/octo-org/app:1.0\nghcr.io/octo-org/app:latest',
      ref: `ghcr.io/octo-org/app@${index.digest}`,
      'platform-digests': JSON.stringify({ 'linux/amd64': sha256('amd64') }),
      'auth-method': 'github-token',
    });
    expect(JSON.parse(outputs.metadata ?? '')).toMatchObject({
      digest: index.digest,
      pushed: true,
      builder: 'docker',
      builderReason: 'docker works here',
      authMethod: 'github-token',
    });
    expect(summary).toContain(`docker pull ghcr.io/octo-org/app@${index.digest}`);
    expect(summary).toContain('https://github.com/octo-org/hello-world/pkgs/container/app');
    expect(summary).toContain('This package is new.');
  });

  it('reports no digest when nothing was pushed, and says why', async () => {
    const none: Selection = { ...selection, builds: false, why: "'source' names a local image (local/app)" };
    const { outputs, summary } = await withRunnerFiles(() =>
      reportPublished(
        { plan: plan(false), selection: none, session, result, manifest: undefined, newPackage: false },
        runContext(),
      ),
    );
    expect(outputs.digest).toBeUndefined();
    expect(outputs.ref).toBeUndefined();
    // Nothing was written to the registry: no tags output; the metadata says which tags were made, and none written.
    expect(outputs.tags).toBeUndefined();
    expect(JSON.parse(outputs.metadata ?? '')).toMatchObject({ written: [], labels: {} });
    expect(summary).toContain('Tags (here only, not pushed)');
    expect(outputs['platform-digests']).toBe('{}');
    expect(JSON.parse(outputs.metadata ?? '')).toMatchObject({ digest: null, pushed: false });
    expect(summary).toContain("Not pushed: 'push' is false.");
    expect(summary).toContain("none: 'source' names a local image (local/app)");
  });
});
