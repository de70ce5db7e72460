// A rank of test/distributed/ddp.test.ts. argv: mode init_method rank world_size
//   mode 'ref': one process, no DDP, training on the whole batch (the reference).
//   mode 'ddp': DistributedDataParallel, each rank on its shard of the batch.
//   mode 'nosync': one step whose gradients are accumulated over two micro-batches (no_sync first).
//   mode 'unused' / 'unused_ok': a parameter that gets no gradient, find_unused_parameters false / true.
// Prints {steps: [[param values...] per step], ...} as one JSON line.
'use strict';
const torch = require('../../../dist');
const { nn, distributed: dist } = torch;
const [mode, init, rankS, worldS, capS] = process.argv.slice(2);
const rank = Number(rankS), world = Number(worldS);
const N = 8, STEPS = 3;

torch.manual_seed(0);
const X = torch.randn([N, 4]);
const Y = torch.randn([N, 2]);
// Different initial weights on every rank: DDP must broadcast rank 0's.
torch.manual_seed(mode === 'ref' ? 1 : 1 + rank);
class Net extends nn.Module {
  constructor() {
    super();
    this.fc1 = new nn.Linear(4, 8);
    this.fc2 = new nn.Linear(8, 2);
    this.unused = new nn.Linear(3, 3);
  }
  forward(x) {
    return this.fc2(this.fc1(x).tanh());
  }
}
const model = new Net();
if (!mode.startsWith('unused')) model.unused.requires_grad_(false);
const mse = (o, y) => o.sub(y).pow(2).mean();
const flat = (m) => m.parameters().filter((p) => p.requires_grad).map((p) => Array.from(p.detach().reshape(-1).to_typed_array()));
const out = { steps: [] };

if (mode === 'ref') {
  const opt = new torch.optim.SGD(model.parameters().filter((p) => p.requires_grad), { lr: 0.1 });
  const W = world; // the world size being emulated
  for (let s = 0; s < STEPS; s++) {
    opt.zero_grad();
    mse(model(X), Y).backward();
    opt.step();
    out.steps.push(flat(model));
  }
  // the no_sync reference: grads = (1/W) Σ_r (g(half a of shard r) + g(half b of shard r))
  torch.manual_seed(1);
  const m2 = new Net();
  m2.unused.requires_grad_(false);
  const per = N / W, half = per / 2;
  let total = null;
  for (let r = 0; r < W; r++) {
    for (const h of [0, 1]) {
      const l = mse(m2(X.narrow(0, r * per + h * half, half)), Y.narrow(0, r * per + h * half, half));
      total = total === null ? l : total.add(l);
    }
  }
  total.div(W).backward();
  out.nosync_grads = m2.parameters().filter((p) => p.requires_grad).map((p) => Array.from(p.grad.reshape(-1).to_typed_array()));
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}

dist.init_process_group('gloo', { init_method: init, rank, world_size: world, timeout: 20 });
const ddp = new nn.parallel.DistributedDataParallel(model, {
  bucket_cap_mb: capS ? Number(capS) : 25,
  find_unused_parameters: mode === 'unused_ok',
});
out.initial = flat(model);
out.buckets = ddp._bucket_indices();
out.state_keys = Object.keys(ddp.state_dict());
const per = N / world;
const xs = X.narrow(0, rank * per, per), ys = Y.narrow(0, rank * per, per);
const opt = new torch.optim.SGD(ddp.parameters().filter((p) => p.requires_grad), { lr: 0.1 });
try {
  if (mode === 'ddp' || mode === 'unused' || mode === 'unused_ok') {
    for (let s = 0; s < STEPS; s++) {
      opt.zero_grad();
      mse(ddp(xs), ys).backward();
      opt.step();
      out.steps.push(flat(model));
    }
    out.stats = ddp._ddp_stats();
    out.unused_grad = model.unused.weight.grad === null || model.unused.weight.grad === undefined ? null : 'set';
  } else if (mode === 'nosync') {
    const half = per / 2;
    opt.zero_grad();
    ddp.no_sync(() => mse(ddp(xs.narrow(0, 0, half)), ys.narrow(0, 0, half)).backward());
    mse(ddp(xs.narrow(0, half, half)), ys.narrow(0, half, half)).backward();
    out.nosync_grads = model.parameters().filter((p) => p.requires_grad).map((p) => Array.from(p.grad.reshape(-1).to_typed_array()));
    out.stats = ddp._ddp_stats();
  }
} catch (e) {
  out.error = { cls: e.constructor.name, message: e.message };
}
dist.destroy_process_group();
process.stdout.write(JSON.stringify(out) + '\n');
