// torch.distributed in an installed torch-node (run by test/packaging/pack.test.ts in the fresh
// project, once per installed binary): `node dist.js` is rank 0 of a 2-process Gloo group over a
// file:// rendezvous and starts rank 1 (`node dist.js <file> 1`) itself; each all_reduces
// [rank + 1, 10 * (rank + 1)] and a world-size-1 group all_reduces [1, 2, 3] alone. Rank 0 prints
// JSON: what is_gloo_available says, what the binary says it was built with (_build_info) and
// the results, with the ranks' inputs so that the test computes the expected sums; without Gloo,
// the error init_process_group('gloo') raises.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const torch = require('torch-node');
const binding = require(path.join(path.dirname(require.resolve('torch-node')), 'binding.js'));

const dist = torch.distributed;
const world = 2;
const input = (rank) => [rank + 1, 10 * (rank + 1)];

function allReduce(init, rank, size, values) {
  dist.init_process_group('gloo', { init_method: `file://${init}`, rank, world_size: size });
  try {
    const t = torch.tensor(values);
    dist.all_reduce(t);
    return { backend: dist.get_backend(), world_size: dist.get_world_size(), sum: t.tolist() };
  } finally {
    dist.destroy_process_group();
  }
}

async function main() {
  if (process.argv[3] !== undefined) {
    const rank = Number(process.argv[3]);
    allReduce(process.argv[2], rank, world, input(rank));
    return;
  }
  const out = { gloo: dist.is_available() && dist.is_gloo_available(), build_info: binding.native._build_info() };
  if (!out.gloo) {
    // without Gloo, asking for it is an error that says so
    try {
      dist.init_process_group('gloo', { init_method: `file://${path.join(os.tmpdir(), `torch-node-nogloo-${process.pid}`)}`, rank: 0, world_size: 1 });
      out.gloo_error = null;
    } catch (e) {
      out.gloo_error = `${e.name}: ${e.message}`;
    }
    console.log(JSON.stringify(out));
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-dist-'));
  try {
    out.single = { input: [1, 2, 3], ...allReduce(path.join(dir, 'single'), 0, 1, [1, 2, 3]) };
    const init = path.join(dir, 'pair');
    const peer = spawn(process.execPath, [__filename, init, '1'], { stdio: ['ignore', 'inherit', 'inherit'] });
    const peerDone = new Promise((resolve) => peer.on('exit', (code, signal) => resolve(signal || code)));
    out.pair = { inputs: [input(0), input(1)], ...allReduce(init, 0, world, input(0)), peer_exit: await peerDone };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
