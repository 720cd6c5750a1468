#!/usr/bin/env node
// The README's tables of inputs and outputs, made from action.yml (the contract), between marker comments:
// <!-- inputs:start --> ... <!-- inputs:end --> and <!-- outputs:start --> ... <!-- outputs:end -->.
//
//   node scripts/readme-tables.mjs           print both tables
//   node scripts/readme-tables.mjs --write   rewrite them in README.md (formatted by the repository's Prettier)
//   node scripts/readme-tables.mjs --check   exit 1 when README.md's tables differ from action.yml
// (--write and --check take another file to work on after them; README.md by default.)
//
// __tests__/unit/readme.test.ts fails when a name, default or description differs; this script is the fix.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..');
const README = join(ROOT, 'README.md');

/**
 * A table cell: one line; pipes escaped (a literal '|' would end the cell, even in a code span) and, outside code
 * spans, '<' escaped (GitHub would take `<registry>` for an HTML tag and hide it).
 */
function cell(text) {
  return String(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '\\<')))
    .join('')
    .replace(/\|/g, '\\|');
}

/** An input's default as the README shows it: in backticks, or empty when it has none. */
function defaultCell(value) {
  return value === undefined || value === null ? '' : cell(`\`${String(value)}\``);
}

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** Both tables, unformatted, from action.yml's text. */
function tablesFrom(actionYml) {
  const action = parse(actionYml);
  const inputs = Object.entries(action.inputs ?? {}).map(([name, spec]) => [
    `\`${name}\``,
    defaultCell(spec?.default),
    cell(spec?.description ?? ''),
  ]);
  const outputs = Object.entries(action.outputs ?? {}).map(([name, spec]) => [
    `\`${name}\``,
    cell(spec?.description ?? ''),
  ]);
  return {
    inputs: table(['Name', 'Default', 'Description'], inputs),
    outputs: table(['Name', 'Description'], outputs),
  };
}

/** The README with the text between each pair of markers replaced; fails when a marker is missing. */
function replaceBetween(readme, name, body) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) {
    throw new Error(
      `README.md lacks the markers ${start} and ${end} (in that order): add them where the table goes.`,
    );
  }
  return `${readme.slice(0, from + start.length)}\n\n${body}\n\n${readme.slice(to)}`;
}

/** Markdown formatted as the repository's Prettier does (its config, whichever file is written). */
async function formatted(markdown) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(README)) ?? {};
  return prettier.format(markdown, { ...options, parser: 'markdown' });
}

async function main([mode = '--print', file = README]) {
  const tables = tablesFrom(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  if (mode === '--print') {
    process.stdout.write(await formatted(`${tables.inputs}\n\n${tables.outputs}\n`));
    return 0;
  }
  if (mode !== '--write' && mode !== '--check') {
    console.error(`Unknown option '${mode}': use --write, --check, or nothing to print the tables.`);
    return 2;
  }
  const current = readFileSync(file, 'utf8');
  const updated = await formatted(
    replaceBetween(replaceBetween(current, 'inputs', tables.inputs), 'outputs', tables.outputs),
  );
  if (mode === '--check') {
    if (updated === current) return 0;
    console.error(
      `${file}: the inputs and outputs tables differ from action.yml. Fix: node scripts/readme-tables.mjs --write`,
    );
    return 1;
  }
  if (updated !== current) writeFileSync(file, updated);
  console.log(
    `${file}: ${updated === current ? 'the tables already match' : 'tables updated from'} action.yml.`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
