import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// The shape docs/architecture.md promises, checked on every run: small files and functions, commands that do
// not import each other, the registry library reached through its index only, @actions/* kept out of it, and
// core.getInput called by inputs/ alone.
const SRC = join(import.meta.dirname ?? process.cwd(), '..', '..', 'src');
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 60;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

const files = sourceFiles(SRC).map((path) => {
  const text = readFileSync(path, 'utf8');
  return {
    path,
    name: relative(SRC, path),
    text,
    source: ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true),
  };
});

/** Whether an import or export brings in types only (erased from the bundle: no runtime dependency). */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const clause = node.exportClause;
    return !!clause && ts.isNamedExports(clause) && clause.elements.every((e) => e.isTypeOnly);
  }
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name && !!bindings && ts.isNamedImports(bindings) && bindings.elements.every((e) => e.isTypeOnly)
  );
}

/** Every import of a file (relative ones as paths from src/), and whether it is a value (runtime) import. */
function importsWithKind(file: (typeof files)[number]): { path: string; value: boolean }[] {
  const found: { spec: string; value: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const spec = node.moduleSpecifier;
      if (ts.isStringLiteral(spec)) found.push({ spec: spec.text, value: !typeOnly(node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const spec = node.arguments[0];
      if (spec && ts.isStringLiteral(spec)) found.push({ spec: spec.text, value: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(file.source);
  return found.map(({ spec, value }) => ({
    path: spec.startsWith('.') ? relative(SRC, resolve(dirname(file.path), spec)) : spec,
    value,
  }));
}

const importsOf = (file: (typeof files)[number]): string[] => importsWithKind(file).map((i) => i.path);

/**
 * The rooms from the bottom up (docs/architecture.md). A module's runtime imports go to its own room or to a
 * lower one; type-only imports may follow the data anywhere (a report reads the plan's type).
 */
const LAYERS: string[][] = [
  ['errors', 'version', 'context'],
  ['tool', 'state'],
  ['registry'],
  ['docker', 'github', 'meta', 'workflows'],
  ['inputs', 'build', 'session'],
  ['images', 'report'],
  ['commands'],
  ['main', 'post'],
  ['index', 'post-entry'],
];
const roomOf = (path: string): string => path.split('/')[0]?.replace(/\.(ts|js)$/, '') ?? '';
const layerOf = (path: string): number => LAYERS.findIndex((rooms) => rooms.includes(roomOf(path)));

function longFunctions(file: (typeof files)[number]): string[] {
  const long: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = file.source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = file.source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > MAX_FUNCTION_LINES)
        long.push(`${file.name}:${start + 1} (${end - start + 1} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file.source);
  return long;
}

describe('the shape of src/', () => {
  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    const long = files.filter((f) => f.text.split('\n').length > MAX_FILE_LINES).map((f) => f.name);
    expect(long).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(files.flatMap(longFunctions)).toEqual([]);
  });

  it('has every file in a room of docs/architecture.md, and runtime imports only downwards', () => {
    expect(files.map((f) => f.name).filter((name) => layerOf(name) < 0)).toEqual([]);
    const upwards = files.flatMap((f) =>
      importsWithKind(f)
        .filter(
          (i) => i.value && !i.path.startsWith('node:') && !i.path.startsWith('@') && layerOf(i.path) >= 0,
        )
        .filter((i) => roomOf(i.path) !== roomOf(f.name) && layerOf(i.path) >= layerOf(f.name))
        .map((i) => `${f.name} -> ${i.path}`),
    );
    expect(upwards).toEqual([]);
  });

  it('has commands that import no other command (commands/index.ts dispatches to them all)', () => {
    const crossing = files
      .filter((f) => f.name.startsWith('commands/') && f.name !== 'commands/index.ts')
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => i.startsWith('commands/'))
          .map((i) => `${f.name} -> ${i}`),
      );
    expect(crossing).toEqual([]);
  });

  it('reaches the registry library through its index only, and the library never imports @actions/*', () => {
    const outside = files
      .filter((f) => !f.name.startsWith('registry/'))
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => i.startsWith('registry/') && i !== 'registry/index.js')
          .map((i) => `${f.name} -> ${i}`),
      );
    // The library is the registry folder and Node: no @actions/*, nothing of the action's, and no dependency
    // but undici (the engine of Node's own fetch, for its proxy agent).
    const inside = files
      .filter((f) => f.name.startsWith('registry/'))
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => !i.startsWith('registry/') && !i.startsWith('node:') && i !== 'undici')
          .map((i) => `${f.name} -> ${i}`),
      );
    expect(outside).toEqual([]);
    expect(inside).toEqual([]);
  });

  it('calls core.getInput in inputs/ only', () => {
    const callers = files
      .filter((f) => /\bcore\.getInput|\bgetBooleanInput|\bgetMultilineInput/.test(f.text))
      .map((f) => f.name);
    expect(callers).toEqual(['inputs/index.ts']);
  });

  it('calls core.setOutput and core.setFailed from report/outputs.ts and main.ts only', () => {
    const outputs = files.filter((f) => /\bcore\.setOutput\(/.test(f.text)).map((f) => f.name);
    const failed = files.filter((f) => /\bcore\.setFailed\(/.test(f.text)).map((f) => f.name);
    expect(outputs).toEqual(['report/outputs.ts']);
    expect(failed).toEqual(['main.ts']);
  });

  it('runs docker from docker/cli.ts only', () => {
    const callers = files
      .filter((f) => /runTool\(\s*'docker'|mustRunTool\(\s*'docker'/.test(f.text))
      .map((f) => f.name);
    expect(callers).toEqual(['docker/cli.ts']);
  });
});
