/**
 * Async forms (torch-node's additions; they return Promises and do their work on the libuv thread
 * pool, never on the JS thread):
 *   module.forward_async(...args)      nn.Module forward off the JS thread (eval mode)
 *   tensor.to_typed_array_async()      element read-back into a TypedArray
 *   tensor.tolist_async()              nested JS arrays
 *   torch.trace_async(fn)              any chain of ops (see ./trace.ts)
 * and libtorch's thread counts (torch.set_num_threads …).
 *
 * Safety: every job holds its own references to the tensors and packed weights it reads, taken
 * when it is queued, so disposing a tensor or a module while its job runs is safe. Results are
 * registered on the JS thread when the job completes.
 */
import { native } from '../binding';
import { Tensor } from '../tensor';
import { typedArrayFor, nestedArray } from '../_utils';
import { float32, float16, bfloat16, bool as tbool, int64 } from '../dtype';
import { TorchError } from '../errors';
import { Module } from '../nn/module';
import { Traced, trace_async, TraceOptions } from './trace';
import type { TypedArray } from '../../types/native';

export { trace_async };
export type { TraceOptions };

// ------------------------------------------------------------------ Tensor read-back

declare module '../tensor' {
  interface Tensor extends AsyncTensorMethods {}
}

function readAsync(t: Tensor, as: typeof float32 | null): Promise<TypedArray> {
  return new Promise((resolve, reject) => {
    const d = as ?? t.dtype;
    const Ctor = typedArrayFor(d);
    const out = new Ctor((t.numel() * d.itemsize) / Ctor.BYTES_PER_ELEMENT);
    native._read_async(t._h, out, as === null ? null : as._code, (err: Error | null, a: TypedArray) => (err ? reject(err) : resolve(a)));
  });
}

/** The async read-back methods of Tensor (defined on Tensor.prototype by lib/_tensor.ts). */
export class AsyncTensorMethods {
  /**
   * The elements, row-major, in a TypedArray of the matching kind (as to_typed_array()), copied
   * on the libuv thread pool. The tensor may be disposed as soon as this returns.
   */
  to_typed_array_async(this: Tensor): Promise<TypedArray> {
    try {
      return readAsync(this, null);
    } catch (e) {
      return Promise.reject(e);
    }
  }
  /** Nested JS arrays (as tolist()), with the element copy done on the libuv thread pool. */
  async tolist_async(this: Tensor): Promise<any> {
    const d = this.dtype;
    const shape = this.shape;
    if (d.is_complex) throw new TypeError('tolist() of complex tensors is not supported');
    const flat = (await readAsync(this, d === float16 || d === bfloat16 ? float32 : null)) as ArrayLike<any>;
    const conv: (v: any) => any = d === tbool ? (v) => v !== 0 : d === int64 ? (v) => Number(v) : (v) => v;
    return nestedArray(shape, (i) => conv(flat[i]));
  }
}

// ------------------------------------------------------------------ Module.forward_async

declare module '../nn/module' {
  interface Module {
    /**
     * Runs `this(...args)` (hooks and forward) on the libuv thread pool and resolves to its result
     * (torch-node's addition). Eval mode only: in training mode a forward may update state
     * (BatchNorm running stats, dropout masks), so the call is refused with a TorchError.
     *
     * The first call per input signature (tensor shapes/dtypes and other argument values) traces
     * forward on the JS thread and returns that call's result; later calls replay the traced graph
     * off the JS thread, bit for bit equal to the synchronous forward. Concurrent calls on one
     * module are safe; a forward that writes to its parameters or buffers in place runs its calls
     * one after another. Parameters and buffers are read at each call, so load_state_dict() and
     * in-place updates are seen; changing the forward's code or control flow is not (same caveats
     * as torch.jit.trace).
     *
     * Example:
     *   model.eval();
     *   const y = await model.forward_async(x);
     */
    forward_async(...args: any[]): Promise<any>;
  }
}

const traced = new WeakMap<Module, Traced<any[], any>>();

/** Ids of packed quantized weights held by a module tree (modules that define _packed_ids()). */
function packedIds(m: Module): number[] {
  const ids: number[] = [];
  for (const sub of m.modules()) {
    const f = (sub as any)._packed_ids;
    if (typeof f === 'function') ids.push(...(f.call(sub) as number[]));
  }
  return ids;
}

function forward_async(this: Module, ...args: any[]): Promise<any> {
  try {
    for (const [name, sub] of this.named_modules()) {
      if (sub.training) {
        throw new TorchError(
          `forward_async() needs eval mode: ${name === '' ? this._get_name() : `submodule '${name}' (${sub._get_name()})`} is in training mode. ` +
            'In training mode a forward may update module state (BatchNorm running stats), which concurrent calls would race on; call model.eval() first.',
        );
      }
    }
    let tr = traced.get(this);
    if (tr === undefined) {
      const self = this;
      tr = new Traced((...a: any[]) => self(...a), {
        state: () => [...self.parameters(), ...self.buffers()],
        packed: () => packedIds(self),
        name: 'forward_async',
      });
      traced.set(this, tr);
    }
    return tr.call(args);
  } catch (e) {
    return Promise.reject(e);
  }
}

Object.defineProperty(Module.prototype, 'forward_async', { value: forward_async, writable: true, configurable: true, enumerable: false });

// ------------------------------------------------------------------ thread counts

/**
 * torch.set_num_threads(int): the number of threads libtorch uses for intra-op parallelism
 * (process-wide: every worker_thread shares it). See README "Serving" for how it shares the
 * machine with the libuv pool.
 */
export function set_num_threads(n: number): void {
  native._set_num_threads(n);
}
/** torch.get_num_threads(): the number of intra-op threads. */
export function get_num_threads(): number {
  return native._get_num_threads();
}
/**
 * torch.set_num_interop_threads(int): the size of libtorch's inter-op pool. As in PyTorch it can
 * be set once, before any inter-op work starts; later calls throw a TorchError.
 */
export function set_num_interop_threads(n: number): void {
  native._set_num_interop_threads(n);
}
/** torch.get_num_interop_threads(): the size of the inter-op pool. */
export function get_num_interop_threads(): number {
  return native._get_num_interop_threads();
}
