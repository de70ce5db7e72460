#!/usr/bin/env node
// int8 (dynamic quantization) against fp32, torch-node next to Python PyTorch measured in the same
// run on the same engine and thread count: Linear 64×512→256, and LSTM(512, 512) over 50 steps,
// batch 32. Latency is the best of 5 runs of the mean over `reps` calls; weight bytes are the
// state_dict's tensor bytes. Usage: node bench/quantized.js [reps=20]
'use strict';
const path = require('path');
const { execFileSync } = require('child_process');
const torch = require(path.join(__dirname, '..', 'dist'));

const reps = Number(process.argv[2] || 20);
const threads = torch.get_num_threads();
const engine = torch.backends.quantized.engine;
const dyn = torch.ao.nn.quantized.dynamic;

function timeit(f, n) {
  for (let i = 0; i < Math.max(3, n / 10); i++) torch.tidy(f);
  let best = Infinity;
  for (let k = 0; k < 5; k++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) torch.tidy(f);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e3 / n);
  }
  return best;
}
const bytes = (v) => (v instanceof torch.Tensor ? v.numel() * v.element_size() : Array.isArray(v) ? v.reduce((s, x) => s + bytes(x), 0) : 0);
const sdBytes = (sd) => Object.values(sd).reduce((s, v) => s + bytes(v), 0);

const out = {};
{
  const w = torch.randn([256, 512]).mul(0.05);
  const b = torch.randn([256]).mul(0.05);
  const x = torch.randn([64, 512]);
  const q = dyn.Linear.from_float({ in_features: 512, out_features: 256, weight: w, bias: b });
  out.linear = {
    fp32_us: timeit(() => torch._nn.linear(x, w, b), reps * 10),
    int8_us: timeit(() => q(x), reps * 10),
    fp32_bytes: bytes([w, b]),
    int8_bytes: sdBytes(q.state_dict()),
  };
}
{
  const H = 512;
  const p = { input_size: 512, hidden_size: H, num_layers: 1, bias: true, batch_first: false, dropout: 0, bidirectional: false,
    weight_ih_l0: torch.randn([4 * H, 512]).mul(0.04), weight_hh_l0: torch.randn([4 * H, H]).mul(0.04),
    bias_ih_l0: torch.randn([4 * H]).mul(0.04), bias_hh_l0: torch.randn([4 * H]).mul(0.04) };
  const params = [p.weight_ih_l0, p.weight_hh_l0, p.bias_ih_l0, p.bias_hh_l0];
  const xs = torch.randn([50, 32, 512]);
  const h0 = torch.zeros([1, 32, H]);
  const q = dyn.LSTM.from_float(p);
  // The cell state repeats each bias once (as PyTorch's CellParams do); count the packed weights
  // and the biases once, as the Python side does.
  // (The param is a ScriptObject wrapper, as in PyTorch; its state holds the tensors.)
  const cell = q.state_dict()['_all_weight_values.0.param'].state;
  const sd = [cell[0], cell[1], cell[2], cell[3], cell[4].map((so) => so.state)];
  out.lstm = {
    fp32_us: timeit(() => torch.lstm(xs, [h0, h0], params, true, 1, 0, false, false, false), reps),
    int8_us: timeit(() => q(xs), reps),
    fp32_bytes: bytes(params),
    int8_bytes: bytes(sd[1]) + bytes(sd[4].map((wb) => wb[0])),
  };
}

// torch.save'd state_dict file sizes (what a deployment ships).
{
  const os = require('os');
  const fs = require('fs');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-q-'));
  const fileBytes = (sd) => {
    const f = path.join(tmp, 'sd.pt');
    torch.save(sd, f);
    return fs.statSync(f).size;
  };
  out.linear.fp32_file = fileBytes(new torch.nn.Sequential(new torch.nn.Linear(512, 256)).state_dict());
  out.linear.int8_file = fileBytes(torch.quantization.quantize_dynamic(new torch.nn.Sequential(new torch.nn.Linear(512, 256))).state_dict());
  out.lstm.fp32_file = fileBytes(new torch.nn.Sequential(new torch.nn.LSTM(512, 512)).state_dict());
  out.lstm.int8_file = fileBytes(torch.quantization.quantize_dynamic(new torch.nn.Sequential(new torch.nn.LSTM(512, 512))).state_dict());
  fs.rmSync(tmp, { recursive: true, force: true });
}

let py = null;
try {
  py = JSON.parse(execFileSync('/usr/bin/python3', [path.join(__dirname, 'quantized.py'), String(threads), engine, String(reps)], { encoding: 'utf8' }));
} catch (e) {
  console.error(`(Python PyTorch not measured: ${e.message.split('\n')[0]})`);
}

const f = (v) => v.toFixed(1).padStart(9);
console.log(`engine=${engine} threads=${threads} reps=${reps}`);
console.log('case                      torch-node µs   python µs   node/py');
for (const [name, label] of [['linear', 'Linear 64×512→256'], ['lstm', 'LSTM(512,512) T=50 B=32']]) {
  for (const kind of ['fp32', 'int8']) {
    const n = out[name][`${kind}_us`];
    const p = py ? py[name][`${kind}_us`] : NaN;
    console.log(`${(label + ' ' + kind).padEnd(30)}${f(n)}   ${f(p)}   ${(n / p).toFixed(2).padStart(6)}`);
  }
  const r = out[name];
  console.log(`  int8 speed-up over fp32: torch-node ${(r.fp32_us / r.int8_us).toFixed(2)}×` +
    (py ? `, python ${(py[name].fp32_us / py[name].int8_us).toFixed(2)}×` : ''));
  console.log(`  weight bytes: fp32 ${r.fp32_bytes}, int8 ${r.int8_bytes} (${(r.fp32_bytes / r.int8_bytes).toFixed(2)}× smaller)` +
    (py ? `; python fp32 ${py[name].fp32_bytes}, int8 ${py[name].int8_bytes}` : ''));
  console.log(`  torch.save'd state_dict file: fp32 ${r.fp32_file}, int8 ${r.int8_file} bytes (${(r.fp32_file / r.int8_file).toFixed(2)}× smaller)`);
}
