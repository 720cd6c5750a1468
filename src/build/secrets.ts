/**
 * Build secrets and SSH mounts as builder flags. A secret value is written to a file of its own (mode 0600) in a
 * private folder (mode 0700) under RUNNER_TEMP, or the system's temp folder when the build context holds
 * RUNNER_TEMP, which is removed after the build whatever happens (see secrets-cleanup.ts): argv names only that
 * file, never the value. Secret files and SSH paths are passed as they are.
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSecretsFolder, removedOnSignal } from './secrets-cleanup.js';
import type { BuildRequest } from './types.js';

export { SECRETS_FOLDER_PREFIX } from './secrets-cleanup.js';

/** Whether a build needs a builder that mounts secrets or SSH agents (BuildKit or buildah). */
export function needsMounts(request: Pick<BuildRequest, 'secrets' | 'ssh'>): boolean {
  return request.secrets.length > 0 || request.ssh.length > 0;
}

/**
 * `--secret id=ID,src=FILE` per secret (values as files of `folder`, which must exist), then `--ssh default` or
 * `--ssh ID=PATH` per mount: the syntax of BuildKit (docker, buildx) and of buildah alike.
 */
export function mountArgs(request: Pick<BuildRequest, 'secrets' | 'ssh'>, folder: string): string[] {
  const args: string[] = [];
  request.secrets.forEach((secret, index) => {
    const src = 'file' in secret ? secret.file : join(folder, `secret-${index}`);
    args.push('--secret', `id=${secret.id},src=${src}`);
  });
  for (const mount of request.ssh)
    args.push('--ssh', mount.id === 'default' ? 'default' : `${mount.id}=${mount.path}`);
  return args;
}

/** `--network host|none`; nothing for the builder's default. */
export function networkArgs(request: Pick<BuildRequest, 'network'>): string[] {
  return request.network === 'default' ? [] : ['--network', request.network];
}

/**
 * Runs `build` with the mount flags of the request; the values are written to a private folder first (only when
 * there is a secret or an SSH mount) and that folder is removed after, the build failed or not.
 */
export async function withMounts<T>(
  request: Pick<BuildRequest, 'secrets' | 'ssh' | 'context'>,
  build: (args: string[]) => Promise<T>,
): Promise<T> {
  if (!needsMounts(request)) return build([]);
  const folder = makeSecretsFolder(request.context);
  try {
    chmodSync(folder, 0o700);
    return await removedOnSignal(folder, () => {
      request.secrets.forEach((secret, index) => {
        if ('value' in secret) writeFileSync(join(folder, `secret-${index}`), secret.value, { mode: 0o600 });
      });
      return build(mountArgs(request, folder));
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
