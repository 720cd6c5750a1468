import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference } from '../../src/registry/index.js';
import type { FaultProxy } from '../support/fault-proxy.js';
import {
  makeImage,
  pushImage,
  stackClient,
  tarWithFile,
  uniqueTag,
  type MadeImage,
} from '../support/registry.js';
import { describeWithStack } from '../support/stack.js';
import { stackJob } from '../support/step.js';
import {
  ACTION_AGENT,
  DOCKER_AGENT,
  fired,
  inspectArchive,
  inspectDockerImage,
  inspectLayout,
  inspectTag,
  judge,
  removeDockerImages,
  timed,
  withProxy,
  type Expectation,
} from './faults-support.js';

// Faults injected by a proxy (__tests__/support/fault-proxy.ts) in front of the stand-in's real registries, while
// the bundle publishes, pulls and promotes as the runner runs it. Transient faults (5xx bursts, 429s, cut
// connections, truncated bodies, slow answers, a failing token service, a registry restarted mid-push) must be
// survived with the fault-free digest; corruption must be detected (exit 1, the digest named, nothing written);
// no tag may point at missing or wrong content; every case ends within its bound.
const EXAMPLE = join(import.meta.dirname ?? process.cwd(), '..', '..', 'examples', 'hello');
const KIB = 1024;
const MIB = 1024 * KIB;
/** Bounds: the action's own retries back off for seconds at most; docker waits 5 s, then 10 s, per retry. */
const CLIENT_BOUND = 30_000;
const DOCKER_BOUND = 60_000;

/** An image with one random layer of `bytes` (gzip leaves random bytes as big), so uploads stream a PATCH. */
const bigImage = (bytes = 3 * MIB): MadeImage =>
  makeImage({ layerBytes: tarWithFile('big.bin', randomBytes(bytes)) });
const configOf = (image: MadeImage): string =>
  (JSON.parse(image.manifest.bytes.toString('utf8')) as { config: { digest: string } }).config.digest;
const layerOf = (image: MadeImage): string =>
  (JSON.parse(image.manifest.bytes.toString('utf8')) as { layers: { digest: string }[] }).layers[0]?.digest ??
  '';
/** A path pattern for GETs of one blob. */
const blobPath = (digest: string): RegExp => new RegExp(`/blobs/${digest}$`);
const MANIFESTS = /\/manifests\//;
const BLOBS = /\/blobs\/sha256:/;
/** An upload POST, a mount attempt included (docker may try one before it uploads). */
const UPLOAD_POST = /\/blobs\/uploads\/(\?|$)/;
const UPLOADS = /\/blobs\/uploads\/./;
const UPLOAD_PUT = /\/blobs\/uploads\/.*[?&]digest=/;

describeWithStack('faults through a fault proxy in front of the real registry', (stack) => {
  const e = stack.env;
  const basic = `http://${e.REGISTRY_BASIC}`;
  const anonymous = `http://${e.REGISTRY_ANONYMOUS}`;
  /** Reads the stand-in directly (never through a proxy): what a case left behind. */
  const direct = stackClient(e).client;
  const timings: string[] = [];
  const temps: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'faults-adv-'));
    temps.push(dir);
    return dir;
  };
  /** The bundle's registry is `proxy`, with the basic registry's user (the proxy fronts that registry). */
  const via = (proxy: FaultProxy) => ({
    registry: proxy.host,
    username: e.BASIC_USER,
    password: e.BASIC_PASSWORD,
  });
  /** Runs one case's step, timed; the time goes to the table printed at the end. */
  const measure = async <T>(name: string, step: () => Promise<T>) => {
    const ran = await timed(step);
    timings.push(`${name}: ${ran.ms} ms`);
    return ran;
  };

  /** The seed every pull and promote reads: a 3 MiB layer, in the basic and the anonymous registry. */
  const seed = bigImage();
  const seedRepo = `${e.OWNER}/faults-src-${uniqueTag('s')}`;

  beforeAll(async () => {
    await pushImage(direct, parseReference(`${e.REGISTRY_BASIC}/${seedRepo}:1`), seed);
    await pushImage(direct, parseReference(`${e.REGISTRY_ANONYMOUS}/${seedRepo}:1`), seed);
  });
  afterAll(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`\nfault cases, wall time:\n  ${timings.join('\n  ')}\n`);
  });

  describe('publish (docker builder)', () => {
    const TAGS = ['v1', 'v1-faults'];
    let baseline = '';
    /**
     * Publishes examples/hello through `proxy`, then drops the local tags the build made. The fault-free run's
     * tags stay until the end: they keep the built image, so every case's build is a cache hit (same image).
     */
    const localTags = (proxy: FaultProxy, repository: string) =>
      TAGS.map((tag) => `${proxy.host}/${repository}:${tag}`);
    let baselineTags: string[] = [];
    const publish = async (proxy: FaultProxy, repository: string, keepTags = false) => {
      try {
        return await stackJob(stack).main({
          ...via(proxy),
          command: 'publish',
          image: `${proxy.host}/${repository}`,
          tags: TAGS.join('\n'),
          builder: 'docker',
          context: EXAMPLE,
          'build-args': `BASE_IMAGE=${e.BASE_IMAGE}\nGREETING=Faults`,
        });
      } finally {
        if (keepTags) baselineTags = localTags(proxy, repository);
        else await removeDockerImages(stack.processEnv, localTags(proxy, repository));
      }
    };
    const tagsOf = async (repository: string) => {
      const [v1, faults] = [
        await inspectTag(direct, `${e.REGISTRY_BASIC}/${repository}:${TAGS[0]}`, baseline),
        await inspectTag(direct, `${e.REGISTRY_BASIC}/${repository}:${TAGS[1]}`, baseline),
      ];
      return { v1, 'v1-faults': faults };
    };

    // docker mounts a layer it pushed to another repository of the same registry host (a proxy port it saw in
    // an earlier case or run) instead of uploading it: the publish proxies decline mounts, so every case
    // uploads its layers through the faults.
    const NO_MOUNTS = { noMounts: true };

    // The fault-free result, through a proxy without rules.
    beforeAll(async () => {
      await withProxy(
        basic,
        async (proxy) => {
          const result = await publish(proxy, `${e.OWNER}/faults-pub-${uniqueTag('base')}`, true);
          if (result.code !== 0) throw new Error(`the fault-free publish failed:\n${result.stdout}`);
          baseline = result.outputs.digest ?? '';
        },
        NO_MOUNTS,
      );
    });
    afterAll(() => removeDockerImages(stack.processEnv, baselineTags));

    /** Publishes through a fresh proxy armed by `arrange`, and judges the case. */
    const publishCase = (
      expectation: Expectation,
      arrange: (proxy: FaultProxy) => void,
      extra: (proxy: FaultProxy) => (string | undefined)[],
    ) =>
      withProxy(
        basic,
        async (proxy) => {
          arrange(proxy);
          const repository = `${e.OWNER}/faults-pub-${uniqueTag('p')}`;
          const { value: result, ms } = await measure(expectation.name, () => publish(proxy, repository));
          const found = await tagsOf(repository);
          const detect = expectation.expect === 'detect';
          judge(expectation, {
            result,
            ms,
            digest: baseline,
            // Detection: the tag docker pushed was written before the action read it back (it must be intact);
            // the tag the action writes must not be.
            written: detect ? { 'v1-faults': found['v1-faults'] } : found,
            kept: detect ? { v1: found.v1 } : undefined,
            extra: extra(proxy),
          });
        },
        NO_MOUNTS,
      );

    it('survives 503 x3 on manifest GET and 500 x2 on the tag PUT of its own registry work', async () => {
      await publishCase(
        {
          name: 'publish: 503 x3 manifest GET, 500 x2 manifest PUT',
          expect: 'survive',
          boundMs: DOCKER_BOUND,
        },
        (proxy) => {
          const status = (code: number) => ({ kind: 'status', status: code }) as const;
          proxy.addRule({
            method: 'GET',
            path: MANIFESTS,
            userAgent: ACTION_AGENT,
            times: 3,
            fault: status(503),
          });
          proxy.addRule({ method: 'PUT', path: /\/manifests\/v1-faults$/, times: 2, fault: status(500) });
        },
        (proxy) => [fired(proxy, 'status 503', 3), fired(proxy, 'status 500', 2)],
      );
    });

    it('survives 503 on a layer upload PATCH and 500 on an upload PUT while docker pushes', async () => {
      await publishCase(
        {
          name: 'publish: 503 upload PATCH, 500 upload PUT (docker)',
          expect: 'survive',
          boundMs: DOCKER_BOUND,
        },
        (proxy) => {
          proxy.addRule({
            method: 'PATCH',
            path: UPLOADS,
            userAgent: DOCKER_AGENT,
            fault: { kind: 'status', status: 503 },
          });
          proxy.addRule({
            method: 'PUT',
            path: UPLOAD_PUT,
            userAgent: DOCKER_AGENT,
            fault: { kind: 'status', status: 500 },
          });
        },
        (proxy) => [fired(proxy, 'status 503'), fired(proxy, 'status 500')],
      );
    });

    it('survives a connection cut mid-blob while docker uploads a layer (after 256 KiB)', async () => {
      await publishCase(
        { name: 'publish: connection cut mid-blob upload', expect: 'survive', boundMs: DOCKER_BOUND },
        (proxy) =>
          proxy.addRule({
            method: 'PATCH',
            path: UPLOADS,
            userAgent: DOCKER_AGENT,
            fault: { kind: 'cut-request', bytes: 256 * KIB },
          }),
        (proxy) => [fired(proxy, 'cut-request 262144')],
      );
    });

    it('survives the registry restarting mid-push (a 2 s outage after 256 KiB of a layer upload)', async () => {
      await publishCase(
        { name: 'publish: registry restarted mid-push', expect: 'survive', boundMs: DOCKER_BOUND },
        (proxy) =>
          proxy.addRule({
            method: 'PATCH',
            path: UPLOADS,
            userAgent: DOCKER_AGENT,
            fault: { kind: 'outage', ms: 2000, afterBytes: 256 * KIB },
          }),
        (proxy) => [fired(proxy, 'outage 2000')],
      );
    });

    it('survives 429 with Retry-After: 1 on the push-permission check and 429 without it on the read-back', async () => {
      await publishCase(
        { name: 'publish: 429 with and without Retry-After', expect: 'survive', boundMs: DOCKER_BOUND },
        (proxy) => {
          proxy.addRule({
            method: 'POST',
            path: UPLOAD_POST,
            userAgent: ACTION_AGENT,
            fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
          });
          proxy.addRule({
            method: 'GET',
            path: MANIFESTS,
            userAgent: ACTION_AGENT,
            fault: { kind: 'status', status: 429 },
          });
        },
        (proxy) => [fired(proxy, 'status 429', 2)],
      );
    });

    it('detects a corrupted manifest on the read-back: exit 1, the digest named, the other tag never written', async () => {
      await publishCase(
        { name: 'publish: corrupted manifest read back', expect: 'detect', boundMs: DOCKER_BOUND },
        (proxy) =>
          proxy.addRule({
            method: 'GET',
            path: MANIFESTS,
            userAgent: ACTION_AGENT,
            times: Infinity,
            fault: { kind: 'corrupt' },
          }),
        (proxy) => [fired(proxy, 'corrupt')],
      );
    });

    // docker does not retry a manifest PUT: the action pushes again (src/docker/cli.ts, transient failures).
    it('survives 503 once on the manifest PUT of the tag docker pushes', async () => {
      await publishCase(
        { name: 'publish: 503 once on docker manifest PUT', expect: 'survive', boundMs: DOCKER_BOUND },
        (proxy) =>
          proxy.addRule({
            method: 'PUT',
            path: /\/manifests\/v1$/,
            userAgent: DOCKER_AGENT,
            fault: { kind: 'status', status: 503 },
          }),
        (proxy) => [fired(proxy, 'status 503')],
      );
    });

    // docker gives up on the first 429 of a blob upload ("error parsing HTTP 429 response body"), Retry-After or
    // not: the action pushes again.
    it('survives 429 with Retry-After: 1 on the blob upload docker starts', async () => {
      await publishCase(
        { name: 'publish: 429 on docker blob upload', expect: 'survive', boundMs: DOCKER_BOUND },
        (proxy) =>
          proxy.addRule({
            method: 'POST',
            path: UPLOAD_POST,
            userAgent: DOCKER_AGENT,
            fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
          }),
        (proxy) => [fired(proxy, 'status 429')],
      );
    });
  });

  describe('pull', () => {
    const layer = layerOf(seed);
    type Kind = 'oci-layout' | 'docker-archive';
    /** Pulls the seed through a fresh proxy armed by `arrange` to an OCI layout or a docker archive. */
    const pullCase = (
      expectation: Expectation,
      kind: Kind,
      arrange: (proxy: FaultProxy) => void,
      extra: (proxy: FaultProxy, ms: number) => (string | undefined)[],
    ) =>
      withProxy(basic, async (proxy) => {
        arrange(proxy);
        const path = join(tempDir(), kind === 'oci-layout' ? 'layout' : 'image.tar');
        const { value: result, ms } = await measure(expectation.name, () =>
          stackJob(stack).main({
            ...via(proxy),
            command: 'pull',
            source: `${proxy.host}/${seedRepo}:1`,
            destination: `${kind}:${path}`,
          }),
        );
        const found =
          kind === 'oci-layout'
            ? inspectLayout(path, '1', seed.manifest.digest)
            : inspectArchive(path, configOf(seed));
        judge(expectation, {
          result,
          ms,
          digest: seed.manifest.digest,
          written: { [kind]: found },
          extra: extra(proxy, ms),
        });
      });

    it('survives 500 x3 on blob GET (OCI layout)', async () => {
      await pullCase(
        { name: 'pull oci-layout: 500 x3 blob GET', expect: 'survive', boundMs: CLIENT_BOUND },
        'oci-layout',
        (proxy) =>
          proxy.addRule({ method: 'GET', path: BLOBS, times: 3, fault: { kind: 'status', status: 500 } }),
        (proxy) => [fired(proxy, 'status 500', 3)],
      );
    });

    it('survives 503 x2 on manifest GET and 503 x2 on blob GET (docker archive)', async () => {
      await pullCase(
        {
          name: 'pull docker-archive: 503 x2 manifest GET, 503 x2 blob GET',
          expect: 'survive',
          boundMs: CLIENT_BOUND,
        },
        'docker-archive',
        (proxy) => {
          proxy.addRule({ method: 'GET', path: MANIFESTS, times: 2, fault: { kind: 'status', status: 503 } });
          proxy.addRule({ method: 'GET', path: BLOBS, times: 2, fault: { kind: 'status', status: 503 } });
        },
        (proxy) => [fired(proxy, 'status 503', 4)],
      );
    });

    it('survives a connection cut mid-blob (after 1 MiB of the layer) and then a dropped connection (OCI layout)', async () => {
      await pullCase(
        {
          name: 'pull oci-layout: connection cut mid-blob download',
          expect: 'survive',
          boundMs: CLIENT_BOUND,
        },
        'oci-layout',
        (proxy) => {
          proxy.addRule({ method: 'GET', path: blobPath(layer), fault: { kind: 'truncate', bytes: MIB } });
          proxy.addRule({ method: 'GET', path: blobPath(layer), fault: { kind: 'drop' } });
        },
        (proxy) => [fired(proxy, `truncate ${MIB}`), fired(proxy, 'drop')],
      );
    });

    it('survives a truncated manifest body and 429 without Retry-After on a blob GET (docker archive)', async () => {
      await pullCase(
        {
          name: 'pull docker-archive: truncated manifest, 429 blob GET',
          expect: 'survive',
          boundMs: CLIENT_BOUND,
        },
        'docker-archive',
        (proxy) => {
          proxy.addRule({ method: 'GET', path: MANIFESTS, fault: { kind: 'truncate', bytes: 100 } });
          proxy.addRule({ method: 'GET', path: blobPath(layer), fault: { kind: 'status', status: 429 } });
        },
        (proxy) => [fired(proxy, 'truncate 100'), fired(proxy, 'status 429')],
      );
    });

    it('detects a corrupted blob: exit 1, the digest named, no layout written', async () => {
      await pullCase(
        { name: 'pull oci-layout: corrupted blob', expect: 'detect', boundMs: CLIENT_BOUND },
        'oci-layout',
        (proxy) =>
          proxy.addRule({
            method: 'GET',
            path: blobPath(layer),
            times: Infinity,
            fault: { kind: 'corrupt' },
          }),
        (proxy) => [fired(proxy, 'corrupt')],
      );
    });

    it('detects a corrupted manifest: exit 1, the digest named, no archive written', async () => {
      await pullCase(
        { name: 'pull docker-archive: corrupted manifest', expect: 'detect', boundMs: CLIENT_BOUND },
        'docker-archive',
        (proxy) =>
          proxy.addRule({ method: 'GET', path: MANIFESTS, times: Infinity, fault: { kind: 'corrupt' } }),
        (proxy) => [fired(proxy, 'corrupt')],
      );
    });

    it('survives slow answers near the limits: 5 s before the manifest answers, the layer trickling for ~5 s', async () => {
      await pullCase(
        { name: 'pull oci-layout: 5 s delay, 5 s trickle', expect: 'survive', boundMs: CLIENT_BOUND },
        'oci-layout',
        (proxy) => {
          proxy.addRule({ method: 'GET', path: MANIFESTS, fault: { kind: 'delay', ms: 5000 } });
          proxy.addRule({
            method: 'GET',
            path: blobPath(layer),
            fault: { kind: 'trickle', bytes: 64 * KIB, everyMs: 100 },
          });
        },
        (proxy, ms) => [
          fired(proxy, 'delay 5000'),
          fired(proxy, `trickle ${64 * KIB}/100`),
          ms >= 9000 ? undefined : `the run took ${ms} ms: the slow answers were not waited for`,
        ],
      );
    });

    describe('into docker', () => {
      /** Pulls a fresh image (layers docker has never seen) into docker through a proxy armed by `arrange`. */
      const dockerCase = (
        expectation: Expectation,
        arrange: (proxy: FaultProxy, image: MadeImage) => void,
        extra: (proxy: FaultProxy) => (string | undefined)[],
      ) =>
        withProxy(basic, async (proxy) => {
          const image = bigImage(2 * MIB);
          const repository = `${e.OWNER}/faults-pull-docker-${uniqueTag('d')}`;
          await pushImage(direct, parseReference(`${e.REGISTRY_BASIC}/${repository}:1`), image);
          arrange(proxy, image);
          const name = `${proxy.host}/${repository}`;
          try {
            const { value: result, ms } = await measure(expectation.name, () =>
              stackJob(stack).main({ ...via(proxy), command: 'pull', source: `${name}:1` }),
            );
            const env = stack.processEnv;
            judge(expectation, {
              result,
              ms,
              digest: image.manifest.digest,
              written: {
                [`${name}@digest`]: await inspectDockerImage(
                  env,
                  `${name}@${image.manifest.digest}`,
                  configOf(image),
                ),
                [`${name}:1`]: await inspectDockerImage(env, `${name}:1`, configOf(image)),
              },
              extra: extra(proxy),
            });
          } finally {
            await removeDockerImages(stack.processEnv, [`${name}@${image.manifest.digest}`, `${name}:1`]);
          }
        });

      it("survives 503 x2 on docker's blob GETs and 429 with Retry-After: 1 on the action's manifest GET", async () => {
        await dockerCase(
          {
            name: 'pull docker: 503 x2 blob GET, 429 manifest GET',
            expect: 'survive',
            boundMs: DOCKER_BOUND,
          },
          (proxy) => {
            proxy.addRule({
              method: 'GET',
              path: MANIFESTS,
              userAgent: ACTION_AGENT,
              fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
            });
            proxy.addRule({
              method: 'GET',
              path: BLOBS,
              userAgent: DOCKER_AGENT,
              times: 2,
              fault: { kind: 'status', status: 503 },
            });
          },
          (proxy) => [fired(proxy, 'status 429'), fired(proxy, 'status 503', 2)],
        );
      });

      it('survives a connection cut mid-layer (after 512 KiB) while docker downloads it', async () => {
        await dockerCase(
          { name: 'pull docker: connection cut mid-blob download', expect: 'survive', boundMs: DOCKER_BOUND },
          (proxy, image) =>
            proxy.addRule({
              method: 'GET',
              path: blobPath(layerOf(image)),
              userAgent: DOCKER_AGENT,
              fault: { kind: 'truncate', bytes: 512 * KIB },
            }),
          (proxy) => [fired(proxy, `truncate ${512 * KIB}`)],
        );
      });

      // docker gives up on a 429 for the image config ("error pulling image configuration: download failed after
      // attempts=1: error parsing HTTP 429 response body"): the action pulls again (by digest: the same image).
      it('survives 429 without Retry-After on the image config docker fetches', async () => {
        await dockerCase(
          { name: 'pull docker: 429 on docker config GET', expect: 'survive', boundMs: DOCKER_BOUND },
          (proxy, image) =>
            proxy.addRule({
              method: 'GET',
              path: blobPath(configOf(image)),
              userAgent: DOCKER_AGENT,
              fault: { kind: 'status', status: 429 },
            }),
          (proxy) => [fired(proxy, 'status 429')],
        );
      });
    });
  });

  describe('the token service failing once', () => {
    const tokenRealm = new URL(e.TOKEN_REALM);
    const tokenRepo = `${e.OWNER}/faults-token-${uniqueTag('t')}`;
    const tokenSeed = bigImage(2 * MIB);
    const tokenDirect = (reference: string, expected: string) => inspectTag(direct, reference, expected);

    beforeAll(async () => {
      await pushImage(direct, parseReference(`${e.REGISTRY_TOKEN}/${tokenRepo}:1`), tokenSeed);
    });

    /**
     * A proxy in front of the token service that answers its first token request with 503, and one in front of
     * the token registry whose challenges name that proxy as the realm.
     */
    const throughTokenProxies = (body: (registry: FaultProxy, tokens: FaultProxy) => Promise<void>) =>
      withProxy(tokenRealm.origin, (tokens) =>
        withProxy(
          `http://${e.REGISTRY_TOKEN}`,
          async (registry) => {
            tokens.addRule({ path: /^\/token/, fault: { kind: 'status', status: 503 } });
            await body(registry, tokens);
          },
          { realm: `${tokens.url}${tokenRealm.pathname}` },
        ),
      );
    const tokenFired = (tokens: FaultProxy) => [
      fired(tokens, 'status 503'),
      tokens.requests.some((r) => r.status === 200) ? undefined : 'no token was issued after the 503',
    ];

    it('pull to an OCI layout succeeds (GITHUB_TOKEN through the token registry)', async () => {
      await throughTokenProxies(async (registry, tokens) => {
        const name = 'pull oci-layout: token service 503 once';
        const path = join(tempDir(), 'layout');
        const { value: result, ms } = await measure(name, () =>
          stackJob(stack).main({
            registry: registry.host,
            'github-token': e.TOKEN_GHS_WRITE,
            command: 'pull',
            source: `${registry.host}/${tokenRepo}:1`,
            destination: `oci-layout:${path}`,
          }),
        );
        judge(
          { name, expect: 'survive', boundMs: CLIENT_BOUND },
          {
            result,
            ms,
            digest: tokenSeed.manifest.digest,
            written: { 'oci-layout': inspectLayout(path, '1', tokenSeed.manifest.digest) },
            extra: tokenFired(tokens),
          },
        );
      });
    });

    it('promote across repositories succeeds (GITHUB_TOKEN through the token registry)', async () => {
      await throughTokenProxies(async (registry, tokens) => {
        const name = 'promote cross-repository: token service 503 once';
        const target = `${e.OWNER}/faults-token-m-${uniqueTag('m')}`;
        const { value: result, ms } = await measure(name, () =>
          stackJob(stack).main({
            registry: registry.host,
            'github-token': e.TOKEN_GHS_WRITE,
            command: 'promote',
            source: `${registry.host}/${tokenRepo}:1`,
            image: `${registry.host}/${target}`,
            tags: 'release',
          }),
        );
        judge(
          { name, expect: 'survive', boundMs: CLIENT_BOUND },
          {
            result,
            ms,
            digest: tokenSeed.manifest.digest,
            written: {
              [`${target}:release`]: await tokenDirect(
                `${e.REGISTRY_TOKEN}/${target}:release`,
                tokenSeed.manifest.digest,
              ),
            },
            extra: [...tokenFired(tokens), /2 blobs mounted/.test(result.stdout) ? undefined : 'not mounted'],
          },
        );
      });
    });
  });

  describe('promote', () => {
    const layer = layerOf(seed);
    /**
     * Promotes the seed as `release` to a new repository through fresh proxies: within the basic registry
     * (cross-repository: source and destination behind one proxy), or from the anonymous registry behind one
     * proxy to the basic registry behind another (cross-registry).
     */
    const promoteCase = (
      expectation: Expectation,
      how: 'cross-repository' | 'cross-registry',
      arrange: (destination: FaultProxy, source: FaultProxy) => void,
      extra: (destination: FaultProxy, source: FaultProxy, ms: number) => (string | undefined)[],
    ) =>
      withProxy(basic, (destination) =>
        withProxy(anonymous, async (otherRegistry) => {
          const source = how === 'cross-repository' ? destination : otherRegistry;
          arrange(destination, source);
          const target = `${e.OWNER}/faults-promote-${uniqueTag('p')}`;
          const { value: result, ms } = await measure(expectation.name, () =>
            stackJob(stack).main({
              ...via(destination),
              command: 'promote',
              source: `${source.host}/${seedRepo}:1`,
              image: `${destination.host}/${target}`,
              tags: 'release',
            }),
          );
          const tag = await inspectTag(direct, `${e.REGISTRY_BASIC}/${target}:release`, seed.manifest.digest);
          judge(expectation, {
            result,
            ms,
            digest: seed.manifest.digest,
            written: { [`${target}:release`]: tag },
            extra: extra(destination, source, ms),
          });
        }),
      );

    it('across repositories: survives 500 x2 on the mount POST and 503 x3 on the tag PUT', async () => {
      await promoteCase(
        {
          name: 'promote cross-repository: 500 x2 mount, 503 x3 tag PUT',
          expect: 'survive',
          boundMs: CLIENT_BOUND,
        },
        'cross-repository',
        (proxy) => {
          proxy.addRule({
            method: 'POST',
            path: /[?&]mount=/,
            times: 2,
            fault: { kind: 'status', status: 500 },
          });
          proxy.addRule({
            method: 'PUT',
            path: /\/manifests\/release$/,
            times: 3,
            fault: { kind: 'status', status: 503 },
          });
        },
        (proxy) => [fired(proxy, 'status 500', 2), fired(proxy, 'status 503', 3)],
      );
    });

    it('across repositories: survives 429 with Retry-After: 1 on the source manifest GET and 429 without it on a HEAD', async () => {
      await promoteCase(
        {
          name: 'promote cross-repository: 429 with and without Retry-After',
          expect: 'survive',
          boundMs: CLIENT_BOUND,
        },
        'cross-repository',
        (proxy) => {
          proxy.addRule({
            method: 'GET',
            path: MANIFESTS,
            fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
          });
          proxy.addRule({ method: 'HEAD', path: MANIFESTS, fault: { kind: 'status', status: 429 } });
        },
        (proxy, _source, ms) => [
          fired(proxy, 'status 429', 2),
          ms >= 1000 ? undefined : `the run took ${ms} ms: Retry-After: 1 was not honoured`,
        ],
      );
    });

    it('across repositories: detects a corrupted source manifest, no tag written', async () => {
      await promoteCase(
        { name: 'promote cross-repository: corrupted manifest', expect: 'detect', boundMs: CLIENT_BOUND },
        'cross-repository',
        (proxy) =>
          proxy.addRule({ method: 'GET', path: MANIFESTS, times: Infinity, fault: { kind: 'corrupt' } }),
        (proxy) => [fired(proxy, 'corrupt')],
      );
    });

    it('across registries: survives 500 x3 on the source blob GET, 503 x2 on the upload PATCH, 500 on an upload PUT', async () => {
      await promoteCase(
        {
          name: 'promote cross-registry: 5xx bursts on blob GET, PATCH, PUT',
          expect: 'survive',
          boundMs: CLIENT_BOUND,
        },
        'cross-registry',
        (destination, source) => {
          source.addRule({ method: 'GET', path: BLOBS, times: 3, fault: { kind: 'status', status: 500 } });
          destination.addRule({
            method: 'PATCH',
            path: UPLOADS,
            times: 2,
            fault: { kind: 'status', status: 503 },
          });
          destination.addRule({ method: 'PUT', path: UPLOAD_PUT, fault: { kind: 'status', status: 500 } });
        },
        (destination, source) => [
          fired(source, 'status 500', 3),
          fired(destination, 'status 503', 2),
          fired(destination, 'status 500'),
        ],
      );
    });

    it('across registries: survives connections cut mid-blob both ways and a truncated source manifest', async () => {
      await promoteCase(
        {
          name: 'promote cross-registry: cut mid-blob both ways, truncated manifest',
          expect: 'survive',
          boundMs: CLIENT_BOUND,
        },
        'cross-registry',
        (destination, source) => {
          source.addRule({ method: 'GET', path: MANIFESTS, fault: { kind: 'truncate', bytes: 100 } });
          source.addRule({ method: 'GET', path: blobPath(layer), fault: { kind: 'truncate', bytes: MIB } });
          destination.addRule({
            method: 'PATCH',
            path: UPLOADS,
            fault: { kind: 'cut-request', bytes: 512 * KIB },
          });
        },
        (destination, source) => [
          fired(source, 'truncate 100'),
          fired(source, `truncate ${MIB}`),
          fired(destination, `cut-request ${512 * KIB}`),
        ],
      );
    });

    it('across registries: survives the registry restarting mid-push (a 2 s outage after 1 MiB of the layer upload)', async () => {
      await promoteCase(
        {
          name: 'promote cross-registry: registry restarted mid-push',
          expect: 'survive',
          boundMs: CLIENT_BOUND,
        },
        'cross-registry',
        (destination) =>
          destination.addRule({
            method: 'PATCH',
            path: UPLOADS,
            fault: { kind: 'outage', ms: 2000, afterBytes: MIB },
          }),
        (destination) => [
          fired(destination, 'outage 2000'),
          destination.refused > 0 ? undefined : 'no connection was refused during the outage',
        ],
      );
    });

    it('across registries: detects a corrupted source blob, no tag written', async () => {
      await promoteCase(
        { name: 'promote cross-registry: corrupted blob', expect: 'detect', boundMs: CLIENT_BOUND },
        'cross-registry',
        (_destination, source) =>
          source.addRule({
            method: 'GET',
            path: blobPath(layer),
            times: Infinity,
            fault: { kind: 'corrupt' },
          }),
        (_destination, source) => [fired(source, 'corrupt')],
      );
    });

    it('across registries: survives slow answers near the limits: the layer trickling for ~5 s, 5 s before the tag PUT answers', async () => {
      await promoteCase(
        { name: 'promote cross-registry: 5 s trickle, 5 s delay', expect: 'survive', boundMs: CLIENT_BOUND },
        'cross-registry',
        (destination, source) => {
          source.addRule({
            method: 'GET',
            path: blobPath(layer),
            fault: { kind: 'trickle', bytes: 64 * KIB, everyMs: 100 },
          });
          destination.addRule({
            method: 'PUT',
            path: /\/manifests\/release$/,
            fault: { kind: 'delay', ms: 5000 },
          });
        },
        (destination, source, ms) => [
          fired(source, `trickle ${64 * KIB}/100`),
          fired(destination, 'delay 5000'),
          ms >= 9000 ? undefined : `the run took ${ms} ms: the slow answers were not waited for`,
        ],
      );
    });
  });
});
