/**
 * torch.autograd.gradcheck / gradgradcheck: compares the gradients autograd computes with central
 * finite differences (PyTorch 1.13's slow mode: every input element perturbed by ±eps), in the
 * inputs' own dtype (use float64, as PyTorch advises).
 */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { grad, requireCallable } from './engine';
import { enable_grad, no_grad } from './grad_mode';
import { jacobian } from './functional';


/** PyTorch's GradcheckError (a RuntimeError). */
export class GradcheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GradcheckError';
  }
}

interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  raise_exception?: boolean;
}

type Fn = (...inputs: Tensor[]) => Tensor | Tensor[];
const asList = (x: Tensor | Tensor[]): Tensor[] => (Array.isArray(x) ? x : [x]);

function numericalJacobian(func: Fn, inputs: Tensor[], i: number, eps: number): Tensor[] {
  const x = inputs[i];
  const flat = x.detach().reshape([-1]);
  const outs0 = asList(no_grad(() => func(...inputs)));
  const cols: Tensor[][] = outs0.map(() => []);
  for (let j = 0; j < flat.numel(); j++) {
    const orig = Number(flat.idx(j).item());
    const at = (v: number) => {
      flat.idx_put_(j, v);
      return asList(no_grad(() => func(...inputs))).map((o) => o.detach().clone());
    };
    const plus = at(orig + eps);
    const minus = at(orig - eps);
    flat.idx_put_(j, orig);
    plus.forEach((p, k) => cols[k].push(p.sub(minus[k]).div(2 * eps).reshape([-1])));
  }
  // d out / d x, shaped out.shape + x.shape as jacobian() gives it
  return cols.map((c, k) => ops.stack(c, 1).reshape([...outs0[k].shape, ...x.shape]));
}

/** gradcheck(func, inputs, {eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=true}) -> true, or GradcheckError */
export function gradcheck(func: Fn, inputs: Tensor | Tensor[], options: GradcheckOptions = {}): boolean {
  requireCallable('gradcheck', 'func', func);
  const eps = options.eps ?? 1e-6, atol = options.atol ?? 1e-5, rtol = options.rtol ?? 1e-3;
  const raise = options.raise_exception ?? true;
  const xs = asList(inputs);
  const raw = no_grad(() => func(...xs));
  const outs = asList(raw);
  for (let i = 0; i < xs.length; i++) {
    if (!xs[i].requires_grad) continue;
    const num = numericalJacobian(func, xs, i, eps);
    const ana = jacobian((...a: Tensor[]) => func(...xs.map((x, k) => (k === i ? a[0] : x))), xs[i]);
    const anaList: Tensor[] = Array.isArray(raw) ? ana : [ana];
    for (let k = 0; k < outs.length; k++) {
      if (!ops.allclose(anaList[k], num[k], rtol, atol)) {
        const msg = `Jacobian mismatch for output ${k} with respect to input ${i},\nnumerical:${num[k].toString()}\nanalytical:${anaList[k].toString()}\n`;
        if (raise) throw new GradcheckError(msg);
        return false;
      }
    }
  }
  return true;
}

/**
 * gradgradcheck(func, inputs, grad_outputs=None, options): gradcheck of the vector-Jacobian product
 * grad(func(inputs), inputs, grad_outputs, create_graph=true); grad_outputs default to ones.
 */
export function gradgradcheck(func: Fn, inputs: Tensor | Tensor[], grad_outputs?: Tensor | Tensor[] | null, options: GradcheckOptions = {}): boolean {
  requireCallable('gradgradcheck', 'func', func);
  const xs = asList(inputs);
  const outs = asList(no_grad(() => func(...xs)));
  const gos = grad_outputs ? asList(grad_outputs) : outs.map((o) => ops.ones_like(o));
  const n = xs.length;
  // the first derivative is itself computed with autograd (also when gradcheck evaluates it under no_grad)
  const vjpFn = (...a: Tensor[]): Tensor[] => enable_grad(() => {
    const ins = a.slice(0, n).map((x) => (x.requires_grad ? x : x.detach().requires_grad_(true)));
    const o = asList(func(...ins));
    const gs = grad(o, ins, a.slice(n), { create_graph: true, allow_unused: true });
    return gs.map((g, k) => g ?? ops.zeros_like(ins[k]));
  });
  return gradcheck(vjpFn, [...xs, ...gos.map((g) => g.detach().requires_grad_(true))], options);
}
