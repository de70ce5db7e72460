// test/distributed/collectives.test.ts: rank 1 exits right after init; rank 0's all_reduce must
// fail with a TorchError instead of hanging. argv: init_method rank world_size timeout_s
'use strict';
const torch = require('../../../dist');
const dist = torch.distributed;
const [init, rankS, worldS, timeoutS] = process.argv.slice(2);
const rank = Number(rankS);
dist.init_process_group('gloo', { init_method: init, rank, world_size: Number(worldS), timeout: Number(timeoutS) });
if (rank === 1) process.exit(3);
const t0 = Date.now();
try {
  const t = torch.ones([4]);
  for (let i = 0; i < 100; i++) dist.all_reduce(t);
  process.stdout.write(JSON.stringify({ error: null }) + '\n');
} catch (e) {
  process.stdout.write(JSON.stringify({ error: e.message, cls: e.constructor.name, ms: Date.now() - t0 }) + '\n');
}
