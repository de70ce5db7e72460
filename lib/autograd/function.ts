/**
 * torch.autograd.Function: custom differentiable operations written in JS.
 *
 * A subclass defines static `forward(ctx, ...args)` and `backward(ctx, ...grad_outputs)`;
 * `MyFn.apply(...args)` runs forward without recording a graph and connects its outputs to a
 * libtorch autograd Node whose backward calls the JS `backward` (native/autograd/autograd.cc,
 * JsFunctionNode). libtorch runs a CPU backward on the calling thread, so `backward` runs inside
 * `loss.backward()`; backward on CUDA graphs is posted to the JS thread like tensor hooks.
 * An error thrown by `backward` reaches the caller of `backward()` as a TorchError that carries the
 * JS stack.
 *
 * Example:
 *   class Exp extends torch.autograd.Function {
 *     static forward(ctx, i) { const r = i.exp(); ctx.save_for_backward(r); return r; }
 *     static backward(ctx, g) { const [r] = ctx.saved_tensors; return g.mul(r); }
 *   }
 *   const y = Exp.apply(x);
 */
import { native } from '../binding';
import { Tensor } from '../tensor';
import { TorchError } from '../errors';
import { no_grad } from './grad_mode';

const isGradEnabled = (): boolean => native._is_grad_enabled();

/** The `ctx` of forward/backward (PyTorch's FunctionCtx / BackwardCFunction). */
export class FunctionCtx {
  /** Per forward argument: whether it is a Tensor that requires grad. */
  needs_input_grad: boolean[] = [];
  _saved: (Tensor | null)[] = [];
  _dirty: Tensor[] = [];
  _non_differentiable: Tensor[] = [];
  _materialize_grads = true;
  _released = false;
  /** Saves tensors for backward (read back with `saved_tensors`). */
  save_for_backward(...tensors: (Tensor | null | undefined)[]): void {
    for (const t of tensors) {
      if (t !== null && t !== undefined && !(t instanceof Tensor)) throw new TypeError('save_for_backward can only save variables, but argument is not a Tensor');
    }
    this._saved = tensors.map((t) => t ?? null);
  }
  get saved_tensors(): (Tensor | null)[] {
    if (this._released) {
      throw new TorchError('Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed).');
    }
    return this._saved;
  }
  /** Marks inputs that forward modified in place. */
  mark_dirty(...tensors: Tensor[]): void {
    this._dirty = tensors;
  }
  /** Marks outputs that are not differentiable (their grads are always zero / null). */
  mark_non_differentiable(...tensors: Tensor[]): void {
    this._non_differentiable = tensors;
  }
  /** Whether undefined output grads reach backward as zeros (default) or as null. */
  set_materialize_grads(value: boolean): void {
    this._materialize_grads = Boolean(value);
  }
}

type Out = Tensor | Tensor[] | unknown;

/** Base class of custom autograd functions (torch.autograd.Function). */
export class Function {
  static forward(_ctx: FunctionCtx, ..._args: any[]): Out {
    throw new Error('You must implement the forward function for custom autograd.Function.');
  }
  static backward(_ctx: FunctionCtx, ..._grad_outputs: (Tensor | null)[]): Tensor | null | (Tensor | null)[] {
    throw new Error('You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.');
  }

  /** Runs forward and records the application for backward. */
  static apply(...args: any[]): any {
    const cls = this as typeof Function;
    const ctx = new FunctionCtx();
    ctx.needs_input_grad = args.map((a) => a instanceof Tensor && a.requires_grad);
    const record = isGradEnabled() && ctx.needs_input_grad.some(Boolean);
    const out = no_grad(() => cls.forward(ctx, ...args));
    if (!record) return out;
    const single = !Array.isArray(out);
    const outs = (single ? [out] : (out as unknown[])) as unknown[];
    const tensorOuts = outs.filter((o): o is Tensor => o instanceof Tensor);
    const tensorArgIdx = args.map((a, i) => (a instanceof Tensor ? i : -1)).filter((i) => i >= 0);
    const name = `${cls.name}Backward`;
    const trampoline = (gradHandles: (number | null)[]): (number | null)[] => {
      const grads = gradHandles.map((h) => (h === null ? null : new Tensor(h)));
      // grads of all outputs, in forward's order (non-tensor outputs get null)
      let k = 0;
      const allGrads = outs.map((o) => (o instanceof Tensor ? grads[k++] : null));
      let r: unknown;
      try {
        r = cls.backward(ctx, ...allGrads);
      } catch (e) {
        const err = e as Error;
        throw new TorchError(`${name}: backward of the custom Function ${cls.name} raised ${err?.name ?? 'an error'}: ${err?.message ?? String(e)}\n${err?.stack ?? ''}`);
      }
      const rs = Array.isArray(r) ? r : [r];
      const extraAllNull = rs.slice(args.length).every((g) => g === null || g === undefined);
      if (rs.length < args.length || !extraAllNull) {
        throw new TorchError(`function ${name} returned an incorrect number of gradients (expected ${args.length}, got ${rs.length})`);
      }
      return tensorArgIdx.map((i) => {
        const g = rs[i];
        if (g === null || g === undefined) return null;
        if (!(g instanceof Tensor)) throw new TorchError(`function ${name} returned a gradient that is not a Tensor or null at index ${i}`);
        return ctx.needs_input_grad[i] ? g._h : null;
      });
    };
    const inputs = tensorArgIdx.map((i) => (args[i] as Tensor)._h);
    const handles: number[] = native._function_apply(
      name, inputs, tensorOuts.map((t) => t._h), trampoline,
      ctx._dirty.map((t) => t._h), ctx._non_differentiable.map((t) => t._h), ctx._materialize_grads,
    );
    let j = 0;
    const wrapped = outs.map((o) => {
      if (!(o instanceof Tensor)) return o;
      const h = handles[j++];
      // a dirty input keeps its JS object: it was rebased in place
      return ctx._dirty.includes(o) ? o : new Tensor(h);
    });
    return single ? wrapped[0] : wrapped;
  }
}

/**
 * once_differentiable(backward): runs backward without recording a graph, for backward functions
 * that are not themselves differentiable.
 */
export function once_differentiable<F extends (ctx: FunctionCtx, ...g: (Tensor | null)[]) => any>(fn: F): F {
  return ((ctx: FunctionCtx, ...g: (Tensor | null)[]) => no_grad(() => fn(ctx, ...g))) as F;
}
