// A rank of test/distributed/ddp.test.ts (bucket order): DDP over the fixture's 1.5 MB MLP with
// bucket_cap_mb 0.5; prints the buckets at construction and after each of 3 iterations, with the
// overlap statistics. argv: init_method rank world_size find_unused(0|1)
'use strict';
const torch = require('../../../dist');
const { nn, distributed: dist } = torch;
const [init, rankS, worldS, fuS] = process.argv.slice(2);
const rank = Number(rankS), world = Number(worldS);
dist.init_process_group('gloo', { init_method: init, rank, world_size: world, timeout: 20 });
torch.manual_seed(0);
const m = new nn.Sequential(new nn.Linear(16, 600), new nn.Tanh(), new nn.Linear(600, 600), new nn.Tanh(), new nn.Linear(600, 2));
const ddp = new nn.parallel.DistributedDataParallel(m, { bucket_cap_mb: 0.5, find_unused_parameters: fuS === '1' });
const sizes = (b) => b.map((idx) => idx.reduce((s, i) => s + m.parameters()[i].numel() * 4, 0));
const out = { initial: ddp._bucket_indices(), iters: [] };
out.initial_sizes = sizes(out.initial);
for (let i = 0; i < 3; i++) {
  const x = torch.randn([4, 16]);
  const y = ddp(x);
  const buckets = ddp._bucket_indices(); // after this forward's rebuild
  y.sum().backward();
  out.iters.push({ buckets, sizes: sizes(buckets), stats: ddp._ddp_stats() });
}
dist.destroy_process_group();
process.stdout.write(JSON.stringify(out) + '\n');
