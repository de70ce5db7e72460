/**
 * Jobs on the libuv pool use the intra-op thread count set by torch.set_num_threads: a pool thread
 * does not start an OpenMP team of its own (one thread per core) next to the JS thread's. Counted
 * from /proc in a child process that runs the compiled package (dist/, built by `node scripts/setup.js`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

const dist = path.join(__dirname, '..', '..', 'dist', 'index.js');
const haveDist = fs.existsSync(dist);
const linux = fs.existsSync('/proc/self/status');

const child = `
const fs = require('fs');
const torch = require(${JSON.stringify(dist)});
const nn = torch.nn;
const threads = () => Number(/Threads:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);
torch.set_num_threads(Number(process.argv[1]));
torch.manual_seed(0);
const model = new nn.Sequential(new nn.Conv2d(1, 16, 3, { padding: 1 }), new nn.ReLU(),
  new nn.Conv2d(16, 16, 3, { padding: 1 }), new nn.Flatten(), new nn.Linear(16 * 28 * 28, 10)).eval();
const x = torch.randn(16, 1, 28, 28);
const want = torch.no_grad(() => model(x));
(async () => {
  // Start every pool thread with a job that runs no parallel kernel: the count after it is the
  // process's threads without any OpenMP team on the pool.
  const small = torch.ones(4);
  await Promise.all(Array.from({ length: 8 }, () => small.to_typed_array_async()));
  const before = threads();
  for (let round = 0; round < 3; round++) {
    const ys = await Promise.all(Array.from({ length: 4 }, () => model.forward_async(x)));
    for (const y of ys) if (!torch.equal(y, want)) throw new Error('forward_async differs from forward');
  }
  console.log(JSON.stringify({ before, after: threads() }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function run(n: number): { before: number; after: number } {
  const r = spawnSync(process.execPath, ['-e', child, String(n)], {
    encoding: 'utf8', env: { ...process.env, UV_THREADPOOL_SIZE: '4' }, timeout: 120000,
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status} ${r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

(haveDist && linux ? describe : describe.skip)('pool threads follow torch.set_num_threads (needs dist/ and Linux /proc)', () => {
  test('set_num_threads(1): concurrent forward_async starts no OpenMP threads on the pool', () => {
    const { before, after } = run(1);
    expect(after).toBe(before);
  });

  // With more threads than one, each pool thread may start a team of that size, and no larger.
  (os.cpus().length >= 2 ? test : test.skip)('set_num_threads(2): at most one extra thread per pool thread', () => {
    const { before, after } = run(2);
    expect(after - before).toBeLessThanOrEqual(4);
  });
});
