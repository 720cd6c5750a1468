import { beforeAll, expect, it } from '@jest/globals';
import { RegistryClient } from '../../src/registry/client.js';
import { parseReference, withTag } from '../../src/registry/index.js';
import { makeImage, makeIndex, pushImage, stackClient, uniqueTag } from '../support/registry.js';
import { skopeo, skopeoCreds } from '../support/skopeo.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, stackJob } from '../support/step.js';

// Exactly what was asked, or nothing, and advice that fits: the bundle on the stand-in, every result checked
// with skopeo (the registry's word, not the action's).
describeWithStack('inputs and advice that fit the command', (stack) => {
  const e = stack.env;
  const seed = makeImage();
  const name = `${e.OWNER}/advice-${uniqueTag('a')}`;
  const seeded = `${e.REGISTRY_TOKEN}/${name}:seed`;
  // A repository GITHUB_TOKEN may not read (another owner), that a classic PAT with read:packages may.
  const elsewhere = `${e.REGISTRY_TOKEN}/other-org/advice-${uniqueTag('o')}:1`;
  const tagsOf = async (repository: string): Promise<string[]> => {
    const listed = await skopeo([
      'list-tags',
      '--tls-verify=false',
      ...skopeoCreds(e.ACTOR, e.TOKEN_PAT_WRITE),
      `docker://${repository}`,
    ]).catch(() => '{"Tags":[]}');
    return (JSON.parse(listed) as { Tags: string[] }).Tags;
  };

  beforeAll(async () => {
    await pushImage(stackClient(e).client, parseReference(seeded), seed);
    const patClient = new RegistryClient({
      userAgent: 'tests',
      credentials: () => ({ username: e.ACTOR, password: e.TOKEN_PAT_WRITE }),
    });
    await pushImage(patClient, parseReference(elsewhere), seed);
  });

  it("says an empty 'github-token' was empty, and asks for packages: write to publish; nothing is pushed", async () => {
    const image = `${e.REGISTRY_TOKEN}/${name}-empty`;
    const result = await stackJob(stack).main({
      source: seeded,
      image,
      tags: 'v1',
      'github-token': '',
      command: 'promote',
    });
    expect(result.code).toBe(1);
    const [error] = annotations(result, 'error');
    expect(error).toContain("'github-token' is empty (and no 'pat' is set), so no credentials were given");
    expect(error).toContain('`permissions: packages: write`');
    expect(await tagsOf(`${e.REGISTRY_TOKEN}/${name}-empty`)).toEqual([]);
  });

  it('after a pull that needed a PAT, the migration warning asks for packages: read, which suffices', async () => {
    const result = await stackJob(stack).main({
      command: 'pull',
      source: elsewhere,
      destination: `oci-layout:${stack.dir}/advice-${uniqueTag('l')}`,
      'github-token': e.TOKEN_GHS_WRITE,
      pat: e.TOKEN_PAT_READ,
    });
    expect(result.code).toBe(0);
    expect(result.outputs['auth-method']).toBe('pat');
    const warning = annotations(result, 'warning').find((w) => w.includes('Migrate this workflow')) ?? '';
    expect(warning).toContain('`permissions: packages: read`');
    expect(warning).not.toContain('packages: write');
  });

  it("reports what read the source: another registry's image is read anonymously, and auth-method says so", async () => {
    const other = `${e.REGISTRY_ANONYMOUS}/library/advice-${uniqueTag('x')}:1`;
    await pushImage(stackClient(e, 'anonymous').client, parseReference(other), seed);
    const result = await stackJob(stack).main({
      command: 'resolve',
      source: other,
      'github-token': e.TOKEN_GHS_WRITE,
    });
    expect(result.code).toBe(0);
    expect(result.outputs.digest).toBe(seed.manifest.digest);
    expect(result.outputs['auth-method']).toBe('anonymous');
  });

  it.each([
    [
      'a tag in image and tags at once',
      { command: 'promote', source: seeded, image: `${e.REGISTRY_TOKEN}/${name}-both:foo`, tags: 'bar' },
      "Input 'image' names the tag 'foo', and 'tags' is set too",
      `${e.REGISTRY_TOKEN}/${name}-both`,
    ],
    [
      'tags that hold only separators',
      { command: 'promote', source: seeded, image: `${e.REGISTRY_TOKEN}/${name}-seps`, tags: ' , ,' },
      "Input 'tags' is ', ,', which holds no tag.",
      `${e.REGISTRY_TOKEN}/${name}-seps`,
    ],
    [
      'a destination given to resolve',
      { command: 'resolve', source: seeded, destination: 'oci-layout:x' },
      "'destination' is for command: pull",
      undefined,
    ],
    [
      'an image with no owner on ghcr.io',
      { command: 'pull', source: 'ghcr.io/app', registry: 'ghcr.io' },
      "an image on ghcr.io is named OWNER/NAME, and 'app' has no owner",
      undefined,
    ],
    [
      'resolve with neither source nor image',
      { command: 'resolve' },
      "Inputs 'source' and 'image' are both empty",
      undefined,
    ],
  ])('refuses %s with a clear error, writing nothing', async (_name, inputs, message, repository) => {
    const result = await stackJob(stack).main({ 'github-token': e.TOKEN_GHS_WRITE, ...inputs });
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')[0]).toContain(message);
    expect(result.outputs).toEqual({});
    if (repository) expect(await tagsOf(repository)).toEqual([]);
  });

  it('reads a platform in capitals as the platform', async () => {
    const [amd64, arm64] = [
      makeImage({ platform: { os: 'linux', architecture: 'amd64' } }),
      makeImage({ platform: { os: 'linux', architecture: 'arm64' } }),
    ];
    const client = stackClient(e).client;
    const repo = parseReference(`${e.REGISTRY_TOKEN}/${name}`);
    for (const image of [amd64, arm64]) await pushImage(client, withTag(repo, uniqueTag('c')), image);
    const index = makeIndex([amd64, arm64]);
    await client.putManifest(withTag(repo, 'multi'), index);
    const dir = `${stack.dir}/advice-${uniqueTag('p')}`;
    const result = await stackJob(stack).main({
      command: 'pull',
      source: `${e.REGISTRY_TOKEN}/${name}:multi`,
      platform: 'LINUX/ARM64',
      destination: `oci-layout:${dir}`,
      'github-token': e.TOKEN_GHS_WRITE,
    });
    expect(result.code).toBe(0);
    expect(await skopeo(['inspect', '--format', '{{.Digest}}', `oci:${dir}:multi`])).toBe(
      arm64.manifest.digest,
    );
  });
});
