import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference, repositoryOf } from '../../src/registry/index.js';
import { makeImage, pushImage, stackClient } from '../support/registry.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, stackJob } from '../support/step.js';
import { findLeaks, searchable, withoutMaskCommands, type Place, type Secret } from './secrets-scan.js';
import { filesUnder, installShims, readToolCalls, registryGet, runStep } from './side-effects.js';

// Secrets end to end: every command (publish with docker and with buildah, pull into docker, to an OCI layout and
// to a docker archive, resolve, promote, and the post step after each) and the failure paths (a wrong token, a
// read-only token pushing, a PAT fallback, a password on the basic registry, a bad input after secrets were
// given, a missing image), each with and without RUNNER_DEBUG=1. Credentials the stand-in accepts are its own
// (their text is known, so they are sentinels too); the failure paths use made-up sentinels. No secret, nor
// base64 of `user:secret`, may appear outside the runner's own `::add-mask::` lines: not in stdout or stderr, the
// runner files ($GITHUB_OUTPUT, $GITHUB_STATE, $GITHUB_ENV, $GITHUB_STEP_SUMMARY), any file in the workspace or
// RUNNER_TEMP (the docker config after the post step included), the argv of any docker or buildah call, nor the
// pushed image. buildah's auth file exists only while buildah runs.

interface Scenario {
  name: string;
  inputs: Record<string, string>;
  /** The `registry` input (default: the token registry). */
  registry?: string;
  username?: string;
  /** The main step's exit code. */
  exit: 0 | 1;
  /** A phrase of the first error, for failure paths (proof the path was the one meant). */
  error?: string;
  authMethod?: string;
  /** An image the step pushes, whose manifest and blobs are searched too. */
  pushes?: string;
}

describeWithStack('adversarial: secrets stay masked, on every path', (stack) => {
  const e = stack.env;
  const run = `adv-secrets-${process.pid}-${Date.now().toString(36)}`;
  const top = mkdtempSync(join(tmpdir(), `${run}-`));
  const shims = installShims(join(top, 'shims'));
  const temps: string[] = [top];
  const hex = (bytes: number) => randomBytes(bytes).toString('hex');
  const fake = {
    classicPat: `ghp_SENTINEL${hex(12)}`,
    installation: `ghs_SENTINEL${hex(12)}`,
    pat: `ghp_SENTINELpat${hex(11)}`,
    password: `SENTINEL-password-${hex(12)}`,
  };
  const secrets: Secret[] = [
    { name: 'TOKEN_GHS_WRITE', value: e.TOKEN_GHS_WRITE },
    { name: 'TOKEN_GHS_READ', value: e.TOKEN_GHS_READ },
    { name: 'TOKEN_PAT_WRITE', value: e.TOKEN_PAT_WRITE },
    { name: 'TOKEN_PAT_REPO', value: e.TOKEN_PAT_REPO },
    { name: 'TOKEN_PAT_READ', value: e.TOKEN_PAT_READ },
    { name: 'TOKEN_FINE_GRAINED', value: e.TOKEN_FINE_GRAINED },
    { name: 'TOKEN_WRONG', value: e.TOKEN_WRONG },
    { name: 'BASIC_PASSWORD', value: e.BASIC_PASSWORD },
    { name: 'a made-up classic PAT', value: fake.classicPat },
    { name: 'a made-up installation token', value: fake.installation },
    { name: 'a made-up PAT', value: fake.pat },
    { name: 'a made-up password', value: fake.password },
  ];
  const users = [e.ACTOR, e.BASIC_USER, 'github-actions'];
  const seed = `${e.REGISTRY_TOKEN}/${e.OWNER}/${run}-seed:v1`;
  const basicSeed = `${e.REGISTRY_BASIC}/${e.OWNER}/${run}-seed:v1`;

  /** The scenarios, with names unique to the run and the debug mode (`mode`). */
  const scenarios = (mode: string): Scenario[] => {
    const image = (what: string) => `${e.REGISTRY_TOKEN}/${e.OWNER}/${run}-${what}-${mode}`;
    const write = { 'github-token': e.TOKEN_GHS_WRITE };
    return [
      {
        name: 'publish with docker',
        inputs: { ...write, command: 'publish', builder: 'docker', image: image('docker'), tags: 'v1' },
        exit: 0,
        authMethod: 'github-token',
        pushes: `${image('docker')}:v1`,
      },
      {
        name: 'publish with buildah',
        inputs: { ...write, command: 'publish', builder: 'buildah', image: image('buildah'), tags: 'v1' },
        exit: 0,
        authMethod: 'github-token',
        pushes: `${image('buildah')}:v1`,
      },
      {
        name: 'pull into docker',
        inputs: { ...write, command: 'pull', source: seed },
        exit: 0,
        authMethod: 'github-token',
      },
      {
        name: 'pull to an OCI layout (a classic PAT alone)',
        inputs: {
          'github-token': '',
          pat: e.TOKEN_PAT_WRITE,
          command: 'pull',
          source: seed,
          destination: 'oci-layout:image',
        },
        exit: 0,
        authMethod: 'pat',
      },
      {
        name: 'pull to a docker archive',
        inputs: { ...write, command: 'pull', source: seed, destination: 'docker-archive:image.tar' },
        exit: 0,
        authMethod: 'github-token',
      },
      {
        name: 'resolve, staying logged in (logout: false)',
        inputs: { ...write, command: 'resolve', source: seed, logout: 'false' },
        exit: 0,
        authMethod: 'github-token',
      },
      {
        name: 'promote',
        inputs: { ...write, command: 'promote', source: seed, image: image('promoted'), tags: 'v1' },
        exit: 0,
        authMethod: 'github-token',
      },
      {
        name: 'promote on the basic registry with a password',
        registry: e.REGISTRY_BASIC,
        username: e.BASIC_USER,
        inputs: {
          command: 'promote',
          password: e.BASIC_PASSWORD,
          source: basicSeed,
          image: `${e.REGISTRY_BASIC}/${e.OWNER}/${run}-promoted-${mode}`,
          tags: 'v1',
        },
        exit: 0,
        authMethod: 'password',
      },
      {
        name: 'a PAT fallback after a read-only GITHUB_TOKEN',
        inputs: {
          'github-token': e.TOKEN_GHS_READ,
          pat: e.TOKEN_PAT_WRITE,
          command: 'promote',
          source: seed,
          image: image('fallback'),
          tags: 'v1',
        },
        exit: 0,
        authMethod: 'pat',
      },
      {
        name: 'fails: a wrong classic PAT as github-token',
        inputs: {
          'github-token': fake.classicPat,
          command: 'promote',
          source: seed,
          image: image('x'),
          tags: 'v1',
        },
        exit: 1,
        error: '401 Bad credentials',
      },
      {
        name: 'fails: a wrong installation token',
        inputs: { 'github-token': fake.installation, command: 'resolve', source: seed },
        exit: 1,
        error: 'No credentials may pull',
      },
      {
        name: 'fails: a read-only token pushing',
        inputs: {
          'github-token': e.TOKEN_GHS_READ,
          command: 'promote',
          source: seed,
          image: image('x'),
          tags: 'v1',
        },
        exit: 1,
        error: 'packages: write',
      },
      {
        name: 'fails: a PAT fallback that is refused too',
        inputs: {
          'github-token': fake.installation,
          pat: fake.pat,
          command: 'promote',
          source: seed,
          image: image('x'),
          tags: 'v1',
        },
        exit: 1,
        error: "tried 'github-token', then 'pat'",
      },
      {
        name: 'fails: a wrong password on the basic registry',
        registry: e.REGISTRY_BASIC,
        username: e.BASIC_USER,
        inputs: {
          command: 'promote',
          password: fake.password,
          source: basicSeed,
          image: `${e.REGISTRY_BASIC}/${e.OWNER}/${run}-x-${mode}`,
          tags: 'v1',
        },
        exit: 1,
        error: "tried 'password'",
      },
      {
        name: 'fails: a bad input after every kind of secret was given',
        inputs: {
          'github-token': e.TOKEN_GHS_WRITE,
          pat: e.TOKEN_PAT_WRITE,
          password: fake.password,
          command: 'promote',
          source: seed,
          image: image('x'),
          tags: 'bad tag!',
        },
        exit: 1,
        error: "in 'tags' is not valid",
      },
      {
        name: 'fails: a missing tag (resolve)',
        inputs: {
          ...write,
          pat: fake.pat,
          command: 'resolve',
          source: `${seed.replace(/:v1$/, '')}:missing`,
        },
        exit: 1,
        error: "The tag 'missing' does not exist",
      },
      {
        name: 'fails: a missing repository (pull into docker, a classic PAT alone)',
        inputs: { 'github-token': '', pat: e.TOKEN_PAT_WRITE, command: 'pull', source: image('missing') },
        exit: 1,
        error: 'does not exist',
      },
    ];
  };

  beforeAll(async () => {
    await pushImage(stackClient(e).client, parseReference(seed), makeImage());
    await pushImage(stackClient(e).client, parseReference(basicSeed), makeImage());
  });

  afterAll(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Where docker and buildah keep logins when no config of the job's own is given: the job sets DOCKER_CONFIG,
   * so nothing may land in these.
   */
  const credentialStores = () =>
    [
      join(homedir(), '.docker', 'config.json'),
      join(homedir(), '.config', 'containers', 'auth.json'),
      `/run/containers/${process.getuid?.() ?? 0}/auth.json`,
      process.env.XDG_RUNTIME_DIR ? join(process.env.XDG_RUNTIME_DIR, 'containers', 'auth.json') : '',
    ].filter(Boolean);

  /** The manifest and every blob of a pushed image (layers uncompressed too), as places to search. */
  async function pushedImage(reference: string): Promise<Place[]> {
    const ref = parseReference(reference);
    const manifest = await stackClient(e).client.getManifest(ref);
    const places: Place[] = [{ where: `the manifest of ${reference}`, bytes: manifest.bytes }];
    if (manifest.kind !== 'image') return places;
    for (const blob of [manifest.image.config, ...manifest.image.layers]) {
      const response = await registryGet(e, ref.registry, `/v2/${ref.repository}/blobs/${blob.digest}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      places.push({ where: `blob ${blob.digest} of ${repositoryOf(ref)}`, bytes: searchable(bytes) });
    }
    return places;
  }

  describe.each([
    ['without RUNNER_DEBUG', 'plain', {}],
    ['with RUNNER_DEBUG=1', 'debug', { RUNNER_DEBUG: '1' }],
  ])('%s', (_title, mode, debugEnv) => {
    it.each(scenarios(mode).map((s) => [s.name, s] as const))(
      '%s',
      async (_name, s) => {
        const ws = mkdtempSync(join(tmpdir(), 'adv-secrets-ws-'));
        temps.push(ws);
        writeFileSync(join(ws, 'Dockerfile'), `FROM ${e.BASE_IMAGE}\nRUN echo built > /built\n`);
        const log = join(top, `calls-${mode}-${s.name.replace(/\W+/g, '-')}.log`);
        const job = stackJob(stack, {
          env: {
            GITHUB_WORKSPACE: ws,
            PATH: `${shims}:${process.env.PATH ?? ''}`,
            SHIM_LOG: log,
            ...debugEnv,
          },
        });
        const runnerTemp = job.env.RUNNER_TEMP as string;
        temps.push(runnerTemp);
        const registry = s.registry ?? e.REGISTRY_TOKEN;
        const options = { cwd: ws, registry, username: s.username ?? e.ACTOR };
        const inputs = { ...(s.username ? { username: s.username } : {}), ...s.inputs };

        const stores = credentialStores();
        const storesBefore = stores.map((file) => (existsSync(file) ? readFileSync(file) : undefined));
        const main = await runStep(job, 'main', inputs, options);
        const post = await runStep(job, 'post', inputs, { ...options, state: main.state });

        // What the step must have done: the path the scenario is about.
        const firstError = annotations(main, 'error')[0] ?? '';
        expect({ exit: main.code, post: post.code }).toEqual({ exit: s.exit, post: 0 });
        if (s.error) expect(firstError).toContain(s.error);
        if (s.authMethod) expect(main.outputs['auth-method']).toBe(s.authMethod);

        // The docker config after the post step: logged out, unless the step was told to stay logged in.
        const configFile = join(job.dockerConfig, 'config.json');
        const auths =
          (JSON.parse(job.dockerConfigText() || '{}') as { auths?: Record<string, unknown> }).auths ?? {};
        const stayed = s.inputs.logout === 'false';
        expect(Object.keys(auths).includes(registry)).toBe(stayed);

        // buildah's auth file: there (root-only) while buildah ran, gone after the step.
        const calls = readToolCalls(log);
        const authFiles = [...new Set(calls.map((c) => c.authFile.path).filter(Boolean))];
        if (s.inputs.builder === 'buildah') {
          expect(calls.filter((c) => c.tool === 'buildah' && c.authFile.path).map((c) => c.authFile)).toEqual(
            expect.arrayContaining([expect.objectContaining({ existed: true, mode: '600' })]),
          );
          expect(authFiles.length).toBeGreaterThan(0);
          expect(authFiles.filter((file) => !file.startsWith(`${runnerTemp}/`))).toEqual([]);
        }
        expect(authFiles.filter((file) => existsSync(file))).toEqual([]);

        // No secret anywhere the step wrote or printed, outside its own ::add-mask:: lines.
        const places: Place[] = [
          { where: 'main stdout', bytes: Buffer.from(withoutMaskCommands(main.stdout)) },
          { where: 'main stderr', bytes: Buffer.from(main.stderr) },
          { where: 'post stdout', bytes: Buffer.from(withoutMaskCommands(post.stdout)) },
          { where: 'post stderr', bytes: Buffer.from(post.stderr) },
          { where: 'docker and buildah argv', bytes: existsSync(log) ? readFileSync(log) : Buffer.alloc(0) },
          ...[...filesUnder(ws), ...filesUnder(runnerTemp)]
            // Told to stay logged in, docker keeps the login in its config for later steps: that is the point.
            .filter((file) => !(stayed && file.path === configFile))
            .map((file) => ({ where: file.path, bytes: searchable(file.bytes) })),
          ...(s.pushes && main.code === 0 ? await pushedImage(s.pushes) : []),
          // The machine's own credential stores, where they changed while the steps ran.
          ...stores.flatMap((file, i) => {
            const bytes = existsSync(file) ? readFileSync(file) : undefined;
            const before = storesBefore[i];
            return bytes && !(before && before.equals(bytes)) ? [{ where: file, bytes }] : [];
          }),
        ];
        const everyUser = [...users, s.username ?? e.ACTOR];
        expect(findLeaks(places, secrets, everyUser)).toEqual([]);

        // The scan sees what it looks for: the login docker keeps when told to stay logged in is found there.
        if (stayed)
          expect(
            findLeaks([{ where: 'config', bytes: readFileSync(configFile) }], secrets, everyUser),
          ).toEqual([`TOKEN_GHS_WRITE (base64 of '${e.ACTOR}:…') in config`]);
        // Every step that got credentials kept a login for later steps (written into docker's config, proven
        // credentials needing no docker login) and handed it to the post step, which removed it (above).
        if (s.exit === 0) expect(main.state['login-registry']).toBe(registry);
      },
      180_000,
    );
  });
});
