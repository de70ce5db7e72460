#!/usr/bin/env node
// DataLoader throughput with 0, 1 and 2 worker threads, side by side with Python PyTorch's
// DataLoader (worker processes) on the same work in the same run, plus the cost of moving a 1 MiB
// tensor between threads by handle versus by copying its bytes. Never part of the test suite.
//
// The dataset: 3×32×32 "images" made from their index, randomly cropped (pad 4) and flipped (the
// random numbers come from the worker's generator), then blurred with a 3×3 box filter PASSES
// times in a plain JS loop: about 2 ms of CPU per item, as a JS image augmentation costs. Python
// runs the same algorithm (bench/dataloader.py) with its pass count calibrated to the same 2 ms.
// Batches of 64; each configuration runs ROUNDS times, interleaved, and the best round counts.
// Usage: node bench/dataloader.js [items=1024] [rounds=3]
'use strict';
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { Worker } = require('worker_threads');
const torch = require('../dist');
const { native } = require('../dist/binding');
const { Tensor } = require('../dist/tensor'); // wraps a native handle (torch.Tensor(n) is the legacy constructor)

const C = 3, H = 32, W = 32, PAD = 4;

/** Blurs a C×H×W image `passes` times (3×3 box filter, edges clamped). */
function blur(img, passes) {
  let a = img, b = new Float32Array(img.length);
  for (let p = 0; p < passes; p++) {
    for (let c = 0; c < C; c++) {
      const o = c * H * W;
      for (let y = 0; y < H; y++) {
        const y0 = y > 0 ? y - 1 : 0, y1 = y < H - 1 ? y + 1 : H - 1;
        for (let x = 0; x < W; x++) {
          const x0 = x > 0 ? x - 1 : 0, x1 = x < W - 1 ? x + 1 : W - 1;
          b[o + y * W + x] = (a[o + y0 * W + x0] + a[o + y0 * W + x] + a[o + y0 * W + x1] + a[o + y * W + x0] + a[o + y * W + x] +
            a[o + y * W + x1] + a[o + y1 * W + x0] + a[o + y1 * W + x] + a[o + y1 * W + x1]) / 9;
        }
      }
    }
    const t = a; a = b; b = t;
  }
  return a;
}

class AugmentDataset extends torch.utils.data.Dataset {
  constructor(n, passes) {
    super();
    this.n = n;
    this.passes = passes;
  }
  __len__() { return this.n; }
  __getitem__(i) {
    // The source image: a deterministic function of i.
    const src = new Float32Array(C * (H + 2 * PAD) * (W + 2 * PAD));
    let s = (i * 2654435761) >>> 0;
    for (let k = 0; k < src.length; k++) { s = (s * 1664525 + 1013904223) >>> 0; src[k] = s / 4294967296; }
    const dy = Number(torch.randint(0, 2 * PAD + 1, []).item());
    const dx = Number(torch.randint(0, 2 * PAD + 1, []).item());
    const flip = torch.rand([]).item() < 0.5;
    const img = new Float32Array(C * H * W);
    const SW = W + 2 * PAD, SH = H + 2 * PAD;
    for (let c = 0; c < C; c++) {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) img[c * H * W + y * W + x] = src[c * SH * SW + (y + dy) * SW + (flip ? W - 1 - x : x) + dx];
      }
    }
    return [torch.tensor(blur(img, this.passes)).reshape(C, H, W), i % 10];
  }
}
module.exports = { AugmentDataset };

/** ms per item with `passes` blur passes (best of 3 runs of 32 items, after a warm-up). */
function perItem(passes) {
  const ds = new AugmentDataset(32, passes);
  let best = Infinity;
  for (let r = 0; r < 4; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 32; i++) ds.__getitem__(i);
    if (r > 0) best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6 / 32);
  }
  return best;
}

/** Passes of the blur that make one item cost about `ms` on this thread. */
function calibrate(ms) {
  const base = perItem(0);
  const one = (perItem(20) - base) / 20;
  return Math.max(1, Math.round((ms - base) / one));
}

/**
 * One epoch: samples/s, and CPU ms per sample of the whole process (all its threads: a load-
 * independent view of the workers' overhead). `loader` given: a persistent loader.
 */
function epoch(ds, nw, loader) {
  loader = loader ?? new torch.utils.data.DataLoader(ds, { batch_size: 64, num_workers: nw, shuffle: true });
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let n = 0;
  for (const [x] of loader) n += x.shape[0];
  const rate = n / (Number(process.hrtime.bigint() - t0) / 1e9);
  const c = process.cpuUsage(c0);
  return { rate, cpu: (c.user + c.system) / 1e3 / n };
}

/** Round trip of a 1 MiB float32 tensor from a worker thread to this one (µs, best of 5 × reps). */
async function transfer(reps) {
  const src = `
    const { parentPort } = require('worker_threads');
    const torch = require(${JSON.stringify(path.join(__dirname, '..', 'dist'))});
    const { native } = require(${JSON.stringify(path.join(__dirname, '..', 'dist', 'binding'))});
    const t = torch.rand(262144);
    parentPort.on('message', (mode) => {
      if (mode === 'stop') return process.exit(0);
      if (mode === 'handle') parentPort.postMessage(native._tensor_park(t._h, 424242));
      else { const a = t.to_typed_array(); parentPort.postMessage(a, [a.buffer]); }
    });`;
  const w = new Worker(src, { eval: true });
  const ask = (mode) => new Promise((res) => { w.once('message', res); w.postMessage(mode); });
  const out = {};
  for (const mode of ['handle', 'copy', 'handle', 'copy']) {
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < reps; k++) {
        const m = await ask(mode);
        const t = mode === 'handle' ? new Tensor(native._tensor_unpark(m)) : torch.tensor(m);
        t.dispose();
      }
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e3 / reps);
    }
    out[mode] = Math.min(out[mode] ?? Infinity, best);
  }
  w.postMessage('stop');
  return out;
}

async function main() {
  const items = Number(process.argv[2] || 1024);
  const rounds = Number(process.argv[3] || 3);
  const passes = calibrate(2);
  const ds = new AugmentDataset(items, passes);
  const ms = perItem(passes);
  const node = { 0: 0, 1: 0, 2: 0, p2: 0 };
  const cpu = { 0: Infinity, 1: Infinity, 2: Infinity, p2: Infinity };
  const keep = (k, r) => { node[k] = Math.max(node[k], r.rate); cpu[k] = Math.min(cpu[k], r.cpu); };
  const persistent = new torch.utils.data.DataLoader(ds, { batch_size: 64, num_workers: 2, shuffle: true, persistent_workers: true });
  epoch(ds, 2, persistent);  // starts its workers
  for (let r = 0; r < rounds; r++) {
    for (const nw of [0, 1, 2]) keep(nw, epoch(ds, nw));
    keep('p2', epoch(ds, 2, persistent));
  }
  let py = null;
  try {
    py = JSON.parse(execFileSync('/usr/bin/python3', [path.join(__dirname, 'dataloader.py'), String(items), String(rounds)], { encoding: 'utf8', cwd: '/tmp' }));
  } catch (e) {
    console.error('Python PyTorch not available (/usr/bin/python3 with torch):', e.message.split('\n')[0]);
  }
  const tr = await transfer(200);
  const f = (v) => v.toFixed(0).padStart(7);
  console.log(`DataLoader, ${items} items of ~2 ms CPU each, batch 64, best of ${rounds} (samples/s):`);
  const rows = (r, c) => {
    for (const nw of ['0', '1', '2', 'p2']) {
      const label = nw === 'p2' ? 'num_workers=2, persistent (epochs after the first)' : nw === '0' ? 'num_workers=0' : `num_workers=${nw} (workers started each epoch)`;
      console.log(`    ${label.padEnd(52)} ${f(r[nw])}   ×${(r[nw] / r[0]).toFixed(2)} vs 0 workers${c ? `   CPU ${c[nw].toFixed(2)} ms/sample` : ''}`);
    }
  };
  console.log(`  (${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)} at the end)`);
  console.log(`  torch-node (worker threads): ${ms.toFixed(2)} ms/item (${passes} blur passes)`);
  rows(node, cpu);
  if (py) {
    console.log(`  Python PyTorch ${py.version} (worker processes): ${py.per_item_ms.toFixed(2)} ms/item (${py.passes} blur passes)`);
    rows(py.rates);
  }
  console.log(`1 MiB float32 tensor from a worker thread (round trip, µs): by handle ${tr.handle.toFixed(0)}, copying the bytes ${tr.copy.toFixed(0)} (×${(tr.copy / tr.handle).toFixed(1)})`);
  native._tensor_drop_group(424242);
}

if (require.main === module) main();
