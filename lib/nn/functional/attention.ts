/**
 * Attention functions of torch.nn.functional: multi_head_attention_forward (PyTorch 1.13's Python
 * function, the same chain of ATen ops in the same order, so the numbers match PyTorch's) and
 * scaled_dot_product_attention (libtorch 2.0+ only, one native call).
 */
import * as torch from '../../generated/ops';
import { native } from '../../binding';
import { Tensor } from '../../tensor';
import { tidy } from '../../scope';
import { TorchError } from '../../errors';
import { bool as tbool, uint8 } from '../../dtype';
import { parse_args, tensor, opt_tensor, int, float, bool, opt_float, torch_check, shape_str, same_shape, warn_once } from '../utils/_args';
import { contiguous } from '../utils/_args';

function linear(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  return torch._nn.linear(x, w, b);
}

/** @internal PyTorch's _in_projection_packed: q, k, v projections with one packed weight. */
export function _in_projection_packed(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | null = null): Tensor[] {
  const E = q.size(-1);
  if (k === v) {
    if (q === k) return linear(q, w, b).chunk(3, -1);
    const [w_q, w_kv] = w.split_with_sizes([E, E * 2]);
    let b_q: Tensor | null = null, b_kv: Tensor | null = null;
    if (b !== null) [b_q, b_kv] = b.split_with_sizes([E, E * 2]);
    return [linear(q, w_q, b_q), ...linear(k, w_kv, b_kv).chunk(2, -1)];
  }
  const [w_q, w_k, w_v] = w.chunk(3);
  let b_q: Tensor | null = null, b_k: Tensor | null = null, b_v: Tensor | null = null;
  if (b !== null) [b_q, b_k, b_v] = b.chunk(3);
  return [linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)];
}

/** @internal PyTorch's _in_projection: q, k, v projections with separate weights. */
export function _in_projection(
  q: Tensor, k: Tensor, v: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor,
  b_q: Tensor | null = null, b_k: Tensor | null = null, b_v: Tensor | null = null,
): Tensor[] {
  const Eq = q.size(-1), Ek = k.size(-1), Ev = v.size(-1);
  const chk = (t: Tensor | null, exp: number[], what: string) =>
    torch_check(t === null || same_shape(t.shape, exp), () => `expecting ${what} shape of ${shape_str(exp)}, but got ${sizeOf(t!)}`);
  chk(w_q, [Eq, Eq], 'query weights');
  chk(w_k, [Eq, Ek], 'key weights');
  chk(w_v, [Eq, Ev], 'value weights');
  chk(b_q, [Eq], 'query bias');
  chk(b_k, [Eq], 'key bias');
  chk(b_v, [Eq], 'value bias');
  return [linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)];
}

function sizeOf(t: Tensor): string {
  return `torch.Size([${t.shape.join(', ')}])`;
}

/** @internal PyTorch's _mha_shape_check: whether the query is batched (3-D), or a TorchError. */
export function _mha_shape_check(
  query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | null, attn_mask: Tensor | null, num_heads: number,
): boolean {
  if (query.dim() === 3) {
    torch_check(key.dim() === 3 && value.dim() === 3,
      () => `For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${key.dim()}-D and ${value.dim()}-D tensors respectively`);
    if (key_padding_mask !== null) {
      torch_check(key_padding_mask.dim() === 2,
        () => `For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${key_padding_mask.dim()}-D tensor instead`);
    }
    if (attn_mask !== null) {
      torch_check(attn_mask.dim() === 2 || attn_mask.dim() === 3,
        () => `For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attn_mask.dim()}-D tensor instead`);
    }
    return true;
  }
  if (query.dim() === 2) {
    torch_check(key.dim() === 2 && value.dim() === 2,
      () => `For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${key.dim()}-D and ${value.dim()}-D tensors respectively`);
    if (key_padding_mask !== null) {
      torch_check(key_padding_mask.dim() === 1,
        () => `For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${key_padding_mask.dim()}-D tensor instead`);
    }
    if (attn_mask !== null) {
      torch_check(attn_mask.dim() === 2 || attn_mask.dim() === 3,
        () => `For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attn_mask.dim()}-D tensor instead`);
      if (attn_mask.dim() === 3) {
        const exp = [num_heads, query.size(0), key.size(0)];
        torch_check(same_shape(attn_mask.shape, exp), () => `Expected \`attn_mask\` shape to be ${shape_str(exp)} but got ${sizeOf(attn_mask)}`);
      }
    }
    return false;
  }
  throw new TorchError(`query should be unbatched 2D or batched 3D tensor but received ${query.dim()}-D query tensor`);
}

export interface MHAForwardOptions {
  training?: boolean;
  key_padding_mask?: Tensor | null;
  need_weights?: boolean;
  attn_mask?: Tensor | null;
  use_separate_proj_weight?: boolean;
  q_proj_weight?: Tensor | null;
  k_proj_weight?: Tensor | null;
  v_proj_weight?: Tensor | null;
  static_k?: Tensor | null;
  static_v?: Tensor | null;
  average_attn_weights?: boolean;
}

const MHA_SPEC = [
  'query', 'key', 'value', 'embed_dim_to_check', 'num_heads', 'in_proj_weight', 'in_proj_bias', 'bias_k', 'bias_v',
  'add_zero_attn', 'dropout_p', 'out_proj_weight', 'out_proj_bias', ['training', true], ['key_padding_mask', null],
  ['need_weights', true], ['attn_mask', null], ['use_separate_proj_weight', false], ['q_proj_weight', null],
  ['k_proj_weight', null], ['v_proj_weight', null], ['static_k', null], ['static_v', null], ['average_attn_weights', true],
] as const;

/**
 * F.multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight,
 * in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias,
 * training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
 * use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None, v_proj_weight=None,
 * static_k=None, static_v=None, average_attn_weights=True).
 *
 * Shape (sequence first): query (L, N, E) or (L, E); key, value (S, N, E) or (S, E);
 * key_padding_mask (N, S) or (S); attn_mask (L, S) or (N * num_heads, L, S).
 * Returns [attn_output (L, N, E), attn_output_weights (N, L, S) (or (N, num_heads, L, S) when
 * average_attn_weights is false) or null when need_weights is false].
 */
export function multi_head_attention_forward(
  query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: number, num_heads: number,
  in_proj_weight: Tensor | null, in_proj_bias: Tensor | null, bias_k: Tensor | null, bias_v: Tensor | null,
  add_zero_attn: boolean, dropout_p: number, out_proj_weight: Tensor, out_proj_bias: Tensor | null,
  options?: MHAForwardOptions,
): [Tensor, Tensor | null];
export function multi_head_attention_forward(...args: any[]): [Tensor, Tensor | null] {
  const f = 'multi_head_attention_forward';
  const a = parse_args(f, MHA_SPEC, args);
  let query = tensor(f, 'query', a.query);
  let key = tensor(f, 'key', a.key);
  let value = tensor(f, 'value', a.value);
  const embed_dim_to_check = int(f, 'embed_dim_to_check', a.embed_dim_to_check);
  const num_heads = int(f, 'num_heads', a.num_heads);
  const in_proj_weight = opt_tensor(f, 'in_proj_weight', a.in_proj_weight);
  const in_proj_bias = opt_tensor(f, 'in_proj_bias', a.in_proj_bias);
  const bias_k = opt_tensor(f, 'bias_k', a.bias_k);
  const bias_v = opt_tensor(f, 'bias_v', a.bias_v);
  const add_zero_attn = bool(f, 'add_zero_attn', a.add_zero_attn);
  let dropout_p = float(f, 'dropout_p', a.dropout_p);
  const out_proj_weight = tensor(f, 'out_proj_weight', a.out_proj_weight);
  const out_proj_bias = opt_tensor(f, 'out_proj_bias', a.out_proj_bias);
  const training = bool(f, 'training', a.training);
  let key_padding_mask = opt_tensor(f, 'key_padding_mask', a.key_padding_mask);
  const need_weights = bool(f, 'need_weights', a.need_weights);
  let attn_mask = opt_tensor(f, 'attn_mask', a.attn_mask);
  const use_sep = bool(f, 'use_separate_proj_weight', a.use_separate_proj_weight);
  const q_proj_weight = opt_tensor(f, 'q_proj_weight', a.q_proj_weight);
  const k_proj_weight = opt_tensor(f, 'k_proj_weight', a.k_proj_weight);
  const v_proj_weight = opt_tensor(f, 'v_proj_weight', a.v_proj_weight);
  const static_k = opt_tensor(f, 'static_k', a.static_k);
  const static_v = opt_tensor(f, 'static_v', a.static_v);
  const average_attn_weights = bool(f, 'average_attn_weights', a.average_attn_weights);

  return tidy(() => {
    const is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads);
    if (!is_batched) {
      // As in PyTorch, three new tensors: _in_projection_packed then projects them separately.
      query = query.unsqueeze(1);
      key = key.unsqueeze(1);
      value = value.unsqueeze(1);
      if (key_padding_mask !== null) key_padding_mask = key_padding_mask.unsqueeze(0);
    }
    const [tgt_len, bsz, embed_dim] = query.shape;
    let src_len = key.size(0);
    if (key_padding_mask !== null) {
      const d = key_padding_mask.dtype;
      torch_check(d === tbool || d.is_floating_point, 'only bool and floating types of key_padding_mask are supported');
    }
    torch_check(embed_dim === embed_dim_to_check, () => `was expecting embedding dimension of ${embed_dim_to_check}, but got ${embed_dim}`);
    const head_dim = Math.floor(embed_dim / num_heads);
    torch_check(head_dim * num_heads === embed_dim, () => `embed_dim ${embed_dim} not divisible by num_heads ${num_heads}`);
    if (use_sep) {
      torch_check(same_shape(key.shape.slice(0, 2), value.shape.slice(0, 2)),
        () => `key's sequence and batch dims ${sizeOf2(key.shape.slice(0, 2))} do not match value's ${sizeOf2(value.shape.slice(0, 2))}`);
    } else {
      torch_check(same_shape(key.shape, value.shape), () => `key shape ${sizeOf(key)} does not match value shape ${sizeOf(value)}`);
    }

    let q: Tensor, k: Tensor, v: Tensor;
    if (!use_sep) {
      torch_check(in_proj_weight !== null, 'use_separate_proj_weight is False but in_proj_weight is None');
      [q, k, v] = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias);
    } else {
      torch_check(q_proj_weight !== null, 'use_separate_proj_weight is True but q_proj_weight is None');
      torch_check(k_proj_weight !== null, 'use_separate_proj_weight is True but k_proj_weight is None');
      torch_check(v_proj_weight !== null, 'use_separate_proj_weight is True but v_proj_weight is None');
      let b_q: Tensor | null = null, b_k: Tensor | null = null, b_v: Tensor | null = null;
      if (in_proj_bias !== null) [b_q, b_k, b_v] = in_proj_bias.chunk(3);
      [q, k, v] = _in_projection(query, key, value, q_proj_weight, k_proj_weight, v_proj_weight, b_q, b_k, b_v);
    }

    if (attn_mask !== null) {
      if (attn_mask.dtype === uint8) {
        warn_once('Byte tensor for attn_mask in nn.MultiheadAttention is deprecated. Use bool tensor instead.');
        attn_mask = attn_mask.to(tbool);
      } else {
        torch_check(attn_mask.is_floating_point() || attn_mask.dtype === tbool,
          () => `Only float, byte, and bool types are supported for attn_mask, not ${attn_mask!.dtype}`);
      }
      if (attn_mask.dim() === 2) {
        const exp = [tgt_len, src_len];
        if (!same_shape(attn_mask.shape, exp)) throw new TorchError(`The shape of the 2D attn_mask is ${sizeOf(attn_mask)}, but should be ${shape_str(exp)}.`);
        attn_mask = attn_mask.unsqueeze(0);
      } else if (attn_mask.dim() === 3) {
        const exp = [bsz * num_heads, tgt_len, src_len];
        if (!same_shape(attn_mask.shape, exp)) throw new TorchError(`The shape of the 3D attn_mask is ${sizeOf(attn_mask)}, but should be ${shape_str(exp)}.`);
      } else {
        throw new TorchError(`attn_mask's dimension ${attn_mask.dim()} is not supported`);
      }
    }

    if (bias_k !== null && bias_v !== null) {
      torch_check(static_k === null, 'bias cannot be added to static key.');
      torch_check(static_v === null, 'bias cannot be added to static value.');
      k = torch.cat([k, bias_k.repeat([1, bsz, 1])]);
      v = torch.cat([v, bias_v.repeat([1, bsz, 1])]);
      if (attn_mask !== null) attn_mask = torch.constant_pad_nd(attn_mask, [0, 1], 0);
      if (key_padding_mask !== null) key_padding_mask = torch.constant_pad_nd(key_padding_mask, [0, 1], 0);
    } else {
      torch_check(bias_k === null, 'bias_k and bias_v must both be given or both be None');
      torch_check(bias_v === null, 'bias_k and bias_v must both be given or both be None');
    }

    q = contiguous(q).view([tgt_len, bsz * num_heads, head_dim]).transpose(0, 1);
    if (static_k === null) k = contiguous(k).view([k.size(0), bsz * num_heads, head_dim]).transpose(0, 1);
    else {
      torch_check(static_k.size(0) === bsz * num_heads, () => `expecting static_k.size(0) of ${bsz * num_heads}, but got ${static_k.size(0)}`);
      torch_check(static_k.size(2) === head_dim, () => `expecting static_k.size(2) of ${head_dim}, but got ${static_k.size(2)}`);
      k = static_k;
    }
    if (static_v === null) v = contiguous(v).view([v.size(0), bsz * num_heads, head_dim]).transpose(0, 1);
    else {
      torch_check(static_v.size(0) === bsz * num_heads, () => `expecting static_v.size(0) of ${bsz * num_heads}, but got ${static_v.size(0)}`);
      torch_check(static_v.size(2) === head_dim, () => `expecting static_v.size(2) of ${head_dim}, but got ${static_v.size(2)}`);
      v = static_v;
    }

    if (add_zero_attn) {
      const zshape = [bsz * num_heads, 1, head_dim];
      k = torch.cat([k, torch.zeros(zshape, { dtype: k.dtype, device: k.device })], 1);
      v = torch.cat([v, torch.zeros(zshape, { dtype: v.dtype, device: v.device })], 1);
      if (attn_mask !== null) attn_mask = torch.constant_pad_nd(attn_mask, [0, 1], 0);
      if (key_padding_mask !== null) key_padding_mask = torch.constant_pad_nd(key_padding_mask, [0, 1], 0);
    }

    src_len = k.size(1);

    if (key_padding_mask !== null) {
      const exp = [bsz, src_len];
      torch_check(same_shape(key_padding_mask.shape, exp), () => `expecting key_padding_mask shape of ${shape_str(exp)}, but got ${sizeOf(key_padding_mask!)}`);
      key_padding_mask = key_padding_mask.view([bsz, 1, 1, src_len]).expand([-1, num_heads, -1, -1]).reshape([bsz * num_heads, 1, src_len]);
      if (attn_mask === null) attn_mask = key_padding_mask;
      else if (attn_mask.dtype === tbool) attn_mask = attn_mask.logical_or(key_padding_mask);
      else attn_mask = attn_mask.masked_fill(key_padding_mask, -Infinity);
    }

    if (attn_mask !== null && attn_mask.dtype === tbool) {
      const m = torch.zeros_like(attn_mask, { dtype: q.dtype });
      m.masked_fill_(attn_mask, -Infinity);
      attn_mask = m;
    }

    if (!training) dropout_p = 0.0;

    const E = q.size(2);
    const q_scaled = q.div(Math.sqrt(E));
    let w = attn_mask !== null ? torch.baddbmm(attn_mask, q_scaled, k.transpose(-2, -1)) : torch.bmm(q_scaled, k.transpose(-2, -1));
    w = w.softmax(-1);
    if (dropout_p > 0.0) w = torch.dropout(w, dropout_p, true);
    let out = torch.bmm(w, v);
    out = contiguous(out.transpose(0, 1)).view([tgt_len * bsz, embed_dim]);
    out = linear(out, out_proj_weight, out_proj_bias);
    out = out.view([tgt_len, bsz, out.size(1)]);

    if (need_weights) {
      w = w.view([bsz, num_heads, tgt_len, src_len]);
      if (average_attn_weights) w = w.sum(1).div(num_heads);
      if (!is_batched) {
        out = out.squeeze(1);
        w = w.squeeze(0);
      }
      return [out, w] as [Tensor, Tensor | null];
    }
    if (!is_batched) out = out.squeeze(1);
    return [out, null] as [Tensor, Tensor | null];
  });
}

function sizeOf2(s: number[]): string {
  return `torch.Size([${s.join(', ')}])`;
}

/**
 * F.scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False,
 * scale=None): softmax(Q Kᵀ / √E + mask) V. Needs libtorch 2.0 or newer (libtorch 1.13 has no such
 * op; this throws a TorchError there). `scale` needs libtorch 2.1+.
 *
 * Shape: query (N, ..., L, E), key (N, ..., S, E), value (N, ..., S, Ev) → (N, ..., L, Ev).
 */
export function scaled_dot_product_attention(
  query: Tensor, key: Tensor, value: Tensor,
  options?: { attn_mask?: Tensor | null; dropout_p?: number; is_causal?: boolean; scale?: number | null },
): Tensor;
export function scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask?: Tensor | null, dropout_p?: number, is_causal?: boolean, scale?: number | null): Tensor;
export function scaled_dot_product_attention(...args: any[]): Tensor {
  const f = 'scaled_dot_product_attention';
  const a = parse_args(f, ['query', 'key', 'value', ['attn_mask', null], ['dropout_p', 0.0], ['is_causal', false], '*', ['scale', null]], args);
  const q = tensor(f, 'query', a.query), k = tensor(f, 'key', a.key), v = tensor(f, 'value', a.value);
  const m = opt_tensor(f, 'attn_mask', a.attn_mask);
  const h = native._nn_scaled_dot_product_attention(
    q._h, k._h, v._h, m === null ? null : m._h, float(f, 'dropout_p', a.dropout_p), bool(f, 'is_causal', a.is_causal), opt_float(f, 'scale', a.scale),
  );
  return new Tensor(h);
}
