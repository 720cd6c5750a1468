import { afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReference } from '../../src/registry/index.js';
import { makeImage, pushImage, stackClient, tarWithFile, uniqueTag } from '../support/registry.js';
import { describeWithStack } from '../support/stack.js';
import { stackJob } from '../support/step.js';
import { startTinyproxy, type Tinyproxy } from '../support/tinyproxy.js';

// HTTP_PROXY / NO_PROXY through the bundle, with a real forward proxy (tinyproxy) whose log shows what it
// relayed: a cross-registry promote reads manifests and blobs with fetch, asks the token service, and streams
// blobs up over node:http, so every kind of request the action makes is on the way.
describeWithStack('forward proxies', (stack) => {
  const e = stack.env;
  // A layer over 1 MiB (random bytes do not compress) is uploaded as a stream, not in one PUT.
  const image = makeImage({
    label: 'proxy',
    layerBytes: tarWithFile('big.bin', randomBytes(3 * 1024 * 1024)),
  });
  const source = `${e.REGISTRY_TOKEN}/${e.OWNER}/proxy-src-${uniqueTag('s')}:1.0`;
  let proxy: Tinyproxy;

  beforeAll(async () => {
    await pushImage(stackClient(e).client, parseReference(source), image);
  });
  beforeEach(async () => {
    proxy = await startTinyproxy();
  });
  afterEach(async () => {
    await proxy.stop();
  });

  /** A cross-registry promote of `source` to a new repository, with `env` on top of the runner's. */
  async function promote(env: NodeJS.ProcessEnv) {
    const job = stackJob(stack, { env });
    const auth = Buffer.from(`${e.ACTOR}:${e.TOKEN_PAT_READ}`).toString('base64');
    writeFileSync(
      join(job.dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [e.REGISTRY_TOKEN]: { auth } } }),
    );
    const repository = `${e.OWNER}/proxy-dst-${uniqueTag('d')}`;
    const result = await job.main({
      command: 'promote',
      source,
      registry: e.REGISTRY_BASIC,
      image: `${e.REGISTRY_BASIC}/${repository}`,
      tags: 'v1',
      username: e.BASIC_USER,
      password: e.BASIC_PASSWORD,
    });
    return { result, repository };
  }

  it('HTTP_PROXY: every registry and token request goes through the proxy, streamed uploads included', async () => {
    const { result, repository } = await promote({ HTTP_PROXY: proxy.url, http_proxy: '', NO_PROXY: '' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs.digest).toBe(image.manifest.digest);
    expect(result.stdout).toContain(`http requests go through the proxy ${proxy.url}`);
    const relayed = proxy.requests();
    // Every request to an http registry goes to the proxy in absolute form (https ones would tunnel with
    // CONNECT): to the source registry, its token service and the destination registry.
    const realm = new URL(e.TOKEN_REALM).host;
    for (const host of [e.REGISTRY_TOKEN, realm, e.REGISTRY_BASIC]) {
      expect(relayed).toContainEqual(expect.stringMatching(new RegExp(`^[A-Z]+ http://${host}/`)));
    }
    expect(relayed.filter((line) => line.startsWith('CONNECT '))).toEqual([]);
    // The 3 MiB layer is streamed, in absolute form through the proxy too.
    expect(relayed).toContainEqual(
      expect.stringMatching(
        new RegExp(`^(PATCH|PUT) http://${e.REGISTRY_BASIC}/v2/${repository}/blobs/uploads/`),
      ),
    );
    // The copy is whole.
    const copied = await stackClient(e).client.getManifest(
      parseReference(`${e.REGISTRY_BASIC}/${repository}:v1`),
    );
    expect(copied.bytes.equals(image.manifest.bytes)).toBe(true);
  });

  it('a proxy URL with a password: masked before anything is logged, never printed; a bad proxy URL is refused', async () => {
    const password = 'proxy-Sentinel-5c1e';
    const withUser = proxy.url.replace('http://', `http://builder:${password}@`);
    const { result } = await promote({ HTTP_PROXY: withUser, NO_PROXY: '' });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    const firstUse = lines.findIndex((line) => line.includes(password));
    expect(lines[firstUse]).toBe(`::add-mask::${password}`);
    expect(lines.filter((line) => line.includes(password) && !line.startsWith('::add-mask::'))).toEqual([]);
    expect(result.stdout).toContain(`http requests go through the proxy ${proxy.url}`);
    expect(proxy.requests().length).toBeGreaterThan(0);

    const bad = await promote({ HTTP_PROXY: 'http://[not a url', NO_PROXY: '' });
    expect(bad.result.code).not.toBe(0);
    expect(bad.result.stdout).toContain('The proxy setting HTTP_PROXY is not a URL');

    // A password with a bare % (not percent-encoding) is taken as written, and masked in every form.
    const odd = '50%off-Sentinel';
    const lenient = await promote({
      http_proxy: proxy.url.replace('http://', `http://builder:${odd}@`),
      NO_PROXY: '',
    });
    expect(lenient.result.code).toBe(0);
    expect(lenient.result.stdout).toContain(`::add-mask::${odd.replace('%', '%25')}`); // % is escaped in commands
    const basic = Buffer.from(`builder:${odd}`).toString('base64');
    expect(lenient.result.stdout).toContain(`::add-mask::${basic}`);
  });

  it('NO_PROXY: hosts it names are reached directly (the proxy relays nothing)', async () => {
    const { result } = await promote({
      http_proxy: proxy.url,
      HTTP_PROXY: '',
      no_proxy: 'example.test, 127.0.0.1',
    });
    expect(result.code).toBe(0);
    expect(result.outputs.digest).toBe(image.manifest.digest);
    expect(proxy.requests()).toEqual([]);
  });

  it('a proxy that is down: the failure names the proxy setting, not "fetch failed"', async () => {
    await proxy.stop();
    const { result } = await promote({ HTTP_PROXY: proxy.url, NO_PROXY: '' });
    expect(result.code).not.toBe(0);
    expect(result.stdout).not.toContain('fetch failed');
    const proxyHost = new URL(proxy.url).host;
    expect(result.stdout).toMatch(
      new RegExp(
        `could not reach 127\\.0\\.0\\.1:\\d+ through the proxy ${proxyHost.replace(/\./g, '\\.')}: the connection was refused`,
      ),
    );
    expect(result.stdout).toContain(`the proxy at ${proxyHost} must run`);
    proxy = await startTinyproxy();
  });
});
