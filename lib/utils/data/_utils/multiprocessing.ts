/**
 * The DataLoader's iterator with worker threads (PyTorch 1.13's _MultiProcessingDataLoaderIter,
 * on worker_threads instead of processes).
 *
 * Protocol (as PyTorch's): the main thread draws index lists from the sampler and sends task `i`
 * to the next active worker in round-robin order; `prefetch_factor * num_workers` tasks are in
 * flight; every batch handed to the consumer sends one more task. Results may arrive out of order
 * and are handed out in task order. An exhausted iterable dataset copy answers "stop" and gets no
 * more tasks.
 *
 * Waiting: each worker posts to its own MessagePort and then bumps a shared counter with
 * Atomics.notify, so the main thread can wait for "any worker posted" both synchronously
 * (Atomics.wait: `for...of` works with workers) and asynchronously (Atomics.waitAsync:
 * `for await`). While waiting it also watches for workers that died and for `timeout`.
 *
 * Lifetime: workers are unref'd (they never keep the process alive) and ref'd only while an
 * asynchronous `next()` waits for them. They are terminated when the iterator ends, on `break`
 * (return()), on an error, when the iterator (or, with persistent_workers, the loader) is
 * garbage-collected, and by Node at process exit. The tensors they parked but never delivered are
 * released after they exit.
 */
import * as path from 'path';
import * as fs from 'fs';
import { Worker, MessageChannel, MessagePort, receiveMessageOnPort, threadId } from 'worker_threads';
import { native } from '../../../binding';
import { Tensor } from '../../../tensor';
import { TorchError } from '../../../errors';
import { encode, decodeBatch } from './transfer';
import { codeCacheStart } from './code_cache';
import type { WorkerStart } from './worker';

/** How often a waiting main thread checks that its workers are alive (PyTorch: 5 s). */
const STATUS_CHECK_MS = 500;

let nextGroup = 1;
function newGroup(): number {
  // Unique across threads: a worker thread may run a DataLoader with workers of its own.
  return threadId * 1048576 + nextGroup++;
}

function workerEntry(): string {
  // From the compiled package, the entry sits next to this file; from the TypeScript sources
  // (ts-jest), a worker still needs compiled JavaScript: the package's dist/.
  if (!__filename.endsWith('.ts')) return path.join(__dirname, 'worker_main.js');
  const f = path.join(__dirname, '..', '..', '..', '..', 'dist', 'utils', 'data', '_utils', 'worker_main.js');
  if (!fs.existsSync(f)) throw new Error(`DataLoader workers run compiled JavaScript: ${f} is missing (npm run build:ts)`);
  return f;
}

export interface PoolOptions {
  num_workers: number;
  base_seed: bigint;
  kind: 'map' | 'iterable';
  auto_collation: boolean;
  drop_last: boolean;
  pin: boolean;
  pin_device: string | null;
  dataset: any;
  collate_fn: any;
  worker_init_fn: any;
}

interface Msg {
  type: 'ready' | 'data' | 'error' | 'stop' | 'resume' | 'exit' | 'fatal';
  idx?: number;
  data?: any;
  error?: { name: string; message: string; stack: string };
  index?: any;
  worker_id?: number;
  code?: number;
  _wid: number;
}

/** A set of worker threads with their ports; shut down once. */
export class WorkerPool {
  readonly n: number;
  readonly group: number;
  readonly sig: Int32Array;
  readonly workers: Worker[] = [];
  readonly ports: MessagePort[] = [];
  /** Workers the main thread asked to end (an iterable copy that is exhausted, or shutdown). */
  readonly stopped: boolean[];
  readonly threadErrors: (Error | null)[];
  private closed = false;
  private refs = 0;

  constructor(o: PoolOptions) {
    this.n = o.num_workers;
    this.group = newGroup();
    this.sig = new Int32Array(new SharedArrayBuffer(4));
    this.stopped = new Array(this.n).fill(false);
    this.threadErrors = new Array(this.n).fill(null);
    const entry = workerEntry();
    // Everything that crosses is encoded before any worker starts, so that a dataset that cannot
    // move fails here with a TypeError and no thread is left behind.
    const payloads: any[] = [];
    try {
      for (let k = 0; k < this.n; k++) {
        payloads.push({
          dataset: encode(o.dataset, this.group, 'dataset'),
          collate_fn: encode(o.collate_fn, this.group, 'collate_fn'),
          worker_init_fn: encode(o.worker_init_fn, this.group, 'worker_init_fn'),
        });
      }
    } catch (e) {
      native._tensor_drop_group(this.group);
      throw e;
    }
    for (let k = 0; k < this.n; k++) {
      const { port1, port2 } = new MessageChannel();
      const start: WorkerStart & { port: MessagePort } = {
        __torch_node_dataloader_worker__: true,
        worker_id: k, num_workers: this.n, base_seed: o.base_seed.toString(), group: this.group,
        signal: this.sig.buffer as SharedArrayBuffer, kind: o.kind, auto_collation: o.auto_collation, drop_last: o.drop_last,
        pin: o.pin, pin_device: o.pin_device, payload: payloads[k], port: port2,
      };
      const cc = codeCacheStart();
      start.code_cache = cc.start;
      const w = new Worker(entry, { workerData: start, transferList: [port2, ...cc.transfer], stdout: false, stderr: false });
      w.on('error', (e) => { this.threadErrors[k] = e; });
      w.unref();
      port1.unref();
      this.workers.push(w);
      this.ports.push(port1);
    }
  }

  /** Sends a task (or control message) to worker k. */
  send(k: number, m: any): void {
    this.ports[k].postMessage(m);
  }

  /** Asks worker k to end (its iterable dataset copy is exhausted). */
  stopWorker(k: number): void {
    this.stopped[k] = true;
    this.ports[k].postMessage({ type: 'stop_worker' });
  }

  /** The next message any worker posted, or null. */
  poll(): Msg | null {
    for (let k = 0; k < this.n; k++) {
      const r = receiveMessageOnPort(this.ports[k]);
      if (r) {
        const m = r.message as Msg;
        m._wid = k;
        return m;
      }
    }
    return null;
  }

  /** A worker that ended without being asked to, with what is known of why; null if none. */
  deadWorker(): { k: number; why: string } | null {
    for (let k = 0; k < this.n; k++) {
      if (this.stopped[k]) continue;
      const e = this.threadErrors[k];
      if (e) return { k, why: `: ${e.stack ?? e}` };
      if (this.workers[k].threadId === -1) return { k, why: '' };
    }
    return null;
  }

  ref(): void {
    if (this.refs++ === 0) for (const w of this.workers) w.ref();
  }
  unref(): void {
    if (--this.refs === 0) for (const w of this.workers) w.unref();
  }

  /** Terminates every worker; the tensors they parked and nobody took are released after. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    const group = this.group;
    const exits = this.workers.map((w) => new Promise<void>((res) => {
      if (w.threadId === -1) res();
      else w.once('exit', () => res());
    }));
    for (let k = 0; k < this.n; k++) {
      this.stopped[k] = true;
      this.ports[k].close();
      void this.workers[k].terminate();
    }
    void Promise.all(exits).then(() => native._tensor_drop_group(group));
  }
}

/** Frees the tensors of a batch that will never be handed out. */
function disposeBatch(v: any): void {
  if (v instanceof Tensor) v.dispose();
  else if (Array.isArray(v)) v.forEach(disposeBatch);
  else if (v instanceof Map) v.forEach(disposeBatch);
  else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) Object.values(v).forEach(disposeBatch);
}

const ERRORS: Record<string, new (m: string) => Error> = { TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, TorchError };

/** An error raised in a worker, as the main thread re-raises it (PyTorch's ExceptionWrapper). */
function workerError(wid: number, e: { name: string; message: string; stack: string }, index: any): Error {
  const where = index === undefined ? '' : ` while fetching ${Array.isArray(index) ? `indices ${JSON.stringify(index)}` : `index ${JSON.stringify(index)}`}`;
  const C = ERRORS[e.name] ?? Error;
  const err = new C(`Caught ${e.name} in DataLoader worker ${wid}${where}.\nOriginal ${e.stack}`);
  Object.assign(err, { worker_id: wid, index, worker_stack: e.stack });
  return err;
}

export const WAIT = Symbol('wait');
export const DONE = Symbol('done');

/** The state of one pass (PyTorch's _MultiProcessingDataLoaderIter fields). */
export class MultiProcessingCore {
  readonly pool: WorkerPool;
  private readonly kind: 'map' | 'iterable';
  private readonly persistent: boolean;
  private readonly prefetch: number;
  private readonly timeout: number;
  private sampler_iter!: Iterator<any>;
  private send_idx = 0;
  private rcvd_idx = 0;
  private task_info = new Map<number, { wid: number; msg?: Msg }>();
  private tasks_outstanding = 0;
  private workers_status: boolean[] = [];
  private cycle = 0;
  private awaiting_resume: boolean[] = [];
  private inbox: Msg[] = [];
  private waitStart = 0;
  private lastSig = 0;
  finished = false;

  constructor(pool: WorkerPool, o: { kind: 'map' | 'iterable'; persistent: boolean; prefetch_factor: number; timeout: number }) {
    this.pool = pool;
    this.kind = o.kind;
    this.persistent = o.persistent;
    this.prefetch = o.prefetch_factor;
    this.timeout = o.timeout;
  }

  /** Starts a pass over `sampler` (PyTorch's _reset); `first` for a fresh pool. */
  reset(sampler: Iterable<any>, first: boolean): void {
    this.sampler_iter = sampler[Symbol.iterator]();
    this.send_idx = 0;
    this.rcvd_idx = 0;
    // Results of an epoch that was left early, stored out of order and never handed out.
    for (const t of this.task_info.values()) if (t.msg?.type === 'data') disposeBatch(decodeBatch(t.msg.data));
    this.task_info.clear();
    this.tasks_outstanding = 0;
    this.workers_status = new Array(this.pool.n).fill(true);
    this.cycle = 0;
    this.finished = false;
    this.waitStart = 0;
    if (!first) {
      // Results of the previous pass still in flight arrive before each worker's acknowledgement
      // and are dropped.
      for (const m of this.inbox) if (m.type === 'data') disposeBatch(decodeBatch(m.data));
      this.inbox = [];
      this.awaiting_resume = new Array(this.pool.n).fill(true);
      for (let k = 0; k < this.pool.n; k++) this.pool.send(k, { type: 'resume' });
    } else {
      this.awaiting_resume = new Array(this.pool.n).fill(false);
    }
    for (let k = 0; k < this.prefetch * this.pool.n; k++) this.try_put_index();
  }

  private try_put_index(): void {
    const r = this.sampler_iter.next();
    if (r.done) return;
    let w = -1;
    for (let k = 0; k < this.pool.n; k++) {
      const c = this.cycle;
      this.cycle = (this.cycle + 1) % this.pool.n;
      if (this.workers_status[c]) { w = c; break; }
    }
    if (w < 0) return;
    this.pool.send(w, { type: 'task', idx: this.send_idx, index: r.value });
    this.task_info.set(this.send_idx, { wid: w });
    this.tasks_outstanding += 1;
    this.send_idx += 1;
  }

  /** The next result message, or null when none has arrived (then the caller waits). */
  private get_data(): Msg | null {
    for (;;) {
      let m = this.inbox.shift();
      if (!m) {
        this.lastSig = Atomics.load(this.pool.sig, 0);
        m = this.pool.poll() ?? undefined;
      }
      if (!m) return null;
      if (m.type === 'ready') continue;
      if (m.type === 'exit' || m.type === 'fatal') {
        if (this.pool.stopped[m._wid]) continue;
        const why = m.type === 'fatal' ? `: ${m.error!.stack}` : ` with exit code ${m.code}`;
        throw new Error(`DataLoader worker ${m._wid} exited unexpectedly${why}`);
      }
      if (this.awaiting_resume[m._wid]) {
        if (m.type === 'resume') this.awaiting_resume[m._wid] = false;
        else if (m.type === 'data') disposeBatch(decodeBatch(m.data));
        continue;
      }
      if (m.type === 'resume') continue;
      return m;
    }
  }

  /** One step of PyTorch's _next_data: a batch, DONE, or WAIT (nothing to hand out yet). */
  try_next(): any {
    for (;;) {
      let found = false;
      while (this.rcvd_idx < this.send_idx) {
        const info = this.task_info.get(this.rcvd_idx)!;
        if (info.msg || this.workers_status[info.wid]) { found = true; break; }
        this.task_info.delete(this.rcvd_idx);
        this.rcvd_idx += 1;
      }
      if (!found) {
        this.finished = true;
        if (!this.persistent) this.pool.shutdown();
        return DONE;
      }
      const info = this.task_info.get(this.rcvd_idx)!;
      if (info.msg) {
        this.task_info.delete(this.rcvd_idx);
        return this.process_data(info.msg);
      }
      const m = this.get_data();
      if (m === null) return WAIT;
      this.waitStart = 0;
      this.tasks_outstanding -= 1;
      if (this.kind === 'iterable' && m.type === 'stop') {
        if (this.persistent) this.workers_status[m.worker_id!] = false;
        else {
          this.workers_status[m.worker_id!] = false;
          this.pool.stopWorker(m.worker_id!);
        }
        this.try_put_index();
        continue;
      }
      if (m.idx !== this.rcvd_idx) {
        const t = this.task_info.get(m.idx!);
        if (t) t.msg = m;
        continue;
      }
      this.task_info.delete(m.idx!);
      return this.process_data(m);
    }
  }

  private process_data(m: Msg): any {
    this.rcvd_idx += 1;
    this.try_put_index();
    if (m.type === 'error') throw workerError(m._wid, m.error!, m.index);
    return decodeBatch(m.data);
  }

  /** How long to wait next (ms); throws on a dead worker or when `timeout` has passed. */
  private wait_slice(): number {
    const dead = this.pool.deadWorker();
    if (dead) {
      // Its last words (an error it posted) come first.
      const m = this.pool.poll();
      if (m) {
        this.inbox.push(m);
        return 0;
      }
      throw new Error(`DataLoader worker ${dead.k} exited unexpectedly${dead.why}`);
    }
    let slice = STATUS_CHECK_MS;
    if (this.timeout > 0) {
      const now = Date.now();
      if (this.waitStart === 0) this.waitStart = now;
      const left = this.waitStart + this.timeout * 1000 - now;
      if (left <= 0) throw new Error(`DataLoader timed out after ${this.timeout} seconds`);
      slice = Math.min(slice, left);
    }
    return slice;
  }

  /** Blocks the thread until a worker posts (or a slice passes). */
  wait_sync(): void {
    const slice = this.wait_slice();
    if (slice > 0) Atomics.wait(this.pool.sig, 0, this.lastSig, slice);
  }

  /** Waits without blocking the event loop. */
  async wait_async(): Promise<void> {
    const slice = this.wait_slice();
    if (slice <= 0) return;
    const r = (Atomics as any).waitAsync(this.pool.sig, 0, this.lastSig, slice);
    if (r.async) await r.value;
  }

  /** Ends the pass early (break, error, GC): a non-persistent pool is terminated. */
  close(): void {
    this.finished = true;
    if (!this.persistent) this.pool.shutdown();
  }
}

// Iterators that are dropped without being finished terminate their workers when collected.
const abandoned = new FinalizationRegistry<MultiProcessingCore>((core) => core.close());

/** `for (const b of loader)` with workers. */
export class MultiProcessingIter implements IterableIterator<any> {
  private readonly core: MultiProcessingCore;
  constructor(core: MultiProcessingCore) {
    this.core = core;
    abandoned.register(this, core, this);
  }
  [Symbol.iterator](): this {
    return this;
  }
  next(): IteratorResult<any> {
    const c = this.core;
    if (c.finished) return { done: true, value: undefined };
    try {
      for (;;) {
        const r = c.try_next();
        if (r === DONE) return this.end();
        if (r !== WAIT) return { done: false, value: r };
        c.wait_sync();
      }
    } catch (e) {
      this.end();
      throw e;
    }
  }
  return(): IteratorResult<any> {
    return this.end();
  }
  private end(): IteratorResult<any> {
    abandoned.unregister(this);
    this.core.close();
    return { done: true, value: undefined };
  }
}

/** `for await (const b of loader)` with workers. */
export class MultiProcessingAsyncIter implements AsyncIterableIterator<any> {
  private readonly core: MultiProcessingCore;
  private pending: Promise<any> = Promise.resolve();
  constructor(core: MultiProcessingCore) {
    this.core = core;
    abandoned.register(this, core, this);
  }
  [Symbol.asyncIterator](): this {
    return this;
  }
  next(): Promise<IteratorResult<any>> {
    // Calls are served one after another, as an async generator's are.
    const p = this.pending.then(() => this.step());
    this.pending = p.catch(() => undefined);
    return p;
  }
  private async step(): Promise<IteratorResult<any>> {
    const c = this.core;
    if (c.finished) return { done: true, value: undefined };
    c.pool.ref();
    try {
      for (;;) {
        const r = c.try_next();
        if (r === DONE) return this.end();
        if (r !== WAIT) return { done: false, value: r };
        await c.wait_async();
      }
    } catch (e) {
      this.end();
      throw e;
    } finally {
      c.pool.unref();
    }
  }
  async return(): Promise<IteratorResult<any>> {
    return this.end();
  }
  private end(): IteratorResult<any> {
    abandoned.unregister(this);
    this.core.close();
    return { done: true, value: undefined };
  }
}
