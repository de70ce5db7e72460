/**
 * Activation layers (torch.nn.modules.activation): each forward is the one ATen call of the
 * matching nn.functional function. MultiheadAttention is at the end of this file, where
 * torch/nn/modules/activation.py keeps it.
 */
import { Module } from '../module';
import { Parameter, emptyParam } from '../parameter';
import { Tensor } from '../../tensor';
import * as F from '../functional/activation';
import { N, T } from '../functional/_util';
import * as ops from '../../generated/ops';
import { Args, parseArgs, pyFloat, pyRepr, positiveInt } from './utils';
import * as init from '../init';
import { Linear } from './linear';
import { multi_head_attention_forward } from '../functional/attention';
import { bool as tbool } from '../../dtype';
import { TorchError } from '../../errors';
import type { dtype } from '../../dtype';
import type { DeviceLike } from '../../device';

/** nn.ReLU: applies F.relu element-wise (args: inplace). */
export class ReLU extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('ReLU', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return this.inplace ? F.relu(input, true) : T(N.a_relu(input._h));
  }
  extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** nn.ReLU6: applies F.relu6 element-wise (args: inplace). */
export class ReLU6 extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('ReLU6', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.relu6(input, this.inplace);
  }
  extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** nn.SELU: applies F.selu element-wise (args: inplace). */
export class SELU extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('SELU', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.selu(input, this.inplace);
  }
  extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** nn.SiLU: applies F.silu element-wise (args: inplace). */
export class SiLU extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('SiLU', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.silu(input, this.inplace);
  }
  extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** nn.Mish: applies F.mish element-wise (args: inplace). */
export class Mish extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('Mish', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.mish(input, this.inplace);
  }
  extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** nn.Hardswish: applies F.hardswish element-wise (args: inplace). */
export class Hardswish extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('Hardswish', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.hardswish(input, this.inplace);
  }}

/** nn.Hardsigmoid: applies F.hardsigmoid element-wise (args: inplace). */
export class Hardsigmoid extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('Hardsigmoid', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.hardsigmoid(input, this.inplace);
  }}

/** nn.Sigmoid: applies F.sigmoid element-wise. */
export class Sigmoid extends Module {
  constructor() {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }}

/** nn.Tanh: applies F.tanh element-wise. */
export class Tanh extends Module {
  constructor() {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.tanh(input);
  }}

/** nn.LogSigmoid: applies F.logsigmoid element-wise. */
export class LogSigmoid extends Module {
  constructor() {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.logsigmoid(input);
  }}

/** nn.Softsign: applies F.softsign element-wise. */
export class Softsign extends Module {
  constructor() {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.softsign(input);
  }}

/** nn.Tanhshrink: applies F.tanhshrink element-wise. */
export class Tanhshrink extends Module {
  constructor() {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.tanhshrink(input);
  }}

/** nn.ELU: applies F.elu element-wise (args: alpha, inplace). */
export class ELU extends Module {
  alpha!: number;
  inplace!: boolean;
  constructor(...args: Args<[alpha: number, inplace: boolean], { alpha: number; inplace: boolean }>) {
    super();
    const a = parseArgs('ELU', ['alpha', 'inplace'], args, { alpha: 1.0, inplace: false }, 0);
    this.alpha = a.alpha;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha, this.inplace);
  }
  extra_repr(): string {
    return `alpha=${pyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** nn.CELU: applies F.celu element-wise (args: alpha, inplace). */
export class CELU extends Module {
  alpha!: number;
  inplace!: boolean;
  constructor(...args: Args<[alpha: number, inplace: boolean], { alpha: number; inplace: boolean }>) {
    super();
    const a = parseArgs('CELU', ['alpha', 'inplace'], args, { alpha: 1.0, inplace: false }, 0);
    this.alpha = a.alpha;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.celu(input, this.alpha, this.inplace);
  }
  extra_repr(): string {
    return `alpha=${pyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** nn.LeakyReLU: applies F.leaky_relu element-wise (args: negative_slope, inplace). */
export class LeakyReLU extends Module {
  negative_slope!: number;
  inplace!: boolean;
  constructor(...args: Args<[negative_slope: number, inplace: boolean], { negative_slope: number; inplace: boolean }>) {
    super();
    const a = parseArgs('LeakyReLU', ['negative_slope', 'inplace'], args, { negative_slope: 0.01, inplace: false }, 0);
    this.negative_slope = a.negative_slope;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.leaky_relu(input, this.negative_slope, this.inplace);
  }
  extra_repr(): string {
    return `negative_slope=${pyFloat(this.negative_slope)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** nn.Hardtanh: applies F.hardtanh element-wise (args: min_val, max_val, inplace). */
export class Hardtanh extends Module {
  min_val!: number;
  max_val!: number;
  inplace!: boolean;
  constructor(...args: Args<[min_val: number, max_val: number, inplace: boolean], { min_val: number; max_val: number; inplace: boolean }>) {
    super();
    const a = parseArgs('Hardtanh', ['min_val', 'max_val', 'inplace'], args, { min_val: -1.0, max_val: 1.0, inplace: false }, 0);
    this.min_val = a.min_val;
    this.max_val = a.max_val;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.min_val, this.max_val, this.inplace);
  }
  extra_repr(): string {
    return `min_val=${pyFloat(this.min_val)}, max_val=${pyFloat(this.max_val)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** nn.Threshold: applies F.threshold element-wise (args: threshold, value, inplace). */
export class Threshold extends Module {
  threshold!: number;
  value!: number;
  inplace!: boolean;
  constructor(...args: Args<[threshold: number, value: number, inplace: boolean], { threshold: number; value: number; inplace: boolean }>) {
    super();
    const a = parseArgs('Threshold', ['threshold', 'value', 'inplace'], args, { inplace: false }, 2);
    this.threshold = a.threshold;
    this.value = a.value;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.threshold(input, this.threshold, this.value, this.inplace);
  }
  extra_repr(): string {
    return `threshold=${pyFloat(this.threshold)}, value=${pyFloat(this.value)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** nn.GLU: applies F.glu element-wise (args: dim). */
export class GLU extends Module {
  dim!: number;
  constructor(...args: Args<[dim: number], { dim: number }>) {
    super();
    const a = parseArgs('GLU', ['dim'], args, { dim: -1 }, 0);
    this.dim = a.dim;
  }
  forward(input: Tensor): Tensor {
    return F.glu(input, this.dim);
  }
  extra_repr(): string {
    return `dim=${this.dim}`;
  }
}

/** nn.GELU: applies F.gelu element-wise (args: approximate). */
export class GELU extends Module {
  approximate!: 'none' | 'tanh';
  constructor(...args: Args<[approximate: 'none' | 'tanh'], { approximate: 'none' | 'tanh' }>) {
    super();
    const a = parseArgs('GELU', ['approximate'], args, { approximate: 'none' }, 0);
    this.approximate = a.approximate;
  }
  forward(input: Tensor): Tensor {
    return F.gelu(input, this.approximate);
  }
  extra_repr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** nn.Hardshrink: applies F.hardshrink element-wise (args: lambd). */
export class Hardshrink extends Module {
  lambd!: number;
  constructor(...args: Args<[lambd: number], { lambd: number }>) {
    super();
    const a = parseArgs('Hardshrink', ['lambd'], args, { lambd: 0.5 }, 0);
    this.lambd = a.lambd;
  }
  forward(input: Tensor): Tensor {
    return F.hardshrink(input, this.lambd);
  }
  extra_repr(): string {
    return pyFloat(this.lambd);
  }
}

/** nn.Softshrink: applies F.softshrink element-wise (args: lambd). */
export class Softshrink extends Module {
  lambd!: number;
  constructor(...args: Args<[lambd: number], { lambd: number }>) {
    super();
    const a = parseArgs('Softshrink', ['lambd'], args, { lambd: 0.5 }, 0);
    this.lambd = a.lambd;
  }
  forward(input: Tensor): Tensor {
    return F.softshrink(input, this.lambd);
  }
  extra_repr(): string {
    return pyFloat(this.lambd);
  }
}

/** nn.Softplus: applies F.softplus element-wise (args: beta, threshold). */
export class Softplus extends Module {
  beta!: number;
  threshold!: number;
  constructor(...args: Args<[beta: number, threshold: number], { beta: number; threshold: number }>) {
    super();
    const a = parseArgs('Softplus', ['beta', 'threshold'], args, { beta: 1, threshold: 20 }, 0);
    this.beta = a.beta;
    this.threshold = a.threshold;
  }
  forward(input: Tensor): Tensor {
    return F.softplus(input, this.beta, this.threshold);
  }
  extra_repr(): string {
    return `beta=${pyRepr(this.beta)}, threshold=${pyRepr(this.threshold)}`;
  }
}

/** nn.Softmin: applies F.softmin element-wise (args: dim). */
export class Softmin extends Module {
  dim!: number | null;
  constructor(...args: Args<[dim: number | null], { dim: number | null }>) {
    super();
    const a = parseArgs('Softmin', ['dim'], args, { dim: null }, 0);
    this.dim = a.dim;
  }
  forward(input: Tensor): Tensor {
    return F.softmin(input, this.dim);
  }
  extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

/** nn.Softmax: applies F.softmax element-wise (args: dim). */
export class Softmax extends Module {
  dim!: number | null;
  constructor(...args: Args<[dim: number | null], { dim: number | null }>) {
    super();
    const a = parseArgs('Softmax', ['dim'], args, { dim: null }, 0);
    this.dim = a.dim;
  }
  forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }
  extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

/** nn.LogSoftmax: applies F.log_softmax element-wise (args: dim). */
export class LogSoftmax extends Module {
  dim!: number | null;
  constructor(...args: Args<[dim: number | null], { dim: number | null }>) {
    super();
    const a = parseArgs('LogSoftmax', ['dim'], args, { dim: null }, 0);
    this.dim = a.dim;
  }
  forward(input: Tensor): Tensor {
    return F.log_softmax(input, this.dim);
  }
  extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

/** nn.Softmax2d: softmax over the channel dimension of (N, C, H, W) or (C, H, W) inputs. */
export class Softmax2d extends Module {
  forward(input: Tensor): Tensor {
    const d = input.dim();
    if (d !== 3 && d !== 4) throw new RangeError(`Softmax2d: expected input to be 3D or 4D, got ${d}D instead`);
    return F.softmax(input, -3);
  }
}

/**
 * nn.RReLU: randomized leaky ReLU (slopes drawn from U(lower, upper) in training, their mean in eval).
 * Args: lower=1/8, upper=1/3, inplace=false.
 */
export class RReLU extends Module {
  lower!: number;
  upper!: number;
  inplace!: boolean;
  constructor(...args: Args<[lower: number, upper: number, inplace: boolean], { lower: number; upper: number; inplace: boolean }>) {
    super();
    const a = parseArgs('RReLU', ['lower', 'upper', 'inplace'], args, { lower: 1 / 8, upper: 1 / 3, inplace: false });
    this.lower = a.lower;
    this.upper = a.upper;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.rrelu(input, this.lower, this.upper, this.training, this.inplace);
  }
  extra_repr(): string {
    return `lower=${pyFloat(this.lower)}, upper=${pyFloat(this.upper)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/**
 * nn.PReLU: max(0, x) + a·min(0, x) with a learned `a` (one, or one per channel).
 * Args: num_parameters=1, init=0.25, device, dtype.
 */
export class PReLU extends Module {
  num_parameters!: number;
  init!: number;
  weight!: Parameter;
  constructor(...args: Args<[num_parameters: number, init: number, device: DeviceLike | null, dtype: dtype | null], { num_parameters: number; init: number; device: DeviceLike | null; dtype: dtype | null }>) {
    super();
    const a = parseArgs('PReLU', ['num_parameters', 'init', 'device', 'dtype'], args, { num_parameters: 1, init: 0.25 });
    this.num_parameters = positiveInt(a.num_parameters, 'num_parameters', 'PReLU');
    this.init = a.init;
    this.weight = emptyParam([this.num_parameters], a);
    this.reset_parameters();
  }
  reset_parameters(): void {
    init.constant_(this.weight, this.init);
  }
  forward(input: Tensor): Tensor {
    return T(N.a_prelu(input._h, this.weight._h));
  }
  extra_repr(): string {
    return `num_parameters=${this.num_parameters}`;
  }
}
// ------------------------------------------------------------------ MultiheadAttention

/** torch.nn.modules.linear.NonDynamicallyQuantizableLinear: a Linear (the name MultiheadAttention's out_proj prints). */
export class NonDynamicallyQuantizableLinear extends Linear {}

/**
 * nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
 * add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None, dtype=None):
 * attention over `num_heads` heads, MultiHead(Q, K, V) = Concat(head_1..h) W_O with
 * head_i = softmax(Q W_Qi (K W_Ki)ᵀ / √d) V W_Vi.
 *
 * forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
 * average_attn_weights=True) → [attn_output, attn_output_weights | null].
 *
 * Shape: query (L, N, E) ((N, L, E) with batch_first, (L, E) unbatched); key (S, N, kdim);
 * value (S, N, vdim); key_padding_mask (N, S) bool or float; attn_mask (L, S) or
 * (N * num_heads, L, S). attn_output like query; weights (N, L, S) (or (N, num_heads, L, S)).
 *
 * Example:
 *   const mha = new nn.MultiheadAttention(8, 2);
 *   const x = torch.randn(3, 2, 8);
 *   const [out, weights] = mha(x, x, x);
 */
export class MultiheadAttention extends Module {
  embed_dim!: number;
  kdim!: number;
  vdim!: number;
  _qkv_same_embed_dim!: boolean;
  num_heads!: number;
  dropout!: number;
  batch_first!: boolean;
  head_dim!: number;
  declare in_proj_weight: Parameter | null;
  declare q_proj_weight: Parameter | null;
  declare k_proj_weight: Parameter | null;
  declare v_proj_weight: Parameter | null;
  declare in_proj_bias: Parameter | null;
  declare out_proj: NonDynamicallyQuantizableLinear;
  declare bias_k: Parameter | null;
  declare bias_v: Parameter | null;
  declare add_zero_attn: boolean;

  constructor(...args: Args<[embed_dim: number, num_heads: number, dropout: number, bias: boolean, add_bias_kv: boolean, add_zero_attn: boolean, kdim: number | null, vdim: number | null, batch_first: boolean, device: any, dtype: any],
    { embed_dim: number; num_heads: number; dropout: number; bias: boolean; add_bias_kv: boolean; add_zero_attn: boolean; kdim: number | null; vdim: number | null; batch_first: boolean; device: any; dtype: any }>);
  constructor(...args: any[]) {
    super();
    const f = 'MultiheadAttention';
    const a = parseArgs(f, ['embed_dim', 'num_heads', 'dropout', 'bias', 'add_bias_kv', 'add_zero_attn', 'kdim', 'vdim', 'batch_first', 'device', 'dtype'], args,
      { dropout: 0.0, bias: true, add_bias_kv: false, add_zero_attn: false, kdim: null, vdim: null, batch_first: false, device: null, dtype: null }, 2);
    const int = (v: unknown, n: string): number => {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${f}: argument '${n}' must be int, not ${typeof v}`);
      return v;
    };
    const bool = (v: unknown, n: string): boolean => {
      if (typeof v !== 'boolean') throw new TypeError(`${f}: argument '${n}' must be bool, not ${typeof v}`);
      return v;
    };
    const fk = { dtype: a.dtype ?? null, device: a.device ?? null };
    const embed = int(a.embed_dim, 'embed_dim');
    this.embed_dim = embed;
    this.kdim = a.kdim !== null && a.kdim !== undefined ? int(a.kdim, 'kdim') : embed;
    this.vdim = a.vdim !== null && a.vdim !== undefined ? int(a.vdim, 'vdim') : embed;
    this._qkv_same_embed_dim = this.kdim === embed && this.vdim === embed;
    this.num_heads = int(a.num_heads, 'num_heads');
    if (typeof a.dropout !== 'number') throw new TypeError(`${f}: argument 'dropout' must be float`);
    this.dropout = a.dropout;
    this.batch_first = bool(a.batch_first, 'batch_first');
    this.head_dim = Math.floor(embed / this.num_heads);
    if (this.head_dim * this.num_heads !== embed) throw new TorchError('embed_dim must be divisible by num_heads');
    const bias = bool(a.bias, 'bias');
    if (!this._qkv_same_embed_dim) {
      this.q_proj_weight = new Parameter(ops.empty([embed, embed], fk));
      this.k_proj_weight = new Parameter(ops.empty([embed, this.kdim], fk));
      this.v_proj_weight = new Parameter(ops.empty([embed, this.vdim], fk));
      this.register_parameter('in_proj_weight', null);
    } else {
      this.in_proj_weight = new Parameter(ops.empty([3 * embed, embed], fk));
      this.register_parameter('q_proj_weight', null);
      this.register_parameter('k_proj_weight', null);
      this.register_parameter('v_proj_weight', null);
    }
    if (bias) this.in_proj_bias = new Parameter(ops.empty([3 * embed], fk));
    else this.register_parameter('in_proj_bias', null);
    this.out_proj = new NonDynamicallyQuantizableLinear(embed, embed, { bias, ...fk });
    if (bool(a.add_bias_kv, 'add_bias_kv')) {
      this.bias_k = new Parameter(ops.empty([1, 1, embed], fk));
      this.bias_v = new Parameter(ops.empty([1, 1, embed], fk));
    } else {
      Object.defineProperty(this, 'bias_k', { value: null, writable: true, enumerable: false, configurable: true });
      Object.defineProperty(this, 'bias_v', { value: null, writable: true, enumerable: false, configurable: true });
    }
    this.add_zero_attn = bool(a.add_zero_attn, 'add_zero_attn');
    this._reset_parameters();
  }

  /** @internal PyTorch's _reset_parameters: xavier_uniform_ projections, zero biases, xavier_normal_ bias_k/v. */
  _reset_parameters(): void {
    if (this._qkv_same_embed_dim) init.xavier_uniform_(this.in_proj_weight!);
    else {
      init.xavier_uniform_(this.q_proj_weight!);
      init.xavier_uniform_(this.k_proj_weight!);
      init.xavier_uniform_(this.v_proj_weight!);
    }
    if (this.in_proj_bias !== null) {
      init.constant_(this.in_proj_bias, 0.0);
      init.constant_(this.out_proj.bias!, 0.0);
    }
    if (this.bias_k !== null) init.xavier_normal_(this.bias_k);
    if (this.bias_v !== null) init.xavier_normal_(this.bias_v);
  }

  forward(query: Tensor, key: Tensor, value: Tensor, key_padding_mask?: Tensor | null, need_weights?: boolean, attn_mask?: Tensor | null, average_attn_weights?: boolean): [Tensor, Tensor | null];
  forward(query: Tensor, key: Tensor, value: Tensor, options: { key_padding_mask?: Tensor | null; need_weights?: boolean; attn_mask?: Tensor | null; average_attn_weights?: boolean }): [Tensor, Tensor | null];
  forward(...args: any[]): [Tensor, Tensor | null] {
    const a = parseArgs('MultiheadAttention.forward', ['query', 'key', 'value', 'key_padding_mask', 'need_weights', 'attn_mask', 'average_attn_weights'], args,
      { key_padding_mask: null, need_weights: true, attn_mask: null, average_attn_weights: true }, 3);
    let query: Tensor = a.query, key: Tensor = a.key, value: Tensor = a.value;
    for (const [n, v] of [['query', query], ['key', key], ['value', value]] as const) {
      if (!(v instanceof Tensor)) throw new TypeError(`MultiheadAttention.forward(): argument '${n}' must be Tensor`);
    }
    const kpm: Tensor | null = a.key_padding_mask;
    if (kpm !== null && kpm.dtype !== tbool && !kpm.is_floating_point()) {
      throw new TorchError('only bool and floating types of key_padding_mask are supported');
    }
    const is_batched = query.dim() === 3;
    if (this.batch_first && is_batched) {
      // keep the identities (query is key, key is value) that select the packed in-projection
      if (key === value) {
        if (query === key) query = key = value = query.transpose(1, 0);
        else {
          query = query.transpose(1, 0);
          key = key.transpose(1, 0);
          value = key;
        }
      } else {
        query = query.transpose(1, 0);
        key = key.transpose(1, 0);
        value = value.transpose(1, 0);
      }
    }
    const common = {
      training: this.training, key_padding_mask: kpm, need_weights: a.need_weights, attn_mask: a.attn_mask,
      average_attn_weights: a.average_attn_weights,
    };
    const [out, w] = this._qkv_same_embed_dim
      ? multi_head_attention_forward(query, key, value, this.embed_dim, this.num_heads, this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v,
        this.add_zero_attn, this.dropout, this.out_proj.weight, this.out_proj.bias, common)
      : multi_head_attention_forward(query, key, value, this.embed_dim, this.num_heads, this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v,
        this.add_zero_attn, this.dropout, this.out_proj.weight, this.out_proj.bias, {
          ...common, use_separate_proj_weight: true, q_proj_weight: this.q_proj_weight, k_proj_weight: this.k_proj_weight, v_proj_weight: this.v_proj_weight,
        });
    if (this.batch_first && is_batched) return [out.transpose(1, 0), w];
    return [out, w];
  }
}
