/**
 * nn.functional activations: relu, gelu, softmax … Each is the ATen call PyTorch's F.* makes
 * (torch.relu, torch._C._nn.gelu, torch.softmax …); `inplace: true` uses the in-place op.
 */
import { Tensor } from '../../tensor';
import { dtype } from '../../dtype';
import * as ops from '../../generated/ops';
import { N, T, h, parseArgs, EntryOf } from './_util';

type Opt<O> = O | undefined;

function unary(name: string, nativeFn: EntryOf<(self: number) => number>, nativeInplace: EntryOf<(self: number) => void> | null) {
  return function (input: Tensor, ...rest: any[]): Tensor {
    const hi = h(input, 'input', name);
    let inplace = false;
    if (rest.length) inplace = parseArgs(name, ['inplace'], rest, { inplace: false }).inplace;
    if (inplace) {
      if (nativeInplace === null) throw new TypeError(`${name}(): inplace is not supported`);
      (N[nativeInplace] as (self: number) => void)(hi);
      return input;
    }
    return T((N[nativeFn] as (self: number) => number)(hi));
  };
}

/** F.relu(input, inplace=false): max(0, x). */
export const relu: (input: Tensor, inplace?: boolean | { inplace?: boolean }) => Tensor = unary('relu', 'a_relu', 'a_relu_');
/** F.relu_(input): in-place relu. */
export function relu_(input: Tensor): Tensor {
  return relu(input, true);
}
/** F.relu6(input, inplace=false): min(max(0, x), 6). */
export const relu6: (input: Tensor, inplace?: boolean | { inplace?: boolean }) => Tensor = unary('relu6', 'a_relu6', 'a_relu6_');
/** F.selu(input, inplace=false). */
export const selu: (input: Tensor, inplace?: boolean | { inplace?: boolean }) => Tensor = unary('selu', 'a_selu', 'a_selu_');
/** F.silu(input, inplace=false): x * sigmoid(x). */
export const silu: (input: Tensor, inplace?: boolean | { inplace?: boolean }) => Tensor = unary('silu', 'a_silu', 'a_silu_');
/** F.mish(input, inplace=false): x * tanh(softplus(x)). */
export const mish: (input: Tensor, inplace?: boolean | { inplace?: boolean }) => Tensor = unary('mish', 'a_mish', 'a_mish_');
/** F.hardswish(input, inplace=false). */
export const hardswish: (input: Tensor, inplace?: boolean | { inplace?: boolean }) => Tensor = unary('hardswish', 'a_hardswish', 'a_hardswish_');
/** F.hardsigmoid(input, inplace=false). */
export const hardsigmoid: (input: Tensor, inplace?: boolean | { inplace?: boolean }) => Tensor = unary('hardsigmoid', 'a_hardsigmoid', 'a_hardsigmoid_');
/** F.sigmoid(input). */
export const sigmoid: (input: Tensor) => Tensor = unary('sigmoid', 'a_sigmoid', null);
/** F.tanh(input). */
export const tanh: (input: Tensor) => Tensor = unary('tanh', 'a_tanh', null);
/** F.logsigmoid(input): log(1 / (1 + exp(-x))). */
export const logsigmoid: (input: Tensor) => Tensor = unary('logsigmoid', 'a_log_sigmoid', null);

/** F.elu(input, alpha=1.0, inplace=false). */
export function elu(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('elu', ['alpha', 'inplace'], args, { alpha: 1.0, inplace: false });
  const hi = h(input, 'input', 'elu');
  if (a.inplace) {
    N.a_elu_(hi, a.alpha);
    return input;
  }
  return T(N.a_elu(hi, a.alpha));
}
/** F.celu(input, alpha=1.0, inplace=false). */
export function celu(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('celu', ['alpha', 'inplace'], args, { alpha: 1.0, inplace: false });
  const hi = h(input, 'input', 'celu');
  if (a.inplace) {
    N.a_celu_(hi, a.alpha);
    return input;
  }
  return T(N.a_celu(hi, a.alpha));
}
/** F.leaky_relu(input, negative_slope=0.01, inplace=false). */
export function leaky_relu(input: Tensor, ...args: any[]): Tensor {
  const hi = h(input, 'input', 'leaky_relu');
  const a = args.length ? parseArgs('leaky_relu', ['negative_slope', 'inplace'], args, { negative_slope: 0.01, inplace: false }) : { negative_slope: 0.01, inplace: false };
  if (a.inplace) {
    N.a_leaky_relu_(hi, a.negative_slope);
    return input;
  }
  return T(N.a_leaky_relu(hi, a.negative_slope));
}
/** F.hardtanh(input, min_val=-1.0, max_val=1.0, inplace=false). */
export function hardtanh(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('hardtanh', ['min_val', 'max_val', 'inplace'], args, { min_val: -1.0, max_val: 1.0, inplace: false });
  const hi = h(input, 'input', 'hardtanh');
  if (a.inplace) {
    N.a_hardtanh_(hi, a.min_val, a.max_val);
    return input;
  }
  return T(N.a_hardtanh(hi, a.min_val, a.max_val));
}
/** F.threshold(input, threshold, value, inplace=false): y = x if x > threshold else value. */
export function threshold(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('threshold', ['threshold', 'value', 'inplace'], args, { inplace: false }, 2);
  const hi = h(input, 'input', 'threshold');
  if (a.inplace) {
    N.a_threshold_(hi, a.threshold, a.value);
    return input;
  }
  return T(N.a_threshold(hi, a.threshold, a.value));
}
/** F.rrelu(input, lower=1/8, upper=1/3, training=false, inplace=false). */
export function rrelu(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('rrelu', ['lower', 'upper', 'training', 'inplace'], args, { lower: 1 / 8, upper: 1 / 3, training: false, inplace: false });
  const hi = h(input, 'input', 'rrelu');
  if (a.inplace) {
    N.a_rrelu_(hi, a.lower, a.upper, a.training);
    return input;
  }
  return T(N.a_rrelu(hi, a.lower, a.upper, a.training));
}
/** F.prelu(input, weight). */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  return T(N.a_prelu(h(input, 'input', 'prelu'), h(weight, 'weight', 'prelu')));
}
/** F.glu(input, dim=-1): a * sigmoid(b) of the two halves along dim. */
export function glu(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('glu', ['dim'], args, { dim: -1 });
  return T(N.a_glu(h(input, 'input', 'glu'), a.dim));
}
/** F.gelu(input, approximate='none' | 'tanh'). */
export function gelu(input: Tensor, ...args: any[]): Tensor {
  const a = args.length ? parseArgs('gelu', ['approximate'], args, { approximate: 'none' }) : { approximate: 'none' };
  return T(N.a_gelu(h(input, 'input', 'gelu'), a.approximate));
}
/** F.hardshrink(input, lambd=0.5). */
export function hardshrink(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('hardshrink', ['lambd'], args, { lambd: 0.5 });
  return T(N.a_hardshrink(h(input, 'input', 'hardshrink'), a.lambd));
}
/** F.softshrink(input, lambd=0.5). */
export function softshrink(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('softshrink', ['lambd'], args, { lambd: 0.5 });
  return T(N.a_softshrink(h(input, 'input', 'softshrink'), a.lambd));
}
/** F.softplus(input, beta=1, threshold=20). */
export function softplus(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('softplus', ['beta', 'threshold'], args, { beta: 1, threshold: 20 });
  return T(N.a_softplus(h(input, 'input', 'softplus'), a.beta, a.threshold));
}
/** F.tanhshrink(input): x - tanh(x). */
export function tanhshrink(input: Tensor): Tensor {
  h(input, 'input', 'tanhshrink');
  const t = ops.tanh(input);
  const r = ops.sub(input, t);
  t.dispose();
  return r;
}
/** F.softsign(input): x / (1 + |x|). */
export function softsign(input: Tensor): Tensor {
  h(input, 'input', 'softsign');
  const a = ops.abs(input);
  const d = ops.add(a, 1);
  a.dispose();
  const r = ops.div(input, d);
  d.dispose();
  return r;
}

/** The implicit softmax dim of PyTorch (deprecated): 0 for 0-, 1- and 3-d inputs, else 1. */
function softmaxDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}
function softmaxArgs(name: string, input: Tensor, args: any[]): { dim: number; dtype: dtype | null } {
  const a = args.length === 1 && typeof args[0] === 'number' ? { dim: args[0], dtype: null } : parseArgs(name, ['dim', '_stacklevel', 'dtype'], args, { dim: null, dtype: null });
  if (a.dim === null || a.dim === undefined) a.dim = softmaxDim(input.dim());
  return a as { dim: number; dtype: dtype | null };
}
/** F.softmax(input, dim=null, _stacklevel=3, dtype=null). */
export function softmax(input: Tensor, ...args: any[]): Tensor {
  const hi = h(input, 'input', 'softmax');
  const a = softmaxArgs('softmax', input, args);
  return T(N.a_softmax_int(hi, a.dim, a.dtype ? a.dtype._code : null));
}
/** F.log_softmax(input, dim=null, _stacklevel=3, dtype=null). */
export function log_softmax(input: Tensor, ...args: any[]): Tensor {
  const hi = h(input, 'input', 'log_softmax');
  const a = softmaxArgs('log_softmax', input, args);
  return T(N.a_log_softmax_int(hi, a.dim, a.dtype ? a.dtype._code : null));
}
/** F.softmin(input, dim=null, _stacklevel=3, dtype=null): softmax(-x). */
export function softmin(input: Tensor, ...args: any[]): Tensor {
  const hi = h(input, 'input', 'softmin');
  const a = softmaxArgs('softmin', input, args);
  const n = T(N.a_neg(hi));
  const r = T(N.a_softmax_int(n._h, a.dim, a.dtype ? a.dtype._code : null));
  n.dispose();
  return r;
}

export type { Opt as _Opt };
