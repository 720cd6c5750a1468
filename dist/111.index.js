export const id = 111;
export const ids = [111];
export const modules = {

/***/ 6111:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  resolve: () => (/* binding */ resolve)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/images/read.ts
var read = __webpack_require__(5008);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/inputs/references.ts
var references = __webpack_require__(7443);
;// CONCATENATED MODULE: ./src/inputs/resolve.ts
/** What `resolve` reads, decided from the inputs: an image, nothing written. */


function resolveInput(inputs) {
    // 'docker' is action.yml's default, which the runner passes to every step: only another value was asked for.
    if (inputs.destination && inputs.destination !== 'docker') {
        throw new errors/* ActionError */.l(`Input 'destination' is '${inputs.destination}', but resolve writes nothing: 'destination' is for command: pull.`, "remove 'destination', or use 'command: pull' to fetch the image there.");
    }
    return (0,references/* sourceInput */.mC)(inputs);
}

// EXTERNAL MODULE: ./src/registry/index.ts + 44 modules
var registry = __webpack_require__(9183);
// EXTERNAL MODULE: ./src/report/outputs.ts
var outputs = __webpack_require__(5468);
// EXTERNAL MODULE: ./src/session/index.ts + 5 modules
var src_session = __webpack_require__(9355);
;// CONCATENATED MODULE: ./src/commands/resolve.ts
/** command: resolve — a tag to its verified digest, without pulling anything. */






async function resolve(inputs, context) {
    const { ref, input } = resolveInput(inputs);
    const session = await (0,src_session/* openSession */.f)(inputs, context, { push: [], pull: [ref] });
    const manifest = await core/* group */.Os(`Resolve ${(0,registry/* formatReference */.FH)(ref)}`, async () => {
        const found = await (0,read/* readManifest */.WI)(session.client, ref, input);
        core/* info */.pq(`${(0,registry/* formatReference */.FH)(ref)} is ${found.digest} (${found.mediaType}), verified from its bytes.`);
        return found;
    });
    await session.loggedIn();
    (0,outputs/* writeOutputs */.K)({
        digest: manifest.digest,
        image: (0,registry/* repositoryOf */._M)(ref),
        ref: `${(0,registry/* repositoryOf */._M)(ref)}@${manifest.digest}`,
        'platform-digests': JSON.stringify((0,registry/* platformDigests */.Hm)(manifest)),
        'auth-method': session.methodFor(ref.registry),
    });
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


/***/ })

};

//# sourceMappingURL=111.index.js.map