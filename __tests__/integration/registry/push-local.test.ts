import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference, withDigest, type Reference } from '../../../src/registry/index.js';
import { DigestMismatchError } from '../../../src/registry/errors.js';
import { sha256 } from '../../../src/registry/digest.js';
import { classicArchive } from '../../support/docker-save.js';
import { mustRun } from '../../support/exec.js';
import { stackClient, uniqueTag } from '../../support/registry.js';
import { skopeoCreds } from '../../support/skopeo.js';
import { describeWithStack } from '../../support/stack.js';

// Images built by the real builders of the stand-in (buildah, dockerd), pushed by digest with the action's own
// client from what the builders leave on disk, and read back with skopeo and docker.
describeWithStack('pushing local images by digest', (stack) => {
  const e = stack.env;
  const unique = uniqueTag('local');
  const storage = ['--root', e.BUILDAH_ROOT, '--runroot', e.BUILDAH_RUNROOT, '--storage-driver', 'vfs'];
  const creds = skopeoCreds(e.ACTOR, e.TOKEN_GHS_WRITE);
  let work: string;
  let env: NodeJS.ProcessEnv;
  const docker = (args: string[], input?: string) => mustRun('docker', args, { env, input });
  const repo = (name: string) => parseReference(`${e.REGISTRY_TOKEN}/${e.OWNER}/${name}-${unique}`);

  /** An image built with buildah from a Dockerfile, written as an OCI layout folder (its layers gzip-compressed). */
  async function buildahLayout(name: string, content: string): Promise<string> {
    const context = mkdtempSync(join(work, 'ctx-'));
    writeFileSync(join(context, 'hello.txt'), content);
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
    const image = `localhost/${name}:${unique}`;
    await mustRun('buildah', [...storage, 'bud', '--isolation', 'chroot', '-q', '-t', image, context]);
    const dir = join(work, `${name}-layout`);
    await mustRun('buildah', [...storage, 'push', image, `oci:${dir}`]);
    await mustRun('buildah', [...storage, 'rmi', image]);
    return dir;
  }

  /** An image built by the stand-in's docker (it prints `<name> <unique>`), saved to `archive`, then removed. */
  async function savedImage(name: string, archive: string): Promise<{ id: string; file: string }> {
    const context = mkdtempSync(join(work, `${name}-ctx-`));
    writeFileSync(join(context, 'hello'), `${name} ${unique}\n`);
    writeFileSync(
      join(context, 'Dockerfile'),
      `FROM ${e.BASE_IMAGE}\nCOPY hello /hello\nCMD ["cat", "/hello"]\n`,
    );
    const tag = `local/push-${name}:${unique}`;
    await docker(['build', '-q', '-t', tag, context]);
    const id = (await docker(['inspect', '--format', '{{.Id}}', tag])).stdout.trim();
    const file = join(work, archive);
    await docker(['save', tag, '-o', file]);
    await docker(['rmi', tag]);
    return { id, file };
  }

  /** The manifest as the registry serves it, read by skopeo; its bytes must hash to `digest`. */
  async function rawManifest(target: Reference, digest: string): Promise<{ stdout: string }> {
    const raw = await mustRun('skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      ...creds,
      `docker://${target.registry}/${target.repository}@${digest}`,
    ]);
    expect(sha256(raw.stdout)).toBe(digest);
    return raw;
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'push-local-'));
    env = { ...stack.processEnv, DOCKER_CONFIG: join(work, 'docker-config') };
    await docker(['login', e.REGISTRY_TOKEN, '-u', e.ACTOR, '--password-stdin'], e.TOKEN_GHS_WRITE);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('pushes a buildah OCI layout by digest: skopeo reads the same manifest, and no tag exists', async () => {
    const dir = await buildahLayout('layout', `layout ${unique}\n`);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    const target = repo('layout');
    const { client, sent } = stackClient(e);
    const result = await client.pushOciLayout(target, dir);
    expect(result.digest).toBe(index.manifests[0]?.digest);
    expect(result.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(result.blobs).toEqual({ exists: 0, mounted: 0, uploaded: 2 });
    const raw = await rawManifest(target, result.digest);
    expect(raw.stdout.length).toBe(result.size);
    // Manifests are put by digest only.
    const puts = sent.filter((r) => r.method === 'PUT' && r.url.includes('/manifests/'));
    expect(puts.map((r) => r.url.split('/manifests/')[1])).toEqual([result.digest]);
    // Registry 2.8 answers tags/list of a repository holding untagged manifests only with 404 NAME_UNKNOWN.
    await expect(client.listTags(target)).rejects.toThrow(/HTTP 404/);
    expect(await client.hasTags(target)).toBe(false);
  });

  it('refuses a layout with a corrupted blob and writes no manifest', async () => {
    const dir = await buildahLayout('corrupt', `corrupt ${unique}\n`);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    const manifest = JSON.parse(
      readFileSync(join(dir, 'blobs', 'sha256', (index.manifests[0]?.digest ?? '').slice(7)), 'utf8'),
    ) as { layers: { digest: string }[] };
    const layer = join(dir, 'blobs', 'sha256', (manifest.layers[0]?.digest ?? '').slice(7));
    const bytes = readFileSync(layer);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff; // same size, other bytes
    writeFileSync(layer, bytes);
    const target = repo('corrupt');
    const { client, sent } = stackClient(e);
    await expect(client.pushOciLayout(target, dir)).rejects.toThrow(DigestMismatchError);
    expect(sent.filter((r) => r.method === 'PUT' && r.url.includes('/manifests/'))).toEqual([]);
    expect(await client.headManifest(withDigest(target, index.manifests[0]?.digest ?? ''))).toBeUndefined();
    expect(
      await client.blobExists(target, { digest: manifest.layers[0]?.digest ?? '', size: bytes.length }),
    ).toBe(false);
  });

  it('pushes a docker save archive: docker pulls it by digest with the same image ID; a rerun sends nothing', async () => {
    const { id, file } = await savedImage('docker', 'image.tar');

    const target = repo('archive');
    const started = Date.now();
    const result = await stackClient(e).client.pushDockerArchive(target, file, { workDir: work });
    const took = Date.now() - started;
    expect(result.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(result.blobs.uploaded).toBeGreaterThanOrEqual(2);
    expect(readdirSync(work).filter((n) => n.startsWith('docker-archive-'))).toEqual([]);

    const pulled = `${target.registry}/${target.repository}@${result.digest}`;
    await docker(['pull', '-q', pulled]);
    expect((await docker(['inspect', '--format', '{{.Id}}', pulled])).stdout.trim()).toBe(id);
    expect((await docker(['run', '--rm', '--network', 'none', pulled])).stdout).toBe(`docker ${unique}\n`);
    await docker(['rmi', pulled]);

    const again = await stackClient(e).client.pushDockerArchive(target, file, { workDir: work });
    expect(again.digest).toBe(result.digest);
    expect(again.bytesUploaded).toBe(0);
    expect(again.manifestsPresent).toBe(1);

    // Another repository of the registry: every blob mounted, nothing uploaded.
    const { client, sent } = stackClient(e);
    const mounted = await client.pushDockerArchive(repo('archive-copy'), file, {
      workDir: work,
      mountFrom: [`${e.OWNER}/nowhere-${unique}`, target.repository],
    });
    expect(mounted.digest).toBe(result.digest);
    expect(mounted.blobs).toEqual({ exists: 0, mounted: result.blobs.uploaded, uploaded: 0 });
    expect(sent.filter((r) => r.method === 'PATCH')).toEqual([]);
    console.info(
      `docker archive of ${statSync(file).size} bytes pushed in ${took} ms: ${result.bytesUploaded} bytes uploaded, blobs ${JSON.stringify(result.blobs)}`,
    );
  });
  it('pushes a docker 25+-style archive (an OCI layout of uncompressed layers): gzip layers, docker pulls the same image ID', async () => {
    // The stand-in's docker is 20.10: its save is turned into the layout docker 25+ writes (classic store).
    const { id, file: old } = await savedImage('docker25', 'image-2010.tar');
    const unpacked = join(work, 'image-2010');
    mkdirSync(unpacked);
    await mustRun('tar', ['-xf', old, '-C', unpacked]);
    const [saved] = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as {
      Config: string;
      Layers: string[];
    }[];
    const config = readFileSync(join(unpacked, saved?.Config ?? ''));
    const layers = (saved?.Layers ?? []).map((l) => readFileSync(join(unpacked, l)));
    const file = join(work, 'image-25.tar');
    writeFileSync(file, classicArchive(layers, 'local/push-archive25:1', config).archive);
    expect(sha256(config)).toBe(id);

    const target = repo('archive25');
    const result = await stackClient(e).client.pushDockerArchive(target, file, { workDir: work });
    expect(result.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    const raw = await rawManifest(target, result.digest);
    const manifest = JSON.parse(raw.stdout) as {
      config: { digest: string };
      layers: { mediaType: string }[];
    };
    expect(manifest.config.digest).toBe(id);
    expect(manifest.layers.map((l) => l.mediaType)).toEqual(
      layers.map(() => 'application/vnd.oci.image.layer.v1.tar+gzip'),
    );

    const pulled = `${target.registry}/${target.repository}@${result.digest}`;
    await docker(['pull', '-q', pulled]);
    expect((await docker(['inspect', '--format', '{{.Id}}', pulled])).stdout.trim()).toBe(id);
    expect((await docker(['run', '--rm', '--network', 'none', pulled])).stdout).toBe(`docker25 ${unique}\n`);
    await docker(['rmi', pulled]);
  });
});
