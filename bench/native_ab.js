'use strict';
// Usage: node bench/native_ab.js BASE.node NEW.node [rounds=30]
// Loads two builds of the addon (say, before and after a change to native/common) into one process and times the raw `_dim(handle)` entry
// point of each in alternating rounds (best of N): the cost of the native boundary itself.
const os = require('os');
function load(file) {
  const m = { exports: {} };
  process.dlopen(m, file, os.constants.dlopen.RTLD_NOW);
  const n = m.exports;
  class TorchError extends Error {}
  n._init({ TorchError, TypeError, RangeError, shared: new Int32Array(4) });
  n._arena_token();
  const h = n._from_buffer(new Float32Array(6), [2, 3], 6, true);
  return { n, h };
}
const A = load(process.argv[2]);
const B = load(process.argv[3]);
const calls = 200000, rounds = Number(process.argv[4] || 30);
let sink = 0;
function time({ n, h }) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) sink += n._dim(h);
  return Number(process.hrtime.bigint() - t0) / calls;
}
const best = { base: Infinity, new: Infinity }, all = { base: [], new: [] };
for (let r = 0; r < rounds; r++) {
  const a = time(A), b = time(B);
  all.base.push(a); all.new.push(b);
  best.base = Math.min(best.base, a); best.new = Math.min(best.new, b);
}
const med = (v) => v.slice().sort((x, y) => x - y)[v.length >> 1];
console.log(JSON.stringify({ calls, rounds, best_ns: { base: +best.base.toFixed(1), new: +best.new.toFixed(1) }, median_ns: { base: +med(all.base).toFixed(1), new: +med(all.new).toFixed(1) }, sink: sink > 0 }));
