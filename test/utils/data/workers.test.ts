/**
 * DataLoader with num_workers > 0: worker threads give PyTorch's batches for the same seed
 * (test/fixtures/dataloader_workers.json from make_dataloader_workers.py: per-worker seeds
 * base_seed + worker_id, round-robin tasks, worker_init_fn, get_worker_info, IterableDataset
 * shards, persistent workers), the same batches as num_workers 0, errors from workers with their
 * stack, and no thread left behind (early break, GC, errors), with the process exiting by itself.
 *
 * Each scenario runs in a process of its own (test/utils/data/workers/scenarios.js) on the compiled
 * package: worker threads run JavaScript from dist/ (built by `node scripts/setup.js`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../../../lib';
import { native } from '../../../lib/binding';
import { Tensor } from '../../../lib/tensor'; // wraps a native handle (torch.Tensor(n) is the legacy constructor)

const root = path.join(__dirname, '..', '..', '..');
const haveDist = fs.existsSync(path.join(root, 'dist', 'utils', 'data', '_utils', 'worker_main.js'));
const script = path.join(__dirname, 'workers', 'scenarios.js');
const F = require('../../fixtures/dataloader_workers.json');

/** Runs one scenario; the process must exit by itself (a hang fails the test at `timeout`). */
function scenario(name: string, timeout = 60000): any {
  const r = spawnSync(process.execPath, ['--expose-gc', script, name], { encoding: 'utf8', timeout, cwd: root });
  if (r.error) throw r.error;
  expect(r.signal).toBeNull();
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let out: any;
  try {
    out = JSON.parse(line);
  } catch {
    throw new Error(`scenario ${name} printed no result (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  if (out.crashed) throw new Error(`scenario ${name} failed:\n${out.crashed}`);
  expect(r.status).toBe(0);
  return out;
}

(haveDist ? describe : describe.skip)('DataLoader worker threads (needs dist/: node scripts/setup.js)', () => {
  test('PyTorch\'s batches for the same seed: random augmentations per worker, prefetch_factor, worker_init_fn, get_worker_info, shards, persistent workers', () => {
    const r = scenario('python');
    for (const k of ['aug_shuffle_w2', 'aug_w3_prefetch1', 'whoami_gen123', 'shards_w2', 'persistent_epochs', 'dropaug_w2']) expect([k, r[k]]).toEqual([k, F[k]]);
    // The main thread's generator is left where PyTorch leaves it (one base-seed draw per iterator;
    // none for a persistent loader's second epoch).
    expect(r.aug_shuffle_w2_after).toEqual(F.aug_shuffle_w2_after);
    expect(r.persistent_after).toEqual(F.persistent_after);
  }, 120000);

  test('num_workers 2 gives num_workers 0\'s batches (for, for await, async items, batch_size null, drop_last, collate_fn, __setstate__, DataLoader({dataset}))', () => {
    const r = scenario('same');
    expect(r.base).toHaveLength(5);
    for (const k of ['w2', 'w3_async', 'w2_async_items', 'pinned']) expect([k, r[k]]).toEqual([k, r.base]);
    expect(r.unbatched).toEqual(r.unbatched0);
    expect(r.drop_last).toEqual(r.base.slice(0, 3).map((_: any, i: number) => r.unbatched0.slice(4 * i, 4 * i + 4)));
    expect(r.collate).toEqual(r.collate0);
    expect(r.tw2).toEqual(r.tw0);
    expect(r.reopened).toEqual([[[0, 1], ['opened in worker 0', 'opened in worker 0']], [[2, 3], ['opened in worker 1', 'opened in worker 1']]]);
    expect(r.info_main).toBeNull();
    expect(r.parked).toBe(0);
  }, 120000);

  test('an ES-module dataset names its module with a static __module__', () => {
    const r = scenario('esm');
    expect(r.w2).toEqual(r.w0);
    expect(r.w2).toHaveLength(4);
  }, 60000);

  test('errors: a worker\'s error with its class, index and stack; a worker that exits; timeout; what cannot move', () => {
    const r = scenario('errors');
    expect(r.raised.name).toBe('RangeError');
    expect(r.raised.worker_id).toBe(1);
    expect(r.raised.index).toEqual([6, 7]);
    expect(r.raised.message).toMatch(/^Caught RangeError in DataLoader worker 1 while fetching indices \[6,7\]\.\nOriginal RangeError: index 7 is cursed\n +at Plain.__getitem__ \(.*datasets\.js:\d+:\d+\)/);
    expect(r.before_error).toHaveLength(3);  // batches before the failing one arrive, in order
    expect(r.torch_error.name).toBe('TorchError');
    expect(r.torch_error.message).toMatch(/^Caught TorchError in DataLoader worker 1 while fetching indices \[2,3\]\.\nOriginal TorchError: shape '\[3\]' is invalid for input of size 2/);
    expect(r.exited.message).toBe('DataLoader worker 0 exited unexpectedly with exit code 3');
    expect(r.timeout.message).toBe('DataLoader timed out after 0.5 seconds');
    expect(r.local_class.name).toBe('TypeError');
    expect(r.local_class.message).toMatch(/^DataLoader: dataset \(an object of class Local\) cannot be sent to a worker thread: .*exported from a module.*__module__/);
    expect(r.closure_init.message).toMatch(/^DataLoader: worker_init_fn .* cannot be sent to a worker thread/);
    expect(r.closure_collate.message).toMatch(/^DataLoader: collate_fn .* cannot be sent to a worker thread/);
    expect(r.persistent_no_workers).toEqual({ name: 'RangeError', message: 'persistent_workers option needs num_workers > 0' });
    expect(r.dataset_twice).toEqual({ name: 'TypeError', message: "DataLoader() got multiple values for argument 'dataset'" });
    const a = scenario('async_errors');
    expect(a.error.name).toBe('RangeError');
    expect(a.error.message).toMatch(/^Caught RangeError in DataLoader worker 0 while fetching indices \[4,5\]\.\nOriginal RangeError: index 4 is cursed/);
  }, 120000);

  test('no thread is left behind: break (for and for await), an iterator collected by GC, an error, a persistent loader collected by GC', () => {
    const r = scenario('lifetime');
    expect(r.after_break).toBe(r.t0);
    expect(r.after_async_break).toBe(r.t0);
    expect(r.running_before_gc).toBe(true);
    expect(r.after_gc).toBe(r.t0);
    expect(r.after_error).toBe(r.t0);
    expect(r.persistent[1]).toEqual(r.persistent[0]);
    expect(r.persistent_after_break).toEqual(r.persistent[0]);
    expect(r.persistent_alive).toBe(true);
    expect(r.after_persistent_gc).toBe(r.t0);
    expect(r.parked).toBe(0);
  }, 120000);

  test('later workers compile torch-node from the code cache the first one made, with the same batches', () => {
    const r = scenario('code_cache');
    expect(r.before).toBe(0);
    expect(r.after_first).toBeGreaterThan(50);
    expect(r.first).toEqual(r.base);
    expect(r.second).toEqual(r.base);
    expect(r.third_len).toBe(3);
    expect(r.parked).toBe(0);
  }, 60000);

  test('workers never keep the process alive: a script that stops mid-epoch exits', () => {
    expect(scenario('exit_mid_iteration', 30000)).toEqual({ ok: true });
  }, 60000);

  test('the default generator is per thread: four threads seeded alike at once agree with the main thread, also through dropout, *_like and RNN dropout', () => {
    const r = scenario('threads_rng');
    expect(r.runs).toHaveLength(4);
    // each run is 20 rounds of [seeded draws, draws of ops that take no generator in ATen]
    for (const run of r.runs) {
      expect(run).toHaveLength(40);
      for (let i = 0; i < run.length; i += 2) {
        expect(run[i]).toEqual(r.main);
        expect(run[i + 1]).toEqual(r.main_nogen);
      }
    }
    expect(r.main_after_workers).toEqual(r.expected);
  }, 60000);

  test('from the TypeScript sources: a TensorDataset crosses to workers and its batches come back by handle', () => {
    const x = torch.arange(24, { dtype: torch.float64 }).reshape(12, 2);
    const y = torch.arange(12);
    const ds = new torch.utils.data.TensorDataset(x, y);
    const want = Array.from(new torch.utils.data.DataLoader(ds, { batch_size: 5 }), ([a, b]: any) => [a.tolist(), b.tolist()]);
    const got = Array.from(new torch.utils.data.DataLoader({ dataset: ds, batch_size: 5, num_workers: 2 }), ([a, b]: any) => [a.tolist(), b.tolist()]);
    expect(got).toEqual(want);
    expect(native._tensor_parked()).toBe(0);
  }, 60000);
});

describe('tensor handles moved between threads (native _tensor_park / _tensor_unpark)', () => {
  test('the same storage comes back under a new handle; a taken id is refused; a group is released', () => {
    const t = torch.tensor([1, 2, 3], { dtype: torch.float64 });
    const id = native._tensor_park(t._h, 987654);
    const u = new Tensor(native._tensor_unpark(id));
    u.mul_(2);
    expect(t.tolist()).toEqual([2, 4, 6]);  // shares t's storage: no copy
    expect(() => native._tensor_unpark(id)).toThrow(/already received or released/);
    const before = native._tensor_parked();
    native._tensor_park(t._h, 987655);
    native._tensor_park(u._h, 987655);
    expect(native._tensor_parked()).toBe(before + 2);
    expect(native._tensor_drop_group(987655)).toBe(2);
    expect(native._tensor_parked()).toBe(before);
    t.dispose();
    expect(() => native._tensor_park(t._h, 1)).toThrow();
  });
});
