import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepResult } from '../support/action.js';
import { condition, type Contexts, type Value } from '../support/expressions.js';
import { FIXTURES } from '../support/step.js';
import {
  callContexts,
  callerJob,
  loadYaml,
  matrixLegs,
  ROOT,
  runWorkflow,
  stepResult,
  workflowOutputs,
  type ActionRunner,
} from '../support/workflow-call.js';

// publish-image.yml's matrix mode (platform-runners) through the local runner: the plan job's script (bash and
// jq), the matrix legs from fromJSON of its output, each leg's script and artifact, the merge job's script that
// reads them into `source`, the outputs and the attestation. The action itself is a stub that answers as the
// contract says (publish with push: by-digest, merge); the bundle on the stand-in: integration/reusable-workflow.
const workflow = loadYaml(join(ROOT, '.github', 'workflows', 'publish-image.yml'));
const jobs = workflow.jobs as Record<string, Record<string, unknown>>;
const IMAGE = 'ghcr.io/octo-org/app';
const digestOf = (c: string) => `sha256:${c.repeat(64)}`;
const LEG_DIGESTS: Record<string, string> = {
  'linux/amd64': digestOf('a'),
  'linux/arm64': digestOf('b'),
};
const INDEX = digestOf('c');

const answer = (outputs: Record<string, string>, code = 0): StepResult =>
  stepResult({ code, stdout: '', stderr: '' }, outputs);

interface Seen {
  inputs: Record<string, string>;
  where: { job: string; matrix?: Record<string, Value> };
}

/** The action as the contract has it; `failing` names a platform whose build fails. */
function stubAction(seen: Seen[], failing = ''): ActionRunner {
  return async (inputs, where) => {
    seen.push({ inputs, where });
    if (inputs.command === 'publish') {
      if (failing && inputs.platforms === failing) return answer({}, 1);
      const digest = inputs.push === 'by-digest' ? (LEG_DIGESTS[inputs.platforms ?? ''] ?? '') : '';
      return answer({
        digest,
        ref: digest && `${IMAGE}@${digest}`,
        image: IMAGE,
        platform: inputs.platforms ?? '',
        tags: '',
        'auth-method': 'github-token',
      });
    }
    if (inputs.command === 'merge') {
      const tags = (inputs.tags ?? '').split(',').filter(Boolean);
      return answer({
        digest: INDEX,
        ref: `${IMAGE}@${INDEX}`,
        tags: tags.map((tag) => `${IMAGE}:${tag}`).join('\n'),
        image: IMAGE,
        'platform-digests': JSON.stringify({ sources: inputs.source }),
        'auth-method': 'github-token',
      });
    }
    return answer({ digest: INDEX, ref: inputs.source ?? '' });
  };
}

const caller = callerJob(
  loadYaml(join(FIXTURES, 'callers', 'publish-caller-matrix.yml')),
  'publish-image.yml',
);

/** Calls the workflow as the matrix fixture does, `with` on top of its with:, on a push or a pull request. */
async function call(
  overrides: Record<string, unknown> = {},
  event: 'push' | 'pull_request' = 'push',
  failing = '',
) {
  const github: Record<string, Value> = {
    actor: 'octocat',
    token: 'ghs_x',
    repository: 'octo-org/app',
    event_name: event,
    ref: event === 'push' ? 'refs/heads/main' : 'refs/pull/7/merge',
    event: event === 'push' ? {} : { pull_request: { number: 7 } },
  };
  const callerContexts: Contexts = {
    github,
    vars: { REGISTRY: 'ghcr.io', IMAGE: 'octo-org/app', BASE_IMAGE: 'alpine' },
    secrets: {},
  };
  const job = { ...caller.job, with: { ...(caller.job.with as object), ...overrides } };
  const { inputs, secrets } = callContexts(workflow, job, callerContexts);
  const seen: Seen[] = [];
  const artifacts = mkdtempSync(join(tmpdir(), 'artifacts-'));
  const ran = await runWorkflow(workflow, { ...callerContexts, inputs, secrets }, stubAction(seen, failing), {
    artifacts,
  });
  return { jobs: ran, outputs: workflowOutputs(workflow, ran), seen, artifacts };
}

const legs = (seen: Seen[]) => seen.filter((s) => s.where.job === 'platforms');
const errors = (result: StepResult | undefined) =>
  (result?.stdout ?? '')
    .split('\n')
    .filter((line) => line.startsWith('::error'))
    .join('\n');

describe('publish-image.yml with platform-runners', () => {
  it('builds each platform on its runner by digest, merges the refs into one index with the tags, attests it', async () => {
    const { jobs: ran, outputs, seen, artifacts } = await call();

    expect(ran.publish?.result).toBe('skipped');
    expect(JSON.parse(ran.plan?.outputs.matrix ?? '')).toEqual([
      { platform: 'linux/amd64', runner: 'ubuntu-24.04' },
      { platform: 'linux/arm64', runner: 'ubuntu-24.04-arm' },
    ]);
    expect(ran.plan?.outputs).toMatchObject({ count: '2', push: 'true' });
    expect(ran.plan?.outputs.artifacts).toMatch(/^platform-ref-[0-9a-f]{16}$/);

    // One leg a platform, on that platform's runner, building that platform alone, pushed by digest, untagged.
    expect(ran.platforms?.legs.map((leg) => [leg.matrix.platform, leg.runsOn, leg.result])).toEqual([
      ['linux/amd64', 'ubuntu-24.04', 'success'],
      ['linux/arm64', 'ubuntu-24.04-arm', 'success'],
    ]);
    expect(legs(seen).map((s) => [s.inputs.command, s.inputs.platforms, s.inputs.push])).toEqual([
      ['publish', 'linux/amd64', 'by-digest'],
      ['publish', 'linux/arm64', 'by-digest'],
    ]);
    expect(legs(seen)[0]?.inputs).toMatchObject({
      image: IMAGE,
      context: 'examples/hello',
      builder: 'docker',
    });
    // Each leg's ref went into an artifact of its own, named by this call's prefix and the platform.
    const prefix = ran.plan?.outputs.artifacts ?? '';
    for (const leg of legs(seen)) expect(leg.inputs).not.toHaveProperty('tags');
    const names = readdirSync(artifacts).sort();
    expect(names).toEqual(['linux-amd64', 'linux-arm64'].map((slug) => `${prefix}-${slug}`));
    expect(readFileSync(join(artifacts, names[0] ?? '', 'a'.repeat(64)), 'utf8')).toBe(
      `${IMAGE}@${digestOf('a')}\n`,
    );

    // The merge read every leg's ref into source, one a line, and tagged with the caller's tags.
    const merge = seen.find((s) => s.inputs.command === 'merge');
    expect(merge?.inputs).toMatchObject({
      command: 'merge',
      image: IMAGE,
      source: `${IMAGE}@${digestOf('a')}\n${IMAGE}@${digestOf('b')}`,
      tags: '1.0,stable',
      'event-tags': 'true',
      latest: 'auto',
    });
    expect(outputs).toEqual({
      digest: INDEX,
      ref: `${IMAGE}@${INDEX}`,
      tags: `${IMAGE}:1.0\n${IMAGE}:stable`,
      image: IMAGE,
      'image-id': '',
      'platform-digests': JSON.stringify({ sources: merge?.inputs.source }),
      'auth-method': 'github-token',
    });

    // attest: true attests the merged index's digest.
    expect(ran.attest?.ran).toBe(true);
    expect(ran.attest?.results.login?.outputs.ref).toBe(`${IMAGE}@${INDEX}`);
    expect(ran.attest?.notRun).toEqual([
      {
        uses: 'actions/attest-build-provenance@v2',
        with: { 'subject-name': IMAGE, 'subject-digest': INDEX, 'push-to-registry': 'true' },
      },
    ]);
  });

  it("without the caller's tags the merge takes the event's (event-tags), shaped by latest", async () => {
    const { seen } = await call({ tags: '', latest: 'false' });
    expect(seen.find((s) => s.inputs.command === 'merge')?.inputs).toMatchObject({
      tags: '',
      'event-tags': 'true',
      latest: 'false',
    });
    // The legs never get tags or latest: they push by digest only.
    for (const leg of legs(seen)) {
      expect(leg.inputs).not.toHaveProperty('tags');
      expect(leg.inputs.latest).toBe('auto');
    }
  });

  it('a pull request with push: auto builds every platform without pushing, and merges and attests nothing', async () => {
    const { jobs: ran, outputs, seen, artifacts } = await call({}, 'pull_request');
    expect(ran.plan?.outputs.push).toBe('false');
    expect(legs(seen).map((s) => s.inputs.push)).toEqual(['false', 'false']);
    expect(readdirSync(artifacts)).toEqual([]);
    expect(ran.merge?.result).toBe('skipped');
    expect(ran.attest?.ran).toBe(false);
    expect(outputs).toMatchObject({
      digest: '',
      ref: '',
      tags: '',
      image: IMAGE,
      'auth-method': 'github-token',
    });
    // push: true pushes a pull request's legs too, as the action's push: true does.
    const forced = await call({ push: 'true' }, 'pull_request');
    expect(forced.jobs.merge?.result).toBe('success');
  });

  it('a failed leg leaves the others to finish (fail-fast off) and nothing is merged or tagged', async () => {
    const { jobs: ran, outputs } = await call({}, 'push', 'linux/amd64');
    expect(ran.platforms?.legs.map((leg) => leg.result)).toEqual(['failure', 'success']);
    expect(ran.platforms?.result).toBe('failure');
    expect(ran.merge?.result).toBe('skipped');
    expect(ran.attest?.ran).toBe(false);
    expect(outputs.digest).toBe('');
  });

  it('the merge refuses when a leg pushed nothing (fewer refs than platforms)', async () => {
    const { jobs: ran } = await call({
      'platform-runners': '{"linux/amd64":"a","linux/arm64":"b","linux/s390x":"c"}',
    });
    // The stub pushes no digest for linux/s390x: that leg uploads nothing.
    expect(ran.merge?.result).toBe('failure');
    expect(errors(ran.merge?.results.source)).toContain('2 per-platform image(s) reached the merge, not 3');
  });

  it.each([
    ['not json', 'not json'],
    ['[]', '[]'],
    ['{}', '{}'],
    ['{"amd64":"ubuntu-24.04"}', 'amd64'],
    ['{"linux/amd64":""}', 'linux/amd64'],
    ['{"linux/amd64":"ubuntu latest"}', 'ubuntu latest'],
    ['{"linux/amd64":["ubuntu-24.04"]}', 'ubuntu-24.04'],
  ])('refuses platform-runners %s before any build, naming the value and the fix', async (value, shown) => {
    const { jobs: ran, seen } = await call({ 'platform-runners': value });
    expect(ran.plan?.result).toBe('failure');
    const error = errors(ran.plan?.results.plan);
    expect(error).toContain("Input 'platform-runners' is '");
    expect(error).toContain(shown);
    expect(error).toContain(
      'Write it as \'{"linux/amd64":"ubuntu-24.04","linux/arm64":"ubuntu-24.04-arm"}\'',
    );
    expect(seen).toEqual([]);
    expect([ran.platforms?.result, ran.merge?.result, ran.publish?.result]).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ]);
  });

  it('refuses platforms with platform-runners, and a push it cannot decide; a value cannot start a workflow command', async () => {
    const both = await call({ platforms: 'linux/amd64' });
    expect(errors(both.jobs.plan?.results.plan)).toContain(
      "Input 'platforms' is 'linux/amd64', but 'platform-runners' names the platforms",
    );
    const push = await call({ push: 'by-digest' });
    expect(errors(push.jobs.plan?.results.plan)).toContain("Input 'push' is 'by-digest'");
    const injected = await call({ 'platform-runners': 'x\n::warning::hi %' });
    const lines = (injected.jobs.plan?.results.plan?.stdout ?? '')
      .split('\n')
      .filter((l) => l.startsWith('::'));
    expect(lines).toEqual([expect.stringContaining("is 'x%0A::warning::hi %25'")]);
  });

  it.each([
    [{ tags: '1.0', latest: 'true' }, "Input 'latest' is 'true', but the tags are given"],
    [{ latest: 'sometimes' }, "Input 'latest' is 'sometimes'; it is auto, true or false."],
    [{ tags: '1.0, bad tag!' }, "Input 'tags' has 'badtag!', which is not a valid tag"],
    [{ tags: '.hidden' }, "Input 'tags' has '.hidden', which is not a valid tag"],
  ])('refuses %j in the plan job, before any leg builds or pushes', async (given, words) => {
    const { jobs: ran, seen } = await call(given);
    expect(ran.plan?.result).toBe('failure');
    expect(errors(ran.plan?.results.plan)).toContain(words);
    expect(seen).toEqual([]);
  });

  it('without platform-runners only the publish job runs, as before', async () => {
    const { jobs: ran, seen } = await call({ 'platform-runners': '' });
    expect(Object.fromEntries(Object.entries(ran).map(([id, job]) => [id, job.result]))).toEqual({
      publish: 'success',
      plan: 'skipped',
      platforms: 'skipped',
      merge: 'skipped',
      attest: 'skipped',
    });
    expect(seen.map((s) => [s.where.job, s.inputs.command, s.inputs.push])).toEqual([
      ['publish', 'publish', 'auto'],
    ]);
  });
});

describe('publish-image.yml matrix mode: the structure GitHub runs', () => {
  it('chains plan -> platforms (a leg per entry) -> merge, and attest after either path', () => {
    expect(jobs.plan).toMatchObject({ if: "inputs.platform-runners != ''", permissions: {} });
    expect(jobs.publish?.if).toBe("inputs.platform-runners == ''");
    expect(jobs.platforms).toMatchObject({
      needs: 'plan',
      'runs-on': '${{ matrix.runner }}',
      strategy: { 'fail-fast': false, matrix: { include: '${{ fromJSON(needs.plan.outputs.matrix) }}' } },
      permissions: { contents: 'read', packages: 'write' },
    });
    expect(jobs.merge).toMatchObject({
      needs: ['plan', 'platforms'],
      if: "needs.plan.outputs.push == 'true'",
      permissions: { packages: 'write' },
    });
    expect(jobs.attest?.needs).toEqual(['publish', 'merge']);
    expect(jobs.attest).not.toHaveProperty('permissions');
  });

  it('hands refs over in one artifact a leg, named by the call and the platform (a re-run leg replaces its own), collected by pattern', () => {
    const steps = (id: string) => (jobs[id]?.steps ?? []) as Record<string, unknown>[];
    const upload = steps('platforms').find((step) => step.uses === 'actions/upload-artifact@v4');
    const download = steps('merge').find((step) => step.uses === 'actions/download-artifact@v4');
    expect(upload?.with).toMatchObject({
      name: '${{ needs.plan.outputs.artifacts }}-${{ steps.ref.outputs.slug }}',
      'if-no-files-found': 'error',
      overwrite: true,
    });
    expect(download?.with).toMatchObject({
      pattern: '${{ needs.plan.outputs.artifacts }}-*',
      'merge-multiple': true,
    });
    // Scripts take values through env: only.
    for (const job of Object.values(jobs))
      for (const step of (job.steps ?? []) as Record<string, unknown>[])
        if (typeof step.run === 'string') expect(step.run).not.toContain('${{');
  });

  it('attests after either path, only what was pushed and tagged, and not when a job failed', () => {
    const when = (publish: Record<string, string>, merge: Record<string, string>, failure = false) =>
      condition(
        jobs.attest?.if,
        {
          inputs: { attest: true },
          needs: { publish: { outputs: publish }, merge: { outputs: merge } },
        },
        { success: false, failure },
      );
    const pushed = { digest: 'sha256:1', tags: 'r:1' };
    expect(when(pushed, {})).toBe(true);
    expect(when({}, pushed)).toBe(true);
    expect(when({}, { digest: 'sha256:1', tags: '' })).toBe(false);
    expect(when({}, {})).toBe(false);
    expect(when({}, pushed, true)).toBe(false);
  });
});

describe('matrixLegs', () => {
  it('expands include: from an expression, or every combination of lists; refuses what it does not simulate', () => {
    const contexts: Contexts = { needs: { plan: { outputs: { m: '[{"a":1},{"a":2}]' } } } };
    expect(matrixLegs({ include: '${{ fromJSON(needs.plan.outputs.m) }}' }, contexts)).toEqual([
      { a: 1 },
      { a: 2 },
    ]);
    expect(matrixLegs({ os: ['x', 'y'], n: [1, 2] }, {})).toEqual([
      { os: 'x', n: 1 },
      { os: 'x', n: 2 },
      { os: 'y', n: 1 },
      { os: 'y', n: 2 },
    ]);
    expect(() => matrixLegs({ include: [] }, {})).toThrow('no legs');
    expect(() => matrixLegs({ os: ['x'], exclude: [] }, {})).toThrow('exclude');
    expect(() => matrixLegs({ os: 'x' }, {})).toThrow('not a list');
  });
});
