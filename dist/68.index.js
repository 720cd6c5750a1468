export const id = 68;
export const ids = [68];
export const modules = {

/***/ 4068:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  publish: () => (/* binding */ publish)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/docker/cli.ts
var cli = __webpack_require__(1670);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/tool.ts
var tool = __webpack_require__(5325);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/registry/index.ts + 44 modules
var registry = __webpack_require__(9183);
;// CONCATENATED MODULE: ./src/build/args.ts

/** The argv every builder shares: --tag per tag, --label and --build-arg per entry, --target when set. */
function imageArgs(request) {
    const repository = (0,registry/* repositoryOf */._M)(request.image);
    const args = [];
    for (const tag of request.tags)
        args.push('--tag', `${repository}:${tag}`);
    for (const [key, value] of Object.entries(request.labels))
        args.push('--label', `${key}=${value}`);
    for (const [key, value] of Object.entries(request.buildArgs))
        args.push('--build-arg', `${key}=${value}`);
    if (request.target)
        args.push('--target', request.target);
    return args;
}
/** A Dockerfile's instructions, one a line: comments and blank lines dropped, `\` line continuations joined. */
function instructions(text) {
    const found = [];
    let pending = '';
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (!line || line.startsWith('#'))
            continue;
        if (line.endsWith('\\'))
            pending += `${line.slice(0, -1)} `;
        else {
            found.push(pending + line);
            pending = '';
        }
    }
    if (pending.trim())
        found.push(pending.trim());
    return found;
}
const VARIABLE = /\$(?:\{([A-Za-z_]\w*)(?::?([-+])([^}]*))?\}|([A-Za-z_]\w*))/g;
/** `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME:+word}` replaced; undefined when a name has no value. */
function expand(word, values) {
    let unknown = false;
    const expanded = word.replace(VARIABLE, (_all, braced, op, alt = '', bare) => {
        const value = values.get(braced ?? bare ?? '');
        if (op === '-')
            return value || alt;
        if (op === '+')
            return value ? alt : '';
        if (value === undefined)
            unknown = true;
        return value ?? '';
    });
    return unknown || expanded.includes('$') ? undefined : expanded;
}
/** `ARG NAME[=default] ...`: each name's value, a build arg first, then its default, then `inherited`'s. */
function declare(words, into, buildArgs, inherited) {
    for (const word of words) {
        const [name = '', ...rest] = word.split('=');
        const fallback = rest.length
            ? expand(rest.join('=').replace(/^(["'])(.*)\1$/, '$2'), into)
            : inherited?.get(name);
        const value = Object.hasOwn(buildArgs, name) ? buildArgs[name] : fallback;
        if (value !== undefined)
            into.set(name, value);
    }
}
/** The images a step's leading flags name: `--from=` (COPY, ADD) and `--mount=...,from=` (RUN). */
function fromFlags(op, words) {
    if (!['COPY', 'ADD', 'RUN'].includes(op))
        return [];
    const images = [];
    for (const word of words) {
        if (!word.startsWith('--'))
            break;
        if (word.startsWith('--from='))
            images.push(word.slice('--from='.length));
        if (!word.startsWith('--mount='))
            continue;
        const from = word
            .slice('--mount='.length)
            .split(',')
            .find((option) => option.startsWith('from='));
        if (from)
            images.push(from.slice('from='.length));
    }
    return images;
}
/**
 * The images a build of this Dockerfile may pull, build args applied: every FROM and `--from` that names no
 * earlier stage and is not `scratch`. Undefined when that cannot be told for sure (a variable without a value,
 * an escape directive): the caller must then assume any registry.
 */
function dockerfilePulls(text, buildArgs) {
    if (/^#\s*escape\s*=/im.test(text))
        return undefined;
    const globals = new Map();
    let scope;
    const stages = [];
    const pulls = [];
    const add = (image) => {
        if (!image)
            return false;
        const name = image.toLowerCase();
        if (name !== 'scratch' && !stages.includes(name) && !/^\d+$/.test(name))
            pulls.push(image);
        return true;
    };
    for (const line of instructions(text)) {
        const [keyword = '', ...words] = line.split(/\s+/);
        const op = keyword.toUpperCase();
        if (op === 'ARG')
            declare(words, scope ?? globals, buildArgs, scope && globals);
        else if (op === 'FROM') {
            const [image = '', as, stage] = words.filter((word) => !word.startsWith('--'));
            if (!add(expand(image, globals)))
                return undefined;
            if (as?.toLowerCase() === 'as' && stage)
                stages.push(stage.toLowerCase());
            scope = new Map();
        }
        else {
            for (const flag of fromFlags(op, words))
                if (!add(expand(flag, scope ?? globals)))
                    return undefined;
        }
    }
    return pulls;
}
/** The registry an image name pulls from, by docker's rule: a first component with '.' or ':', or localhost. */
function registryOfImage(image) {
    const slash = image.indexOf('/');
    const first = slash < 0 ? '' : image.slice(0, slash);
    return /[.:]/.test(first) || first === 'localhost' ? first : 'docker.io';
}

;// CONCATENATED MODULE: ./src/build/cache.ts
/**
 * Where a build's cache lives, per builder, and under which scope. `cache: true` uses each builder's own store
 * (buildx and buildah: the GitHub Actions cache; docker: the image in its registry, inline cache); `registry` keeps
 * the cache in the image's registry for every builder, so it works on any runner. A scope per image (and per
 * target and platform list) keeps two images, or the per-platform jobs of one image, from evicting each other.
 */


/** The longest registry tag (and the budget of the scope's suffix inside it). */
const MAX_TAG = 128;
/** A scope part as a tag fragment: lower-case letters, digits, '.', '_' and '-'. */
function slug(part) {
    return part
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/^[-.]+|[-.]+$/g, '');
}
/** What sets one cache apart within an image: the Dockerfile target and the platforms, '' for neither. */
function scopeSuffix(request) {
    // Platforms sorted: `amd64,arm64` and `arm64,amd64` are one build, and share one cache.
    const parts = [request.target, ...[...request.platforms].sort()].map(slug).filter(Boolean);
    const suffix = parts.join('-');
    if (suffix.length <= MAX_TAG - 'buildcache-'.length)
        return suffix;
    // Too long for a tag: a short hash keeps scopes apart.
    return (0,external_node_crypto_.createHash)('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}
/** The GitHub Actions cache scope: the image's registry and repository, then the suffix. */
function cacheScope(request) {
    const suffix = scopeSuffix(request);
    const repository = (0,registry/* repositoryOf */._M)(request.image);
    return suffix ? `${repository}-${suffix}` : repository;
}
/** The tag that holds buildx's registry cache in the image's own repository: `buildcache[-<suffix>]`. */
function buildcacheTag(request) {
    const suffix = scopeSuffix(request);
    return suffix ? `buildcache-${suffix}` : 'buildcache';
}
/**
 * buildah's registry cache: a repository beside the image's (`<image>-buildcache`), since buildah tags every
 * cached step by its key there and those tags must not crowd the image's own tag list.
 */
function buildahCacheRepository(request) {
    return `${(0,registry/* repositoryOf */._M)(request.image)}-buildcache`;
}
/** Whether a build reads a cache at all. */
const usesCache = (request) => request.cache !== 'off' && !request.noCache;
/**
 * buildx's cache flags. Every export ignores errors (a cache must never fail a build); an import that finds
 * nothing is a warning in BuildKit. The `docker` driver exports no cache but an inline one in the image itself,
 * so there the registry cache is the image under `cacheTag`. Without a push, nothing is exported to the registry.
 */
function buildxCacheArgs(request, driver) {
    if (!usesCache(request))
        return [];
    const ref = (0,registry/* repositoryOf */._M)(request.image);
    if (driver === 'docker') {
        if (request.cache !== 'registry' || !request.cacheTag)
            return [];
        const from = ['--cache-from', `type=registry,ref=${ref}:${request.cacheTag}`];
        return request.push ? [...from, '--cache-to', 'type=inline'] : from;
    }
    if (request.cache === 'default') {
        const scope = `scope=${cacheScope(request)}`;
        return [
            '--cache-from',
            `type=gha,${scope}`,
            '--cache-to',
            `type=gha,${scope},mode=max,ignore-error=true`,
        ];
    }
    const at = `type=registry,ref=${ref}:${buildcacheTag(request)}`;
    const from = ['--cache-from', at];
    return request.push ? [...from, '--cache-to', `${at},mode=max,ignore-error=true`] : from;
}
/** buildah's registry cache flags (the Actions cache of its layer store is buildah.ts's); written only on a push. */
function buildahCacheArgs(request) {
    if (!usesCache(request) || request.cache !== 'registry')
        return [];
    const repository = buildahCacheRepository(request);
    const from = ['--cache-from', repository];
    return request.push ? [...from, '--cache-to', repository] : from;
}
/** buildah's words when it could not write a cached step to the registry (it fails the build for that). */
function isBuildahCachePushFailure(output) {
    return /^Error: failed pushing cache to /m.test(output);
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/build/workdir.ts
/** The work folder a build gets for its id, metadata and auth files: the run's own (RUNNER_TEMP), removed after. */



/** RUNNER_TEMP, or the system's temp folder outside a runner. */
const runnerTempDir = () => process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)();
/** Runs `work` with a new folder under RUNNER_TEMP (the system's temp folder outside a runner), removed after. */
async function withWorkDir(work) {
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(runnerTempDir(), 'ghcr-image-'));
    try {
        return await work(dir);
    }
    finally {
        (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/build/secrets-cleanup.ts
/**
 * Where the private folder of build secret values goes, and how it is removed when the normal `finally` cannot
 * run: on SIGINT/SIGTERM (a cancelled run) and, as a last resort, by the post step (post-if: always()).
 */





/** The prefix of the private folder (the post step and tests look for what is left of it). */
const SECRETS_FOLDER_PREFIX = 'ghcr-image-secrets-';
const real = (path) => ((0,external_node_fs_.existsSync)(path) ? (0,external_node_fs_.realpathSync)(path) : (0,external_node_path_.resolve)(path));
/** Whether `folder` is `context` or inside it (real paths: a link to RUNNER_TEMP is RUNNER_TEMP). */
function within(folder, context) {
    const [inner, outer] = [real(folder), real(context)];
    return inner === outer || inner.startsWith(outer.endsWith(external_node_path_.sep) ? outer : outer + external_node_path_.sep);
}
/**
 * A new private folder outside the build context, else `COPY . .` would copy the values into the image: under
 * RUNNER_TEMP, else the system's temp folder; refused when the context holds both.
 */
function makeSecretsFolder(context) {
    const parent = [runnerTempDir(), (0,external_node_os_.tmpdir)()].find((dir) => !within(dir, context));
    if (!parent)
        throw new errors/* ActionError */.l(`The build context '${context}' holds both RUNNER_TEMP and the system's temp folder, where the build secret values would be written: a COPY of the context could copy them into the image.`, "set 'context' to the folder of the sources (e.g. '.' or a subfolder of the workspace).");
    return (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(parent, SECRETS_FOLDER_PREFIX));
}
const SIGNALS = { SIGINT: 2, SIGTERM: 15 };
/**
 * Runs `work` with handlers that remove `folder` on SIGINT/SIGTERM, then exit with 128 + the signal's number as
 * Node does by default, unless another handler of the process owns the signal; the handlers go after `work`.
 */
async function removedOnSignal(folder, work) {
    const handlers = Object.entries(SIGNALS).map(([signal, number]) => {
        const handler = () => {
            (0,external_node_fs_.rmSync)(folder, { recursive: true, force: true });
            process.off(signal, handler);
            if (process.listenerCount(signal) === 0)
                process.exit(128 + number);
        };
        process.on(signal, handler);
        return () => process.off(signal, handler);
    });
    try {
        return await work();
    }
    finally {
        for (const off of handlers)
            off();
    }
}
/** Removes every private folder left under `dir` (a cancelled build); returns how many there were. */
function removeLeftoverSecrets(dir) {
    const left = existsSync(dir)
        ? readdirSync(dir).filter((name) => name.startsWith(SECRETS_FOLDER_PREFIX))
        : [];
    for (const name of left)
        rmSync(join(dir, name), { recursive: true, force: true });
    return left.length;
}

;// CONCATENATED MODULE: ./src/build/secrets.ts
/**
 * Build secrets and SSH mounts as builder flags. A secret value is written to a file of its own (mode 0600) in a
 * private folder (mode 0700) under RUNNER_TEMP, or the system's temp folder when the build context holds
 * RUNNER_TEMP, which is removed after the build whatever happens (see secrets-cleanup.ts): argv names only that
 * file, never the value. Secret files and SSH paths are passed as they are.
 */




/** Whether a build needs a builder that mounts secrets or SSH agents (BuildKit or buildah). */
function needsMounts(request) {
    return request.secrets.length > 0 || request.ssh.length > 0;
}
/**
 * `--secret id=ID,src=FILE` per secret (values as files of `folder`, which must exist), then `--ssh default` or
 * `--ssh ID=PATH` per mount: the syntax of BuildKit (docker, buildx) and of buildah alike.
 */
function mountArgs(request, folder) {
    const args = [];
    request.secrets.forEach((secret, index) => {
        const src = 'file' in secret ? secret.file : (0,external_node_path_.join)(folder, `secret-${index}`);
        args.push('--secret', `id=${secret.id},src=${src}`);
    });
    for (const mount of request.ssh)
        args.push('--ssh', mount.id === 'default' ? 'default' : `${mount.id}=${mount.path}`);
    return args;
}
/** `--network host|none`; nothing for the builder's default. */
function networkArgs(request) {
    return request.network === 'default' ? [] : ['--network', request.network];
}
/**
 * Runs `build` with the mount flags of the request; the values are written to a private folder first (only when
 * there is a secret or an SSH mount) and that folder is removed after, the build failed or not.
 */
async function withMounts(request, build) {
    if (!needsMounts(request))
        return build([]);
    const folder = makeSecretsFolder(request.context);
    try {
        (0,external_node_fs_.chmodSync)(folder, 0o700);
        return await removedOnSignal(folder, () => {
            request.secrets.forEach((secret, index) => {
                if ('value' in secret)
                    (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(folder, `secret-${index}`), secret.value, { mode: 0o600 });
            });
            return build(mountArgs(request, folder));
        });
    }
    finally {
        (0,external_node_fs_.rmSync)(folder, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/build/buildah-platform.ts
/**
 * buildah (1.28 at least) takes a cached step built for another platform when nothing before it differs by
 * platform (`FROM scratch`, then COPY): `bud --platform linux/arm64` after an amd64 build of the same Dockerfile
 * returns the amd64 image. The image a build returns is therefore checked against the platform asked for.
 */


/** The platform in the config of a local buildah image, or undefined when buildah cannot say. */
async function imagePlatform(imageId, env) {
    const format = '{{.OCIv1.OS}}/{{.OCIv1.Architecture}}/{{.OCIv1.Variant}}';
    const run = await (0,tool/* runTool */.qI)('buildah', ['inspect', '--type', 'image', '--format', format, imageId], {
        env,
        silent: true,
    });
    if (run?.code !== 0)
        return undefined;
    try {
        return (0,registry/* parsePlatform */.FL)(run.stdout.trim().replace(/\/+$/, ''));
    }
    catch {
        return undefined;
    }
}
/** The platform the built image holds when it is not the one platform asked for; undefined when it is. */
async function wrongPlatform(request, imageId, env) {
    const [asked] = request.platforms;
    if (request.platforms.length !== 1 || !asked)
        return undefined;
    const built = await imagePlatform(imageId, env);
    if (!built || (0,registry/* platformMatches */.J5)(built, (0,registry/* parsePlatform */.FL)(asked)))
        return undefined;
    return (0,registry/* formatPlatform */.Bq)(built);
}

;// CONCATENATED MODULE: ./src/build/export.ts
/**
 * `push: by-digest` for the builders that push by tag only (docker, buildah, a local image): the image is written
 * to the run's work folder, and the action's registry client uploads it by digest (commands/publish.ts), so no
 * tag of the image, not even a temporary one, is ever written to the repository.
 */


/** A local docker image as a docker archive in `workDir`. */
async function exportDockerImage(imageId, workDir) {
    const path = (0,external_node_path_.join)(workDir, 'image.tar');
    await (0,cli/* dockerSave */.QH)(imageId, path);
    return { format: 'docker-archive', path };
}
/** What a builder returns for a by-digest push it left to the action. */
function exportedResult(imageId, exported, details) {
    return { imageId, pushedTags: [], reportedDigest: undefined, details, exported };
}

;// CONCATENATED MODULE: ./src/build/buildah.ts
/** buildah (no daemon): bud, push with --digestfile; its layer store kept across runs with @actions/cache. */












/** No TLS: for a registry on this machine, which the action's own client speaks plain http to. */
const TLS_OFF = '--tls-verify=false';
/**
 * The transport rule of the action's client for bud's pulls: `--tls-verify` covers every pull of the build, so it
 * is turned off only when everything the Dockerfile pulls is on a loopback registry. When any pull goes elsewhere,
 * or the Dockerfile cannot be read for sure, TLS stays verified (registries.conf still decides for loopback ones).
 */
function budTlsArgs(request) {
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(request.file, 'utf8');
    }
    catch {
        return [];
    }
    const pulls = dockerfilePulls(text, request.buildArgs);
    const local = !!pulls?.length && pulls.every((image) => (0,registry/* isLoopbackRegistry */.jW)(registryOfImage(image)));
    return local ? [TLS_OFF] : [];
}
/**
 * `bud --layers --force-rm`, `mounts` the secret and SSH flags: --force-rm removes the working container of a failed step too (--rm, the default,
 * removes it only after a success), so a failed build leaves nothing behind.
 */
function buildahBudArgs(request, iidFile, mounts = []) {
    const args = ['bud', '--layers', '--force-rm', '--file', request.file, '--iidfile', iidFile];
    args.push(...imageArgs(request));
    if (request.platforms.length === 1)
        args.push('--platform', request.platforms[0] ?? '');
    if (request.noCache)
        args.push('--no-cache');
    args.push(...buildahCacheArgs(request));
    if (request.pull)
        args.push('--pull=always');
    args.push(...budTlsArgs(request), ...networkArgs(request), ...mounts);
    // '--' ends the options: a context folder named like a flag (--output=...) stays a folder.
    args.push('--', request.context);
    return args;
}
/** `buildah push` of one tag, TLS off for a loopback registry only (as the action's client: plain http there). */
function buildahPushArgs(request, tag, digestFile) {
    const name = `${(0,registry/* repositoryOf */._M)(request.image)}:${tag}`;
    const tls = (0,registry/* isLoopbackRegistry */.jW)(request.image.registry) ? [TLS_OFF] : [];
    return ['push', ...tls, '--digestfile', digestFile, name, `docker://${name}`];
}
const TRUST_FIX = (host) => `give the runner the CA certificate that signed ${host}'s certificate (the system's trust store, or /etc/containers/certs.d/${host}/ca.crt for buildah), or give the registry a certificate valid for that name; TLS is always verified for a registry that is not on this machine.`;
/** A plain-http registry: the action speaks http to one on this machine only, as buildah does with TLS_OFF. */
const HTTP_FIX = (host) => (0,registry/* isLoopbackRegistry */.jW)(host)
    ? `list ${host} with 'insecure = true' in registries.conf (CONTAINERS_REGISTRIES_CONF): a build that also pulls from a registry not on this machine has every pull's TLS verified.`
    : 'serve the registry over https with a certificate the runner trusts: the action speaks plain http only to a registry on this machine (localhost, 127.0.0.0/8, ::1).';
/**
 * A TLS or plain-http failure in buildah's last `Error:` line (a push, or a pull of bud), said plainly; undefined
 * for anything else, a failed build step included (whatever the step printed). Registry text is made printable.
 */
function connectionProblem(output) {
    const line = output
        .split('\n')
        .map((text) => text.trim())
        .filter((text) => text.startsWith('Error: '))
        .at(-1);
    if (!line || line.startsWith('Error: building at STEP'))
        return undefined;
    const found = [...line.matchAll(/"https:\/\/([^/"\s]+)/g)].at(-1)?.[1] ??
        /pinging container registry (\S+?):\s/.exec(line)?.[1];
    const host = found ? (0,registry/* printable */.g$)(found, 120) : 'the registry';
    const x509 = /\bx509: (.+)$/.exec(line)?.[1];
    const tls = /\btls: (.+)$/.exec(line)?.[1];
    if (x509) {
        const what = `${host} presented a TLS certificate that is not trusted here (x509: ${(0,registry/* printable */.g$)(x509)})`;
        return { what, fix: TRUST_FIX(host) };
    }
    if (tls)
        return { what: `the TLS handshake with ${host} failed (tls: ${(0,registry/* printable */.g$)(tls)})`, fix: TRUST_FIX(host) };
    if (line.includes('server gave HTTP response to HTTPS client'))
        return { what: `${host} answers plain http, not https`, fix: HTTP_FIX(host) };
    return undefined;
}
/** Runs buildah; a missing buildah is an error naming `what` and `fix`. */
async function runBuildah(args, what, fix, env) {
    const run = await (0,tool/* runTool */.qI)('buildah', args, { env });
    if (!run)
        throw new errors/* ActionError */.l(`${what}: 'buildah' is not installed on this runner.`, fix);
    return run;
}
/** A failure that quotes buildah's last words, with the plain cause when it is TLS. */
function buildahFailed(run, what, fix) {
    const problem = connectionProblem(`${run.stdout}\n${run.stderr}`);
    const plainly = problem ? ` ${problem.what}.` : '';
    return new errors/* ActionError */.l(`${what} failed (exit ${run.code}):${plainly}\n${(0,tool/* tail */.RT)(run)}`, problem?.fix ?? fix);
}
/** Runs buildah, which must succeed. */
async function mustRunBuildah(args, what, fix, env) {
    const run = await runBuildah(args, what, fix, env);
    if (run.code !== 0)
        throw buildahFailed(run, what, fix);
}
const BUD_FIX = 'read the build log above; fix the Dockerfile or the inputs.';
/**
 * bud. buildah fails a build whose cached step it cannot push to the registry cache; a cache must never fail a
 * build, so that one failure is a warning and bud runs again without --cache-to (its steps are in the local
 * layer store by then, so the second run is quick).
 */
async function bud(request, iidFile, env) {
    await withMounts(request, async (mounts) => {
        const args = buildahBudArgs(request, iidFile, mounts);
        const run = await runBuildah(args, 'buildah bud', BUD_FIX, env);
        if (run.code === 0)
            return;
        const output = `${run.stdout}\n${run.stderr}`;
        if (!args.includes('--cache-to') || !isBuildahCachePushFailure(output))
            throw buildahFailed(run, 'buildah bud', BUD_FIX);
        const why = /^Error: failed pushing cache to .*$/m.exec(output)?.[0] ?? '';
        core/* warning */.$e(`buildah could not write the build cache to ${buildahCacheRepository(request)}, so it is built again without writing it (a cache never fails a build): ${(0,registry/* printable */.g$)(why, 300)}`);
        const at = args.indexOf('--cache-to');
        await mustRunBuildah([...args.slice(0, at), ...args.slice(at + 2)], 'buildah bud', BUD_FIX, env);
    });
}
/**
 * A containers auth file (the docker config format) readable by root only, for buildah's pulls and push; the
 * secret never goes into argv. Removed after use.
 */
function withAuthFile(request, run) {
    const credentials = request.credentials;
    if (!credentials)
        return run({});
    const file = (0,external_node_path_.join)(request.workDir, `buildah-auth-${process.pid}.json`);
    const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    (0,external_node_fs_.writeFileSync)(file, JSON.stringify({ auths: { [request.image.registry]: { auth } } }), { mode: 0o600 });
    return run({ REGISTRY_AUTH_FILE: file }).finally(() => (0,external_node_fs_.rmSync)(file, { force: true }));
}
/** The layer store's folder, to cache between runs. */
async function storageRoot() {
    const info = await (0,tool/* runTool */.qI)('buildah', ['info', '--format', '{{.store.GraphRoot}}'], { silent: true });
    return info?.code === 0 ? info.stdout.trim() || undefined : undefined;
}
/** The Actions cache key of the layer store: one scope per image, target and platform list (build/cache.ts). */
function layerCacheKey(request) {
    const prefix = `ghcr-image-action-buildah-${process.platform}-${process.arch}-${cacheScope(request)}-`;
    const dockerfile = (0,external_node_crypto_.createHash)('sha256').update((0,external_node_fs_.readFileSync)(request.file)).digest('hex').slice(0, 16);
    return { key: `${prefix}${dockerfile}`, restoreKeys: [prefix] };
}
async function restoreLayers(request) {
    // @actions/cache (and its storage SDK) is loaded only here, by a buildah build that uses the cache.
    const cache = request.cache === 'default' && usesCache(request) ? await __webpack_require__.e(/* import() */ 691).then(__webpack_require__.bind(__webpack_require__, 1691)) : undefined;
    if (!cache?.isFeatureAvailable()) {
        core/* debug */.Yz('buildah layer cache: not used (cache off or in the registry, or no GitHub Actions cache service here).');
        return undefined;
    }
    const root = await storageRoot();
    if (!root)
        return undefined;
    const { key, restoreKeys } = layerCacheKey(request);
    try {
        const hit = await cache.restoreCache([root], key, restoreKeys);
        core/* info */.pq(hit ? `buildah layer cache restored (${hit}).` : 'buildah layer cache: no earlier entry.');
        if (hit === key)
            return undefined;
    }
    catch (error) {
        core/* warning */.$e(`buildah layer cache could not be restored (building without it): ${String(error)}`);
    }
    return async () => {
        try {
            await cache.saveCache([root], key);
        }
        catch (error) {
            core/* debug */.Yz(`buildah layer cache not saved: ${String(error)}`);
        }
    };
}
/** The built image's ID, built again without the layer cache when the cache gave another platform's image. */
async function checkedPlatform(request, iidFile, env) {
    const wrong = await wrongPlatform(request, (0,external_node_fs_.readFileSync)(iidFile, 'utf8').trim(), env);
    if (!wrong)
        return (0,external_node_fs_.readFileSync)(iidFile, 'utf8').trim();
    core/* warning */.$e(`buildah's layer cache gave an image for ${wrong}, not the ${request.platforms[0]} asked for: built again without the cache.`);
    await bud({ ...request, noCache: true }, iidFile, env);
    const imageId = (0,external_node_fs_.readFileSync)(iidFile, 'utf8').trim();
    const still = await wrongPlatform(request, imageId, env);
    if (still) {
        throw new errors/* ActionError */.l(`buildah built an image for ${still}, not the ${request.platforms[0]} asked for in 'platforms'.`, "check the Dockerfile's FROM lines (a base image of one platform only), or build this platform with buildx.");
    }
    return imageId;
}
/** The built image as an OCI image layout in the work folder, for the action's by-digest upload. */
async function exportLayout(imageId, request, env) {
    const path = (0,external_node_path_.join)(request.workDir, 'oci-layout');
    await mustRunBuildah(['push', '--quiet', imageId, `oci:${path}`], `buildah push ${imageId} to an OCI layout`, 'check the disk space of the runner, then run the job again.', env);
    return { format: 'oci-layout', path };
}
const buildahBuilder = {
    name: 'buildah',
    multiPlatform: false,
    async build(request) {
        const repository = (0,registry/* repositoryOf */._M)(request.image);
        const iidFile = (0,external_node_path_.join)(request.workDir, 'buildah.iid');
        const saveLayers = await restoreLayers(request);
        return withAuthFile(request, async (env) => {
            await bud(request, iidFile, env);
            const imageId = await checkedPlatform(request, iidFile, env);
            await saveLayers?.();
            if (request.push && request.byDigest)
                return exportedResult(imageId, await exportLayout(imageId, request, env), {});
            const first = request.tags[0];
            if (!request.push || !first)
                return { imageId, pushedTags: [], reportedDigest: undefined, details: {} };
            const digestFile = (0,external_node_path_.join)(request.workDir, 'buildah.digest');
            await mustRunBuildah(buildahPushArgs(request, first, digestFile), `buildah push ${repository}:${first}`, 'read the output above; the push rights were proven before the build, so look for a network or registry failure.', env);
            return {
                imageId,
                pushedTags: [first],
                reportedDigest: (0,external_node_fs_.readFileSync)(digestFile, 'utf8').trim(),
                details: {},
            };
        });
    },
};

;// CONCATENATED MODULE: ./src/build/buildx.ts
/** docker buildx (GitHub-hosted runners): one build pushes every tag, several platforms, its cache, attestations. */










/** The driver of the current buildx builder, from `docker buildx inspect` ('' when it does not say). */
function parseBuildxDriver(inspectOutput) {
    return /^Driver:\s*(\S+)/m.exec(inspectOutput)?.[1] ?? '';
}
/**
 * The `docker buildx build` argv for a request (no secret ever goes here: `mounts` names secret files only). The
 * `docker` driver (a runner's default builder without docker/setup-buildx-action) exports no cache but an inline
 * one and makes no attestations, so build/cache.ts and `attestationArgs` leave those out there.
 */
function buildxArgs(request, files, driver = 'docker-container', mounts = []) {
    const args = [
        'buildx',
        'build',
        '--file',
        request.file,
        '--iidfile',
        files.iidFile,
        '--metadata-file',
        files.metadataFile,
        ...imageArgs(request),
    ];
    if (request.platforms.length)
        args.push('--platform', request.platforms.join(','));
    args.push(...buildxCacheArgs(request, driver), ...attestationArgs(request, driver));
    if (request.noCache)
        args.push('--no-cache');
    if (request.pull)
        args.push('--pull');
    // Several platforms cannot be loaded into the local image store: without push they stay in the build cache.
    // By digest: pushed under the repository's name with no tag (`request.tags` is empty then).
    const upload = uploadsItself(request, driver);
    if (request.push && request.byDigest && !upload)
        args.push('--output', byDigestOutput(request));
    else if (request.push && !request.byDigest)
        args.push('--push');
    else if (request.platforms.length <= 1)
        args.push('--load');
    args.push(...networkArgs(request), ...mounts);
    // '--' ends the options: a context folder named like a flag (--output=...) stays a folder.
    args.push('--', request.context);
    return args;
}
/**
 * A by-digest push on the `docker` driver: that driver pushes through the daemon, by tag only (an image name
 * without a tag would be pushed as `:latest`), so the image is loaded and the action uploads it by digest itself,
 * as for the docker builder (build/export.ts).
 */
function uploadsItself(request, driver) {
    return request.push && request.byDigest && driver === 'docker';
}
/**
 * --provenance and --sbom. Attestations travel only with a push (a loaded image cannot carry them), and the
 * default provenance is left out on the docker driver, which cannot make it; a value given is passed on as is.
 * Without a push, buildx's own default (provenance on) is no matter: nothing leaves the runner.
 */
function attestationArgs(request, driver) {
    if (!request.push || uploadsItself(request, driver))
        return [];
    const { provenance, sbom } = request.attestations;
    const args = [];
    if (provenance && !(provenance.auto && driver === 'docker'))
        args.push(`--provenance=${provenance.value}`);
    if (sbom)
        args.push(`--sbom=${sbom.value}`);
    return args;
}
/** The image exporter pushing by digest only: no tag, the canonical name@digest in the metadata. */
function byDigestOutput(request) {
    return `type=image,name=${(0,registry/* repositoryOf */._M)(request.image)},push-by-digest=true,name-canonical=true,push=true`;
}
function parseBuildxMetadata(text) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new errors/* ActionError */.l('buildx wrote a metadata file that is not a JSON object.', 'update docker buildx (0.10 or later).');
    }
    const raw = parsed;
    const string = (key) => (typeof raw[key] === 'string' ? raw[key] : undefined);
    const descriptor = raw['containerimage.descriptor'];
    const digest = string('containerimage.digest') ??
        (typeof descriptor?.digest === 'string' ? descriptor.digest : undefined);
    return {
        digest,
        configDigest: string('containerimage.config.digest'),
        names: (string('image.name') ?? '').split(',').filter(Boolean),
        raw,
    };
}
/** What the docker driver leaves out of this build, said once. */
function reportDockerDriverLimits(request) {
    const left = [];
    if (request.cache === 'default' && !request.noCache)
        left.push('the GitHub Actions cache');
    if (request.cache === 'registry' && !request.noCache)
        left.push("a registry cache beside the image (the image's inline cache is used instead)");
    const { provenance, sbom } = request.attestations;
    if (request.push && provenance?.auto)
        left.push('the default provenance attestation');
    if (uploadsItself(request, 'docker') && ((provenance && !provenance.auto) || sbom))
        left.push("the attestations asked for (a by-digest push is the action's own upload here)");
    if (left.length === 0)
        return;
    core/* info */.pq(`buildx uses the docker driver, which cannot export a cache or make attestations: building without ${left.join(' and ')} (add docker/setup-buildx-action to have them).`);
}
const buildxBuilder = {
    name: 'buildx',
    multiPlatform: true,
    async build(request) {
        const driver = parseBuildxDriver(await (0,cli/* buildxInspect */.xl)());
        if (driver === 'docker') {
            if (request.platforms.length > 1) {
                throw new errors/* ActionError */.l(`Input 'platforms' lists ${request.platforms.length} platforms, but the current buildx builder uses the docker driver, which builds one platform.`, 'add docker/setup-buildx-action (and docker/setup-qemu-action for other architectures) before this step.');
            }
            reportDockerDriverLimits(request);
        }
        const { provenance, sbom } = request.attestations;
        if (!request.push && ((provenance && !provenance.auto) || sbom))
            core/* info */.pq("'provenance' and 'sbom' are left out: nothing is pushed, and a loaded image cannot carry attestations.");
        const files = {
            iidFile: (0,external_node_path_.join)(request.workDir, 'buildx.iid'),
            metadataFile: (0,external_node_path_.join)(request.workDir, 'buildx-metadata.json'),
        };
        await withMounts(request, (mounts) => (0,cli/* dockerBuild */.rW)(buildxArgs(request, files, driver, mounts), 'docker buildx build'));
        const metadata = parseBuildxMetadata((0,external_node_fs_.readFileSync)(files.metadataFile, 'utf8'));
        const iid = (0,external_node_fs_.readFileSync)(files.iidFile, 'utf8').trim();
        const details = { metadata: metadata.raw, driver };
        if (uploadsItself(request, driver))
            return exportedResult(iid, await exportDockerImage(iid, request.workDir), details);
        return {
            imageId: metadata.configDigest ?? iid,
            pushedTags: request.push ? [...request.tags] : [],
            // By digest, only the digest buildx reports names what it pushed (the iid is a config or index digest).
            reportedDigest: !request.push
                ? undefined
                : request.byDigest
                    ? metadata.digest
                    : (metadata.digest ?? iid),
            details,
        };
    },
};

;// CONCATENATED MODULE: ./src/build/docker-mode.ts
/**
 * Which builder `docker build` runs: BuildKit wherever the CLI and the daemon offer it (the buildx plugin, or
 * DOCKER_BUILDKIT=1 with a CLI older than 23 and a Linux daemon of 18.09 or later, such as Debian's docker.io),
 * the classic builder only when neither does. DOCKER_BUILDKIT set in the step's environment is the user's word.
 */

/** `20.10.24+dfsg1` -> [20, 10]; [0, 0] for what is not a version. */
function majorMinor(version) {
    const match = /^v?(\d+)\.(\d+)/.exec(version.trim());
    return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}
const atLeast = (version, major, minor) => {
    const [a, b] = majorMinor(version);
    return a > major || (a === major && b >= minor);
};
/** The decision, from the facts alone. */
function dockerMode(facts) {
    const override = facts.override?.trim().toLowerCase();
    if (override === '0' || override === 'false')
        return { buildkit: false, why: `DOCKER_BUILDKIT=${facts.override} is set in the step's environment` };
    if (override === '1' || override === 'true') {
        const why = `DOCKER_BUILDKIT=${facts.override} is set in the step's environment`;
        // A CLI of 23 or later runs BuildKit only through buildx: without it, every build fails.
        const problem = !facts.buildx && atLeast(facts.client, 23, 0)
            ? `${why}, but the docker CLI ${facts.client} runs BuildKit only through the buildx plugin, which is not installed`
            : undefined;
        return { buildkit: true, why, buildx: facts.buildx, ...(problem ? { problem } : {}) };
    }
    if (facts.buildx)
        return { buildkit: true, why: 'the docker CLI has the buildx plugin', buildx: true };
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
const modeEnv = (mode) => ({
    DOCKER_BUILDKIT: mode.buildkit ? '1' : '0',
    ...(mode.buildkit && mode.buildx ? { BUILDX_BUILDER: 'default' } : {}),
});
/** The mode on this runner, asked of docker. */
async function detectDockerMode() {
    const versions = (await (0,cli/* dockerVersions */.SO)()) ?? { client: '', server: '', os: '' };
    const buildx = (await (0,cli/* buildxProblem */.WG)()) === undefined;
    return dockerMode({ buildx, ...versions, override: process.env.DOCKER_BUILDKIT });
}

;// CONCATENATED MODULE: ./src/build/docker.ts
/** The docker builder (a daemon without buildx): BuildKit where it has it, else classic; build, push once. */











/**
 * `build --force-rm`: the classic builder runs each step in a container, and without --force-rm the container of
 * a failed step stays behind (stopped) on every failed run; with it, every intermediate container is removed
 * (BuildKit takes the flag and has no such containers). `mounts` are the secret and SSH flags (BuildKit only).
 */
function dockerBuildArgs(request, iidFile, mounts = [], buildkit = false) {
    const args = ['build', '--force-rm', '--file', request.file, '--iidfile', iidFile, ...imageArgs(request)];
    if (request.platforms.length === 1)
        args.push('--platform', request.platforms[0] ?? '');
    if (request.noCache)
        args.push('--no-cache');
    if (request.pull)
        args.push('--pull');
    if (usesCache(request)) {
        // BuildKit reuses a registry image's layers only through the cache metadata it carries: write it into
        // every image it builds (inline cache), so the next run's --cache-from finds it. That is the docker
        // builder's cache for `cache: true` and `cache: registry` alike: it lives in the image's registry.
        if (buildkit)
            args.push('--build-arg', 'BUILDKIT_INLINE_CACHE=1');
        if (request.cacheFrom)
            args.push('--cache-from', request.cacheFrom);
    }
    args.push(...networkArgs(request), ...mounts);
    // '--' ends the options: a context folder named like a flag (--output=...) stays a folder.
    args.push('--', request.context);
    return args;
}
/** The fix for DOCKER_BUILDKIT=1 on a docker CLI that runs BuildKit only through buildx. */
const BUILDKIT_FIX = "install the buildx plugin (docker/setup-buildx-action), or unset DOCKER_BUILDKIT (the classic builder is used then), or use 'builder: buildah'.";
/** The fix for secrets or SSH mounts given to the classic builder. */
const CLASSIC_FIX = "use the buildx builder (docker/setup-buildx-action), a docker whose CLI and daemon have BuildKit (a CLI with the buildx plugin, or a CLI older than 23 with a daemon of 18.09 or later, not forced off with DOCKER_BUILDKIT=0), or 'builder: buildah'.";
/** Secrets and SSH mounts need BuildKit: the classic builder is refused before it builds. */
function refuseClassic(mode, request) {
    if (mode.buildkit || !needsMounts(request))
        return;
    throw new errors/* ActionError */.l(`The build has secrets or SSH mounts ('secrets', 'secret-files', 'secret-envs', 'ssh'), but the docker builder is the classic one here (${mode.why}), which cannot mount them.`, CLASSIC_FIX);
}
/** Failures of docker build that have a known cause and fix. */
const explainDockerBuild = (output) => {
    if (output.includes('network bridge not found'))
        return {
            what: "a RUN step asked for the default network, and the docker daemon has no bridge network (BuildKit's default)",
            fix: "set 'network: host' (RUN steps use the runner's network) or 'network: none' (RUN steps need no network).",
        };
    if (/the --mount option requires BuildKit/.test(output))
        return {
            what: 'the Dockerfile uses RUN --mount, which the classic builder cannot run',
            fix: CLASSIC_FIX,
        };
    return undefined;
};
const dockerBuilder = {
    name: 'docker',
    multiPlatform: false,
    cachesFromRegistry: true,
    async build(request) {
        const mode = await detectDockerMode();
        if (mode.problem)
            throw new errors/* ActionError */.l(`docker cannot build here: ${mode.problem}.`, BUILDKIT_FIX);
        core/* info */.pq(`docker build runs ${mode.buildkit ? 'BuildKit' : 'the classic builder'}: ${mode.why}.`);
        refuseClassic(mode, request);
        // The classic builder reuses layers only from local images: fetch the previous image first. BuildKit reads
        // the cache metadata the previous image carries (inline cache) from the registry itself.
        if (!mode.buildkit &&
            request.cacheFrom &&
            usesCache(request) &&
            !(await (0,cli/* dockerPullQuietly */.HZ)(request.cacheFrom)))
            request = { ...request, cacheFrom: undefined };
        const iidFile = (0,external_node_path_.join)(request.workDir, 'docker.iid');
        await withMounts(request, (mounts) => (0,cli/* dockerBuild */.rW)(dockerBuildArgs(request, iidFile, mounts, mode.buildkit), 'docker build', modeEnv(mode), explainDockerBuild));
        const imageId = (0,external_node_fs_.readFileSync)(iidFile, 'utf8').trim();
        const details = { cacheFrom: request.cacheFrom ?? null, buildkit: mode.buildkit };
        if (request.push && request.byDigest)
            return exportedResult(imageId, await exportDockerImage(imageId, request.workDir), details);
        const first = request.tags[0];
        if (!request.push || !first)
            return { imageId, pushedTags: [], reportedDigest: undefined, details };
        const reportedDigest = await (0,cli/* dockerPush */.Vi)(`${(0,registry/* repositoryOf */._M)(request.image)}:${first}`);
        return { imageId, pushedTags: [first], reportedDigest, details };
    },
};

;// CONCATENATED MODULE: ./src/build/local.ts
/** No build: an image that already exists in the local docker store ('source'), tagged and pushed once (or exported for a by-digest push). */



/** The "builder" of `source`: tags the local image (a name or an ID) with every tag and pushes the first once. */
function localImageBuilder(source) {
    return {
        name: 'source',
        multiPlatform: false,
        async build(request) {
            const imageId = await (0,cli/* localImageId */.Aj)(source);
            const repository = (0,registry/* repositoryOf */._M)(request.image);
            const tag = (name) => (0,cli/* dockerTag */.TU)(imageId, `${repository}:${name}`, 'check the image name and tags.');
            const [first, ...others] = request.tags;
            const details = { source };
            // Every local name is made before anything is pushed (a failure there leaves the registry untouched): the
            // first, then the others side by side (the registry gets those by manifest PUTs later).
            if (first)
                await tag(first);
            await (0,registry/* allOrFirstError */.te)(others.map(tag));
            if (request.push && request.byDigest)
                return exportedResult(imageId, await exportDockerImage(imageId, request.workDir), details);
            if (!request.push || !first)
                return { imageId, pushedTags: [], reportedDigest: undefined, details };
            const reportedDigest = await (0,cli/* dockerPush */.Vi)(`${repository}:${first}`);
            return { imageId, pushedTags: [first], reportedDigest, details };
        },
    };
}

;// CONCATENATED MODULE: ./src/build/select.ts
/** Which builder runs: a local image's publisher ('source'), the one asked for, or the first that works here. */








const BUILDERS = {
    buildx: buildxBuilder,
    docker: dockerBuilder,
    buildah: buildahBuilder,
};
/** Whether a builder can run here (with secrets or SSH mounts when `mounts`), and if not, why not. */
async function probe(name, mounts) {
    if (name === 'buildx')
        return (0,cli/* buildxProblem */.WG)();
    if (name === 'docker') {
        const problem = await (0,cli/* dockerDaemonProblem */.CG)();
        if (problem)
            return problem;
        const mode = await detectDockerMode();
        if (mode.problem)
            return mode.problem;
        return !mounts || mode.buildkit
            ? undefined
            : `docker builds with the classic builder, which cannot mount secrets (${mode.why})`;
    }
    const run = await (0,tool/* runTool */.qI)('buildah', ['--version'], { silent: true });
    return run?.code === 0 ? undefined : 'buildah is not installed';
}
const ORDER = ['buildx', 'docker', 'buildah'];
async function firstThatWorks(mounts) {
    const reasons = [];
    for (const name of ORDER) {
        const missing = await probe(name, mounts);
        if (!missing) {
            const why = reasons.length ? `${reasons.join('; ')}; ${name} works` : `${name} works here`;
            return { builder: BUILDERS[name], why };
        }
        reasons.push(`not ${name}: ${missing}`);
    }
    throw new errors/* ActionError */.l(`No builder can run on this runner (${reasons.join('; ')}).`, "use a GitHub-hosted runner (docker with buildx), install docker or buildah in an earlier step, or publish an image built elsewhere with 'source'.");
}
async function theOneAskedFor(choice, mounts) {
    const missing = await probe(choice, mounts);
    if (missing && choice === 'docker' && mounts && !(await (0,cli/* dockerDaemonProblem */.CG)()))
        throw new errors/* ActionError */.l(`Input 'builder' is 'docker', but ${missing}.`, CLASSIC_FIX);
    if (missing) {
        throw new errors/* ActionError */.l(`Input 'builder' is '${choice}', but ${missing} on this runner.`, `install it in an earlier step, or set 'builder: auto' to use what is here (buildx, docker or buildah).`);
    }
    return { builder: BUILDERS[choice], why: `'builder: ${choice}' was asked for` };
}
async function selectBuilder(options) {
    if (options.source) {
        const why = `'source' names a local image (${options.source})`;
        return { builder: localImageBuilder(options.source), why, builds: false, title: `Tag ${options.source}` };
    }
    const mounts = [options.secrets, options.secretFiles, options.secretEnvs, options.ssh].some((list) => !!list?.length);
    const selected = options.builder === 'auto' ? await firstThatWorks(mounts) : await theOneAskedFor(options.builder, mounts);
    const { platforms } = options;
    if (platforms.length > 1 && !selected.builder.multiPlatform) {
        throw new errors/* ActionError */.l(`Input 'platforms' lists ${platforms.length} platforms (${platforms.join(', ')}), but the ${selected.builder.name} builder builds one platform at a time.`, 'use the buildx builder (GitHub-hosted runners have it; add docker/setup-qemu-action for other architectures), or give a single platform.');
    }
    refuseAttestations(selected.builder.name, options);
    return { ...selected, builds: true, title: `Build with ${selected.builder.name}` };
}
/** The attestation inputs given a value that asks for one (`false` asks for none). */
function requestedAttestations(given) {
    return ['provenance', 'sbom'].filter((name) => {
        const value = given[name].trim().toLowerCase();
        return value !== '' && value !== 'false';
    });
}
/** `provenance`/`sbom` asked of a builder that cannot attest: refused before anything runs. */
function refuseAttestations(name, given) {
    const asked = requestedAttestations({ provenance: given.provenance ?? '', sbom: given.sbom ?? '' });
    if (name === 'buildx' || asked.length === 0)
        return;
    const inputs = asked.map((input) => `'${input}'`).join(' and ');
    throw new errors/* ActionError */.l(`${inputs} ${asked.length > 1 ? 'ask' : 'asks'} for buildx attestations, but the ${name} builder cannot make them.`, `use the buildx builder (docker/setup-buildx-action) for ${inputs}; or remove ${inputs} and attest the pushed digest with actions/attest-build-provenance (the recipe in docs/attestations.md; the reusable workflow's 'attest: true').`);
}

// EXTERNAL MODULE: ./src/images/read.ts
var read = __webpack_require__(5008);
;// CONCATENATED MODULE: ./src/images/by-digest.ts
/**
 * `push: by-digest`: an image a builder exported to disk (build/export.ts) uploaded by digest with the action's
 * client (blobs verified, existing ones skipped, manifest put by digest, no tag), then read back; and the
 * platform the pushed image holds, for the step's `platform` output.
 */



/**
 * Uploads the exported image to `image`'s repository by digest; the digest as pushed. `platform` (the one built)
 * picks its image when a docker save holds an index of several platforms (docker's containerd image store).
 */
async function uploadExported(client, image, exported, workDir, platform) {
    const pushed = exported.format === 'oci-layout'
        ? await client.pushOciLayout(image, exported.path)
        : await client.pushDockerArchive(image, exported.path, { workDir, ...(platform ? { platform } : {}) });
    const { uploaded, mounted, exists } = pushed.blobs;
    core/* info */.pq(`Pushed ${(0,registry/* repositoryOf */._M)(image)}@${pushed.digest} by digest, no tag: ${uploaded} blobs uploaded (${pushed.bytesUploaded} bytes), ${mounted} mounted, ${exists} already there.`);
    return pushed.digest;
}
/** Reads the pushed manifest back by the digest the builder or the upload reported (the client checks the bytes). */
async function verifyByDigest(client, image, result) {
    const digest = result.reportedDigest;
    if (!digest) {
        throw new errors/* ActionError */.l(`The builder pushed ${(0,registry/* repositoryOf */._M)(image)} by digest but reported no digest.`, 'update the builder (buildx 0.10 or later writes the digest to its metadata file), or push with tags.');
    }
    const manifest = await client.getManifest((0,registry/* withDigest */.hQ)(image, digest));
    core/* info */.pq(`Verified: ${(0,registry/* repositoryOf */._M)(image)}@${manifest.digest} is in the registry, with no tag.`);
    return manifest;
}
/** The platform(s) a pushed manifest holds: os/arch[/variant], comma-separated for an index; '' when unknown. */
async function pushedPlatform(client, image, manifest) {
    if (manifest.kind === 'index')
        return (0,registry/* platformsOf */.Wt)(manifest.index).join(',');
    const platform = await (0,registry/* imagePlatform */.Ht)(client, image, manifest.image);
    return platform ? (0,registry/* formatPlatform */.Bq)(platform) : '';
}

// EXTERNAL MODULE: ./src/images/tags.ts
var tags = __webpack_require__(2629);
;// CONCATENATED MODULE: ./src/meta/labels.ts
/** The label that links a ghcr.io package to its repository. */
const SOURCE_LABEL = 'org.opencontainers.image.source';
const PREFIX = 'org.opencontainers.image.';
/** ghcr.io shows at most this many characters of a description and of a licence expression. */
const MAX_DESCRIPTION = 512;
const MAX_LICENSES = 256;
const VERSION_LIKE = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
/** The first `max` characters (code points, so a surrogate pair is never split). */
function cut(text, max) {
    const chars = [...text];
    return chars.length <= max ? text : chars.slice(0, max).join('');
}
function field(value, key) {
    return typeof value === 'object' && value !== null ? value[key] : undefined;
}
function nonEmptyString(value) {
    return typeof value === 'string' ? value.trim() : '';
}
/**
 * The OCI labels every image gets: source (links the package to the repository), url, revision, created,
 * version, title, and description and licences from the event's repository. Empty values are left out.
 */
function defaultLabels(context, options) {
    const repository = context.payload.repository;
    const spdx = nonEmptyString(field(field(repository, 'license'), 'spdx_id'));
    const url = context.repository === '' ? '' : `${context.serverUrl}/${context.repository}`;
    const entries = [
        ['source', url],
        ['url', url],
        ['revision', context.sha],
        ['created', options.created.toISOString()],
        ['version', options.version],
        ['title', context.repository.split('/')[1] ?? ''],
        ['description', cut(nonEmptyString(field(repository, 'description')), MAX_DESCRIPTION)],
        ['licenses', spdx === 'NOASSERTION' ? '' : cut(spdx, MAX_LICENSES)],
    ];
    return Object.fromEntries(entries.filter(([, value]) => value !== '').map(([key, value]) => [`${PREFIX}${key}`, value]));
}
/** The default labels with the user's on top: a user label replaces a default of the same key. */
function mergeLabels(defaults, user) {
    return { ...defaults, ...user };
}
/** The first tag that looks like a version (x.y.z, optional pre-release), else the first tag, else ''. */
function versionFromTags(tags) {
    return tags.find((tag) => VERSION_LIKE.test(tag)) ?? tags[0] ?? '';
}
/**
 * The image's creation time: SOURCE_DATE_EPOCH when set, else the pushed commit's time, else now. A time fixed
 * by the commit lets an unchanged rebuild give the same image, digest included.
 */
function buildTime(context, env = process.env) {
    const epoch = Number(env.SOURCE_DATE_EPOCH);
    if (env.SOURCE_DATE_EPOCH && Number.isFinite(epoch))
        return new Date(epoch * 1000);
    const commit = context.payload.head_commit;
    const time = typeof commit?.timestamp === 'string' ? new Date(commit.timestamp) : undefined;
    return time && !Number.isNaN(time.getTime()) ? time : new Date();
}

;// CONCATENATED MODULE: ./src/inputs/attestations.ts

/** `key=value[,key=value...]`: keys as buildx spells them, values without a comma, a quote or a space. */
const ATTRIBUTES = /^[a-z][a-z0-9-]*=[\w.:/@+-]+(,[a-z][a-z0-9-]*=[\w.:/@+-]+)*$/;
const HINTS = {
    provenance: 'true, false, or attributes such as mode=max (mode=min|max, version=v0.2|v1)',
    sbom: 'true, false, or attributes such as generator=<image>',
};
/** A given value as buildx takes it ('true', 'false' or attributes), undefined when blank. */
function attestationValue(name, given) {
    const raw = given.trim();
    if (raw === '')
        return undefined;
    const lower = raw.toLowerCase();
    if (['true', 'false'].includes(lower))
        return lower;
    const mode = /(?:^|,)mode=([^,]*)/.exec(raw)?.[1];
    if (ATTRIBUTES.test(raw) && (name !== 'provenance' || mode === undefined || ['min', 'max'].includes(mode)))
        return raw;
    throw new errors/* ActionError */.l(`Input '${name}' is '${given}', which is not one of its values.`, `set '${name}' to ${HINTS[name]}; leave it out for the default.`);
}
/** The provenance build-push-action would add by default, for this run. */
function defaultProvenance(context) {
    const mode = context.repositoryPrivate === false ? 'max' : 'min';
    const builder = context.repository && context.runId
        ? `,builder-id=${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`
        : '';
    return { value: `mode=${mode}${builder}`, auto: true };
}
/** The attestations for a build: defaults apply only to a push; given values are kept (buildx.ts passes them on a push only, and says so otherwise). */
function attestationsFor(given, context, push) {
    const provenance = attestationValue('provenance', given.provenance);
    const sbom = attestationValue('sbom', given.sbom);
    const result = {};
    if (provenance !== undefined)
        result.provenance = { value: provenance, auto: false };
    else if (push)
        result.provenance = defaultProvenance(context);
    if (sbom !== undefined)
        result.sbom = { value: sbom, auto: false };
    return result;
}

;// CONCATENATED MODULE: ./src/inputs/key-values.ts
/** `KEY=VALUE` list inputs ('build-args', 'labels'). */

/**
 * `KEY=VALUE` items as a record (the value may contain '='; the key is trimmed and has no whitespace; a later
 * key wins; blank items are skipped). Anything else throws, naming `input` and quoting the item.
 */
function parseKeyValues(lines, input) {
    const pairs = new Map();
    for (const line of lines) {
        if (line.trim() === '')
            continue;
        const equals = line.indexOf('=');
        const key = equals < 0 ? '' : line.slice(0, equals).trim();
        if (equals < 0 || key === '' || /\s/.test(key)) {
            const why = equals < 0
                ? "it has no '='"
                : key === ''
                    ? "it has no key before '='"
                    : 'its key contains whitespace';
            throw new errors/* ActionError */.l(`The item '${line}' of '${input}' is not KEY=VALUE: ${why}.`, `Write each item of '${input}' as KEY=VALUE, one per line (e.g. 'NAME=value'); the key has no spaces.`);
        }
        pairs.set(key, line.slice(equals + 1));
    }
    // fromEntries defines own properties, so a key like '__proto__' stays a plain key.
    return Object.fromEntries(pairs);
}

// EXTERNAL MODULE: ./src/inputs/platform.ts
var platform = __webpack_require__(3186);
// EXTERNAL MODULE: ./src/inputs/references.ts
var references = __webpack_require__(7443);
// EXTERNAL MODULE: ./src/inputs/secrets.ts
var secrets = __webpack_require__(3332);
// EXTERNAL MODULE: ./src/inputs/tags.ts + 1 modules
var inputs_tags = __webpack_require__(4244);
;// CONCATENATED MODULE: ./src/inputs/publish.ts
/** What `publish` will do, decided from the inputs and the run alone: every check before any side effect. */










/** The `cache` input as the builders take it (build/cache.ts). */
const CACHE_MODES = { true: 'default', registry: 'registry', false: 'off' };
/** 'image', else the repository the workflow runs for, on 'registry'. */
function imageToPublish(inputs, context) {
    const given = inputs.image || (context.repository ? `${inputs.registry}/${context.repository}` : '');
    if (!given) {
        throw new errors/* ActionError */.l("Input 'image' is empty and GITHUB_REPOSITORY is not set.", `set 'image', e.g. ${inputs.registry}/OWNER/NAME.`);
    }
    return (0,references/* targetInput */.Mn)(given, inputs.image ? 'image' : 'image (from GITHUB_REPOSITORY)', inputs.registry);
}
/**
 * A path a build reads must be inside the workspace or RUNNER_TEMP, links followed: a build sends its context
 * to the builder, and a builder's errors quote the Dockerfile, so nothing else of the runner's may be named.
 */
function requireInside(path, input, context) {
    const real = (0,external_node_fs_.realpathSync)(path);
    const roots = [context.workspace, context.runnerTemp].map((root) => (0,external_node_fs_.existsSync)(root) ? (0,external_node_fs_.realpathSync)(root) : root);
    if (roots.some((root) => real === root || real.startsWith(`${root}${external_node_path_.sep}`)))
        return;
    throw new errors/* ActionError */.l(`Input '${input}' is '${path}', which is outside the workspace (${context.workspace}) and RUNNER_TEMP.`, `use a path inside the workspace (check out the repository first) or RUNNER_TEMP.`);
}
/** The build context and Dockerfile must exist, unless a local image is published ('source'). */
function checkBuildFiles(inputs, file, context) {
    if (inputs.source)
        return;
    if (!(0,external_node_fs_.existsSync)(inputs.context) || !(0,external_node_fs_.statSync)(inputs.context).isDirectory()) {
        throw new errors/* ActionError */.l(`Input 'context' is '${inputs.context}', which is not a directory.`, "set 'context' to the folder to build (default '.'; check out the repository first).");
    }
    const which = inputs.file ? "correct 'file'" : "add a Dockerfile to the context, or set 'file'";
    if (!(0,external_node_fs_.existsSync)(file)) {
        throw new errors/* ActionError */.l(`The Dockerfile '${file}' does not exist.`, `${which}; to publish an image that already exists, set 'source'.`);
    }
    if (!(0,external_node_fs_.statSync)(file).isFile()) {
        throw new errors/* ActionError */.l(`The Dockerfile '${file}' is not a file.`, `${which}: it names the Dockerfile itself.`);
    }
    requireInside(inputs.context, 'context', context);
    requireInside(file, inputs.file ? 'file' : 'context', context);
}
function whyNotPushed(inputs, context, push) {
    if (push)
        return undefined;
    return inputs.push === 'auto'
        ? `this is a ${context.eventName} event and 'push: auto' does not push pull requests (set 'push: true' to override)`
        : "'push' is false";
}
/** The first tag the event gives (for a cache source only), or none when it gives none. */
function eventTag(image, context) {
    try {
        return (0,inputs_tags/* resolveTags */.yN)([], image, context, 'auto')[0];
    }
    catch {
        return undefined;
    }
}
/** `push: by-digest` writes no tag at all: a tag asked for would be silently dropped. */
function refuseTagsByDigest(named, inputs) {
    const given = [
        ...(named.tag ? [`the tag '${named.tag}' in 'image'`] : []),
        ...(inputs.tags.length ? [`'tags' (${inputs.tags.join(', ')})`] : []),
        ...(inputs.latest !== 'auto' ? [`'latest: ${inputs.latest}'`] : []),
    ];
    if (given.length === 0)
        return;
    throw new errors/* ActionError */.l(`'push: by-digest' pushes the image with no tag, so ${given.join(' and ')} would not be written.`, "remove them here and give the tags to the step that merges the platforms ('command: merge'); or set 'push: true' to push with tags.");
}
/** Build secrets, SSH and a network given with 'source' would be silently unused: nothing is built. */
function refuseUnusedBuildInputs(inputs) {
    if (!inputs.source)
        return;
    const given = [
        ['secrets', inputs.secrets.length],
        ['secret-files', inputs.secretFiles.length],
        ['secret-envs', inputs.secretEnvs.length],
        ['ssh', inputs.ssh.length],
        ['network', inputs.network !== 'default'],
        ['provenance', inputs.provenance !== ''],
        ['sbom', inputs.sbom !== ''],
    ].filter(([, set]) => set);
    if (given.length === 0)
        return;
    const names = given.map(([name]) => `'${name}'`).join(', ');
    throw new errors/* ActionError */.l(`Input 'source' publishes an existing image without building, so ${names} would not be used.`, `remove ${names}, or remove 'source' to build from the Dockerfile.`);
}
/** Everything publish decides from the inputs alone; throws before any side effect. */
function publishPlan(inputs, context) {
    const named = imageToPublish(inputs, context);
    const byDigest = inputs.push === 'by-digest';
    if (byDigest)
        refuseTagsByDigest(named, inputs);
    (0,references/* requireOneTagSource */.vZ)(named, inputs.tags);
    const image = { ...named, tag: undefined };
    const explicit = inputs.tags.length ? inputs.tags : named.tag ? [named.tag] : [];
    (0,inputs_tags/* refuseLatestWithTags */.vA)(explicit, inputs.latest, "remove 'tags' to tag from the event");
    const tags = byDigest ? [] : (0,inputs_tags/* resolveTags */.yN)(explicit, image, context, inputs.latest);
    const buildArgs = parseKeyValues(inputs.buildArgs, 'build-args');
    const labels = mergeLabels(defaultLabels(context, { version: versionFromTags(tags), created: buildTime(context) }), parseKeyValues(inputs.labels, 'labels'));
    const platforms = (0,platform/* platformsInput */.f)(inputs.platforms, 'platforms');
    const file = inputs.file || (0,external_node_path_.join)(inputs.context, 'Dockerfile');
    checkBuildFiles(inputs, file, context);
    const push = inputs.push === 'auto' ? !context.isPullRequest : inputs.push !== 'false';
    refuseUnusedBuildInputs(inputs);
    const mounts = (0,secrets/* buildSecrets */.S)(inputs, (path, input) => requireInside(path, input, context));
    return {
        image,
        whyNotPushed: whyNotPushed(inputs, context, push),
        build: {
            context: inputs.context,
            file,
            target: inputs.target,
            buildArgs,
            labels,
            platforms,
            image,
            tags,
            push,
            byDigest,
            cacheTag: byDigest ? eventTag(image, context) : tags[0],
            cache: CACHE_MODES[inputs.cache],
            noCache: inputs.noCache,
            pull: inputs.pull,
            ...mounts,
            network: inputs.network,
            attestations: attestationsFor(inputs, context, push),
        },
    };
}

// EXTERNAL MODULE: ./src/github/registry.ts
var github_registry = __webpack_require__(1392);
// EXTERNAL MODULE: ./src/report/outputs.ts
var outputs = __webpack_require__(5468);
// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
;// CONCATENATED MODULE: ./src/report/publish.ts




async function reportPublished(published, context) {
    const { plan, selection, session, result, manifest } = published;
    const repository = (0,registry/* repositoryOf */._M)(plan.image);
    const tags = plan.build.tags.map((tag) => `${repository}:${tag}`);
    const digest = manifest?.digest;
    const platforms = manifest ? (0,registry/* platformDigests */.Hm)(manifest) : {};
    // What was written to the registry: every tag once the image was pushed, nothing otherwise (the image is
    // then only tagged where it was built).
    const written = manifest ? tags : [];
    const metadata = {
        image: repository,
        tags,
        written,
        digest: digest ?? null,
        imageId: result.imageId,
        pushed: plan.build.push,
        byDigest: plan.build.byDigest,
        platform: published.platform ?? null,
        builder: selection.builder.name,
        builderReason: selection.why,
        // A local image published as is ('source') carries its own labels, not the ones a build would add.
        labels: selection.builds ? plan.build.labels : {},
        platformDigests: platforms,
        authMethod: session.method,
        details: result.details,
    };
    (0,outputs/* writeOutputs */.K)({
        digest,
        'image-id': result.imageId,
        image: repository,
        tags: written.length ? written.join('\n') : undefined,
        ref: digest ? `${repository}@${digest}` : undefined,
        'platform-digests': JSON.stringify(platforms),
        platform: published.platform || undefined,
        metadata: JSON.stringify(metadata),
        'auth-method': session.method,
    });
    await (0,summary/* writePublishSummary */.b$)({
        image: repository,
        tags,
        digest,
        imageId: result.imageId,
        builder: selection.builds ? `${selection.builder.name} (${selection.why})` : `none: ${selection.why}`,
        authMethod: session.method,
        pushed: plan.build.push,
        byDigest: plan.build.byDigest && manifest ? { platform: published.platform ?? '' } : undefined,
        whyNotPushed: plan.whyNotPushed,
        platformDigests: platforms,
        packageUrl: (0,github_registry/* packageUrl */.E)(plan.image, context),
        newPackage: published.newPackage,
        visibility: published.facts,
    });
}

// EXTERNAL MODULE: ./src/session/index.ts + 5 modules
var src_session = __webpack_require__(9355);
// EXTERNAL MODULE: ./src/session/packages.ts + 1 modules
var session_packages = __webpack_require__(9452);
;// CONCATENATED MODULE: ./src/commands/publish.ts
/**
 * command: publish — build (or take a local image), push once, tag the rest in the registry, verify every
 * tag, and report verified digests. `push: by-digest`: push with no tag (the builder, or the action's own upload
 * of what the builder exported), verify by digest. Every input is checked and push rights are proven before the build.
 */










async function publish(inputs, context) {
    const plan = publishPlan(inputs, context);
    const selection = await selectBuilder(inputs);
    const { builder } = selection;
    core/* info */.pq(selection.builds ? `Builder: ${builder.name} (${selection.why}).` : `No build: ${selection.why}.`);
    const push = plan.build.push;
    const session = await (0,src_session/* openSession */.f)(inputs, context, { push: push ? [plan.image] : [], pull: [] });
    const { client } = session;
    // Two independent reads, side by side, while docker logs in (the builder pushes with that login).
    const [newPackage, cacheFrom] = await Promise.all([
        push && (0,read/* isNewRepository */.VU)(client, plan.image),
        push && builder.cachesFromRegistry ? (0,read/* existingTag */.WA)(client, plan.image, plan.build.cacheTag) : undefined,
    ]);
    await session.loggedIn();
    const result = await withWorkDir(async (workDir) => {
        const built = await core/* group */.Os(selection.title, () => builder.build({ ...plan.build, workDir, credentials: session.credentials, cacheFrom }));
        if (!built.exported)
            return built;
        const { exported } = built;
        const digest = await core/* group */.Os('Push by digest', () => uploadExported(client, plan.image, exported, workDir, plan.build.platforms[0]));
        return { ...built, reportedDigest: digest };
    });
    client.renewDeadline(); // the build took its own time: the registry work after it gets its own bound
    const manifest = !push
        ? undefined
        : plan.build.byDigest
            ? await core/* group */.Os('Verify', () => verifyByDigest(client, plan.image, result))
            : await core/* group */.Os('Tag in the registry and verify', () => (0,tags/* tagAndVerify */.PZ)(client, plan.image, result, plan.build.tags));
    if (!manifest)
        core/* info */.pq(`Built ${result.imageId}; no digest exists because nothing was pushed: ${plan.whyNotPushed}.`);
    const platform = manifest ? await pushedPlatform(client, plan.image, manifest) : undefined;
    const facts = manifest && plan.image.repository.includes('/')
        ? await (0,session_packages/* publishedPackageFacts */.Ms)(session, context, plan.image.repository)
        : undefined;
    await reportPublished({ plan, selection, session, result, manifest, newPackage, platform, facts }, context);
}


/***/ }),

/***/ 5008:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ imageForPlatform),
/* harmony export */   VU: () => (/* binding */ isNewRepository),
/* harmony export */   WA: () => (/* binding */ existingTag),
/* harmony export */   WI: () => (/* binding */ readManifest)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9183);
/** Reading images through the registry client, with errors that name the input and what would work. */



/**
 * Reads a manifest; a tag or digest that does not exist becomes an error that names it and what would work
 * (the repository's tags, when it has any).
 */
async function readManifest(client, ref, input) {
    try {
        return await client.getManifest(ref);
    }
    catch (error) {
        if (!(error instanceof _registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .RegistryError */ .gl) || error.status !== 404)
            throw error;
        throw await missing(client, ref, input, error);
    }
}
/** Why a manifest is missing, and what would work: the repository's tags, when they can be listed. */
async function missing(client, ref, input, error) {
    const what = (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .formatReference */ .FH)(ref);
    const listed = await client.listTags(ref).then((tags) => ({ tags, why: '' }), (failure) => ({
        tags: undefined,
        why: failure instanceof Error ? failure.message : String(failure),
    }));
    const noRepository = error.code === 'NAME_UNKNOWN' || /\(HTTP 404\)/.test(listed.why);
    if (noRepository) {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .repositoryOf */ ._M)(ref)} does not exist (or these credentials cannot see it), so '${what}' cannot be read.`, `check the owner and name in '${input}' (registries want them lower-case).`);
    }
    const absent = `${ref.digest ? `The digest ${ref.digest}` : `The tag '${ref.tag}'`} does not exist in ${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .repositoryOf */ ._M)(ref)} ('${input}': ${what})`;
    const { tags } = listed;
    if (tags === undefined) {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${absent}; its tags could not be listed: ${listed.why}`, `check the tag or digest in '${input}'.`, { cause: error });
    }
    const shown = tags.slice(-20).join(', ');
    return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${absent}.`, tags.length
        ? `use one of its ${tags.length} tags (${tags.length > 20 ? 'the last 20: ' : ''}${shown}) or a digest it holds.`
        : 'the repository has no tags yet; publish first.', { cause: error });
}
/**
 * The image manifest for `platform` (asked for, or the runner's): a single-platform image when its config says
 * it is for that platform, else the index's entry for the platform; otherwise an error that says what there is.
 * Nothing has been written when it fails.
 */
async function imageForPlatform(client, ref, root, platform, asked) {
    if (root.kind !== 'index') {
        await checkImagePlatform(client, ref, root, platform, asked);
        return root;
    }
    const entry = (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .selectPlatform */ .md)(root.index, platform);
    if (!entry) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .repositoryOf */ ._M)(ref)}@${root.digest} has no image for ${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlatform */ .Bq)(platform)}${asked ? '' : " (the runner's platform)"}.`, `set 'platform' to one it has: ${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .platformsOf */ .Wt)(root.index).join(', ') || 'none listed'}.`);
    }
    return client.getManifest((0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .withDigest */ .hQ)({ ...ref, tag: undefined }, entry.digest));
}
/**
 * A single-platform image must be of the platform wanted (selectPlatform's rule): its config says which it is.
 * A config that names no platform (an artifact's) cannot be checked, and says so.
 */
async function checkImagePlatform(client, ref, image, wanted, asked) {
    if (image.kind !== 'image')
        return;
    const name = `${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .repositoryOf */ ._M)(ref)}@${image.digest}`;
    const have = await (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .imagePlatform */ .Ht)(client, ref, image.image);
    if (!have) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${name} does not say which platform it is for; it is not checked against ${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlatform */ .Bq)(wanted)}.`);
        return;
    }
    if ((0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .platformMatches */ .J5)(have, wanted))
        return;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${name} is ${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlatform */ .Bq)(have)}, not ${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlatform */ .Bq)(wanted)}${asked ? '' : " (the runner's platform)"}.`, `set 'platform' to ${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlatform */ .Bq)(have)} to pull it, or pull an image built for ${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlatform */ .Bq)(wanted)}.`);
}
/** Whether the repository has no tag yet (a new package), for the summary's visibility note. */
async function isNewRepository(client, image) {
    try {
        return !(await client.hasTags(image));
    }
    catch (error) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`Could not list the tags of ${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .repositoryOf */ ._M)(image)}: ${String(error)}`);
        return false;
    }
}
/** `repository:tag` when the registry has that tag already (a cache source for the next build), else undefined. */
async function existingTag(client, image, tag) {
    if (!tag || !(await client.headManifest((0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .withTag */ .Rd)(image, tag))))
        return undefined;
    return `${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .repositoryOf */ ._M)(image)}:${tag}`;
}


/***/ }),

/***/ 2629:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PZ: () => (/* binding */ tagAndVerify),
/* harmony export */   Tm: () => (/* binding */ putTags),
/* harmony export */   vl: () => (/* binding */ verifyTags)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9183);
/**
 * Tags written last and read back: every tag must resolve to the digest that was published or promoted. Tags
 * are written side by side and read back side by side (a few at a time, the client's concurrency).
 */



/** Runs `task` for every tag, at most the client's concurrency at once; fails with the first failure. */
async function eachTag(client, tags, task) {
    const limit = (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .createLimiter */ .zm)(client.concurrency);
    await (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .allOrFirstError */ .te)(tags.map((tag) => limit(() => task(tag))));
}
/**
 * The digest `tag` resolves to, as the registry says. The digest expected is known here (from bytes this step
 * read or wrote), so a HEAD whose Docker-Content-Digest equals it is the registry's word that the tag points
 * there; bytes would prove no more (a registry that lies could serve the known bytes just as well). Any other
 * answer (no header, another digest) is settled by the bytes: a GET, its digest computed here.
 */
async function resolvedDigest(client, ref, expected) {
    const head = await client.headManifest(ref);
    if (head?.digest === expected)
        return expected;
    return (await client.getManifest(ref)).digest;
}
/** Reads every tag back; one that resolves to another digest fails, naming it. */
async function verifyTags(client, image, tags, digest, done) {
    await eachTag(client, tags, async (tag) => {
        const stored = await resolvedDigest(client, (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .withTag */ .Rd)(image, tag), digest);
        if (stored !== digest) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .repositoryOf */ ._M)(image)}:${tag} resolves to ${stored}, not the ${done} ${digest}.`, 'something else wrote that tag meanwhile; run the job again.');
        }
    });
}
/** Writes tags with manifest PUTs (no upload), side by side; the registry's answered digest is checked. */
async function putTags(client, image, manifest, tags) {
    await eachTag(client, tags, async (tag) => {
        await client.putManifest((0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .withTag */ .Rd)(image, tag), manifest);
    });
}
/**
 * Makes the other tags with manifest PUTs (no upload), then reads every tag back: all must be one digest. The
 * first tag is read by its bytes first (that read is what the others are written from), and checked again last.
 */
async function tagAndVerify(client, image, result, tags) {
    const first = result.pushedTags[0] ?? tags[0] ?? 'latest';
    const manifest = await client.getManifest((0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .withTag */ .Rd)(image, first));
    if (result.reportedDigest && result.reportedDigest !== manifest.digest) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`The builder reported ${result.reportedDigest} for ${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .repositoryOf */ ._M)(image)}:${first}, but the registry holds ${manifest.digest}.`, 'another push to that tag ran at the same time; run the job again.');
    }
    const others = tags.filter((t) => !result.pushedTags.includes(t));
    await putTags(client, image, manifest, others);
    for (const tag of others)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Tagged ${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .repositoryOf */ ._M)(image)}:${tag} in the registry (manifest PUT, nothing uploaded).`);
    // Every tag read back after the writes, the first too (a HEAD): a push to it meanwhile is caught.
    await verifyTags(client, image, tags, manifest.digest, 'published');
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Verified: all ${tags.length} tags resolve to ${manifest.digest}.`);
    return manifest;
}


/***/ }),

/***/ 3186:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ platformInput),
/* harmony export */   f: () => (/* binding */ platformsInput)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9183);
/** Platform inputs ('platform' for pull, 'platforms' for publish): one rule, errors that name the input. */


/** `os/architecture[/variant]` as a Platform; anything else fails naming the input, the value and the fix. */
function platformInput(value, input) {
    try {
        // Platforms are lower case (LINUX/ARM64 is linux/arm64).
        return (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_1__/* .parsePlatform */ .FL)(value.toLowerCase());
    }
    catch {
        // The message quotes the value as it was given.
        let why = `Invalid platform '${value}'`;
        try {
            (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_1__/* .parsePlatform */ .FL)(value);
        }
        catch (error) {
            why = error instanceof Error ? error.message : String(error);
        }
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .l(`Input '${input}': ${why}.`, `correct '${input}' (e.g. linux/amd64, linux/arm64/v8 or windows/amd64).`);
    }
}
/** Every item of a platform list checked and written the standard way (builders take the text). */
function platformsInput(values, input) {
    return values.map((value) => (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_1__/* .formatPlatform */ .Bq)(platformInput(value, input)));
}


/***/ }),

/***/ 4244:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  vA: () => (/* binding */ refuseLatestWithTags),
  yN: () => (/* binding */ resolveTags),
  qI: () => (/* binding */ tagsInput)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/registry/index.ts + 44 modules
var registry = __webpack_require__(9183);
;// CONCATENATED MODULE: ./src/meta/tags.ts

/** Strict semver 2.0.0 with an optional leading 'v': major, minor, patch, pre-release, build metadata. */
const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
/**
 * A valid tag made from any name: every character outside [A-Za-z0-9_.-] becomes '-', leading '.' and '-' are
 * dropped, the rest is cut to 128 characters. '' when nothing is left.
 */
function sanitizeTag(name) {
    return name
        .replace(/[^A-Za-z0-9_.-]/gu, '-')
        .replace(/^[.-]+/, '')
        .slice(0, registry/* MAX_TAG_LENGTH */.Ti);
}
/** 'sha-' and the first 7 hex digits of the commit, or nothing without a commit. */
function shaTags(sha) {
    return /^[0-9a-f]{7}/i.test(sha) ? [`sha-${sha.slice(0, 7).toLowerCase()}`] : [];
}
function branchTags(branch, context, latest) {
    const name = branch === context.defaultBranch && latest !== 'false' ? 'latest' : sanitizeTag(branch);
    return [...(name === '' ? [] : [name]), ...shaTags(context.sha)];
}
/**
 * Tags of a git tag: a release `v1.2.3` gives 1.2.3, 1.2, 1 and latest (no bare '0' for 0.x); a pre-release
 * or a version with build metadata gives only itself, without the 'v' and with '+' as '-'; any other name gives
 * itself, sanitized.
 */
function gitTagTags(name) {
    const match = SEMVER.exec(name);
    if (!match)
        return [sanitizeTag(name)].filter((tag) => tag !== '');
    const [, major = '', minor = '', patch = '', preRelease, build] = match;
    if (preRelease !== undefined || build !== undefined)
        return [sanitizeTag(name.replace(/^v/, ''))];
    const version = `${major}.${minor}.${patch}`;
    return major === '0'
        ? [version, `${major}.${minor}`, 'latest']
        : [version, `${major}.${minor}`, major, 'latest'];
}
function pullRequestNumber(context) {
    if (context.pullRequestNumber !== undefined)
        return context.pullRequestNumber;
    const match = /^refs\/pull\/(\d+)\//.exec(context.ref);
    return match?.[1] === undefined ? undefined : Number(match[1]);
}
function eventTags(context, latest) {
    if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
        const number = pullRequestNumber(context);
        return number === undefined ? [] : [`pr-${number}`];
    }
    if (context.eventName === 'schedule')
        return ['nightly'];
    if (context.ref.startsWith('refs/heads/'))
        return branchTags(context.ref.slice('refs/heads/'.length), context, latest);
    if (context.ref.startsWith('refs/tags/'))
        return gitTagTags(context.ref.slice('refs/tags/'.length));
    return [];
}
/**
 * The tags the triggering event calls for; empty when it calls for none (e.g. no ref). `latest` moves the
 * latest tag: auto as the rules say (the default branch, a vX.Y.Z release), true adds it to any event's tags,
 * false leaves it out (the default branch is tagged with its name instead).
 */
function tagsFromEvent(context, latest = 'auto') {
    const tags = eventTags(context, latest);
    if (latest === 'false')
        return tags.filter((tag) => tag !== 'latest');
    if (latest === 'true' && tags.length > 0 && !tags.includes('latest'))
        return [...tags, 'latest'];
    return tags;
}

;// CONCATENATED MODULE: ./src/inputs/tags.ts



function invalidTag(value, error) {
    return new errors/* ActionError */.l(`The tag '${value}' in 'tags' is not valid: ${error.message}`, "Write a valid tag (e.g. '1.0' or 'latest'), or a full reference of the image with a tag.");
}
/** A reference in 'tags' that names the image's own repository and a tag, or an error that says what is off. */
function tagOfReference(value, image) {
    const repository = (0,registry/* repositoryOf */._M)(image);
    let ref;
    try {
        ref = (0,registry/* parseReference */.F2)(value, { defaultRegistry: image.registry });
    }
    catch (error) {
        if (!(error instanceof registry/* InvalidReferenceError */.x_))
            throw error;
        throw new errors/* ActionError */.l(`The value '${value}' in 'tags' is neither a tag nor a valid image reference: ${error.message}`, `Write a short tag such as '1.0', or a full reference such as '${repository}:1.0'.`);
    }
    if ((0,registry/* repositoryOf */._M)(ref) !== repository) {
        throw new errors/* ActionError */.l(`The value '${value}' in 'tags' names the repository '${(0,registry/* repositoryOf */._M)(ref)}', not the image '${repository}'.`, `Write a short tag such as '1.0', or '${repository}:<tag>'; to publish to another repository, set 'image' ` +
            `(or run the action once more for it).`);
    }
    if (ref.tag === undefined || ref.digest !== undefined) {
        const what = ref.tag === undefined ? 'has no tag' : 'carries a digest';
        throw new errors/* ActionError */.l(`The value '${value}' in 'tags' ${what}; 'tags' lists the tags to give the image.`, `Write it as a tag alone (e.g. '1.0') or as '${repository}:<tag>', without '@sha256:...'.`);
    }
    return ref.tag;
}
/** One item of 'tags' as a tag of `image`: a short tag, or a full reference of the same repository. */
function tagInput(value, image) {
    if (/[/:@]/.test(value))
        return tagOfReference(value, image);
    try {
        (0,registry/* validateTag */.z7)(value);
    }
    catch (error) {
        if (error instanceof registry/* InvalidReferenceError */.x_)
            throw invalidTag(value, error);
        throw error;
    }
    return value;
}
/**
 * The tags given in 'tags' for `image` (trimmed, blanks dropped, duplicates dropped with the first kept), each a
 * short tag or a full reference of the image's repository. Every one is checked before anything is written.
 */
function tagsInput(values, image) {
    const given = values.map((value) => value.trim()).filter((value) => value !== '');
    return [...new Set(given.map((value) => tagInput(value, image)))];
}
/**
 * Refuses a `latest` other than auto when the tags are given (`explicit`): it only shapes the tags taken from the
 * event. `fromEvent` says how to take them from the event instead.
 */
function refuseLatestWithTags(explicit, latest, fromEvent) {
    if (!explicit.length || latest === 'auto')
        return;
    throw new errors/* ActionError */.l(`Input 'latest' is '${latest}', but the tags are given ('${explicit.join(', ')}'): 'latest' only shapes the tags taken from the event.`, `add latest to 'tags' yourself (or leave it out), and remove 'latest'; or ${fromEvent}.`);
}
/**
 * The tags to publish `image` under: the explicit ones (short tags or full references of the same repository),
 * else the ones the event calls for. Duplicates dropped, first occurrence kept.
 */
function resolveTags(explicit, image, context, latest = 'auto') {
    const given = tagsInput(explicit, image);
    const tags = given.length > 0 ? given : tagsFromEvent(context, latest);
    if (tags.length === 0) {
        const on = context.ref === '' ? 'no ref' : `the ref '${context.ref}'`;
        throw new errors/* ActionError */.l(`No tags to publish: the event '${context.eventName}' on ${on} calls for none.`, "Set the 'tags' input, e.g. 'tags: latest' or one tag per line.");
    }
    return [...new Set(tags)];
}


/***/ })

};

//# sourceMappingURL=68.index.js.map