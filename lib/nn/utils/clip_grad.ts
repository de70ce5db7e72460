/**
 * Gradient clipping (torch/nn/utils/clip_grad.py): the same ATen ops in the same order as
 * PyTorch, so the clipped gradients and the returned norm are PyTorch's.
 */
import * as torch from '../../generated/ops';
import { Tensor } from '../../tensor';
import { tensor as makeTensor } from '../../creation';
import { TorchError } from '../../errors';
import { noGrad } from '../_autograd';
import { parse_args, float, bool, warn_once } from './_args';

type Params = Tensor | Iterable<Tensor>;

function paramList(fname: string, parameters: unknown): Tensor[] {
  if (parameters instanceof Tensor) return [parameters];
  if (parameters !== null && typeof parameters === 'object' && typeof (parameters as any)[Symbol.iterator] === 'function') {
    const out = [...(parameters as Iterable<unknown>)];
    out.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${fname}(): parameters[${i}] must be a Tensor`);
    });
    return out as Tensor[];
  }
  throw new TypeError(`${fname}(): argument 'parameters' must be a Tensor or an iterable of Tensors`);
}

function normType(v: unknown): number {
  if (v === 'inf' || v === Infinity) return Infinity;
  if (typeof v !== 'number') throw new TypeError(`clip_grad_norm_(): argument 'norm_type' must be float (or 'inf')`);
  return v;
}

/**
 * nn.utils.clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False): scales
 * the gradients of `parameters` in place so that their total norm (the norm of the vector of
 * every gradient) is at most `max_norm`.
 *
 * Args:
 *   parameters: a Tensor or an iterable of Tensors (e.g. model.parameters()).
 *   max_norm: the largest allowed norm. norm_type: p of the p-norm; Infinity (or 'inf') for the max norm.
 *   error_if_nonfinite: throw when the total norm is nan or ±inf.
 * Returns: the total norm before clipping (a 0-d tensor).
 *
 * Example:
 *   nn.utils.clip_grad_norm_(model.parameters(), {max_norm: 1.0});
 */
export function clip_grad_norm_(parameters: Params, max_norm: number, options?: { norm_type?: number | 'inf'; error_if_nonfinite?: boolean }): Tensor;
export function clip_grad_norm_(parameters: Params, max_norm: number, norm_type?: number | 'inf', error_if_nonfinite?: boolean): Tensor;
export function clip_grad_norm_(parameters: Params, options: { max_norm: number; norm_type?: number | 'inf'; error_if_nonfinite?: boolean }): Tensor;
export function clip_grad_norm_(...args: any[]): Tensor {
  const f = 'clip_grad_norm_';
  const a = parse_args(f, ['parameters', 'max_norm', ['norm_type', 2.0], ['error_if_nonfinite', false]], args);
  const params = paramList(f, a.parameters);
  const max_norm = float(f, 'max_norm', a.max_norm);
  const norm_type = normType(a.norm_type);
  const error_if_nonfinite = bool(f, 'error_if_nonfinite', a.error_if_nonfinite);
  const grads = params.map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return makeTensor(0.0);
  const device = grads[0].device;
  return noGrad(() => {
    let total_norm: Tensor;
    if (norm_type === Infinity) {
      const norms = grads.map((g) => g.detach().abs().max().to(device));
      total_norm = norms.length === 1 ? norms[0] : torch.stack(norms).max();
    } else {
      total_norm = pnorm(torch.stack(grads.map((g) => pnorm(g.detach(), norm_type).to(device))), norm_type);
    }
    if (error_if_nonfinite && total_norm.isnan().logical_or(total_norm.isinf()).item()) {
      throw new TorchError(
        `The total norm of order ${pyFloatRepr(norm_type)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
          'To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`',
      );
    }
    // max_norm / (total_norm + 1e-6), as Python evaluates float / Tensor: reciprocal() * max_norm
    const clip_coef = total_norm.add(1e-6).reciprocal().mul(max_norm);
    const clip_coef_clamped = torch.clamp(clip_coef, null, 1.0);
    for (const g of grads) g.detach().mul_(clip_coef_clamped.to(g.device));
    return total_norm;
  });
}

/** torch.norm(t, p) as PyTorch 1.13's Python evaluates it: _VF.norm(t, p, dim=all dims, keepdim=False). */
function pnorm(t: Tensor, p: number): Tensor {
  const dims = Array.from({ length: t.dim() }, (_, i) => i);
  return torch.norm(t, p, dims, false);
}

function pyFloatRepr(v: number): string {
  if (v === Infinity) return 'inf';
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** Deprecated alias of clip_grad_norm_ (as in PyTorch, with a warning). */
export function clip_grad_norm(...args: any[]): Tensor {
  warn_once('torch.nn.utils.clip_grad_norm is now deprecated in favor of torch.nn.utils.clip_grad_norm_.');
  return (clip_grad_norm_ as any)(...args);
}

/**
 * nn.utils.clip_grad_value_(parameters, clip_value): clamps every gradient of `parameters` into
 * [-clip_value, clip_value], in place.
 */
export function clip_grad_value_(parameters: Params, clip_value: number): void;
export function clip_grad_value_(parameters: Params, options: { clip_value: number }): void;
export function clip_grad_value_(options: { parameters: Params; clip_value: number }): void;
export function clip_grad_value_(...args: any[]): void {
  const f = 'clip_grad_value_';
  const a = parse_args(f, ['parameters', 'clip_value'], args);
  const params = paramList(f, a.parameters);
  const clip_value = float(f, 'clip_value', a.clip_value);
  noGrad(() => {
    for (const p of params) {
      const g = p.grad;
      if (g !== null) g.detach().clamp_(-clip_value, clip_value);
    }
  });
}
