/**
 * nn.functional normalization: batch_norm, instance_norm, layer_norm, group_norm (the torch.* ops
 * PyTorch's F.* calls), local_response_norm (composed as PyTorch composes it), rms_norm and
 * normalize.
 */
import { Tensor } from '../../tensor';
import * as ops from '../../generated/ops';
import { TorchError } from '../../errors';
import { N, T, h, oh, parseArgs } from './_util';
import { pad } from './padding';
import { avg_pool2d, avg_pool3d } from './pooling';

function verifyBatchSize(size: number[]): void {
  let n = size[0];
  for (let i = 2; i < size.length; i++) n *= size[i];
  if (n === 1) throw new RangeError(`Expected more than 1 value per channel when training, got input size torch.Size([${size.join(', ')}])`);
}

/**
 * F.batch_norm(input, running_mean, running_var, weight=null, bias=null, training=false,
 * momentum=0.1, eps=1e-5). Updates running_mean/var in place when training.
 */
export function batch_norm(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('batch_norm', ['running_mean', 'running_var', 'weight', 'bias', 'training', 'momentum', 'eps'], args,
    { running_mean: null, running_var: null, weight: null, bias: null, training: false, momentum: 0.1, eps: 1e-5 }, 2);
  const hi = h(input, 'input', 'batch_norm');
  if (a.training) verifyBatchSize(input.shape);
  const f = 'batch_norm';
  return T(N.a_batch_norm(hi, oh(a.weight, 'weight', f), oh(a.bias, 'bias', f), oh(a.running_mean, 'running_mean', f), oh(a.running_var, 'running_var', f),
    a.training, a.momentum, a.eps, true));
}

/**
 * F.instance_norm(input, running_mean=null, running_var=null, weight=null, bias=null,
 * use_input_stats=true, momentum=0.1, eps=1e-5).
 */
export function instance_norm(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('instance_norm', ['running_mean', 'running_var', 'weight', 'bias', 'use_input_stats', 'momentum', 'eps'], args,
    { running_mean: null, running_var: null, weight: null, bias: null, use_input_stats: true, momentum: 0.1, eps: 1e-5 });
  const hi = h(input, 'input', 'instance_norm');
  if (a.use_input_stats) {
    const s = input.shape;
    let n = 1;
    for (let i = 2; i < s.length; i++) n *= s[i];
    if (n === 1) throw new RangeError(`Expected more than 1 spatial element when training, got input size torch.Size([${s.join(', ')}])`);
  }
  const f = 'instance_norm';
  return T(N.a_instance_norm(hi, oh(a.weight, 'weight', f), oh(a.bias, 'bias', f), oh(a.running_mean, 'running_mean', f), oh(a.running_var, 'running_var', f),
    a.use_input_stats, a.momentum, a.eps, true));
}

/** F.layer_norm(input, normalized_shape, weight=null, bias=null, eps=1e-5). */
export function layer_norm(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('layer_norm', ['normalized_shape', 'weight', 'bias', 'eps'], args, { weight: null, bias: null, eps: 1e-5 }, 1);
  const f = 'layer_norm';
  return T(N.a_layer_norm(h(input, 'input', f), a.normalized_shape, oh(a.weight, 'weight', f), oh(a.bias, 'bias', f), a.eps, true));
}

/** F.group_norm(input, num_groups, weight=null, bias=null, eps=1e-5). */
export function group_norm(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('group_norm', ['num_groups', 'weight', 'bias', 'eps'], args, { weight: null, bias: null, eps: 1e-5 }, 1);
  const f = 'group_norm';
  const hi = h(input, 'input', f);
  const s = input.shape;
  if (s.length < 2) throw new TorchError(`Expected at least 2 dimensions for input tensor but received ${s.length}`);
  verifyBatchSize([Math.floor((s[0] * s[1]) / a.num_groups), a.num_groups, ...s.slice(2)]);
  return T(N.a_group_norm(hi, a.num_groups, oh(a.weight, 'weight', f), oh(a.bias, 'bias', f), a.eps, true));
}

/**
 * F.local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0): normalizes over neighbouring
 * channels. Shape: (N, C, *) with at least 3 dimensions.
 */
export function local_response_norm(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('local_response_norm', ['size', 'alpha', 'beta', 'k'], args, { alpha: 1e-4, beta: 0.75, k: 1.0 }, 1);
  h(input, 'input', 'local_response_norm');
  const dim = input.dim();
  if (dim < 3) throw new RangeError(`Expected 3D or higher dimensionality input (got ${dim} dimensions)`);
  if (input.numel() === 0) return input;
  const size: number = a.size;
  const tmp: Tensor[] = [];
  const keep = (t: Tensor): Tensor => (tmp.push(t), t);
  let div = keep(ops.unsqueeze(keep(ops.mul(input, input)), 1));
  if (dim === 3) {
    div = keep(pad(div, [0, 0, Math.floor(size / 2), Math.floor((size - 1) / 2)]));
    div = keep(ops.squeeze(keep(avg_pool2d(div, [size, 1], { stride: 1 })), 1));
  } else {
    const sizes = input.shape;
    div = keep(div.view([sizes[0], 1, sizes[1], sizes[2], -1]));
    div = keep(pad(div, [0, 0, 0, 0, Math.floor(size / 2), Math.floor((size - 1) / 2)]));
    div = keep(ops.squeeze(keep(avg_pool3d(div, [size, 1, 1], { stride: 1 })), 1));
    div = keep(div.view(sizes));
  }
  div = keep(ops.pow(keep(ops.add(keep(ops.mul(div, a.alpha)), a.k)), a.beta));
  const r = ops.div(input, div);
  for (const t of tmp) t.dispose();
  return r;
}

/**
 * F.rms_norm(input, normalized_shape, weight=null, eps=null): x / sqrt(mean(x², last dims) + eps) · weight
 * (eps defaults to the dtype's machine epsilon, as PyTorch 2.4+).
 */
export function rms_norm(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('rms_norm', ['normalized_shape', 'weight', 'eps'], args, { weight: null, eps: null }, 1);
  h(input, 'input', 'rms_norm');
  const ns: number[] = typeof a.normalized_shape === 'number' ? [a.normalized_shape] : a.normalized_shape;
  const s = input.shape;
  for (let i = 0; i < ns.length; i++) {
    if (s[s.length - ns.length + i] !== ns[i]) {
      throw new TorchError(`Given normalized_shape=[${ns.join(', ')}], expected input with shape [*, ${ns.join(', ')}], but got input of size[${s.join(', ')}]`);
    }
  }
  const eps = a.eps ?? (input.dtype.name === 'float64' ? 2.220446049250313e-16 : input.dtype.name === 'float16' ? 0.0009765625 : input.dtype.name === 'bfloat16' ? 0.0078125 : 1.1920928955078125e-7);
  const dims = ns.map((_, i) => -1 - i);
  const sq = ops.mul(input, input);
  const m = ops.mean(sq, dims, { keepdim: true });
  const me = ops.add(m, eps);
  const rs = ops.rsqrt(me);
  let r = ops.mul(input, rs);
  for (const t of [sq, m, me, rs]) t.dispose();
  if (a.weight !== null) {
    const r2 = ops.mul(r, a.weight);
    r.dispose();
    r = r2;
  }
  return r;
}

/** F.normalize(input, p=2.0, dim=1, eps=1e-12): x / max(‖x‖_p, eps) along dim. */
export function normalize(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('normalize', ['p', 'dim', 'eps', 'out'], args, { p: 2.0, dim: 1, eps: 1e-12 });
  h(input, 'input', 'normalize');
  const n = (input as any).norm(a.p, a.dim, true) as Tensor;
  const c = ops.clamp_min(n, a.eps);
  const e = c.expand_as(input);
  const r = ops.div(input, e);
  for (const t of [n, c, e]) t.dispose();
  return r;
}
