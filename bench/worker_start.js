#!/usr/bin/env node
// What starting DataLoader workers costs per epoch (num_workers 2, not persistent): the process's
// CPU time (all threads) and the wall time to the first batch, for an epoch of a trivial dataset,
// so that start-up is nearly all of it. The first epoch's workers compile torch-node's JavaScript
// and make V8's code cache of it; later epochs' workers compile from that cache
// (lib/utils/data/_utils/code_cache.ts). Reports the first epoch and the median of the later ones.
// Never part of the test suite. Usage: node bench/worker_start.js [epochs=9]
'use strict';
const os = require('os');
const torch = require('../dist');
const { Dataset, DataLoader } = torch.utils.data;

class Tiny extends Dataset {
  __len__() { return 4; }
  __getitem__(i) { return i; }
}
module.exports = { Tiny };

if (require.main === module) {
  const epochs = Number(process.argv[2] || 9);
  const dl = new DataLoader(new Tiny(), { batch_size: 2, num_workers: 2 });
  const rows = [];
  for (let e = 0; e < epochs; e++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let first = null;
    for (const b of dl) if (first === null) first = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    rows.push({ cpu: (c.user + c.system) / 1e3, first });
  }
  const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
  const later = rows.slice(1);
  console.log(`2 workers per epoch, ${epochs} epochs, load average ${os.loadavg()[0].toFixed(1)}`);
  console.log(`  first epoch:  CPU ${rows[0].cpu.toFixed(0)} ms, first batch after ${rows[0].first.toFixed(0)} ms`);
  console.log(`  later epochs: CPU ${med(later.map((r) => r.cpu)).toFixed(0)} ms, first batch after ${med(later.map((r) => r.first)).toFixed(0)} ms (medians)`);
  console.log(`  ratio later/first: CPU ${(med(later.map((r) => r.cpu)) / rows[0].cpu).toFixed(2)}, first batch ${(med(later.map((r) => r.first)) / rows[0].first).toFixed(2)}`);
}
