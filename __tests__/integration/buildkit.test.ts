import { afterAll, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mustRun } from '../support/exec.js';
import { uniqueTag } from '../support/registry.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, stackJob, type Job } from '../support/step.js';

// The docker builder on BuildKit, as the action detects it: Debian's docker CLI 20.10 (no buildx) with a Linux
// daemon of 18.09 or later runs BuildKit with DOCKER_BUILDKIT=1; the CLI 28 first on this machine's PATH has no
// buildx plugin, so it can only run the classic builder. The stand-in's dockerd has no bridge network, so a
// BuildKit RUN step needs 'network: host' or 'none', and the default fails with that fix. SSH mounts: an agent
// ('default', from openssh-client's ssh-agent) and a key file, with BuildKit and with buildah.

/** A job whose PATH finds Debian's docker CLI first, and a context with `dockerfile` in its RUNNER_TEMP. */
function buildJob(job: Job, dockerfile: string, debian = true): string {
  const temp = job.env.RUNNER_TEMP as string;
  if (debian) {
    const bin = join(temp, 'debian-docker-bin');
    mkdirSync(bin);
    symlinkSync('/usr/bin/docker', join(bin, 'docker'));
    job.env.PATH = `${bin}:${process.env.PATH ?? ''}`;
  }
  const context = mkdtempSync(join(temp, 'context-'));
  writeFileSync(join(context, 'Dockerfile'), dockerfile);
  return context;
}

describeWithStack('the docker builder on BuildKit', (stack) => {
  const e = stack.env;
  const RUN = `FROM ${e.BASE_IMAGE}\nRUN echo "built by $(id -u)" > /built\n`;
  const publish = (job: Job, context: string, inputs: Record<string, string> = {}) =>
    job.main({
      'github-token': e.TOKEN_GHS_WRITE,
      image: `${e.REGISTRY_TOKEN}/${e.OWNER}/buildkit-${uniqueTag('b')}`,
      tags: 'v1',
      context,
      builder: 'docker',
      'no-cache': 'true',
      ...inputs,
    });

  it('a second build on a fresh machine reuses every layer from the registry (inline cache): its RUN steps are CACHED', async () => {
    const image = `${e.REGISTRY_TOKEN}/${e.OWNER}/buildkit-cache-${uniqueTag('c')}`;
    // Steps no earlier build has run (a unique word), so the first build can reuse nothing.
    const dockerfile = `FROM ${e.BASE_IMAGE}\nRUN echo ${uniqueTag('w')} > /first\nRUN echo second > /second\n`;
    const build = async () => {
      const job = stackJob(stack);
      const result = await publish(job, buildJob(job, dockerfile), {
        image,
        network: 'none',
        'no-cache': 'false',
      });
      expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
      return `${result.stdout}\n${result.stderr}`;
    };
    // BuildKit's progress names each RUN step (`#6 [2/3] RUN ...`), then `#6 CACHED` when it was not run.
    const runIds = (log: string) =>
      new Set([...log.matchAll(/^#(\d+) \[\d+\/\d+\] RUN /gm)].map((m) => m[1]));
    const runSteps = (log: string) => runIds(log).size;
    const cachedSteps = (log: string) =>
      [...log.matchAll(/^#(\d+) CACHED$/gm)].filter((m) => runIds(log).has(m[1])).length;
    const first = await build();
    expect(runSteps(first)).toBe(2);
    expect(cachedSteps(first)).toBe(0);
    // A fresh machine: no local image, no BuildKit cache. Only the registry's image can give the layers.
    const env = stack.processEnv;
    await mustRun('docker', ['rmi', '--force', `${image}:v1`], { env });
    await mustRun('/usr/bin/docker', ['builder', 'prune', '--all', '--force'], {
      env: { ...env, DOCKER_BUILDKIT: '1' },
    });
    const second = await build();
    expect(runSteps(second)).toBe(2);
    expect(cachedSteps(second)).toBe(2);
    expect(second).toContain(`importing cache manifest from ${image}:v1`);
  });

  it.each(['none', 'host'])(
    'Debian CLI: BuildKit with DOCKER_BUILDKIT=1, said once; RUN with network %s',
    async (network) => {
      const job = stackJob(stack);
      const result = await publish(job, buildJob(job, RUN), { network });
      expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
      const said = result.stdout.split('\n').filter((line) => line.startsWith('docker build runs '));
      expect(said).toEqual([
        'docker build runs BuildKit: the docker CLI 20.10.24+dfsg1 has no buildx plugin, and the daemon (20.10.24+dfsg1, linux) has BuildKit built in (DOCKER_BUILDKIT=1).',
      ]);
      // BuildKit's progress (on stderr), never the classic builder's "Step 1/2".
      expect(`${result.stdout}\n${result.stderr}`).toContain('[internal] load build definition');
      expect(result.stdout).not.toMatch(/^Step 1\/\d+ : FROM/m);
      expect(result.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    },
  );

  it("Debian CLI, no 'network': a RUN step fails for want of a bridge, and the error names 'network: host'", async () => {
    const job = stackJob(stack);
    const result = await publish(job, buildJob(job, RUN));
    expect(result.code).toBe(1);
    const error = annotations(result, 'error')[0] ?? '';
    expect(error).toContain('the docker daemon has no bridge network');
    expect(error).toContain("Fix: set 'network: host'");
  });

  it('CLI 28 without buildx: the classic builder, saying why; RUN works on the default network', async () => {
    const job = stackJob(stack);
    const result = await publish(job, buildJob(job, RUN, false));
    expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
    expect(result.stdout).toMatch(
      /^docker build runs the classic builder: the docker CLI 2[3-9]\.\S+ runs BuildKit only through the buildx plugin, which is not installed\.$/m,
    );
    expect(result.stdout).toMatch(/^Step 1\/\d+ : FROM/m);
  });

  // SSH: a key of this test's own in an agent of its own (stopped after, by its pid) and as a key file.
  const dir = mkdtempSync(join(tmpdir(), 'buildkit-ssh-'));
  const key = join(dir, 'deploy_key');
  const socket = join(dir, 'agent.sock');
  let agentPid: number | undefined;
  afterAll(() => {
    if (agentPid) process.kill(agentPid);
    rmSync(dir, { recursive: true, force: true });
  });
  const SSH = `FROM ${e.BASE_IMAGE}\nRUN --mount=type=ssh,id=deploy test -S "$SSH_AUTH_SOCK"\nRUN --mount=type=ssh test -S "$SSH_AUTH_SOCK"\n`;

  it.each(['docker', 'buildah'])(
    '%s: ssh default (an ssh-agent) and id=keyfile are mounted for RUN --mount=type=ssh; without them it fails',
    async (builder) => {
      if (!agentPid) {
        await mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
        const agent = await mustRun('ssh-agent', ['-s', '-a', socket]);
        agentPid = Number(/SSH_AGENT_PID=(\d+)/.exec(agent.stdout)?.[1]);
        await mustRun('ssh-add', [key], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
      }
      const docker = builder === 'docker';
      const inputs = { builder, ...(docker ? { network: 'none' } : {}) };
      const job = stackJob(stack, { env: { SSH_AUTH_SOCK: socket } });
      const result = await publish(job, buildJob(job, SSH, docker), {
        ...inputs,
        ssh: `default\ndeploy=${key}`,
      });
      expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
      const bare = stackJob(stack, { env: { SSH_AUTH_SOCK: socket } });
      const without = await publish(bare, buildJob(bare, SSH, docker), inputs);
      expect(without.code).toBe(1);
      expect(annotations(without, 'error')[0]).toMatch(/(docker build|buildah bud) failed/);
    },
  );
});
