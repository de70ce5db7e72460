/**
 * torch.utils.data.DataLoader (PyTorch 1.13's torch/utils/data/dataloader.py).
 *
 * With `num_workers: 0` batches are made on the calling thread:
 * - `for (const batch of loader)`: synchronously, on demand (sampler order).
 * - `for await (const batch of loader)`: up to `prefetch_factor` batches are requested ahead, and
 *   items that are Promises (an async `__getitem__`, an async iterable dataset) resolve
 *   concurrently; synchronous dataset code still runs on the one JS thread.
 *
 * With `num_workers > 0` (both `for` and `for await`), each worker is a worker_thread with its own
 * copy of the dataset, seeded `base_seed + worker_id` as PyTorch seeds its worker processes;
 * `__getitem__` and `collate_fn` run there, and batches come back in sampler order with their
 * tensors moved by handle (no copy). See _utils/multiprocessing.ts for the protocol and
 * _utils/transfer.ts for how a dataset reaches a worker.
 *
 * Randomness: creating an iterator draws `_base_seed` from the loader's generator (or the default
 * one) exactly as PyTorch does, then the sampler draws its own; a seeded loader (or
 * torch.manual_seed) therefore gives PyTorch's batches, and leaves the generator where PyTorch
 * leaves it. With persistent_workers, later epochs reuse the workers (and their generators) and
 * draw no new base seed, as in PyTorch.
 */
import { int64 } from '../../dtype';
import { empty } from '../../generated/ops';
import { Generator } from '../../random';
import { Dataset, IterableDataset, isIterableDataset, len, getitem, MapDataset } from './dataset';
import { Sampler, SequentialSampler, RandomSampler, BatchSampler } from './sampler';
import { default_collate, default_convert } from './_utils/collate';
import { pin_memory as pinBatch } from './_utils/pin_memory';
import { native } from '../../binding';
import { WorkerPool, MultiProcessingCore, MultiProcessingIter, MultiProcessingAsyncIter } from './_utils/multiprocessing';

const isThenable = (v: any): v is PromiseLike<any> => v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';

/** PyTorch's _InfiniteConstantSampler: yields null forever (the index stream of iterable datasets). */
class InfiniteConstantSampler extends Sampler<null> {
  *[Symbol.iterator](): Iterator<null> {
    for (;;) yield null;
  }
}

export interface DataLoaderOptions<T = any> {
  batch_size?: number | null;
  shuffle?: boolean | null;
  sampler?: Iterable<any> | null;
  batch_sampler?: Iterable<number[]> | null;
  num_workers?: number;
  collate_fn?: ((batch: any) => any) | null;
  pin_memory?: boolean;
  drop_last?: boolean;
  timeout?: number;
  worker_init_fn?: ((worker_id: number) => void) | null;
  multiprocessing_context?: unknown;
  generator?: Generator | null;
  prefetch_factor?: number;
  persistent_workers?: boolean;
  pin_memory_device?: string;
  /** @internal */
  _dataset?: T;
}

const NAMES_WITH_DATASET = ['dataset'];
const NAMES = ['batch_size', 'shuffle', 'sampler', 'batch_sampler', 'num_workers', 'collate_fn', 'pin_memory', 'drop_last', 'timeout',
  'worker_init_fn', 'multiprocessing_context', 'generator'];
const KW_ONLY = ['prefetch_factor', 'persistent_workers', 'pin_memory_device'];

/**
 * Combines a dataset and a sampler, and iterates over batches of the dataset.
 *
 * Args:
 *   dataset (Dataset): map-style (`__getitem__`/`__len__`, or an array) or iterable-style.
 *   batch_size (number | null): samples per batch (default: 1); null disables batching.
 *   shuffle (boolean): reshuffle at every epoch (default: false).
 *   sampler (Sampler | Iterable): the order of indices (excludes shuffle).
 *   batch_sampler (Sampler | Iterable): yields index lists (excludes batch_size, shuffle, sampler, drop_last).
 *   num_workers (number): worker threads that load batches (default: 0, the calling thread). The
 *     dataset, collate_fn and worker_init_fn are sent to each worker (see the README's Data section:
 *     a dataset's class must be importable by the worker).
 *   collate_fn (function): merges a list of samples into a batch (default: default_collate).
 *   pin_memory (boolean): copy every batch into page-locked memory (faster, `non_blocking` host-to-GPU
 *     copies). As PyTorch 1.13: only when CUDA is available (otherwise batches are left as they are,
 *     silently), unless `pin_memory_device` names a device.
 *   drop_last (boolean): drop the last incomplete batch (default: false).
 *   generator (Generator): the generator for shuffling and the base seed.
 *   prefetch_factor (number, keyword only): batches prepared ahead per worker (default: 2; with
 *     num_workers 0, by `for await`).
 *   timeout (number): seconds to wait for a batch from the workers before an error (0: forever).
 *   worker_init_fn (function): called in each worker with its id, after seeding, before loading.
 *   persistent_workers (boolean, keyword only): keep the workers (and their dataset copies and
 *     generators) across epochs.
 *   multiprocessing_context: accepted for compatibility (workers are always threads).
 *
 * Example:
 *   const loader = new DataLoader(train_ds, {batch_size: 64, shuffle: true});
 *   const loader = new DataLoader({dataset: train_ds, batch_size: 64, num_workers: 2});
 *   for (const [x, y] of loader) { ... }
 *   for await (const [x, y] of loader) { ... }   // with prefetching
 */
export class DataLoader<T = any> {
  readonly dataset: MapDataset<T> | IterableDataset<T>;
  readonly batch_size: number | null;
  readonly drop_last: boolean;
  readonly sampler: Iterable<any>;
  readonly batch_sampler: Iterable<number[]> | null;
  readonly num_workers: number;
  readonly collate_fn: (batch: any) => any;
  readonly pin_memory: boolean;
  readonly timeout: number;
  readonly worker_init_fn: ((worker_id: number) => void) | null;
  readonly generator: Generator | null;
  readonly prefetch_factor: number;
  readonly persistent_workers: boolean;
  readonly pin_memory_device: string;
  private readonly _dataset_kind: 'map' | 'iterable';
  private _persistent: MultiProcessingCore | null = null;

  constructor(options: DataLoaderOptions<T> & { dataset: MapDataset<T> | IterableDataset<T> });
  constructor(dataset: MapDataset<T> | IterableDataset<T>, ...args: any[]);
  constructor(dataset: any, ...args: any[]) {
    // DataLoader(dataset=ds, batch_size=64): one options object holding `dataset` (a dataset itself
    // is never a plain object whose keys are all DataLoader parameters).
    if (args.every((a) => a === undefined) && isOptionsWithDataset(dataset)) {
      const { dataset: ds, ...rest } = dataset;
      dataset = ds;
      args = [rest];
    }
    const o: Record<string, any> = {
      batch_size: 1, shuffle: null, sampler: null, batch_sampler: null, num_workers: 0, collate_fn: null, pin_memory: false,
      drop_last: false, timeout: 0, worker_init_fn: null, multiprocessing_context: null, generator: null,
      prefetch_factor: 2, persistent_workers: false, pin_memory_device: '',
    };
    let pos = args;
    while (pos.length && pos[pos.length - 1] === undefined) pos = pos.slice(0, -1);
    const last = pos[pos.length - 1];
    const userKeys = new Set<string>();
    if (pos.length && last !== null && typeof last === 'object' && Object.getPrototypeOf(last) === Object.prototype) {
      pos = pos.slice(0, -1);
      for (const k of Object.keys(last)) {
        if (k === 'dataset') throw new TypeError("DataLoader() got multiple values for argument 'dataset'");
        if (!NAMES.includes(k) && !KW_ONLY.includes(k)) throw new TypeError(`DataLoader() got an unexpected keyword argument '${k}'`);
        if (last[k] !== undefined) o[k] = last[k];
        userKeys.add(k);
      }
    }
    if (pos.length > NAMES.length) throw new TypeError(`DataLoader() takes at most ${NAMES.length + 1} positional arguments`);
    pos.forEach((v, i) => {
      if (v === undefined) return;
      if (userKeys.has(NAMES[i])) throw new TypeError(`DataLoader() got multiple values for argument '${NAMES[i]}'`);
      o[NAMES[i]] = v;
    });
    if (dataset === null || dataset === undefined) throw new TypeError('DataLoader: dataset is required');
    if (!Number.isInteger(o.num_workers) || o.num_workers < 0) {
      throw new RangeError('num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.');
    }
    if (!Number.isInteger(o.prefetch_factor) || o.prefetch_factor < 1) throw new RangeError('prefetch_factor option must be a positive integer');
    if (typeof o.timeout !== 'number' || !(o.timeout >= 0)) throw new RangeError('timeout option should be non-negative');
    if (o.persistent_workers && o.num_workers === 0) throw new RangeError('persistent_workers option needs num_workers > 0');
    if (o.worker_init_fn !== null && typeof o.worker_init_fn !== 'function') throw new TypeError('DataLoader: worker_init_fn must be a function');
    if (o.generator !== null && !(o.generator instanceof Generator)) throw new TypeError('DataLoader: generator must be a torch.Generator');
    if (o.collate_fn !== null && typeof o.collate_fn !== 'function') throw new TypeError('DataLoader: collate_fn must be a function');
    if (o.batch_size !== null && (!Number.isInteger(o.batch_size) || o.batch_size <= 0)) {
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${o.batch_size}`);
    }
    this.dataset = dataset;
    this.num_workers = o.num_workers;
    this.prefetch_factor = o.prefetch_factor;
    this.pin_memory = o.pin_memory;
    this.pin_memory_device = o.pin_memory_device;
    this.timeout = o.timeout;
    this.worker_init_fn = o.worker_init_fn;
    this.persistent_workers = o.persistent_workers;

    let { shuffle, sampler, batch_sampler, batch_size, drop_last } = o;
    if (isIterableDataset(dataset)) {
      this._dataset_kind = 'iterable';
      if (shuffle !== false && shuffle !== null) throw new RangeError(`DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=${shuffle}`);
      if (sampler !== null) throw new RangeError(`DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=${sampler}`);
      if (batch_sampler !== null) throw new RangeError('DataLoader with IterableDataset: expected unspecified batch_sampler option');
    } else {
      this._dataset_kind = 'map';
      shuffle = Boolean(shuffle);
      if (typeof (dataset as any).__getitem__ !== 'function' && typeof (dataset as any).length !== 'number') {
        throw new TypeError('DataLoader: dataset must be a Dataset (with __getitem__), an array, or an IterableDataset');
      }
    }
    if (sampler !== null && shuffle) throw new RangeError('sampler option is mutually exclusive with shuffle');
    if (batch_sampler !== null) {
      if (batch_size !== 1 || shuffle || sampler !== null || drop_last) {
        throw new RangeError('batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last');
      }
      batch_size = null;
      drop_last = false;
    } else if (batch_size === null) {
      if (drop_last) throw new RangeError('batch_size=None option disables auto-batching and is mutually exclusive with drop_last');
    }
    if (sampler === null) {
      if (this._dataset_kind === 'iterable') sampler = new InfiniteConstantSampler();
      else if (shuffle) sampler = new RandomSampler(dataset as MapDataset, { generator: o.generator });
      else sampler = new SequentialSampler(dataset as MapDataset);
    } else if (typeof sampler[Symbol.iterator] !== 'function') throw new TypeError('DataLoader: sampler must be iterable');
    if (batch_size !== null && batch_sampler === null) batch_sampler = new BatchSampler(sampler, batch_size, drop_last);
    else if (batch_sampler !== null && typeof batch_sampler[Symbol.iterator] !== 'function') throw new TypeError('DataLoader: batch_sampler must be iterable');
    this.batch_size = batch_size;
    this.drop_last = drop_last;
    this.sampler = sampler;
    this.batch_sampler = batch_sampler;
    this.generator = o.generator;
    this.collate_fn = o.collate_fn ?? (batch_sampler !== null ? default_collate : default_convert);
  }

  private get _auto_collation(): boolean {
    return this.batch_sampler !== null;
  }
  private get _index_sampler(): Iterable<any> {
    return this._auto_collation ? this.batch_sampler! : this.sampler;
  }

  /** len(dataloader): the number of batches (for iterable datasets, from len(dataset)). */
  __len__(): number {
    if (this._dataset_kind === 'iterable') {
      const length = len(this.dataset);
      if (this.batch_size !== null) return this.drop_last ? Math.floor(length / this.batch_size) : Math.ceil(length / this.batch_size);
      return length;
    }
    return len(this._index_sampler);
  }
  /** The number of batches (`len(loader)`). */
  get length(): number {
    return this.__len__();
  }

  /** PyTorch's per-iterator base seed draw (it advances the generator as PyTorch does). */
  private _draw_base_seed(): bigint {
    const t = empty([], { dtype: int64 }).random_({ generator: this.generator });
    const s = (t.to_typed_array() as BigInt64Array)[0];
    t.dispose();
    return s;
  }

  /**
   * The collate function of one iteration: collate_fn, then pinning when the batch should be
   * pinned (PyTorch's _BaseDataLoaderIter: pin_memory with CUDA available, or with an explicit
   * pin_memory_device; warns when pin_memory_device is set without pin_memory).
   */
  private _collator(): (data: any) => any {
    const { pin, dev } = this._pin_settings();
    const collate = this.collate_fn;
    return pin ? (data: any) => pinBatch(collate(data), dev) : collate;
  }

  private _pin_settings(): { pin: boolean; dev: string | null } {
    let pin: boolean;
    let dev: string | null = null;
    if (this.pin_memory_device.length === 0) {
      pin = this.pin_memory && native._cuda_info()[0];
    } else {
      if (!this.pin_memory) {
        process.emitWarning("pin memory device is set and pin_memory flag is not used then device pinned memory won't be usedplease set pin_memory to true, if you need to use the device pin memory", 'UserWarning');
      }
      pin = this.pin_memory;
      dev = this.pin_memory_device;
    }
    return { pin, dev };
  }

  /**
   * The worker-thread state of a new pass (PyTorch's _MultiProcessingDataLoaderIter): a fresh pool
   * seeded from a new base seed, or, with persistent_workers, the loader's pool reset for a new
   * epoch (no new base seed, as in PyTorch).
   */
  private _worker_core(): MultiProcessingCore {
    if (this._persistent !== null) {
      this._persistent.reset(this._index_sampler, false);
      return this._persistent;
    }
    const { pin, dev } = this._pin_settings();
    const base_seed = this._draw_base_seed();
    const pool = new WorkerPool({
      num_workers: this.num_workers, base_seed, kind: this._dataset_kind, auto_collation: this._auto_collation,
      drop_last: this.drop_last, pin, pin_device: dev, dataset: this.dataset, collate_fn: this.collate_fn,
      worker_init_fn: this.worker_init_fn,
    });
    const core = new MultiProcessingCore(pool, {
      kind: this._dataset_kind, persistent: this.persistent_workers, prefetch_factor: this.prefetch_factor, timeout: this.timeout,
    });
    core.reset(this._index_sampler, true);
    if (this.persistent_workers) {
      this._persistent = core;
      loaders.register(this, pool);
    }
    return core;
  }

  /**
   * Synchronous iteration over batches. With num_workers 0, items that are Promises need
   * `for await`; with workers, the thread blocks until the next batch arrives.
   */
  [Symbol.iterator](): Iterator<any> {
    if (this.num_workers > 0) return new MultiProcessingIter(this._worker_core());
    return this._single_iter();
  }

  private *_single_iter(): Iterator<any> {
    const collate_fn = this._collator();
    this._draw_base_seed();
    if (this._dataset_kind === 'iterable') {
      const it = iterOf(this.dataset, false) as Iterator<any>;
      for (const idx of this._index_sampler) {
        const data = this._fetchIterable(it, idx, (v) => {
          if (isThenable(v)) throw new TypeError('the dataset returned a Promise: iterate with `for await`');
          return v;
        });
        if (data === DONE) return;
        yield collate_fn(data);
      }
      return;
    }
    for (const idx of this._index_sampler) {
      const data = this._auto_collation ? (idx as number[]).map((i) => this._get(i)) : this._get(idx);
      yield collate_fn(data);
    }
  }

  private _get(i: number): any {
    const v = getitem(this.dataset, i);
    if (isThenable(v)) throw new TypeError('the dataset returned a Promise (async __getitem__): iterate with `for await`');
    return v;
  }

  private _fetchIterable(it: Iterator<any>, idx: any, check: (v: any) => any): any {
    if (this._auto_collation) {
      const data: any[] = [];
      for (let k = 0; k < (idx as any[]).length; k++) {
        const r = it.next();
        if (r.done) break;
        data.push(check(r.value));
      }
      if (data.length === 0 || (this.drop_last && data.length < (idx as any[]).length)) return DONE;
      return data;
    }
    const r = it.next();
    if (r.done) return DONE;
    return check(r.value);
  }

  /**
   * Asynchronous iteration. With num_workers 0, `prefetch_factor` batches are requested ahead and
   * their (possibly async) items resolve concurrently; with workers, the event loop stays free
   * while they work. Batches come in order.
   */
  [Symbol.asyncIterator](): AsyncIterator<any> {
    if (this.num_workers > 0) return new MultiProcessingAsyncIter(this._worker_core());
    return this._single_async_iter();
  }

  private async *_single_async_iter(): AsyncIterator<any> {
    const collate_fn = this._collator();
    this._draw_base_seed();
    const window = this.prefetch_factor;
    const queue: Promise<any>[] = [];
    const silence = (p: Promise<any>) => { p.catch(() => undefined); return p; };
    try {
      if (this._dataset_kind === 'iterable') {
        // A stream is read in order; each batch waits for its items, later batches are requested
        // while earlier ones are consumed.
        const it = iterOf(this.dataset, true) as AsyncIterator<any>;
        const idxIt = this._index_sampler[Symbol.iterator]();
        let chain: Promise<any> = Promise.resolve();
        let ended = false;
        const next = (): boolean => {
          if (ended) return false;
          const r = idxIt.next();
          if (r.done) return false;
          const idx = r.value;
          const p = chain.then(async () => {
            if (ended) return DONE;
            const n = this._auto_collation ? (idx as any[]).length : 1;
            const data: any[] = [];
            for (let k = 0; k < n; k++) {
              const x = await it.next();
              if (x.done) { ended = true; break; }
              data.push(await x.value);
            }
            if (this._auto_collation) {
              if (data.length === 0 || (this.drop_last && data.length < n)) { ended = true; return DONE; }
              return collate_fn(data);
            }
            if (data.length === 0) return DONE;
            return collate_fn(data[0]);
          });
          chain = p.catch(() => undefined);
          queue.push(silence(p));
          return true;
        };
        for (let k = 0; k < window && next(); k++);
        while (queue.length) {
          const b = await queue.shift()!;
          if (b === DONE) return;
          next();
          yield b;
        }
        return;
      }
      const idxIt = this._index_sampler[Symbol.iterator]();
      const next = (): boolean => {
        const r = idxIt.next();
        if (r.done) return false;
        const idx = r.value;
        let p: Promise<any>;
        try {
          if (this._auto_collation) {
            const items = (idx as number[]).map((i) => getitem(this.dataset, i));
            p = items.some(isThenable) ? Promise.all(items).then((d) => collate_fn(d)) : Promise.resolve(items).then((d) => collate_fn(d));
          } else {
            const item = getitem(this.dataset, idx);
            p = Promise.resolve(item).then((d) => collate_fn(d));
          }
        } catch (e) {
          p = Promise.reject(e);
        }
        queue.push(silence(p));
        return true;
      };
      for (let k = 0; k < window && next(); k++);
      while (queue.length) {
        const b = await queue.shift()!;
        next();
        yield b;
      }
    } finally {
      for (const p of queue) p.catch(() => undefined);
    }
  }
}

const DONE = Symbol('done');

// A loader with persistent workers that is collected terminates its workers.
const loaders = new FinalizationRegistry<WorkerPool>((pool) => pool.shutdown());

const ALL_NAMES = new Set([...NAMES_WITH_DATASET, ...NAMES, ...KW_ONLY]);
function isOptionsWithDataset(v: any): boolean {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype &&
    Object.prototype.hasOwnProperty.call(v, 'dataset') && Object.keys(v).every((k) => ALL_NAMES.has(k));
}

/** @internal The iterator of an iterable-style dataset (also used by worker threads). */
export function iterOf(ds: any, allowAsync: boolean): Iterator<any> | AsyncIterator<any> {
  if (typeof ds.__iter__ === 'function' && ds instanceof IterableDataset) {
    const it = ds.__iter__();
    if (!allowAsync && typeof (it as any)[Symbol.asyncIterator] === 'function' && typeof (it as any)[Symbol.iterator] !== 'function') {
      throw new TypeError('the dataset is asynchronous: iterate with `for await`');
    }
    return it;
  }
  if (allowAsync && typeof ds[Symbol.asyncIterator] === 'function') return ds[Symbol.asyncIterator]();
  if (typeof ds[Symbol.iterator] === 'function') return ds[Symbol.iterator]();
  if (!allowAsync && typeof ds[Symbol.asyncIterator] === 'function') throw new TypeError('the dataset is asynchronous: iterate with `for await`');
  throw new TypeError('IterableDataset must implement [Symbol.iterator]() or __iter__()');
}

export { Dataset };
