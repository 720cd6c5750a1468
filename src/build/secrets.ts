/**
 * Build secrets and SSH mounts as builder flags. A secret value is written to a file of its own (mode 0600) in a
 * private folder under RUNNER_TEMP (mode 0700), which is removed after the build whatever happens: argv names
 * only that file, never the value. Secret files and SSH paths are passed as they are.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildRequest } from './types.js';
import { runnerTempDir } from './workdir.js';

/** The prefix of the private folder under RUNNER_TEMP (tests look for what is left of it). */
export const SECRETS_FOLDER_PREFIX = 'ghcr-image-secrets-';

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
  request: Pick<BuildRequest, 'secrets' | 'ssh'>,
  build: (args: string[]) => Promise<T>,
): Promise<T> {
  if (!needsMounts(request)) return build([]);
  const folder = mkdtempSync(join(runnerTempDir(), SECRETS_FOLDER_PREFIX));
  try {
    chmodSync(folder, 0o700);
    request.secrets.forEach((secret, index) => {
      if ('value' in secret) writeFileSync(join(folder, `secret-${index}`), secret.value, { mode: 0o600 });
    });
    return await build(mountArgs(request, folder));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
