import { expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun } from '../support/exec.js';
import { stackClient, uniqueTag } from '../support/registry.js';
import { describeWithStack } from '../support/stack.js';
import { annotations, stackJob, type Job } from '../support/step.js';
import { parseReference } from '../../src/registry/index.js';

// `cache: registry` with buildah: the cache lives in `<image>-buildcache`, so a build on another machine (here: a
// layer store of its own) reuses every step from the registry. A cache the token cannot write is a warning, and
// the image is still published. (The docker builder's registry cache, inline in the image: buildkit.test.ts.
// buildx's type=registry cache: unit tests only, no buildx here.)

/** A job whose buildah has a layer store of its own (a fresh machine), with a context holding `dockerfile`. */
function freshMachine(job: Job, dockerfile: string): string {
  const temp = job.env.RUNNER_TEMP as string;
  const store = mkdtempSync(join(temp, 'buildah-store-'));
  const conf = join(store, 'storage.conf');
  writeFileSync(conf, `[storage]\ndriver = "vfs"\ngraphroot = "${store}/root"\nrunroot = "${store}/run"\n`);
  job.env.CONTAINERS_STORAGE_CONF = conf;
  const context = mkdtempSync(join(temp, 'context-'));
  writeFileSync(join(context, 'Dockerfile'), dockerfile);
  return context;
}

/**
 * buildah's log: its RUN steps, every step after FROM (the RUN steps, then the LABEL steps its --label flags
 * add), and those it took from a cache instead of running.
 */
function steps(log: string): { run: number; steps: number; cached: number; fromRegistry: number } {
  return {
    run: [...log.matchAll(/^STEP \d+\/\d+: RUN /gm)].length,
    steps: [...log.matchAll(/^STEP \d+\/\d+: (?!FROM )/gm)].length,
    cached: [...log.matchAll(/^--> Using cache /gm)].length,
    fromRegistry: [...log.matchAll(/^--> Cache pulled from remote /gm)].length,
  };
}

describeWithStack('cache: registry with buildah', (stack) => {
  const e = stack.env;
  const publish = async (image: string, dockerfile: string) => {
    const job = stackJob(stack);
    const result = await job.main({
      'github-token': e.TOKEN_GHS_WRITE,
      image,
      tags: 'v1',
      context: freshMachine(job, dockerfile),
      builder: 'buildah',
      network: 'none',
      cache: 'registry',
    });
    return { result, log: `${result.stdout}\n${result.stderr}` };
  };

  it('a second build of an unchanged Dockerfile on a fresh machine reuses every step from the registry', async () => {
    const image = `${e.REGISTRY_TOKEN}/${e.OWNER}/buildah-cache-${uniqueTag('c')}`;
    const dockerfile = `FROM ${e.BASE_IMAGE}\nRUN echo ${uniqueTag('w')} > /first\nRUN echo second > /second\n`;
    const first = await publish(image, dockerfile);
    expect({ code: first.result.code, errors: annotations(first.result, 'error') }).toEqual({
      code: 0,
      errors: [],
    });
    const labels = steps(first.log).steps - 2;
    expect(labels).toBeGreaterThan(0);
    expect(steps(first.log)).toEqual({ run: 2, steps: 2 + labels, cached: 0, fromRegistry: 0 });
    expect(first.log).toContain(`--> Pushing cache ${image}-buildcache:`);

    const second = await publish(image, dockerfile);
    expect(second.result.code).toBe(0);
    const all = 2 + labels;
    expect(steps(second.log)).toEqual({ run: 2, steps: all, cached: all, fromRegistry: all });
    expect(second.result.outputs.digest).toBe(first.result.outputs.digest);

    // The cache's tags are in a repository of their own: the image's tag list holds only what was published.
    const { client } = stackClient(e);
    expect(await client.listTags(parseReference(image))).toEqual(['v1']);
    expect((await client.listTags(parseReference(`${image}-buildcache`))).length).toBe(all);
  });

  it('a cache the token cannot write is a warning: the image is built again without it and published', async () => {
    // *-unlinked-buildcache: a package connected to another repository, which this GITHUB_TOKEN may only read.
    const image = `${e.REGISTRY_TOKEN}/${e.OWNER}/buildah-cache-${uniqueTag('d')}-unlinked`;
    const dockerfile = `FROM ${e.BASE_IMAGE}\nRUN echo ${uniqueTag('w')} > /first\n`;
    const { result, log } = await publish(image, dockerfile);
    expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
    const warnings = annotations(result, 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`buildah could not write the build cache to ${image}-buildcache`);
    expect(warnings[0]).toContain('a cache never fails a build');
    expect(result.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.outputs.tags).toBe(`${image}:v1`);
    // buildah stopped at the first step's cache push; the second bud took that step from the local layer store.
    expect(steps(log).cached).toBe(1);
    expect(log).toContain('Error: failed pushing cache to');
  });
});

describeWithStack("buildah's layer cache and platforms", (stack) => {
  const e = stack.env;
  it('a cached step of another platform is not taken: the image always holds the platform asked for', async () => {
    // FROM scratch + COPY: buildah 1.28's cache would give the first platform's image to the second.
    const dockerfile = 'FROM scratch\nCOPY Dockerfile /Dockerfile\n';
    const unique = `# ${uniqueTag('p')}\n`;
    const build = async (platform: string) => {
      const job = stackJob(stack);
      const context = mkdtempSync(join(job.env.RUNNER_TEMP as string, 'context-'));
      writeFileSync(join(context, 'Dockerfile'), dockerfile + unique);
      const result = await job.main({
        'github-token': e.TOKEN_GHS_WRITE,
        image: `${e.REGISTRY_TOKEN}/${e.OWNER}/platform-cache`,
        tags: 'v1',
        context,
        builder: 'buildah',
        platforms: platform,
        push: 'false',
      });
      expect({ code: result.code, errors: annotations(result, 'error') }).toEqual({ code: 0, errors: [] });
      const inspected = await mustRun(
        'buildah',
        [
          'inspect',
          '--type',
          'image',
          '--format',
          '{{.OCIv1.Architecture}}',
          result.outputs['image-id'] ?? '',
        ],
        { env: { ...process.env, CONTAINERS_STORAGE_CONF: e.CONTAINERS_STORAGE_CONF } },
      );
      return { architecture: inspected.stdout.trim(), warnings: annotations(result, 'warning') };
    };
    expect(await build('linux/amd64')).toEqual({ architecture: 'amd64', warnings: [] });
    const arm64 = await build('linux/arm64');
    expect(arm64.architecture).toBe('arm64');
    expect(arm64.warnings).toEqual([
      "buildah's layer cache gave an image for linux/amd64, not the linux/arm64 asked for: built again without the cache.",
    ]);
  });
});
