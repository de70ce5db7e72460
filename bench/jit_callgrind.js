#!/usr/bin/env node
// Instructions per TorchScript forward under valgrind's callgrind, which counts instructions
// executed (all threads), a figure that the machine's load does not move: a C++ torch::jit::load
// loop (bench/cpp/jit_loop.cc), torch-node's sync call and its forward_async (awaited one at a
// time). Each program runs twice, with `lo` and `hi` forwards; the difference divided by the
// forwards added is the cost of one forward, without start-up, model load and warm-up. Models from
// bench/jit_python.py: the 784-256-10 MLP (scripted) at batch 64, where the crossing is a visible
// part, and the ResNet-18-shaped CNN at 64×64 batch 1, where it is not. 1 intra-op thread.
// Needs valgrind (apt-get install valgrind). Slow: several minutes. Never part of the test suite.
// Usage: node bench/jit_callgrind.js [mlp|resnet|all]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');

if (process.argv[2] === 'child') {
  // node bench/jit_callgrind.js child MODEL sync|async forwards d0 d1 ...
  const torch = require('../dist');
  torch.set_num_threads(1);
  torch.set_grad_enabled(false);
  const [file, mode, n, ...shape] = process.argv.slice(3);
  const m = torch.jit.load(file);
  m.eval();
  const x = torch.rand(shape.map(Number));
  (async () => {
    for (let i = 0; i < 3; i++) m(x), await m.forward_async(x);
    if (mode === 'sync') for (let i = 0; i < Number(n); i++) m(x);
    else for (let i = 0; i < Number(n); i++) await m.forward_async(x);
  })();
  return;
}

const { buildLoop } = require('./cpp/build');
const PY = '/usr/bin/python3';
const which = process.argv[2] || 'all';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-callgrind-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
execFileSync(PY, [path.join(__dirname, 'jit_python.py'), 'make', dir], { cwd: os.tmpdir(), stdio: 'inherit' });
const exe = buildLoop('jit_loop');

/** Total instructions callgrind counted for one run of `cmd args`. */
function instructions(cmd, args) {
  const out = path.join(dir, 'callgrind.out');
  const r = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, '--smc-check=all-non-file', cmd, ...args],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 64 << 20 });
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`valgrind ${cmd} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return Number(m[1]);
}

const cases = [
  { key: 'mlp', name: 'mlp 784-256-10 b64 (scripted)', file: 'mlp_scripted.pt', shape: [64, 784], lo: 10, hi: 60 },
  { key: 'resnet', name: 'resnet18 64x64 b1', file: 'resnet18.pt', shape: [1, 3, 64, 64], lo: 1, hi: 4 },
].filter((c) => which === 'all' || which === c.key);

console.log(`callgrind instructions per forward, 1 intra-op thread, libtorch ${require('../dist/binding').native._build_info().torch_version}`);
for (const c of cases) {
  const file = path.join(dir, c.file);
  // jit_loop runs 3 warm-up forwards and 5 rounds of `iters`
  const cpp = (instructions(exe, [file, '1', String(c.hi), ...c.shape.map(String)]) - instructions(exe, [file, '1', String(c.lo), ...c.shape.map(String)])) / (5 * (c.hi - c.lo));
  const node = (mode) => (instructions(process.execPath, [__filename, 'child', file, mode, String(5 * c.hi), ...c.shape.map(String)]) -
    instructions(process.execPath, [__filename, 'child', file, mode, String(5 * c.lo), ...c.shape.map(String)])) / (5 * (c.hi - c.lo));
  const sync = node('sync');
  const asy = node('async');
  const f = (v) => `${(v / 1e6).toFixed(3)} M`;
  console.log(`${c.name}\n  C++ ${f(cpp)}  node sync ${f(sync)} (×${(sync / cpp).toFixed(3)}, +${((sync - cpp) / 1e3).toFixed(1)} k)` +
    `  node async ${f(asy)} (×${(asy / cpp).toFixed(3)}, +${((asy - cpp) / 1e3).toFixed(1)} k)`);
}
