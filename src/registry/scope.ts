/**
 * Scopes: what a request needs to be allowed to do, in the token service's terms. The one place that says which
 * actions an operation needs (like go-containerregistry's transport/scope.go).
 */

/** What a request needs to be allowed to do, e.g. {repository: 'o/app', actions: ['pull', 'push']}. */
export interface Scope {
  repository: string;
  actions: string[];
}

/** `repository:<name>:<action,...>`, as token services read a scope. */
export function scopeString(scope: Scope): string {
  return `repository:${scope.repository}:${scope.actions.join(',')}`;
}

/** Reading manifests, tags and blobs. */
export function pullScope(repository: string): Scope[] {
  return [{ repository, actions: ['pull'] }];
}

/** Writing blobs and manifests (a push reads too: existence checks, mounts, resumed uploads). */
export function pushScope(repository: string): Scope[] {
  return [{ repository, actions: ['pull', 'push'] }];
}

/** Deleting manifests. */
export function deleteScope(repository: string): Scope[] {
  return [{ repository, actions: ['delete'] }];
}

/**
 * Scopes merged per repository (actions joined, sorted), so that one token can answer for all of them: a
 * command asks once for everything it will do on a registry instead of once per kind of request.
 */
export function mergeScopes(...lists: Scope[][]): Scope[] {
  const byRepository = new Map<string, Set<string>>();
  for (const scope of lists.flat()) {
    const actions = byRepository.get(scope.repository) ?? new Set<string>();
    for (const action of scope.actions) actions.add(action);
    byRepository.set(scope.repository, actions);
  }
  return [...byRepository.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([repository, actions]) => ({ repository, actions: [...actions].sort() }));
}
