/**
 * Running chains of ops off the JS thread.
 *
 * How: the first call with a given input signature (shapes, dtypes, devices of the tensors, and
 * the values of every non-tensor argument) runs the function once on the JS thread under
 * libtorch's JIT tracer, which records every ATen call torch-node's native entry points make into
 * a graph; that first call's own results are returned. Later calls with the same signature replay
 * the graph on the libuv thread pool (napi_async_work) with the new tensors, through libtorch's
 * interpreter without any optimization pass, so results equal the synchronous path bit for bit.
 *
 * The caveats are torch.jit.trace's: control flow that depends on tensor values (`if (x.item() >
 * 0)`), values read out of tensors (item(), tolist()) and JS-side state are baked into the graph
 * for that signature; tensors the function uses that are neither inputs nor `state` become
 * constants (a constant that requires grad is refused: pass it as state).
 */
import { native } from '../binding';
import { Tensor } from '../tensor';
import { dtype } from '../dtype';
import { TorchError } from '../errors';
import { NativeObject } from '../_native_object';

/** What a traced function needs besides its arguments. */
export interface TraceOptions {
  /** Tensors read by the function that may change between calls (weights): graph inputs too. */
  state?: () => Tensor[];
  /** Ids of packed quantized weights the function uses (kept alive by each job). */
  packed?: () => number[];
  /** How many input signatures to keep graphs for (least recently used are dropped). Default 16. */
  max_signatures?: number;
  /** Name used in error messages. */
  name?: string;
}

const freeGraph = (gid: number): void => native._graph_free(gid);

/** One traced graph (a NativeObject: freed when evicted from the cache or collected). */
class Entry extends NativeObject {
  constructor(gid: number, readonly mutates: boolean, readonly out: unknown /* tensors replaced by {__tn_out: index} */) {
    super(gid, freeGraph);
  }
  get gid(): number {
    return this._id;
  }
}

const OUT = '__tn_out';

/** Appends the tensors of `v` to `tensors` (first occurrence only) and its signature to `key`. */
function signature(v: unknown, tensors: Tensor[], seen: Map<Tensor, number>, key: string[], depth: number): void {
  if (depth > 32) throw new TypeError('trace: arguments nest too deeply');
  if (v instanceof Tensor) {
    const i = seen.get(v);
    if (i !== undefined) {
      key.push(`R${i}`);
      return;
    }
    seen.set(v, tensors.length);
    tensors.push(v);
    key.push(`T${native._dtype(v._h)}|${native._shape(v._h).join('x')}|${native._device(v._h)}`);
    return;
  }
  if (v === null) return void key.push('N');
  switch (typeof v) {
    case 'undefined': return void key.push('U');
    case 'number': return void key.push(`n${Object.is(v, -0) ? '-0' : v}`);
    case 'bigint': return void key.push(`b${v}`);
    case 'boolean': return void key.push(v ? 't' : 'f');
    case 'string': return void key.push(`s${JSON.stringify(v)}`);
    case 'function': throw new TypeError('trace: functions cannot be arguments of a traced function');
  }
  if (Array.isArray(v)) {
    key.push(`[${v.length}`);
    for (const x of v) signature(x, tensors, seen, key, depth + 1);
    key.push(']');
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    key.push('{');
    for (const k of Object.keys(v as object)) {
      key.push(JSON.stringify(k));
      signature((v as any)[k], tensors, seen, key, depth + 1);
    }
    key.push('}');
    return;
  }
  if (v instanceof dtype) return void key.push(`d${v._code}`);
  // Other objects (torch.device, memory_format …) are identified by their printout.
  key.push(`o${(v as object).constructor?.name}:${String(v)}`);
}

/** The result's structure with its tensors replaced by output slots. */
function flattenOut(v: unknown, outs: Tensor[], depth: number): unknown {
  if (depth > 32) throw new TypeError('trace: the result nests too deeply');
  if (v instanceof Tensor) {
    outs.push(v);
    return { [OUT]: outs.length - 1 };
  }
  if (Array.isArray(v)) return v.map((x) => flattenOut(x, outs, depth + 1));
  if (v !== null && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v)) o[k] = flattenOut((v as any)[k], outs, depth + 1);
      return o;
    }
  }
  if (typeof v === 'function') throw new TypeError('trace: a traced function cannot return a function');
  return v;
}

function unflatten(t: unknown, outs: (Tensor | null)[]): unknown {
  if (Array.isArray(t)) return t.map((x) => unflatten(x, outs));
  if (t !== null && typeof t === 'object') {
    if (OUT in (t as object)) return outs[(t as any)[OUT]];
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(t)) o[k] = unflatten((t as any)[k], outs);
    return o;
  }
  return t;
}

/** @internal One traced function: its graphs by input signature and its job queue. */
export class Traced<A extends any[], R> {
  private readonly cache = new Map<string, Entry>();
  private tail: Promise<unknown> = Promise.resolve();
  private readonly max: number;

  constructor(private readonly fn: (...args: A) => R, private readonly opts: TraceOptions = {}) {
    this.max = opts.max_signatures ?? 16;
    if (!Number.isInteger(this.max) || this.max < 1) throw new RangeError('max_signatures must be a positive integer');
  }

  /** Number of input signatures traced so far (and still cached). */
  get signatures(): number {
    return this.cache.size;
  }

  /** The IR of the graphs traced so far (for inspection). */
  graphs(): string[] {
    return [...this.cache.values()].map((e) => native._graph_str(e.gid) as string);
  }

  call(args: A): Promise<Awaited<R>> {
    try {
      return this.callUnsafe(args);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private callUnsafe(args: A): Promise<Awaited<R>> {
    const inputs: Tensor[] = [];
    const seen = new Map<Tensor, number>();
    const key: string[] = [];
    signature(args, inputs, seen, key, 0);
    const nArgs = inputs.length;
    if (this.opts.state) {
      key.push('|S');
      for (const t of this.opts.state()) {
        if (!(t instanceof Tensor)) throw new TypeError('trace: state() must return Tensors');
        signature(t, inputs, seen, key, 0);
      }
    }
    for (const t of inputs) if (t._h < 0) throw new TorchError('the tensor was disposed (or the handle is invalid): use after dispose');
    const k = key.join(',');
    const e = this.cache.get(k);
    if (e === undefined) return Promise.resolve(this.trace(k, args, inputs, nArgs)) as Promise<Awaited<R>>;
    this.cache.delete(k); // LRU order: most recent last
    this.cache.set(k, e);
    const packed = this.opts.packed ? this.opts.packed() : null;
    if (!e.mutates) return this.queue(e, inputs, packed, null);
    // A graph that writes to its inputs (state updated in place) runs after the previous job of
    // this function ends. Aliases taken now keep this call's tensors even if disposed meanwhile.
    const held = inputs.map((t) => (t as any).alias() as Tensor);
    const grad = native._async_grad_enabled() as boolean;
    const run = this.tail.then(() => this.queue(e, held, packed, grad)).finally(() => {
      for (const t of held) t.dispose();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private trace(k: string, args: A, inputs: Tensor[], nArgs: number): R {
    let result!: R;
    let out: unknown;
    const [gid, mutates] = native._trace(() => {
      result = this.fn(...args);
      if (result !== null && typeof (result as any)?.then === 'function') {
        throw new TypeError(`${this.opts.name ?? 'trace'}: the traced function must be synchronous (it returned a Promise)`);
      }
      const outs: Tensor[] = [];
      out = flattenOut(result, outs, 0);
      return outs.map((t) => t._h);
    }, inputs.map((t) => t._h)) as [number, boolean];
    void nArgs;
    const entry = new Entry(gid, mutates, out);
    this.cache.set(k, entry);
    if (this.cache.size > this.max) {
      const oldest = this.cache.keys().next().value as string;
      const old = this.cache.get(oldest) as Entry;
      this.cache.delete(oldest);
      old.dispose();
    }
    return result;
  }

  private queue(e: Entry, inputs: Tensor[], packed: number[] | null, grad: boolean | null): Promise<any> {
    return new Promise((resolve, reject) => {
      native._run_graph_async(e.gid, inputs.map((t) => t._h), packed, grad, (err: Error | null, hs: (number | null)[]) => {
        if (err) return reject(err);
        // Wrapped here, synchronously, before any other native call (lib/tensor.ts invariant).
        const outs = hs.map((h) => (h === null ? null : new Tensor(h)));
        resolve(unflatten(e.out, outs));
      });
    });
  }
}

/**
 * torch.trace_async(fn, options?): returns an async version of `fn` whose calls run on the libuv
 * thread pool (torch-node's addition). `fn` takes tensors (and other values) and returns a tensor
 * or arrays/objects of tensors, synchronously, using torch-node ops.
 *
 * The first call per input signature traces `fn` on the JS thread (and returns that call's
 * results); later calls replay the traced graph off the JS thread. See the module comment for
 * the caveats (those of torch.jit.trace).
 *
 * Args:
 *   fn: the function to trace.
 *   options.state: () => the tensors fn reads besides its arguments (weights), passed to each run.
 *   options.max_signatures: graphs kept (LRU), default 16.
 *
 * Example:
 *   const f = torch.trace_async((x, w) => x.matmul(w).relu().sum({ dim: 1 }));
 *   const y = await f(x, w);
 */
export function trace_async<A extends any[], R>(fn: (...args: A) => R, options: TraceOptions = {}): ((...args: A) => Promise<Awaited<R>>) & { graphs(): string[] } {
  if (typeof fn !== 'function') throw new TypeError(`trace_async(): argument 'fn' must be a function`);
  const tr = new Traced(fn, options);
  const f = (...args: A) => tr.call(args);
  (f as any).graphs = () => tr.graphs();
  return f as any;
}
