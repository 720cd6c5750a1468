import { afterAll, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../src/registry/digest.js';
import { MediaType, type Descriptor } from '../../src/registry/manifests.js';
import {
  sendError,
  serveBlobs,
  startHostileRegistry,
  startThief,
  streamFiller,
  trickle,
  type HostileRegistry,
  type Recorded,
  type RegistryAuth,
  type Thief,
  type ThiefAnswer,
} from '../support/hostile-registry.js';
import { makeImage, type MadeImage } from '../support/registry.js';
import { describeWithStack } from '../support/stack.js';
import {
  basicHeader,
  hex,
  hostileJob,
  judgeRun,
  MIB,
  namesUnder,
  recordScenario,
  runHostile,
  type HostileJob,
  type HostileRun,
  type Verdict,
} from './hostile-support.js';
import type { Secret } from './secrets-scan.js';

// A hostile registry (__tests__/support/hostile-registry.ts) against the bundle as the runner runs it. Every byte
// and header from a registry, its CDN, and whatever its redirects, Link headers, upload Locations and token
// realms name is untrusted: credentials go to the registry's own origin only (a thief on another origin gets
// none), network text cannot inject workflow commands, a digest cannot name a file outside the destination,
// and bodies are bounded in size and time (peak RSS measured with the RSS probe). Each scenario records its leaks
// and escapes (outcomes.ts); every run is also searched for its secrets in stdout, stderr and the runner files.

const REPO = 'owner/app';
const USER = 'hostile-user';
/** Paths the action may ask the hostile registry for when it reads `owner/app` (the traversal scenario). */
const EXPECTED_PATH =
  /^(?:\/v2\/?|\/token(?:\?.*)?|\/v2\/owner\/app\/tags\/list\?n=\d+|\/v2\/owner\/app\/manifests\/(?:v1|sha256:[0-9a-f]{64})|\/v2\/owner\/app\/blobs\/sha256:[0-9a-f]{64})$/;

const manifestJson = (image: MadeImage) =>
  JSON.parse(image.manifest.bytes.toString('utf8')) as {
    config: Partial<Descriptor>;
    layers: Partial<Descriptor>[];
    mediaType?: string;
  };
const authorized = (requests: Recorded[]) =>
  requests
    .filter((r) => r.authorization)
    .map((r) => `${r.method} ${r.path}: ${r.authorization?.split(' ')[0]}`);
const tokenRequests = (requests: Recorded[]) => requests.filter((r) => r.path.startsWith('/token')).length;
const layoutEmpty = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;

describeWithStack('adversarial: hostile registries, their CDNs and whatever they name', (stack) => {
  const e = stack.env;
  const run = `${process.pid}-${Date.now().toString(36)}`;
  const closers: (() => Promise<void>)[] = [];
  const temps: string[] = [];
  const timings: string[] = [];

  const registry = async (auth?: RegistryAuth): Promise<HostileRegistry> => {
    const started = await startHostileRegistry(auth);
    closers.push(started.close);
    return started;
  };
  const thief = async (answer?: ThiefAnswer): Promise<Thief> => {
    const started = await startThief(answer);
    closers.push(started.close);
    return started;
  };
  const job = (extra: NodeJS.ProcessEnv = {}): HostileJob => {
    const made = hostileJob(e, extra);
    temps.push(made.root);
    return made;
  };
  const note = (name: string, r: HostileRun): void => {
    const error = r.error.replace(/\s+/g, ' ').slice(0, 400);
    timings.push(
      `${name}: exit ${r.result.code}, ${r.ms} ms${r.rssMiB === undefined ? '' : `, peak RSS ${r.rssMiB} MiB`}${error ? `\n    error: ${error}` : ''}`,
    );
  };
  /** A registry behind Basic auth with a sentinel password, and the inputs that log in to it. */
  const basicRegistry = async () => {
    const password = `SENTINEL-hostile-password-${hex(12)}`;
    const reg = await registry({ kind: 'basic', username: USER, password });
    const secrets: Secret[] = [{ name: 'the sentinel password', value: password }];
    return { reg, password, secrets, inputs: { registry: reg.host, username: USER, password } };
  };
  /**
   * An anonymous run still has a GitHub token in `github-token` (the runner always passes github.token): the
   * registry is not GitHub's, so it must reach no server at all.
   */
  const anonymous = (reg: HostileRegistry) => {
    const decoy = `ghs_SENTINELdecoy${hex(12)}`;
    return {
      secrets: [{ name: 'the decoy GitHub token', value: decoy }] as Secret[],
      inputs: { registry: reg.host, 'github-token': decoy },
    };
  };
  const users = [USER, e.ACTOR, 'github-actions'];

  afterAll(async () => {
    for (const close of closers) await close();
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
    console.log(`hostile registries, timings:\n${timings.join('\n')}`);
  });

  it('1. a manifest GET redirected to a thief that challenges: no credential follows, the registry keeps its scheme', async () => {
    const { reg, password, secrets, inputs } = await basicRegistry();
    const t = await thief();
    reg.addImage(REPO, 'v1', makeImage());
    reg.on('manifest', (call) => {
      if (call.method !== 'GET') return false;
      call.res.writeHead(307, { Location: `${t.origin}/v2/${REPO}/manifests/v1` }).end();
    });
    const r = await runHostile(job(), { ...inputs, command: 'resolve', source: `${reg.host}/${REPO}:v1` });
    note('1 manifest redirect to a thief', r);
    const verdict = recordScenario('manifest redirected to a thief', [
      judgeRun(r, { secrets, users, servers: [{ where: 'thief', requests: t.received }] }),
    ]);
    const manifestGets = reg.requests.filter(
      (q) => q.method === 'GET' && q.path === `/v2/${REPO}/manifests/v1`,
    );
    expect({
      exit: r.result.code,
      thiefAuthorization: authorized(t.received),
      thiefTokenRequests: tokenRequests(t.received),
      bearerToRegistry: reg.requests.filter((q) => q.authorization?.startsWith('Bearer')).length,
      // The first GET may go out before the registry has said how to authenticate (no credentials at all).
      manifestGetsWithBasic:
        manifestGets.every((q) => !q.authorization || q.authorization === basicHeader(USER, password)) &&
        manifestGets.some((q) => q.authorization === basicHeader(USER, password)),
      ...verdict,
    }).toEqual({
      exit: 1,
      thiefAuthorization: [],
      thiefTokenRequests: 0,
      bearerToRegistry: 0,
      manifestGetsWithBasic: true,
      leaks: [],
      escapes: [],
    });
    expect(manifestGets.length).toBeGreaterThan(0);
  });

  it('2. a tag list whose next page is on a thief: the thief gets nothing, the missing tag is reported', async () => {
    const { reg, secrets, inputs } = await basicRegistry();
    const t = await thief();
    reg.addImage(REPO, 'v1', makeImage());
    reg.on('tags', (call) => {
      call.res.writeHead(200, {
        'Content-Type': 'application/json',
        Link: `<${t.origin}/v2/${REPO}/tags/list?n=1000&last=v1>; rel="next"`,
      });
      call.res.end(JSON.stringify({ name: REPO, tags: ['v1'] }));
    });
    const j = job();
    const r = await runHostile(j, {
      ...inputs,
      command: 'pull',
      source: `${reg.host}/${REPO}:nope`,
      destination: `oci-layout:${j.layout}`,
    });
    note('2 tag list Link to a thief', r);
    const verdict = recordScenario('tag list Link to a thief', [
      judgeRun(r, { secrets, users, servers: [{ where: 'thief', requests: t.received }] }),
    ]);
    expect({
      exit: r.result.code,
      thief: t.received.map((q) => `${q.method} ${q.path}`),
      namesTheTag: r.error.includes('nope'),
      listedTags: reg.requests.some((q) => q.path.startsWith(`/v2/${REPO}/tags/list?n=1000`)),
      ...verdict,
    }).toEqual({ exit: 1, thief: [], namesTheTag: true, listedTags: true, leaks: [], escapes: [] });
  });

  it('3. the push check: an upload Location on a thief that challenges never gets the password', async () => {
    const { reg, password, secrets, inputs } = await basicRegistry();
    const t = await thief();
    reg.addImage('owner/src', 'v1', makeImage());
    reg.on('upload', (call) => {
      if (call.method !== 'POST') return false;
      call.res.writeHead(202, { Location: `${t.origin}/upload/x`, 'Content-Length': '0' }).end();
    });
    const r = await runHostile(job(), {
      ...inputs,
      command: 'promote',
      source: `${reg.host}/owner/src:v1`,
      image: `${reg.host}/${REPO}`,
      tags: 'v1',
    });
    note('3 push check Location on a thief', r);
    const verdict = recordScenario('upload Location on a thief', [
      judgeRun(r, { secrets, users, servers: [{ where: 'thief', requests: t.received }] }),
    ]);
    expect({
      exit: r.result.code,
      pushChecked: reg.requests.some(
        (q) =>
          q.method === 'POST' &&
          q.path === `/v2/${REPO}/blobs/uploads/` &&
          q.authorization === basicHeader(USER, password),
      ),
      thiefAuthorization: authorized(t.received),
      thiefTokenRequests: tokenRequests(t.received),
      ...verdict,
    }).toEqual({
      exit: 1,
      pushChecked: true,
      thiefAuthorization: [],
      thiefTokenRequests: 0,
      leaks: [],
      escapes: [],
    });
    timings.push(
      `  3: the thief received ${t.received.map((q) => `${q.method} ${q.path}`).join(', ') || 'nothing'}`,
    );
  });

  it("4. GitHub's stand-in mode: a GitHub token never reaches the thief a manifest GET is redirected to", async () => {
    const token = `ghs_SENTINEL${hex(16)}`;
    const github = await thief((_req, res) => sendError(res, 404, 'NOT_FOUND', 'no API here'));
    const reg = await registry({ kind: 'bearer', username: e.ACTOR, password: token });
    const t = await thief();
    reg.addImage(REPO, 'v1', makeImage());
    reg.on('manifest', (call) => {
      if (call.method !== 'GET') return false;
      call.res.writeHead(307, { Location: `${t.origin}/v2/${REPO}/manifests/v1` }).end();
    });
    const j = job({ GITHUB_SERVER_URL: github.origin, GITHUB_API_URL: github.origin });
    const r = await runHostile(j, {
      registry: reg.host,
      'github-token': token,
      command: 'resolve',
      source: `${reg.host}/${REPO}:v1`,
    });
    note('4 GitHub token, manifest redirect to a thief', r);
    const secrets: Secret[] = [{ name: 'the sentinel GitHub token', value: token }];
    const verdict = recordScenario('GitHub token: manifest redirected to a thief', [
      judgeRun(r, { secrets, users, servers: [{ where: 'thief', requests: t.received }] }),
    ]);
    expect({
      exit: r.result.code,
      // The token went to the registry's own token endpoint: the run was in GitHub-token mode.
      tokenEndpointUsed: reg.requests.some(
        (q) => q.path.startsWith('/token') && q.authorization === basicHeader(e.ACTOR, token),
      ),
      thiefAuthorization: authorized(t.received),
      thiefTokenRequests: tokenRequests(t.received),
      ...verdict,
    }).toEqual({
      exit: 1,
      tokenEndpointUsed: true,
      thiefAuthorization: [],
      thiefTokenRequests: 0,
      leaks: [],
      escapes: [],
    });
  });

  it('5. a realm on another origin that answers with a body: the step is no probe, it says what failed and where', async () => {
    const marker = `MARKER-${hex(8)}`;
    const head = `{"errors":[{"code":"DENIED","message":"${marker} `;
    const tail = '"}]}';
    const body = `${head}${'x'.repeat(500 - head.length - tail.length)}${tail}`;
    const t = await thief((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
      res.end(body);
    });
    const reg = await registry({ kind: 'bearer', realm: `${t.origin}/token` });
    reg.addImage(REPO, 'v1', makeImage());
    const { secrets, inputs } = anonymous(reg);
    const r = await runHostile(job(), { ...inputs, command: 'resolve', source: `${reg.host}/${REPO}:v1` });
    note('5 realm on another origin', r);
    const verdict = recordScenario('realm on another origin as a probe', [
      judgeRun(r, {
        secrets,
        users,
        servers: [
          { where: 'thief', requests: t.received },
          { where: 'the registry', requests: reg.requests },
        ],
      }),
    ]);
    expect({
      exit: r.result.code,
      realmAsked: t.received.some((q) => q.path.startsWith('/token')),
      markerShown: `${r.result.stdout}${r.result.stderr}`.includes(marker),
      saysWhere: r.error.includes(`${t.origin}/token`),
      saysWhat: /token service|authenticat/i.test(r.error),
      ...verdict,
    }).toEqual({
      exit: 1,
      realmAsked: true,
      markerShown: false,
      saysWhere: true,
      saysWhat: true,
      leaks: [],
      escapes: [],
    });
  });

  it('6. workflow commands in a media type and in error bodies are not injected into the log', async () => {
    const verdicts: Verdict[] = [];
    const errors: string[] = [];
    const image = makeImage();
    const injection = '\n::add-mask::sha256\n::warning file=README.md::injected\n::stop-commands::x';

    // A manifest whose mediaType carries workflow commands (its digest header is right).
    const typed = await registry();
    const json = { ...manifestJson(image), mediaType: `${MediaType.ociManifest}${injection}` };
    typed.addImage(REPO, undefined, image);
    typed.addManifest(REPO, 'v1', {
      bytes: Buffer.from(JSON.stringify(json)),
      mediaType: MediaType.ociManifest,
    });

    // A 500 whose JSON error message carries them (retried, then reported).
    const failing = await registry();
    failing.addImage(REPO, 'v1', image);
    failing.on('manifest', (call) =>
      sendError(call.res, 500, 'UNKNOWN', `boom\n::warning::injected${injection}`),
    );

    // A 404 in plain text, and a tag list that fails in plain text, both carrying them.
    const missing = await registry();
    missing.addImage(REPO, 'v1', image);
    missing.on('manifest', (call) => {
      call.res.writeHead(404, { 'Content-Type': 'text/plain' });
      call.res.end(`not here\n::warning::injected${injection}`);
    });
    missing.on('tags', (call) => {
      if (!call.path.includes('n=1000')) return false;
      sendError(call.res, 404, 'NAME_UNKNOWN', `\n::warning::injected${injection}`);
    });

    for (const [name, reg] of [
      ['media type', typed],
      ['500 body', failing],
      ['404 body', missing],
    ] as const) {
      const { secrets, inputs } = anonymous(reg);
      const r = await runHostile(job(), { ...inputs, command: 'resolve', source: `${reg.host}/${REPO}:v1` });
      note(`6 injection: ${name}`, r);
      verdicts.push(
        judgeRun(r, { secrets, users, servers: [{ where: 'the registry', requests: reg.requests }] }),
      );
      errors.push(r.error);
      expect(r.result.code).toBe(1);
      expect(
        r.result.stdout
          .split('\n')
          .filter((line) => /^::(?:warning|stop-commands|add-mask::sha256)/.test(line)),
      ).toEqual([]);
    }
    const verdict = recordScenario('workflow-command injection', verdicts);
    expect(verdict).toEqual({ leaks: [], escapes: [] });
    expect(errors[0]).toMatch(/media ?type/i);
    expect(errors[0]).toMatch(/not a media type|not valid|invalid/i);
  });

  it('7. a layer digest that is a path (sha256:../../../ESCAPED/x): nothing written outside the layout', async () => {
    const { reg, secrets, inputs } = await basicRegistry();
    const image = makeImage();
    const json = manifestJson(image);
    json.layers = [{ ...json.layers[0], digest: 'sha256:../../../ESCAPED/x', size: 5 }];
    reg.addImage(REPO, undefined, image);
    reg.addManifest(REPO, 'v1', {
      bytes: Buffer.from(JSON.stringify(json)),
      mediaType: MediaType.ociManifest,
    });
    reg.on('other', (call) => {
      // Whatever a traversal reached would land here: serve it, so only the action's own checks stop it.
      call.res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '5' });
      call.res.end('owned');
    });
    const j = job();
    const r = await runHostile(j, {
      ...inputs,
      command: 'pull',
      source: `${reg.host}/${REPO}:v1`,
      destination: `oci-layout:${j.layout}`,
    });
    note('7 path traversal digest', r);
    const verdict = recordScenario('path traversal in a layer digest', [
      judgeRun(r, { secrets, users, servers: [] }),
    ]);
    expect({
      exit: r.result.code,
      escaped: [
        ...namesUnder(j.root).filter((name) => name.includes('ESCAPED')),
        ...[process.cwd(), join(j.root, '..')].filter((dir) => existsSync(join(dir, 'ESCAPED'))),
      ],
      unexpectedPaths: reg.requests.map((q) => q.path).filter((path) => !EXPECTED_PATH.test(path)),
      layoutEmpty: layoutEmpty(j.layout),
      namesTheField: /layers\[0\]\.digest/.test(r.error),
      ...verdict,
    }).toEqual({
      exit: 1,
      escaped: [],
      unexpectedPaths: [],
      layoutEmpty: true,
      namesTheField: true,
      leaks: [],
      escapes: [],
    });
  });

  it('8. a 400 MiB manifest, with and without Content-Length: refused quickly, memory bounded', async () => {
    const verdicts: Verdict[] = [];
    for (const contentLength of [true, false]) {
      const reg = await registry();
      reg.addImage(REPO, 'v1', makeImage());
      reg.on('manifest', (call) => {
        if (call.method !== 'GET') return false;
        streamFiller(call.res, {
          status: 200,
          bytes: 400 * MIB,
          contentLength,
          headers: { 'Content-Type': MediaType.ociManifest },
        });
      });
      const { secrets, inputs } = anonymous(reg);
      const r = await runHostile(
        job(),
        { ...inputs, command: 'resolve', source: `${reg.host}/${REPO}:v1` },
        {
          rss: true,
        },
      );
      note(`8 huge manifest (${contentLength ? 'with' : 'without'} Content-Length)`, r);
      verdicts.push(
        judgeRun(r, { secrets, users, servers: [{ where: 'the registry', requests: reg.requests }] }),
      );
      expect({
        exit: r.result.code,
        quick: r.ms < 20_000,
        saysTooLarge: /accepted/.test(r.error) && /larger|more than/.test(r.error),
        rssBelow300MiB: r.rssMiB !== undefined && r.rssMiB < 300,
      }).toEqual({ exit: 1, quick: true, saysTooLarge: true, rssBelow300MiB: true });
    }
    // For scale: the same resolve of a well-behaved manifest.
    const reg = await registry();
    reg.addImage(REPO, 'v1', makeImage());
    const { secrets, inputs } = anonymous(reg);
    const baseline = await runHostile(
      job(),
      { ...inputs, command: 'resolve', source: `${reg.host}/${REPO}:v1` },
      { rss: true },
    );
    note('8 (baseline: a normal manifest)', baseline);
    verdicts.push(
      judgeRun(baseline, { secrets, users, servers: [{ where: 'the registry', requests: reg.requests }] }),
    );
    expect(baseline.result.code).toBe(0);
    expect(recordScenario('400 MiB manifest', verdicts)).toEqual({ leaks: [], escapes: [] });
  });

  it('10. a 404 with a 300 MiB body, with and without Content-Length: quick, memory bounded', async () => {
    const verdicts: Verdict[] = [];
    for (const contentLength of [true, false]) {
      const reg = await registry();
      reg.addImage(REPO, 'v1', makeImage());
      reg.on('manifest', (call) => {
        if (call.method !== 'GET') return false;
        streamFiller(call.res, {
          status: 404,
          bytes: 300 * MIB,
          contentLength,
          headers: { 'Content-Type': 'application/json' },
        });
      });
      const { secrets, inputs } = anonymous(reg);
      const r = await runHostile(
        job(),
        { ...inputs, command: 'resolve', source: `${reg.host}/${REPO}:v1` },
        {
          rss: true,
        },
      );
      note(`10 huge 404 body (${contentLength ? 'with' : 'without'} Content-Length)`, r);
      verdicts.push(
        judgeRun(r, { secrets, users, servers: [{ where: 'the registry', requests: reg.requests }] }),
      );
      expect({
        exit: r.result.code,
        quick: r.ms < 20_000,
        rssBelow300MiB: r.rssMiB !== undefined && r.rssMiB < 300,
      }).toEqual({ exit: 1, quick: true, rssBelow300MiB: true });
    }
    expect(recordScenario('300 MiB error body', verdicts)).toEqual({ leaks: [], escapes: [] });
  });

  it('11. a manifest that trickles (1 byte every 10 s): it fails within 45 s, saying it did not arrive in time', async () => {
    const reg = await registry();
    const image = makeImage();
    reg.addImage(REPO, 'v1', image);
    reg.on('manifest', (call) => {
      if (call.method !== 'GET') return false;
      trickle(call.res, {
        status: 200,
        body: image.manifest.bytes,
        everyMs: 10_000,
        headers: { 'Content-Type': MediaType.ociManifest },
      });
    });
    const { secrets, inputs } = anonymous(reg);
    const r = await runHostile(job(), { ...inputs, command: 'resolve', source: `${reg.host}/${REPO}:v1` });
    note('11 trickling manifest', r);
    const verdict = recordScenario('trickling manifest', [
      judgeRun(r, { secrets, users, servers: [{ where: 'the registry', requests: reg.requests }] }),
    ]);
    expect({
      exit: r.result.code,
      within45s: r.ms < 45_000,
      saysInTime: /did not arrive|in time|within \d+ ?s/i.test(r.error),
      ...verdict,
    }).toEqual({ exit: 1, within45s: true, saysInTime: true, leaks: [], escapes: [] });
  }, 90_000);

  it('12. index fan-out: 20,000 entries are refused at once; 900 entries naming 2 images fetch each child once', async () => {
    const reg = await registry();
    const images = [
      makeImage({ platform: { os: 'linux', architecture: 'amd64' } }),
      makeImage({ platform: { os: 'linux', architecture: 'arm64' } }),
    ];
    for (const image of images) reg.addImage('owner/fan', undefined, image);
    const indexOf = (entries: Descriptor[]) =>
      Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: entries }));
    // Bare descriptors keep 20,000 entries under the 4 MiB manifest cap: the entry count is what is refused.
    const bare = (image: MadeImage): Descriptor => ({
      mediaType: image.descriptor.mediaType,
      digest: image.descriptor.digest,
      size: image.descriptor.size,
    });
    const big = indexOf(Array.from({ length: 20_000 }, (_, i) => bare(images[i % 2] as MadeImage)));
    expect(big.length).toBeLessThan(4 * MIB);
    reg.addManifest('owner/fan', 'big', { bytes: big, mediaType: MediaType.ociIndex });
    const wide = indexOf(Array.from({ length: 900 }, (_, i) => (images[i % 2] as MadeImage).descriptor));
    const wideDigest = reg.addManifest('owner/fan', 'wide', { bytes: wide, mediaType: MediaType.ociIndex });

    const secrets: Secret[] = [{ name: 'BASIC_PASSWORD', value: e.BASIC_PASSWORD }];
    const promote = (tag: string) =>
      runHostile(job(), {
        registry: e.REGISTRY_BASIC,
        username: e.BASIC_USER,
        password: e.BASIC_PASSWORD,
        command: 'promote',
        source: `${reg.host}/owner/fan:${tag}`,
        image: `${e.REGISTRY_BASIC}/${e.OWNER}/hostile-fanout-${run}`,
        tags: tag,
      });
    const verdicts: Verdict[] = [];

    const bigRun = await promote('big');
    note('12 fan-out: 20,000 entries', bigRun);
    const bigRequests = reg.requests.splice(0);
    timings.push(`  12: 20,000 entries: ${bigRequests.length} requests to the hostile registry`);
    verdicts.push(
      judgeRun(bigRun, { secrets, users, servers: [{ where: 'the hostile source', requests: bigRequests }] }),
    );
    expect({
      exit: bigRun.result.code,
      quick: bigRun.ms < 20_000,
      saysTooMany: /entries/.test(bigRun.error) && /20000|20,000|too many|more than/.test(bigRun.error),
      fewerThan10Requests: bigRequests.length < 10,
    }).toEqual({ exit: 1, quick: true, saysTooMany: true, fewerThan10Requests: true });

    const wideRun = await promote('wide');
    note('12 fan-out: 900 entries', wideRun);
    const wideRequests = reg.requests.splice(0);
    verdicts.push(
      judgeRun(wideRun, {
        secrets,
        users,
        servers: [{ where: 'the hostile source', requests: wideRequests }],
      }),
    );
    const manifestRequests = wideRequests.filter((q) => q.path.includes('/manifests/'));
    const perChild = images.map(
      (image) =>
        manifestRequests.filter((q) => q.path.endsWith(`/manifests/${image.manifest.digest}`)).length,
    );
    timings.push(
      `  12: 900 entries: ${wideRequests.length} requests to the hostile registry, ${manifestRequests.length} for manifests (per child: ${perChild.join(', ')})`,
    );
    expect({
      exit: wideRun.result.code,
      digest: wideRun.result.outputs.digest,
      atMost30ManifestRequests: manifestRequests.length <= 30,
      eachChildFetchedOnce: perChild.every((n) => n === 1),
    }).toEqual({ exit: 0, digest: wideDigest, atMost30ManifestRequests: true, eachChildFetchedOnce: true });
    expect(recordScenario('index fan-out', verdicts)).toEqual({ leaks: [], escapes: [] });
  });

  it('13. blobs redirected to a CDN on another origin: the pull succeeds and the CDN never gets Authorization', async () => {
    const { reg, secrets, inputs } = await basicRegistry();
    const image = makeImage();
    reg.addImage(REPO, 'v1', image);
    const cdn = await thief(serveBlobs(image.blobs));
    reg.on('blob', (call) => {
      if (call.method !== 'GET') return false;
      call.res.writeHead(307, { Location: `${cdn.origin}/cdn/${call.reference}?sig=${hex(4)}` }).end();
    });
    const j = job();
    const r = await runHostile(j, {
      ...inputs,
      command: 'pull',
      source: `${reg.host}/${REPO}:v1`,
      destination: `oci-layout:${j.layout}`,
    });
    note('13 blobs on a CDN', r);
    const verdict = recordScenario('blobs redirected to a CDN', [
      judgeRun(r, { secrets, users, servers: [{ where: 'the CDN', requests: cdn.received }] }),
    ]);
    const index = existsSync(join(j.layout, 'index.json'))
      ? readFileSync(join(j.layout, 'index.json'), 'utf8')
      : '';
    expect({
      exit: r.result.code,
      cdnServed: cdn.received.filter((q) => q.method === 'GET').length >= image.blobs.size,
      cdnAuthorization: authorized(cdn.received),
      digest: r.result.outputs.digest,
      inLayout: index.includes(image.manifest.digest),
      ...verdict,
    }).toEqual({
      exit: 0,
      cdnServed: true,
      cdnAuthorization: [],
      digest: image.manifest.digest,
      inLayout: true,
      leaks: [],
      escapes: [],
    });
  });

  it('14. a Docker-Content-Digest that lies: a digest mismatch, nothing written', async () => {
    const { reg, secrets, inputs } = await basicRegistry();
    const image = makeImage();
    const lie = sha256(`other bytes ${hex(4)}`);
    reg.addImage(REPO, undefined, image);
    reg.addManifest(REPO, 'v1', image.manifest, { headerDigest: lie });
    const j = job();
    const r = await runHostile(j, {
      ...inputs,
      command: 'pull',
      source: `${reg.host}/${REPO}:v1`,
      destination: `oci-layout:${j.layout}`,
    });
    note('14 lying Docker-Content-Digest', r);
    const verdict = recordScenario('lying Docker-Content-Digest', [
      judgeRun(r, { secrets, users, servers: [] }),
    ]);
    expect({
      exit: r.result.code,
      namesBoth: r.error.includes(lie) && r.error.includes(image.manifest.digest),
      layoutEmpty: layoutEmpty(j.layout),
      ...verdict,
    }).toEqual({ exit: 1, namesBoth: true, layoutEmpty: true, leaks: [], escapes: [] });
  });

  it('15. a manifest whose bytes verify but whose content is invalid: the field is named, nothing written', async () => {
    const verdicts: Verdict[] = [];
    const cases: [string, (json: ReturnType<typeof manifestJson>) => void, RegExp][] = [
      [
        'a layer of size -1',
        (json) => void (json.layers[0] = { ...json.layers[0], size: -1 }),
        /layers\[0\]\.size/,
      ],
      ['a config without digest', (json) => void delete json.config.digest, /config\.digest/],
    ];
    for (const [name, spoil, field] of cases) {
      const { reg, secrets, inputs } = await basicRegistry();
      const image = makeImage();
      const json = manifestJson(image);
      spoil(json);
      reg.addImage(REPO, undefined, image);
      reg.addManifest(REPO, 'v1', {
        bytes: Buffer.from(JSON.stringify(json)),
        mediaType: MediaType.ociManifest,
      });
      const j = job();
      const r = await runHostile(j, {
        ...inputs,
        command: 'pull',
        source: `${reg.host}/${REPO}:v1`,
        destination: `oci-layout:${j.layout}`,
      });
      note(`15 invalid content: ${name}`, r);
      verdicts.push(judgeRun(r, { secrets, users, servers: [] }));
      expect({
        exit: r.result.code,
        namesTheField: field.test(r.error),
        layoutEmpty: layoutEmpty(j.layout),
      }).toEqual({
        exit: 1,
        namesTheField: true,
        layoutEmpty: true,
      });
    }
    expect(recordScenario('invalid manifest content', verdicts)).toEqual({ leaks: [], escapes: [] });
  });

  it('16. what a redirect target answers is not echoed: a registry cannot use the step to read another endpoint', async () => {
    // Like the realm rule of scenario 5, for a redirect: the target stands for an endpoint only the runner can
    // reach (a cloud metadata service); its answer must not reach the log, where the registry's owner could read it.
    const marker = `MARKER-${hex(8)}`;
    const verdicts: Verdict[] = [];
    const shown: string[] = [];
    for (const status of [401, 403]) {
      const t = await thief((_req, res) => {
        const body = JSON.stringify({ Code: 'Success', AccessKeyId: marker, SecretAccessKey: marker });
        res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': String(body.length) });
        res.end(body);
      });
      const reg = await registry();
      reg.addImage(REPO, 'v1', makeImage());
      reg.on('manifest', (call) => {
        if (call.method !== 'GET') return false;
        call.res
          .writeHead(307, { Location: `${t.origin}/latest/meta-data/iam/security-credentials/role` })
          .end();
      });
      const { secrets, inputs } = anonymous(reg);
      const r = await runHostile(job(), { ...inputs, command: 'resolve', source: `${reg.host}/${REPO}:v1` });
      note(`16 redirect target's ${status} body`, r);
      verdicts.push(
        judgeRun(r, {
          secrets,
          users,
          servers: [
            { where: 'thief', requests: t.received },
            { where: 'the registry', requests: reg.requests },
          ],
        }),
      );
      expect(r.result.code).toBe(1);
      if (`${r.result.stdout}${r.result.stderr}`.includes(marker)) shown.push(`HTTP ${status}: ${r.error}`);
    }
    expect(recordScenario('redirect target echoed', verdicts)).toEqual({ leaks: [], escapes: [] });
    expect(shown).toEqual([]);
  });
});
