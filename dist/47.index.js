export const id = 47;
export const ids = [47];
export const modules = {

/***/ 5253:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D5: () => (/* binding */ isApiRefusal),
/* harmony export */   MF: () => (/* binding */ explainApiRefusal),
/* harmony export */   mV: () => (/* binding */ DELETE_TOKEN_PAGE)
/* harmony export */ });
/* unused harmony exports DELETE_DOCS, ACCESS_DOCS, packageSettingsUrl */
const DELETE_DOCS = 'https://docs.github.com/en/packages/learn-github-packages/deleting-and-restoring-a-package';
const ACCESS_DOCS = 'https://docs.github.com/en/packages/learn-github-packages/configuring-a-packages-access-control-and-visibility';
const DELETE_TOKEN_PAGE = 'https://github.com/settings/tokens/new?scopes=read:packages,delete:packages';
/** True when the API refused the token or could not show the package (as opposed to no answer). */
function isApiRefusal(error) {
    const status = error?.status;
    return (error?.name === 'PackagesApiError' && (status === 401 || status === 403 || status === 404));
}
function packageSettingsUrl(context, id) {
    return `${context.serverUrl}/${id.kind}/${id.owner}/packages/container/${encodeURIComponent(id.name)}/settings`;
}
/** The refusal in lines: who was refused what, GitHub's words, then the causes (most likely first). */
function explainApiRefusal(error, attempt, context) {
    const pkg = `${attempt.id.owner}/${attempt.id.name}`;
    const head = `GitHub's Packages API refused the token in '${attempt.input}' to ${error.operation}: HTTP ${error.status}${error.said ? ` "${error.said}"` : ''}.`;
    if (error.status === 401) {
        return [
            head,
            attempt.input === 'github-token'
                ? '- The token is not valid: pass `${{ github.token }}` (the default) unchanged, not a stored copy.'
                : `- The personal access token is wrong, expired or revoked: create a classic token with read:packages and delete:packages (${DELETE_TOKEN_PAGE}) and update the secret.`,
        ];
    }
    const settings = packageSettingsUrl(context, attempt.id);
    const causes = attempt.need === 'read' ? readCauses(attempt, pkg, settings) : deleteCauses(attempt, pkg, settings);
    return [head, ...causes];
}
function readCauses(attempt, pkg, settings) {
    const causes = [
        `- The package ${pkg} does not exist, or this token cannot see it. Check the owner and name in 'image' (the package's name is everything after the owner, e.g. ${attempt.id.owner}/REPO/NAME is the package REPO/NAME).`,
    ];
    if (attempt.input === 'github-token') {
        causes.push(`- GITHUB_TOKEN sees a private package only when the job has \`permissions: packages: read\` (or write) and this repository is listed under "Manage Actions access" in the package's settings (${settings}); see ${ACCESS_DOCS}.`);
    }
    else if (attempt.kind === 'fine-grained-pat') {
        causes.push(`- Fine-grained personal access tokens cannot use the Packages API: use GITHUB_TOKEN, or a classic token with read:packages and delete:packages (${DELETE_TOKEN_PAGE}).`);
    }
    else {
        causes.push(`- The token lacks read:packages, or its user cannot see the package. Create a classic token with read:packages and delete:packages (${DELETE_TOKEN_PAGE}).`);
    }
    return causes;
}
function deleteCauses(attempt, pkg, settings) {
    const causes = attempt.input === 'github-token'
        ? [
            `- GITHUB_TOKEN may delete versions of ${pkg} only when this repository has the Admin role on the package: in its settings (${settings}), under "Manage Actions access", give the repository the Admin role; and the job needs \`permissions: packages: write\`. See ${DELETE_DOCS}.`,
            "- Otherwise pass a classic personal access token with read:packages and delete:packages in 'pat' (a warned fallback; " +
                DELETE_TOKEN_PAGE +
                ').',
        ]
        : [
            `- The personal access token lacks delete:packages, or its user is not an admin of ${pkg}. Create a classic token with read:packages and delete:packages (${DELETE_TOKEN_PAGE}); see ${DELETE_DOCS}.`,
        ];
    causes.push(`- A version of a public package downloaded more than 5,000 times cannot be deleted (${DELETE_DOCS}): keep it with 'keep-tags', or contact GitHub Support.`);
    return causes;
}


/***/ }),

/***/ 7994:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ZD: () => (/* binding */ escapeHtml),
/* harmony export */   b$: () => (/* binding */ writePublishSummary),
/* harmony export */   q9: () => (/* binding */ writeSimpleSummary),
/* harmony export */   qG: () => (/* binding */ cellHtml)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9183);
/**
 * Job summaries. The summary is HTML: every value is escaped here (an image name, a platform an index lists, a
 * reason that quotes an input), so no caller can put markup or a script into it. Callers pass text, or text
 * marked as code.
 */


/**
 * `text` safe in HTML element content and double-quoted attributes: & < > " escaped, and made printable
 * first (it may come from the network).
 */
function escapeHtml(text) {
    return (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_1__/* .printable */ .g$)(text, 2000).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
const code = (text) => `<code>${escapeHtml(text)}</code>`;
/** A cell as HTML: text escaped, code in <code>, lines of code one a line, lists of parts joined. */
function cellHtml(cell) {
    if (Array.isArray(cell))
        return cell.map(cellHtml).join('');
    if (typeof cell === 'string')
        return escapeHtml(cell);
    if ('codeLines' in cell)
        return cell.codeLines.map(code).join('<br>');
    return code(cell.code);
}
const row = (name, html) => [{ data: escapeHtml(name), header: true }, { data: html }];
/** The job summary of a publish: what was pushed, how to pull it by digest, and where the package lives. */
async function writePublishSummary(summary) {
    const s = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addHeading(escapeHtml(`Published ${summary.image}`), 2);
    s.addTable([
        row('Image', escapeHtml(summary.image)),
        summary.byDigest
            ? row('Tags', escapeHtml('none: pushed by digest, for a merge step to tag'))
            : row(summary.pushed ? 'Tags' : 'Tags (here only, not pushed)', cellHtml({ codeLines: summary.tags })),
        ...(summary.byDigest?.platform ? [row('Platform', escapeHtml(summary.byDigest.platform))] : []),
        row('Digest', summary.digest ? cellHtml({ code: summary.digest }) : 'none (not pushed)'),
        row('Image ID', cellHtml({ code: summary.imageId })),
        row('Builder', escapeHtml(summary.builder)),
        row('Credentials', escapeHtml(summary.authMethod)),
    ]);
    const platforms = Object.entries(summary.platformDigests);
    if (platforms.length) {
        s.addTable([
            [
                { data: 'Platform', header: true },
                { data: 'Digest', header: true },
            ],
            ...platforms.map(([platform, digest]) => [
                { data: escapeHtml(platform) },
                { data: cellHtml({ code: digest }) },
            ]),
        ]);
    }
    if (summary.pushed && summary.digest) {
        s.addRaw('Pull exactly this image (by digest, immune to tag moves):', true);
        s.addCodeBlock(escapeHtml(`docker pull ${summary.image}@${summary.digest}`), 'sh');
    }
    else {
        s.addRaw(escapeHtml(`Not pushed: ${summary.whyNotPushed ?? 'push is off'}.`), true);
    }
    if (summary.packageUrl)
        s.addLink('Package page', escapeHtml(summary.packageUrl)).addBreak();
    if (summary.visibility) {
        const { visibility, htmlUrl } = summary.visibility;
        const page = htmlUrl.replace('/packages/container/package/', '/packages/container/').replace(/\/$/, '');
        const settings = htmlUrl ? ` (settings: ${page}/settings)` : '';
        s.addRaw(escapeHtml(`The package is ${visibility}${settings}.`), true);
    }
    if (summary.pushed && summary.newPackage && summary.packageUrl) {
        s.addRaw('This package is new. New ghcr.io packages start private (one connected to a public repository may follow its visibility). To change it: package settings, "Danger Zone", "Change visibility".', true);
    }
    await s.write();
}
/** A short job summary for resolve, pull and promote: what was read or written, by digest. */
async function writeSimpleSummary(title, rows, pullCommand) {
    const s = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addHeading(escapeHtml(title), 2);
    s.addTable(rows.map(([name, value]) => row(name, cellHtml(value))));
    if (pullCommand) {
        s.addRaw('Pull exactly this image (by digest, immune to tag moves):', true);
        s.addCodeBlock(escapeHtml(pullCommand), 'sh');
    }
    await s.write();
}


/***/ }),

/***/ 9452:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Ll: () => (/* binding */ fallbackWarning),
  db: () => (/* binding */ nextDeleter),
  DX: () => (/* binding */ openPackageSession),
  Ms: () => (/* binding */ publishedPackageFacts)
});

// UNUSED EXPORTS: apiCandidates

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/github/package-refusals.ts
var package_refusals = __webpack_require__(5253);
// EXTERNAL MODULE: ./src/registry/index.ts + 44 modules
var registry = __webpack_require__(9183);
// EXTERNAL MODULE: ./src/github/api.ts
var github_api = __webpack_require__(8943);
;// CONCATENATED MODULE: ./src/github/packages.ts
/**
 * GitHub's Packages REST API for container packages, through Octokit at $GITHUB_API_URL: the owner's kind, a
 * package (visibility, page), its versions (paginated, bounded), and deleting one. Every string that came from
 * the network is made printable before it can reach a log; answers that are not 2xx become PackagesApiError.
 */


/** An answer that is not 2xx, or no answer: what was asked, the status (0: none) and GitHub's message. */
class PackagesApiError extends Error {
    operation;
    status;
    said;
    constructor(operation, status, said) {
        super(`${operation}: ${status ? `HTTP ${status}` : 'no answer'}${said ? ` (${said})` : ''}`);
        this.operation = operation;
        this.status = status;
        this.said = said;
        this.name = 'PackagesApiError';
    }
}
const PER_PAGE = 100;
/** At most this many pages (10,000 versions): a longer list is refused rather than half-read. */
const MAX_PAGES = 100;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const TIMEOUT_MS = 30_000;
/** Every answer's body read to at most MAX_BODY_BYTES (through Octokit's own fetch: proxies still apply). */
function boundBodies(api) {
    api.hook.wrap('request', async (request, options) => {
        const inner = options.request?.fetch ?? fetch;
        const bounded = async (input, init) => {
            const answer = await inner(input, init);
            if (!answer.body || answer.status === 204)
                return answer;
            if (Number(answer.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
                await answer.body.cancel().catch(() => undefined);
                throw new Error(`the answer is larger than ${MAX_BODY_BYTES} bytes`);
            }
            const chunks = [];
            let size = 0;
            for await (const chunk of answer.body) {
                size += chunk.length;
                if (size > MAX_BODY_BYTES)
                    throw new Error(`the answer is larger than ${MAX_BODY_BYTES} bytes`);
                chunks.push(chunk);
            }
            const { status, statusText, headers } = answer;
            return new Response(Buffer.concat(chunks), { status, statusText, headers });
        };
        return request({ ...options, request: { ...options.request, fetch: bounded } });
    });
}
class PackagesApi {
    api;
    userAgent;
    constructor(api, userAgent) {
        this.api = api;
        this.userAgent = userAgent;
    }
    static async open(apiUrl, token, userAgent, fetchImpl) {
        const api = await (0,github_api/* githubApi */.Mc)({ apiUrl, token, userAgent, fetch: fetchImpl });
        boundBodies(api);
        return new PackagesApi(api, userAgent);
    }
    async call(operation, route, parameters) {
        try {
            return await this.api.request(route, {
                ...parameters,
                headers: (0,github_api/* apiHeaders */.H_)(this.userAgent),
                request: { signal: AbortSignal.timeout(TIMEOUT_MS) },
            });
        }
        catch (error) {
            const failure = error;
            if (failure.response === undefined || failure.status === undefined)
                throw new PackagesApiError(operation, 0, (0,registry/* printable */.g$)(String(failure.message ?? error), 300));
            const data = failure.response.data;
            const said = typeof data?.message === 'string' ? data.message : '';
            throw new PackagesApiError(operation, failure.status, (0,registry/* printable */.g$)(said, 300));
        }
    }
    /** Whether an account is an organization or a user (GET /users/{name}). */
    async ownerKind(owner) {
        const answer = await this.call(`read the account ${owner}`, 'GET /users/{username}', { username: owner });
        return answer.data.type === 'Organization' ? 'orgs' : 'users';
    }
    async getPackage(id) {
        const answer = await this.call(`read the package ${id.owner}/${id.name}`, `GET /${id.kind}/{owner}/packages/container/{name}`, {
            owner: id.owner,
            name: id.name,
        });
        const data = answer.data;
        return {
            visibility: (0,registry/* printable */.g$)(typeof data.visibility === 'string' ? data.visibility : 'unknown', 40),
            htmlUrl: (0,registry/* printable */.g$)(typeof data.html_url === 'string' ? data.html_url : '', 500),
        };
    }
    /** Every version, newest first as GitHub lists them, following `Link: rel="next"` for at most MAX_PAGES. */
    async listVersions(id) {
        const versions = [];
        for (let page = 1;; page++) {
            if (page > MAX_PAGES) {
                throw new PackagesApiError(`list the versions of ${id.owner}/${id.name}`, 0, `more than ${MAX_PAGES * PER_PAGE} versions: this run reads at most that many, and plans only on a complete list`);
            }
            const answer = await this.call(`list the versions of ${id.owner}/${id.name}`, `GET /${id.kind}/{owner}/packages/container/{name}/versions`, { owner: id.owner, name: id.name, per_page: PER_PAGE, page });
            if (!Array.isArray(answer.data))
                throw new PackagesApiError('list versions', answer.status, 'not a list');
            versions.push(...answer.data.map(apiVersion));
            if (!/rel="next"/.test(String(answer.headers.link ?? '')))
                return versions;
        }
    }
    async deleteVersion(id, versionId) {
        await this.call(`delete the version ${versionId} of ${id.owner}/${id.name}`, `DELETE /${id.kind}/{owner}/packages/container/{name}/versions/{version}`, { owner: id.owner, name: id.name, version: versionId });
    }
}
/** One version as GitHub documents it; anything else is refused (a plan is never made on guesses). */
function apiVersion(raw) {
    const item = raw;
    const tags = item?.metadata?.container?.tags ?? [];
    const created = typeof item?.created_at === 'string' ? new Date(item.created_at) : new Date(NaN);
    if (typeof item?.id !== 'number' ||
        typeof item.name !== 'string' ||
        !/^sha256:[0-9a-f]{64}$/.test(item.name) ||
        Number.isNaN(created.getTime()) ||
        !Array.isArray(tags) ||
        !tags.every((t) => typeof t === 'string' && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(t))) {
        throw new PackagesApiError('read a package version', 200, `unexpected version: ${(0,registry/* printable */.g$)(JSON.stringify(raw), 200)}`);
    }
    return {
        id: item.id,
        digest: item.name,
        tags: tags,
        createdAt: created,
        htmlUrl: (0,registry/* printable */.g$)(typeof item.html_url === 'string' ? item.html_url : '', 500),
    };
}

// EXTERNAL MODULE: ./src/github/scopes.ts
var scopes = __webpack_require__(1750);
// EXTERNAL MODULE: ./src/github/token-kind.ts
var token_kind = __webpack_require__(385);
// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
;// CONCATENATED MODULE: ./src/session/packages.ts
/**
 * The Packages API session of `cleanup`: GITHUB_TOKEN first, a classic PAT as the warned fallback (its scopes
 * checked before use), every refusal explained. Reads the package's versions; deletes with the token that may.
 */







function apiCandidates(inputs) {
    const candidates = [];
    if (inputs.githubToken)
        candidates.push({
            input: 'github-token',
            token: inputs.githubToken,
            kind: (0,token_kind/* tokenKind */.aA)(inputs.githubToken),
        });
    if (inputs.pat)
        candidates.push({ input: 'pat', token: inputs.pat, kind: (0,token_kind/* tokenKind */.aA)(inputs.pat) });
    if (candidates.length === 0) {
        throw new errors/* ActionError */.l("Inputs 'github-token' and 'pat' are both empty: GitHub's Packages API needs a token.", "leave 'github-token' at its default (`${{ github.token }}`) and give the job `permissions: packages: write`.");
    }
    return candidates;
}
/** A classic PAT's missing scope for what the run does, when GitHub says which scopes it has. */
async function missingPatScope(candidate, context, deleting) {
    if (candidate.kind !== 'classic-pat')
        return undefined;
    const report = await (0,scopes/* readTokenScopes */.p)(context.apiUrl, candidate.token, version/* USER_AGENT */._O);
    if (report.kind !== 'scopes')
        return undefined;
    const has = (scope) => report.scopes.includes(scope);
    if (!has('read:packages') && !has('write:packages') && !has('delete:packages'))
        return 'read:packages';
    return deleting && !has('delete:packages') ? 'delete:packages' : undefined;
}
/** The package as one candidate sees it: its owner's kind, its versions and (best effort) its facts. */
async function readWith(candidate, context, owner, name) {
    const api = await PackagesApi.open(context.apiUrl, candidate.token, version/* USER_AGENT */._O);
    const known = context.ownerType && context.owner.toLowerCase() === owner.toLowerCase();
    const kind = known ? (context.ownerType === 'Organization' ? 'orgs' : 'users') : await api.ownerKind(owner);
    const id = { owner, kind, name };
    const versions = await api.listVersions(id);
    const facts = await api.getPackage(id).catch((error) => {
        core/* info */.pq(`The package's visibility could not be read: ${error instanceof Error ? error.message : String(error)}.`);
        return undefined;
    });
    return { api, id, versions, facts };
}
/** Lists the package's versions with the first candidate GitHub lets read them; refusals explained. */
async function openPackageSession(inputs, context, pkg, deleting) {
    const candidates = apiCandidates(inputs);
    const refused = [];
    for (const [index, candidate] of candidates.entries()) {
        if (index > 0)
            core/* warning */.$e(fallbackWarning(refused.at(-1) ?? ''), { title: 'Packages API credentials' });
        const missing = await missingPatScope(candidate, context, deleting);
        if (missing) {
            refused.push(`The personal access token in '${candidate.input}' lacks the ${missing} scope that cleanup needs${deleting ? ' to delete' : ''}: create a classic token with read:packages and delete:packages (${package_refusals/* DELETE_TOKEN_PAGE */.mV}), or use GITHUB_TOKEN with the Admin role on the package.`);
            continue;
        }
        try {
            const read = await readWith(candidate, context, pkg.owner, pkg.name);
            return { ...read, candidate, rest: candidates.slice(index + 1) };
        }
        catch (error) {
            if (!(0,package_refusals/* isApiRefusal */.D5)(error))
                throw error;
            const attempt = {
                input: candidate.input,
                kind: candidate.kind,
                id: { ...pkg, kind: context.ownerType === 'User' ? 'users' : 'orgs' },
                need: 'read',
            };
            refused.push((0,package_refusals/* explainApiRefusal */.MF)(error, attempt, context).join('\n'));
        }
    }
    throw new errors/* ActionError */.l(`Nothing was deleted: the package ${pkg.owner}/${pkg.name} could not be read.\n${refused.join('\n')}`, 'follow the cause above that applies, then run again (dry-run first).');
}
function fallbackWarning(why) {
    return `${why}\nFalling back to the personal access token in 'pat'. Move off it: give this repository the Admin role on the package ("Manage Actions access" in its settings) and the job \`permissions: packages: write\`, then remove 'pat'.`;
}
/** A session for the next candidate (the PAT), for deleting after GITHUB_TOKEN was refused; undefined if none. */
async function nextDeleter(session, context) {
    const [candidate, ...rest] = session.rest;
    if (!candidate)
        return undefined;
    const missing = await missingPatScope(candidate, context, true);
    if (missing) {
        core/* warning */.$e(`The personal access token in '${candidate.input}' lacks ${missing}: it cannot delete either (${package_refusals/* DELETE_TOKEN_PAGE */.mV}).`);
        return undefined;
    }
    const api = await PackagesApi.open(context.apiUrl, candidate.token, version/* USER_AGENT */._O);
    return { ...session, api, candidate, rest };
}
/**
 * The visibility and page of a just-published package, for the publish summary: asked with the token the
 * registry took (GitHub's registries only); never an error (a line in the log instead).
 */
async function publishedPackageFacts(session, context, repository) {
    const token = session.credentials?.password;
    if (!token || (session.method !== 'github-token' && session.method !== 'pat'))
        return undefined;
    const [owner = '', ...rest] = repository.split('/');
    try {
        return (await readWith({ input: 'github-token', token, kind: (0,token_kind/* tokenKind */.aA)(token) }, context, owner, rest.join('/'))).facts;
    }
    catch (error) {
        core/* info */.pq(`The package's visibility could not be read from GitHub's API: ${error instanceof Error ? error.message : String(error)}.`);
        return undefined;
    }
}


/***/ })

};

//# sourceMappingURL=47.index.js.map