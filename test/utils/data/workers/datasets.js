// Datasets for test/utils/data/workers.test.ts: a CommonJS module, so that DataLoader worker
// threads can import their classes (PyTorch's rule: the dataset must be importable by the worker).
// Each mirrors a class of test/fixtures/make_dataloader_workers.py.
'use strict';
const torch = require('../../../../dist/index.js');
const { Dataset, IterableDataset, get_worker_info } = torch.utils.data;

/** base[i] + uniform noise, a random int label, the index: a random augmentation. */
class Aug extends Dataset {
  constructor(n) {
    super();
    this.n = n;
    this.base = torch.arange(n * 3, { dtype: torch.float32 }).reshape(n, 3);
  }
  __len__() { return this.n; }
  __getitem__(i) {
    return [this.base.idx(i).add(torch.rand(3)), torch.randint(0, 100, []), i];
  }
}

/** Random ops that take no generator in ATen: dropout, rand_like, randint_like, dropout2d. */
class DropAug extends Dataset {
  constructor(n) {
    super();
    this.n = n;
    this.base = torch.arange(n * 6, { dtype: torch.float64 }).reshape(n, 6).add(1);
  }
  __len__() { return this.n; }
  __getitem__(i) {
    const x = this.base.idx(i);
    const F = torch.nn.functional;
    return [F.dropout(x, 0.5, true), torch.rand_like(x), torch.randint_like(x, 3, 50), F.dropout2d(x.reshape(3, 2, 1), 0.5, true).flatten()];
  }
}

/** The worker's id and seed per item, plus the offset that worker_init_fn set. */
class WhoAmI extends Dataset {
  constructor(n) { super(); this.n = n; this.offset = 0; }
  __len__() { return this.n; }
  __getitem__(i) {
    const w = get_worker_info();
    return [i + this.offset, w.id, String(w.seed), w.num_workers];
  }
}

function init_offset(worker_id) {
  get_worker_info().dataset.offset = 1000 * (worker_id + 1);
}

/** range(start, end), split between the workers as in PyTorch's IterableDataset docs. */
class Shards extends IterableDataset {
  constructor(start, end) { super(); this.start = start; this.end = end; }
  *[Symbol.iterator]() {
    const w = get_worker_info();
    let lo = this.start, hi = this.end;
    if (w !== null) {
      const per = Math.ceil((this.end - this.start) / w.num_workers);
      lo = this.start + w.id * per;
      hi = Math.min(lo + per, this.end);
    }
    for (let i = lo; i < hi; i++) yield [i, torch.rand([])];
  }
}

/** Plain numbers (no randomness), optionally async, optionally failing at one index. */
class Plain extends Dataset {
  constructor(n, opts = {}) { super(); this.n = n; this.fail_at = opts.fail_at ?? -1; this.torch_fail_at = opts.torch_fail_at ?? -1; this.exit_at = opts.exit_at ?? -1; this.sleep_ms = opts.sleep_ms ?? 0; this.async = !!opts.async; }
  __len__() { return this.n; }
  __getitem__(i) {
    if (i === this.fail_at) throw new RangeError(`index ${i} is cursed`);
    if (i === this.exit_at) process.exit(3);
    if (i === this.torch_fail_at) torch.zeros(2).view(3);  // libtorch's shape error
    if (this.sleep_ms) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, this.sleep_ms);
    const v = torch.tensor([i, i * i], { dtype: torch.float64 });
    return this.async ? new Promise((res) => setTimeout(() => res(v), 1)) : v;
  }
}

/** A dataset whose state is not its properties: a handle reopened in each worker (__setstate__). */
class Reopened extends Dataset {
  constructor(n) { super(); this.n = n; this.handle = () => 'not cloneable'; }
  __len__() { return this.n; }
  __getstate__() { return { n: this.n }; }
  __setstate__(s) { this.n = s.n; this.handle = () => `opened in worker ${get_worker_info().id}`; }
  __getitem__(i) { return [i, this.handle()]; }
}

/** collate_fn exported from a module: sums the batch's tensors. */
function sum_collate(batch) {
  return torch.stack(batch).sum(0);
}

module.exports = { Aug, DropAug, WhoAmI, init_offset, Shards, Plain, Reopened, sum_collate };
