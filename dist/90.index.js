export const id = 90;
export const ids = [90];
export const modules = {

/***/ 7090:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  pull: () => (/* binding */ pull)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/docker/cli.ts
var cli = __webpack_require__(1670);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/registry/index.ts + 44 modules
var registry = __webpack_require__(9183);
;// CONCATENATED MODULE: ./src/images/pull.ts
/**
 * Pulling a resolved image: into the docker daemon by digest (then checked), or without any daemon to an OCI
 * layout folder or a docker archive through the registry client.
 */





/** The config digest of an image manifest ('' for an index). */
function configDigest(image) {
    return image.kind === 'image' ? image.image.config.digest : '';
}
/** docker pull by digest, then check what the daemon holds is that image, then apply the asked-for tag. */
async function pullIntoDocker(ref, digest, image, platform) {
    const byDigest = `${(0,registry/* repositoryOf */._M)(ref)}@${digest}`;
    await (0,cli/* dockerPull */.KD)(byDigest, platform ? (0,registry/* formatPlatform */.Bq)(platform) : undefined);
    const { id, repoDigests } = await (0,cli/* dockerInspectImage */.cp)(byDigest);
    if (!repoDigests.includes(byDigest)) {
        throw new errors/* ActionError */.l(`docker pulled ${byDigest}, but the image's repo digests are ${repoDigests.join(', ') || 'none'}.`, 'run the job again; report it if it stays.');
    }
    // The classic store names an image by its config digest; the containerd store by its manifest or index digest.
    if (configDigest(image) && ![configDigest(image), image.digest, digest].includes(id)) {
        throw new errors/* ActionError */.l(`docker holds image ${id} for ${byDigest}, but the registry's manifest names config ${configDigest(image)}.`, 'run the job again; report it if it stays.');
    }
    if (ref.tag)
        await (0,cli/* dockerTag */.TU)(byDigest, `${(0,registry/* repositoryOf */._M)(ref)}:${ref.tag}`);
    return id;
}
/**
 * Writes an image to an OCI layout or a docker archive, no daemon involved; returns its config digest.
 * `onProgress` hears of bytes and blobs as they arrive (OCI layouts).
 */
async function pullToDisk(client, ref, image, destination, onProgress) {
    if (image.kind !== 'image')
        throw new errors/* ActionError */.l(`${(0,registry/* repositoryOf */._M)(ref)}@${image.digest} is not an image manifest.`, 'pull an image or a multi-platform index of images.');
    if (destination.kind === 'oci-layout') {
        const stored = (0,registry/* toOciManifest */.wf)(image);
        if (stored.digest !== image.digest) {
            core/* info */.pq(`The Docker-format manifest is stored in OCI media types (as skopeo copy does), as ${stored.digest}; the blobs are the registry's.`);
        }
        await client.writeOciLayout(ref, destination.path, {
            root: stored,
            images: [stored],
            refName: ref.tag ?? image.digest,
            onProgress,
        });
    }
    else {
        const repoTag = ref.tag ? `${(0,registry/* repositoryOf */._M)(ref)}:${ref.tag}` : undefined;
        // A rerun writes the same archive again: the file is replaced (only once the new one is whole), and said so.
        const replacing = (0,external_node_fs_.existsSync)(destination.path);
        await client.writeDockerArchive(ref, destination.path, image.image, repoTag);
        if (replacing)
            core/* notice */.lm(`Replaced the existing file ${destination.path} with the docker archive of ${(0,registry/* repositoryOf */._M)(ref)}@${image.digest}.`);
    }
    return configDigest(image);
}

// EXTERNAL MODULE: ./src/images/read.ts
var read = __webpack_require__(5008);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/inputs/destination.ts
/** The 'destination' input of pull: the docker daemon, an OCI layout folder, or a docker archive file. */




/** How a destination is named in logs and the summary. */
function describeDestination(destination) {
    return destination.kind === 'docker' ? 'docker' : `${destination.kind}:${destination.path}`;
}
/** The `destination` input, checked before anything is fetched or written. */
function destinationInput(value) {
    if (!value || value === 'docker' || value === 'docker-daemon')
        return { kind: 'docker' };
    const colon = value.indexOf(':');
    const kind = colon > 0 ? value.slice(0, colon) : '';
    const path = colon > 0 ? (0,external_node_path_.resolve)(value.slice(colon + 1)) : '';
    if ((kind !== 'oci-layout' && kind !== 'docker-archive') || !value.slice(colon + 1)) {
        throw new errors/* ActionError */.l(`Input 'destination' is '${value}', which is not a destination.`, "use 'docker' (the default: the local docker daemon), 'oci-layout:DIR' or 'docker-archive:FILE'.");
    }
    if (kind === 'oci-layout') {
        const problem = (0,registry/* layoutProblem */.gA)(path);
        if (problem) {
            throw new errors/* ActionError */.l(`Input 'destination' is '${value}', but ${path}: ${problem}.`, 'name a new or empty folder, or an existing OCI layout to add to.');
        }
        return { kind, path };
    }
    if ((0,external_node_fs_.existsSync)(path) && (0,external_node_fs_.statSync)(path).isDirectory()) {
        throw new errors/* ActionError */.l(`Input 'destination' is '${value}', but ${path} is a folder.`, 'name a file for the archive, e.g. docker-archive:image.tar.');
    }
    return { kind, path };
}

// EXTERNAL MODULE: ./src/inputs/platform.ts
var inputs_platform = __webpack_require__(3186);
// EXTERNAL MODULE: ./src/inputs/references.ts
var references = __webpack_require__(7443);
;// CONCATENATED MODULE: ./src/inputs/pull.ts
/** What `pull` will fetch, and where to, decided from the inputs before anything is fetched or written. */




function pullPlan(inputs) {
    const { ref, input } = (0,references/* sourceInput */.mC)(inputs);
    const destination = destinationInput(inputs.destination);
    const platform = inputs.platform ? (0,inputs_platform/* platformInput */.U)(inputs.platform, 'platform') : (0,registry/* hostPlatform */.ol)();
    return { ref, input, destination, platform, platformAsked: inputs.platform !== '' };
}

// EXTERNAL MODULE: ./src/report/progress.ts
var progress = __webpack_require__(8991);
// EXTERNAL MODULE: ./src/report/outputs.ts
var outputs = __webpack_require__(5468);
// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
;// CONCATENATED MODULE: ./src/report/pull.ts
/** What pull reports: the digest it resolved and verified, the image ID, where it went. */




async function reportPulled({ plan, root, image, imageId, authMethod }) {
    const repository = (0,registry/* repositoryOf */._M)(plan.ref);
    const child = image.digest !== root.digest ? (0,registry/* formatPlatform */.Bq)(plan.platform) : undefined;
    await (0,summary/* writeSimpleSummary */.q9)(`Pulled ${repository}@${root.digest}`, [
        ['Asked for', { code: (0,registry/* formatReference */.FH)(plan.ref) }],
        ['Digest', [{ code: root.digest }, ...(child ? [` (${child}: `, { code: image.digest }, ')'] : [])]],
        ['Image ID', { code: imageId }],
        [
            'Into',
            plan.destination.kind === 'docker' ? 'the docker daemon' : describeDestination(plan.destination),
        ],
    ]);
    (0,outputs/* writeOutputs */.K)({
        digest: root.digest,
        'image-id': imageId,
        image: repository,
        ref: `${repository}@${root.digest}`,
        'platform-digests': JSON.stringify((0,registry/* platformDigests */.Hm)(root)),
        'auth-method': authMethod,
    });
}

// EXTERNAL MODULE: ./src/session/index.ts + 5 modules
var src_session = __webpack_require__(9355);
;// CONCATENATED MODULE: ./src/commands/pull.ts
/**
 * command: pull — by tag, digest or latest, verified. The tag is resolved to a digest first and everything is
 * fetched by that digest, so a tag that moves meanwhile cannot slip another image in. Into the docker daemon
 * (default), or without any daemon to an OCI layout folder or a docker archive, through the registry client.
 */









async function pull(inputs, context) {
    const plan = pullPlan(inputs);
    const { ref, destination, platform } = plan;
    const session = await (0,src_session/* openSession */.f)(inputs, context, { push: [], pull: [ref] });
    const root = await (0,read/* readManifest */.WI)(session.client, ref, plan.input);
    core/* info */.pq(`${ref.digest ?? `${(0,registry/* repositoryOf */._M)(ref)}:${ref.tag}`} resolves to ${root.digest}; pulling by that digest.`);
    const image = await (0,read/* imageForPlatform */.Q)(session.client, ref, root, platform, plan.platformAsked);
    // docker pull needs the login; a pull to disk does not wait for it (it finishes alongside).
    if (destination.kind === 'docker')
        await session.loggedIn();
    const imageId = await core/* group */.Os(`Pull ${(0,registry/* repositoryOf */._M)(ref)}@${root.digest} to ${describeDestination(destination)}`, () => destination.kind === 'docker'
        ? pullIntoDocker(ref, root.digest, image, root.kind === 'index' || plan.platformAsked ? platform : undefined)
        : pullToDisk(session.client, ref, image, destination, (0,progress/* progressLogger */.S)('Pull')));
    const child = image.digest !== root.digest ? ` (${(0,registry/* formatPlatform */.Bq)(platform)} of ${root.digest})` : '';
    core/* info */.pq(`Pulled ${image.digest}${child}, verified.`);
    await session.loggedIn();
    await reportPulled({ plan, root, image, imageId, authMethod: session.methodFor(ref.registry) });
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

/***/ 8991:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S: () => (/* binding */ progressLogger)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);

const mib = (bytes) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
/**
 * Progress lines for long transfers: one when a blob completes, and one at most every `everyMs` while bytes
 * move, so a large layer shows it is alive without flooding the log.
 */
function progressLogger(label, everyMs = 5000, now = Date.now) {
    let last = now();
    let blobsDone = 0;
    return (p) => {
        const finished = p.blobsDone > blobsDone;
        if (!finished && now() - last < everyMs)
            return;
        blobsDone = p.blobsDone;
        last = now();
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${label}: ${p.blobsDone}/${p.blobsTotal} blobs done, ${mib(p.bytesDone)} sent`);
    };
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


/***/ })

};

//# sourceMappingURL=90.index.js.map