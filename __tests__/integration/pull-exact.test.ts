import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference, type Platform } from '../../src/registry/index.js';
import { MediaType, type Descriptor } from '../../src/registry/manifests.js';
import { sha256 } from '../../src/registry/digest.js';
import { runProgram } from '../support/exec.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { makeImage, pushImage, stackClient, uniqueTag, type MadeImage } from '../support/registry.js';
import { skopeo } from '../support/skopeo.js';
import { describeWithStack } from '../support/stack.js';
import { annotated, annotations, stackJob } from '../support/step.js';

// command: pull does exactly what was asked, or nothing (issue 11), end to end through the bundle on the
// stand-in, each result read back with skopeo, docker or the filesystem: a single-platform image of another
// platform is refused before anything is written; a failed pull to an OCI layout leaves no trace; layers are
// foreign by media type only, and the ones left out are said; a docker archive that replaces a file says so.
describeWithStack('pull: exactly what was asked, or nothing', (stack) => {
  const e = stack.env;
  let work: string;
  /** A new path under the work folder (nothing there yet). */
  const fresh = (name: string) => join(work, `${name}-${randomBytes(4).toString('hex')}`);
  const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  /** Every file under dir with the sha256 of its bytes. */
  const snapshot = (dir: string) =>
    new Map(
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
        .map((path) => [path.slice(dir.length + 1), sha256Hex(readFileSync(path))]),
    );
  /** What skopeo reads from an OCI layout for a ref name. */
  const layoutInspect = (dir: string, name: string, format = '{{.Digest}}') =>
    skopeo(['inspect', '--format', format, `oci:${dir}:${name}`]);

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'pull-exact-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  describe('a single-platform image of another platform than the one wanted', () => {
    const repository = `${e.OWNER}/pull-platform-${uniqueTag('p')}`;
    const name = `${e.REGISTRY_TOKEN}/${repository}`;
    const made = (platform: Platform) => makeImage({ platform, label: platform.os });
    const amd64 = made({ os: 'linux', architecture: 'amd64' });
    const arm64 = made({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    const windows = made({ os: 'windows', architecture: 'amd64' });
    const pull = (inputs: Record<string, string>) =>
      stackJob(stack).main({ command: 'pull', 'github-token': e.TOKEN_GHS_WRITE, ...inputs });

    beforeAll(async () => {
      const client = stackClient(e).client;
      await pushImage(client, parseReference(`${name}:amd64`), amd64);
      await pushImage(client, parseReference(`${name}:arm64`), arm64);
      await pushImage(client, parseReference(`${name}:windows`), windows);
    });

    it('refuses linux/arm64 of an amd64 image before writing anything, saying what the image is', async () => {
      const dir = fresh('layout-arm64');
      const result = await pull({
        source: `${name}:amd64`,
        destination: `oci-layout:${dir}`,
        platform: 'linux/arm64',
      });
      expect(result.code).toBe(1);
      expect(annotations(result, 'error')[0]).toContain(
        `${name}@${amd64.manifest.digest} is linux/amd64, not linux/arm64.\nFix: set 'platform' to linux/amd64 to pull it, or pull an image built for linux/arm64.`,
      );
      expect(existsSync(dir)).toBe(false);
      expect(result.outputs).toEqual({});
    });

    it("refuses a Windows image on the runner's platform (linux/amd64), naming it windows/amd64", async () => {
      const dir = fresh('layout-windows');
      const result = await pull({ source: `${name}:windows`, destination: `oci-layout:${dir}` });
      expect(result.code).toBe(1);
      expect(annotations(result, 'error')[0]).toContain(
        `${name}@${windows.manifest.digest} is windows/amd64, not linux/amd64 (the runner's platform).`,
      );
      expect(annotations(result, 'error')[0]).toContain("set 'platform' to windows/amd64 to pull it");
      expect(existsSync(dir)).toBe(false);
    });

    it('refuses into docker too: the daemon never gets the image', async () => {
      const result = await pull({ source: `${name}:amd64`, platform: 'linux/arm64' });
      expect(result.code).toBe(1);
      expect(annotations(result, 'error')[0]).toContain('is linux/amd64, not linux/arm64.');
      const inspect = await runProgram('docker', ['image', 'inspect', `${name}@${amd64.manifest.digest}`], {
        env: stack.processEnv,
      });
      expect(inspect.code).not.toBe(0);
    });

    it('pulls the platform an image is for (arm64 is arm64/v8), and resolve reads any platform', async () => {
      const dir = fresh('layout-arm64-ok');
      const result = await pull({
        source: `${name}:arm64`,
        destination: `oci-layout:${dir}`,
        platform: 'linux/arm64',
      });
      expect(result.code).toBe(0);
      const config = JSON.parse(await skopeo(['inspect', '--config', `oci:${dir}:arm64`])) as Platform;
      expect([config.os, config.architecture, config.variant]).toEqual(['linux', 'arm64', 'v8']);
      const resolved = await stackJob(stack).main({
        command: 'resolve',
        'github-token': e.TOKEN_GHS_WRITE,
        source: `${name}:windows`,
      });
      expect(resolved.code).toBe(0);
      expect(resolved.outputs.digest).toBe(windows.manifest.digest);
    });
  });

  describe('a pull to an OCI layout that fails on a corrupted layer', () => {
    let proxy: FaultProxy;
    const repository = `${e.OWNER}/pull-staging-${uniqueTag('s')}`;
    const good = makeImage({ label: 'good' });
    const bad = makeImage({ label: 'bad', layerBytes: randomBytes(200_000) });
    const layerOf = (image: MadeImage) =>
      (JSON.parse(image.manifest.bytes.toString('utf8')) as { layers: Descriptor[] }).layers[0]?.digest ?? '';
    /** The bundle pulls from the basic registry through the proxy, with the basic registry's user. */
    const pullThroughProxy = (tag: string, destination: string) =>
      stackJob(stack).main({
        command: 'pull',
        registry: proxy.host,
        username: e.BASIC_USER,
        password: e.BASIC_PASSWORD,
        source: `${proxy.host}/${repository}:${tag}`,
        destination,
      });
    const basicCreds = ['--src-creds', `${e.BASIC_USER}:${e.BASIC_PASSWORD}`, '--src-tls-verify=false'];

    beforeAll(async () => {
      proxy = await startFaultProxy(`http://${e.REGISTRY_BASIC}`);
      const client = stackClient(e).client;
      await pushImage(client, parseReference(`${e.REGISTRY_BASIC}/${repository}:good`), good);
      await pushImage(client, parseReference(`${e.REGISTRY_BASIC}/${repository}:bad`), bad);
    });
    afterAll(() => proxy.close());
    const corruptTheLayer = () =>
      proxy.addRule({
        method: 'GET',
        path: new RegExp(`/blobs/${layerOf(bad)}$`),
        times: Infinity,
        fault: { kind: 'corrupt' },
      });

    it('removes a destination folder it created, whole', async () => {
      corruptTheLayer();
      try {
        const parent = fresh('new-parent');
        const result = await pullThroughProxy('bad', `oci-layout:${join(parent, 'layout')}`);
        expect(result.code).toBe(1);
        expect(annotations(result, 'error')[0]).toContain(layerOf(bad));
        expect(proxy.requests.some((r) => r.fault === 'corrupt')).toBe(true);
        expect(existsSync(parent)).toBe(false);
      } finally {
        proxy.clearRules();
      }
    });

    it('leaves an existing layout (written by skopeo) exactly as it was; a rerun adds the image', async () => {
      const dir = fresh('existing');
      await skopeo([
        'copy',
        ...basicCreds,
        `docker://${e.REGISTRY_BASIC}/${repository}:good`,
        `oci:${dir}:good`,
      ]);
      const before = snapshot(dir);
      corruptTheLayer();
      try {
        const result = await pullThroughProxy('bad', `oci-layout:${dir}`);
        expect(result.code).toBe(1);
        expect(proxy.requests.some((r) => r.fault === 'corrupt')).toBe(true);
      } finally {
        proxy.clearRules();
      }
      expect(snapshot(dir)).toEqual(before);

      const rerun = await pullThroughProxy('bad', `oci-layout:${dir}`);
      expect(rerun.code).toBe(0);
      expect(await layoutInspect(dir, 'bad')).toBe(bad.manifest.digest);
      expect(await layoutInspect(dir, 'good')).toBe(good.manifest.digest);
      expect(readdirSync(dir).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
    });
  });

  describe('foreign layers', () => {
    const repository = `${e.OWNER}/public-pull-foreign-${uniqueTag('f')}`;
    const name = `${e.REGISTRY_TOKEN}/${repository}`;
    const pull = (inputs: Record<string, string>) =>
      stackJob(stack).main({ command: 'pull', 'github-token': e.TOKEN_GHS_WRITE, ...inputs });
    // A distributable layer that also names a mirror: it is the registry's to serve, and copied like any other.
    const mirroredBytes = randomBytes(3000);
    const mirrored: Descriptor = {
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: sha256(mirroredBytes),
      size: mirroredBytes.length,
      urls: ['https://mirror.invalid/layer.tar.gz'],
    };
    const withMirror = makeImage({ label: 'mirrored', extraLayers: [mirrored] });
    withMirror.blobs.set(mirrored.digest, mirroredBytes);
    const foreign: Descriptor = {
      mediaType: MediaType.dockerForeignLayer,
      digest: sha256('a windows base layer that lives elsewhere'),
      size: 123456789,
      urls: ['https://foreign-layer.invalid/base.tar.gz'],
    };
    const withForeign = makeImage({ label: 'foreign', extraLayers: [foreign] });
    const blobFile = (dir: string, digest: string) =>
      join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));

    beforeAll(async () => {
      const client = stackClient(e).client;
      await pushImage(client, parseReference(`${name}:mirrored`), withMirror);
      await pushImage(client, parseReference(`${name}:foreign`), withForeign);
    });

    it('pulls a distributable layer that carries urls into the OCI layout', async () => {
      const dir = fresh('mirrored');
      const result = await pull({ source: `${name}:mirrored`, destination: `oci-layout:${dir}` });
      expect(result.code).toBe(0);
      expect(existsSync(blobFile(dir, mirrored.digest))).toBe(true);
      expect(`sha256:${sha256Hex(readFileSync(blobFile(dir, mirrored.digest)))}`).toBe(mirrored.digest);
      expect(await layoutInspect(dir, 'mirrored', '{{.Layers}}')).toContain(mirrored.digest);
    });

    it('promotes a distributable layer that carries urls: the destination registry has it', async () => {
      const target = `${e.OWNER}/promote-mirrored-${uniqueTag('m')}`;
      const result = await stackJob(stack).main({
        command: 'promote',
        source: `${name}:mirrored`,
        registry: e.REGISTRY_BASIC,
        image: `${e.REGISTRY_BASIC}/${target}`,
        tags: '1',
        username: e.BASIC_USER,
        password: e.BASIC_PASSWORD,
      });
      expect(annotations(result, 'error')).toEqual([]);
      expect(result.code).toBe(0);
      // The destination registry's own answer, not the action's.
      const basic = Buffer.from(`${e.BASIC_USER}:${e.BASIC_PASSWORD}`).toString('base64');
      const head = await fetch(`http://${e.REGISTRY_BASIC}/v2/${target}/blobs/${mirrored.digest}`, {
        method: 'HEAD',
        headers: { Authorization: `Basic ${basic}` },
      });
      expect(head.status).toBe(200);
    });

    it('leaves a foreign layer out of an OCI layout, and says so in the log', async () => {
      const dir = fresh('foreign');
      const result = await pull({ source: `${name}:foreign`, destination: `oci-layout:${dir}` });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        '1 foreign (non-distributable) layer(s) left out of the OCI layout: whoever runs the image fetches them from their URLs.',
      );
      expect(existsSync(blobFile(dir, foreign.digest))).toBe(false);
      expect(await layoutInspect(dir, 'foreign')).toBe(withForeign.manifest.digest);
    });
  });

  it('replaces an existing docker archive file with a notice that names it', async () => {
    const repository = `${e.OWNER}/pull-archive-${uniqueTag('a')}`;
    const name = `${e.REGISTRY_TOKEN}/${repository}`;
    const image = makeImage({ label: 'archive' });
    await pushImage(stackClient(e).client, parseReference(`${name}:1`), image);
    const dir = fresh('archive');
    mkdirSync(dir);
    const file = join(dir, 'image.tar');
    writeFileSync(file, 'an older file in the way');
    const result = await stackJob(stack).main({
      command: 'pull',
      'github-token': e.TOKEN_GHS_WRITE,
      source: `${name}:1`,
      destination: `docker-archive:${file}`,
    });
    expect(result.code).toBe(0);
    expect(annotated(result, 'notice', `Replaced the existing file ${file}`)).toBe(true);
    const config = (JSON.parse(image.manifest.bytes.toString('utf8')) as { config: Descriptor }).config;
    const raw = JSON.parse(await skopeo(['inspect', '--raw', `docker-archive:${file}`])) as {
      config: { digest: string };
    };
    expect(raw.config.digest).toBe(config.digest);
  });
});
