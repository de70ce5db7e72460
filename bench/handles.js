#!/usr/bin/env node
// Handle designs for tensors crossing to JS, measured on the same op (a.add(b), 4 elements):
//   arena GC          production: integer handle + one GC token per ~64 tensors (lib/tensor.ts)
//   arena + dispose   production with explicit dispose()
//   tidy              production inside torch.tidy (batches of 1000)
//   external/tensor   one native object with a GC finalizer per tensor
//   FinalizationReg.  integer handle registered per tensor with a FinalizationRegistry
// The designs' entry points (bench/native/bench_ops.cc) are not in the production addon: build
// them in with `node scripts/build-native.js --bench` (into build-bench/), after `npm run setup`.
// Run: node bench/handles.js [iterations]. Prints ns per op.
'use strict';
const fs = require('fs');
const path = require('path');

const benchBinary = path.join(__dirname, '..', 'build-bench', 'Release', 'torch_node.node');
if (!process.env.TORCH_NODE_BINARY) {
  if (!fs.existsSync(benchBinary)) {
    console.error('bench/handles.js needs the addon with bench/native compiled in: node scripts/build-native.js --bench');
    process.exit(1);
  }
  process.env.TORCH_NODE_BINARY = benchBinary;
}
const torch = require('../dist');
const { native } = require('../dist/binding');
const { Tensor } = require('../dist/tensor'); // wraps a native handle (torch.Tensor(n) is the legacy constructor)

const N = Number(process.argv[2] || 300000);
const a = torch.rand(4);
const b = torch.rand(4);
const reg = new FinalizationRegistry((h) => native._bench_free_table(h));

function time(f) {
  f(Math.floor(N / 10));
  const t0 = process.hrtime.bigint();
  f(N);
  return Number(process.hrtime.bigint() - t0) / N;
}

const designs = {
  'arena GC': (n) => { for (let i = 0; i < n; i++) new Tensor(native._bench_add(a._h, b._h)); },
  'arena + dispose': (n) => { for (let i = 0; i < n; i++) new Tensor(native._bench_add(a._h, b._h)).dispose(); },
  'tidy': (n) => {
    for (let i = 0; i < n; i += 1000) torch.tidy(() => { for (let j = 0; j < 1000; j++) new Tensor(native._bench_add(a._h, b._h)); });
  },
  'external/tensor': (n) => { for (let i = 0; i < n; i++) native._bench_add_external(a._h, b._h); },
  'FinalizationReg.': (n) => {
    for (let i = 0; i < n; i++) { const h = native._bench_add_table(a._h, b._h); const o = { _h: h }; reg.register(o, h); }
  },
};

function main() {
  const out = {};
  for (const [k, f] of Object.entries(designs)) out[k] = time(f);
  return out;
}
module.exports = { main };
if (require.main === module) {
  const r = main();
  for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(18)} ${v.toFixed(0).padStart(6)} ns/op`);
}
