#!/usr/bin/env node
// Concurrent forward_async: throughput with 1 and 2 requests in flight, against the sync forward,
// with torch.set_num_threads(N) (default 1). Also the CPU time per forward and the process's thread
// count, which show whether the libuv pool threads use the intra-op thread count the user set.
// Usage: node bench/serving_threads.js [threads=1] [requests=400] [rounds=5]   (after npm run build)
'use strict';
const fs = require('fs');
const path = require('path');
const torch = require(path.join(__dirname, '..', 'dist'));
const nn = torch.nn;

const threads = Number(process.argv[2] || 1);
const requests = Number(process.argv[3] || 400);
const rounds = Number(process.argv[4] || 5);
torch.set_num_threads(threads);
torch.manual_seed(0);

// A small CNN on 28x28 inputs, batch 8: enough work per request that intra-op threads matter.
const model = new nn.Sequential(
  new nn.Conv2d(1, 16, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
  new nn.Conv2d(16, 32, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
  new nn.Flatten(), new nn.Linear(32 * 7 * 7, 10)).eval();
const x = torch.randn(8, 1, 28, 28);

const osThreads = () => Number(/Threads:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);

async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { rps: requests / wall, cpuMsPerForward: (c.user + c.system) / 1000 / requests };
}

const sync = () => timed(async () => {
  torch.no_grad(() => { for (let i = 0; i < requests; i++) model(x).dispose(); });
});
const inFlight = (k) => timed(async () => {
  let next = 0;
  const lane = async () => { while (next++ < requests) (await model.forward_async(x)).dispose(); };
  await Promise.all(Array.from({ length: k }, lane));
});

(async () => {
  await model.forward_async(x);  // warm: traces and compiles the graph once
  const best = { sync: null, async1: null, async2: null };
  for (let r = 0; r < rounds; r++) {
    for (const [k, f] of [['sync', sync], ['async1', () => inFlight(1)], ['async2', () => inFlight(2)]]) {
      const m = await f();
      if (!best[k] || m.rps > best[k].rps) best[k] = m;
    }
  }
  const fmt = (m) => `${m.rps.toFixed(0)} req/s, ${m.cpuMsPerForward.toFixed(2)} ms CPU/forward`;
  console.log(`set_num_threads(${threads}), ${requests} requests, best of ${rounds} rounds; ${osThreads()} OS threads now`);
  console.log(`  sync          ${fmt(best.sync)}`);
  console.log(`  async, 1      ${fmt(best.async1)}  (${(best.async1.rps / best.sync.rps).toFixed(2)}x sync)`);
  console.log(`  async, 2      ${fmt(best.async2)}  (${(best.async2.rps / best.async1.rps).toFixed(2)}x async 1)`);
})();
