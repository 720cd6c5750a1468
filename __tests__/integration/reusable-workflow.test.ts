import { expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference } from '../../src/registry/index.js';
import { expand, type Contexts, type Value } from '../support/expressions.js';
import { makeImage, pushImage, stackClient, uniqueTag } from '../support/registry.js';
import { skopeoCreds, skopeoDigest } from '../support/skopeo.js';
import { describeWithStack } from '../support/stack.js';
import type { StepResult } from '../support/action.js';
import { annotations, FIXTURES, leakSurface, stackJob } from '../support/step.js';
import {
  callContexts,
  callerJob,
  loadYaml,
  ROOT,
  runWorkflow,
  workflowOutputs,
  type JobRun,
} from '../support/workflow-call.js';

// The reusable workflows as a caller's job calls them: the caller fixture's with:/secrets: become the called
// workflow's inputs and secrets, each step that uses the action runs as the bundle on the stand-in with the
// inputs the runner would give it, and its outputs come back through jobs.<id>.outputs and the workflow's
// outputs. What comes back is checked against the registry (skopeo), not against the action's word.
describeWithStack('reusable workflows', (stack) => {
  const e = stack.env;
  const creds = skopeoCreds(e.ACTOR, e.TOKEN_GHS_WRITE);
  const workflowFile = (name: string) => loadYaml(join(ROOT, '.github', 'workflows', name));

  /** The caller's contexts: github.* from a job's runner variables, the repository's variables and secrets. */
  const callerContexts = (vars: Record<string, string>, secrets: Record<string, string> = {}): Contexts => {
    const env = stackJob(stack).env;
    return {
      github: {
        token: e.TOKEN_GHS_WRITE,
        actor: env.GITHUB_ACTOR ?? '',
        repository: env.GITHUB_REPOSITORY ?? '',
        repository_owner: env.GITHUB_REPOSITORY_OWNER ?? '',
        event_name: env.GITHUB_EVENT_NAME ?? '',
        sha: env.GITHUB_SHA ?? '',
        ref: env.GITHUB_REF ?? '',
        server_url: env.GITHUB_SERVER_URL ?? '',
        api_url: env.GITHUB_API_URL ?? '',
      },
      vars,
      secrets,
      inputs: {},
      env: {},
    };
  };

  interface Call {
    jobs: Record<string, JobRun>;
    outputs: Record<string, string>;
    inputs: Record<string, Value>;
    /** The inputs each step that uses the action was given, in order. */
    given: Record<string, string>[];
  }

  /**
   * Runs the called workflow's jobs in order, with `needs` from the earlier ones; each step that uses the action
   * runs the bundle on a fresh runner, `run:` scripts run in bash, artifacts go through a folder of the run.
   */
  async function call(
    name: string,
    callerJobYaml: Record<string, unknown>,
    contexts: Contexts,
  ): Promise<Call> {
    const workflow = workflowFile(name);
    const { inputs, secrets } = callContexts(workflow, callerJobYaml, contexts);
    const given: Record<string, string>[] = [];
    const artifacts = mkdtempSync(join(tmpdir(), 'artifacts-'));
    // One runner for the steps of a job (of a matrix leg), as on GitHub.
    const runners = new Map<string, ReturnType<typeof stackJob>>();
    const jobs = await runWorkflow(
      workflow,
      { ...contexts, inputs, secrets },
      (stepInputs, where) => {
        given.push(stepInputs);
        const key = JSON.stringify(where);
        const runner = runners.get(key) ?? stackJob(stack);
        runners.set(key, runner);
        return runner.main(stepInputs);
      },
      { artifacts },
    );
    return { jobs, outputs: workflowOutputs(workflow, jobs), inputs, given };
  }

  /** A step that ran and succeeded; its log in the failure otherwise. */
  const succeeded = (result: StepResult | undefined): StepResult => {
    if (result?.code === 0) return result;
    throw new Error(result ? `the step failed:\n${result.stdout}\n${result.stderr}` : 'the step did not run');
  };

  const fixture = (name: string, workflow: string) =>
    callerJob(loadYaml(join(FIXTURES, 'callers', name)), workflow);

  /** Outputs that agree with each other and with what the registry holds under every tag written. */
  async function expectPublished(outputs: Record<string, string>, image: string, tags: string[]) {
    const digest = outputs.digest ?? '';
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(outputs.image).toBe(image);
    expect(outputs.ref).toBe(`${image}@${digest}`);
    expect(outputs.tags?.split('\n')).toEqual(tags.map((tag) => `${image}:${tag}`));
    for (const tag of tags) expect(await skopeoDigest(`${image}:${tag}`, creds)).toBe(digest);
  }

  const vars = (image: string) => ({ REGISTRY: e.REGISTRY_TOKEN, IMAGE: image, BASE_IMAGE: e.BASE_IMAGE });

  it('publish-image.yml from publish-caller.yml: outputs mapped through the job, defaults for what the caller omits', async () => {
    const name = `${e.OWNER}/reusable-${uniqueTag('p')}`;
    const image = `${e.REGISTRY_TOKEN}/${name}`;
    const caller = fixture('publish-caller.yml', 'publish-image.yml');
    const result = await call('publish-image.yml', caller.job, callerContexts(vars(name)));

    succeeded(result.jobs.publish?.results.image);
    await expectPublished(result.outputs, image, ['1.0', 'stable']);
    expect(result.outputs['image-id']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.outputs['auth-method']).toBe('github-token');
    // The workflow's defaults, then action.yml's, reached the action: nothing the caller omitted went missing.
    expect(result.inputs).toMatchObject({ push: 'auto', cache: 'true', 'no-cache': false, attest: false });
    expect(result.given).toHaveLength(1);
    expect(result.given[0]).toMatchObject({
      command: 'publish',
      registry: e.REGISTRY_TOKEN,
      username: e.ACTOR,
      'github-token': e.TOKEN_GHS_WRITE,
      pat: '',
      context: 'examples/hello',
      'build-args': `BASE_IMAGE=${e.BASE_IMAGE}\nGREETING=Hi\n`,
      tags: '1.0,stable',
      cache: 'true',
      'no-cache': 'false',
      pull: 'false',
      push: 'auto',
      logout: 'true',
    });
    // The checkout ran first (not here: this checkout is the workspace); no attestation was asked for.
    // builder: docker here, so no buildx builder was set up.
    expect(result.jobs.publish?.notRun.map((step) => step.uses)).toEqual(['actions/checkout@v4']);
    expect(result.jobs.attest?.ran).toBe(false);
    // The caller's next job reads the workflow's outputs as needs.<job>.outputs.
    const deploy = (loadYaml(join(FIXTURES, 'callers', 'publish-caller.yml')).jobs as Record<string, unknown>)
      .deploy as { steps: { env: { REF: string } }[] };
    const needs = { [caller.id]: { outputs: result.outputs } };
    expect(expand(deploy.steps[0]?.env.REF, { needs })).toBe(result.outputs.ref);
  });

  it("publish-caller-pat.yml: the caller's pat secret reaches the action when GITHUB_TOKEN is refused; then the attestation job", async () => {
    // A package connected to another repository: the stand-in refuses this repository's GITHUB_TOKEN a push.
    const name = `${e.OWNER}/unlinked-reusable-${uniqueTag('t')}`;
    const image = `${e.REGISTRY_TOKEN}/${name}`;
    const caller = fixture('publish-caller-pat.yml', 'publish-image.yml');
    const contexts = callerContexts(vars(name), { CR_PAT: e.TOKEN_PAT_WRITE });
    const result = await call('publish-image.yml', caller.job, contexts);

    const publish = succeeded(result.jobs.publish?.results.image);
    await expectPublished(result.outputs, image, ['pat']);
    expect(result.outputs['auth-method']).toBe('pat');
    expect(result.given[0]?.pat).toBe(e.TOKEN_PAT_WRITE);
    expect(annotations(publish, 'warning').join('\n')).toContain('GITHUB_TOKEN was refused');
    expect(leakSurface(publish)).not.toContain(e.TOKEN_PAT_WRITE);

    // attest: true and something was pushed: the attestation job logs in (resolve) and attests that digest.
    const attest = result.jobs.attest;
    expect(attest?.ran).toBe(true);
    expect(succeeded(attest?.results.login).outputs.digest).toBe(result.outputs.digest);
    expect(attest?.notRun).toEqual([
      {
        uses: 'actions/attest-build-provenance@v2',
        with: { 'subject-name': image, 'subject-digest': result.outputs.digest, 'push-to-registry': 'true' },
      },
    ]);
  });

  it('attests only what was pushed: push false builds, sets no digest or tags, and skips the attestation job', async () => {
    const name = `${e.OWNER}/reusable-local-${uniqueTag('l')}`;
    const caller = fixture('publish-caller.yml', 'publish-image.yml');
    const job = { ...caller.job, with: { ...(caller.job.with as object), push: 'false', attest: true } };
    const result = await call('publish-image.yml', job, callerContexts(vars(name)));

    succeeded(result.jobs.publish?.results.image);
    expect(result.outputs.digest).toBe('');
    expect(result.outputs.tags).toBe('');
    expect(result.outputs['image-id']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.jobs.attest?.ran).toBe(false);
  });

  it('publish-image.yml in matrix mode (platform-runners): each platform by digest on its runner, merged with the tags, attested', async () => {
    const name = `${e.OWNER}/reusable-matrix-${uniqueTag('m')}`;
    const image = `${e.REGISTRY_TOKEN}/${name}`;
    const caller = fixture('publish-caller-matrix.yml', 'publish-image.yml');
    // A context with no RUN step, so buildah builds arm64 here without emulation (docker's arm64 would need one).
    const job = {
      ...caller.job,
      with: {
        ...(caller.job.with as object),
        context: 'examples/static',
        builder: 'buildah',
        'build-args': '',
      },
    };
    const result = await call('publish-image.yml', job, callerContexts(vars(name)));

    const legs = result.jobs.platforms?.legs ?? [];
    expect(legs.map((leg) => [leg.matrix.platform, leg.runsOn, leg.result])).toEqual([
      ['linux/amd64', 'ubuntu-24.04', 'success'],
      ['linux/arm64', 'ubuntu-24.04-arm', 'success'],
    ]);
    const pushed = legs.map((leg) => succeeded(leg.results.image).outputs);
    expect(pushed.map((outputs) => outputs.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    for (const outputs of pushed) expect(outputs.tags).toBeUndefined();
    succeeded(result.jobs.merge?.results.merge);
    await expectPublished(result.outputs, image, ['1.0', 'stable']);
    // The index holds exactly the legs' images, by platform; the repository holds only the merge's tags.
    expect(JSON.parse(result.outputs['platform-digests'] ?? '{}')).toEqual({
      'linux/amd64': pushed[0]?.digest,
      'linux/arm64': pushed[1]?.digest,
    });
    expect((await stackClient(e).client.listTags(parseReference(image))).sort()).toEqual(['1.0', 'stable']);
    // attest: true attests the merged index.
    expect(result.jobs.attest?.notRun.at(-1)?.with['subject-digest']).toBe(result.outputs.digest);
  });

  it('promote-image.yml from promote-caller.yml: resolve, then promote that digest to the release tags', async () => {
    const made = makeImage();
    const sourceName = `${e.OWNER}/reusable-rc-${uniqueTag('s')}`;
    const name = `${e.OWNER}/reusable-release-${uniqueTag('r')}`;
    const image = `${e.REGISTRY_TOKEN}/${name}`;
    await pushImage(stackClient(e).client, parseReference(`${e.REGISTRY_TOKEN}/${sourceName}:rc`), made);
    const caller = fixture('promote-caller.yml', 'promote-image.yml');
    const contexts = callerContexts({ REGISTRY: e.REGISTRY_TOKEN, SOURCE: `${sourceName}:rc`, IMAGE: name });
    const result = await call('promote-image.yml', caller.job, contexts);

    const run = result.jobs.promote;
    succeeded(run?.results.resolve);
    succeeded(run?.results.promote);
    // The tag was resolved once; the promotion copied that digest, not whatever the tag says by then.
    const resolved = `${e.REGISTRY_TOKEN}/${sourceName}@${made.manifest.digest}`;
    expect(run?.results.resolve?.outputs.ref).toBe(resolved);
    expect(result.given.map((inputs) => [inputs.command, inputs.source])).toEqual([
      ['resolve', `${e.REGISTRY_TOKEN}/${sourceName}:rc`],
      ['promote', resolved],
    ]);
    expect(result.outputs.digest).toBe(made.manifest.digest);
    expect(result.outputs.ref).toBe(`${image}@${made.manifest.digest}`);
    expect(result.outputs.tags?.split('\n')).toEqual([`${image}:1.4.0`, `${image}:latest`]);
    for (const tag of ['1.4.0', 'latest'])
      expect(await skopeoDigest(`${image}:${tag}`, creds)).toBe(made.manifest.digest);
  });
});
