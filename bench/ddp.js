#!/usr/bin/env node
// DistributedDataParallel over Gloo on loopback, never part of the test suite.
//  1. Step time (forward + backward with gradient all_reduce + SGD step) of the demo network
//     (examples/demo/train.js: Conv-BN-ReLU-Pool ×2, Linear 1568→128→10; 0.83 MB of parameters)
//     at world size 1, 2 and 4, 64 images per rank.
//  2. How much of the all_reduce hides behind backward: backward time with buckets all-reduced as
//     they fill (DDP's normal mode) vs all-reduced only after backward ended (_set_overlap(false)),
//     for the demo network and for a wider MLP (784→1024→1024→1024→10, 11.6 MB, bucket_cap_mb 1:
//     several buckets after the rebuild).
// Each rank runs single-threaded (OMP_NUM_THREADS=1, as torchrun sets). Medians over rounds that
// alternate the two modes. Usage: node bench/ddp.js [steps=30]
'use strict';
const { spawn } = require('child_process');
const net = require('net');
const os = require('os');

const STEPS = Number((process.argv[2] === '--worker' ? process.argv[6] : process.argv[2]) || 30);

function makeDemoNet(torch) {
  const { nn } = torch;
  class Net extends nn.Module {
    constructor() {
      super();
      this.conv1 = new nn.Conv2d(1, 16, 3, { padding: 1 });
      this.bn1 = new nn.BatchNorm2d(16);
      this.conv2 = new nn.Conv2d(16, 32, 3, { padding: 1 });
      this.bn2 = new nn.BatchNorm2d(32);
      this.pool = new nn.MaxPool2d(2);
      this.relu = new nn.ReLU();
      this.fc1 = new nn.Linear(32 * 7 * 7, 128);
      this.fc2 = new nn.Linear(128, 10);
    }
    forward(x) {
      x = this.pool(this.relu(this.bn1(this.conv1(x))));
      x = this.pool(this.relu(this.bn2(this.conv2(x))));
      return this.fc2(this.relu(this.fc1(torch.flatten(x, 1))));
    }
  }
  return new Net();
}

function makeMLP(torch) {
  const { nn } = torch;
  return new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 1024), new nn.ReLU(), new nn.Linear(1024, 1024), new nn.ReLU(),
    new nn.Linear(1024, 1024), new nn.ReLU(), new nn.Linear(1024, 10));
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };

function worker() {
  const torch = require('../dist');
  const { nn, distributed: dist } = torch;
  const [, , , port, rankS, worldS] = process.argv; // [.., '--worker', port, rank, world, steps]
  const rank = Number(rankS), world = Number(worldS);
  dist.init_process_group('gloo', { init_method: `tcp://127.0.0.1:${port}`, rank, world_size: world, timeout: 120 });
  const out = {};
  for (const [name, make, cap] of [['demo', makeDemoNet, 25], ['mlp', makeMLP, 1]]) {
    torch.manual_seed(rank);
    const model = make(torch);
    const ddp = new nn.parallel.DistributedDataParallel(model, { bucket_cap_mb: cap });
    const opt = new torch.optim.SGD(ddp.parameters(), { lr: 0.01 });
    const x = torch.randn([64, 1, 28, 28]);
    const y = torch.randint(0, 10, [64]);
    const step = (timeBackward) => torch.tidy(() => {
      opt.zero_grad();
      const loss = nn.functional.cross_entropy(ddp(x), y);
      const t0 = process.hrtime.bigint();
      loss.backward();
      const t1 = process.hrtime.bigint();
      opt.step();
      return timeBackward ? Number(t1 - t0) / 1e6 : 0;
    });
    for (let i = 0; i < 5; i++) step(false); // warm-up; buckets rebuilt after the first
    const steps = [];
    for (let i = 0; i < STEPS; i++) {
      dist.barrier();
      const t0 = process.hrtime.bigint();
      step(false);
      steps.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const on = [], off = [];
    for (let round = 0; round < 3; round++) {
      for (const [mode, into] of [[true, on], [false, off]]) {
        ddp._set_overlap(mode);
        for (let i = 0; i < Math.ceil(STEPS / 3); i++) {
          dist.barrier();
          into.push(step(true));
        }
      }
    }
    ddp._set_overlap(true);
    const params = model.parameters().reduce((s, p) => s + p.numel() * 4, 0);
    out[name] = { step_ms: median(steps), backward_overlap_ms: median(on), backward_after_ms: median(off), buckets: ddp._bucket_indices().length, mb: params / 2 ** 20 };
  }
  dist.destroy_process_group();
  process.stdout.write(JSON.stringify(out) + '\n');
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function runWorld(world) {
  const port = await freePort();
  const res = await Promise.all(Array.from({ length: world }, (_, r) => new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [__filename, '--worker', String(port), String(r), String(world), String(STEPS)], {
      env: { ...process.env, OMP_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let s = '';
    c.stdout.on('data', (d) => (s += d));
    c.on('exit', (code) => (code === 0 ? resolve(JSON.parse(s.trim().split('\n').pop())) : reject(new Error(`rank ${r} exited ${code}`))));
  })));
  return res[0];
}

async function main() {
  console.log(`DDP over Gloo/loopback: ${os.cpus().length} cores (${os.cpus()[0].model}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (machine shared with other sessions), ${STEPS} steps, 64 images per rank, 1 thread per rank`);
  const rows = [];
  for (const world of [1, 2, 4]) {
    const r = await runWorld(world);
    for (const name of ['demo', 'mlp']) {
      const m = r[name];
      rows.push({ world, net: name, MB: m.mb.toFixed(2), buckets: m.buckets, 'step ms': m.step_ms.toFixed(1),
        'backward ms (overlap)': m.backward_overlap_ms.toFixed(1), 'backward ms (all_reduce after)': m.backward_after_ms.toFixed(1),
        'saved': `${(100 * (1 - m.backward_overlap_ms / m.backward_after_ms)).toFixed(0)}%` });
    }
  }
  console.table(rows);
}

if (process.argv[2] === '--worker') worker();
else main().catch((e) => { console.error(e); process.exit(1); });
