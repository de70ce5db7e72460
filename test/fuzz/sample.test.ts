// The fuzzer's fixed-seed sample (test/fuzz/run.js --sample): two generated calls for every
// public function, Tensor method, nn class and optimizer, and 60 malformed files, each run in
// child processes. None may crash, hang, pass the memory budget or end in an error that is not a
// clean TorchError/TypeError/RangeError naming the problem.
import { spawnSync } from 'child_process';
import * as path from 'path';

const BAD = ['crash', 'hang', 'memory', 'unclean', 'unhelpful'];

test('the fixed-seed fuzz sample finds nothing', () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'run.js'), '--sample'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  const { summary, findings } = JSON.parse(r.stdout);
  // the walk found the surface (a broken walk would pass trivially)
  expect(summary.targets).toBeGreaterThan(1000);
  expect(summary.files).toBeGreaterThanOrEqual(60);
  const bad = findings.filter((f: { outcome: string }) => BAD.includes(f.outcome));
  expect(bad).toEqual([]);
  expect(summary.crashes + summary.hangs + summary.memory + summary.file_crashes + summary.file_hangs + summary.file_memory).toBe(0);
}, 600000);
