/** Which builder runs: a local image's publisher ('source'), the one asked for, or the first that works here. */
import { buildxProblem, dockerDaemonProblem } from '../docker/cli.js';
import { ActionError } from '../errors.js';
import type { BuilderChoice } from '../inputs/index.js';
import { runTool } from '../tool.js';
import { buildahBuilder } from './buildah.js';
import { buildxBuilder } from './buildx.js';
import { detectDockerMode } from './docker-mode.js';
import { CLASSIC_FIX, dockerBuilder } from './docker.js';
import { localImageBuilder } from './local.js';
import type { Builder, BuilderName } from './types.js';

const BUILDERS: Record<BuilderName, Builder> = {
  buildx: buildxBuilder,
  docker: dockerBuilder,
  buildah: buildahBuilder,
};

export interface Selection {
  builder: Builder;
  /** Why this one, for the log and the summary. */
  why: string;
  /** False when nothing is built (a local image is published). */
  builds: boolean;
  /** The log group the builder's work runs in. */
  title: string;
}

/** Whether a builder can run here (with secrets or SSH mounts when `mounts`), and if not, why not. */
async function probe(name: BuilderName, mounts: boolean): Promise<string | undefined> {
  if (name === 'buildx') return buildxProblem();
  if (name === 'docker') {
    const problem = await dockerDaemonProblem();
    if (problem) return problem;
    const mode = await detectDockerMode();
    if (mode.problem) return mode.problem;
    return !mounts || mode.buildkit
      ? undefined
      : `docker builds with the classic builder, which cannot mount secrets (${mode.why})`;
  }
  const run = await runTool('buildah', ['--version'], { silent: true });
  return run?.code === 0 ? undefined : 'buildah is not installed';
}

const ORDER: BuilderName[] = ['buildx', 'docker', 'buildah'];

async function firstThatWorks(mounts: boolean): Promise<{ builder: Builder; why: string }> {
  const reasons: string[] = [];
  for (const name of ORDER) {
    const missing = await probe(name, mounts);
    if (!missing) {
      const why = reasons.length ? `${reasons.join('; ')}; ${name} works` : `${name} works here`;
      return { builder: BUILDERS[name], why };
    }
    reasons.push(`not ${name}: ${missing}`);
  }
  throw new ActionError(
    `No builder can run on this runner (${reasons.join('; ')}).`,
    "use a GitHub-hosted runner (docker with buildx), install docker or buildah in an earlier step, or publish an image built elsewhere with 'source'.",
  );
}

async function theOneAskedFor(
  choice: BuilderName,
  mounts: boolean,
): Promise<{ builder: Builder; why: string }> {
  const missing = await probe(choice, mounts);
  if (missing && choice === 'docker' && mounts && !(await dockerDaemonProblem()))
    throw new ActionError(`Input 'builder' is 'docker', but ${missing}.`, CLASSIC_FIX);
  if (missing) {
    throw new ActionError(
      `Input 'builder' is '${choice}', but ${missing} on this runner.`,
      `install it in an earlier step, or set 'builder: auto' to use what is here (buildx, docker or buildah).`,
    );
  }
  return { builder: BUILDERS[choice], why: `'builder: ${choice}' was asked for` };
}

export async function selectBuilder(options: {
  builder: BuilderChoice;
  platforms: string[];
  source: string;
  /** The build's secrets and SSH mounts as given (a builder that cannot mount them is passed over or refused). */
  secrets?: string[];
  secretFiles?: string[];
  secretEnvs?: string[];
  ssh?: string[];
  /** The attestation inputs as given: only buildx attests. */
  provenance?: string;
  sbom?: string;
}): Promise<Selection> {
  if (options.source) {
    const why = `'source' names a local image (${options.source})`;
    return { builder: localImageBuilder(options.source), why, builds: false, title: `Tag ${options.source}` };
  }
  const mounts = [options.secrets, options.secretFiles, options.secretEnvs, options.ssh].some(
    (list) => !!list?.length,
  );
  const selected =
    options.builder === 'auto' ? await firstThatWorks(mounts) : await theOneAskedFor(options.builder, mounts);
  const { platforms } = options;
  if (platforms.length > 1 && !selected.builder.multiPlatform) {
    throw new ActionError(
      `Input 'platforms' lists ${platforms.length} platforms (${platforms.join(', ')}), but the ${selected.builder.name} builder builds one platform at a time.`,
      'use the buildx builder (GitHub-hosted runners have it; add docker/setup-qemu-action for other architectures), or give a single platform.',
    );
  }
  refuseAttestations(selected.builder.name, options);
  return { ...selected, builds: true, title: `Build with ${selected.builder.name}` };
}

/** The attestation inputs given a value that asks for one (`false` asks for none). */
function requestedAttestations(given: { provenance: string; sbom: string }): string[] {
  return (['provenance', 'sbom'] as const).filter((name) => {
    const value = given[name].trim().toLowerCase();
    return value !== '' && value !== 'false';
  });
}

/** `provenance`/`sbom` asked of a builder that cannot attest: refused before anything runs. */
function refuseAttestations(name: Builder['name'], given: { provenance?: string; sbom?: string }): void {
  const asked = requestedAttestations({ provenance: given.provenance ?? '', sbom: given.sbom ?? '' });
  if (name === 'buildx' || asked.length === 0) return;
  const inputs = asked.map((input) => `'${input}'`).join(' and ');
  throw new ActionError(
    `${inputs} ${asked.length > 1 ? 'ask' : 'asks'} for buildx attestations, but the ${name} builder cannot make them.`,
    `use the buildx builder (docker/setup-buildx-action) for ${inputs}; or remove ${inputs} and attest the pushed digest with actions/attest-build-provenance (the recipe in docs/attestations.md; the reusable workflow's 'attest: true').`,
  );
}
