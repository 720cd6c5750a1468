export const id = 683;
export const ids = [683];
export const modules = {

/***/ 2683:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  promote: () => (/* binding */ promote)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/images/read.ts
var read = __webpack_require__(5008);
// EXTERNAL MODULE: ./src/images/tags.ts
var images_tags = __webpack_require__(2629);
// EXTERNAL MODULE: ./src/inputs/references.ts
var references = __webpack_require__(7443);
// EXTERNAL MODULE: ./src/inputs/tags.ts + 1 modules
var inputs_tags = __webpack_require__(4244);
;// CONCATENATED MODULE: ./src/inputs/promote.ts


function promotePlan(inputs) {
    const source = (0,references/* imageInput */.EA)(inputs.source, 'source', inputs.registry);
    const target = (0,references/* targetInput */.Mn)(inputs.image, 'image', inputs.registry);
    (0,references/* requireOneTagSource */.vZ)(target, inputs.tags);
    const destination = { ...target, tag: undefined };
    const given = (0,inputs_tags/* tagsInput */.qI)(inputs.tags, destination);
    const tags = given.length ? given : [target.tag ?? source.tag ?? 'latest'];
    return { source, destination, tags };
}

// EXTERNAL MODULE: ./src/registry/index.ts + 44 modules
var registry = __webpack_require__(9183);
// EXTERNAL MODULE: ./src/report/progress.ts
var progress = __webpack_require__(8991);
// EXTERNAL MODULE: ./src/report/outputs.ts
var outputs = __webpack_require__(5468);
// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
;// CONCATENATED MODULE: ./src/report/promote.ts



/**
 * The outputs and summary of a promotion. `auth-method` is what wrote the destination; the summary also says
 * what read the source (another registry is read with the docker config's login or anonymously).
 */
async function reportPromoted(plan, result, auth) {
    const repository = (0,registry/* repositoryOf */._M)(plan.destination);
    const written = plan.tags.map((tag) => (0,registry/* formatReference */.FH)((0,registry/* withTag */.Rd)(plan.destination, tag)));
    const { blobs } = result;
    await (0,summary/* writeSimpleSummary */.q9)(`Promoted ${(0,registry/* formatReference */.FH)(plan.source)}`, [
        ['To', { codeLines: written }],
        ['Digest', { code: result.digest }],
        ['Blobs', `${blobs.mounted} mounted, ${blobs.uploaded} uploaded, ${blobs.exists} already there`],
        [
            'Credentials',
            `${auth.write} to write ${plan.destination.registry}; ${auth.read} to read ${plan.source.registry}`,
        ],
    ], `docker pull ${repository}@${result.digest}`);
    (0,outputs/* writeWrittenOutputs */.v)(repository, result.manifest, written, auth.write);
}

// EXTERNAL MODULE: ./src/session/index.ts + 5 modules
var src_session = __webpack_require__(9355);
;// CONCATENATED MODULE: ./src/commands/promote.ts
/**
 * command: promote — copy `source` to `image` with `tags`, registry-side: manifest PUTs within a repository,
 * cross-repository mounts within a registry, streamed copies across registries. Tags are written last.
 */








async function promote(inputs, context) {
    const plan = promotePlan(inputs);
    const { source, destination, tags } = plan;
    const session = await (0,src_session/* openSession */.f)(inputs, context, { push: [destination], pull: [source] });
    const root = await (0,read/* readManifest */.WI)(session.client, source, 'source');
    const result = await core/* group */.Os(`Promote ${(0,registry/* formatReference */.FH)(source)} to ${(0,registry/* repositoryOf */._M)(destination)}`, () => (0,registry/* copyImage */.L1)(session.client, source, destination, { tags, root, onProgress: (0,progress/* progressLogger */.S)('Promote') }));
    const { blobs } = result;
    core/* info */.pq(`Copied ${result.digest}: ${blobs.mounted} blobs mounted, ${blobs.uploaded} uploaded, ${blobs.exists} already there, ${result.foreignLayersSkipped} foreign layers left in place.`);
    await (0,images_tags/* verifyTags */.vl)(session.client, destination, tags, result.digest, 'promoted');
    await session.loggedIn();
    await reportPromoted(plan, result, { write: session.method, read: session.methodFor(source.registry) });
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

//# sourceMappingURL=683.index.js.map