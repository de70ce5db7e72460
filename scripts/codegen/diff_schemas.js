#!/usr/bin/env node
// Compares the committed op table (ops_table.json, from 1.13's native_functions.yaml) with the
// operator schemas of another libtorch, read from its headers (ATen/ops/<op>_ops.h hold each
// overload's schema string), and prints what is missing or changed there. The source of model.js's
// REMOVED table and of its notes on harmless differences.
//   node scripts/codegen/diff_schemas.js /path/libtorch[/include] [--all]
// --all also lists int -> SymInt changes (harmless for the C++ API: at::<op> keeps int64_t).
'use strict';
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const all = args.includes('--all');
let inc = args.find((a) => !a.startsWith('--'));
if (!inc) { console.error('usage: diff_schemas.js <libtorch root or include dir> [--all]'); process.exit(2); }
if (!fs.existsSync(path.join(inc, 'ATen')) && fs.existsSync(path.join(inc, 'include', 'ATen'))) inc = path.join(inc, 'include');
const dir = path.join(inc, 'ATen', 'ops');
if (!fs.existsSync(dir)) { console.error(`${dir}: not found`); process.exit(2); }

// "Tensor(a!) self", "int[1] dim=None", "*": split at top-level commas
function split(s) {
  const out = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth--;
    if (c === ',' && depth === 0) { out.push(cur.trim()); cur = ''; } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
function parseArgs(s) {
  let kw = false;
  const out = [];
  for (const a of split(s)) {
    if (a === '*') { kw = true; continue; }
    const m = a.match(/^(.+?) (\w+)(?:=(.*))?$/);
    let type = m[1].replace(/\([^)]*\)/, '');
    const fixed = type.match(/\[(\d+)\]/);
    type = type.replace(/\[\d+\]/, '[]');
    out.push({ name: m[2], type, default: m[3] === undefined ? null : m[3].replace(/^\\?"(.*?)\\?"$/, '$1').replace(/^'(.*)'$/, '$1'), kwarg_only: kw, fixed: fixed ? Number(fixed[1]) : null });
  }
  return out;
}

const schemas = new Map();
for (const f of fs.readdirSync(dir)) {
  if (!f.endsWith('_ops.h')) continue;
  const src = fs.readFileSync(path.join(dir, f), 'utf8');
  // STATIC_CONSTEXPR_STR_INL_EXCEPT_WIN_CUDA(schema_str, "...") up to 2.x; later
  // `static constexpr const char* schema_str = "...";`
  for (const m of src.matchAll(/schema_str(?:, | = )"((?:[^"\\]|\\.)*)"/g)) {
    const mm = m[1].match(/^([\w.]+)\((.*)\) -> (.*)$/);
    if (!mm) continue;
    const [name, overload = ''] = mm[1].split('.');
    schemas.set(`${name}.${overload}`, parseArgs(mm[2]));
  }
}

const table = require('./ops_table.json');
const unquote = (d) => (d === null ? null : String(d).replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1'));
let n = 0;
for (const op of table.ops) {
  const key = `${op.name}.${op.overload}`;
  const theirs = schemas.get(key);
  if (!theirs) { console.log(`MISSING  ${key}`); n++; continue; }
  const d = [];
  const ours = op.args;
  for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
    const x = ours[i];
    const y = theirs[i];
    if (!x) { d.push(`+ ${y.type} ${y.name}${y.default !== null ? '=' + y.default : ''}`); continue; }
    if (!y) { d.push(`- ${x.name}`); continue; }
    if (x.name !== y.name) d.push(`${x.name} renamed ${y.name}`);
    const sym = (t) => t.replace(/SymInt/g, 'int');
    if (sym(x.type) !== sym(y.type) || (all && x.type !== y.type)) d.push(`${x.name}: ${x.type} -> ${y.type}`);
    const dx = unquote(x.default);
    const dy = unquote(y.default);
    if (dx !== dy && !(dx === null && dy === 'None' && y.type.endsWith('?'))) d.push(`${x.name}: default ${dx} -> ${dy}`);
    else if (dx !== dy) d.push(`${x.name}: gained default None`);
    if (x.kwarg_only !== y.kwarg_only) d.push(`${x.name}: ${y.kwarg_only ? 'now' : 'no longer'} keyword-only`);
  }
  if (d.length) { console.log(`CHANGED  ${key}: ${d.join('; ')}`); n++; }
}
console.log(`${n} of ${table.ops.length} table overloads differ in ${inc}`);
