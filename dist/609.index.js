export const id = 609;
export const ids = [609];
export const modules = {

/***/ 4609:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  migrate: () => (/* binding */ migrate)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/github/registry.ts
var registry = __webpack_require__(1392);
// EXTERNAL MODULE: ./src/workflows/files.ts
var files = __webpack_require__(7497);
;// CONCATENATED MODULE: ./src/inputs/migrate.ts


function migratePlan(inputs, context) {
    return {
        workflows: inputs.workflows,
        workspace: context.workspace,
        files: (0,files/* selectWorkflowFiles */.pn)(context.workspace, inputs.workflows),
        write: inputs.write,
        isGitHubRegistry: (host) => (0,registry/* isGitHubRegistry */.v)(host, context),
    };
}

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/registry/index.ts + 44 modules
var src_registry = __webpack_require__(9183);
// EXTERNAL MODULE: ./src/report/outputs.ts
var outputs = __webpack_require__(5468);
// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
;// CONCATENATED MODULE: ./src/report/migrate.ts
/**
 * migrate's report: one warning annotation per finding at its file and line, a warning per file that could not
 * be checked, the outputs `findings` and `files`, and a job summary table. Text from the files is made
 * printable (annotations) or escaped (summary) first.
 */





const TITLES = {
    'login-action': 'PAT login (login action)',
    'run-login': 'PAT login (run script)',
    'pat-input': "PAT in this action's input",
    permissions: 'No packages permission',
    'unknown-credential': 'Login credential unknown',
};
const UNWRITTEN_FIX = 'make the file writable by the job (chmod u+w, a checkout that is not read-only) and run again';
/** Why a checked file was not rewritten, and what to do. */
function unwrittenText(check) {
    const why = check.unwritten?.message ?? '';
    return `${check.file} was not rewritten: ${why}${check.unwritten?.failed ? `. Fix: ${UNWRITTEN_FIX}.` : '.'}`;
}
function migrate_status(finding, check, write) {
    if (!finding.rewritable)
        return 'left for a human: write: true does not rewrite this';
    if (check.rewritten)
        return 'rewritten';
    if (check.unwritten)
        return `not rewritten: ${check.unwritten.message}`;
    return write ? 'not rewritten' : 'write: true rewrites it';
}
function annotate(finding, check, write) {
    const message = `${finding.message} Replace with: ${finding.replacement}. (${migrate_status(finding, check, write)})`;
    core/* warning */.$e((0,src_registry/* printable */.g$)(message, 1000), {
        title: TITLES[finding.kind],
        file: (0,src_registry/* printable */.g$)(finding.file),
        startLine: finding.line,
    });
}
async function writeSummary(plan, checks, total) {
    const s = core/* summary */.z.addHeading((0,summary/* escapeHtml */.ZD)(`Migrate to GITHUB_TOKEN: ${total} finding(s)`), 2);
    const header = ['File', 'Line', 'Found', 'Replacement', 'Status'].map((h) => ({ data: h, header: true }));
    const rows = checks.flatMap((check) => check.findings.map((f) => [
        { data: (0,summary/* cellHtml */.qG)({ code: f.file }) },
        { data: String(f.line) },
        { data: (0,summary/* escapeHtml */.ZD)(f.message) },
        { data: (0,summary/* cellHtml */.qG)({ code: f.replacement }) },
        { data: (0,summary/* escapeHtml */.ZD)(migrate_status(f, check, plan.write)) },
    ]));
    if (rows.length)
        s.addTable([header, ...rows]);
    for (const check of checks.filter((c) => c.problem)) {
        s.addRaw((0,summary/* escapeHtml */.ZD)(`Not checked: ${check.file}${check.problem?.line ? ` line ${check.problem.line}` : ''}: ${check.problem?.message ?? ''}`), true);
    }
    for (const check of checks.filter((c) => c.unwritten))
        s.addRaw((0,summary/* escapeHtml */.ZD)(unwrittenText(check)), true);
    const rewritten = checks.filter((c) => c.rewritten).map((c) => c.file);
    s.addRaw((0,summary/* escapeHtml */.ZD)(rewritten.length
        ? `Rewritten (not committed): ${rewritten.join(', ')}. Open a pull request with them in a following step (docs/migrate.md).`
        : `${checks.length} file(s) checked in ${plan.workflows}; none rewritten${plan.write ? '' : ' (write is false)'}.`), true);
    await s.write();
}
async function reportMigration(plan, checks) {
    for (const check of checks) {
        if (check.problem) {
            const where = check.problem.line ? ` (line ${check.problem.line})` : '';
            core/* warning */.$e((0,src_registry/* printable */.g$)(`${check.file} was not checked${where}: ${check.problem.message}`, 1000), {
                title: 'Workflow not checked',
                file: (0,src_registry/* printable */.g$)(check.file),
                ...(check.problem.line ? { startLine: check.problem.line } : {}),
            });
            continue;
        }
        for (const finding of check.findings)
            annotate(finding, check, plan.write);
        if (check.unwritten) {
            core/* warning */.$e((0,src_registry/* printable */.g$)(unwrittenText(check), 1000), {
                title: 'Workflow not rewritten',
                file: (0,src_registry/* printable */.g$)(check.file),
            });
        }
        const count = check.findings.length;
        core/* info */.pq((0,src_registry/* printable */.g$)(`${check.file}: ${count} finding(s)${check.rewritten ? ', rewritten' : ''}.`));
    }
    const total = checks.reduce((n, c) => n + c.findings.length, 0);
    const files = checks.filter((c) => c.rewritten).map((c) => c.file);
    (0,outputs/* writeOutputs */.K)({ findings: String(total), files: files.join('\n') });
    await writeSummary(plan, checks, total);
}
/** The error that fails the step, after the report, when a rewrite could not be written; else undefined. */
function unwrittenError(checks) {
    const failed = checks.filter((c) => c.unwritten?.failed);
    if (failed.length === 0)
        return undefined;
    const list = failed.map((c) => `${c.file} (${c.unwritten?.message ?? ''})`).join('; ');
    return new errors/* ActionError */.l((0,src_registry/* printable */.g$)(`${failed.length} workflow file(s) could not be rewritten: ${list}. They are left as they were; the files rewritten are in the 'files' output.`, 2000), `${UNWRITTEN_FIX}, or leave these files out of the 'workflows' input.`);
}

// EXTERNAL MODULE: ./src/workflows/parse.ts
var parse = __webpack_require__(21);
// EXTERNAL MODULE: ./src/workflows/model.ts
var model = __webpack_require__(8523);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/workflows/permissions.ts
/**
 * The GITHUB_TOKEN permissions a job gets (its own block, else the workflow's), and the edit that gives it
 * `contents: read` and `packages: write`, merged into what is there.
 */


function packagesIn(workflow, node) {
    const value = (0,dist/* isScalar */.jn)(node) ? String(node.value ?? '') : undefined;
    if (value === 'write-all')
        return 'write';
    if (value === 'read-all')
        return 'read';
    if (!(0,dist/* isMap */.jh)(node))
        return 'none';
    const level = (0,parse/* textOf */.b6)(workflow.doc, (0,parse/* pairOf */.cF)(node, 'packages')?.value);
    return level === 'write' || level === 'read' ? level : 'none';
}
function granted(workflow, job, root) {
    const own = (0,parse/* pairOf */.cF)(job.map, 'permissions');
    const pair = own ?? (0,parse/* pairOf */.cF)(root, 'permissions');
    const from = own ? 'job' : pair ? 'workflow' : 'default';
    const line = (0,parse/* lineAt */.mh)(workflow, own?.key?.range?.[0] ?? job.pair.key.range?.[0] ?? 0);
    if (!pair)
        return { packages: 'none', from, line };
    return { packages: packagesIn(workflow, (0,parse/* resolved */.L$)(workflow.doc, pair.value)), from, line };
}
const satisfies = (have, need) => have === 'write' || (have === 'read' && need === 'read');
/** The entries of a permissions map as `key: value` source text, with contents and packages set. */
function mergedEntries(workflow, map, need) {
    const entries = (map?.items ?? []).map((pair) => [
        (0,parse/* textOf */.b6)(workflow.doc, pair.key) ?? '',
        (0,parse/* textOf */.b6)(workflow.doc, pair.value) ?? '',
    ]);
    const keys = entries.map(([key]) => key);
    const merged = entries.map(([key, value]) => [
        key,
        key === 'packages' && !satisfies(value, need) ? need : value,
    ]);
    if (!keys.includes('contents'))
        merged.unshift(['contents', 'read']);
    if (!keys.includes('packages'))
        merged.push(['packages', need]);
    return merged.map(([key, value]) => `${key}: ${value}`);
}
/** Edits inside the job's own block map: packages set to write, missing entries added above the first. */
function blockEdits(workflow, map, need) {
    const first = map.items[0]?.key;
    const at = first?.range?.[0];
    if (at === undefined)
        return undefined;
    const start = (0,parse/* lineStart */.PT)(workflow.text, at);
    const indent = workflow.text.slice(start, at);
    if (indent.trim() !== '')
        return undefined;
    const edits = [];
    const packages = (0,parse/* pairOf */.cF)(map, 'packages');
    const value = packages?.value;
    if (value?.range) {
        if (!satisfies((0,parse/* textOf */.b6)(workflow.doc, value), need))
            edits.push({ start: value.range[0], end: value.range[1], text: need });
    }
    else
        edits.push({ start, end: start, text: `${indent}packages: ${need}${workflow.eol}` });
    if (!(0,parse/* pairOf */.cF)(map, 'contents'))
        edits.push({ start, end: start, text: `${indent}contents: read${workflow.eol}` });
    return edits;
}
/** A new `permissions:` block right under the job's key, from the workflow's entries merged with ours. */
function newBlock(workflow, job, from, need) {
    const keyAt = job.pair.key.range?.[0];
    const firstAt = job.map.items[0]?.key?.range?.[0];
    if (keyAt === undefined || firstAt === undefined || job.map.flow)
        return undefined;
    const column = (offset) => offset - (0,parse/* lineStart */.PT)(workflow.text, offset);
    const indent = ' '.repeat(column(firstAt));
    const child = ' '.repeat(Math.max(2, column(firstAt) - column(keyAt)));
    const eol = workflow.eol;
    const lines = mergedEntries(workflow, from, need).map((entry) => `${indent}${child}${entry}${eol}`);
    const at = (0,parse/* lineEnd */.kd)(workflow.text, keyAt);
    return [{ start: at, end: at, text: `${indent}permissions:${eol}${lines.join('')}` }];
}
/** The edits that give the job contents: read and packages: `need`; [] when it has them, undefined when unsure. */
function permissionsEdits(workflow, job, root, need) {
    const own = (0,parse/* pairOf */.cF)(job.map, 'permissions');
    const pair = own ?? (0,parse/* pairOf */.cF)(root, 'permissions');
    const node = (0,parse/* resolved */.L$)(workflow.doc, pair?.value);
    if ((0,dist/* isScalar */.jn)(node) && node.value === 'write-all')
        return [];
    if (own && (0,dist/* isMap */.jh)(node) && !node.flow && node.items.length > 0)
        return blockEdits(workflow, node, need);
    if (own && (0,dist/* isMap */.jh)(node) && node.range) {
        const text = `{ ${mergedEntries(workflow, node, need).join(', ')} }`;
        return [{ start: node.range[0], end: node.range[1], text }];
    }
    if (own || (pair && !(0,dist/* isMap */.jh)(node)))
        return undefined;
    return newBlock(workflow, job, (0,dist/* isMap */.jh)(node) ? node : undefined, need);
}

// EXTERNAL MODULE: ./src/workflows/steps.ts + 2 modules
var steps = __webpack_require__(3676);
;// CONCATENATED MODULE: ./src/workflows/detect.ts
/**
 * Detection over a whole workflow: every step checked, then each job that logs in to a GitHub registry checked
 * for a packages permission. Pure: text in, findings and the edits that fix them out.
 */



const permissionsText = (need) => `permissions: contents: read, packages: ${need}`;
function jobPermissions(workflow, options, job, outcomes) {
    const root = (0,model/* workflowMap */.e)(workflow);
    const logins = outcomes.flatMap((o) => (o.registry ? [o.registry] : []));
    const pats = outcomes.flatMap((o) => o.findings.filter((f) => f.kind !== 'unknown-credential'));
    if (outcomes.some((o) => o.unknown)) {
        // A login migrate cannot read: the job is left as it is, its PATs and permissions included.
        for (const found of pats) {
            found.rewritable = false;
            found.message = `${found.message} Not rewritten: another login in this job uses a credential migrate could not tell.`;
        }
        if (pats.length || logins.length === 0)
            return { findings: [], edits: [] };
    }
    if (logins.length === 0)
        return { findings: [], edits: [] };
    const need = logins.some((l) => l.need === 'write') ? 'write' : 'read';
    const have = granted(workflow, job, root);
    if (satisfies(have.packages, need))
        return { findings: [], edits: [] };
    const edits = permissionsEdits(workflow, job, root, need);
    if (pats.length) {
        // The job's PAT findings carry the permissions: rewritten together, or left together.
        for (const found of pats) {
            found.replacement = `${found.replacement}; and the job's ${permissionsText(need)}`;
            if (!edits)
                found.rewritable = false;
        }
        // Permissions change only with a login that is rewritten: a job left on its PAT is left as it is.
        return { findings: [], edits: pats.some((f) => f.rewritable) ? (edits ?? []) : [] };
    }
    const host = logins[0]?.host ?? 'ghcr.io';
    const why = have.from === 'default'
        ? 'no permissions block: it gets the repository default, read-only in new repositories'
        : `its ${have.from} permissions give packages: ${have.packages}`;
    const message = `Job '${job.id}' logs in to ${host} with GITHUB_TOKEN but does not give it packages: ${need} (${why}).`;
    return {
        findings: [
            {
                file: options.file,
                line: have.line,
                kind: 'permissions',
                message,
                replacement: permissionsText(need),
                rewritable: edits !== undefined && !outcomes.some((o) => o.unknown),
            },
        ],
        edits: outcomes.some((o) => o.unknown) ? [] : (edits ?? []),
    };
}
function detect(workflow, options) {
    const detection = { findings: [], edits: [], envUses: [], rewrittenSteps: new Set() };
    (0,model/* jobsOf */.a)(workflow).forEach((job, j) => {
        const perStep = job.steps.map((step) => (0,steps/* checkStep */.bn)(workflow, step, options));
        const outcomes = perStep.flatMap((o) => o ?? []);
        const permissions = jobPermissions(workflow, options, job, outcomes);
        const findings = outcomes.flatMap((o) => o.findings);
        detection.findings.push(...findings, ...permissions.findings);
        // Only rewritable findings have edits; the permissions come with them (or alone, for GITHUB_TOKEN jobs).
        // A job whose permissions cannot be merged keeps its PAT: its findings were all marked not rewritable.
        if (findings.some((f) => f.rewritable)) {
            detection.edits.push(...outcomes.flatMap((o) => o.edits));
            perStep.forEach((o, i) => {
                if (!o?.findings.some((f) => f.rewritable))
                    return;
                detection.rewrittenSteps.add(`${j}:${i}`);
                detection.envUses.push(...o.envUses.map((use) => ({ ...use, job: j, step: i })));
            });
        }
        detection.edits.push(...permissions.edits);
    });
    detection.findings = dedupe(detection.findings);
    detection.findings.sort((a, b) => a.line - b.line);
    return detection;
}
/** A step shared through an anchor is found once per job that uses it: report it once. */
function dedupe(findings) {
    const seen = new Set();
    return findings.filter((f) => {
        const key = `${f.line}:${f.kind}:${f.message}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}

;// CONCATENATED MODULE: ./src/workflows/rewrite.ts




/** `text` with `edits` applied (identical edits once; an edit overlapping a later-starting one is dropped). */
function applyEdits(text, edits) {
    const unique = [...new Map(edits.map((e) => [`${e.start}:${e.end}:${e.text}`, e])).values()];
    unique.sort((a, b) => b.start - a.start || b.end - a.end);
    let out = text;
    let floor = text.length;
    for (const edit of unique) {
        if (edit.end > floor && edit.end > edit.start)
            continue;
        out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
        floor = Math.min(floor, edit.start);
    }
    return out;
}
/** Whether anything in `text` outside `[start, end)` still names the variable (shell, pwsh, cmd, expressions). */
function referenced(text, name, start, end) {
    const rest = text.slice(0, start) + text.slice(end);
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`\\$\\{?${escaped}\\b|\\benv[.:]${escaped}\\b|%${escaped}%`, 'i').test(rest);
}
/**
 * Where the env entry a step reads is set: its own env, its job's or the workflow's; with the map holding it,
 * a label for messages, and whether every step that sees it had its login rewritten (only then may it go).
 */
function ownerOf(workflow, use, rewritten) {
    const jobs = (0,model/* jobsOf */.a)(workflow);
    const job = jobs[use.job];
    const step = job?.steps[use.step];
    const has = (map) => !!(0,parse/* pairOf */.cF)((0,parse/* mapOf */.A7)(workflow.doc, (0,parse/* pairOf */.cF)(map, 'env')?.value), use.name);
    const all = (j) => (jobs[j]?.steps ?? []).every((_, i) => rewritten.has(`${j}:${i}`));
    if (has(step?.map))
        return { map: step?.map, label: 'the step', alone: true };
    if (has(job?.map))
        return { map: job?.map, label: `job '${job?.id ?? ''}'`, alone: all(use.job) };
    return { map: (0,model/* workflowMap */.e)(workflow), label: 'the workflow', alone: jobs.every((_, j) => all(j)) };
}
/**
 * Removals of the env entries the rewritten logins read, when they carry a secret, every step that sees them
 * was rewritten, and nothing in the file names them any more. The findings of those kept say so.
 */
function envRemovals(workflow, detection) {
    const { doc, text } = workflow;
    const gone = new Map();
    for (const use of detection.envUses) {
        const owner = ownerOf(workflow, use, detection.rewrittenSteps);
        const env = (0,parse/* mapOf */.A7)(doc, (0,parse/* pairOf */.cF)(owner.map, 'env')?.value);
        const pair = (0,parse/* pairOf */.cF)(env, use.name);
        const edit = pair && !env?.flow ? (0,steps/* removePair */.L5)(workflow, pair) : undefined;
        const carriesSecret = /\$\{\{[^}]*\bsecrets\./.test((0,parse/* textOf */.b6)(doc, pair?.value) ?? '');
        if (env &&
            owner.map &&
            edit &&
            owner.alone &&
            carriesSecret &&
            !referenced(text, use.name, edit.start, edit.end)) {
            if (!gone.has(owner.map))
                gone.set(owner.map, []);
            gone.get(owner.map)?.push(edit);
            continue;
        }
        const note = ` The env entry ${use.name} of ${owner.label} stays, as other steps or scripts may still read it: remove it by hand once nothing else needs the PAT.`;
        if (!use.finding.message.includes(note))
            use.finding.message += note;
    }
    const edits = [];
    for (const [owner, removals] of gone) {
        const envPair = (0,parse/* pairOf */.cF)(owner, 'env');
        const env = (0,parse/* mapOf */.A7)(doc, envPair?.value);
        if (!envPair || !env)
            continue;
        const unique = new Set(removals.map((e) => e.start));
        const all = unique.size === env.items.length;
        const whole = all ? (0,steps/* removePair */.L5)(workflow, envPair) : undefined;
        // `- env:` opens its step: the key stays, as an empty map, so the step's other keys keep their place.
        const colon = all && !whole ? text.indexOf(':', envPair.key.range?.[1] ?? 0) : -1;
        edits.push(...(whole ? [whole] : removals), ...(colon >= 0 ? [{ start: colon + 1, end: colon + 1, text: ' {}' }] : []));
    }
    return edits;
}
/** Findings of `text` and its rewritten form; a YAML error throws nothing: check parseWorkflow first. */
function rewriteWorkflow(text, options) {
    const parsed = (0,parse/* parseWorkflow */.hM)(text);
    if (!('workflow' in parsed))
        return { findings: [], text };
    const detection = detect(parsed.workflow, options);
    if (detection.edits.length === 0)
        return { findings: detection.findings, text };
    const changed = applyEdits(text, detection.edits);
    const again = (0,parse/* parseWorkflow */.hM)(changed);
    if (!('workflow' in again))
        return { findings: detection.findings.map((f) => ({ ...f, rewritable: false })), text };
    const cleaned = applyEdits(changed, envRemovals(again.workflow, detection));
    return { findings: detection.findings, text: cleaned };
}

;// CONCATENATED MODULE: ./src/workflows/scan.ts
/**
 * migrate's work over the chosen files: read each (bounded) and find; with `write`, every rewrite is computed
 * first, then written. A file that cannot be written is a problem of that file, not of the run.
 */



function planFile(request, file) {
    const read = (0,files/* readWorkflowFile */.AO)(request.workspace, file);
    if ('problem' in read)
        return { check: { file, findings: [], problem: { message: read.problem }, rewritten: false } };
    const parsed = (0,parse/* parseWorkflow */.hM)(read.text);
    if ('problem' in parsed) {
        const { line, message } = parsed.problem;
        const problem = { message: `it is not valid YAML: ${message}`, line };
        return { check: { file, findings: [], problem, rewritten: false } };
    }
    const result = rewriteWorkflow(read.text, { file, isGitHubRegistry: request.isGitHubRegistry });
    const check = { file, findings: result.findings, rewritten: false };
    if (!request.write || result.text === read.text)
        return { check };
    return { check, write: { path: read.path, text: result.text, utf8: read.utf8 } };
}
function writeFile(pending) {
    const { check, write } = pending;
    if (!write)
        return check;
    const refusal = (0,files/* writeRefusal */.sH)(write);
    if (refusal)
        return { ...check, unwritten: { message: refusal, failed: false } };
    const failure = (0,files/* writeWorkflowFile */.VT)(write.path, write.text);
    if (failure)
        return { ...check, unwritten: { message: failure, failed: true } };
    return { ...check, rewritten: true };
}
function checkFile(request, file) {
    return writeFile(planFile(request, file));
}
/** Every file read and its rewrite computed before any is written. */
function checkWorkflows(request) {
    const planned = request.files.map((file) => planFile(request, file));
    return planned.map(writeFile);
}

;// CONCATENATED MODULE: ./src/commands/migrate.ts
/**
 * command: migrate — find PAT logins to GitHub's registries in workflow files and, with `write: true`, rewrite
 * them to GITHUB_TOKEN in place. Reads files only: no session, no docker, no registry, nothing for a post step.
 */




async function migrate(inputs, context) {
    const plan = migratePlan(inputs, context);
    const checks = await core/* group */.Os(`Check ${plan.files.length} workflow file(s) in ${plan.workflows}`, async () => checkWorkflows(plan));
    await reportMigration(plan, checks);
    const failure = unwrittenError(checks);
    if (failure)
        throw failure;
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

//# sourceMappingURL=609.index.js.map