/** buildah (no daemon): bud, push with --digestfile; its layer store kept across runs with @actions/cache. */
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError } from '../errors.js';
import { isLoopbackRegistry, printable, repositoryOf, type Credentials } from '../registry/index.js';
import { runTool, tail } from '../tool.js';
import { dockerfilePulls, imageArgs, registryOfImage } from './args.js';
import {
  buildahCacheArgs,
  buildahCacheRepository,
  isBuildahCachePushFailure,
  cacheScope,
  usesCache,
} from './cache.js';
import { networkArgs, withMounts } from './secrets.js';
import { wrongPlatform } from './buildah-platform.js';
import { exportedResult } from './export.js';
import type { BuildRequest, BuildResult, Builder, ExportedImage } from './types.js';

/** No TLS: for a registry on this machine, which the action's own client speaks plain http to. */
const TLS_OFF = '--tls-verify=false';

/**
 * The transport rule of the action's client for bud's pulls: `--tls-verify` covers every pull of the build, so it
 * is turned off only when everything the Dockerfile pulls is on a loopback registry. When any pull goes elsewhere,
 * or the Dockerfile cannot be read for sure, TLS stays verified (registries.conf still decides for loopback ones).
 */
function budTlsArgs(request: BuildRequest): string[] {
  let text: string;
  try {
    text = readFileSync(request.file, 'utf8');
  } catch {
    return [];
  }
  const pulls = dockerfilePulls(text, request.buildArgs);
  const local = !!pulls?.length && pulls.every((image) => isLoopbackRegistry(registryOfImage(image)));
  return local ? [TLS_OFF] : [];
}

/**
 * `bud --layers --force-rm`, `mounts` the secret and SSH flags: --force-rm removes the working container of a failed step too (--rm, the default,
 * removes it only after a success), so a failed build leaves nothing behind.
 */
export function buildahBudArgs(request: BuildRequest, iidFile: string, mounts: string[] = []): string[] {
  const args = ['bud', '--layers', '--force-rm', '--file', request.file, '--iidfile', iidFile];
  args.push(...imageArgs(request));
  if (request.platforms.length === 1) args.push('--platform', request.platforms[0] ?? '');
  if (request.noCache) args.push('--no-cache');
  args.push(...buildahCacheArgs(request));
  if (request.pull) args.push('--pull=always');
  args.push(...budTlsArgs(request), ...networkArgs(request), ...mounts);
  // '--' ends the options: a context folder named like a flag (--output=...) stays a folder.
  args.push('--', request.context);
  return args;
}

/** `buildah push` of one tag, TLS off for a loopback registry only (as the action's client: plain http there). */
export function buildahPushArgs(request: BuildRequest, tag: string, digestFile: string): string[] {
  const name = `${repositoryOf(request.image)}:${tag}`;
  const tls = isLoopbackRegistry(request.image.registry) ? [TLS_OFF] : [];
  return ['push', ...tls, '--digestfile', digestFile, name, `docker://${name}`];
}

/** What buildah's connection failure means, in plain words, and its fix. */
export interface ConnectionProblem {
  what: string;
  fix: string;
}

const TRUST_FIX = (host: string) =>
  `give the runner the CA certificate that signed ${host}'s certificate (the system's trust store, or /etc/containers/certs.d/${host}/ca.crt for buildah), or give the registry a certificate valid for that name; TLS is always verified for a registry that is not on this machine.`;

/** A plain-http registry: the action speaks http to one on this machine only, as buildah does with TLS_OFF. */
const HTTP_FIX = (host: string) =>
  isLoopbackRegistry(host)
    ? `list ${host} with 'insecure = true' in registries.conf (CONTAINERS_REGISTRIES_CONF): a build that also pulls from a registry not on this machine has every pull's TLS verified.`
    : 'serve the registry over https with a certificate the runner trusts: the action speaks plain http only to a registry on this machine (localhost, 127.0.0.0/8, ::1).';

/**
 * A TLS or plain-http failure in buildah's last `Error:` line (a push, or a pull of bud), said plainly; undefined
 * for anything else, a failed build step included (whatever the step printed). Registry text is made printable.
 */
export function connectionProblem(output: string): ConnectionProblem | undefined {
  const line = output
    .split('\n')
    .map((text) => text.trim())
    .filter((text) => text.startsWith('Error: '))
    .at(-1);
  if (!line || line.startsWith('Error: building at STEP')) return undefined;
  const found =
    [...line.matchAll(/"https:\/\/([^/"\s]+)/g)].at(-1)?.[1] ??
    /pinging container registry (\S+?):\s/.exec(line)?.[1];
  const host = found ? printable(found, 120) : 'the registry';
  const x509 = /\bx509: (.+)$/.exec(line)?.[1];
  const tls = /\btls: (.+)$/.exec(line)?.[1];
  if (x509) {
    const what = `${host} presented a TLS certificate that is not trusted here (x509: ${printable(x509)})`;
    return { what, fix: TRUST_FIX(host) };
  }
  if (tls)
    return { what: `the TLS handshake with ${host} failed (tls: ${printable(tls)})`, fix: TRUST_FIX(host) };
  if (line.includes('server gave HTTP response to HTTPS client'))
    return { what: `${host} answers plain http, not https`, fix: HTTP_FIX(host) };
  return undefined;
}

type ToolRun = NonNullable<Awaited<ReturnType<typeof runTool>>>;

/** Runs buildah; a missing buildah is an error naming `what` and `fix`. */
async function runBuildah(args: string[], what: string, fix: string, env: Record<string, string>) {
  const run = await runTool('buildah', args, { env });
  if (!run) throw new ActionError(`${what}: 'buildah' is not installed on this runner.`, fix);
  return run;
}

/** A failure that quotes buildah's last words, with the plain cause when it is TLS. */
function buildahFailed(run: ToolRun, what: string, fix: string): ActionError {
  const problem = connectionProblem(`${run.stdout}\n${run.stderr}`);
  const plainly = problem ? ` ${problem.what}.` : '';
  return new ActionError(`${what} failed (exit ${run.code}):${plainly}\n${tail(run)}`, problem?.fix ?? fix);
}

/** Runs buildah, which must succeed. */
async function mustRunBuildah(args: string[], what: string, fix: string, env: Record<string, string>) {
  const run = await runBuildah(args, what, fix, env);
  if (run.code !== 0) throw buildahFailed(run, what, fix);
}

const BUD_FIX = 'read the build log above; fix the Dockerfile or the inputs.';

/**
 * bud. buildah fails a build whose cached step it cannot push to the registry cache; a cache must never fail a
 * build, so that one failure is a warning and bud runs again without --cache-to (its steps are in the local
 * layer store by then, so the second run is quick).
 */
async function bud(request: BuildRequest, iidFile: string, env: Record<string, string>): Promise<void> {
  await withMounts(request, async (mounts) => {
    const args = buildahBudArgs(request, iidFile, mounts);
    const run = await runBuildah(args, 'buildah bud', BUD_FIX, env);
    if (run.code === 0) return;
    const output = `${run.stdout}\n${run.stderr}`;
    if (!args.includes('--cache-to') || !isBuildahCachePushFailure(output))
      throw buildahFailed(run, 'buildah bud', BUD_FIX);
    const why = /^Error: failed pushing cache to .*$/m.exec(output)?.[0] ?? '';
    core.warning(
      `buildah could not write the build cache to ${buildahCacheRepository(request)}, so it is built again without writing it (a cache never fails a build): ${printable(why, 300)}`,
    );
    const at = args.indexOf('--cache-to');
    await mustRunBuildah([...args.slice(0, at), ...args.slice(at + 2)], 'buildah bud', BUD_FIX, env);
  });
}

/**
 * A containers auth file (the docker config format) readable by root only, for buildah's pulls and push; the
 * secret never goes into argv. Removed after use.
 */
function withAuthFile<T>(
  request: BuildRequest,
  run: (env: Record<string, string>) => Promise<T>,
): Promise<T> {
  const credentials: Credentials | undefined = request.credentials;
  if (!credentials) return run({});
  const file = join(request.workDir, `buildah-auth-${process.pid}.json`);
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  writeFileSync(file, JSON.stringify({ auths: { [request.image.registry]: { auth } } }), { mode: 0o600 });
  return run({ REGISTRY_AUTH_FILE: file }).finally(() => rmSync(file, { force: true }));
}

/** The layer store's folder, to cache between runs. */
async function storageRoot(): Promise<string | undefined> {
  const info = await runTool('buildah', ['info', '--format', '{{.store.GraphRoot}}'], { silent: true });
  return info?.code === 0 ? info.stdout.trim() || undefined : undefined;
}

/** The Actions cache key of the layer store: one scope per image, target and platform list (build/cache.ts). */
export function layerCacheKey(request: BuildRequest): { key: string; restoreKeys: string[] } {
  const prefix = `ghcr-image-action-buildah-${process.platform}-${process.arch}-${cacheScope(request)}-`;
  const dockerfile = createHash('sha256').update(readFileSync(request.file)).digest('hex').slice(0, 16);
  return { key: `${prefix}${dockerfile}`, restoreKeys: [prefix] };
}

async function restoreLayers(request: BuildRequest): Promise<(() => Promise<void>) | undefined> {
  // @actions/cache (and its storage SDK) is loaded only here, by a buildah build that uses the cache.
  const cache =
    request.cache === 'default' && usesCache(request) ? await import('@actions/cache') : undefined;
  if (!cache?.isFeatureAvailable()) {
    core.debug(
      'buildah layer cache: not used (cache off or in the registry, or no GitHub Actions cache service here).',
    );
    return undefined;
  }
  const root = await storageRoot();
  if (!root) return undefined;
  const { key, restoreKeys } = layerCacheKey(request);
  try {
    const hit = await cache.restoreCache([root], key, restoreKeys);
    core.info(hit ? `buildah layer cache restored (${hit}).` : 'buildah layer cache: no earlier entry.');
    if (hit === key) return undefined;
  } catch (error) {
    core.warning(`buildah layer cache could not be restored (building without it): ${String(error)}`);
  }
  return async () => {
    try {
      await cache.saveCache([root], key);
    } catch (error) {
      core.debug(`buildah layer cache not saved: ${String(error)}`);
    }
  };
}

/** The built image's ID, built again without the layer cache when the cache gave another platform's image. */
async function checkedPlatform(request: BuildRequest, iidFile: string, env: Record<string, string>) {
  const wrong = await wrongPlatform(request, readFileSync(iidFile, 'utf8').trim(), env);
  if (!wrong) return readFileSync(iidFile, 'utf8').trim();
  core.warning(
    `buildah's layer cache gave an image for ${wrong}, not the ${request.platforms[0]} asked for: built again without the cache.`,
  );
  await bud({ ...request, noCache: true }, iidFile, env);
  const imageId = readFileSync(iidFile, 'utf8').trim();
  const still = await wrongPlatform(request, imageId, env);
  if (still) {
    throw new ActionError(
      `buildah built an image for ${still}, not the ${request.platforms[0]} asked for in 'platforms'.`,
      "check the Dockerfile's FROM lines (a base image of one platform only), or build this platform with buildx.",
    );
  }
  return imageId;
}

/** The built image as an OCI image layout in the work folder, for the action's by-digest upload. */
async function exportLayout(
  imageId: string,
  request: BuildRequest,
  env: Record<string, string>,
): Promise<ExportedImage> {
  const path = join(request.workDir, 'oci-layout');
  await mustRunBuildah(
    ['push', '--quiet', imageId, `oci:${path}`],
    `buildah push ${imageId} to an OCI layout`,
    'check the disk space of the runner, then run the job again.',
    env,
  );
  return { format: 'oci-layout', path };
}

export const buildahBuilder: Builder = {
  name: 'buildah',
  multiPlatform: false,
  async build(request: BuildRequest): Promise<BuildResult> {
    const repository = repositoryOf(request.image);
    const iidFile = join(request.workDir, 'buildah.iid');
    const saveLayers = await restoreLayers(request);
    return withAuthFile(request, async (env) => {
      await bud(request, iidFile, env);
      const imageId = await checkedPlatform(request, iidFile, env);
      await saveLayers?.();
      if (request.push && request.byDigest)
        return exportedResult(imageId, await exportLayout(imageId, request, env), {});
      const first = request.tags[0];
      if (!request.push || !first) return { imageId, pushedTags: [], reportedDigest: undefined, details: {} };
      const digestFile = join(request.workDir, 'buildah.digest');
      await mustRunBuildah(
        buildahPushArgs(request, first, digestFile),
        `buildah push ${repository}:${first}`,
        'read the output above; the push rights were proven before the build, so look for a network or registry failure.',
        env,
      );
      return {
        imageId,
        pushedTags: [first],
        reportedDigest: readFileSync(digestFile, 'utf8').trim(),
        details: {},
      };
    });
  },
};
