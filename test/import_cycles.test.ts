// lib/ has no import cycles: every module's dependencies load before it, whatever the entry point.
// Walks the runtime imports of each lib/ file (import and export ... from, import x = require(),
// require() and import() calls; `import type` and type-only specifiers are erased and not counted)
// and looks for strongly connected components.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const LIB = path.join(__dirname, '..', 'lib');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base + '.ts', path.join(base, 'index.ts'), base]) if (c.startsWith(LIB) && fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return null;
}

/** The lib/ files that `file` (its text: `text`, by default read from disk) loads at run time. */
function imports(file: string, text = fs.readFileSync(file, 'utf8')): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const deps = new Set<string>();
  const add = (spec: string): void => {
    const r = resolve(file, spec);
    if (r !== null) deps.add(r);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n)) {
      const c = n.importClause;
      const named = c?.namedBindings;
      const typeOnly =
        c !== undefined &&
        (c.isTypeOnly || (!c.name && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) add((n.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier !== undefined) {
      if (!n.isTypeOnly) add((n.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) {
      add((n.moduleReference.expression as ts.StringLiteral).text);
    } else if (
      ts.isCallExpression(n) && n.arguments.length === 1 && ts.isStringLiteralLike(n.arguments[0]) &&
      ((ts.isIdentifier(n.expression) && n.expression.text === 'require') || n.expression.kind === ts.SyntaxKind.ImportKeyword)
    ) {
      add(n.arguments[0].text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return [...deps];
}

/** The cycles of the graph: its strongly connected components with more than one file, or a self-import (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) strong(v);
  return out;
}

describe('lib/ imports', () => {
  const files = sources(LIB);
  const graph = new Map(files.map((f) => [f, imports(f)] as [string, string[]]));

  test('the walk sees static imports, re-exports and require() calls', () => {
    const rel = (f: string): string => path.relative(LIB, f).split(path.sep).join('/');
    const deps = (f: string): string[] => (graph.get(path.join(LIB, f)) ?? []).map(rel);
    expect(files.length).toBeGreaterThan(100);
    expect(deps('index.ts')).toEqual(expect.arrayContaining(['_tensor.ts', 'dtype.ts', 'nn/index.ts']));
    expect(deps('_tensor.ts')).toEqual(expect.arrayContaining(['tensor.ts', 'autograd/engine.ts', 'generated/ops.ts']));
    expect(deps('utils/data/_utils/transfer.ts')).toEqual(expect.arrayContaining(['tensor.ts', 'utils/data/dataset.ts']));
    // A require() or import() of a lib/ file counts; type-only imports and re-exports do not.
    const probe = path.join(LIB, 'probe.ts');
    expect(imports(probe, "const m = require('./tensor');\nexport const f = () => import('./dtype');").map(rel)).toEqual(['tensor.ts', 'dtype.ts']);
    expect(imports(probe, "import type { Tensor } from './tensor';\nimport { type dtype } from './dtype';\nexport type { device } from './device';")).toEqual([]);
  });

  test('no module imports itself through other modules', () => {
    const found = cycles(graph).map((c) => c.map((f) => path.relative(LIB, f)).sort().join(' -> '));
    expect(found).toEqual([]);
  });
});
