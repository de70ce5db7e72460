#!/usr/bin/env node
// Compiles lib/**/*.ts into dist/ one file at a time (ts.transpileModule, like ts-jest's
// isolatedModules) and writes declarations with ts.transpileDeclaration: a few seconds, and the
// same transpilation the tests run through. The whole-program type check of lib/ and test/ is
// `npm run typecheck` (about 10 s), which `npm test` runs after set-up.
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.join(__dirname, '..');
const src = path.join(root, 'lib');
const out = path.join(root, 'dist');
const options = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  esModuleInterop: true,
  declaration: true,
  strict: true,
  isolatedModules: true,
};

function walk(dir) {
  const files = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files.push(...walk(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) files.push(p);
  }
  return files;
}

// transpileDeclaration writes a well-known-symbol method both as a property (`[Symbol.dispose]:
// () => void;`) and as a method; keep the method form only.
function dedupeSymbolMembers(d) {
  return d.replace(/^\s*\[Symbol\.(\w+)\]: [^;\n]*=>[^;\n]*;\n/gm, (line, name) => (d.includes(`[Symbol.${name}](`) ? '' : line));
}

let n = 0;
for (const file of walk(src)) {
  const rel = path.relative(src, file);
  const text = fs.readFileSync(file, 'utf8');
  const js = ts.transpileModule(text, { compilerOptions: options, fileName: file, reportDiagnostics: false });
  const dst = path.join(out, rel.replace(/\.ts$/, '.js'));
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.writeFileSync(dst, js.outputText);
  if (typeof ts.transpileDeclaration === 'function') {
    const dts = ts.transpileDeclaration(text, { compilerOptions: options, fileName: file, reportDiagnostics: false });
    fs.writeFileSync(dst.replace(/\.js$/, '.d.ts'), dedupeSymbolMembers(dts.outputText));
  }
  n++;
}
console.log(`[torch-node] compiled ${n} TypeScript files into dist/`);
