#!/usr/bin/env node
// Serving a 784-256-10 MLP at batch 64 against Node's peer runtime, one run, 1 intra-op thread
// everywhere: onnxruntime-node on the model exported by Python's torch.onnx.export, torch-node's
// torch.jit.load of the same model scripted + optimize_for_inference (sync, forward_async awaited
// one at a time, and 4 in flight), and Python's torch.jit.load of that file. Rounds are
// interleaved (Python, ORT, torch-node, repeated); each figure is the best per-forward time over
// all rounds. Every runtime's output is checked against the eager PyTorch output first.
// onnxruntime-node is a bench-only install, never a dependency of torch-node:
//   (cd bench/ort && npm install --ignore-scripts)
// Usage: node bench/ort.js [rounds]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

let ort;
try {
  ort = require('./ort/node_modules/onnxruntime-node');
} catch (e) {
  console.error('onnxruntime-node is not installed: (cd bench/ort && npm install --ignore-scripts)');
  process.exit(1);
}
const torch = require('../dist');

const ROUNDS = Number(process.argv[2] || 5);
const ITERS = 300;
const BATCH = 64;
const PY = '/usr/bin/python3';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-ort-bench-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

execFileSync(PY, [path.join(__dirname, 'ort_python.py'), 'make', dir], { cwd: os.tmpdir(), stdio: ['ignore', 'ignore', 'inherit'] });
const readF32 = (f) => {
  const b = fs.readFileSync(path.join(dir, f));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const xData = readF32('x.bin');
const yWant = readF32('y.bin');
const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

torch.set_num_threads(1);
torch.set_grad_enabled(false);

async function best(fn, iters) {
  const t0 = process.hrtime.bigint();
  await fn(iters);
  return Number(process.hrtime.bigint() - t0) / 1e6 / iters;
}

(async () => {
  const session = await ort.InferenceSession.create(path.join(dir, 'mlp.onnx'), {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const feeds = { input: new ort.Tensor('float32', xData, [BATCH, 784]) };
  const m = torch.jit.load(path.join(dir, 'mlp_frozen.pt'));
  m.eval();
  const x = torch.tensor(Array.from(xData), { dtype: torch.float32 }).reshape(BATCH, 784);

  const ortOut = (await session.run(feeds)).output.data;
  const tnOut = new Float32Array(m(x).flatten().tolist());
  console.log(`max |output - eager PyTorch|: onnxruntime-node ${maxDiff(ortOut, yWant).toExponential(1)}, torch-node ${maxDiff(tnOut, yWant).toExponential(1)}`);

  // n calls of start(), at most 4 unsettled at a time
  const fourInFlight = async (n, start) => {
    const inflight = [];
    for (let i = 0; i < n; i++) {
      inflight.push(start());
      if (inflight.length === 4) await inflight.shift();
    }
    await Promise.all(inflight);
  };
  const runs = {
    ort: async (n) => { for (let i = 0; i < n; i++) await session.run(feeds); },
    ort4: (n) => fourInFlight(n, () => session.run(feeds)),
    sync: async (n) => { for (let i = 0; i < n; i++) m(x); },
    async: async (n) => { for (let i = 0; i < n; i++) await m.forward_async(x); },
    async4: (n) => fourInFlight(n, () => m.forward_async(x)),
  };
  for (const k of Object.keys(runs)) await runs[k](30);  // warm-up
  const res = { py: Infinity };
  for (const k of Object.keys(runs)) res[k] = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const out = execFileSync(PY, [path.join(__dirname, 'ort_python.py'), 'time', path.join(dir, 'mlp_frozen.pt'), '1', String(ITERS), String(BATCH), '784'],
      { cwd: os.tmpdir(), encoding: 'utf8' });
    res.py = Math.min(res.py, JSON.parse(out).ms);
    for (const k of Object.keys(runs)) res[k] = Math.min(res[k], await best(runs[k], ITERS));
  }
  const names = { ort: 'onnxruntime-node', ort4: 'onnxruntime-node ×4 in flight', sync: 'torch-node sync', async: 'torch-node async',
    async4: 'torch-node async ×4 in flight', py: 'Python torch.jit.load' };
  console.log(`784-256-10 MLP, batch ${BATCH}, 1 intra-op thread, onnxruntime-node ${require('./ort/node_modules/onnxruntime-node/package.json').version}, ` +
    `libtorch ${require('../dist/binding').native._build_info().torch_version}, best of ${ROUNDS} interleaved rounds × ${ITERS}, load average ${os.loadavg()[0].toFixed(1)}`);
  for (const k of ['ort', 'ort4', 'sync', 'async', 'async4', 'py']) {
    console.log(`  ${names[k].padEnd(32)} ${res[k].toFixed(4).padStart(8)} ms/forward ${(BATCH * 1000 / res[k]).toFixed(0).padStart(7)} samples/s  ` +
      `time ratio to ORT ${(res[k] / res.ort).toFixed(2)}`);
  }
})();
