#!/usr/bin/env node
// TorchScript forward, one run, side by side on the same libtorch: Python's torch.jit.load
// (/usr/bin/python3), a C++ torch::jit::load loop (bench/cpp/jit_loop.cc) and torch-node's
// torch.jit.load, sync and forward_async (awaited one at a time, and 4 in flight). The models are
// built by bench/jit_python.py (no download): a ResNet-18-shaped CNN (traced) at 64×64, batch 1
// and 32, and a 784-256-10 MLP (scripted, frozen + optimize_for_inference) at batch 64. Rounds are
// interleaved (Python, C++, torch-node, repeated); each figure is the best per-forward time over
// all rounds. Same intra-op thread count everywhere, gradients off everywhere. Never part of the
// test suite. Usage: node bench/jit.js [rounds]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const torch = require('../dist');
const { buildLoop } = require('./cpp/build');

const ROUNDS = Number(process.argv[2] || 3);
const PY = '/usr/bin/python3';
const threads = torch.get_num_threads();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-jit-bench-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

execFileSync(PY, [path.join(__dirname, 'jit_python.py'), 'make', dir], { cwd: os.tmpdir(), stdio: 'inherit' });
const exe = buildLoop('jit_loop');

const cases = [
  { name: 'resnet18 64x64 b1', file: 'resnet18.pt', shape: [1, 3, 64, 64], iters: 10 },
  { name: 'resnet18 64x64 b32', file: 'resnet18.pt', shape: [32, 3, 64, 64], iters: 2 },
  { name: 'mlp 784-256-10 b64 (frozen+optimized)', file: 'mlp.pt', shape: [64, 784], iters: 300 },
  { name: 'mlp 784-256-10 b64 (scripted)', file: 'mlp_scripted.pt', shape: [64, 784], iters: 300 },
];

torch.set_grad_enabled(false);

async function nodeRound(c, m, x) {
  const best = { sync: Infinity, async: Infinity, async4: Infinity };
  for (let r = 0; r < 3; r++) {
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < c.iters; i++) m(x);
    best.sync = Math.min(best.sync, Number(process.hrtime.bigint() - t0) / 1e6 / c.iters);
    t0 = process.hrtime.bigint();
    for (let i = 0; i < c.iters; i++) await m.forward_async(x);
    best.async = Math.min(best.async, Number(process.hrtime.bigint() - t0) / 1e6 / c.iters);
    t0 = process.hrtime.bigint();
    const inflight = [];
    for (let i = 0; i < c.iters; i++) {
      inflight.push(m.forward_async(x));
      if (inflight.length === 4) await inflight.shift();
    }
    await Promise.all(inflight);
    best.async4 = Math.min(best.async4, Number(process.hrtime.bigint() - t0) / 1e6 / c.iters);
  }
  return best;
}

(async () => {
  console.log(`torch-node on libtorch ${require('../dist/binding').native._build_info().torch_version}, ${threads} intra-op threads, ${ROUNDS} interleaved rounds, load average ${os.loadavg()[0].toFixed(1)}`);
  for (const c of cases) {
    const file = path.join(dir, c.file);
    const m = torch.jit.load(file);
    m.eval();
    const x = torch.rand(c.shape);
    for (let i = 0; i < 3; i++) m(x);
    const res = { py: Infinity, cpp: Infinity, sync: Infinity, async: Infinity, async4: Infinity };
    for (let r = 0; r < ROUNDS; r++) {
      const args = [file, String(threads), String(c.iters), ...c.shape.map(String)];
      res.py = Math.min(res.py, JSON.parse(execFileSync(PY, [path.join(__dirname, 'jit_python.py'), 'time', ...args], { cwd: os.tmpdir(), encoding: 'utf8' })).ms);
      res.cpp = Math.min(res.cpp, JSON.parse(execFileSync(exe, args, { encoding: 'utf8' })).ms);
      const n = await nodeRound(c, m, x);
      for (const k of ['sync', 'async', 'async4']) res[k] = Math.min(res[k], n[k]);
    }
    const f = (v) => v.toFixed(3).padStart(9);
    const r = (v) => (v / res.cpp).toFixed(2);
    console.log(`${c.name}\n  ms/forward: C++ ${f(res.cpp)}  Python ${f(res.py)}  node sync ${f(res.sync)}  node async ${f(res.async)}  node async×4 ${f(res.async4)}` +
      `\n  ratio to C++: Python ${r(res.py)}  node sync ${r(res.sync)}  node async ${r(res.async)}  node async×4 ${r(res.async4)}`);
  }
})();
