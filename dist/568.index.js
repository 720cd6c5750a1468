export const id = 568;
export const ids = [568];
export const modules = {

/***/ 2568:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cleanup: () => (/* binding */ cleanup)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/github/registry.ts
var registry = __webpack_require__(1392);
// EXTERNAL MODULE: ./src/registry/index.ts + 44 modules
var src_registry = __webpack_require__(9183);
;// CONCATENATED MODULE: ./src/images/links.ts
/**
 * What every version of a package refers to, read from the registry before anything is deleted: an index's
 * children, and the OCI `subject` of a signature, attestation or other referrer.
 */

const PARALLEL = 4;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** The digest in a manifest's `subject`, when it has one. */
function subjectDigest(manifest) {
    try {
        const body = JSON.parse(manifest.bytes.toString('utf8'));
        const digest = body.subject?.digest;
        return typeof digest === 'string' && DIGEST.test(digest) ? digest : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * Reads each version's manifest (by digest, PARALLEL at a time). A manifest the registry does not have (404)
 * makes its version unreadable (never deleted); any other failure stops the run before anything is deleted.
 */
async function readLinks(client, image, versions) {
    const links = { children: new Map(), subject: new Map(), unreadable: new Set() };
    let next = 0;
    const worker = async () => {
        while (next < versions.length) {
            const version = versions[next++];
            let manifest;
            try {
                manifest = await client.getManifest((0,src_registry/* withDigest */.hQ)(image, version.digest));
            }
            catch (error) {
                if (error instanceof src_registry/* RegistryError */.gl && error.status === 404) {
                    links.unreadable.add(version.digest);
                    continue;
                }
                throw error;
            }
            if (manifest.kind === 'index')
                links.children.set(version.digest, manifest.index.manifests.map((m) => m.digest));
            const subject = subjectDigest(manifest);
            if (subject)
                links.subject.set(version.digest, subject);
        }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, versions.length) }, worker));
    return links;
}

// EXTERNAL MODULE: ./src/github/package-refusals.ts
var package_refusals = __webpack_require__(5253);
// EXTERNAL MODULE: ./src/session/packages.ts + 1 modules
var session_packages = __webpack_require__(9452);
;// CONCATENATED MODULE: ./src/images/prune.ts
/**
 * Deleting the planned versions, in the plan's order (whatever refers to another deleted version goes first).
 * The first failure stops the run: what was deleted until then is reported, and the error says what was not.
 */




/** Why deleting stopped, with what was deleted so far (for the report) attached. */
class PruneError extends errors/* ActionError */.l {
    deleted;
    constructor(what, fix, deleted, cause) {
        super(what, fix, { cause });
        this.deleted = deleted;
        this.name = 'PruneError';
    }
}
const describe = (d) => `${d.version.digest} (id ${d.version.id}${d.version.tags.length ? `, tags ${d.version.tags.join(', ')}` : ', untagged'})`;
async function prune(plan, session, context) {
    const deleted = [];
    let current = session;
    for (const item of plan) {
        try {
            await current.api.deleteVersion(current.id, item.version.id);
        }
        catch (error) {
            const refused = (0,package_refusals/* isApiRefusal */.D5)(error);
            const why = refused
                ? (0,package_refusals/* explainApiRefusal */.MF)(error, { ...current.candidate, id: current.id, need: 'delete' }, context).join('\n')
                : (0,errors/* errorMessage */.g)(error);
            const next = refused && deleted.length === 0 ? await (0,session_packages/* nextDeleter */.db)(current, context) : undefined;
            if (next) {
                core/* warning */.$e((0,session_packages/* fallbackWarning */.Ll)(why), { title: 'Packages API credentials' });
                current = next;
                try {
                    await current.api.deleteVersion(current.id, item.version.id);
                }
                catch (again) {
                    throw stopped(deleted, plan, item, again, context, current);
                }
            }
            else {
                throw stopped(deleted, plan, item, error, context, current, why);
            }
        }
        deleted.push(item);
        core/* info */.pq(`Deleted ${describe(item)}.`);
    }
    return { deleted, session: current };
}
function stopped(deleted, plan, item, error, context, session, explained) {
    const why = explained ??
        ((0,package_refusals/* isApiRefusal */.D5)(error)
            ? (0,package_refusals/* explainApiRefusal */.MF)(error, { ...session.candidate, id: session.id, need: 'delete' }, context).join('\n')
            : (0,errors/* errorMessage */.g)(error));
    const done = deleted.length
        ? `${deleted.length} version(s) were deleted before it: ${deleted.map(describe).join('; ')}.`
        : 'Nothing was deleted.';
    return new PruneError(`Deleting ${describe(item)} failed; ${plan.length - deleted.length} planned deletion(s) not done. ${done}\n${why}`, 'fix the cause above and run again: the next run plans from what is left (every kept tag is intact, as referrers were deleted before what they refer to).', deleted, error);
}

;// CONCATENATED MODULE: ./src/images/retention.ts
/**
 * Tags that name the image they belong to: cosign's sha256-<hex>.sig / .att / .sbom, and the OCI referrers tag
 * schema's sha256-<hex> (an index of referrers, on registries without the referrers API, ghcr.io among them).
 */
const COMPANION = /^(sha256)-([0-9a-f]{64})(?:\.(sig|att|sbom))?$/;
function companionSubject(tag) {
    const match = COMPANION.exec(tag);
    return match ? `${match[1]}:${match[2]}` : undefined;
}
const DAY = 86_400_000;
const ageText = (ms) => (ms >= DAY ? `${Math.floor(ms / DAY)}d` : `${Math.floor(ms / 3_600_000)}h`);
/**
 * The subject a version follows, when it has no tag of its own (none, or only companion tags): its manifest's
 * OCI subject, or its companion tags' subject, when that is in the package.
 */
function subjectOf(version, links, present) {
    const subjects = version.tags.map(companionSubject);
    if (subjects.some((s) => s === undefined))
        return undefined;
    const fromManifest = links.subject.get(version.digest);
    if (fromManifest && present.has(fromManifest))
        return fromManifest;
    const first = subjects[0];
    return first && subjects.every((s) => s === first) && present.has(first) ? first : undefined;
}
/** What the policy alone says of a version that follows no subject: keep (with why) or delete (with why). */
function policyDecision(version, rank, policy, now, unknownReach) {
    const age = now.getTime() - version.createdAt.getTime();
    const young = policy.olderThan !== undefined && age < policy.olderThan.ms;
    const newer = `newer than ${policy.olderThan?.text ?? ''} (${ageText(Math.max(age, 0))} old)`;
    if (version.tags.length === 0) {
        if (!policy.untagged)
            return { keep: true, why: 'untagged, and untagged versions are kept (untagged: false)' };
        if (young)
            return { keep: true, why: `untagged, ${newer}` };
        // A by-digest push waits, untagged, for the merge that tags it: without older-than, a day's grace.
        if (policy.olderThan === undefined && age < DAY)
            return {
                keep: true,
                why: 'untagged, less than a day old (a by-digest push may await its merge; older-than decides)',
            };
        if (unknownReach)
            return { keep: true, why: 'untagged, kept: a manifest that could not be read may refer to it' };
        return { keep: false, why: 'untagged, and nothing kept refers to it' };
    }
    for (const tag of version.tags) {
        const pattern = policy.keepTags.find((p) => p.regex.test(tag));
        if (pattern)
            return { keep: true, why: `tag ${tag} matches keep-tags ${pattern.text}` };
    }
    if (rank !== undefined && rank < policy.keepLast)
        return { keep: true, why: `one of the ${policy.keepLast} most recent tagged versions` };
    if (young)
        return { keep: true, why: newer };
    return {
        keep: false,
        why: `no tag matches keep-tags, not among the ${policy.keepLast} most recent tagged${policy.olderThan ? `, older than ${policy.olderThan.text}` : ''}`,
    };
}
const newestFirst = (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id;
/** The full plan: policy roots, everything they reach kept, the rest deleted in a safe order. */
function retentionPlan(versions, links, policy, now) {
    const byDigest = new Map(versions.map((v) => [v.digest, v]));
    const present = new Set(byDigest.keys());
    const subjects = new Map();
    const followers = new Map();
    for (const version of versions) {
        const subject = subjectOf(version, links, present);
        if (subject === undefined || subject === version.digest)
            continue;
        subjects.set(version.digest, subject);
        followers.set(subject, [...(followers.get(subject) ?? []), version.digest]);
    }
    const ranked = versions.filter((v) => v.tags.length && !subjects.has(v.digest)).sort(newestFirst);
    const rank = new Map(ranked.map((v, i) => [v.digest, i]));
    const kept = new Map();
    const pending = new Map();
    for (const version of [...versions].sort(newestFirst)) {
        if (links.unreadable.has(version.digest)) {
            kept.set(version.digest, 'its manifest could not be read: kept, to be safe');
        }
        else if (!subjects.has(version.digest)) {
            const unknownReach = links.unreadable.size > 0;
            const decision = policyDecision(version, rank.get(version.digest), policy, now, unknownReach);
            if (decision.keep)
                kept.set(version.digest, decision.why);
            else
                pending.set(version.digest, decision.why);
        }
    }
    reachFrom(kept, links, followers, present);
    const toDelete = versions
        .filter((v) => !kept.has(v.digest))
        .map((version) => {
        const subject = subjects.get(version.digest);
        const why = subject
            ? `refers to ${subject}, which is deleted`
            : (pending.get(version.digest) ?? 'not kept');
        return { version, why };
    });
    const keep = [...versions]
        .sort(newestFirst)
        .filter((v) => kept.has(v.digest))
        .map((version) => ({ version, why: kept.get(version.digest) ?? '' }));
    return { delete: deletionOrder(toDelete, links, subjects), keep };
}
/** Adds to `kept` everything reachable from it: children of indexes, and followers of kept subjects. */
function reachFrom(kept, links, followers, present) {
    const queue = [...kept.keys()];
    while (queue.length) {
        const digest = queue.shift();
        const reached = [
            ...(links.children.get(digest) ?? []).map((d) => [d, `in the index ${digest}, which is kept`]),
            ...(followers.get(digest) ?? []).map((d) => [d, `refers to ${digest}, which is kept`]),
        ];
        for (const [next, why] of reached) {
            if (!next || !why || kept.has(next) || !present.has(next))
                continue;
            kept.set(next, why);
            queue.push(next);
        }
    }
}
/** Deletions ordered so that a version goes before anything it refers to (index before children, signature
 * before subject): no remaining manifest ever names one that is gone, whenever a run stops. */
function deletionOrder(items, links, subjects) {
    const deleted = new Map(items.map((d) => [d.version.digest, d]));
    const referrers = new Map();
    const refer = (from, to) => {
        if (deleted.has(from) && deleted.has(to))
            referrers.set(to, [...(referrers.get(to) ?? []), from]);
    };
    for (const digest of deleted.keys()) {
        for (const child of links.children.get(digest) ?? [])
            refer(digest, child);
        const subject = subjects.get(digest);
        if (subject)
            refer(digest, subject);
    }
    const ordered = [];
    const placed = new Set();
    const place = (digest, path) => {
        if (placed.has(digest) || path.has(digest))
            return;
        path.add(digest);
        for (const referrer of referrers.get(digest) ?? [])
            place(referrer, path);
        placed.add(digest);
        ordered.push(deleted.get(digest));
    };
    for (const item of items)
        place(item.version.digest, new Set());
    return ordered;
}

// EXTERNAL MODULE: ./src/inputs/references.ts
var references = __webpack_require__(7443);
;// CONCATENATED MODULE: ./src/inputs/cleanup.ts
/**
 * What `cleanup` will keep and delete, as a policy decided from the inputs before anything is read: the package
 * (the image's repository), the tag patterns never deleted, how many recent tagged versions to keep, the age
 * below which nothing is deleted, whether untagged versions go, and whether this is a dry run.
 */



/** `latest`, and tags that look like versions: 1, v1.2, 1.2.3, 1.2.3-rc.1. */
const DEFAULT_KEEP_TAGS = ['latest', '/^v?[0-9]+(\\.[0-9]+){0,2}(-[0-9A-Za-z.-]+)?$/'];
const DEFAULT_KEEP_LAST = 10;
const MAX_PATTERN = 200;
const UNITS = {
    h: { ms: 3_600_000, word: 'hours' },
    d: { ms: 86_400_000, word: 'days' },
    w: { ms: 604_800_000, word: 'weeks' },
};
/** One keep-tags line: `/regex/`, or a tag with `*` (any run) and `?` (one character) wildcards. */
function tagPattern(text) {
    const bad = (why) => new errors/* ActionError */.l(`Input 'keep-tags' has the pattern '${text}', which ${why}.`, "write one pattern a line: a tag with * and ? wildcards (e.g. 'release-*'), or a regular expression between slashes (e.g. '/^v[0-9]+$/').");
    if (text.length > MAX_PATTERN)
        throw bad(`is longer than ${MAX_PATTERN} characters`);
    if (text.length > 1 && text.startsWith('/') && text.endsWith('/')) {
        try {
            return { text, regex: new RegExp(text.slice(1, -1)) };
        }
        catch (error) {
            throw bad(`is not a regular expression (${error instanceof Error ? error.message : String(error)})`);
        }
    }
    if (!/^[A-Za-z0-9_.\-*?]+$/.test(text)) {
        throw bad('holds characters no tag can have (tags are letters, digits, _ . and -)');
    }
    const source = text.replace(/[.]/g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.');
    return { text, regex: new RegExp(`^${source}$`) };
}
/** `older-than`: a whole number of hours, days or weeks (12h, 30d, 2w); '' means any age. */
function parseAge(text) {
    if (text === '')
        return undefined;
    const match = /^([0-9]{1,6})\s*([hdw])$/.exec(text.trim());
    const unit = match?.[2] ? UNITS[match[2]] : undefined;
    if (!match || !unit) {
        throw new errors/* ActionError */.l(`Input 'older-than' is '${text}', which is not an age.`, "write a whole number of hours, days or weeks, e.g. '12h', '30d' or '2w' (or leave it empty: any age).");
    }
    return { text: `${match[1]}${match[2]}`, ms: Number(match[1]) * unit.ms };
}
/** `keep-last`: a whole number, 0 or more ('' = the default). */
function parseKeepLast(text) {
    if (text === '')
        return DEFAULT_KEEP_LAST;
    if (!/^[0-9]{1,6}$/.test(text)) {
        throw new errors/* ActionError */.l(`Input 'keep-last' is '${text}', which is not a whole number of 0 or more.`, `set 'keep-last' to how many of the most recent tagged versions to keep, e.g. '10' (default ${DEFAULT_KEEP_LAST}; 0 keeps none by recency).`);
    }
    return Number(text);
}
/** The package behind the image: OWNER/NAME on a registry, without tag or digest. */
function packageOf(inputs) {
    if (!inputs.image) {
        throw new errors/* ActionError */.l("Input 'image' is empty: cleanup needs the package to tidy.", `set 'image' to the package's image, e.g. ${inputs.registry}/OWNER/NAME (no tag).`);
    }
    const ref = (0,references/* imageInput */.EA)(inputs.image, 'image', inputs.registry);
    if (ref.tag || ref.digest) {
        throw new errors/* ActionError */.l(`Input 'image' is '${inputs.image}', which names a ${ref.digest ? 'digest' : 'tag'}: cleanup works on a whole package.`, `give 'image' without a tag or digest (${(0,src_registry/* formatReference */.FH)({ ...ref, tag: undefined, digest: undefined })}); say what to keep with 'keep-tags' and 'keep-last'.`);
    }
    const [owner = '', ...rest] = ref.repository.split('/');
    if (rest.length === 0) {
        throw new errors/* ActionError */.l(`Input 'image' is '${inputs.image}': a package is named OWNER/NAME, and '${ref.repository}' has no owner.`, `set 'image' to ${ref.registry}/OWNER/${ref.repository}.`);
    }
    return { image: ref, owner, name: rest.join('/') };
}
function cleanupPlan(inputs) {
    const { image, owner, name } = packageOf(inputs);
    const lines = inputs.keepTags.length ? inputs.keepTags : DEFAULT_KEEP_TAGS;
    return {
        image,
        owner,
        name,
        policy: {
            keepTags: lines.map(tagPattern),
            keepLast: parseKeepLast(inputs.keepLast),
            olderThan: parseAge(inputs.olderThan),
            untagged: inputs.untagged,
        },
        dryRun: inputs.dryRun,
    };
}

// EXTERNAL MODULE: ./src/report/outputs.ts
var outputs = __webpack_require__(5468);
// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
;// CONCATENATED MODULE: ./src/report/cleanup.ts
/** What cleanup reports: the plan in the log, the outputs `deleted` and `kept`, and the job summary. */




const tagsOf = (d) => (d.version.tags.length ? d.version.tags.join(', ') : 'untagged');
const line = (d) => (0,src_registry/* printable */.g$)(`${d.version.digest} [${tagsOf(d)}] created ${d.version.createdAt.toISOString()}: ${d.why}`, 1000);
function policyText(plan) {
    const { policy } = plan;
    return [
        `keep-tags ${policy.keepTags.map((p) => p.text).join(' ')}`,
        `keep-last ${policy.keepLast}`,
        `older-than ${policy.olderThan?.text ?? 'any age'}`,
        `untagged ${policy.untagged}`,
    ].join('; ');
}
/** The plan in the log, one version a line, deletions in the order they are made. */
function logPlan(plan, dryRun) {
    core/* info */.pq(`${dryRun ? 'Would delete' : 'To delete'} ${plan.delete.length} version(s), in this order:`);
    for (const d of plan.delete)
        core/* info */.pq(`  - ${line(d)}`);
    core/* info */.pq(`Keep ${plan.keep.length} version(s):`);
    for (const d of plan.keep)
        core/* info */.pq(`  + ${line(d)}`);
}
const row = (name, html) => [{ data: (0,summary/* escapeHtml */.ZD)(name), header: true }, { data: html }];
function versionTable(items) {
    return [
        [
            { data: 'Digest', header: true },
            { data: 'Tags', header: true },
            { data: 'Created', header: true },
            { data: 'Why', header: true },
        ],
        ...items.map((d) => [
            { data: `<code>${(0,summary/* escapeHtml */.ZD)(d.version.digest)}</code>` },
            { data: (0,summary/* escapeHtml */.ZD)(tagsOf(d)) },
            { data: (0,summary/* escapeHtml */.ZD)(d.version.createdAt.toISOString().slice(0, 10)) },
            { data: (0,summary/* escapeHtml */.ZD)(d.why) },
        ]),
    ];
}
/**
 * Outputs: `deleted` (JSON of digest, tags, id: what was deleted, or in a dry run what would be) and `kept`
 * (a count). The summary shows the policy, both lists, and what a dry run would do.
 */
async function reportCleanup(report) {
    const { retention, plan } = report;
    const dryRun = report.deleted === undefined;
    const listed = report.deleted ?? retention.delete;
    const stoppedEarly = report.deleted !== undefined && report.deleted.length < retention.delete.length;
    const kept = stoppedEarly
        ? retention.keep.length + retention.delete.length - listed.length
        : retention.keep.length;
    (0,outputs/* writeOutputs */.K)({
        deleted: JSON.stringify(listed.map((d) => ({ digest: d.version.digest, tags: d.version.tags, id: d.version.id }))),
        kept: String(kept),
    });
    const image = (0,src_registry/* formatReference */.FH)(plan.image);
    const s = core/* summary */.z.addHeading((0,summary/* escapeHtml */.ZD)(`Cleanup of ${image}${dryRun ? ' (dry run)' : ''}`), 2);
    s.addTable([
        row('Package', (0,summary/* escapeHtml */.ZD)(image)),
        ...(report.facts
            ? [
                row('Visibility', `${(0,summary/* escapeHtml */.ZD)(report.facts.visibility)} (<a href="${(0,summary/* escapeHtml */.ZD)(report.facts.htmlUrl)}">package page</a>)`),
            ]
            : []),
        row('Policy', (0,summary/* escapeHtml */.ZD)(policyText(plan))),
        row('Credentials', (0,summary/* escapeHtml */.ZD)(report.credentials)),
        row(dryRun ? 'Would delete' : 'Deleted', (0,summary/* escapeHtml */.ZD)(`${listed.length} version(s)`)),
        row('Kept', (0,summary/* escapeHtml */.ZD)(`${kept} version(s)`)),
    ]);
    if (report.stopped)
        s.addRaw((0,summary/* escapeHtml */.ZD)(`Stopped: ${report.stopped}`), true);
    if (listed.length) {
        s.addHeading(dryRun ? 'Would delete (in this order)' : 'Deleted', 3);
        s.addTable(versionTable(listed));
    }
    s.addHeading('Kept', 3);
    s.addTable(versionTable(retention.keep));
    if (dryRun) {
        s.addRaw((0,summary/* escapeHtml */.ZD)(`Dry run: nothing was deleted. Check the plan, then set 'dry-run: false' to delete ${listed.length === 1 ? 'this version' : `these ${listed.length} versions`}.`), true);
    }
    await s.write();
}

// EXTERNAL MODULE: ./src/session/index.ts + 5 modules
var src_session = __webpack_require__(9355);
;// CONCATENATED MODULE: ./src/commands/cleanup.ts
/**
 * command: cleanup — keep a package tidy through GitHub's Packages API without breaking an image: the versions
 * listed, every manifest read, the plan made in full (what the policy keeps, and everything that reaches), then
 * (unless a dry run) the rest deleted, referrers first. Nothing is deleted before the whole plan is known.
 */











async function cleanup(inputs, context) {
    const plan = cleanupPlan(inputs);
    if (!(0,registry/* isGitHubRegistry */.v)(plan.image.registry, context)) {
        throw new errors/* ActionError */.l(`cleanup works through GitHub's Packages API, and ${plan.image.registry} is not a GitHub registry.`, 'use cleanup on ghcr.io (or containers.<host> on GitHub Enterprise Server); other registries have their own retention settings.');
    }
    core/* info */.pq(`Policy: ${policyText(plan)}${plan.dryRun ? ' (dry run: nothing is deleted)' : ''}.`);
    const session = await (0,src_session/* openSession */.f)(inputs, context, { push: [], pull: [plan.image] });
    const api = await core/* group */.Os(`List the versions of ${plan.owner}/${plan.name}`, () => (0,session_packages/* openPackageSession */.DX)(inputs, context, plan, !plan.dryRun));
    core/* info */.pq(`${api.versions.length} version(s), listed with '${api.candidate.input}'.`);
    const links = await core/* group */.Os(`Read ${api.versions.length} manifest(s) from ${(0,src_registry/* repositoryOf */._M)(plan.image)}`, () => readLinks(session.client, plan.image, api.versions));
    await session.loggedIn(); // docker's login for later steps ran beside the reads
    const retention = retentionPlan(api.versions, links, plan.policy, new Date());
    await core/* group */.Os('Plan', async () => logPlan(retention, plan.dryRun));
    const report = { plan, retention, facts: api.facts, credentials: `${api.candidate.input} (Packages API)` };
    if (plan.dryRun)
        return reportCleanup({ ...report, deleted: undefined });
    try {
        const pruned = await core/* group */.Os(`Delete ${retention.delete.length} version(s)`, () => prune(retention.delete, api, context));
        await reportCleanup({
            ...report,
            deleted: pruned.deleted,
            credentials: `${pruned.session.candidate.input} (Packages API)`,
        });
    }
    catch (error) {
        if (error instanceof PruneError)
            await reportCleanup({ ...report, deleted: error.deleted, stopped: error.message });
        throw error;
    }
}


/***/ })

};

//# sourceMappingURL=568.index.js.map