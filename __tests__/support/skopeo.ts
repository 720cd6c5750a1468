import { mustRun } from './exec.js';

/** skopeo with this argv as is (any transport: `oci:`, `docker-archive:`, `docker://`), trimmed stdout. */
export async function skopeo(args: readonly string[]): Promise<string> {
  return (await mustRun('skopeo', args)).stdout.trim();
}

/** skopeo against the stand-in's plain-http registries: `skopeo inspect --tls-verify=false`, trimmed stdout. */
export function skopeoInspect(ref: string, creds: string[], format = '{{.Digest}}'): Promise<string> {
  return skopeo(['inspect', '--tls-verify=false', ...creds, '--format', format, `docker://${ref}`]);
}

/** The manifest digest skopeo reads for a reference on the stand-in. */
export const skopeoDigest = (ref: string, creds: string[]): Promise<string> => skopeoInspect(ref, creds);

/** `--creds user:secret` for skopeo. */
export const skopeoCreds = (user: string, secret: string): string[] => ['--creds', `${user}:${secret}`];
