#!/usr/bin/env node
// Generates the ATen op bindings from the committed table (scripts/codegen/ops_table.json, made by
// derive_table.py from native_functions.yaml), in three layers as torchgen is:
//   model.js  which overloads are bound, their names, checks, overload order and C++ shard
//   cpp.js    native/generated/ops_<k>.cc: one guarded entry point per overload (a_<name>[_<overload>])
//   ts.js     lib/generated/ops.ts: the overload table, torch.* functions, Tensor methods, with types;
//             types/generated/native_ops.d.ts: the typed native entry points (NativeOps)
// Run: node scripts/codegen/gen.js   (outputs are committed; do not edit them by hand)
//      node scripts/codegen/gen.js --check   (exit status 1 when a committed output is stale)
'use strict';
const fs = require('fs');
const path = require('path');
const { buildModel, SHARDS } = require('./model');
const { emitCpp } = require('./cpp');
const { emitOps, emitNativeOps } = require('./ts');

const root = path.join(__dirname, '..', '..');

/**
 * Every generated file of `table` (default: the committed one) as [path relative to the
 * repository root, text], and the model it was made from. Pure: reads no output, writes nothing.
 */
function generate(table, handWritten) {
  const model = buildModel(table, handWritten);
  const files = [
    ...emitCpp(model),
    ['lib/generated/ops.ts', emitOps(model)],
    ['types/generated/native_ops.d.ts', emitNativeOps(model)],
  ];
  return { model, files };
}

/** Shard files of an earlier, larger SHARDS that are no longer generated. */
function staleShards() {
  const dir = path.join(root, 'native', 'generated');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /^ops_\d+\.cc$/.test(f) && Number(f.match(/\d+/)[0]) >= SHARDS).map((f) => `native/generated/${f}`);
}

module.exports = { generate, staleShards };

if (require.main === module) {
  const { model, files } = generate();
  if (process.argv.includes('--check')) {
    const stale = files.filter(([p, s]) => !fs.existsSync(path.join(root, p)) || fs.readFileSync(path.join(root, p), 'utf8') !== s).map(([p]) => p);
    stale.push(...staleShards());
    if (stale.length) {
      console.error(`out of date (run node scripts/codegen/gen.js): ${stale.join(', ')}`);
      process.exit(1);
    }
  } else {
    for (const p of staleShards()) fs.unlinkSync(path.join(root, p));
    for (const [p, s] of files) {
      const abs = path.join(root, p);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      if (!fs.existsSync(abs) || fs.readFileSync(abs, 'utf8') !== s) fs.writeFileSync(abs, s);
    }
  }
  console.log(`generated ${model.ops.length} overloads: ${model.byName.size} functions, ${model.methodNames.length} methods`);
}
