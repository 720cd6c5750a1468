/** Which builder runs: the one asked for, or (auto) the first that works here, and why. */
import { ActionError } from '../errors.js';
import type { BuilderChoice } from '../inputs.js';
import { runTool } from '../tool.js';
import { buildahBuilder } from './buildah.js';
import { buildxBuilder } from './buildx.js';
import { dockerBuilder } from './docker.js';
import type { Builder, BuilderName } from './types.js';

const BUILDERS: Record<BuilderName, Builder> = {
  buildx: buildxBuilder,
  docker: dockerBuilder,
  buildah: buildahBuilder,
};

/** Whether a builder can run here, and if not, why not (for messages). */
async function probe(name: BuilderName): Promise<string | undefined> {
  if (name === 'buildx') {
    const run = await runTool('docker', ['buildx', 'version'], { silent: true });
    return run?.code === 0 ? undefined : run ? "'docker buildx' is not installed" : 'there is no docker CLI';
  }
  if (name === 'docker') {
    const run = await runTool('docker', ['version', '--format', '{{.Server.Version}}'], { silent: true });
    return run?.code === 0 ? undefined : run ? 'no docker daemon answers' : 'there is no docker CLI';
  }
  const run = await runTool('buildah', ['--version'], { silent: true });
  return run?.code === 0 ? undefined : 'buildah is not installed';
}

const ORDER: BuilderName[] = ['buildx', 'docker', 'buildah'];

export async function selectBuilder(
  choice: BuilderChoice,
  platforms: string[],
): Promise<{ builder: Builder; why: string }> {
  let selected: { builder: Builder; why: string } | undefined;
  if (choice !== 'auto') {
    const missing = await probe(choice);
    if (missing) {
      throw new ActionError(
        `Input 'builder' is '${choice}', but ${missing} on this runner.`,
        `install it in an earlier step, or set 'builder: auto' to use what is here (buildx, docker or buildah).`,
      );
    }
    selected = { builder: BUILDERS[choice], why: `'builder: ${choice}' was asked for` };
  } else {
    const reasons: string[] = [];
    for (const name of ORDER) {
      const missing = await probe(name);
      if (!missing) {
        selected = {
          builder: BUILDERS[name],
          why: reasons.length ? `${reasons.join('; ')}; ${name} works` : `${name} works here`,
        };
        break;
      }
      reasons.push(`not ${name}: ${missing}`);
    }
    if (!selected) {
      throw new ActionError(
        `No builder can run on this runner (${reasons.join('; ')}).`,
        "use a GitHub-hosted runner (docker with buildx), install docker or buildah in an earlier step, or publish an image built elsewhere with 'source'.",
      );
    }
  }
  if (platforms.length > 1 && !selected.builder.multiPlatform) {
    throw new ActionError(
      `Input 'platforms' lists ${platforms.length} platforms (${platforms.join(', ')}), but the ${selected.builder.name} builder builds one platform at a time.`,
      'use the buildx builder (GitHub-hosted runners have it; add docker/setup-qemu-action for other architectures), or give a single platform.',
    );
  }
  return selected;
}
