/**
 * nn.functional pooling: max/avg/lp/adaptive/fractional pooling and max_unpool, each through the
 * ATen op PyTorch's F.* calls (torch.max_pool2d, torch._C._nn.max_pool2d_with_indices …).
 * `return_indices: true` returns [output, indices].
 */
import { Tensor } from '../../tensor';
import * as ops from '../../generated/ops';
import { N, T, h, parseArgs } from './_util';
import { ntuple } from '../modules/utils';

const MAXP = ['kernel_size', 'stride', 'padding', 'dilation', 'ceil_mode', 'return_indices'];
const MAXD = { stride: null, padding: 0, dilation: 1, ceil_mode: false, return_indices: false };
function maxPool(n: number, fname: string, input: Tensor, args: any[]): any {
  const a = parseArgs(fname, MAXP, args, MAXD, 1);
  const hi = h(input, 'input', fname);
  const stride = a.stride === null ? [] : a.stride;
  if (a.return_indices) {
    const r = N[`a_max_pool${n}d_with_indices` as 'a_max_pool1d_with_indices' | 'a_max_pool2d_with_indices' | 'a_max_pool3d_with_indices'](hi, a.kernel_size, stride, a.padding, a.dilation, a.ceil_mode);
    return [T(r[0]), T(r[1])];
  }
  return T(N[`a_max_pool${n}d` as 'a_max_pool1d' | 'a_max_pool2d' | 'a_max_pool3d'](hi, a.kernel_size, stride, a.padding, a.dilation, a.ceil_mode));
}
/** F.max_pool1d(input, kernel_size, stride=kernel_size, padding=0, dilation=1, ceil_mode=false, return_indices=false). */
export function max_pool1d(input: Tensor, ...args: any[]): any {
  return maxPool(1, 'max_pool1d', input, args);
}
/** F.max_pool2d(input, kernel_size, stride=kernel_size, padding=0, dilation=1, ceil_mode=false, return_indices=false). */
export function max_pool2d(input: Tensor, ...args: any[]): any {
  return maxPool(2, 'max_pool2d', input, args);
}
/** F.max_pool3d(input, kernel_size, stride=kernel_size, padding=0, dilation=1, ceil_mode=false, return_indices=false). */
export function max_pool3d(input: Tensor, ...args: any[]): any {
  return maxPool(3, 'max_pool3d', input, args);
}
export const max_pool1d_with_indices = (input: Tensor, ...args: any[]): [Tensor, Tensor] => maxPool(1, 'max_pool1d_with_indices', input, [...args, { return_indices: true }]);
export const max_pool2d_with_indices = (input: Tensor, ...args: any[]): [Tensor, Tensor] => maxPool(2, 'max_pool2d_with_indices', input, [...args, { return_indices: true }]);
export const max_pool3d_with_indices = (input: Tensor, ...args: any[]): [Tensor, Tensor] => maxPool(3, 'max_pool3d_with_indices', input, [...args, { return_indices: true }]);

/** F.avg_pool1d(input, kernel_size, stride=kernel_size, padding=0, ceil_mode=false, count_include_pad=true). */
export function avg_pool1d(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('avg_pool1d', ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad'], args, { stride: null, padding: 0, ceil_mode: false, count_include_pad: true }, 1);
  return T(N.a_avg_pool1d(h(input, 'input', 'avg_pool1d'), a.kernel_size, a.stride === null ? [] : a.stride, a.padding, a.ceil_mode, a.count_include_pad));
}
function avgPool(n: number, fname: string, input: Tensor, args: any[]): Tensor {
  const a = parseArgs(fname, ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override'], args,
    { stride: null, padding: 0, ceil_mode: false, count_include_pad: true, divisor_override: null }, 1);
  return T(N[`a_avg_pool${n}d` as 'a_avg_pool1d' | 'a_avg_pool2d' | 'a_avg_pool3d'](h(input, 'input', fname), a.kernel_size, a.stride === null ? [] : a.stride, a.padding, a.ceil_mode, a.count_include_pad, a.divisor_override));
}
/** F.avg_pool2d(input, kernel_size, stride=kernel_size, padding=0, ceil_mode=false, count_include_pad=true, divisor_override=null). */
export function avg_pool2d(input: Tensor, ...args: any[]): Tensor {
  return avgPool(2, 'avg_pool2d', input, args);
}
/** F.avg_pool3d(input, kernel_size, stride=kernel_size, padding=0, ceil_mode=false, count_include_pad=true, divisor_override=null). */
export function avg_pool3d(input: Tensor, ...args: any[]): Tensor {
  return avgPool(3, 'avg_pool3d', input, args);
}

/** PyTorch's _unpool_output_size. */
function unpoolOutputSize(input: Tensor, k: number[], s: number[], p: number[], output_size: number[] | null, fname: string): number[] {
  const isz = input.shape;
  const dflt = k.map((kd, d) => (isz[isz.length - k.length + d] - 1) * s[d] + kd - 2 * p[d]);
  if (output_size === null || output_size === undefined) return dflt;
  let os = output_size;
  if (os.length === k.length + 2) os = os.slice(2);
  if (os.length !== k.length) {
    throw new RangeError(`${fname}: output_size should be a sequence containing ${k.length} or ${k.length + 2} elements, but it has a length of '${os.length}'`);
  }
  for (let d = 0; d < k.length; d++) {
    const lo = dflt[d] - s[d];
    const hi = dflt[d] + s[d];
    if (!(lo < os[d] && os[d] < hi)) {
      throw new RangeError(`${fname}: invalid output_size "[${os.join(', ')}]" (dim ${d} must be between ${lo} and ${hi})`);
    }
  }
  return os;
}
function maxUnpool(n: number, fname: string, input: Tensor, args: any[]): Tensor {
  const a = parseArgs(fname, ['indices', 'kernel_size', 'stride', 'padding', 'output_size'], args, { stride: null, padding: 0, output_size: null }, 2);
  const k = ntuple(n, a.kernel_size, 'kernel_size', fname);
  const s = a.stride === null ? k : ntuple(n, a.stride, 'stride', fname);
  const p = ntuple(n, a.padding, 'padding', fname);
  const hi = h(input, 'input', fname);
  const hx = h(a.indices, 'indices', fname);
  const os = unpoolOutputSize(input, k, s, p, a.output_size, fname);
  if (n === 1) {
    const x = ops.unsqueeze(input, -1);
    const ix = ops.unsqueeze(a.indices, -1);
    const y = T(N.a_max_unpool2d(x._h, ix._h, [...os, 1]));
    x.dispose();
    ix.dispose();
    const r = ops.squeeze(y, -1);
    y.dispose();
    return r;
  }
  if (n === 2) return T(N.a_max_unpool2d(hi, hx, os));
  return T(N.a_max_unpool3d(hi, hx, os, s, p));
}
/** F.max_unpool1d(input, indices, kernel_size, stride=kernel_size, padding=0, output_size=null). */
export function max_unpool1d(input: Tensor, ...args: any[]): Tensor {
  return maxUnpool(1, 'max_unpool1d', input, args);
}
/** F.max_unpool2d(input, indices, kernel_size, stride=kernel_size, padding=0, output_size=null). */
export function max_unpool2d(input: Tensor, ...args: any[]): Tensor {
  return maxUnpool(2, 'max_unpool2d', input, args);
}
/** F.max_unpool3d(input, indices, kernel_size, stride=kernel_size, padding=0, output_size=null). */
export function max_unpool3d(input: Tensor, ...args: any[]): Tensor {
  return maxUnpool(3, 'max_unpool3d', input, args);
}

function lpPool(n: number, fname: string, input: Tensor, args: any[]): Tensor {
  const a = parseArgs(fname, ['norm_type', 'kernel_size', 'stride', 'ceil_mode'], args, { stride: null, ceil_mode: false }, 2);
  h(input, 'input', fname);
  const k = ntuple(n, a.kernel_size, 'kernel_size', fname);
  const powd = ops.pow(input, a.norm_type);
  const out = n === 1 ? avg_pool1d(powd, k, a.stride, 0, a.ceil_mode) : avg_pool2d(powd, k, a.stride, 0, a.ceil_mode);
  powd.dispose();
  const sg = ops.sign(out);
  const ab = ops.abs(out);
  const rl = ops.relu(ab);
  const m = ops.mul(sg, rl);
  const m2 = ops.mul(m, k.reduce((x, y) => x * y, 1));
  const r = ops.pow(m2, 1.0 / a.norm_type);
  for (const t of [out, sg, ab, rl, m, m2]) t.dispose();
  return r;
}
/** F.lp_pool1d(input, norm_type, kernel_size, stride=kernel_size, ceil_mode=false): (Σ x^p)^(1/p) over windows. */
export function lp_pool1d(input: Tensor, ...args: any[]): Tensor {
  return lpPool(1, 'lp_pool1d', input, args);
}
/** F.lp_pool2d(input, norm_type, kernel_size, stride=kernel_size, ceil_mode=false). */
export function lp_pool2d(input: Tensor, ...args: any[]): Tensor {
  return lpPool(2, 'lp_pool2d', input, args);
}

/** output_size entries that are null take the input's size (PyTorch's _list_with_default). */
function withDefault(os: unknown, input: Tensor, n: number): number[] {
  if (typeof os === 'number') return new Array(n).fill(os);
  const arr = os as (number | null)[];
  const s = input.shape;
  return arr.map((v, i) => (v === null || v === undefined ? s[s.length - arr.length + i] : v));
}
function adaptiveAvg(n: number, fname: string, input: Tensor, args: any[]): Tensor {
  const a = parseArgs(fname, ['output_size'], args, {}, 1);
  const hi = h(input, 'input', fname);
  return T(N[(n === 1 ? 'a_adaptive_avg_pool1d' : `a_adaptive_avg_pool${n}d`) as 'a_adaptive_avg_pool1d' | 'a_adaptive_avg_pool2d' | 'a_adaptive_avg_pool3d'](hi, n === 1 ? a.output_size : withDefault(a.output_size, input, n)));
}
/** F.adaptive_avg_pool1d(input, output_size). */
export function adaptive_avg_pool1d(input: Tensor, ...args: any[]): Tensor {
  return adaptiveAvg(1, 'adaptive_avg_pool1d', input, args);
}
/** F.adaptive_avg_pool2d(input, output_size) (null entries keep the input size). */
export function adaptive_avg_pool2d(input: Tensor, ...args: any[]): Tensor {
  return adaptiveAvg(2, 'adaptive_avg_pool2d', input, args);
}
/** F.adaptive_avg_pool3d(input, output_size). */
export function adaptive_avg_pool3d(input: Tensor, ...args: any[]): Tensor {
  return adaptiveAvg(3, 'adaptive_avg_pool3d', input, args);
}
function adaptiveMax(n: number, fname: string, input: Tensor, args: any[]): any {
  const a = parseArgs(fname, ['output_size', 'return_indices'], args, { return_indices: false }, 1);
  const hi = h(input, 'input', fname);
  const r = N[`a_adaptive_max_pool${n}d` as 'a_adaptive_max_pool1d' | 'a_adaptive_max_pool2d' | 'a_adaptive_max_pool3d'](hi, n === 1 ? a.output_size : withDefault(a.output_size, input, n));
  const out = T(r[0]);
  const idx = T(r[1]);
  if (a.return_indices) return [out, idx];
  idx.dispose();
  return out;
}
/** F.adaptive_max_pool1d(input, output_size, return_indices=false). */
export function adaptive_max_pool1d(input: Tensor, ...args: any[]): any {
  return adaptiveMax(1, 'adaptive_max_pool1d', input, args);
}
/** F.adaptive_max_pool2d(input, output_size, return_indices=false). */
export function adaptive_max_pool2d(input: Tensor, ...args: any[]): any {
  return adaptiveMax(2, 'adaptive_max_pool2d', input, args);
}
/** F.adaptive_max_pool3d(input, output_size, return_indices=false). */
export function adaptive_max_pool3d(input: Tensor, ...args: any[]): any {
  return adaptiveMax(3, 'adaptive_max_pool3d', input, args);
}

function fractional(n: number, fname: string, input: Tensor, args: any[]): any {
  const a = parseArgs(fname, ['kernel_size', 'output_size', 'output_ratio', 'return_indices', '_random_samples'], args,
    { output_size: null, output_ratio: null, return_indices: false, _random_samples: null }, 1);
  const hi = h(input, 'input', fname);
  if (a.output_size === null && a.output_ratio === null) {
    throw new RangeError(`${fname} requires specifying either an output_size or an output_ratio`);
  }
  const s = input.shape;
  if (s.length !== n + 1 && s.length !== n + 2) {
    throw new RangeError(`${fname}(): Expected ${n + 1}D or ${n + 2}D tensor, but got: [${s.join(', ')}]`);
  }
  let os: number[];
  if (a.output_size === null) {
    const r = typeof a.output_ratio === 'number' ? new Array(n).fill(a.output_ratio) : a.output_ratio;
    os = r.map((ri: number, i: number) => Math.trunc(s[s.length - n + i] * ri));
  } else os = ntuple(n, a.output_size, 'output_size', fname);
  let samples: Tensor = a._random_samples;
  let own = false;
  if (samples === null) {
    const nBatch = input.dim() === n + 1 ? 1 : s[0];
    samples = ops.rand([nBatch, s[s.length - n - 1], n], { dtype: input.dtype, device: input.device });
    own = true;
  }
  const r = N[`a_fractional_max_pool${n}d` as 'a_fractional_max_pool2d' | 'a_fractional_max_pool3d'](hi, ntuple(n, a.kernel_size, 'kernel_size', fname), os, samples._h);
  const out = T(r[0]);
  const idx = T(r[1]);
  if (own) samples.dispose();
  if (a.return_indices) return [out, idx];
  idx.dispose();
  return out;
}
/** F.fractional_max_pool2d(input, kernel_size, output_size=null, output_ratio=null, return_indices=false, _random_samples=null). */
export function fractional_max_pool2d(input: Tensor, ...args: any[]): any {
  return fractional(2, 'fractional_max_pool2d', input, args);
}
/** F.fractional_max_pool3d(input, kernel_size, output_size=null, output_ratio=null, return_indices=false, _random_samples=null). */
export function fractional_max_pool3d(input: Tensor, ...args: any[]): any {
  return fractional(3, 'fractional_max_pool3d', input, args);
}
