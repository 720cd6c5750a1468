import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  RegistryClient,
  RegistryError,
  formatReference,
  parseReference,
  withDigest,
  withTag,
} from '../../../src/registry/index.js';
import { mustRun } from '../../support/exec.js';
import { makeImage, pushImage, stackClient, uniqueTag } from '../../support/registry.js';
import { skopeoCreds, skopeoDigest } from '../../support/skopeo.js';
import { describeWithStack } from '../../support/stack.js';

// The registry client against the real distribution registries of the stand-in, cross-checked with docker
// and skopeo.
describeWithStack('registry client against real registries', (stack) => {
  const e = stack.env;
  const tokenCreds = skopeoCreds(e.ACTOR, e.TOKEN_GHS_WRITE);
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'registry-client-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reads back an image built and pushed by docker: the same digest as docker inspect and skopeo', async () => {
    const env = { ...stack.processEnv, DOCKER_CONFIG: join(work, 'docker') };
    const tag = uniqueTag('docker-built');
    const name = `${e.REGISTRY_TOKEN}/${e.REPOSITORY}`;
    writeFileSync(join(work, 'Dockerfile'), `FROM ${e.BASE_IMAGE}\nRUN echo ${tag} > /tag\n`);
    await mustRun('docker', ['login', e.REGISTRY_TOKEN, '-u', e.ACTOR, '--password-stdin'], {
      env,
      input: e.TOKEN_GHS_WRITE,
    });
    await mustRun('docker', ['build', '-q', '-t', `${name}:${tag}`, work], { env });
    await mustRun('docker', ['push', `${name}:${tag}`], { env });
    const inspected = JSON.parse(
      (await mustRun('docker', ['inspect', '--format', '{{json .RepoDigests}}', `${name}:${tag}`], { env }))
        .stdout,
    ) as string[];
    const dockerDigest = inspected.find((d) => d.startsWith(`${name}@`))?.split('@')[1];

    const { client } = stackClient(e);
    const ref = parseReference(`${name}:${tag}`);
    const manifest = await client.getManifest(ref);
    expect(manifest.digest).toBe(dockerDigest);
    expect(manifest.digest).toBe(await skopeoDigest(`${name}:${tag}`, tokenCreds));
    expect(manifest.kind).toBe('image');
    expect((await client.headManifest(ref))?.digest).toBe(manifest.digest);
    // Every blob streams back and verifies against its descriptor.
    if (manifest.kind !== 'image') throw new Error('expected an image');
    for (const blob of [manifest.image.config, ...manifest.image.layers]) {
      let bytes = 0;
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          done();
        },
      });
      await pipeline(await client.openBlob(ref, blob), sink);
      expect(bytes).toBe(blob.size);
    }
    const byDigest = await client.getManifest(withDigest(ref, manifest.digest));
    expect(byDigest.bytes.equals(manifest.bytes)).toBe(true);
  });

  it('pushes an image of its own that skopeo reads with the same digest, and lists and deletes it', async () => {
    const { client } = stackClient(e);
    const ref = parseReference(`${e.REGISTRY_TOKEN}/${e.OWNER}/client-push:${uniqueTag('own')}`);
    const image = makeImage();
    await pushImage(client, ref, image);
    expect(await skopeoDigest(formatReference(ref), tokenCreds)).toBe(image.manifest.digest);
    expect(await client.listTags(ref)).toContain(ref.tag);

    await client.deleteManifest(withDigest(ref, image.manifest.digest));
    expect(await client.headManifest(withDigest(ref, image.manifest.digest))).toBeUndefined();
  });

  it('works with the anonymous and the htpasswd registries', async () => {
    const { client } = stackClient(e);
    for (const registry of [e.REGISTRY_ANONYMOUS, e.REGISTRY_BASIC]) {
      const ref = parseReference(`${registry}/${e.OWNER}/plain:${uniqueTag('plain')}`);
      const image = makeImage();
      await pushImage(client, ref, image);
      expect((await client.getManifest(ref)).digest).toBe(image.manifest.digest);
      const creds =
        registry === e.REGISTRY_BASIC ? skopeoCreds(e.BASIC_USER, e.BASIC_PASSWORD) : ['--no-creds'];
      expect(await skopeoDigest(formatReference(ref), creds)).toBe(image.manifest.digest);
    }
  });

  it('refuses a wrong htpasswd password with the registry status and the reference in the message', async () => {
    const ref = parseReference(`${e.REGISTRY_BASIC}/${e.OWNER}/plain:latest`);
    const wrong = new RegistryClient({
      userAgent: 'test',
      credentials: () => ({ username: e.BASIC_USER, password: 'not-the-password' }),
    });
    const error = await wrong.getManifest(ref).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(401);
    expect((error as RegistryError).message).toContain(
      `get manifest ${e.REGISTRY_BASIC}/${e.OWNER}/plain:latest`,
    );
    expect((error as RegistryError).message).not.toContain('not-the-password');
  });

  it('gives a token without push a clear refusal before anything is written, and lets it pull', async () => {
    const writer = stackClient(e).client;
    const ref = parseReference(`${e.REGISTRY_TOKEN}/${e.REPOSITORY}:${uniqueTag('ro')}`);
    const image = makeImage();
    await pushImage(writer, ref, image);

    const { client: reader } = stackClient(e, 'ghs-read');
    expect((await reader.getManifest(ref)).digest).toBe(image.manifest.digest);
    const refusal = await reader.checkPushPermission(ref).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(RegistryError);
    expect((refusal as RegistryError).status).toBe(401);
    expect((refusal as RegistryError).message).toMatch(
      /check push permission for .*hello-world failed \(HTTP 401\)/,
    );
    expect((refusal as RegistryError).message).toMatch(/unauthorized/i);
    const put = await reader
      .putManifest(withTag(ref, 'ro-should-not-exist'), image.manifest)
      .catch((err: unknown) => err);
    expect((put as RegistryError).status).toBe(401);
    expect(await writer.headManifest(withTag(ref, 'ro-should-not-exist'))).toBeUndefined();

    await expect(writer.checkPushPermission(ref)).resolves.toBeUndefined();
  });

  it('pulls a public repository anonymously from the token registry, and is refused a private one', async () => {
    const writer = stackClient(e).client;
    const publicRef = parseReference(`${e.REGISTRY_TOKEN}/${e.OWNER}/public-tools:${uniqueTag('pub')}`);
    const image = makeImage();
    await pushImage(writer, publicRef, image);
    await pushImage(writer, parseReference(`${e.REGISTRY_TOKEN}/${e.REPOSITORY}:private`), image);

    const { client: anonymous, sent } = stackClient(e, 'anonymous');
    expect((await anonymous.getManifest(publicRef)).digest).toBe(image.manifest.digest);
    expect(sent.some((r) => r.url.startsWith(e.TOKEN_REALM))).toBe(true);
    const refused = await anonymous
      .getManifest(parseReference(`${e.REGISTRY_TOKEN}/${e.REPOSITORY}:private`))
      .catch((err: unknown) => err);
    expect((refused as RegistryError).status).toBe(401);
  });

  it('fails with the registry code for a tag that does not exist, without retrying', async () => {
    const { client, sent } = stackClient(e);
    const ref = parseReference(`${e.REGISTRY_TOKEN}/${e.REPOSITORY}:no-such-tag`);
    const error = (await client.getManifest(ref).catch((err: unknown) => err)) as RegistryError;
    expect(error.status).toBe(404);
    expect(error.code).toBe('MANIFEST_UNKNOWN');
    expect(error.message).toContain('no-such-tag');
    expect(sent.filter((r) => r.url.includes('/manifests/'))).toHaveLength(2); // the handshake and the answer
  });

  it('reuses tokens: many requests to one repository cost one token request', async () => {
    const { client, sent } = stackClient(e);
    const ref = parseReference(`${e.REGISTRY_TOKEN}/${e.REPOSITORY}:private`);
    for (let i = 0; i < 5; i++) await client.headManifest(ref);
    expect(sent.filter((r) => r.url.startsWith(e.TOKEN_REALM))).toHaveLength(1);
    const blob = await client.blobExists(ref, { digest: `sha256:${'0'.repeat(64)}`, size: 1 });
    expect(blob).toBe(false);
  });
});
