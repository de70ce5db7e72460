// Per-call cost of the native boundary: a trivial native call (x.dim(), and the raw entry point
// native._dim(handle)) timed as the best of several rounds, in nanoseconds per call, beside an
// empty JS function call measured in the same run (their ratio is the figure to compare).
// Usage: node bench/native_call.js [rounds=15] [calls=1000000]
'use strict';
const torch = require('../dist');
const { native } = require('../dist/binding');

const rounds = Number(process.argv[2] || 15);
const calls = Number(process.argv[3] || 1e6);
const x = torch.ones(2, 3);
const h = x._h;

function best(fn) {
  let min = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    const dt = Number(process.hrtime.bigint() - t0) / calls;
    if (dt < min) min = dt;
  }
  return min;
}

let sink = 0;
const noop = (v) => v;
const js = best(() => { for (let i = 0; i < calls; i++) sink += noop(i) & 1; });
const dim = best(() => { for (let i = 0; i < calls; i++) sink += x.dim(); });
const raw = best(() => { for (let i = 0; i < calls; i++) sink += native._dim(h); });
const numel = best(() => { for (let i = 0; i < calls; i++) sink += x.numel(); });
console.log(JSON.stringify({ rounds, calls, ns_per_call: { js_noop: +js.toFixed(2), 'x.dim()': +dim.toFixed(2), 'native._dim(h)': +raw.toFixed(2), 'x.numel()': +numel.toFixed(2) }, ratio_dim_to_js: +(dim / js).toFixed(1), sink: sink > 0 }));
