export const id = 257;
export const ids = [257];
export const modules = {

/***/ 1670:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Aj: () => (/* binding */ localImageId),
/* harmony export */   Ax: () => (/* binding */ dockerLoginForLaterSteps),
/* harmony export */   CG: () => (/* binding */ dockerDaemonProblem),
/* harmony export */   HZ: () => (/* binding */ dockerPullQuietly),
/* harmony export */   KD: () => (/* binding */ dockerPull),
/* harmony export */   QH: () => (/* binding */ dockerSave),
/* harmony export */   SO: () => (/* binding */ dockerVersions),
/* harmony export */   TU: () => (/* binding */ dockerTag),
/* harmony export */   Vi: () => (/* binding */ dockerPush),
/* harmony export */   WG: () => (/* binding */ buildxProblem),
/* harmony export */   cp: () => (/* binding */ dockerInspectImage),
/* harmony export */   rW: () => (/* binding */ dockerBuild),
/* harmony export */   xl: () => (/* binding */ buildxInspect)
/* harmony export */ });
/* unused harmony exports dockerLogin, dockerLogout, pushedDigest */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(656);
/* harmony import */ var _tool_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5325);
/**
 * Every docker CLI call the action makes, with argv arrays (never a shell) and secrets on stdin only. Builders
 * compute their argv; this module runs it.
 */




/**
 * What docker prints when the registry or the network failed in a way another try may mend: a 5xx or a 429
 * (docker itself retries neither a manifest PUT nor a 429 on a config or an upload), a dropped connection.
 */
const TRANSIENT = /HTTP status: (?:5\d\d|429)|HTTP 429|\b(?:500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out)\b|toomanyrequests|connection reset by peer|broken pipe|i\/o timeout|TLS handshake timeout|unexpected EOF/i;
/** Tries of a docker push or pull in all, and the waits between them. */
const DOCKER_WAITS_MS = [2000, 5000];
/**
 * Runs a docker command that talks to a registry; a transient failure (TRANSIENT) is tried again, twice, after
 * 2 s and 5 s. Anything else, or the third failure, is an ActionError with docker's last words and the fix.
 */
async function retryingDocker(args, what, fix, options = {}) {
    for (let attempt = 1;; attempt++) {
        const run = await (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .runTool */ .qI)('docker', args, options);
        if (!run)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${what}: 'docker' is not installed on this runner.`, fix);
        if (run.code === 0)
            return run;
        const wait = DOCKER_WAITS_MS[attempt - 1];
        if (wait === undefined || !TRANSIENT.test((0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .tail */ .RT)(run, 20))) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${what} failed (exit ${run.code}):\n${(0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .tail */ .RT)(run)}`, fix);
        }
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${what}: the registry or the network failed for now; trying again in ${wait / 1000} s.`);
        await new Promise((resolve) => setTimeout(resolve, wait));
    }
}
function loginResult(ran) {
    if (!ran)
        return { ok: false, noDocker: true, reason: 'no docker CLI on this runner' };
    if (ran.code !== 0)
        return { ok: false, noDocker: false, reason: (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .tail */ .RT)(ran, 3).replace(/\n/g, ' ') };
    return { ok: true };
}
/** `docker login REGISTRY -u USER --password-stdin`, the secret on stdin. */
async function dockerLogin(registry, username, secret) {
    const args = ['login', registry, '-u', username, '--password-stdin'];
    return loginResult(await (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .runTool */ .qI)('docker', args, { input: secret, silent: true }));
}
async function dockerLogout(registry) {
    if (removeLogin(registry))
        return { ok: true };
    return loginResult(await runTool('docker', ['logout', registry], { silent: true }));
}
/**
 * docker logged in to REGISTRY for later steps. Credentials the action has just proven against the registry go
 * into the docker config directly, as docker login stores them (no docker process, no requests: docker login
 * would only check them again). docker login runs when a credential helper must store them, or when nothing
 * proved them. Without a docker CLI, nothing is stored.
 */
async function dockerLoginForLaterSteps(registry, credentials, proven) {
    if (!(0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .onPath */ .L)('docker'))
        return loginResult(undefined);
    if (proven && (0,_config_js__WEBPACK_IMPORTED_MODULE_2__/* .storeLogin */ .VJ)(registry, credentials))
        return { ok: true };
    return dockerLogin(registry, credentials.username, credentials.password);
}
/** Whether a daemon answers (undefined), or why not. */
async function dockerDaemonProblem() {
    const run = await (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .runTool */ .qI)('docker', ['version', '--format', '{{.Server.Version}}'], { silent: true });
    return run?.code === 0 ? undefined : run ? 'no docker daemon answers' : 'there is no docker CLI';
}
/** The docker CLI's version, the daemon's, and the daemon's OS; undefined when no daemon answers. */
async function dockerVersions() {
    const format = '{{.Client.Version}}|{{.Server.Version}}|{{.Server.Os}}';
    const run = await (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .runTool */ .qI)('docker', ['version', '--format', format], { silent: true });
    if (run?.code !== 0)
        return undefined;
    const [client = '', server = '', os = ''] = run.stdout.trim().split('|');
    return { client, server, os };
}
/** Whether `docker buildx` is here (undefined), or why not. */
async function buildxProblem() {
    const run = await (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .runTool */ .qI)('docker', ['buildx', 'version'], { silent: true });
    return run?.code === 0 ? undefined : run ? "'docker buildx' is not installed" : 'there is no docker CLI';
}
/** What `docker buildx inspect` says of the current builder ('' when it cannot say). */
async function buildxInspect() {
    return (await (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .runTool */ .qI)('docker', ['buildx', 'inspect'], { silent: true }))?.stdout ?? '';
}
/**
 * Runs a build command line (`build ...` or `buildx build ...`); a failure names the fix, the one `explain`
 * finds in the output when it knows the failure.
 */
async function dockerBuild(args, what, env, explain) {
    const run = await (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .runTool */ .qI)('docker', args, { env });
    const fix = 'read the build log above; fix the Dockerfile or the inputs.';
    if (!run)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${what}: 'docker' is not installed on this runner.`, fix);
    if (run.code === 0)
        return;
    const known = explain?.(`${run.stdout}\n${run.stderr}`);
    const plainly = known ? ` ${known.what}.` : '';
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${what} failed (exit ${run.code}):${plainly}\n${(0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .tail */ .RT)(run)}`, known?.fix ?? fix);
}
/** `docker push` prints `TAG: digest: sha256:... size: N` last. */
function pushedDigest(output) {
    return /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
}
/** Pushes one tag of a local image with docker (tried again on transient failures: layers are not sent twice). */
async function dockerPush(reference) {
    const pushed = await retryingDocker(['push', reference], `docker push ${reference}`, 'read the output above; the push rights were proven before the build, so look for a network or registry failure.');
    return pushedDigest(pushed.stdout);
}
/** `docker pull --quiet`, best effort (a cache source): whether it worked. */
async function dockerPullQuietly(reference) {
    return (await (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .runTool */ .qI)('docker', ['pull', '--quiet', reference], { silent: true }))?.code === 0;
}
/** `docker pull [--platform P] REFERENCE` (by digest: the same image on every try), which must succeed. */
async function dockerPull(reference, platform) {
    await retryingDocker(['pull', ...(platform ? ['--platform', platform] : []), reference], `docker pull ${reference}`, 'read the output above; the digest was resolved and the credentials proven just before.');
}
/** The image ID and repo digests docker holds for a reference. */
async function dockerInspectImage(reference) {
    const inspected = await (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .mustRunTool */ .lt)('docker', ['image', 'inspect', '--format', '{{.Id}} {{json .RepoDigests}}', reference], `docker image inspect ${reference}`, 'run the job again.', { silent: true });
    const [id = '', digestsJson = '[]'] = inspected.stdout.trim().split(' ');
    return { id, repoDigests: JSON.parse(digestsJson) };
}
/**
 * The ID of a local image given by name or ID, for the 'source' input; an error that names the input and the
 * fix when docker is missing or has no such image.
 */
async function localImageId(source) {
    const inspected = await (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .runTool */ .qI)('docker', ['image', 'inspect', '--format', '{{.Id}}', '--', source], {
        silent: true,
    });
    if (!inspected)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Input 'source' is '${source}', but there is no docker CLI here to read it from.`, 'publish a local image on a runner with docker, or build it with this action.');
    if (inspected.code !== 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Input 'source' is '${source}', which is no image in the local docker store.`, "give the name or ID of an image built or pulled earlier in this job (see 'docker images'), or leave 'source' empty to build.");
    }
    return inspected.stdout.trim();
}
/** `docker tag SOURCE TARGET`, which must succeed. */
async function dockerTag(source, target, fix = 'run the job again.') {
    await (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .mustRunTool */ .lt)('docker', ['tag', source, target], `docker tag ${source}`, fix, { silent: true });
}
/** `docker save` of one image (by ID) to a file: a docker archive for the action's own upload. */
async function dockerSave(imageId, file) {
    await (0,_tool_js__WEBPACK_IMPORTED_MODULE_3__/* .mustRunTool */ .lt)('docker', ['save', '--output', file, imageId], `docker save ${imageId}`, 'check the disk space of the runner, then run the job again.', { silent: true });
}


/***/ }),

/***/ 656:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ dockerConfigCredentials),
/* harmony export */   VJ: () => (/* binding */ storeLogin)
/* harmony export */ });
/* unused harmony exports runCredentialHelper, dockerConfigFile, removeLogin */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _tool_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5325);
/**
 * The docker config (`$DOCKER_CONFIG/config.json` or ~/.docker/config.json): credentials by registry, and the
 * login kept there for later steps.
 */






/** The keys docker may have stored a registry under. */
function keysFor(registry) {
    return [
        registry,
        `https://${registry}`,
        `http://${registry}`,
        `https://${registry}/v1/`,
        `https://${registry}/v2/`,
    ];
}
/** A helper's name as docker takes it (`pass`, `secretservice`, `ecr-login`): never a path. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/**
 * The credential helper protocol: the server on stdin, `{"Username","Secret"}` on stdout, a non-zero exit when
 * it knows nothing. Bounded: 10 s, 64 KiB of answer.
 */
const runCredentialHelper = (helper, server, env) => {
    try {
        return (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFileSync)(`docker-credential-${helper}`, ['get'], {
            input: server,
            env,
            timeout: 10_000,
            maxBuffer: 64 * 1024,
            stdio: ['pipe', 'pipe', 'ignore'],
        }).toString('utf8');
    }
    catch {
        return undefined;
    }
};
function fromHelper(helper, registry, env, run) {
    if (!HELPER_NAME.test(helper))
        return undefined;
    for (const server of [registry, `https://${registry}`]) {
        const answer = run(helper, server, env);
        if (answer === undefined)
            continue;
        try {
            const { Username, Secret } = JSON.parse(answer);
            // '<token>' marks an identity token (an OAuth refresh token), which this client does not exchange.
            if (typeof Username === 'string' &&
                typeof Secret === 'string' &&
                Username &&
                Secret &&
                Username !== '<token>')
                return { username: Username, password: Secret };
        }
        catch {
            // not JSON: nothing usable
        }
    }
    return undefined;
}
function fromAuths(auths, registry) {
    for (const key of keysFor(registry)) {
        const entry = auths[key];
        if (!entry)
            continue;
        if (entry.username && entry.password)
            return { username: entry.username, password: entry.password };
        if (entry.auth) {
            const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
            const colon = decoded.indexOf(':');
            if (colon > 0)
                return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
        }
    }
    return undefined;
}
/** The config's `auths` (an object), or none. */
function authsOf(config) {
    return typeof config.auths === 'object' && config.auths !== null
        ? config.auths
        : {};
}
/** Where docker reads its config in this environment. */
function dockerConfigFile(env = process.env) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(env.DOCKER_CONFIG || (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_3__.homedir)(), '.docker'), 'config.json');
}
/**
 * What the docker config holds for REGISTRY, as docker reads it: the registry's credential helper
 * (`credHelpers`), else the credential store (`credsStore`), else the plain `auths` entry `docker login` stored;
 * undefined when none has it (or the file cannot be read).
 */
function dockerConfigCredentials(registry, env = process.env, run = runCredentialHelper) {
    const file = dockerConfigFile(env);
    // A helper is a program (up to 10 s): asked once per registry and config file in a step.
    const key = `${file}\n${registry}`;
    if (run === runCredentialHelper && answers.has(key))
        return answers.get(key);
    const found = readCredentials(file, registry, env, run);
    if (run === runCredentialHelper)
        answers.set(key, found);
    return found;
}
const answers = new Map();
function readCredentials(file, registry, env, run) {
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_2__.existsSync)(file))
        return undefined;
    let config;
    try {
        config = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_2__.readFileSync)(file, 'utf8'));
    }
    catch {
        return undefined;
    }
    if (typeof config !== 'object' || config === null)
        return undefined;
    const helpers = typeof config.credHelpers === 'object' && config.credHelpers !== null ? config.credHelpers : {};
    const helper = Object.hasOwn(helpers, registry) ? helpers[registry] : config.credsStore;
    const fromStore = typeof helper === 'string' && helper ? fromHelper(helper, registry, env, run) : undefined;
    const auths = authsOf(config);
    return fromStore ?? fromAuths(auths, registry);
}
/**
 * The config as an object when this module may change REGISTRY's login in it: none yet (`{}`), or a plain file
 * of JSON that names no credential helper for REGISTRY. Undefined otherwise: a helper's store (a keychain, pass)
 * is docker's to write, and a link or a file that is not a JSON object is left for docker to handle.
 */
function editableConfig(file, registry) {
    // Docker Hub's login lives under its legacy index URL, and docker may pick a store of its own: docker's job.
    if (DOCKER_HUB.has(registry.toLowerCase()) || DEFAULT_STORES.some((helper) => (0,_tool_js__WEBPACK_IMPORTED_MODULE_5__/* .onPath */ .L)(helper)))
        return undefined;
    let link;
    try {
        link = (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.lstatSync)(file).isSymbolicLink();
    }
    catch {
        return {}; // no config yet
    }
    if (link)
        return undefined; // docker writes through the link (a dangling one too)
    let config;
    try {
        config = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_2__.readFileSync)(file, 'utf8'));
    }
    catch {
        return undefined;
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config))
        return undefined;
    const { credsStore, credHelpers } = config;
    if (typeof credsStore === 'string' && credsStore)
        return undefined;
    if (typeof credHelpers === 'object' && credHelpers !== null && Object.hasOwn(credHelpers, registry))
        return undefined;
    return config;
}
const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
/** The credential helpers docker login uses on its own, with no credsStore set, when it finds them on PATH. */
const DEFAULT_STORES = [
    'docker-credential-desktop',
    'docker-credential-osxkeychain',
    'docker-credential-wincred',
    'docker-credential-secretservice',
    'docker-credential-pass',
];
/** Writes the config whole to a new private file beside it, then renames it over the old one. */
function writeConfig(file, config) {
    (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.mkdirSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.dirname)(file), { recursive: true, mode: 0o700 });
    const fresh = `${file}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.randomUUID)()}.tmp`;
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.writeFileSync)(fresh, `${JSON.stringify(config, null, '\t')}\n`, { mode: 0o600, flag: 'wx' });
        (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.chmodSync)(fresh, 0o600);
        (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.renameSync)(fresh, file);
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.rmSync)(fresh, { force: true });
    }
}
/**
 * Keeps a login to REGISTRY in the docker config as `docker login` stores one without a credential helper (an
 * `auths` entry of base64 `user:secret`), without running docker. False, with nothing written, when docker must
 * do it (editableConfig).
 */
function storeLogin(registry, credentials, env = process.env) {
    const file = dockerConfigFile(env);
    const config = editableConfig(file, registry);
    if (!config)
        return false;
    const auths = authsOf(config);
    const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    writeConfig(file, { ...config, auths: { ...auths, [registry]: { auth } } });
    answers.clear();
    return true;
}
/** Removes REGISTRY's `auths` entry as `docker logout REGISTRY` does; false when docker must (editableConfig). */
function removeLogin(registry, env = process.env) {
    const file = dockerConfigFile(env);
    const config = editableConfig(file, registry);
    if (!config)
        return false;
    const auths = authsOf(config);
    if (!Object.hasOwn(auths, registry))
        return true;
    const kept = Object.fromEntries(Object.entries(auths).filter(([key]) => key !== registry));
    writeConfig(file, { ...config, auths: kept });
    answers.clear();
    return true;
}


/***/ }),

/***/ 8943:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H_: () => (/* binding */ apiHeaders),
/* harmony export */   Mc: () => (/* binding */ githubApi)
/* harmony export */ });
/* unused harmony export apiFetch */
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9183);

/** An Octokit for the API at `apiUrl`, authenticated with `token` (sent as `Authorization: token ...`). */
async function githubApi(options) {
    const { getOctokit } = await __webpack_require__.e(/* import() */ 157).then(__webpack_require__.bind(__webpack_require__, 157));
    return getOctokit(options.token, {
        baseUrl: options.apiUrl,
        userAgent: options.userAgent,
        request: { fetch: options.fetch ?? apiFetch() },
    });
}
/** Redirects followed, within the API's own origin only. */
const MAX_REDIRECTS = 3;
/**
 * Octokit's fetch: the registry client's node:http(s) requests, through the runner's proxies (HTTPS_PROXY,
 * HTTP_PROXY, NO_PROXY; a loopback API is reached directly, as @actions/http-client does) like every other
 * request of the action. @actions/github's own fetch would load undici for one call and hold the process open
 * for ~100 ms after it (its HTTP parser, compiled to WebAssembly, is optimised in the background). A redirect is
 * followed within the API's origin only (the token never goes anywhere else): 307 and 308 for any method (the
 * body is a string, sent again), 301 and 302 for a GET or HEAD. Any other redirect fails the call: taken as an
 * answer, a redirected DELETE would look done.
 */
function apiFetch() {
    const proxied = (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_0__/* .nodeFetch */ .vs)((0,_registry_index_js__WEBPACK_IMPORTED_MODULE_0__/* .proxySettingsFrom */ .Yw)(process.env));
    const direct = (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_0__/* .nodeFetch */ .vs)({});
    return async (input, init) => {
        let url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
        const read = ['GET', 'HEAD'].includes((init?.method ?? 'GET').toUpperCase());
        for (let hop = 0;; hop++) {
            const response = await ((0,_registry_index_js__WEBPACK_IMPORTED_MODULE_0__/* .isLoopbackRegistry */ .jW)(url.host) ? direct : proxied)(url, init);
            if (response.status < 300 || response.status > 399 || response.status === 304)
                return response;
            await response.body?.cancel();
            const location = response.headers.get('location');
            const next = location ? new URL(location, url) : undefined;
            const follows = [307, 308].includes(response.status) || ([301, 302].includes(response.status) && read);
            if (!next || next.origin !== url.origin || !follows || hop >= MAX_REDIRECTS)
                throw new Error(`${url.origin}${url.pathname} answered ${response.status}${next ? ` (to ${next.origin}${next.pathname})` : ''}: not followed`);
            url = next;
        }
    };
}
/** Headers every call sends: the action's own User-Agent (alone) and GitHub's current media type. */
function apiHeaders(userAgent) {
    return { 'user-agent': userAgent, accept: 'application/vnd.github+json' };
}


/***/ }),

/***/ 1750:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N: () => (/* binding */ missingScope),
/* harmony export */   p: () => (/* binding */ readTokenScopes)
/* harmony export */ });
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9183);
/* harmony import */ var _api_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8943);
/** The scopes of a classic personal access token, as GitHub reports them on any REST answer. */


/** GET $GITHUB_API_URL/user: X-OAuth-Scopes lists a classic PAT's scopes; 401 means a wrong or revoked token. */
async function readTokenScopes(apiUrl, token, userAgent, fetchImpl) {
    let status;
    let header;
    try {
        const api = await (0,_api_js__WEBPACK_IMPORTED_MODULE_1__/* .githubApi */ .Mc)({ apiUrl, token, userAgent, fetch: fetchImpl });
        const answer = await api.request('GET /user', {
            headers: (0,_api_js__WEBPACK_IMPORTED_MODULE_1__/* .apiHeaders */ .H_)(userAgent),
            request: { signal: AbortSignal.timeout(15_000) },
        });
        [status, header] = [answer.status, answer.headers['x-oauth-scopes']];
    }
    catch (error) {
        const failure = error;
        if (failure.response === undefined || failure.status === undefined) {
            // No HTTP answer: the network failure in words (host and port, cause), else what was thrown.
            const network = (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_0__/* .asNetworkError */ .hg)(error, new URL(apiUrl));
            const why = network instanceof _registry_index_js__WEBPACK_IMPORTED_MODULE_0__/* .NetworkError */ .Dr ? network.brief : (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_0__/* .printable */ .g$)(String(error), 300);
            return { kind: 'unknown', why: `${apiUrl}/user: ${why}` };
        }
        if (failure.status === 401)
            return { kind: 'bad-credentials' };
        return { kind: 'unknown', why: `${apiUrl}/user answered ${failure.status} without X-OAuth-Scopes` };
    }
    if (typeof header !== 'string') {
        return { kind: 'unknown', why: `${apiUrl}/user answered ${status} without X-OAuth-Scopes` };
    }
    return {
        kind: 'scopes',
        scopes: header
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    };
}
/** The classic scope a registry action needs; write:packages includes reading. */
function missingScope(scopes, need) {
    if (need === 'push')
        return scopes.includes('write:packages') ? undefined : 'write:packages';
    return scopes.includes('read:packages') || scopes.includes('write:packages') ? undefined : 'read:packages';
}


/***/ }),

/***/ 385:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   aA: () => (/* binding */ tokenKind),
/* harmony export */   ju: () => (/* binding */ describeTokenKind),
/* harmony export */   yK: () => (/* binding */ isPersonalAccessToken)
/* harmony export */ });
/** GitHub credentials told apart by their prefix (never by length: GITHUB_TOKEN's format is changing). */
const PREFIXES = [
    ['github_pat_', 'fine-grained-pat'],
    ['ghs_', 'installation'],
    ['ghp_', 'classic-pat'],
    ['gho_', 'oauth'],
    ['ghu_', 'user-to-server'],
    ['ghr_', 'refresh'],
];
function tokenKind(token) {
    return PREFIXES.find(([prefix]) => token.startsWith(prefix))?.[1] ?? 'other';
}
function describeTokenKind(kind) {
    switch (kind) {
        case 'installation':
            return 'an installation token (ghs_, like GITHUB_TOKEN)';
        case 'classic-pat':
            return 'a classic personal access token (ghp_)';
        case 'fine-grained-pat':
            return 'a fine-grained personal access token (github_pat_)';
        case 'oauth':
            return 'an OAuth app token (gho_)';
        case 'user-to-server':
            return 'a GitHub App user token (ghu_)';
        case 'refresh':
            return 'a refresh token (ghr_), which cannot authenticate by itself';
        case 'other':
            return 'a token without a GitHub prefix';
    }
}
function isPersonalAccessToken(kind) {
    return kind === 'classic-pat' || kind === 'fine-grained-pat';
}


/***/ }),

/***/ 7443:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EA: () => (/* binding */ imageInput),
/* harmony export */   Mn: () => (/* binding */ targetInput),
/* harmony export */   mC: () => (/* binding */ sourceInput),
/* harmony export */   vZ: () => (/* binding */ requireOneTagSource)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9183);
/** Image references from inputs: one rule for every input that names an image. */



/**
 * An image input as a Reference on `registry` unless it names its own. Bad values fail with the input's name;
 * a repository path with capitals is lower-cased with a notice (ghcr.io accepts lower case only).
 */
function imageInput(value, input, registry) {
    if (!value) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Input '${input}' is empty.`, `set '${input}' to an image, e.g. ${registry}/OWNER/NAME:TAG.`);
    }
    let ref;
    try {
        ref = (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .parseReference */ .F2)(value, { defaultRegistry: registry });
    }
    catch (error) {
        if (error instanceof _registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .InvalidReferenceError */ .x_) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Input '${input}': ${error.message}`, `correct '${input}'; the form is [registry/]owner/name[:tag][@digest].`);
        }
        throw error;
    }
    if (ref.registry === 'ghcr.io' && !ref.repository.includes('/')) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Input '${input}' is '${value}': an image on ghcr.io is named OWNER/NAME, and '${ref.repository}' has no owner.`, `set '${input}' to ghcr.io/OWNER/${ref.repository}, OWNER being the user or organization that owns the package.`);
    }
    if (ref.lowercased) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .notice */ .lm(`'${input}' was lower-cased to ${(0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .formatReference */ .FH)(ref)}: registries accept lower-case repository names only (tags keep their case).`);
    }
    return ref;
}
/**
 * The image to read (resolve, pull): `source`, else `image`; a reference with neither tag nor digest means
 * `latest`, as docker pull reads it.
 */
function sourceInput(inputs) {
    if (!inputs.source && !inputs.image) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l("Inputs 'source' and 'image' are both empty: there is no image to read.", `set 'source' to the image, e.g. ${inputs.registry}/OWNER/NAME:TAG (or @sha256:...).`);
    }
    const input = inputs.source ? 'source' : 'image';
    const ref = imageInput(inputs.source || inputs.image, input, inputs.registry);
    return { ref: ref.tag || ref.digest ? ref : (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .withTag */ .Rd)(ref, 'latest'), input };
}
/**
 * An image to write (publish, promote): on `registry` (the credentials go there and nowhere else) and without a
 * digest. The tag it names, if any, is kept on the returned reference for the caller's default tags.
 */
function targetInput(value, input, registry) {
    const ref = imageInput(value, input, registry);
    if (ref.registry !== registry) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Input '${input}' is on ${ref.registry}, but 'registry' is ${registry}: the credentials are chosen for, and sent to, 'registry' only.`, `set 'registry: ${ref.registry}' (with 'username' and 'password' unless it is GitHub's), or put the image on ${registry}.`);
    }
    if (ref.digest) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Input '${input}' (${value}) names a digest.`, `give '${input}' without a digest; put tags in 'tags'.`);
    }
    return ref;
}
/** A tag named in the image to write and 'tags' at once: one of them would be silently dropped. */
function requireOneTagSource(target, tags, input = 'image') {
    if (target.tag === undefined || tags.length === 0)
        return;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Input '${input}' names the tag '${target.tag}', and 'tags' is set too: the tag in '${input}' would not be written.`, `put every tag in 'tags' (add '${target.tag}' there if you want it) and give '${input}' without a tag.`);
}


/***/ }),

/***/ 9355:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  f: () => (/* binding */ openSession)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/docker/cli.ts
var cli = __webpack_require__(1670);
// EXTERNAL MODULE: ./src/docker/config.ts
var config = __webpack_require__(656);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/registry/index.ts + 44 modules
var src_registry = __webpack_require__(9183);
;// CONCATENATED MODULE: ./src/github/refusals.ts
/**
 * Why a registry refused a GitHub credential, and what to change. The registry's own words come first; the
 * likely causes follow, most likely first, each with its fix.
 */

const TOKEN_PAGE = 'https://github.com/settings/tokens/new?scopes=write:packages';
/** True when the error is a refusal of the credentials (not a network failure or a missing image). */
function isRefusal(error) {
    return error instanceof src_registry/* RegistryError */.gl && (error.status === 401 || error.status === 403);
}
function packageSettings(context, repository) {
    const [owner = '', ...rest] = repository.split('/');
    const kind = context.ownerType === 'User' ? 'users' : 'orgs';
    return `the package's settings (${context.serverUrl}/${kind}/${owner}/packages/container/${encodeURIComponent(rest.join('/'))}/settings)`;
}
/** Causes and fixes for one refused attempt, as lines: what was refused and by whom, then the likely causes. */
function explainRefusal(error, attempt, context) {
    const tokenRefused = error.operation === 'authenticate to';
    // A token service's refusal says which service refused (RegistryError.why): it may not be the registry.
    const said = error.errors.length
        ? (0,src_registry/* describeErrors */.rg)(error.errors)
        : tokenRefused
            ? error.why
            : `HTTP ${error.status ?? '?'}`;
    const who = attempt.method === 'anonymous' ? 'anonymous access' : `the ${attempt.method}`;
    const head = `${attempt.registry} refused ${who} to ${attempt.need} ${attempt.repository}: ${said}.`;
    const causes = tokenRefused && attempt.method !== 'anonymous'
        ? credentialCauses(attempt)
        : accessCauses(attempt, context);
    return [head, ...causes];
}
/** The credential itself was refused by the token service. */
function credentialCauses(attempt) {
    if (attempt.method === 'github-token') {
        return [
            '- The token itself was refused: GITHUB_TOKEN is valid only while its job runs. Pass `${{ github.token }}` (the default) unchanged, not a stored copy.',
        ];
    }
    if (attempt.method === 'pat') {
        return [
            '- The personal access token was refused: it is wrong, expired or revoked. Create a new classic token with only write:packages (' +
                TOKEN_PAGE +
                ') and update the secret, or better, drop the PAT and use GITHUB_TOKEN.',
            "- For an organization's packages: if the organization uses SAML single sign-on, authorize the token for it (Settings > Developer settings > Personal access tokens > Configure SSO).",
        ];
    }
    return [`- The credentials were refused by ${attempt.registry}: check the username and password.`];
}
/** The credential was accepted (or there was none), but not for this repository and action. */
function accessCauses(attempt, context) {
    const repo = context.repository || 'this repository';
    if (attempt.method === 'anonymous' && attempt.need === 'push') {
        return [
            `- Pushing needs credentials. Give the step a token that may push to ${attempt.repository}: \`github-token: \${{ github.token }}\` with \`permissions: packages: write\`.`,
        ];
    }
    if (attempt.method === 'anonymous') {
        return [
            `- ${attempt.repository} is private (new ghcr.io packages are) or does not exist. Give the step a token that may read it: \`github-token: \${{ github.token }}\` with \`permissions: packages: read\`.`,
        ];
    }
    if (attempt.method === 'github-token') {
        const role = attempt.need === 'push' ? 'write' : 'read';
        const fork = attempt.need === 'push' && context.isForkPullRequest
            ? [
                '- This run is a pull request from a fork: its GITHUB_TOKEN is read-only, whatever the workflow asks. Do not push for pull requests: `push: auto` (the default) builds without pushing on pull_request events.',
            ]
            : [];
        return [
            ...fork,
            `- The job lacks \`permissions: packages: ${role}\`. Add it to the job (or the workflow); in a reusable workflow, add it to the caller's job, the one whose \`uses:\` names the workflow (a called workflow cannot raise what its caller grants):\n    permissions:\n      contents: read\n      packages: ${role}`,
            `- The package ${attempt.repository} exists but is not connected to ${repo}, or ${repo} has no Actions access to it. In ${packageSettings(context, attempt.repository)}, under "Manage Actions access", add ${repo} with the ${role === 'write' ? 'Write' : 'Read'} role. (A package first published from this repository's workflow with the org.opencontainers.image.source label, which this action adds, is connected to it.)`,
        ];
    }
    if (attempt.method === 'pat') {
        return [
            `- The token's user may not ${attempt.need} ${attempt.repository}, or the token lacks ${attempt.need === 'push' ? 'write:packages' : 'read:packages'}.`,
            "- For an organization's packages: if the organization uses SAML single sign-on, authorize the token for it.",
        ];
    }
    return [
        `- The account given in 'username' may not ${attempt.need} ${attempt.repository} on ${attempt.registry}: check its rights there.`,
    ];
}

// EXTERNAL MODULE: ./src/github/registry.ts
var registry = __webpack_require__(1392);
// EXTERNAL MODULE: ./src/github/scopes.ts
var scopes = __webpack_require__(1750);
// EXTERNAL MODULE: ./src/github/token-kind.ts
var token_kind = __webpack_require__(385);
;// CONCATENATED MODULE: ./src/github/credentials.ts






function candidatesFor(request, annotations) {
    if (request.password) {
        return [
            { method: 'password', input: 'password', secret: request.password, kind: (0,token_kind/* tokenKind */.aA)(request.password) },
        ];
    }
    if (!(0,registry/* isGitHubRegistry */.v)(request.registry, request.context)) {
        if (request.githubToken || request.pat) {
            annotations.push({
                level: 'notice',
                message: `${request.registry} is not a GitHub registry, so no GitHub token is sent to it. To log in there, set 'username' and 'password' (e.g. from secrets).`,
            });
        }
        return [{ method: 'anonymous', input: 'none', secret: '', kind: 'other' }];
    }
    const candidates = [];
    if (request.githubToken) {
        const kind = (0,token_kind/* tokenKind */.aA)(request.githubToken);
        candidates.push({
            method: (0,token_kind/* isPersonalAccessToken */.yK)(kind) ? 'pat' : 'github-token',
            input: 'github-token',
            secret: request.githubToken,
            kind,
        });
    }
    if (request.pat)
        candidates.push({ method: 'pat', input: 'pat', secret: request.pat, kind: (0,token_kind/* tokenKind */.aA)(request.pat) });
    if (candidates.length === 0)
        candidates.push({ method: 'anonymous', input: 'none', secret: '', kind: 'other' });
    return candidates;
}
function usernameFor(request) {
    return request.username || request.context.actor || 'github-actions';
}
/** How to move this workflow off the PAT, for the access it needs (reading wants less than writing). */
function migrationSteps(context, need) {
    const repo = context.repository || 'this repository';
    const connect = need === 'push'
        ? `2. Connect the package to ${repo}: the next publish with GITHUB_TOKEN adds the org.opencontainers.image.source label that does it, or add the repository under "Manage Actions access" in the package settings (Write role).`
        : `2. Give ${repo} access to the package: under "Manage Actions access" in the package settings, add it with the Read role (a package published from ${repo} has it already).`;
    return [
        'Migrate this workflow to GITHUB_TOKEN:',
        `1. Give the job \`permissions: packages: ${need === 'push' ? 'write' : 'read'}\` (and \`contents: read\`).`,
        connect,
        "3. Remove the 'pat' input and delete the PAT secret (and revoke the token).",
    ].join('\n');
}
/** Checks a GitHub token before it touches the registry: kind warnings, classic PAT scopes. */
async function precheck(candidate, need, request, deps, annotations) {
    if (candidate.kind === 'fine-grained-pat') {
        annotations.push({
            level: 'warning',
            message: `The '${candidate.input}' input holds ${(0,token_kind/* describeTokenKind */.ju)(candidate.kind)}. GitHub Packages documents only classic personal access tokens for the container registry; prefer GITHUB_TOKEN, or a classic token with only write:packages (${TOKEN_PAGE}).`,
        });
    }
    if (candidate.kind === 'refresh')
        return `the '${candidate.input}' input holds ${(0,token_kind/* describeTokenKind */.ju)(candidate.kind)}.`;
    if (candidate.kind !== 'classic-pat')
        return undefined;
    const report = await (0,scopes/* readTokenScopes */.p)(request.context.apiUrl, candidate.secret, request.userAgent, deps.fetch);
    if (report.kind === 'bad-credentials') {
        return `GitHub does not accept the personal access token in '${candidate.input}' (401 Bad credentials from ${request.context.apiUrl}/user): it is wrong, expired or revoked. Create a new classic token with only write:packages (${TOKEN_PAGE}) and update the secret.`;
    }
    if (report.kind === 'unknown') {
        deps.debug?.(`Could not read the token's scopes: ${report.why}`);
        return undefined;
    }
    if (report.scopes.includes('repo')) {
        annotations.push({
            level: 'warning',
            message: `The personal access token in '${candidate.input}' has the 'repo' scope, which gives full control of private repositories: far more than a registry needs. Create one with only write:packages (${TOKEN_PAGE}), or move to GITHUB_TOKEN.`,
        });
    }
    const missing = (0,scopes/* missingScope */.N)(report.scopes, need);
    if (missing) {
        return `The personal access token in '${candidate.input}' lacks the ${missing} scope needed to ${need} (its scopes: ${report.scopes.join(', ') || 'none'}). Create a token with ${missing} (${TOKEN_PAGE}), or use GITHUB_TOKEN with \`permissions: packages: ${need === 'push' ? 'write' : 'read'}\`.`;
    }
    return undefined;
}
/** Proves the client may do what the command needs, without writing anything. */
async function prove(client, request) {
    // One token covers everything the command does on the registry (the proof's requests included).
    client.expectAccess({ push: request.push, pull: request.pull });
    const proofs = [
        ...request.pull.map((ref) => () => client.checkPullPermission(ref)),
        ...request.push.map((ref) => () => client.checkPushPermission(ref)),
    ];
    // The first alone (it makes the token handshake), then the others side by side; a refusal is reported in
    // this order (pulls first) whichever came back first.
    const [first, ...others] = proofs;
    if (first)
        await first();
    await (0,src_registry/* allOrFirstError */.te)(others.map((proof) => proof()));
}
async function chooseCredentials(request, deps) {
    const annotations = [];
    const need = request.push.length ? 'push' : 'pull';
    const failures = [];
    const candidates = candidatesFor(request, annotations);
    for (const candidate of candidates) {
        const refused = await precheck(candidate, need, request, deps, annotations);
        if (refused) {
            failures.push(refused);
            continue;
        }
        const credentials = candidate.method === 'anonymous'
            ? undefined
            : { username: usernameFor(request), password: candidate.secret };
        const client = deps.newClient(credentials, candidate.method);
        try {
            await prove(client, request);
        }
        catch (error) {
            if (!isRefusal(error))
                throw error;
            // A token service's refusal names the registry only: then the first repository asked for is meant.
            const asked = request.push.concat(request.pull);
            const repository = (asked.find((r) => error.reference.includes(r.repository)) ?? asked[0])?.repository ?? '';
            failures.push(explainRefusal(error, { method: candidate.method, kind: candidate.kind, need, registry: request.registry, repository }, request.context).join('\n'));
            continue;
        }
        annotations.push(...afterChoice(candidate, failures, request, deps));
        return { method: candidate.method, credentials, client, annotations };
    }
    const tried = candidates
        .map((c) => (c.input === 'none' ? 'anonymous access' : `'${c.input}'`))
        .join(', then ');
    if (!request.githubToken &&
        !request.pat &&
        !request.password &&
        (0,registry/* isGitHubRegistry */.v)(request.registry, request.context)) {
        failures.unshift("'github-token' is empty (and no 'pat' is set), so no credentials were given: pass `github-token: ${{ github.token }}` (the default; check that the workflow does not set it to an empty value).");
    }
    throw new errors/* ActionError */.l(`No credentials may ${need} on ${request.registry} (tried ${tried}); nothing was built, pushed or changed.\n${failures.join('\n')}`, candidates.length === 1
        ? 'see the causes above.'
        : 'see the causes above, one group per credential tried.');
}
/** The workflow file and line of its `pat:` input, for the warning to point at; {} when either is unknown. */
function patPlace(request, deps) {
    const file = request.context.workflowFile;
    const line = file ? deps.patLine?.() : undefined;
    return file && line ? { file, line } : {};
}
function afterChoice(chosen, failures, request, deps) {
    const notes = [];
    if (chosen.method === 'pat') {
        const why = failures.length
            ? `GITHUB_TOKEN was refused, so the personal access token from '${chosen.input}' was used.\nWhy GITHUB_TOKEN was refused:\n${failures.join('\n')}`
            : `A personal access token (from '${chosen.input}') was used.`;
        const need = request.push.length ? 'push' : 'pull';
        const place = chosen.input === 'pat' ? patPlace(request, deps) : {};
        notes.push({ level: 'warning', message: `${why}\n${migrationSteps(request.context, need)}`, ...place });
    }
    if (chosen.method === 'github-token' && request.pat && request.push.length + request.pull.length > 0) {
        notes.push({
            level: 'notice',
            message: "GITHUB_TOKEN was enough: the personal access token in 'pat' was not needed. Remove the 'pat' input and delete the PAT secret.",
        });
    }
    return notes;
}

// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
// EXTERNAL MODULE: ./src/workflows/files.ts
var files = __webpack_require__(7497);
// EXTERNAL MODULE: ./src/workflows/model.ts
var model = __webpack_require__(8523);
// EXTERNAL MODULE: ./src/workflows/parse.ts
var parse = __webpack_require__(21);
// EXTERNAL MODULE: ./src/workflows/steps.ts + 2 modules
var steps = __webpack_require__(3676);
;// CONCATENATED MODULE: ./src/workflows/locate.ts
/** The line of a workflow that passes this action's `pat:` input, for the run-time migration warning. */



/**
 * The `pat:` line of this action's step in job `job` (the step whose id is `stepId` when there is one, else
 * the first with a `pat:`); undefined when the text is not YAML or no such step is found.
 */
function patInputLine(text, job, stepId) {
    const parsed = (0,parse/* parseWorkflow */.hM)(text);
    if (!('workflow' in parsed))
        return undefined;
    const { workflow } = parsed;
    const jobs = (0,model/* jobsOf */.a)(workflow).filter((j) => !job || j.id === job);
    const candidates = jobs.flatMap((j) => j.steps.flatMap((step) => {
        const pat = (0,parse/* pairOf */.cF)((0,parse/* mapOf */.A7)(workflow.doc, (0,parse/* pairOf */.cF)(step.map, 'with')?.value), 'pat');
        const at = pat?.key?.range?.[0];
        return (0,steps/* isThisAction */.xl)(step.uses) && at !== undefined ? [{ id: step.id, line: (0,parse/* lineAt */.mh)(workflow, at) }] : [];
    }));
    return (candidates.find((c) => stepId && c.id === stepId) ?? candidates[0])?.line;
}

;// CONCATENATED MODULE: ./src/session/keychain.ts
/**
 * Keychains: which credentials go to which registry host, in the shape of go-containerregistry's authn
 * keychains. A keychain answers for a host with credentials, with 'anonymous' (the host is its own and gets no
 * credentials), or with nothing (not its host: ask the next keychain).
 */

/** The credentials chosen for one registry go to that registry and nowhere else (anonymous when none). */
function registryKeychain(registry, credentials) {
    return (host) => (host === registry ? (credentials ?? 'anonymous') : undefined);
}
/** The docker config's entry for a host (`docker login` stored it), if any; `onFound` sees it before use. */
function dockerConfigKeychain(onFound = () => undefined, read = (host) => (0,config/* dockerConfigCredentials */.D)(host)) {
    return (host) => {
        const found = read(host);
        if (found)
            onFound(host, found);
        return found;
    };
}
/** The first keychain that answers for a host decides; anonymous when none does. */
function multiKeychain(...keychains) {
    return (host) => {
        for (const keychain of keychains) {
            const answer = keychain(host);
            if (answer !== undefined)
                return answer;
        }
        return 'anonymous';
    };
}
/** A keychain's answer as the registry client takes it: credentials, or undefined for anonymous access. */
function credentialsFor(keychain, host) {
    const answer = keychain(host);
    return answer === 'anonymous' ? undefined : answer;
}

;// CONCATENATED MODULE: ./src/session/client.ts
/** The action's registry client: its log lines on the runner's log, every token masked, keychains per host. */





/** The registry client's log lines, on the runner's log, each made printable (it may quote the network). */
const actionsLogger = {
    debug: (message) => core/* debug */.Yz((0,src_registry/* printable */.g$)(message, 2000)),
    info: (message) => core/* info */.pq((0,src_registry/* printable */.g$)(message, 2000)),
};
/** A docker config login for another registry: masked before anything can print it, and said where it is used. */
function useDockerConfigLogin(host, credentials) {
    core/* setSecret */.Pq(credentials.password);
    core/* info */.pq(`${host}: using the docker config's login for it (never the GitHub token).`);
}
let proxiesSaid = false;
/**
 * The environment's forward proxies, their passwords masked before anything can print them; where requests go
 * is said once per step (the proxy's origin only, never its credentials).
 */
function proxySettings(env = process.env) {
    const settings = (0,src_registry/* proxySettingsFrom */.Yw)(env);
    const lines = [];
    for (const [scheme, raw] of [
        ['https', settings.httpsProxy],
        ['http', settings.httpProxy],
    ]) {
        if (!raw)
            continue;
        const proxy = maskedProxy(raw, variableOf(`${scheme.toUpperCase()}_PROXY`, env));
        lines.push(`${scheme} requests go through the proxy ${(0,src_registry/* printable */.g$)(proxy.origin, 200)}`);
    }
    if (lines.length && !proxiesSaid) {
        proxiesSaid = true;
        const bypass = settings.noProxy ? `; NO_PROXY: ${(0,src_registry/* printable */.g$)(settings.noProxy, 500)}` : '';
        core/* info */.pq(`${lines.join('; ')}${bypass}.`);
    }
    return settings;
}
/** Which spelling of a proxy variable is in use: the lower-case one wins, as in proxySettingsFrom. */
function variableOf(name, env) {
    return env[name.toLowerCase()]?.trim() ? name.toLowerCase() : name;
}
/** A proxy setting as a URL, its password (raw, decoded, and as Basic credentials) masked first. */
function maskedProxy(raw, variable) {
    let proxy;
    try {
        proxy = (0,src_registry/* parseProxyUrl */.Pr)(raw);
    }
    catch {
        core/* setSecret */.Pq(raw);
        throw new errors/* ActionError */.l(`The proxy setting ${variable} is not a URL.`, `set ${variable} to http://HOST:PORT (or http://USER:PASSWORD@HOST:PORT, with % @ : / in the password percent-encoded), or unset it.`);
    }
    if (proxy.password) {
        core/* setSecret */.Pq(proxy.password);
        core/* setSecret */.Pq((0,src_registry/* decodeLenient */.ko)(proxy.password));
        const basic = (0,src_registry/* proxyAuthorization */.YB)(proxy);
        if (basic)
            core/* setSecret */.Pq(basic.slice('Basic '.length));
    }
    return proxy;
}
/**
 * A registry client whose chosen credentials go to `registry` only; any other registry gets the docker config's
 * entry for it or nothing. Every registry token it obtains is masked before use.
 */
function newRegistryClient(registry, credentials, realmPolicy) {
    const keychain = multiKeychain(registryKeychain(registry, credentials), dockerConfigKeychain(useDockerConfigLogin));
    return new src_registry/* RegistryClient */.bP({
        userAgent: version/* USER_AGENT */._O,
        credentials: (host) => credentialsFor(keychain, host),
        logger: actionsLogger,
        onSecret: (secret) => core/* setSecret */.Pq(secret),
        realmPolicy: (host, realm) => (host === registry ? realmPolicy?.(realm) : undefined),
        proxy: proxySettings(),
    });
}

;// CONCATENATED MODULE: ./src/session/index.ts
/**
 * A session: credentials chosen and proven for what a command will do on 'registry', an authenticated registry
 * client, and docker logged in for later steps. Commands ask for the access they need and get the client and
 * the method used; nothing has been built, pushed or changed when opening a session fails.
 */











/**
 * Chooses and proves the credentials for `access` on `inputs.registry` (references on other registries are read
 * anonymously or with the docker config's login), raises the choice's warnings and notices, and logs docker in
 * for later steps.
 */
async function openSession(inputs, context, access) {
    const onRegistry = (refs) => refs.filter((ref) => ref.registry === inputs.registry);
    const [push, pull] = [onRegistry(access.push), onRegistry(access.pull)];
    const choice = await core/* group */.Os(`Credentials for ${inputs.registry}`, async () => {
        const chosen = await chooseCredentials({ ...inputs, push, pull, context, userAgent: version/* USER_AGENT */._O }, {
            newClient: (credentials, method) => newRegistryClient(inputs.registry, credentials, githubTokenRealms(method, credentials, context)),
            debug: (m) => core/* debug */.Yz(m),
            patLine: () => workflowPatLine(context),
        });
        const proven = push.length + pull.length > 0;
        core/* info */.pq(`Using ${chosen.method} for ${inputs.registry}${proven ? ' (proven)' : ' (nothing to prove: this run writes nothing there)'}.`);
        return chosen;
    });
    for (const note of choice.annotations) {
        const place = note.file && note.line ? { file: note.file, startLine: note.line } : {};
        if (note.level === 'warning')
            core/* warning */.$e(note.message, { title: 'Registry credentials', ...place });
        else
            core/* notice */.lm(note.message, { title: 'Registry credentials', ...place });
    }
    let loggedIn = async () => undefined;
    if (choice.credentials) {
        // docker login and buildah store the Basic form: masked here, whether or not a request was made yet.
        const { username, password } = choice.credentials;
        core/* setSecret */.Pq(Buffer.from(`${username}:${password}`).toString('base64'));
        const login = loginForLaterSteps(inputs, choice.credentials, push.length + pull.length > 0);
        let said;
        loggedIn = () => (said ??= login.then((say) => say()));
    }
    const methodFor = (host) => host === inputs.registry ? choice.method : (0,config/* dockerConfigCredentials */.D)(host) ? 'docker-config' : 'anonymous';
    return {
        client: choice.client,
        method: choice.method,
        credentials: choice.credentials,
        methodFor,
        loggedIn,
    };
}
/** The line of the running workflow that passes `pat:` (file read bounded, never an error). */
function workflowPatLine(context) {
    if (!context.workflowFile)
        return undefined;
    try {
        const read = (0,files/* readWorkflowFile */.AO)(context.workspace, context.workflowFile);
        return 'text' in read ? patInputLine(read.text, context.job, context.stepId) : undefined;
    }
    catch {
        return undefined; // the warning is raised without a place, as before
    }
}
/**
 * Where a GitHub token may be sent for a registry token: only to a token service that is itself one of GitHub's
 * registries (ghcr.io/token), whatever realm the registry's challenge names.
 */
function githubTokenRealms(method, credentials, context) {
    // By the input it came from, or by its prefix (a GitHub token given as 'password').
    const github = method === 'github-token' || method === 'pat' || (0,token_kind/* tokenKind */.aA)(credentials?.password ?? '') !== 'other';
    if (!github)
        return undefined;
    return (realm) => (0,registry/* isGitHubRegistry */.v)(realm.host, context) ? undefined : "is not GitHub's: a GitHub token goes to GitHub only";
}
/**
 * Starts docker login; resolves (never rejects) with what to say about it. The post step's state is saved as
 * soon as the login succeeds, so a command that fails meanwhile still leaves the logout to the post step.
 */
async function loginForLaterSteps(inputs, credentials, proven) {
    const login = await (0,cli/* dockerLoginForLaterSteps */.Ax)(inputs.registry, credentials, proven).catch((error) => ({ ok: false, noDocker: false, reason: String(error) }));
    try {
        if (login.ok)
            (0,state/* saveLogin */.N8)(inputs.registry, inputs.logout);
    }
    catch (error) {
        // Never a rejection nobody awaits (a command that failed first): the post step then has nothing to log out.
        return () => core/* warning */.$e(`docker logged in, but the post step will not log out: ${String(error)}`);
    }
    return () => sayLogin(inputs, login);
}
function sayLogin(inputs, login) {
    if (login.ok) {
        core/* info */.pq(`docker is logged in to ${inputs.registry} for later steps${inputs.logout ? ' (the post step logs out)' : ''}.`);
    }
    else if (login.noDocker) {
        core/* notice */.lm(`No docker CLI here: skipped docker login to ${inputs.registry}. The action's own registry work does not need it.`);
    }
    else {
        core/* warning */.$e(`docker login to ${inputs.registry} failed (${login.reason}); later docker steps will not be logged in.`);
    }
}


/***/ }),

/***/ 5325:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ onPath),
/* harmony export */   RT: () => (/* binding */ tail),
/* harmony export */   lt: () => (/* binding */ mustRunTool),
/* harmony export */   qI: () => (/* binding */ runTool)
/* harmony export */ });
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7187);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3916);
/** Running the builders' and docker's command lines through @actions/exec, with argv arrays (never a shell). */






/**
 * Runs a tool; undefined when it is not installed. Never throws on a non-zero exit. What a tool prints is not the
 * action's to vouch for (docker prints a registry's error messages, a build prints what the Dockerfile runs): while
 * it runs, the runner's workflow commands are stopped with a one-time token, so no line it prints can act on the
 * runner (add a mask, set an output, write an annotation).
 */
async function runTool(tool, args, options = {}) {
    const token = options.silent ? undefined : (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.randomUUID)();
    if (token)
        process.stdout.write(`::stop-commands::${token}${node_os__WEBPACK_IMPORTED_MODULE_3__.EOL}`);
    try {
        const result = await _actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .getExecOutput */ .H(tool, args, {
            env: options.env ? { ...process.env, ...options.env } : undefined,
            input: options.input === undefined ? undefined : Buffer.from(options.input),
            ignoreReturnCode: true,
            silent: options.silent ?? false,
            cwd: options.cwd,
        });
        return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    }
    catch (error) {
        if (String(error).includes('Unable to locate executable file'))
            return undefined;
        throw error;
    }
    finally {
        if (token)
            process.stdout.write(`::${token}::${node_os__WEBPACK_IMPORTED_MODULE_3__.EOL}`);
    }
}
/** Whether an executable named `tool` is on PATH (as exec would find it), without running anything. */
function onPath(tool) {
    const names = process.platform === 'win32' ? [`${tool}.exe`, `${tool}.cmd`, tool] : [tool];
    for (const dir of (process.env.PATH ?? '').split(node_path__WEBPACK_IMPORTED_MODULE_4__.delimiter).filter(Boolean)) {
        for (const name of names) {
            try {
                const file = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dir, name);
                if ((0,node_fs__WEBPACK_IMPORTED_MODULE_2__.statSync)(file).isFile()) {
                    (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.accessSync)(file, node_fs__WEBPACK_IMPORTED_MODULE_2__.constants.X_OK);
                    return true;
                }
            }
            catch {
                // not here
            }
        }
    }
    return false;
}
/** The last lines of what a tool said, for error messages. */
function tail(run, lines = 6) {
    return `${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-lines).join('\n');
}
/** Runs a tool that must succeed; a failure is an ActionError with the tool's last words and a fix. */
async function mustRunTool(tool, args, what, fix, options = {}) {
    const run = await runTool(tool, args, options);
    if (!run)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .l(`${what}: '${tool}' is not installed on this runner.`, fix);
    if (run.code !== 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .l(`${what} failed (exit ${run.code}):\n${tail(run)}`, fix);
    return run;
}


/***/ }),

/***/ 311:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _O: () => (/* binding */ USER_AGENT)
/* harmony export */ });
/* unused harmony exports ACTION_NAME, ACTION_VERSION */
/** The action's name and version, as sent in User-Agent headers. Kept equal to package.json by a unit test. */
const ACTION_NAME = 'ghcr-image-action';
const ACTION_VERSION = '0.1.0';
const USER_AGENT = `${ACTION_NAME}/${ACTION_VERSION}`;


/***/ })

};

//# sourceMappingURL=257.index.js.map