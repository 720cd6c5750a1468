/** Which registries are GitHub's, and where a package lives on GitHub: the one home of these rules. */
import type { RunContext } from '../context.js';
import { isLoopbackRegistry, type Reference } from '../registry/index.js';

/** ghcr.io, or containers.<server> on GitHub Enterprise Server. */
function isGitHubHostedRegistry(registry: string, context: RunContext): boolean {
  return registry === 'ghcr.io' || registry === `containers.${new URL(context.serverUrl).host}`;
}

/**
 * Registries GitHub runs: ghcr.io, containers.<server> on GitHub Enterprise Server, and, when the GitHub server
 * itself is on this machine (a local stand-in), registries on this machine. Only these get a GitHub token.
 */
export function isGitHubRegistry(registry: string, context: RunContext): boolean {
  if (isGitHubHostedRegistry(registry, context)) return true;
  return isLoopbackRegistry(new URL(context.serverUrl).host) && isLoopbackRegistry(registry);
}

/** The package page of an image on GitHub's own container registry, when it is there and the run has a repository. */
export function packageUrl(image: Reference, context: RunContext): string | undefined {
  if (!isGitHubHostedRegistry(image.registry, context) || !context.repository) return undefined;
  const name = encodeURIComponent(image.repository.split('/').slice(1).join('/'));
  return `${context.serverUrl}/${context.repository}/pkgs/container/${name}`;
}
