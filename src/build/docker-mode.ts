/**
 * Which builder `docker build` runs: BuildKit wherever the CLI and the daemon offer it (the buildx plugin, or
 * DOCKER_BUILDKIT=1 with a CLI older than 23 and a Linux daemon of 18.09 or later, such as Debian's docker.io),
 * the classic builder only when neither does. DOCKER_BUILDKIT set in the step's environment is the user's word.
 */
import { buildxProblem, dockerVersions } from '../docker/cli.js';

export interface DockerFacts {
  /** Whether the CLI has the buildx plugin. */
  buildx: boolean;
  /** `docker version`'s client and server versions and the server's OS ('' when unknown). */
  client: string;
  server: string;
  os: string;
  /** DOCKER_BUILDKIT as the step's environment sets it (undefined when unset). */
  override: string | undefined;
}

export interface DockerMode {
  buildkit: boolean;
  /** Why, for the one log line and the refusal of secrets. */
  why: string;
  /** Why docker cannot build at all in the mode asked for (DOCKER_BUILDKIT=1 on a CLI that needs buildx). */
  problem?: string;
  /** Whether `docker build` goes through the buildx plugin (then the docker driver's builder is named). */
  buildx?: boolean;
}

/** `20.10.24+dfsg1` -> [20, 10]; [0, 0] for what is not a version. */
function majorMinor(version: string): [number, number] {
  const match = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

const atLeast = (version: string, major: number, minor: number): boolean => {
  const [a, b] = majorMinor(version);
  return a > major || (a === major && b >= minor);
};

/** The decision, from the facts alone. */
export function dockerMode(facts: DockerFacts): DockerMode {
  const override = facts.override?.trim().toLowerCase();
  if (override === '0' || override === 'false')
    return { buildkit: false, why: `DOCKER_BUILDKIT=${facts.override} is set in the step's environment` };
  if (override === '1' || override === 'true') {
    const why = `DOCKER_BUILDKIT=${facts.override} is set in the step's environment`;
    // A CLI of 23 or later runs BuildKit only through buildx: without it, every build fails.
    const problem =
      !facts.buildx && atLeast(facts.client, 23, 0)
        ? `${why}, but the docker CLI ${facts.client} runs BuildKit only through the buildx plugin, which is not installed`
        : undefined;
    return { buildkit: true, why, buildx: facts.buildx, ...(problem ? { problem } : {}) };
  }
  if (facts.buildx) return { buildkit: true, why: 'the docker CLI has the buildx plugin', buildx: true };
  const daemon = `the daemon (${facts.server || 'version unknown'}, ${facts.os || 'OS unknown'})`;
  if (facts.os !== 'linux' || !atLeast(facts.server, 18, 9))
    return { buildkit: false, why: `${daemon} has no BuildKit (it needs a Linux daemon of 18.09 or later)` };
  if (atLeast(facts.client, 23, 0))
    return {
      buildkit: false,
      why: `the docker CLI ${facts.client} runs BuildKit only through the buildx plugin, which is not installed`,
    };
  return {
    buildkit: true,
    why: `the docker CLI ${facts.client} has no buildx plugin, and ${daemon} has BuildKit built in (DOCKER_BUILDKIT=1)`,
  };
}

/**
 * The environment `docker build` runs with in that mode. Through buildx, the `default` builder (the docker
 * driver, which loads the image into docker for the push): after docker/setup-buildx-action the current builder
 * may be a container one, whose result docker never sees.
 */
export const modeEnv = (mode: DockerMode): Record<string, string> => ({
  DOCKER_BUILDKIT: mode.buildkit ? '1' : '0',
  ...(mode.buildkit && mode.buildx ? { BUILDX_BUILDER: 'default' } : {}),
});

/** The mode on this runner, asked of docker. */
export async function detectDockerMode(): Promise<DockerMode> {
  const versions = (await dockerVersions()) ?? { client: '', server: '', os: '' };
  const buildx = (await buildxProblem()) === undefined;
  return dockerMode({ buildx, ...versions, override: process.env.DOCKER_BUILDKIT });
}
