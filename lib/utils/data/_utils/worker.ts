/**
 * torch.utils.data._utils.worker: what runs inside a DataLoader worker thread, and
 * get_worker_info() (PyTorch 1.13's torch/utils/data/_utils/worker.py).
 *
 * A worker seeds its own default generator with `base_seed + worker_id` (the default generator is
 * per thread: native/tensor/random.cc), sets the WorkerInfo that get_worker_info() returns, calls
 * worker_init_fn(worker_id), then fetches the index lists the main thread sends, one at a time in
 * the order sent, and posts back each collated batch (tensors by handle, see transfer.ts), the
 * error that a fetch raised (with its stack), or the end of an iterable dataset.
 */
import { manual_seed } from '../../../random';
import { encodeBatch, decode } from './transfer';
import { pin_memory as pinBatch } from './pin_memory';
import { iterOf } from '../dataloader';
import { getitem } from '../dataset';

/**
 * What get_worker_info() returns in a worker: its id, the number of workers, its seed
 * (`base_seed + id`) and its copy of the dataset.
 */
export class WorkerInfo {
  readonly id: number;
  readonly num_workers: number;
  readonly seed: number | bigint;
  readonly dataset: any;
  constructor(o: { id: number; num_workers: number; seed: number | bigint; dataset: any }) {
    this.id = o.id;
    this.num_workers = o.num_workers;
    this.seed = o.seed;
    this.dataset = o.dataset;
    Object.freeze(this);
  }
  toString(): string {
    return `WorkerInfo(id=${this.id}, num_workers=${this.num_workers}, seed=${this.seed}, dataset=${this.dataset?.constructor?.name ?? typeof this.dataset})`;
  }
}

let worker_info: WorkerInfo | null = null;

/**
 * torch.utils.data.get_worker_info(): in a DataLoader worker thread, its WorkerInfo (id,
 * num_workers, seed, dataset); null in the main thread. Use it in an IterableDataset's iterator to
 * give each worker its own shard, or in worker_init_fn to configure the worker's dataset copy.
 */
export function get_worker_info(): WorkerInfo | null {
  return worker_info;
}

/** The data a worker thread starts with (workerData). */
export interface WorkerStart {
  __torch_node_dataloader_worker__: true;
  worker_id: number;
  num_workers: number;
  base_seed: string;       // a bigint, as text
  group: number;           // transfer group of the pool
  signal: SharedArrayBuffer;
  kind: 'map' | 'iterable';
  auto_collation: boolean;
  drop_last: boolean;
  pin: boolean;
  pin_device: string | null;
  payload: any;            // encoded {dataset, collate_fn, worker_init_fn}
  code_cache?: import('./code_cache').CodeCacheStart;
}

const isThenable = (v: any) => v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';

/** The worker's loop. `port` carries tasks in and results out. */
export async function worker_loop(start: WorkerStart, port: import('worker_threads').MessagePort): Promise<void> {
  const sig = new Int32Array(start.signal);
  const post = (m: any) => {
    port.postMessage(m);
    Atomics.add(sig, 0, 1);
    Atomics.notify(sig, 0);
  };
  const wid = start.worker_id;
  const errorOf = (e: any) => ({
    name: e?.constructor?.name ?? 'Error',
    message: e instanceof Error ? e.message : String(e),
    stack: e instanceof Error && e.stack ? e.stack : String(e),
  });
  let initError: any = null;
  let dataset: any;
  let collate_fn: (b: any) => any;
  let iter: any = null;
  let ended = false;
  try {
    const seed = BigInt(start.base_seed) + BigInt(wid);
    manual_seed(seed);
    const p = await decode(start.payload);
    dataset = p.dataset;
    collate_fn = p.collate_fn;
    const s = seed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seed) : seed;
    worker_info = new WorkerInfo({ id: wid, num_workers: start.num_workers, seed: s, dataset });
    if (p.worker_init_fn) await p.worker_init_fn(wid);
  } catch (e) {
    initError = errorOf(e);
  }
  const resetFetcher = () => {
    ended = false;
    iter = null;
  };
  const nextItem = async (): Promise<{ done: boolean; value?: any }> => {
    if (iter === null) iter = iterOf(dataset, true);
    const r = await iter.next();
    if (r.done) return { done: true };
    return { done: false, value: await r.value };
  };
  const fetch = async (index: any): Promise<any> => {
    if (start.kind === 'iterable') {
      if (start.auto_collation) {
        const data: any[] = [];
        for (let k = 0; k < index.length; k++) {
          const r = await nextItem();
          if (r.done) break;
          data.push(r.value);
        }
        if (data.length === 0 || (start.drop_last && data.length < index.length)) return STOP;
        return collate_fn(data);
      }
      const r = await nextItem();
      if (r.done) return STOP;
      return collate_fn(r.value);
    }
    if (start.auto_collation) {
      const items = (index as number[]).map((i) => getitem(dataset, i));
      return collate_fn(items.some(isThenable) ? await Promise.all(items) : items);
    }
    const item = getitem(dataset, index);
    return collate_fn(isThenable(item) ? await item : item);
  };

  // Tasks are handled one at a time in the order they arrive.
  const queue: any[] = [];
  let busy = false;
  const pump = async () => {
    if (busy) return;
    busy = true;
    while (queue.length) {
      const m = queue.shift();
      if (m.type === 'resume') {
        resetFetcher();
        post({ type: 'resume' });
        continue;
      }
      const { idx, index } = m;
      if (initError !== null) {
        post({ type: 'error', idx, error: initError, index });
        initError = null;
        continue;
      }
      if (ended) continue;
      try {
        let data = await fetch(index);
        if (data === STOP) {
          ended = true;
          post({ type: 'stop', idx, worker_id: wid });
          continue;
        }
        if (start.pin) data = pinBatch(data, start.pin_device);
        post({ type: 'data', idx, data: encodeBatch(data, start.group) });
      } catch (e) {
        post({ type: 'error', idx, error: errorOf(e), index });
      }
    }
    busy = false;
  };
  port.on('message', (m: any) => {
    if (m.type === 'stop_worker') {
      port.close();
      return;
    }
    queue.push(m);
    void pump();
  });
  post({ type: 'ready' });
}

const STOP = Symbol('StopIteration');
