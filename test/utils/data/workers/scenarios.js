// One DataLoader-with-workers scenario per run, in a process of its own (so that a leaked worker
// thread or a hang shows as a process that does not exit): `node scenarios.js NAME` prints one
// JSON line with what the scenario observed. Run by test/utils/data/workers.test.ts.
'use strict';
const fs = require('fs');
const path = require('path');
const torch = require('../../../../dist/index.js');
const { native } = require('../../../../dist/binding.js');
const ds = require('./datasets.js');
const { DataLoader, TensorDataset } = torch.utils.data;

process.removeAllListeners('warning');
const plain = (v) => (v instanceof torch.Tensor ? v.tolist() : Array.isArray(v) ? v.map(plain) : v);
const batches = (loader) => Array.from(loader, (b) => plain(b));
const asyncBatches = async (loader) => {
  const out = [];
  for await (const b of loader) out.push(plain(b));
  return out;
};
// OS threads of this process (Linux): worker threads that were not torn down stay in this list.
const threads = () => fs.readdirSync('/proc/self/task').length;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Waits (up to 10 s) until the thread count is back to `n`; returns the count reached.
async function settle(n) {
  for (let k = 0; k < 200 && threads() > n; k++) await sleep(50);
  return threads();
}
// The thread count once it has not changed for 300 ms (threads that are ending have ended).
async function stable() {
  let n = threads();
  for (let same = 0, k = 0; same < 6 && k < 200; k++) {
    await sleep(50);
    const m = threads();
    same = m === n ? same + 1 : 0;
    n = m;
  }
  return n;
}
const errorOf = (f) => {
  try {
    f();
    return null;
  } catch (e) {
    return { name: e.constructor.name, message: e.message, worker_id: e.worker_id, index: e.index };
  }
};

const scenarios = {
  // The batches PyTorch gives (test/fixtures/dataloader_workers.json).
  python() {
    const out = {};
    torch.manual_seed(0);
    out.aug_shuffle_w2 = batches(new DataLoader(new ds.Aug(22), { batch_size: 4, shuffle: true, num_workers: 2 }));
    out.aug_shuffle_w2_after = torch.rand(2).tolist();
    torch.manual_seed(1);
    out.aug_w3_prefetch1 = batches(new DataLoader(new ds.Aug(19), { batch_size: 3, num_workers: 3, prefetch_factor: 1 }));
    const g = new torch.Generator().manual_seed(123);
    out.whoami_gen123 = batches(new DataLoader(new ds.WhoAmI(10), { batch_size: 2, num_workers: 2, generator: g, worker_init_fn: ds.init_offset }));
    torch.manual_seed(2);
    out.shards_w2 = batches(new DataLoader(new ds.Shards(0, 23), { batch_size: 5, num_workers: 2 }));
    torch.manual_seed(3);
    const dl = new DataLoader(new ds.Aug(10), { batch_size: 4, shuffle: true, num_workers: 2, persistent_workers: true });
    out.persistent_epochs = [batches(dl), batches(dl)];
    out.persistent_after = torch.rand(2).tolist();
    torch.manual_seed(4);
    out.dropaug_w2 = batches(new DataLoader(new ds.DropAug(9), { batch_size: 2, shuffle: true, num_workers: 2 }));
    return out;
  },

  // num_workers 2 gives num_workers 0's batches; `for await` gives `for`'s; async items; the
  // all-keyword constructor; get_worker_info() is null on the main thread.
  async same() {
    const d = new ds.Plain(13);
    const base = batches(new DataLoader(d, { batch_size: 3 }));
    const t = new TensorDataset(torch.arange(20).reshape(10, 2), torch.arange(10));
    torch.manual_seed(4);
    const tw0 = batches(new DataLoader({ dataset: t, batch_size: 4, shuffle: true }));
    torch.manual_seed(4);
    const tw2 = batches(new DataLoader({ dataset: t, batch_size: 4, shuffle: true, num_workers: 2 }));
    return {
      base,
      w2: batches(new DataLoader({ dataset: d, batch_size: 3, num_workers: 2 })),
      w3_async: await asyncBatches(new DataLoader(d, { batch_size: 3, num_workers: 3 })),
      w2_async_items: await asyncBatches(new DataLoader(new ds.Plain(13, { async: true }), { batch_size: 3, num_workers: 2 })),
      unbatched: batches(new DataLoader(d, { batch_size: null, num_workers: 2 })),
      unbatched0: batches(new DataLoader(d, { batch_size: null })),
      drop_last: batches(new DataLoader(d, { batch_size: 4, drop_last: true, num_workers: 2 })),
      collate: batches(new DataLoader(d, { batch_size: 4, num_workers: 2, collate_fn: ds.sum_collate })),
      collate0: batches(new DataLoader(d, { batch_size: 4, collate_fn: ds.sum_collate })),
      // Without CUDA, pin_memory leaves batches as they are (PyTorch 1.13), in workers too.
      pinned: batches(new DataLoader(d, { batch_size: 3, num_workers: 2, pin_memory: true })),
      reopened: batches(new DataLoader(new ds.Reopened(4), { batch_size: 2, num_workers: 2 })),
      tw0, tw2,
      info_main: torch.utils.data.get_worker_info(),
      parked: native._tensor_parked(),
    };
  },

  async esm() {
    const { Squares } = await import(path.join(__dirname, 'esm_dataset.mjs'));
    return { w2: batches(new DataLoader(new Squares(7), { batch_size: 2, num_workers: 2 })), w0: batches(new DataLoader(new Squares(7), { batch_size: 2 })) };
  },

  // Errors: raised in a worker (class, index, worker's stack), a worker that exits, a timeout,
  // datasets and functions that cannot move to a worker.
  errors() {
    const out = {};
    const seen = [];
    out.raised = errorOf(() => {
      for (const b of new DataLoader(new ds.Plain(20, { fail_at: 7 }), { batch_size: 2, num_workers: 2 })) seen.push(plain(b));
    });
    out.before_error = seen;
    out.torch_error = errorOf(() => batches(new DataLoader(new ds.Plain(6, { torch_fail_at: 2 }), { batch_size: 2, num_workers: 2 })));
    out.exited = errorOf(() => batches(new DataLoader(new ds.Plain(20, { exit_at: 5 }), { batch_size: 2, num_workers: 2 })));
    out.timeout = errorOf(() => batches(new DataLoader(new ds.Plain(4, { sleep_ms: 3000 }), { batch_size: 2, num_workers: 1, timeout: 0.5 })));
    class Local extends torch.utils.data.Dataset {
      __len__() { return 2; }
      __getitem__(i) { return i; }
    }
    out.local_class = errorOf(() => batches(new DataLoader(new Local(), { num_workers: 1 })));
    out.closure_init = errorOf(() => batches(new DataLoader(new ds.Plain(2), { num_workers: 1, worker_init_fn: () => undefined })));
    out.closure_collate = errorOf(() => batches(new DataLoader(new ds.Plain(2), { num_workers: 1, collate_fn: (b) => b })));
    out.persistent_no_workers = errorOf(() => new DataLoader(new ds.Plain(2), { persistent_workers: true }));
    out.dataset_twice = errorOf(() => new DataLoader(new ds.Plain(2), { dataset: new ds.Plain(2) }));
    return out;
  },

  async async_errors() {
    try {
      await asyncBatches(new DataLoader(new ds.Plain(20, { fail_at: 4, async: true }), { batch_size: 2, num_workers: 2 }));
      return { error: null };
    } catch (e) {
      return { error: { name: e.constructor.name, message: e.message } };
    }
  },

  // Early break, an abandoned iterator collected by GC, errors and persistent workers leave no
  // thread behind and no parked tensor.
  async lifetime() {
    batches(new DataLoader(new ds.Plain(8), { batch_size: 2, num_workers: 2 }));  // warm-up: libtorch's own pools
    const t0 = await stable();
    const out = { t0 };
    for (const b of new DataLoader(new ds.Plain(50), { batch_size: 2, num_workers: 2 })) if (plain(b)[0][0] >= 4) break;
    out.after_break = await settle(t0);
    for await (const b of new DataLoader(new ds.Plain(50), { batch_size: 2, num_workers: 2 })) if (plain(b)[0][0] >= 4) break;
    out.after_async_break = await settle(t0);
    (() => {
      const it = new DataLoader(new ds.Plain(50), { batch_size: 2, num_workers: 2 })[Symbol.iterator]();
      it.next();
    })();
    out.running_before_gc = threads() > t0;
    for (let k = 0; k < 5; k++) { global.gc(); await sleep(20); }
    out.after_gc = await settle(t0);
    errorOf(() => batches(new DataLoader(new ds.Plain(20, { fail_at: 3 }), { batch_size: 2, num_workers: 2 })));
    out.after_error = await settle(t0);
    let dl = new DataLoader(new ds.Plain(6), { batch_size: 2, num_workers: 2, persistent_workers: true });
    out.persistent = [batches(dl), batches(dl)];
    for (const b of dl) if (plain(b)) break;  // an epoch left early: the next one starts afresh
    out.persistent_after_break = batches(dl);
    out.persistent_alive = threads() > t0;
    dl = null;
    for (let k = 0; k < 5; k++) { global.gc(); await sleep(20); }
    out.after_persistent_gc = await settle(t0);
    await sleep(100);
    out.parked = native._tensor_parked();
    // The process must now exit by itself (the test checks that it does).
    return out;
  },

  // A process that stops iterating and does nothing else exits (workers never keep it alive).
  exit_mid_iteration() {
    const it = new DataLoader(new ds.Plain(1000, { sleep_ms: 5 }), { batch_size: 2, num_workers: 2 })[Symbol.iterator]();
    it.next();
    globalThis.keep = it;
    return { ok: true };
  },

  // The default generator is per thread: four threads seeded alike at once make the same layer
  // weights and random numbers, equal to the main thread's.
  // The first pool's worker 0 hands V8's code cache of torch-node's files to the main thread;
  // later pools compile from it and give the same batches.
  code_cache() {
    const { _code_cache_files } = require('../../../../dist/utils/data/_utils/code_cache.js');
    const { DataLoader } = torch.utils.data;
    const before = _code_cache_files();
    const dl = new DataLoader(new ds.Plain(6), { batch_size: 2, num_workers: 2 });
    const first = batches(dl);
    const after_first = _code_cache_files();
    const second = batches(dl);
    const third = batches(new DataLoader(new ds.Aug(5), { batch_size: 2, num_workers: 2 }));
    const base = batches(new DataLoader(new ds.Plain(6), { batch_size: 2 }));
    return { before, after_first, first, second, base, third_len: third.length, parked: native._tensor_parked() };
  },

  async threads_rng() {
    // Ops that take no generator in ATen (dropout family, *_like, RNN stacks with dropout), after
    // manual_seed(5): a worker's twins must give what ATen's ops give on the main thread.
    function noGenerator(torch) {
      const F = torch.nn.functional;
      torch.manual_seed(5);
      const x = torch.arange(1, 25, { dtype: torch.float64 }).reshape(2, 3, 4);
      const r = [F.dropout(x, 0.3).tolist(), F.dropout(x.transpose(0, 2), 0.5).tolist(), F.dropout2d(x, 0.5).tolist(),
        F.dropout3d(x.reshape(1, 2, 3, 4), 0.5).tolist(), F.alpha_dropout(x, 0.2, true).tolist(), F.feature_alpha_dropout(x, 0.2, true).tolist(),
        F.dropout(x, 1.0).tolist(), F.dropout(x, 0.4, false).tolist()];
      const y = x.clone();
      F.dropout(y, 0.5, true, true);
      r.push(y.tolist());
      r.push(torch.rand_like(x).tolist(), torch.randn_like(x, { dtype: torch.float32 }).tolist(), torch.randint_like(x, 7).tolist(), torch.randint_like(x, -3, 3).tolist());
      const d = new torch.nn.Dropout(0.5);
      r.push(d(x).tolist());
      for (const [Cls, bf] of [[torch.nn.LSTM, false], [torch.nn.GRU, true], [torch.nn.RNN, false]]) {
        const m = new Cls(4, 3, { num_layers: 3, dropout: 0.5, bidirectional: true, batch_first: bf, dtype: torch.float64 });
        const [out, h] = m(x);
        const hs = Array.isArray(h) ? h : [h];
        r.push([out.tolist(), ...hs.map((t) => t.tolist())]);
        const packed = torch.nn.utils.rnn.pack_padded_sequence(x, [3, 2], { batch_first: true });
        const [po] = m(packed);
        r.push(po.data.tolist());
      }
      const lp = new torch.nn.LSTM(4, 3, { num_layers: 2, dropout: 0.5, proj_size: 2, dtype: torch.float64 });
      const [lo, [lh, lc]] = lp(x);
      r.push([lo.tolist(), lh.tolist(), lc.tolist()]);
      return r;
    }
    const { Worker } = require('worker_threads');
    const src = `
      const torch = require(${JSON.stringify(require.resolve('../../../../dist/index.js'))});
      const noGenerator = ${noGenerator.toString()};
      const { parentPort } = require('worker_threads');
      const out = [];
      for (let r = 0; r < 20; r++) {
        torch.manual_seed(0);
        const l = new torch.nn.Linear(8, 1);
        out.push([l.weight.tolist(), torch.rand(3).tolist(), torch.randperm(6).tolist(), torch.empty(4).bernoulli_(0.5).tolist(), String(torch.initial_seed())]);
        out.push(noGenerator(torch));
        const state = torch.get_rng_state();
        const a = torch.rand(4).tolist();
        torch.set_rng_state(state);
        if (JSON.stringify(torch.rand(4).tolist()) !== JSON.stringify(a)) throw new Error('get_rng_state/set_rng_state are not per thread');
      }
      parentPort.postMessage(out);`;
    torch.manual_seed(1);
    const expected = torch.rand(3).tolist();
    torch.manual_seed(1);
    const runs = await Promise.all([0, 1, 2, 3].map(() => new Promise((res, rej) => {
      const w = new Worker(src, { eval: true });
      w.once('message', res);
      w.once('error', rej);
    })));
    const main_after_workers = torch.rand(3).tolist();  // the workers' seeding did not touch this thread's generator
    torch.manual_seed(0);
    const l = new torch.nn.Linear(8, 1);
    const main = [l.weight.tolist(), torch.rand(3).tolist(), torch.randperm(6).tolist(), torch.empty(4).bernoulli_(0.5).tolist(), String(torch.initial_seed())];
    const main_nogen = noGenerator(torch);
    return { runs, main, main_nogen, expected, main_after_workers };
  },
};

(async () => {
  const r = await scenarios[process.argv[2]]();
  process.stdout.write(JSON.stringify(r, (k, v) => (typeof v === 'bigint' ? Number(v) : v)) + '\n');
})().catch((e) => {
  process.stdout.write(JSON.stringify({ crashed: String(e && e.stack || e) }) + '\n');
  process.exitCode = 1;
});
