// A worker started by bin/torchrun.js in test/distributed/torchrun.test.ts. argv: ok | fail
'use strict';
const torch = require('../../../dist');
const dist = torch.distributed;
const mode = process.argv[2];
if (mode === 'fail') {
  if (process.env.RANK === '1') process.exit(7);
  setInterval(() => undefined, 1000); // the others would run forever: torchrun must stop them
} else {
  dist.init_process_group('gloo', { timeout: 20 });
  const t = torch.tensor([dist.get_rank() + 1]);
  dist.all_reduce(t);
  const e = process.env;
  process.stdout.write(JSON.stringify({ RANK: e.RANK, LOCAL_RANK: e.LOCAL_RANK, WORLD_SIZE: e.WORLD_SIZE, MASTER_PORT: e.MASTER_PORT, sum: t.item() }) + '\n');
  dist.destroy_process_group();
}
