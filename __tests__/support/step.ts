import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMain, runnerEnv, runPostStep, type StepResult } from './action.js';
import type { Stack } from './stack.js';

const ROOT = join(import.meta.dirname ?? process.cwd(), '..', '..');
export const FIXTURES = join(import.meta.dirname ?? process.cwd(), '..', 'fixtures');

/** A job on the stand-in: runner variables, the stack's dockerd, a docker config of its own, GitHub facts. */
export interface Job {
  env: NodeJS.ProcessEnv;
  dockerConfig: string;
  main(inputs: Record<string, string>): Promise<StepResult>;
  post(inputs: Record<string, string>, state: Record<string, string>): Promise<StepResult>;
  /** The docker config file's text ('' when there is none). */
  dockerConfigText(): string;
}

export function stackJob(
  stack: Stack,
  options: { event?: string; eventName?: string; env?: NodeJS.ProcessEnv } = {},
): Job {
  const e = stack.env;
  const env = runnerEnv({
    DOCKER_HOST: e.DOCKER_HOST,
    CONTAINERS_STORAGE_CONF: e.CONTAINERS_STORAGE_CONF,
    CONTAINERS_REGISTRIES_CONF: e.CONTAINERS_REGISTRIES_CONF,
    BUILDAH_ISOLATION: e.BUILDAH_ISOLATION,
    GITHUB_REPOSITORY: e.REPOSITORY,
    GITHUB_REPOSITORY_OWNER: e.OWNER,
    GITHUB_ACTOR: e.ACTOR,
    // The GitHub server is the stand-in on this machine, so its loopback registries count as GitHub's.
    GITHUB_SERVER_URL: e.GITHUB_API_URL,
    GITHUB_API_URL: e.GITHUB_API_URL,
    // The checkout: builds may read files here (the examples), as on a runner after actions/checkout.
    GITHUB_WORKSPACE: ROOT,
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_EVENT_PATH: join(FIXTURES, 'events', options.event ?? 'push_main.json'),
    GITHUB_SHA: '4f6d3a1c2b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f',
    GITHUB_REF: 'refs/heads/main',
    ...options.env,
  });
  const dockerConfig = join(env.RUNNER_TEMP as string, 'docker-config');
  mkdirSync(dockerConfig, { recursive: true });
  env.DOCKER_CONFIG = dockerConfig;
  return {
    env,
    dockerConfig,
    main: (inputs) => runMain({ registry: e.REGISTRY_TOKEN, username: e.ACTOR, ...inputs }, env),
    post: (inputs, state) => runPostStep({ registry: e.REGISTRY_TOKEN, ...inputs }, state, env),
    dockerConfigText: () => {
      const file = join(dockerConfig, 'config.json');
      return existsSync(file) ? readFileSync(file, 'utf8') : '';
    },
  };
}

/** Annotations the step raised, by level, with the runner's %0A line breaks undone. */
export function annotations(result: StepResult, level: 'warning' | 'notice' | 'error'): string[] {
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith(`::${level}`))
    .map((line) =>
      line
        .slice(line.indexOf('::', 2) + 2)
        .replace(/%0A/g, '\n')
        .replace(/%25/g, '%'),
    );
}

/** Whether any annotation of that level the step raised contains `text`. */
export function annotated(result: StepResult, level: 'warning' | 'notice' | 'error', text: string): boolean {
  return annotations(result, level).some((annotation) => annotation.includes(text));
}

/**
 * Every place a secret could leak, minus the `::add-mask::` commands (the runner consumes those; they are how
 * a secret gets masked, never shown).
 */
export function leakSurface(result: StepResult): string {
  return result.everything
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}
