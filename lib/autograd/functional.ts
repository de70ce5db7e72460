/**
 * torch.autograd.functional: jacobian, hessian, vjp, jvp, vhp, hvp over torch.autograd.grad,
 * with PyTorch 1.13's argument and result forms (a Tensor for a single input/output, an array
 * for a tuple). Reverse mode only (no vectorize / forward-mode strategy).
 */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { grad, requireCallable } from './engine';
import { enable_grad } from './grad_mode';

// lib/autograd is loaded before the generated ops (tensor.ts needs it), so they are looked up on first use.

type TensorOrTuple = Tensor | Tensor[];
type Fn = (...inputs: Tensor[]) => TensorOrTuple;
interface Opts {
  create_graph?: boolean;
  strict?: boolean;
}

const asTuple = (x: TensorOrTuple, fname: string, what: string): [boolean, Tensor[]] => {
  const tuple = Array.isArray(x);
  const xs = tuple ? x : [x];
  xs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`The ${what} given to ${fname} must be either a Tensor or a tuple of Tensors but the value at index ${i} has type ${typeof t}.`);
  });
  return [tuple, xs];
};
const prep = (xs: Tensor[], create_graph: boolean): Tensor[] =>
  xs.map((t) => (create_graph && t.requires_grad ? t.view_as(t) : t.detach().requires_grad_(true)));
const post = (xs: (Tensor | null)[], create_graph: boolean): (Tensor | null)[] =>
  xs.map((t) => (t === null ? null : create_graph ? t : t.detach()));
const out1 = (tuple: boolean, xs: any[]) => (tuple ? xs : xs[0]);

function strictCheck(gs: (Tensor | null)[], strict: boolean, what: string): void {
  if (strict) gs.forEach((g, i) => {
    if (g === null) throw new RangeError(`The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode${what}.`);
  });
}

/** vjp(func, inputs, v=None, create_graph=False, strict=False) -> [func_output, vjp] */
export function vjp(func: Fn, inputs: TensorOrTuple, v?: TensorOrTuple | null, opts: Opts = {}): [TensorOrTuple, TensorOrTuple] {
  requireCallable('vjp', 'func', func);
  const cg = Boolean(opts.create_graph);
  return enable_grad(() => {
    const [tin, xs0] = asTuple(inputs, 'vjp', 'inputs');
    const xs = prep(xs0, cg);
    const [tout, outs] = asTuple(func(...xs), 'vjp', 'outputs of the user-provided function');
    let vs: Tensor[];
    if (v === undefined || v === null) {
      if (outs.length !== 1 || outs[0].numel() !== 1) throw new RangeError('The vector v can only be None if the user-provided function returns a single Tensor with a single element.');
      vs = [ops.ones_like(outs[0])];
    } else vs = asTuple(v, 'vjp', 'v')[1];
    const gs = grad(outs, xs, vs, { create_graph: cg, retain_graph: true, allow_unused: true });
    strictCheck(gs, Boolean(opts.strict), '');
    const res = post(gs, cg).map((g, i) => g ?? ops.zeros_like(xs[i]));
    return [out1(tout, post(outs, cg)), out1(tin, res)];
  });
}

/** jvp(func, inputs, v=None, create_graph=False, strict=False) -> [func_output, jvp] (the double-backward trick) */
export function jvp(func: Fn, inputs: TensorOrTuple, v?: TensorOrTuple | null, opts: Opts = {}): [TensorOrTuple, TensorOrTuple] {
  requireCallable('jvp', 'func', func);
  const cg = Boolean(opts.create_graph);
  return enable_grad(() => {
    const [tin, xs0] = asTuple(inputs, 'jvp', 'inputs');
    const xs = prep(xs0, cg);
    let vs: Tensor[];
    if (v === undefined || v === null) {
      if (xs.length !== 1 || xs[0].numel() !== 1) throw new RangeError('The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.');
      vs = [ops.ones_like(xs[0])];
    } else vs = asTuple(v, 'jvp', 'v')[1];
    const [tout, outs] = asTuple(func(...xs), 'jvp', 'outputs of the user-provided function');
    const us = outs.map((o) => ops.zeros_like(o).requires_grad_(true));
    const gs = grad(outs, xs, us, { create_graph: true, retain_graph: true, allow_unused: true });
    const gsFilled = gs.map((g, i) => g ?? ops.zeros_like(xs[i]).requires_grad_(true));
    const res = grad(gsFilled, us, vs, { create_graph: cg, retain_graph: true, allow_unused: true });
    strictCheck(res, Boolean(opts.strict), '');
    const r = post(res, cg).map((g, i) => g ?? ops.zeros_like(outs[i]));
    return [out1(tout, post(outs, cg)), out1(tout, r)];
  });
}

/** jacobian(func, inputs, create_graph=False, strict=False): out.shape + in.shape per (output, input) pair. */
export function jacobian(func: Fn, inputs: TensorOrTuple, opts: Opts = {}): any {
  requireCallable('jacobian', 'func', func);
  const cg = Boolean(opts.create_graph);
  return enable_grad(() => {
    const [tin, xs0] = asTuple(inputs, 'jacobian', 'inputs');
    const xs = prep(xs0, cg);
    const [tout, outs] = asTuple(func(...xs), 'jacobian', 'outputs of the user-provided function');
    const rows = outs.map((o) => {
      const flat = o.reshape([-1]);
      const per: Tensor[][] = xs.map(() => []);
      for (let j = 0; j < flat.numel(); j++) {
        const gs = grad([flat.idx(j)], xs, null, { create_graph: cg, retain_graph: true, allow_unused: true });
        strictCheck(gs, Boolean(opts.strict), ' when computing the jacobian');
        gs.forEach((g, k) => per[k].push(g ?? ops.zeros_like(xs[k])));
      }
      return per.map((gs, k) => {
        const st = gs.length ? ops.stack(gs) : ops.zeros([0, ...xs[k].shape], { dtype: xs[k].dtype });
        const r = st.reshape([...o.shape, ...xs[k].shape]);
        return cg ? r : r.detach();
      });
    });
    if (!tout && !tin) return rows[0][0];
    if (!tout) return rows[0];
    if (!tin) return rows.map((r) => r[0]);
    return rows;
  });
}

/** hessian(func, inputs, create_graph=False, strict=False): the jacobian of the gradient of a scalar function. */
export function hessian(func: Fn, inputs: TensorOrTuple, opts: Opts = {}): any {
  requireCallable('hessian', 'func', func);
  const [tin] = asTuple(inputs, 'hessian', 'inputs');
  const jac_func = (...xs: Tensor[]): TensorOrTuple => {
    const out = func(...xs);
    const o = Array.isArray(out) ? out : [out];
    if (o.length !== 1 || o[0].numel() !== 1) throw new RangeError('The function given to hessian should return a single Tensor containing a single element');
    const gs = grad(o, xs, null, { create_graph: true, retain_graph: true, allow_unused: true });
    const r = gs.map((g, i) => g ?? ops.zeros_like(xs[i]));
    return tin ? r : r[0];
  };
  return jacobian(jac_func, inputs, opts);
}

/** vhp(func, inputs, v=None, create_graph=False, strict=False) -> [func_output, v^T H] */
export function vhp(func: Fn, inputs: TensorOrTuple, v?: TensorOrTuple | null, opts: Opts = {}): [Tensor, TensorOrTuple] {
  requireCallable('vhp', 'func', func);
  const cg = Boolean(opts.create_graph);
  return enable_grad(() => {
    const [tin, xs0] = asTuple(inputs, 'vhp', 'inputs');
    const xs = prep(xs0, cg);
    const o = func(...xs) as Tensor;
    if (!(o instanceof Tensor) || o.numel() !== 1) throw new RangeError('The Tensor returned by the function given to hvp should contain a single element');
    const vs = v === undefined || v === null ? xs.map((x) => ops.ones_like(x)) : asTuple(v, 'vhp', 'v')[1];
    const jac = grad([o], xs, null, { create_graph: true, retain_graph: true, allow_unused: true }).map((g, i) => g ?? ops.zeros_like(xs[i]).requires_grad_(true));
    const res = grad(jac, xs, vs, { create_graph: cg, retain_graph: true, allow_unused: true });
    strictCheck(res, Boolean(opts.strict), '');
    return [(cg ? o : o.detach()), out1(tin, post(res, cg).map((g, i) => g ?? ops.zeros_like(xs[i])))];
  });
}

/** hvp(func, inputs, v=None, create_graph=False, strict=False) -> [func_output, H v] (H is symmetric: equals vhp). */
export function hvp(func: Fn, inputs: TensorOrTuple, v?: TensorOrTuple | null, opts: Opts = {}): [Tensor, TensorOrTuple] {
  requireCallable('hvp', 'func', func);
  return vhp(func, inputs, v, opts);
}
