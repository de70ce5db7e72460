export {};

// ==================================================================== branch nn2: MultiheadAttention
// (torch/nn/modules/activation.py keeps MultiheadAttention here; this block is owned by branch nn2.)
import { Tensor as _T } from '../../tensor';
import { Module as _Module } from '../module';
import { Parameter as _Parameter } from '../parameter';
import { Linear as _Linear } from './linear';
import * as _init from '../init';
import * as _ops from '../../generated/ops';
import { parseArgs as _parseArgs, Args as _Args } from './utils';
import { multi_head_attention_forward as _mha_forward } from '../functional/attention';
import { bool as _tbool } from '../../dtype';
import { TorchError as _TorchError } from '../../errors';

/** torch.nn.modules.linear.NonDynamicallyQuantizableLinear: a Linear (the name MultiheadAttention's out_proj prints). */
export class NonDynamicallyQuantizableLinear extends _Linear {}

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
export class MultiheadAttention extends _Module {
  embed_dim!: number;
  kdim!: number;
  vdim!: number;
  _qkv_same_embed_dim!: boolean;
  num_heads!: number;
  dropout!: number;
  batch_first!: boolean;
  head_dim!: number;
  declare in_proj_weight: _Parameter | null;
  declare q_proj_weight: _Parameter | null;
  declare k_proj_weight: _Parameter | null;
  declare v_proj_weight: _Parameter | null;
  declare in_proj_bias: _Parameter | null;
  declare out_proj: NonDynamicallyQuantizableLinear;
  declare bias_k: _Parameter | null;
  declare bias_v: _Parameter | null;
  declare add_zero_attn: boolean;

  constructor(...args: _Args<[embed_dim: number, num_heads: number, dropout: number, bias: boolean, add_bias_kv: boolean, add_zero_attn: boolean, kdim: number | null, vdim: number | null, batch_first: boolean, device: any, dtype: any],
    { embed_dim: number; num_heads: number; dropout: number; bias: boolean; add_bias_kv: boolean; add_zero_attn: boolean; kdim: number | null; vdim: number | null; batch_first: boolean; device: any; dtype: any }>);
  constructor(...args: any[]) {
    super();
    const f = 'MultiheadAttention';
    const a = _parseArgs(f, ['embed_dim', 'num_heads', 'dropout', 'bias', 'add_bias_kv', 'add_zero_attn', 'kdim', 'vdim', 'batch_first', 'device', 'dtype'], args,
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
    if (this.head_dim * this.num_heads !== embed) throw new _TorchError('embed_dim must be divisible by num_heads');
    const bias = bool(a.bias, 'bias');
    if (!this._qkv_same_embed_dim) {
      this.q_proj_weight = new _Parameter(_ops.empty([embed, embed], fk));
      this.k_proj_weight = new _Parameter(_ops.empty([embed, this.kdim], fk));
      this.v_proj_weight = new _Parameter(_ops.empty([embed, this.vdim], fk));
      this.register_parameter('in_proj_weight', null);
    } else {
      this.in_proj_weight = new _Parameter(_ops.empty([3 * embed, embed], fk));
      this.register_parameter('q_proj_weight', null);
      this.register_parameter('k_proj_weight', null);
      this.register_parameter('v_proj_weight', null);
    }
    if (bias) this.in_proj_bias = new _Parameter(_ops.empty([3 * embed], fk));
    else this.register_parameter('in_proj_bias', null);
    this.out_proj = new NonDynamicallyQuantizableLinear(embed, embed, { bias, ...fk });
    if (bool(a.add_bias_kv, 'add_bias_kv')) {
      this.bias_k = new _Parameter(_ops.empty([1, 1, embed], fk));
      this.bias_v = new _Parameter(_ops.empty([1, 1, embed], fk));
    } else {
      Object.defineProperty(this, 'bias_k', { value: null, writable: true, enumerable: false, configurable: true });
      Object.defineProperty(this, 'bias_v', { value: null, writable: true, enumerable: false, configurable: true });
    }
    this.add_zero_attn = bool(a.add_zero_attn, 'add_zero_attn');
    this._reset_parameters();
  }

  /** @internal PyTorch's _reset_parameters: xavier_uniform_ projections, zero biases, xavier_normal_ bias_k/v. */
  _reset_parameters(): void {
    if (this._qkv_same_embed_dim) _init.xavier_uniform_(this.in_proj_weight!);
    else {
      _init.xavier_uniform_(this.q_proj_weight!);
      _init.xavier_uniform_(this.k_proj_weight!);
      _init.xavier_uniform_(this.v_proj_weight!);
    }
    if (this.in_proj_bias !== null) {
      _init.constant_(this.in_proj_bias, 0.0);
      _init.constant_(this.out_proj.bias!, 0.0);
    }
    if (this.bias_k !== null) _init.xavier_normal_(this.bias_k);
    if (this.bias_v !== null) _init.xavier_normal_(this.bias_v);
  }

  forward(query: _T, key: _T, value: _T, key_padding_mask?: _T | null, need_weights?: boolean, attn_mask?: _T | null, average_attn_weights?: boolean): [_T, _T | null];
  forward(query: _T, key: _T, value: _T, options: { key_padding_mask?: _T | null; need_weights?: boolean; attn_mask?: _T | null; average_attn_weights?: boolean }): [_T, _T | null];
  forward(...args: any[]): [_T, _T | null] {
    const a = _parseArgs('MultiheadAttention.forward', ['query', 'key', 'value', 'key_padding_mask', 'need_weights', 'attn_mask', 'average_attn_weights'], args,
      { key_padding_mask: null, need_weights: true, attn_mask: null, average_attn_weights: true }, 3);
    let query: _T = a.query, key: _T = a.key, value: _T = a.value;
    for (const [n, v] of [['query', query], ['key', key], ['value', value]] as const) {
      if (!(v instanceof _T)) throw new TypeError(`MultiheadAttention.forward(): argument '${n}' must be Tensor`);
    }
    const kpm: _T | null = a.key_padding_mask;
    if (kpm !== null && kpm.dtype !== _tbool && !kpm.is_floating_point()) {
      throw new _TorchError('only bool and floating types of key_padding_mask are supported');
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
      ? _mha_forward(query, key, value, this.embed_dim, this.num_heads, this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v,
        this.add_zero_attn, this.dropout, this.out_proj.weight, this.out_proj.bias, common)
      : _mha_forward(query, key, value, this.embed_dim, this.num_heads, this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v,
        this.add_zero_attn, this.dropout, this.out_proj.weight, this.out_proj.bias, {
          ...common, use_separate_proj_weight: true, q_proj_weight: this.q_proj_weight, k_proj_weight: this.k_proj_weight, v_proj_weight: this.v_proj_weight,
        });
    if (this.batch_first && is_batched) return [out.transpose(1, 0), w];
    return [out, w];
  }
}
// ==================================================================== end branch nn2
