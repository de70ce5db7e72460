// A rank of test/distributed/sync_batchnorm.test.ts. argv: mode init_method rank world_size [splits]
//   mode 'bn':  every fixture case; this rank's SyncBatchNorm runs on its shard of the batch
//               (shard sizes from `splits`, e.g. "3,5"); prints its output / input-gradient slices,
//               its weight/bias gradients summed over the ranks (all_reduce) and the running stats.
//   mode 'ddp': DDP over convert_sync_batchnorm(Linear-BatchNorm1d-Tanh-Linear), 3 SGD steps on
//               even shards; prints the state_dict after every step.
'use strict';
const torch = require('../../../dist');
const { nn, distributed: dist } = torch;
const fx = require('../../fixtures/sync_batchnorm.json');
const [mode, init, rankS, worldS, splitsS] = process.argv.slice(2);
const rank = Number(rankS), world = Number(worldS);
dist.init_process_group('gloo', { init_method: init, rank, world_size: world, timeout: 20 });
const arr = (t) => Array.from(t.detach().reshape(-1).to_typed_array());
const T = (v, shape) => torch.tensor(v).reshape(shape);
const out = {};
try {
  if (mode === 'bn') {
    const splits = (splitsS || '').split(',').map(Number);
    const start = splits.slice(0, rank).reduce((a, b) => a + b, 0), len = splits[rank];
    out.cases = {};
    for (const c of fx.cases) {
      const C = c.shape[1];
      const bn = new nn.SyncBatchNorm(C, { momentum: c.momentum, affine: c.affine });
      if (c.affine) torch.no_grad(() => { bn.weight.copy_(torch.tensor(c.weight)); bn.bias.copy_(torch.tensor(c.bias)); });
      const res = { iters: [] };
      for (const it of c.iters) {
        const x = T(it.x, c.shape).narrow(0, start, len).clone().requires_grad_();
        const g = T(it.grad_out, c.shape).narrow(0, start, len);
        const y = bn(x);
        y.mul(g).sum().backward();
        const r = { out: arr(y), grad_x: arr(x.grad), running_mean: arr(bn.running_mean), running_var: arr(bn.running_var), num_batches_tracked: Number(bn.num_batches_tracked.item()) };
        if (c.affine) {
          const gw = bn.weight.grad.clone(), gb = bn.bias.grad.clone();
          dist.all_reduce(gw);
          dist.all_reduce(gb);
          r.grad_weight = arr(gw);
          r.grad_bias = arr(gb);
          bn.zero_grad();
        }
        res.iters.push(r);
      }
      bn.eval();
      res.eval = arr(bn(T(c.eval.x, c.shape).narrow(0, start, len)));
      out.cases[c.name] = res;
    }
    // A wrong process_group argument, and the no-grad path (input that needs no gradient: no
    // all_reduce in backward, as PyTorch).
    try { new nn.SyncBatchNorm(3, { process_group: 'world' }); } catch (e) { out.bad_group = e.constructor.name; }
    const bn = new nn.SyncBatchNorm(2);
    const y = bn(torch.ones([2, 2]).add(rank));
    y.sum().backward();
    const gw = bn.weight.grad.clone();
    dist.all_reduce(gw);
    out.nograd_input_weight_grad_sum = arr(gw);
  } else if (mode === 'ddp') {
    const d = fx.ddp_bn;
    // Different initial weights per rank: DDP broadcasts rank 0's, which are the fixture's.
    const model = new nn.Sequential(new nn.Linear(4, 6), new nn.BatchNorm1d(6), new nn.Tanh(), new nn.Linear(6, 2));
    if (rank === 0) {
      torch.no_grad(() => {
        for (const [k, v] of Object.entries(model.state_dict())) v.copy_(T(d.init[k], v.shape));
      });
    }
    const sync = nn.SyncBatchNorm.convert_sync_batchnorm(model);
    out.converted = sync[1].constructor.name;
    const ddp = new nn.parallel.DistributedDataParallel(sync);
    const per = 8 / world;
    const X = T(d.X, [8, 4]).narrow(0, rank * per, per), Y = T(d.Y, [8, 2]).narrow(0, rank * per, per);
    const opt = new torch.optim.SGD(ddp.parameters(), { lr: 0.1 });
    out.steps = [];
    for (let s = 0; s < 3; s++) {
      opt.zero_grad();
      ddp(X).sub(Y).pow(2).mean().backward();
      opt.step();
      const sd = {};
      for (const [k, v] of Object.entries(sync.state_dict())) sd[k] = arr(v.to(torch.float64));
      out.steps.push(sd);
    }
  }
} catch (e) {
  out.error = { cls: e.constructor.name, message: e.message, stack: e.stack };
}
dist.destroy_process_group();
process.stdout.write(JSON.stringify(out) + '\n');
