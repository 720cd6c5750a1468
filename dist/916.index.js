export const id = 916;
export const ids = [916];
export const modules = {

/***/ 1392:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ packageUrl),
/* harmony export */   v: () => (/* binding */ isGitHubRegistry)
/* harmony export */ });
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9183);

/** ghcr.io, or containers.<server> on GitHub Enterprise Server. */
function isGitHubHostedRegistry(registry, context) {
    return registry === 'ghcr.io' || registry === `containers.${new URL(context.serverUrl).host}`;
}
/**
 * Registries GitHub runs: ghcr.io, containers.<server> on GitHub Enterprise Server, and, when the GitHub server
 * itself is on this machine (a local stand-in), registries on this machine. Only these get a GitHub token.
 */
function isGitHubRegistry(registry, context) {
    if (isGitHubHostedRegistry(registry, context))
        return true;
    return (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_0__/* .isLoopbackRegistry */ .jW)(new URL(context.serverUrl).host) && (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_0__/* .isLoopbackRegistry */ .jW)(registry);
}
/** The package page of an image on GitHub's own container registry, when it is there and the run has a repository. */
function packageUrl(image, context) {
    if (!isGitHubHostedRegistry(image.registry, context) || !context.repository)
        return undefined;
    const name = encodeURIComponent(image.repository.split('/').slice(1).join('/'));
    return `${context.serverUrl}/${context.repository}/pkgs/container/${name}`;
}


/***/ }),

/***/ 5468:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ writeOutputs),
/* harmony export */   v: () => (/* binding */ writeWrittenOutputs)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9183);


function writeOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs)) {
        if (value !== undefined)
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(name, value);
    }
}
/** The outputs of a command that wrote `manifest` to `repository` under the full references `tags`. */
function writeWrittenOutputs(repository, manifest, tags, authMethod) {
    writeOutputs({
        digest: manifest.digest,
        image: repository,
        tags: tags.join('\n'),
        ref: `${repository}@${manifest.digest}`,
        'platform-digests': JSON.stringify((0,_registry_index_js__WEBPACK_IMPORTED_MODULE_1__/* .platformDigests */ .Hm)(manifest)),
        'auth-method': authMethod,
    });
}


/***/ }),

/***/ 7497:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AO: () => (/* binding */ readWorkflowFile),
/* harmony export */   VT: () => (/* binding */ writeWorkflowFile),
/* harmony export */   pn: () => (/* binding */ selectWorkflowFiles),
/* harmony export */   sH: () => (/* binding */ writeRefusal)
/* harmony export */ });
/* unused harmony export MAX_WORKFLOW_BYTES */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3916);
/**
 * Which workflow files migrate reads, and reading them bounded: a folder's *.yml and *.yaml, a glob, or one
 * file, all under the workspace. Symbolic links that lead out of the workspace are not followed.
 */




/** Workflow files larger than this are refused (GitHub's own limit is far below it). */
const MAX_WORKFLOW_BYTES = 1024 * 1024;
const MAX_FILES = 10000;
const FIX = "give a folder or a glob under the workspace, e.g. '.github/workflows' (the default) or '.github/workflows/*.yml'";
const toPosix = (path) => path.split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep).join('/');
const inside = (root, path) => {
    const rel = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(root, path);
    return rel === '' || (!rel.startsWith('..') && !(0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(rel));
};
const isWorkflowName = (name) => /\.ya?ml$/i.test(name);
/** A glob (`*`, `**`, `?`) as a regular expression over paths from the workspace root. */
function globPattern(glob) {
    let pattern = '';
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i] ?? '';
        if (c === '*' && glob[i + 1] === '*') {
            pattern += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
            i += glob[i + 2] === '/' ? 2 : 1;
        }
        else if (c === '*')
            pattern += '[^/]*';
        else if (c === '?')
            pattern += '[^/]';
        else
            pattern += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${pattern}$`);
}
/** Every file under `dir` (symlinks not followed), as paths from `root`, at most MAX_FILES. */
function walk(root, dir, out = []) {
    for (const entry of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(dir, { withFileTypes: true })) {
        if (out.length >= MAX_FILES)
            break;
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, entry.name);
        if (entry.isDirectory())
            walk(root, path, out);
        else if (entry.isFile() || entry.isSymbolicLink())
            out.push(toPosix((0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(root, path)));
    }
    return out;
}
/** The files `value` names, as sorted paths from the workspace root; bad values are ActionErrors. */
function selectWorkflowFiles(workspace, value) {
    const root = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(workspace);
    const target = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(root, value);
    if (!inside(root, target)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`Input 'workflows' is '${value}', which is outside the workspace (${root}).`, `${FIX}.`);
    }
    const rel = toPosix((0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(root, target));
    if (/[*?]/.test(value)) {
        const segments = rel.split('/');
        const base = segments
            .slice(0, segments.findIndex((s) => /[*?]/.test(s)))
            .join('/');
        const pattern = globPattern(rel);
        const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, base);
        const files = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(dir) && (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(dir).isDirectory() ? walk(root, dir).filter((f) => pattern.test(f)) : [];
        if (files.length === 0) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`Input 'workflows' is '${value}', a glob that matches no file under the workspace.`, `${FIX}; check the pattern against the checkout.`);
        }
        return files.sort();
    }
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(target)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`Input 'workflows' is '${value}', which does not exist in the workspace (${root}).`, `${FIX}; check that the repository is checked out (actions/checkout) before this step.`);
    }
    if (!inside((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(root), (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(target))) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`Input 'workflows' is '${value}', a symbolic link that leads out of the workspace.`, `${FIX}.`);
    }
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(target).isFile())
        return [rel];
    return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(target, { withFileTypes: true })
        .filter((e) => (e.isFile() || e.isSymbolicLink()) && isWorkflowName(e.name))
        .map((e) => toPosix((0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(root, (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(target, e.name))))
        .sort();
}
/** Reads one workflow file (a path from the workspace root), at most MAX_WORKFLOW_BYTES. */
function readWorkflowFile(workspace, file) {
    const root = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(workspace));
    let path;
    try {
        path = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(workspace, file));
    }
    catch {
        return { problem: 'it cannot be read (a broken link or a missing file)' };
    }
    if (!inside(root, path))
        return { problem: 'it is a symbolic link that leads out of the workspace: not followed' };
    const stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(path);
    if (!stat.isFile())
        return { problem: 'it is not a regular file' };
    if (stat.size > MAX_WORKFLOW_BYTES)
        return { problem: `it is ${stat.size} bytes, over the ${MAX_WORKFLOW_BYTES}-byte limit: not read` };
    const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.openSync)(path, 'r');
    try {
        const buffer = Buffer.alloc(MAX_WORKFLOW_BYTES + 1);
        const size = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readSync)(fd, buffer, 0, buffer.length, 0);
        if (size > MAX_WORKFLOW_BYTES)
            return { problem: `it grew over the ${MAX_WORKFLOW_BYTES}-byte limit while read: not read` };
        const bytes = buffer.subarray(0, size);
        const text = bytes.toString('utf8');
        return { text, path, utf8: Buffer.from(text, 'utf8').equals(bytes) };
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.closeSync)(fd);
    }
}
/** Why a file must not be rewritten in place (a refusal, not an error), or undefined when it may be. */
function writeRefusal(read) {
    if (!read.utf8)
        return 'it is not valid UTF-8, and rewriting it would change bytes outside the edits: make the changes by hand, or convert it to UTF-8 and run again';
    const links = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(read.path).nlink;
    if (links > 1)
        return `it has ${links} hard links, and rewriting it would change the other names too: make the changes by hand, or replace it with a copy of its own and run again`;
    return undefined;
}
/**
 * Writes a rewritten workflow back where it was read (the resolved path, inside the workspace): to a temp file in
 * the same folder, with the file's mode, then renamed over it. Returns why it could not (the file left as it was).
 */
function writeWorkflowFile(path, text) {
    let temp;
    try {
        const mode = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(path).mode & 0o7777;
        if ((mode & 0o200) === 0)
            return `it is read-only (mode ${mode.toString(8)})`;
        temp = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), `.${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(path)}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}.tmp`);
        const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.openSync)(temp, 'wx', mode);
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)(fd, text, 'utf8');
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.fsyncSync)(fd);
        }
        finally {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.closeSync)(fd);
        }
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.chmodSync)(temp, mode);
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.renameSync)(temp, path);
        return undefined;
    }
    catch (error) {
        if (temp)
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(temp, { force: true });
        return `it could not be written: ${error.message}`;
    }
}


/***/ }),

/***/ 8523:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ jobsOf),
/* harmony export */   e: () => (/* binding */ workflowMap)
/* harmony export */ });
/* harmony import */ var _parse_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(21);

function envOf(doc, maps) {
    return (name) => {
        for (const map of maps) {
            const env = (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .mapOf */ .A7)(doc, (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .pairOf */ .cF)(map, 'env')?.value);
            const pair = (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .pairOf */ .cF)(env, name);
            if (pair)
                return (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .textOf */ .b6)(doc, pair.value) ?? '';
        }
        return undefined;
    };
}
function workflowMap(workflow) {
    return (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .mapOf */ .A7)(workflow.doc, workflow.doc.contents);
}
function jobsOf(workflow) {
    const { doc } = workflow;
    const root = workflowMap(workflow);
    const jobs = (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .mapOf */ .A7)(doc, (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .pairOf */ .cF)(root, 'jobs')?.value);
    const views = [];
    for (const pair of (jobs?.items ?? [])) {
        const map = (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .mapOf */ .A7)(doc, pair.value);
        if (!map)
            continue;
        const steps = ((0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .seqOf */ .nV)(doc, (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .pairOf */ .cF)(map, 'steps')?.value)?.items ?? []).flatMap((item) => {
            const step = (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .mapOf */ .A7)(doc, item);
            if (!step)
                return [];
            return [
                {
                    map: step,
                    uses: (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .textOf */ .b6)(doc, (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .pairOf */ .cF)(step, 'uses')?.value) ?? '',
                    id: (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .textOf */ .b6)(doc, (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .pairOf */ .cF)(step, 'id')?.value) ?? '',
                    env: envOf(doc, [step, map, root]),
                },
            ];
        });
        views.push({ id: (0,_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .textOf */ .b6)(doc, pair.key) ?? '', pair, map, steps });
    }
    return views;
}


/***/ }),

/***/ 21:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A7: () => (/* binding */ mapOf),
/* harmony export */   L$: () => (/* binding */ resolved),
/* harmony export */   PT: () => (/* binding */ lineStart),
/* harmony export */   RP: () => (/* binding */ valueOf),
/* harmony export */   b6: () => (/* binding */ textOf),
/* harmony export */   cF: () => (/* binding */ pairOf),
/* harmony export */   hM: () => (/* binding */ parseWorkflow),
/* harmony export */   kd: () => (/* binding */ lineEnd),
/* harmony export */   mh: () => (/* binding */ lineAt),
/* harmony export */   nV: () => (/* binding */ seqOf)
/* harmony export */ });
/* unused harmony export rangeOf */
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/**
 * Workflow YAML parsed with positions kept (the yaml package's Document over its CST, a LineCounter for lines),
 * and the few reading helpers detection needs. Nothing here changes text.
 */

/** The workflow, or the first YAML error (its line and the first line of its message). */
function parseWorkflow(text) {
    const lines = new yaml__WEBPACK_IMPORTED_MODULE_0__/* .LineCounter */ .HN();
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parseDocument */ .Tp)(text, { lineCounter: lines, keepSourceTokens: true, uniqueKeys: false });
    const error = doc.errors[0];
    if (error) {
        const line = error.linePos?.[0].line ?? lines.linePos(error.pos[0]).line;
        const message = (error.message.split('\n')[0] ?? error.code).replace(/:\s*$/, '');
        return { problem: { line, message } };
    }
    return { workflow: { text, doc, lines, eol: text.includes('\r\n') ? '\r\n' : '\n' } };
}
/** A node with aliases followed (an anchor's node is where its text is). */
function resolved(doc, node) {
    if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isAlias */ .Vj)(node))
        return node.resolve(doc) ?? undefined;
    return (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(node) || (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(node) || (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(node) ? node : undefined;
}
function mapOf(doc, node) {
    const found = resolved(doc, node);
    return (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(found) ? found : undefined;
}
function seqOf(doc, node) {
    const found = resolved(doc, node);
    return (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(found) ? found : undefined;
}
/** The pair of `map` whose key is `key` (the last one, as GitHub reads duplicate keys). */
function pairOf(map, key) {
    const pairs = (map?.items ?? []).filter((p) => (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isPair */ .tO)(p) && (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(p.key) && String(p.key.value) === key);
    return pairs[pairs.length - 1];
}
/** A scalar's text ('' for null), or undefined when the node is no scalar. */
function textOf(doc, node) {
    const found = resolved(doc, node);
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(found))
        return undefined;
    return found.value === null || found.value === undefined ? '' : String(found.value);
}
const valueOf = (doc, map, key) => textOf(doc, pairOf(map, key)?.value);
/** The 1-based line of an offset. */
const lineAt = (workflow, offset) => workflow.lines.linePos(offset).line;
/** The offset where the line holding `offset` starts. */
function lineStart(text, offset) {
    return text.lastIndexOf('\n', offset - 1) + 1;
}
/** The offset just past the line end (its newline included) of the line holding `offset`. */
function lineEnd(text, offset) {
    const newline = text.indexOf('\n', offset);
    return newline < 0 ? text.length : newline + 1;
}
/** The source range of a node: [start, end of its value]. */
function rangeOf(node) {
    const range = node?.range;
    return range ? [range[0], range[1]] : undefined;
}


/***/ }),

/***/ 3676:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  bn: () => (/* binding */ checkStep),
  xl: () => (/* binding */ isThisAction),
  L5: () => (/* binding */ removePair)
});

;// CONCATENATED MODULE: ./src/workflows/expressions.ts
/**
 * What a value in a workflow carries: GITHUB_TOKEN, another secret (a PAT, as far as migrate can tell), or
 * something else. `${{ env.NAME }}`, shell `$NAME` and PowerShell `$env:NAME` are followed through the env of the step, job and workflow.
 */
const GITHUB_TOKEN = /^\$\{\{\s*(?:secrets\.GITHUB_TOKEN|github\.token)\s*\}\}$/i;
const ENV_EXPRESSION = /^\$\{\{\s*env\.([A-Za-z_][\w-]*)\s*\}\}$/;
const SECRET = /\$\{\{[^}]*?\bsecrets\.([A-Za-z_]\w*)[^}]*\}\}/g;
/** A shell variable: $NAME or ${NAME}, or PowerShell's $env:NAME. */
const SHELL_VARIABLE = /^\$(?:env:)?\{?([A-Za-z_]\w*)\}?$/i;
/** The expression every PAT is replaced with. */
const GITHUB_TOKEN_EXPRESSION = '${{ secrets.GITHUB_TOKEN }}';
function classify(value, env, depth = 0) {
    const text = value.trim();
    if (GITHUB_TOKEN.test(text))
        return { kind: 'github-token' };
    const variable = ENV_EXPRESSION.exec(text) ?? SHELL_VARIABLE.exec(text);
    if (variable?.[1] && depth < 3) {
        const defined = env(variable[1]);
        if (defined === undefined)
            return { kind: 'other' };
        const inner = classify(defined, env, depth + 1);
        return inner.kind === 'secret' ? { ...inner, envName: variable[1] } : inner;
    }
    for (const match of text.matchAll(SECRET)) {
        const name = match[1] ?? '';
        if (name.toUpperCase() !== 'GITHUB_TOKEN')
            return { kind: 'secret', secret: name };
    }
    return { kind: 'other' };
}
/** How a credential is named in messages: `secrets.CR_PAT`, or `$CR_PAT (secrets.CR_PAT)`. */
function describeSecret(credential) {
    return credential.envName
        ? `env ${credential.envName} (secrets.${credential.secret})`
        : `secrets.${credential.secret}`;
}
/** `text` with `${{ env.X }}`, `$X`, `${X}` and `$env:X` replaced by the env values known (for registry names). */
function expandEnv(text, env) {
    return text
        .replace(/\$\{\{\s*env\.([A-Za-z_][\w-]*)\s*\}\}/g, (whole, name) => env(name) ?? whole)
        .replace(/\$(?:env:)?\{?([A-Za-z_]\w*)\}?/gi, (whole, name) => env(name) ?? whole);
}
/** The host of a registry value: scheme and path dropped, lower-cased ('' when none). */
function registryHost(value) {
    return (value
        .trim()
        .replace(/^[a-z]+:\/\//i, '')
        .split('/')[0]
        ?.toLowerCase() ?? '');
}

// EXTERNAL MODULE: ./src/workflows/parse.ts
var parse = __webpack_require__(21);
;// CONCATENATED MODULE: ./src/workflows/scripts.ts
/**
 * `run:` scripts that log docker, podman or buildah in: the registry, where the password comes from (argv or
 * stdin), and, for the few shapes recognised exactly, the line that logs in with GITHUB_TOKEN instead. Anything
 * else is reported and left for a human.
 */

const LOGIN = /(^|[\s;&|(])((?:sudo\s+)?(?:docker|podman|buildah)\s+login)\b([^;&|)]*)/g;
/** An expression, a shell variable, or PowerShell's $env:NAME. */
const TOKEN = /\$\{\{[^}]*\}\}|\$(?:env:)?\{?[A-Za-z_]\w*\}?/gi;
const FEEDER = /^\s*(?:echo(?:\s+-n)?|printf\s+(?:'%s'|"%s"|%s))\s+(?:"[^"]*"|'[^']*'|\$\{\{[^}]*\}\}|\S+)\s*$/;
/** Shell words (quotes kept on each word, as written). */
function words(text) {
    return text.match(/(?:\$\{\{[^}]*\}\}|"[^"]*"|'[^']*'|[^\s"'$]+|\$)+/g) ?? [];
}
function parseArgs(text) {
    const args = {
        registry: '',
        password: undefined,
        stdin: false,
        hereString: undefined,
        plain: true,
        kept: [],
    };
    const list = words(text);
    for (let i = 0; i < list.length; i++) {
        const word = list[i] ?? '';
        if (word === '-u' || word === '--username')
            args.kept.push(word, list[++i] ?? '');
        else if (word.startsWith('--username='))
            args.kept.push(word);
        else if (word === '-p' || word === '--password')
            args.password = list[++i] ?? '';
        else if (word.startsWith('--password='))
            args.password = word.slice('--password='.length);
        else if (word === '--password-stdin')
            args.stdin = true;
        else if (word === '<<<')
            args.hereString = list[++i] ?? '';
        else if (/^\d*[<>]/.test(word)) {
            if (/^\d*[<>]+&?$/.test(word))
                i++; // a redirection and its file: not the registry
            args.plain = false;
        }
        else if (word.startsWith('-'))
            args.plain = false;
        else {
            args.registry = word;
            args.kept.push(word);
        }
    }
    return args;
}
/** The first secret among the shell variables and expressions in `text`, else what the first token is. */
function credentialIn(text, env) {
    let first = { kind: 'other' };
    for (const token of text.match(TOKEN) ?? []) {
        const found = classify(token, env);
        if (found.kind === 'secret')
            return found;
        if (first.kind === 'other')
            first = found;
    }
    return first;
}
/** Every secret-carrying token of `text` swapped for GITHUB_TOKEN. */
function swapSecrets(text, env) {
    return text.replace(TOKEN, (token) => classify(token, env).kind === 'secret' ? GITHUB_TOKEN_EXPRESSION : token);
}
/** The new line for an exactly recognised shape, else undefined. */
function rewriteLine(line, at, command, args, env) {
    if (!args.plain || /;|&&|\|\||`|\$\(/.test(line))
        return undefined;
    const before = line.slice(0, at);
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    if (args.password !== undefined && !args.stdin && before.trim() === '' && !line.includes('|')) {
        const kept = args.kept.join(' ');
        return `${indent}echo "${GITHUB_TOKEN_EXPRESSION}" | ${command} ${kept} --password-stdin`;
    }
    if (!args.stdin || args.password !== undefined)
        return undefined;
    const feeder = before.replace(/\|\s*$/, '');
    const piped = before.trimEnd().endsWith('|') && FEEDER.test(feeder) && args.hereString === undefined;
    const here = before.trim() === '' && args.hereString !== undefined && !line.includes('|');
    return piped || here ? swapSecrets(line, env) : undefined;
}
/** Joins `\`-continued lines: [logical text, index of its first line, whether it spans several]. */
function logicalLines(script) {
    const lines = script.split('\n');
    const out = [];
    for (let i = 0; i < lines.length; i++) {
        const start = i;
        let text = lines[i] ?? '';
        while (/\\\s*$/.test(text) && i + 1 < lines.length)
            text = `${text.replace(/\\\s*$/, ' ')}${lines[++i] ?? ''}`;
        out.push([text, start, i > start]);
    }
    return out;
}
/** Logins in `script` to a registry `isGitHubRegistry` accepts, whatever their credential. */
function scriptLogins(script, env, isGitHubRegistry) {
    const found = [];
    for (const [line, index, spans] of logicalLines(script)) {
        if (line.trim().startsWith('#'))
            continue;
        for (const match of line.matchAll(LOGIN)) {
            const [, lead = '', command = '', rest = ''] = match;
            const at = (match.index ?? 0) + lead.length;
            const args = parseArgs(rest);
            const host = registryHost(expandEnv(args.registry, env));
            if (!host || !isGitHubRegistry(host))
                continue;
            const feeder = line
                .slice(0, at)
                .split(/;|&&|\|\|/)
                .pop() ?? '';
            const source = args.password ?? args.hereString ?? (args.stdin ? feeder : '');
            const credential = credentialIn(source, env);
            const rewritten = spans ? undefined : rewriteLine(line, at, command, args, env);
            found.push({ index, host, credential, ...(rewritten !== undefined ? { rewritten } : {}) });
        }
    }
    return found;
}

;// CONCATENATED MODULE: ./src/workflows/steps.ts



/** Login actions: their registry and password inputs. Other `*login*` actions with these inputs count too. */
const LOGIN_ACTIONS = {
    'docker/login-action': ['registry', 'password'],
    'redhat-actions/podman-login': ['registry', 'password'],
    'azure/docker-login': ['login-server', 'password'],
};
const actionOf = (uses) => uses.split('@')[0]?.split('/').slice(0, 2).join('/').toLowerCase() ?? '';
function isThisAction(uses) {
    return uses === './' || uses === '.' || /^[^/\s]+\/ghcr-image-action(?:\/[^@]*)?@/i.test(uses);
}
/** A scalar replaced by `value`, in the quotes it had; undefined for block scalars. */
function replaceScalar(node, value) {
    const scalar = node;
    const range = scalar?.range;
    if (!range)
        return undefined;
    const quote = scalar?.type === 'QUOTE_DOUBLE'
        ? '"'
        : scalar?.type === 'QUOTE_SINGLE'
            ? "'"
            : scalar?.type === 'PLAIN'
                ? ''
                : undefined;
    return quote === undefined
        ? undefined
        : { start: range[0], end: range[1], text: `${quote}${value}${quote}` };
}
/** The lines of a pair removed (comments above kept), when the pair starts its line. */
function removePair(workflow, pair) {
    const key = pair.key.range;
    const value = pair.value?.range;
    if (!key)
        return undefined;
    const start = (0,parse/* lineStart */.PT)(workflow.text, key[0]);
    if (workflow.text.slice(start, key[0]).trim() !== '')
        return undefined;
    const last = value ? value[1] : key[1];
    const end = workflow.text[last - 1] === '\n' ? last : (0,parse/* lineEnd */.kd)(workflow.text, last);
    return { start, end, text: '' };
}
function finding(options, workflow, at, kind, parts, edits) {
    const ok = edits.every((edit) => edit !== undefined);
    const line = (0,parse/* lineAt */.mh)(workflow, at);
    return [
        { file: options.file, line, kind, message: parts[0], replacement: parts[1], rewritable: ok },
        ok ? edits : [],
    ];
}
/** A login to `host` whose credential is neither GITHUB_TOKEN nor a secret: reported, never rewritten. */
function unknownLogin(options, workflow, at, what) {
    const message = `${what}, but migrate could not tell which credential this login uses; check it by hand (it is neither GITHUB_TOKEN nor a secret).`;
    const replacement = `${GITHUB_TOKEN_EXPRESSION} with the job's packages permission, if it is a personal access token`;
    const [found] = finding(options, workflow, at, 'unknown-credential', [message, replacement], [undefined]);
    return { findings: [found], edits: [], envUses: [], unknown: true };
}
function loginAction(workflow, step, options) {
    const name = actionOf(step.uses);
    const with_ = (0,parse/* mapOf */.A7)(workflow.doc, (0,parse/* pairOf */.cF)(step.map, 'with')?.value);
    const keys = LOGIN_ACTIONS[name] ??
        (name.includes('login') ? ['registry', 'password'] : undefined);
    if (!keys)
        return undefined;
    const host = registryHost(expandEnv((0,parse/* valueOf */.RP)(workflow.doc, with_, keys[0]) ?? '', step.env));
    if (!host || !options.isGitHubRegistry(host))
        return undefined;
    const outcome = { findings: [], edits: [], registry: { host, need: 'write' }, envUses: [] };
    const pair = (0,parse/* pairOf */.cF)(with_, keys[1]);
    const credential = classify((0,parse/* textOf */.b6)(workflow.doc, pair?.value) ?? '', step.env);
    if (credential.kind === 'github-token')
        return outcome;
    const at = (pair ?? (0,parse/* pairOf */.cF)(step.map, 'uses'))?.key?.range?.[0] ?? 0;
    if (!pair || credential.kind !== 'secret')
        return unknownLogin(options, workflow, at, `${name} logs in to ${host}`);
    const message = `${name} logs in to ${host} with ${describeSecret(credential)}, a personal access token.`;
    const [found, edits] = finding(options, workflow, at, 'login-action', [message, `${keys[1]}: ${GITHUB_TOKEN_EXPRESSION}`], [replaceScalar((0,parse/* resolved */.L$)(workflow.doc, pair.value), GITHUB_TOKEN_EXPRESSION)]);
    const envUses = credential.envName ? [{ name: credential.envName, finding: found }] : [];
    return { ...outcome, findings: [found], edits, envUses };
}
function thisAction(workflow, step, options) {
    if (!isThisAction(step.uses))
        return undefined;
    const withPair = (0,parse/* pairOf */.cF)(step.map, 'with');
    const with_ = (0,parse/* mapOf */.A7)(workflow.doc, withPair?.value);
    const host = registryHost(expandEnv((0,parse/* valueOf */.RP)(workflow.doc, with_, 'registry') || 'ghcr.io', step.env));
    const command = ((0,parse/* valueOf */.RP)(workflow.doc, with_, 'command') || 'publish').toLowerCase();
    if (command === 'migrate' || !options.isGitHubRegistry(host))
        return undefined;
    const need = command === 'pull' || command === 'resolve' ? 'read' : 'write';
    const outcome = { findings: [], edits: [], registry: { host, need }, envUses: [] };
    const inputs = ['pat', 'github-token'].flatMap((input) => {
        const pair = (0,parse/* pairOf */.cF)(with_, input);
        const text = (0,parse/* textOf */.b6)(workflow.doc, pair?.value) ?? '';
        return pair && text.trim() ? [{ input, pair, credential: classify(text, step.env) }] : [];
    });
    const unknown = inputs.find((i) => i.credential.kind === 'other');
    if (unknown) {
        const at = unknown.pair.key.range?.[0] ?? 0;
        return unknownLogin(options, workflow, at, `This action's '${unknown.input}' input (${host})`);
    }
    const secrets = inputs.flatMap((i) => i.credential.kind === 'secret' ? [{ ...i, credential: i.credential }] : []);
    // When every input goes, the `with:` key goes with them: the first one's edit removes it, the others need none.
    const all = secrets.length === (with_?.items.length ?? 0) && withPair;
    for (const { input, pair, credential } of secrets) {
        const message = `This action's '${input}' input passes ${describeSecret(credential)}, a personal access token.`;
        const replacement = `no '${input}' input (the action uses ${'${{ github.token }}'} by default)`;
        const first = secrets[0]?.pair === pair;
        const edit = all ? (first ? [removePair(workflow, all)] : []) : [removePair(workflow, pair)];
        const [found, edits] = finding(options, workflow, pair.key.range?.[0] ?? 0, 'pat-input', [message, replacement], edit);
        outcome.findings.push(found);
        outcome.edits.push(...edits);
        if (credential.envName)
            outcome.envUses.push({ name: credential.envName, finding: found });
    }
    return outcome;
}
/** Where a script line sits in the file: the k-th verbatim occurrence of its text inside the scalar. */
function locate(workflow, node, script, index) {
    const lines = script.split('\n');
    const target = lines[index]?.trim() ?? '';
    const range = node.range;
    if (!target || !range)
        return undefined;
    const before = lines.slice(0, index).join('\n').split(target).length - 1;
    const source = workflow.text.slice(range[0], range[1]);
    let at = -1;
    for (let seen = 0; seen <= before; seen++) {
        at = source.indexOf(target, at + 1);
        if (at < 0)
            return undefined;
    }
    return range[0] + at;
}
const safeIn = (node, text) => node.type === 'QUOTE_DOUBLE'
    ? !/["\\]/.test(text)
    : node.type === 'QUOTE_SINGLE'
        ? !text.includes("'")
        : node.type === 'PLAIN'
            ? !/: | #/.test(text)
            : true;
function runStep(workflow, step, options) {
    const pair = (0,parse/* pairOf */.cF)(step.map, 'run');
    const node = (0,parse/* resolved */.L$)(workflow.doc, pair?.value);
    const script = (0,parse/* textOf */.b6)(workflow.doc, node);
    if (!script || !node?.range)
        return undefined;
    const outcome = { findings: [], edits: [], envUses: [] };
    for (const login of scriptLogins(script, step.env, options.isGitHubRegistry)) {
        const at = locate(workflow, node, script, login.index);
        if (login.credential.kind === 'other') {
            const unknown = unknownLogin(options, workflow, at ?? node.range[0], `A run script logs in to ${login.host}`);
            outcome.findings.push(...unknown.findings);
            outcome.unknown = true;
            continue;
        }
        outcome.registry = { host: login.host, need: 'write' };
        if (login.credential.kind !== 'secret')
            continue;
        const credential = login.credential;
        const original = script.split('\n')[login.index]?.trim() ?? '';
        const text = login.rewritten?.trim();
        const edit = at !== undefined && text !== undefined && safeIn(node, text)
            ? { start: at, end: at + original.length, text }
            : undefined;
        const message = `A run script logs in to ${login.host} with ${describeSecret(credential)}, a personal access token.`;
        const replacement = text ?? `the password from ${GITHUB_TOKEN_EXPRESSION}, piped to --password-stdin`;
        const [found, edits] = finding(options, workflow, at ?? node.range[0], 'run-login', [message, replacement], [edit]);
        outcome.findings.push(found);
        outcome.edits.push(...edits);
        if (credential.envName && edit)
            outcome.envUses.push({ name: credential.envName, finding: found });
    }
    return outcome;
}
function checkStep(workflow, step, options) {
    if (step.uses)
        return thisAction(workflow, step, options) ?? loginAction(workflow, step, options);
    return runStep(workflow, step, options);
}


/***/ })

};

//# sourceMappingURL=916.index.js.map