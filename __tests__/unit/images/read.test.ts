import { describe, expect, it, jest } from '@jest/globals';
import { imageForPlatform, readManifest } from '../../../src/images/read.js';
import { ActionError } from '../../../src/errors.js';
import {
  RegistryError,
  parsePlatform,
  parseReference,
  type Manifest,
  type Reference,
  type RegistryClient,
} from '../../../src/registry/index.js';
import { imageManifest } from '../../support/manifests.js';

const MANIFEST: Manifest = imageManifest('c');

/** A client whose getManifest answers or throws as told, and whose listTags answers tags or throws. */
function fakeClient(
  getManifest: (ref: Reference) => Promise<Manifest>,
  tags: string[] | Error,
): { client: RegistryClient; listed: Reference[] } {
  const listed: Reference[] = [];
  const client = {
    getManifest,
    listTags: async (ref: Reference) => {
      listed.push(ref);
      if (tags instanceof Error) throw tags;
      return tags;
    },
  } as unknown as RegistryClient;
  return { client, listed };
}

const notFound = (code: string, ref: string) =>
  new RegistryError(
    'get manifest',
    ref,
    404,
    [{ code, message: `${code.toLowerCase()} message` }],
    'not found',
  );
const failing = (error: Error) => async (): Promise<Manifest> => {
  throw error;
};

/** The ActionError readManifest rejects with. */
async function refusal(client: RegistryClient, ref: Reference, input = 'image'): Promise<ActionError> {
  const error = await readManifest(client, ref, input).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof ActionError) return error;
  throw new Error(`expected an ActionError, got ${String(error)}`);
}

const TAG_REF = parseReference('ghcr.io/octo/app:v9');
const DIGEST = `sha256:${'a'.repeat(64)}`;
const DIGEST_REF = parseReference(`ghcr.io/octo/app@${DIGEST}`);

describe('readManifest', () => {
  it('passes the manifest through', async () => {
    const seen: Reference[] = [];
    const { client, listed } = fakeClient(async (ref) => {
      seen.push(ref);
      return MANIFEST;
    }, []);
    await expect(readManifest(client, TAG_REF, 'image')).resolves.toBe(MANIFEST);
    expect(seen).toEqual([TAG_REF]);
    expect(listed).toEqual([]);
  });

  it('names a missing tag, the repository and the input, and lists the tags there are', async () => {
    const cause = notFound('MANIFEST_UNKNOWN', 'ghcr.io/octo/app:v9');
    const { client, listed } = fakeClient(failing(cause), ['v1', 'v2', 'latest']);
    const error = await refusal(client, TAG_REF, 'source');
    expect(error.message).toContain("'v9'");
    expect(error.message).toContain('ghcr.io/octo/app');
    expect(error.message).toContain("'source'");
    expect(error.message).toContain('ghcr.io/octo/app:v9');
    expect(error.fix).toContain('3 tags');
    expect(error.fix).toContain('v1, v2, latest');
    expect(error.fix).not.toContain('last 20');
    expect(error.cause).toBe(cause);
    expect(listed).toEqual([TAG_REF]);
  });

  it('lists only the last 20 of more tags, and says so', async () => {
    const tags = Array.from({ length: 25 }, (_, i) => `t${i + 1}`);
    const { client } = fakeClient(failing(notFound('MANIFEST_UNKNOWN', 'x')), tags);
    const error = await refusal(client, TAG_REF);
    expect(error.fix).toContain('25 tags');
    expect(error.fix).toContain('the last 20');
    const listedTags = /\(the last 20: ([^)]*)\)/.exec(error.fix)?.[1]?.split(', ');
    expect(listedTags).toEqual(tags.slice(-20));
  });

  it('names a missing digest', async () => {
    const { client } = fakeClient(failing(notFound('MANIFEST_UNKNOWN', 'x')), ['v1']);
    const error = await refusal(client, DIGEST_REF, 'image');
    expect(error.message).toContain(`The digest ${DIGEST}`);
    expect(error.message).toContain('ghcr.io/octo/app');
    expect(error.message).toContain("'image'");
    expect(error.fix).toContain('v1');
  });

  it('says the repository does not exist on NAME_UNKNOWN', async () => {
    const { client } = fakeClient(failing(notFound('NAME_UNKNOWN', 'x')), ['v1']);
    const error = await refusal(client, TAG_REF, 'source');
    expect(error.message).toContain('ghcr.io/octo/app does not exist (or these credentials cannot see it)');
    expect(error.message).toContain('ghcr.io/octo/app:v9');
    expect(error.fix).toContain("'source'");
  });

  it('says the repository does not exist when its tags cannot be listed', async () => {
    const { client } = fakeClient(
      failing(notFound('MANIFEST_UNKNOWN', 'x')),
      new RegistryError(
        'list tags',
        'ghcr.io/octo/app',
        404,
        [{ code: 'NAME_UNKNOWN', message: '' }],
        'nope',
      ),
    );
    const error = await refusal(client, TAG_REF);
    expect(error.message).toContain('does not exist (or these credentials cannot see it)');
  });

  it('says the tag is missing, not the repository, when the tag list fails for another reason', async () => {
    const { client } = fakeClient(
      failing(notFound('MANIFEST_UNKNOWN', 'x')),
      new RegistryError(
        'list tags of',
        'ghcr.io/octo/app',
        undefined,
        [],
        'the next page is on another origin (http://x): not followed',
      ),
    );
    const error = await refusal(client, TAG_REF, 'source');
    expect(error.message).toContain(
      "The tag 'v9' does not exist in ghcr.io/octo/app ('source': ghcr.io/octo/app:v9); its tags could not be listed",
    );
    expect(error.message).toContain('the next page is on another origin');
    expect(error.message).not.toContain('does not exist (or these credentials cannot see it)');
  });

  it('says to publish first when the repository has no tags', async () => {
    const { client } = fakeClient(failing(notFound('MANIFEST_UNKNOWN', 'x')), []);
    const error = await refusal(client, TAG_REF);
    expect(error.message).toContain("The tag 'v9' does not exist in ghcr.io/octo/app");
    expect(error.fix).toMatch(/publish first/);
  });

  it('passes other failures through unchanged', async () => {
    const unauthorized = new RegistryError(
      'get manifest',
      'ghcr.io/octo/app:v9',
      401,
      [{ code: 'UNAUTHORIZED', message: 'authentication required' }],
      'unauthorized',
    );
    const plain = new Error('socket hang up');
    for (const error of [unauthorized, plain]) {
      const { client, listed } = fakeClient(failing(error), ['v1']);
      await expect(readManifest(client, TAG_REF, 'image')).rejects.toBe(error);
      expect(listed).toEqual([]);
    }
  });
});

describe('imageForPlatform of a single-platform image', () => {
  const REF = parseReference('ghcr.io/octo/app:1');
  /** An image manifest whose config (of `configType`) says `config`, and a client that serves that config. */
  function served(config: unknown, configType = 'application/vnd.oci.image.config.v1+json') {
    const image = imageManifest(JSON.stringify(config));
    if (image.kind !== 'image') throw new Error('not an image');
    image.image.config.mediaType = configType;
    const reads: { repository: string; digest: string; size: number }[] = [];
    const client = {
      readBlob: async (repo: Reference, blob: { digest: string; size: number }) => {
        reads.push({ repository: repo.repository, digest: blob.digest, size: blob.size });
        return Buffer.from(JSON.stringify(config));
      },
      getManifest: async () => {
        throw new Error('an image has no child to read');
      },
    } as unknown as RegistryClient;
    return { image, client, reads };
  }
  const refusedWith = (run: Promise<unknown>) =>
    run.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: unknown) => {
        if (error instanceof ActionError) return error;
        throw error;
      },
    );

  it('passes an image whose config names the platform, reading the config by its descriptor', async () => {
    const { image, client, reads } = served({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    await expect(imageForPlatform(client, REF, image, parsePlatform('linux/arm64'), true)).resolves.toBe(
      image,
    );
    if (image.kind !== 'image') throw new Error('not an image');
    expect(reads).toEqual([
      { repository: 'octo/app', digest: image.image.config.digest, size: image.image.config.size },
    ]);
  });

  it('refuses an amd64 image for linux/arm64, saying what it is and how to pull it', async () => {
    const { image, client } = served({ os: 'linux', architecture: 'amd64' });
    const error = await refusedWith(imageForPlatform(client, REF, image, parsePlatform('linux/arm64'), true));
    expect(error.message).toBe(
      `ghcr.io/octo/app@${image.digest} is linux/amd64, not linux/arm64.\nFix: set 'platform' to linux/amd64 to pull it, or pull an image built for linux/arm64.`,
    );
  });

  it("names the runner's platform when none was asked for: a Windows image on linux/amd64", async () => {
    const { image, client } = served({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.1' });
    const error = await refusedWith(
      imageForPlatform(client, REF, image, parsePlatform('linux/amd64'), false),
    );
    expect(error.message).toContain(
      `ghcr.io/octo/app@${image.digest} is windows/amd64, not linux/amd64 (the runner's platform).`,
    );
    expect(error.fix).toBe(
      "set 'platform' to windows/amd64 to pull it, or pull an image built for linux/amd64.",
    );
  });

  it('refuses another variant (arm64 without one is v8)', async () => {
    const { image, client } = served({ os: 'linux', architecture: 'arm64' });
    await expect(imageForPlatform(client, REF, image, parsePlatform('linux/arm64/v8'), true)).resolves.toBe(
      image,
    );
    const error = await refusedWith(
      imageForPlatform(client, REF, image, parsePlatform('linux/arm64/v9'), true),
    );
    expect(error.message).toContain('is linux/arm64, not linux/arm64/v9.');
  });

  it("neither reads nor checks an artifact's config, and says a config without a platform was not checked", async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const artifact = served({ anything: 1 }, 'application/vnd.cncf.helm.config.v1+json');
      await expect(
        imageForPlatform(artifact.client, REF, artifact.image, parsePlatform('linux/s390x'), true),
      ).resolves.toBe(artifact.image);
      expect(artifact.reads).toEqual([]);
      const unnamed = served({ rootfs: { type: 'layers' } });
      await expect(
        imageForPlatform(unnamed.client, REF, unnamed.image, parsePlatform('linux/s390x'), true),
      ).resolves.toBe(unnamed.image);
      expect(unnamed.reads).toHaveLength(1);
      const printed = write.mock.calls.map(([chunk]) => String(chunk)).join('');
      expect(printed).toContain(
        `ghcr.io/octo/app@${unnamed.image.digest} does not say which platform it is for; it is not checked against linux/s390x.`,
      );
    } finally {
      write.mockRestore();
    }
  });
});
