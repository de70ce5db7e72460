/**
 * nn.init: parameter initialization, in place and without recording gradients (torch.no_grad), with
 * the same ATen random calls in the same order as PyTorch's torch.nn.init, so that after the same
 * torch.manual_seed the values are identical.
 */
import { Tensor } from '../tensor';
import { describe } from '../_utils';
import { float64 } from '../dtype';
import * as ops from '../generated/ops';
import { noGrad } from './_autograd';
import { parseArgs } from './modules/utils';

function tensorArg(t: unknown, fname: string): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${fname}(): argument 'tensor' must be Tensor, not ${describe(t)}`);
  return t;
}
const any = (t: Tensor): any => t;

/**
 * The recommended gain for a nonlinearity: linear, conv and sigmoid 1, tanh 5/3, relu √2,
 * leaky_relu √(2/(1+slope²)), selu 3/4.
 * Args: nonlinearity (string), param (the leaky_relu negative slope).
 */
export function calculate_gain(nonlinearity: string, param: number | null = null): number {
  const linear = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];
  if (linear.includes(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5.0 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2.0);
  if (nonlinearity === 'leaky_relu') {
    let slope = 0.01;
    if (param !== null && param !== undefined) {
      if (typeof param !== 'number') throw new RangeError(`negative_slope ${String(param)} not a valid number`);
      slope = param;
    }
    return Math.sqrt(2.0 / (1 + slope ** 2));
  }
  if (nonlinearity === 'selu') return 3.0 / 4;
  throw new RangeError(`Unsupported nonlinearity ${nonlinearity}`);
}

/** uniform_(tensor, a=0, b=1): fills with U(a, b). Returns tensor. */
export function uniform_(tensor: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('uniform_', ['a', 'b'], args, { a: 0.0, b: 1.0 });
  tensorArg(tensor, 'uniform_');
  return noGrad(() => any(tensor).uniform_(a.a, a.b));
}
/** normal_(tensor, mean=0, std=1): fills with N(mean, std²). Returns tensor. */
export function normal_(tensor: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('normal_', ['mean', 'std'], args, { mean: 0.0, std: 1.0 });
  tensorArg(tensor, 'normal_');
  return noGrad(() => any(tensor).normal_(a.mean, a.std));
}

/** Python's math.erf, through libm (the same function CPython calls). */
function erf(x: number): number {
  const v = ops.full([], x, { dtype: float64 });
  const e = ops.erf(v);
  const r = e.item() as number;
  v.dispose();
  e.dispose();
  return r;
}

/**
 * trunc_normal_(tensor, mean=0, std=1, a=-2, b=2): fills with N(mean, std²) truncated to [a, b]
 * (inverse-CDF method, as PyTorch). Returns tensor.
 */
export function trunc_normal_(tensor: Tensor, ...args: any[]): Tensor {
  const o = parseArgs('trunc_normal_', ['mean', 'std', 'a', 'b'], args, { mean: 0.0, std: 1.0, a: -2.0, b: 2.0 });
  tensorArg(tensor, 'trunc_normal_');
  const cdf = (x: number): number => (1 + erf(x / Math.sqrt(2))) / 2;
  const l = cdf((o.a - o.mean) / o.std);
  const u = cdf((o.b - o.mean) / o.std);
  return noGrad(() => {
    any(tensor).uniform_(2 * l - 1, 2 * u - 1);
    any(tensor).erfinv_();
    any(tensor).mul_(o.std * Math.sqrt(2));
    any(tensor).add_(o.mean);
    any(tensor).clamp_(o.a, o.b);
    return tensor;
  });
}
/** constant_(tensor, val): fills with val. */
export function constant_(tensor: Tensor, val: number): Tensor {
  tensorArg(tensor, 'constant_');
  return noGrad(() => any(tensor).fill_(val));
}
/** ones_(tensor): fills with 1. */
export function ones_(tensor: Tensor): Tensor {
  tensorArg(tensor, 'ones_');
  return noGrad(() => any(tensor).fill_(1.0));
}
/** zeros_(tensor): fills with 0. */
export function zeros_(tensor: Tensor): Tensor {
  tensorArg(tensor, 'zeros_');
  return noGrad(() => any(tensor).zero_());
}
/** eye_(tensor): the identity matrix (2-D tensors only). */
export function eye_(tensor: Tensor): Tensor {
  tensorArg(tensor, 'eye_');
  if (tensor.dim() !== 2) throw new RangeError('Only tensors with 2 dimensions are supported');
  const [n, m] = tensor.shape;
  return noGrad(() => {
    const e = ops.eye(n, m, { dtype: tensor.dtype, device: tensor.device });
    any(tensor).copy_(e);
    e.dispose();
    return tensor;
  });
}
/**
 * dirac_(tensor, groups=1): the Dirac delta (identity convolution) for 3-, 4- and 5-D conv weights,
 * per group.
 */
export function dirac_(tensor: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('dirac_', ['groups'], args, { groups: 1 });
  tensorArg(tensor, 'dirac_');
  const d = tensor.dim();
  if (![3, 4, 5].includes(d)) throw new RangeError('Only tensors with 3, 4, or 5 dimensions are supported');
  const sizes = tensor.shape;
  if (sizes[0] % a.groups !== 0) throw new RangeError('dim 0 must be divisible by groups');
  const per = sizes[0] / a.groups;
  const minDim = Math.min(per, sizes[1]);
  return noGrad(() => {
    any(tensor).zero_();
    for (let g = 0; g < a.groups; g++) {
      for (let k = 0; k < minDim; k++) {
        let v: Tensor = any(tensor).select(0, g * per + k);
        const tmp: Tensor[] = [v];
        v = any(v).select(0, k);
        tmp.push(v);
        for (let s = 2; s < d; s++) {
          v = any(v).select(0, Math.floor(sizes[s] / 2));
          tmp.push(v);
        }
        any(v).fill_(1);
        for (const t of tmp) t.dispose();
      }
    }
    return tensor;
  });
}

/** @internal torch.nn.init._calculate_fan_in_and_fan_out */
export function _calculate_fan_in_and_fan_out(tensor: Tensor): [number, number] {
  const s = tensor.shape;
  if (s.length < 2) throw new RangeError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  let rf = 1;
  for (let i = 2; i < s.length; i++) rf *= s[i];
  return [s[1] * rf, s[0] * rf];
}
function correctFan(tensor: Tensor, mode: string): number {
  const m = String(mode).toLowerCase();
  if (m !== 'fan_in' && m !== 'fan_out') throw new RangeError(`Mode ${mode} not supported, please use one of fan_in, fan_out`);
  const [fi, fo] = _calculate_fan_in_and_fan_out(tensor);
  return m === 'fan_in' ? fi : fo;
}

/** xavier_uniform_(tensor, gain=1): U(-a, a), a = gain·√(6/(fan_in+fan_out)). */
export function xavier_uniform_(tensor: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('xavier_uniform_', ['gain'], args, { gain: 1.0 });
  tensorArg(tensor, 'xavier_uniform_');
  const [fi, fo] = _calculate_fan_in_and_fan_out(tensor);
  const std = a.gain * Math.sqrt(2.0 / (fi + fo));
  const bound = Math.sqrt(3.0) * std;
  return noGrad(() => any(tensor).uniform_(-bound, bound));
}
/** xavier_normal_(tensor, gain=1): N(0, std²), std = gain·√(2/(fan_in+fan_out)). */
export function xavier_normal_(tensor: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('xavier_normal_', ['gain'], args, { gain: 1.0 });
  tensorArg(tensor, 'xavier_normal_');
  const [fi, fo] = _calculate_fan_in_and_fan_out(tensor);
  const std = a.gain * Math.sqrt(2.0 / (fi + fo));
  return noGrad(() => any(tensor).normal_(0, std));
}
/**
 * kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'): U(-b, b),
 * b = gain·√(3/fan). The default init of Linear and Conv weights (with a=√5).
 */
export function kaiming_uniform_(tensor: Tensor, ...args: any[]): Tensor {
  const o = parseArgs('kaiming_uniform_', ['a', 'mode', 'nonlinearity'], args, { a: 0, mode: 'fan_in', nonlinearity: 'leaky_relu' });
  tensorArg(tensor, 'kaiming_uniform_');
  if (tensor.shape.includes(0)) return tensor;
  const fan = correctFan(tensor, o.mode);
  const std = calculate_gain(o.nonlinearity, o.a) / Math.sqrt(fan);
  const bound = Math.sqrt(3.0) * std;
  return noGrad(() => any(tensor).uniform_(-bound, bound));
}
/** kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'): N(0, std²), std = gain/√fan. */
export function kaiming_normal_(tensor: Tensor, ...args: any[]): Tensor {
  const o = parseArgs('kaiming_normal_', ['a', 'mode', 'nonlinearity'], args, { a: 0, mode: 'fan_in', nonlinearity: 'leaky_relu' });
  tensorArg(tensor, 'kaiming_normal_');
  if (tensor.shape.includes(0)) return tensor;
  const fan = correctFan(tensor, o.mode);
  const std = calculate_gain(o.nonlinearity, o.a) / Math.sqrt(fan);
  return noGrad(() => any(tensor).normal_(0, std));
}
/** orthogonal_(tensor, gain=1): a (semi-)orthogonal matrix from the QR of a normal sample. */
export function orthogonal_(tensor: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('orthogonal_', ['gain'], args, { gain: 1 });
  tensorArg(tensor, 'orthogonal_');
  if (tensor.dim() < 2) throw new RangeError('Only tensors with 2 or more dimensions are supported');
  if (tensor.numel() === 0) return tensor;
  const rows = tensor.shape[0];
  const cols = tensor.numel() / rows;
  return noGrad(() => {
    const flat: Tensor = any(tensor).new_empty([rows, cols]);
    any(flat).normal_(0, 1);
    if (rows < cols) any(flat).t_();
    const [q, r] = ops.linalg.qr(flat);
    const d = ops.diag(r, 0);
    const ph = ops.sign(d);
    any(q).mul_(ph);
    if (rows < cols) any(q).t_();
    const view: Tensor = any(tensor).view_as(q);
    any(view).copy_(q);
    any(tensor).mul_(a.gain);
    for (const t of [flat, q, r, d, ph, view]) t.dispose();
    return tensor;
  });
}
/** sparse_(tensor, sparsity, std=0.01): N(0, std²) with a fraction `sparsity` of each column set to 0 (2-D only). */
export function sparse_(tensor: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('sparse_', ['sparsity', 'std'], args, { std: 0.01 }, 1);
  tensorArg(tensor, 'sparse_');
  if (tensor.dim() !== 2) throw new RangeError('Only tensors with 2 dimensions are supported');
  const [rows, cols] = tensor.shape;
  const numZeros = Math.ceil(a.sparsity * rows);
  return noGrad(() => {
    any(tensor).normal_(0, a.std);
    for (let c = 0; c < cols; c++) {
      const perm = ops.randperm(rows);
      const z = any(perm).narrow(0, 0, Math.min(numZeros, rows));
      const col = any(tensor).select(1, c);
      any(col).index_fill_(0, z, 0);
      for (const t of [perm, z, col]) t.dispose();
    }
    return tensor;
  });
}

// Deprecated aliases without the trailing underscore, as PyTorch keeps them.
export const uniform = uniform_;
export const normal = normal_;
export const constant = constant_;
export const eye = eye_;
export const dirac = dirac_;
export const xavier_uniform = xavier_uniform_;
export const xavier_normal = xavier_normal_;
export const kaiming_uniform = kaiming_uniform_;
export const kaiming_normal = kaiming_normal_;
export const orthogonal = orthogonal_;
export const sparse = sparse_;
