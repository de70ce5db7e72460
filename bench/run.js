#!/usr/bin/env node
// One run, side by side on the same libtorch: a C++ loop, Python PyTorch (Debian's
// /usr/bin/python3) and torch-node, for a.add(b) and torch.relu(x) on 4-element tensors and
// x.matmul(w) at 64×64. torch-node is measured GC-managed, with explicit dispose, and inside
// tidy(). Prints ns per call and ratios to Python. Never part of the test suite.
// Usage: npm run bench   (or node bench/run.js [iterations])
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const { execFileSync } = require('child_process');
const torch = require('../dist');
const { find } = require('../scripts/find-libtorch');

const N = Number(process.argv[2] || 200000);
const root = path.join(__dirname, '..');

function cppLoop() {
  const lt = find();
  const src = path.join(__dirname, 'cpp', 'ops_loop.cc');
  const exe = path.join(root, 'build', 'bench', 'ops_loop');
  if (!fs.existsSync(exe) || fs.statSync(exe).mtimeMs < fs.statSync(src).mtimeMs) {
    fs.mkdirSync(path.dirname(exe), { recursive: true });
    execFileSync('g++', ['-O2', '-std=c++17', src, '-o', exe, ...lt.include.map((d) => `-I${d}`), `-L${lt.libdir}`,
      `-Wl,-rpath,${lt.libdir}`, '-ltorch', '-ltorch_cpu', '-lc10'], { stdio: 'inherit' });
  }
  return JSON.parse(execFileSync(exe, [String(N)], { encoding: 'utf8' }));
}

function python() {
  try {
    return JSON.parse(execFileSync('/usr/bin/python3', [path.join(__dirname, 'python_ops.py'), String(N)], { encoding: 'utf8' }));
  } catch (e) {
    console.error('Python PyTorch not available (/usr/bin/python3 with torch): apt-get install python3-torch');
    return null;
  }
}

function time(f, n) {
  f(Math.max(1, Math.floor(n / 10)));
  const t0 = process.hrtime.bigint();
  f(n);
  return Number(process.hrtime.bigint() - t0) / n;
}

function node() {
  torch.set_num_threads?.(1);
  const a = torch.rand(4);
  const b = torch.rand(4);
  const x = torch.rand(64, 64);
  const w = torch.rand(64, 64);
  const ops = {
    add: () => a.add(b),
    relu: () => torch.relu(a),
    matmul64: () => x.matmul(w),
  };
  const out = {};
  for (const [k, op] of Object.entries(ops)) {
    const n = k === 'matmul64' ? Math.floor(N / 10) : N;
    out[k] = {
      gc: time((m) => { for (let i = 0; i < m; i++) op(); }, n),
      dispose: time((m) => { for (let i = 0; i < m; i++) op().dispose(); }, n),
      tidy: time((m) => { for (let i = 0; i < m; i += 1000) torch.tidy(() => { for (let j = 0; j < 1000; j++) op(); }); }, n),
    };
  }
  return out;
}

// Each timing is the fastest of ROUNDS rounds that interleave C++, Python and torch-node, so that
// a shared machine's changing load hits all three alike (the minimum is the least disturbed run).
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);

function minOf(runs) {
  if (runs.some((r) => r === null)) return null;
  const out = JSON.parse(JSON.stringify(runs[0]));
  const walk = (o, path) => {
    for (const k of Object.keys(o)) {
      if (typeof o[k] === 'number') o[k] = Math.min(...runs.map((r) => path.concat(k).reduce((x, p) => x[p], r)));
      else if (o[k] && typeof o[k] === 'object') walk(o[k], path.concat(k));
    }
  };
  walk(out, []);
  return out;
}

function main() {
  const runs = { cpp: [], py: [], js: [] };
  for (let r = 0; r < ROUNDS; r++) {
    runs.cpp.push(cppLoop());
    runs.py.push(python());
    runs.js.push(node());
  }
  const cpp = minOf(runs.cpp);
  const py = minOf(runs.py);
  const js = minOf(runs.js);
  const cpu = os.cpus()[0].model;
  console.log(`torch-node bench — ${new Date().toISOString().slice(0, 10)}, ${cpu}, ${os.cpus().length} cores, libtorch ${find().version}, Node ${process.version}${py ? `, PyTorch ${py.version}` : ''}`);
  console.log(`ns per call, fastest of ${ROUNDS} interleaved rounds (ratio to Python; goals: dispose/tidy <= 0.75x, GC <= 1.5x)`);
  console.log('op         C++      Python   node GC          node dispose     node tidy');
  for (const k of ['add', 'relu', 'matmul64']) {
    const r = (v) => (py ? ` (${(v / py[k]).toFixed(2)}x)` : '');
    const f = (v) => v.toFixed(0).padStart(7);
    console.log(`${k.padEnd(9)} ${f(cpp[k])}  ${py ? f(py[k]) : '    n/a'}  ${f(js[k].gc)}${r(js[k].gc).padEnd(9)} ${f(js[k].dispose)}${r(js[k].dispose).padEnd(9)} ${f(js[k].tidy)}${r(js[k].tidy)}`);
  }
  return { cpp, py, js };
}
module.exports = { main };
if (require.main === module) main();
