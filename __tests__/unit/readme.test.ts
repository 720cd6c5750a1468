import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { runProgram } from '../support/exec.js';

// The README's reference tables must say what action.yml says (names, defaults, descriptions), and its links
// must lead somewhere. The tables are made by scripts/readme-tables.mjs, which is also the fix.
const ROOT = join(import.meta.dirname ?? process.cwd(), '..', '..');
const FIX = 'Fix: run `node scripts/readme-tables.mjs --write` and commit README.md.';

interface Entry {
  name: string;
  default: string;
  description: string;
}

interface ActionSpec {
  inputs?: Record<string, { description?: string; default?: unknown } | null>;
  outputs?: Record<string, { description?: string } | null>;
}

/** action.yml's inputs and outputs, as the tables should show them (a description on one line). */
function contract(actionYml: string): { inputs: Entry[]; outputs: Entry[] } {
  const spec = parse(actionYml) as ActionSpec;
  const entries = (section: ActionSpec['inputs']): Entry[] =>
    Object.entries(section ?? {}).map(([name, value]) => {
      const given = value as { description?: string; default?: unknown } | null;
      return {
        name,
        default: given?.default === undefined || given.default === null ? '' : String(given.default),
        description: (given?.description ?? '').replace(/\s*\n\s*/g, ' ').trim(),
      };
    });
  return { inputs: entries(spec.inputs), outputs: entries(spec.outputs) };
}

/** The text between `<!-- name:start -->` and `<!-- name:end -->`; throws when the markers are missing. */
function between(readme: string, name: string): string {
  const start = readme.indexOf(`<!-- ${name}:start -->`);
  const end = readme.indexOf(`<!-- ${name}:end -->`);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${name} markers. ${FIX}`);
  return readme.slice(start, end);
}

/** A cell as the reader sees it: markdown escapes undone, a whole-cell code span unwrapped. */
function plain(cell: string, unwrap: boolean): string {
  const text = cell.trim().replace(/\\([|<])/g, '$1');
  return unwrap && /^`[^`]*`$/.test(text) ? text.slice(1, -1) : text;
}

/** The rows of the markdown table in a block: name | default | description, or name | description. */
function tableRows(block: string): Entry[] {
  const rows = block
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2); // the header and the separator
  return rows.map((row) => {
    const cells = row.split(/(?<!\\)\|/).slice(1, -1);
    const [name = '', second = '', third] = cells;
    return third === undefined
      ? { name: plain(name, true), default: '', description: plain(second, false) }
      : { name: plain(name, true), default: plain(second, true), description: plain(third, false) };
  });
}

/** Every way the README's tables differ from action.yml, one line each ([] when they agree). */
function differences(readme: string, actionYml: string): string[] {
  const expected = contract(actionYml);
  const found: string[] = [];
  for (const kind of ['inputs', 'outputs'] as const) {
    const rows = tableRows(between(readme, kind));
    const listed = new Map(rows.map((row) => [row.name, row]));
    for (const entry of expected[kind]) {
      const row = listed.get(entry.name);
      if (!row) found.push(`${kind}: '${entry.name}' is in action.yml but not in README.md. ${FIX}`);
      else {
        for (const field of ['default', 'description'] as const) {
          if (row[field] !== entry[field]) {
            found.push(
              `${kind}: the ${field} of '${entry.name}' is '${row[field]}' in README.md but '${entry[field]}' in action.yml. ${FIX}`,
            );
          }
        }
      }
    }
    const names = new Set(expected[kind].map((entry) => entry.name));
    for (const row of rows) {
      if (!names.has(row.name))
        found.push(`${kind}: '${row.name}' is in README.md but not in action.yml. ${FIX}`);
    }
  }
  return found;
}

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const actionYml = readFileSync(join(ROOT, 'action.yml'), 'utf8');

describe('README.md', () => {
  it('lists every input and output of action.yml with its default and description, and nothing else', () => {
    expect(differences(readme, actionYml)).toEqual([]);
    const { inputs, outputs } = contract(actionYml);
    expect(tableRows(between(readme, 'inputs'))).toHaveLength(inputs.length);
    expect(tableRows(between(readme, 'outputs'))).toHaveLength(outputs.length);
  });

  it('reports a changed default, a changed description, a missing row and an extra row, with the fix', () => {
    const { inputs } = contract(actionYml);
    const changed = actionYml
      .replace("default: 'publish'", "default: 'pull'")
      .replace('Log docker out of the registry in the post step.', 'Stay logged in.')
      .replace(/\n {2}logout:\n/, '\n  logout-after:\n')
      .replace(/\noutputs:\n/, '\noutputs:\n  extra:\n    description: An output the README lacks.\n');
    const found = differences(readme, changed);
    expect(inputs.some((input) => input.name === 'logout')).toBe(true);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining("inputs: the default of 'command' is 'publish' in README.md but 'pull'"),
        expect.stringContaining("inputs: 'logout-after' is in action.yml but not in README.md"),
        expect.stringContaining("inputs: 'logout' is in README.md but not in action.yml"),
        expect.stringContaining("outputs: 'extra' is in action.yml but not in README.md"),
      ]),
    );
    expect(found.every((line) => line.includes('node scripts/readme-tables.mjs --write'))).toBe(true);
    const described = actionYml.replace(
      'Log docker out of the registry in the post step.',
      'Stay logged in.',
    );
    expect(differences(readme, described)).toEqual([
      `inputs: the description of 'logout' is 'Log docker out of the registry in the post step.' in README.md but 'Stay logged in.' in action.yml. ${FIX}`,
    ]);
  });

  it('reads escaped pipes and angle brackets back as action.yml has them', () => {
    const rows = tableRows(between(readme, 'inputs'));
    expect(rows.find((row) => row.name === 'command')?.description).toContain('publish | pull');
    expect(rows.find((row) => row.name === 'file')?.description).toContain('<context>/Dockerfile');
    expect(rows.find((row) => row.name === 'github-token')?.default).toBe('${{ github.token }}');
  });

  it('is what scripts/readme-tables.mjs makes: --check finds a changed default, --write puts it back', async () => {
    const script = join(ROOT, 'scripts', 'readme-tables.mjs');
    const tables = (...args: string[]) => runProgram(process.execPath, [script, ...args]);
    const same = await tables('--check');
    expect([same.code, same.stderr]).toEqual([0, '']);

    const copy = join(mkdtempSync(join(tmpdir(), 'readme-')), 'README.md');
    const row = /^\| `logout` +\| `true` +\|/m;
    expect(readme).toMatch(row);
    writeFileSync(
      copy,
      readme.replace(row, (cells) => cells.replace('`true` ', '`false`')),
    );
    expect(differences(readFileSync(copy, 'utf8'), actionYml)).toHaveLength(1);
    const stale = await tables('--check', copy);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('Fix: node scripts/readme-tables.mjs --write');
    expect((await tables('--write', copy)).code).toBe(0);
    expect(readFileSync(copy, 'utf8')).toBe(readme);
    expect((await tables('--nope')).code).toBe(2);
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((match) => match[1] ?? '')
      .filter((target) => !/^[a-z]+:/i.test(target));
    expect(links.length).toBeGreaterThan(5);
    const missing = [...new Set(links)].filter(
      (target) => !existsSync(join(dirname(join(ROOT, 'README.md')), target)),
    );
    expect(missing).toEqual([]);
  });
});
