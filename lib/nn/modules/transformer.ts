/**
 * Transformer layers (torch/nn/modules/transformer.py): Transformer, TransformerEncoder,
 * TransformerDecoder, TransformerEncoderLayer, TransformerDecoderLayer — PyTorch 1.13's modules,
 * built from MultiheadAttention, Linear, Dropout and LayerNorm, with PyTorch's registration order
 * (so the same state_dict keys), initialization order (so the same weights after manual_seed) and
 * forward. PyTorch's inference fast paths (torch._transformer_encoder_layer_fwd, nested tensors)
 * are not used: every forward runs the regular path, whose numbers they match.
 */
import * as os from 'os';
import * as torch from '../../generated/ops';
import { Tensor } from '../../tensor';
import { TorchError } from '../../errors';
import { bool as tbool, dtype } from '../../dtype';
import { DeviceLike } from '../../device';
import { Module } from '../module';
import { Linear } from './linear';
import { Dropout } from './dropout';
import { LayerNorm } from './normalization';
import { ModuleList } from './container';
import { MultiheadAttention, ReLU, GELU } from './activation';
import { relu, gelu } from '../functional/activation';
import * as init from '../init';
import { parseArgs, Args } from './utils';
import { deepcopy } from '../utils/copy';

type Activation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);
type Factory = { device?: DeviceLike | null; dtype?: dtype | null };

function getActivationFn(activation: string): (x: Tensor) => Tensor {
  if (activation === 'relu') return relu;
  if (activation === 'gelu') return gelu;
  throw new TorchError(`activation should be relu/gelu, not ${activation}`);
}

function checkKpm(m: Tensor | null | undefined): void {
  if (m !== null && m !== undefined && m.dtype !== tbool && !m.is_floating_point()) {
    throw new TorchError('only bool and floating types of key_padding_mask are supported');
  }
}

function int(v: unknown, name: string, f: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${f}: argument '${name}' must be int, not ${typeof v}`);
  return v;
}
function num(v: unknown, name: string, f: string): number {
  if (typeof v !== 'number') throw new TypeError(`${f}: argument '${name}' must be float, not ${typeof v}`);
  return v;
}
function bool(v: unknown, name: string, f: string): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${f}: argument '${name}' must be bool, not ${typeof v}`);
  return v;
}

const LAYER_NAMES = ['d_model', 'nhead', 'dim_feedforward', 'dropout', 'activation', 'layer_norm_eps', 'batch_first', 'norm_first', 'device', 'dtype'];
const LAYER_DEFAULTS = { dim_feedforward: 2048, dropout: 0.1, activation: 'relu', layer_norm_eps: 1e-5, batch_first: false, norm_first: false, device: null, dtype: null };
type LayerPositional = [d_model: number, nhead: number, dim_feedforward: number, dropout: number, activation: Activation, layer_norm_eps: number, batch_first: boolean, norm_first: boolean];
type LayerOptions = { d_model: number; nhead: number; dim_feedforward: number; dropout: number; activation: Activation; layer_norm_eps: number; batch_first: boolean; norm_first: boolean } & Factory;

function checkLayerArgs(f: string, a: Record<string, any>): { fk: Factory } {
  int(a.d_model, 'd_model', f);
  int(a.nhead, 'nhead', f);
  int(a.dim_feedforward, 'dim_feedforward', f);
  num(a.dropout, 'dropout', f);
  num(a.layer_norm_eps, 'layer_norm_eps', f);
  bool(a.batch_first, 'batch_first', f);
  bool(a.norm_first, 'norm_first', f);
  if (typeof a.activation !== 'string' && typeof a.activation !== 'function') {
    throw new TypeError(`${f}: argument 'activation' must be 'relu', 'gelu' or a function`);
  }
  return { fk: { device: a.device ?? null, dtype: a.dtype ?? null } };
}

/**
 * nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=relu,
 * layer_norm_eps=1e-5, batch_first=False, norm_first=False, device=None, dtype=None):
 * self-attention and a feedforward network, each with a residual connection and LayerNorm
 * (before each block with norm_first, after it otherwise).
 *
 * forward(src, src_mask=None, src_key_padding_mask=None).
 * Shape: src (S, N, E) ((N, S, E) with batch_first, (S, E) unbatched) → same shape.
 *
 * Example:
 *   const layer = new nn.TransformerEncoderLayer({d_model: 512, nhead: 8});
 *   const out = layer(torch.rand(10, 32, 512));
 */
export class TransformerEncoderLayer extends Module {
  declare self_attn: MultiheadAttention;
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  declare norm_first: boolean;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  declare activation_relu_or_gelu: number;
  declare activation: (x: Tensor) => Tensor;

  constructor(...args: Args<LayerPositional, LayerOptions>) {
    super();
    const f = 'TransformerEncoderLayer';
    const a = parseArgs(f, LAYER_NAMES, args, LAYER_DEFAULTS, 2);
    const { fk } = checkLayerArgs(f, a);
    this.self_attn = new MultiheadAttention(a.d_model, a.nhead, { dropout: a.dropout, batch_first: a.batch_first, ...fk });
    this.linear1 = new Linear(a.d_model, a.dim_feedforward, fk);
    this.dropout = new Dropout(a.dropout);
    this.linear2 = new Linear(a.dim_feedforward, a.d_model, fk);
    this.norm_first = a.norm_first;
    this.norm1 = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...fk });
    this.norm2 = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...fk });
    this.dropout1 = new Dropout(a.dropout);
    this.dropout2 = new Dropout(a.dropout);
    const act = typeof a.activation === 'string' ? getActivationFn(a.activation) : a.activation;
    this.activation_relu_or_gelu = act === relu || act instanceof ReLU ? 1 : act === gelu || act instanceof GELU ? 2 : 0;
    this.activation = act;
  }

  forward(src: Tensor, src_mask?: Tensor | null, src_key_padding_mask?: Tensor | null): Tensor;
  forward(src: Tensor, options: { src_mask?: Tensor | null; src_key_padding_mask?: Tensor | null }): Tensor;
  forward(...args: any[]): Tensor {
    const a = parseArgs('TransformerEncoderLayer.forward', ['src', 'src_mask', 'src_key_padding_mask'], args, { src_mask: null, src_key_padding_mask: null }, 1);
    checkKpm(a.src_key_padding_mask);
    let x: Tensor = a.src;
    if (this.norm_first) {
      x = x.add(this._sa_block(this.norm1(x), a.src_mask, a.src_key_padding_mask));
      x = x.add(this._ff_block(this.norm2(x)));
    } else {
      x = this.norm1(x.add(this._sa_block(x, a.src_mask, a.src_key_padding_mask)));
      x = this.norm2(x.add(this._ff_block(x)));
    }
    return x;
  }

  /** @internal */
  _sa_block(x: Tensor, attn_mask: Tensor | null, key_padding_mask: Tensor | null): Tensor {
    const [y] = this.self_attn(x, x, x, { attn_mask, key_padding_mask, need_weights: false });
    return this.dropout1(y);
  }
  /** @internal */
  _ff_block(x: Tensor): Tensor {
    return this.dropout2(this.linear2(this.dropout(this.activation(this.linear1(x)))));
  }
}

/**
 * nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=relu,
 * layer_norm_eps=1e-5, batch_first=False, norm_first=False, device=None, dtype=None):
 * self-attention, attention over the encoder's memory, and a feedforward network.
 *
 * forward(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
 * memory_key_padding_mask=None). Shape: tgt (T, N, E), memory (S, N, E) → (T, N, E).
 */
export class TransformerDecoderLayer extends Module {
  declare self_attn: MultiheadAttention;
  declare multihead_attn: MultiheadAttention;
  declare linear1: Linear;
  declare dropout: Dropout;
  declare linear2: Linear;
  declare norm_first: boolean;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;
  declare norm3: LayerNorm;
  declare dropout1: Dropout;
  declare dropout2: Dropout;
  declare dropout3: Dropout;
  declare activation: (x: Tensor) => Tensor;

  constructor(...args: Args<LayerPositional, LayerOptions>) {
    super();
    const f = 'TransformerDecoderLayer';
    const a = parseArgs(f, LAYER_NAMES, args, LAYER_DEFAULTS, 2);
    const { fk } = checkLayerArgs(f, a);
    this.self_attn = new MultiheadAttention(a.d_model, a.nhead, { dropout: a.dropout, batch_first: a.batch_first, ...fk });
    this.multihead_attn = new MultiheadAttention(a.d_model, a.nhead, { dropout: a.dropout, batch_first: a.batch_first, ...fk });
    this.linear1 = new Linear(a.d_model, a.dim_feedforward, fk);
    this.dropout = new Dropout(a.dropout);
    this.linear2 = new Linear(a.dim_feedforward, a.d_model, fk);
    this.norm_first = a.norm_first;
    this.norm1 = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...fk });
    this.norm2 = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...fk });
    this.norm3 = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...fk });
    this.dropout1 = new Dropout(a.dropout);
    this.dropout2 = new Dropout(a.dropout);
    this.dropout3 = new Dropout(a.dropout);
    this.activation = typeof a.activation === 'string' ? getActivationFn(a.activation) : a.activation;
  }

  forward(tgt: Tensor, memory: Tensor, tgt_mask?: Tensor | null, memory_mask?: Tensor | null, tgt_key_padding_mask?: Tensor | null, memory_key_padding_mask?: Tensor | null): Tensor;
  forward(tgt: Tensor, memory: Tensor, options: { tgt_mask?: Tensor | null; memory_mask?: Tensor | null; tgt_key_padding_mask?: Tensor | null; memory_key_padding_mask?: Tensor | null }): Tensor;
  forward(...args: any[]): Tensor {
    const a = parseArgs('TransformerDecoderLayer.forward', ['tgt', 'memory', 'tgt_mask', 'memory_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask'], args,
      { tgt_mask: null, memory_mask: null, tgt_key_padding_mask: null, memory_key_padding_mask: null }, 2);
    let x: Tensor = a.tgt;
    const memory: Tensor = a.memory;
    if (this.norm_first) {
      x = x.add(this._sa_block(this.norm1(x), a.tgt_mask, a.tgt_key_padding_mask));
      x = x.add(this._mha_block(this.norm2(x), memory, a.memory_mask, a.memory_key_padding_mask));
      x = x.add(this._ff_block(this.norm3(x)));
    } else {
      x = this.norm1(x.add(this._sa_block(x, a.tgt_mask, a.tgt_key_padding_mask)));
      x = this.norm2(x.add(this._mha_block(x, memory, a.memory_mask, a.memory_key_padding_mask)));
      x = this.norm3(x.add(this._ff_block(x)));
    }
    return x;
  }

  /** @internal */
  _sa_block(x: Tensor, attn_mask: Tensor | null, key_padding_mask: Tensor | null): Tensor {
    const [y] = this.self_attn(x, x, x, { attn_mask, key_padding_mask, need_weights: false });
    return this.dropout1(y);
  }
  /** @internal */
  _mha_block(x: Tensor, mem: Tensor, attn_mask: Tensor | null, key_padding_mask: Tensor | null): Tensor {
    const [y] = this.multihead_attn(x, mem, mem, { attn_mask, key_padding_mask, need_weights: false });
    return this.dropout2(y);
  }
  /** @internal */
  _ff_block(x: Tensor): Tensor {
    return this.dropout3(this.linear2(this.dropout(this.activation(this.linear1(x)))));
  }
}

/**
 * `n` deep copies of `module`. Each copy holds its own parameters and buffers, and at least the
 * JS objects of a Module (counted as 1 KiB, below what a Module costs): a count whose copies would
 * exceed the machine's memory can never be built, so it is a RangeError before any copy is made.
 */
function getClones(module: Module, n: number, f: string): ModuleList {
  if (n < 0) throw new RangeError(`${f}: argument 'num_layers' must be non-negative, got ${n}`);
  let bytes = 1024;
  for (const t of [...module.parameters(), ...module.buffers()]) bytes += t.numel() * t.element_size();
  const total = os.totalmem();
  if (n * bytes > total) {
    throw new RangeError(`${f}: argument 'num_layers' (${n}) is too large: ${n} copies of the layer need at least ${n * bytes} bytes, more than this machine's ${total} bytes of memory`);
  }
  const clones: Module[] = [];
  for (let i = 0; i < n; i++) clones.push(deepcopy(module));
  return new ModuleList(clones);
}

/**
 * nn.TransformerEncoder(encoder_layer, num_layers, norm=None, enable_nested_tensor=True,
 * mask_check=True): a stack of `num_layers` copies of `encoder_layer` (deep copies: every layer
 * starts with the given layer's weights), then the optional `norm`.
 *
 * forward(src, mask=None, src_key_padding_mask=None).
 */
export class TransformerEncoder extends Module {
  declare layers: ModuleList;
  declare num_layers: number;
  declare norm: Module | null;
  declare enable_nested_tensor: boolean;
  declare mask_check: boolean;

  constructor(...args: Args<[encoder_layer: Module, num_layers: number, norm: Module | null, enable_nested_tensor: boolean, mask_check: boolean],
    { encoder_layer: Module; num_layers: number; norm: Module | null; enable_nested_tensor: boolean; mask_check: boolean }>) {
    super();
    const f = 'TransformerEncoder';
    const a = parseArgs(f, ['encoder_layer', 'num_layers', 'norm', 'enable_nested_tensor', 'mask_check'], args, { norm: null, enable_nested_tensor: true, mask_check: true }, 2);
    if (!(a.encoder_layer instanceof Module)) throw new TypeError(`${f}: argument 'encoder_layer' must be an nn.Module`);
    if (a.norm !== null && !(a.norm instanceof Module)) throw new TypeError(`${f}: argument 'norm' must be an nn.Module or None`);
    this.layers = getClones(a.encoder_layer, int(a.num_layers, 'num_layers', f), f);
    this.num_layers = a.num_layers;
    this.norm = a.norm;
    this.enable_nested_tensor = bool(a.enable_nested_tensor, 'enable_nested_tensor', f);
    this.mask_check = bool(a.mask_check, 'mask_check', f);
  }

  forward(src: Tensor, mask?: Tensor | null, src_key_padding_mask?: Tensor | null): Tensor;
  forward(src: Tensor, options: { mask?: Tensor | null; src_key_padding_mask?: Tensor | null }): Tensor;
  forward(...args: any[]): Tensor {
    const a = parseArgs('TransformerEncoder.forward', ['src', 'mask', 'src_key_padding_mask'], args, { mask: null, src_key_padding_mask: null }, 1);
    checkKpm(a.src_key_padding_mask);
    let output: Tensor = a.src;
    for (const mod of this.layers) output = mod(output, { src_mask: a.mask, src_key_padding_mask: a.src_key_padding_mask });
    if (this.norm !== null) output = this.norm(output);
    return output;
  }
}

/**
 * nn.TransformerDecoder(decoder_layer, num_layers, norm=None): a stack of `num_layers` copies of
 * `decoder_layer`, then the optional `norm`.
 *
 * forward(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
 * memory_key_padding_mask=None).
 */
export class TransformerDecoder extends Module {
  declare layers: ModuleList;
  declare num_layers: number;
  declare norm: Module | null;

  constructor(...args: Args<[decoder_layer: Module, num_layers: number, norm: Module | null], { decoder_layer: Module; num_layers: number; norm: Module | null }>) {
    super();
    const f = 'TransformerDecoder';
    const a = parseArgs(f, ['decoder_layer', 'num_layers', 'norm'], args, { norm: null }, 2);
    if (!(a.decoder_layer instanceof Module)) throw new TypeError(`${f}: argument 'decoder_layer' must be an nn.Module`);
    if (a.norm !== null && !(a.norm instanceof Module)) throw new TypeError(`${f}: argument 'norm' must be an nn.Module or None`);
    this.layers = getClones(a.decoder_layer, int(a.num_layers, 'num_layers', f), f);
    this.num_layers = a.num_layers;
    this.norm = a.norm;
  }

  forward(tgt: Tensor, memory: Tensor, tgt_mask?: Tensor | null, memory_mask?: Tensor | null, tgt_key_padding_mask?: Tensor | null, memory_key_padding_mask?: Tensor | null): Tensor;
  forward(tgt: Tensor, memory: Tensor, options: { tgt_mask?: Tensor | null; memory_mask?: Tensor | null; tgt_key_padding_mask?: Tensor | null; memory_key_padding_mask?: Tensor | null }): Tensor;
  forward(...args: any[]): Tensor {
    const a = parseArgs('TransformerDecoder.forward', ['tgt', 'memory', 'tgt_mask', 'memory_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask'], args,
      { tgt_mask: null, memory_mask: null, tgt_key_padding_mask: null, memory_key_padding_mask: null }, 2);
    let output: Tensor = a.tgt;
    for (const mod of this.layers) {
      output = mod(output, a.memory, {
        tgt_mask: a.tgt_mask, memory_mask: a.memory_mask, tgt_key_padding_mask: a.tgt_key_padding_mask, memory_key_padding_mask: a.memory_key_padding_mask,
      });
    }
    if (this.norm !== null) output = this.norm(output);
    return output;
  }
}

type TransformerOptions = {
  d_model: number; nhead: number; num_encoder_layers: number; num_decoder_layers: number; dim_feedforward: number; dropout: number;
  activation: Activation; custom_encoder: Module | null; custom_decoder: Module | null; layer_norm_eps: number; batch_first: boolean; norm_first: boolean;
} & Factory;

/**
 * nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
 * dim_feedforward=2048, dropout=0.1, activation=relu, custom_encoder=None, custom_decoder=None,
 * layer_norm_eps=1e-5, batch_first=False, norm_first=False, device=None, dtype=None): the
 * encoder-decoder model of "Attention Is All You Need". Parameters with more than one dimension
 * are initialized with xavier_uniform_.
 *
 * forward(src, tgt, src_mask=None, tgt_mask=None, memory_mask=None, src_key_padding_mask=None,
 * tgt_key_padding_mask=None, memory_key_padding_mask=None).
 * Shape: src (S, N, E), tgt (T, N, E) ((N, S, E)/(N, T, E) with batch_first) → (T, N, E).
 *
 * Example:
 *   const model = new nn.Transformer({d_model: 512, nhead: 8, num_encoder_layers: 6});
 *   const out = model(torch.rand(10, 32, 512), torch.rand(20, 32, 512));
 */
export class Transformer extends Module {
  declare encoder: Module;
  declare decoder: Module;
  declare d_model: number;
  declare nhead: number;
  declare batch_first: boolean;

  constructor(...args: Args<[d_model: number, nhead: number, num_encoder_layers: number, num_decoder_layers: number, dim_feedforward: number, dropout: number,
    activation: Activation, custom_encoder: Module | null, custom_decoder: Module | null, layer_norm_eps: number, batch_first: boolean, norm_first: boolean], TransformerOptions>) {
    super();
    const f = 'Transformer';
    const a = parseArgs(f, ['d_model', 'nhead', 'num_encoder_layers', 'num_decoder_layers', 'dim_feedforward', 'dropout', 'activation', 'custom_encoder',
      'custom_decoder', 'layer_norm_eps', 'batch_first', 'norm_first', 'device', 'dtype'], args, {
      d_model: 512, nhead: 8, num_encoder_layers: 6, num_decoder_layers: 6, dim_feedforward: 2048, dropout: 0.1, activation: 'relu',
      custom_encoder: null, custom_decoder: null, layer_norm_eps: 1e-5, batch_first: false, norm_first: false, device: null, dtype: null,
    });
    const fk = { device: a.device ?? null, dtype: a.dtype ?? null };
    const layerArgs = {
      d_model: a.d_model, nhead: a.nhead, dim_feedforward: a.dim_feedforward, dropout: a.dropout, activation: a.activation,
      layer_norm_eps: a.layer_norm_eps, batch_first: a.batch_first, norm_first: a.norm_first, ...fk,
    };
    if (a.custom_encoder !== null) this.encoder = a.custom_encoder;
    else {
      const encoder_layer = new TransformerEncoderLayer(layerArgs);
      const encoder_norm = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...fk });
      this.encoder = new TransformerEncoder(encoder_layer, int(a.num_encoder_layers, 'num_encoder_layers', f), encoder_norm);
    }
    if (a.custom_decoder !== null) this.decoder = a.custom_decoder;
    else {
      const decoder_layer = new TransformerDecoderLayer(layerArgs);
      const decoder_norm = new LayerNorm(a.d_model, { eps: a.layer_norm_eps, ...fk });
      this.decoder = new TransformerDecoder(decoder_layer, int(a.num_decoder_layers, 'num_decoder_layers', f), decoder_norm);
    }
    this._reset_parameters();
    this.d_model = a.d_model;
    this.nhead = a.nhead;
    this.batch_first = a.batch_first;
  }

  forward(src: Tensor, tgt: Tensor, src_mask?: Tensor | null, tgt_mask?: Tensor | null, memory_mask?: Tensor | null,
    src_key_padding_mask?: Tensor | null, tgt_key_padding_mask?: Tensor | null, memory_key_padding_mask?: Tensor | null): Tensor;
  forward(src: Tensor, tgt: Tensor, options: {
    src_mask?: Tensor | null; tgt_mask?: Tensor | null; memory_mask?: Tensor | null; src_key_padding_mask?: Tensor | null;
    tgt_key_padding_mask?: Tensor | null; memory_key_padding_mask?: Tensor | null;
  }): Tensor;
  forward(...args: any[]): Tensor {
    const a = parseArgs('Transformer.forward', ['src', 'tgt', 'src_mask', 'tgt_mask', 'memory_mask', 'src_key_padding_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask'], args,
      { src_mask: null, tgt_mask: null, memory_mask: null, src_key_padding_mask: null, tgt_key_padding_mask: null, memory_key_padding_mask: null }, 2);
    const src: Tensor = a.src, tgt: Tensor = a.tgt;
    if (!(src instanceof Tensor) || !(tgt instanceof Tensor)) throw new TypeError('Transformer.forward(): src and tgt must be Tensors');
    const is_batched = src.dim() === 3;
    if (!this.batch_first && is_batched && src.size(1) !== tgt.size(1)) throw new TorchError('the batch number of src and tgt must be equal');
    if (this.batch_first && is_batched && src.size(0) !== tgt.size(0)) throw new TorchError('the batch number of src and tgt must be equal');
    if (src.size(-1) !== this.d_model || tgt.size(-1) !== this.d_model) throw new TorchError('the feature number of src and tgt must be equal to d_model');
    const memory = this.encoder(src, { mask: a.src_mask, src_key_padding_mask: a.src_key_padding_mask });
    return this.decoder(tgt, memory, {
      tgt_mask: a.tgt_mask, memory_mask: a.memory_mask, tgt_key_padding_mask: a.tgt_key_padding_mask, memory_key_padding_mask: a.memory_key_padding_mask,
    });
  }

  /**
   * A square causal mask for a sequence of length sz: -inf above the diagonal, 0 elsewhere
   * (float32, or the given dtype/device).
   */
  static generate_square_subsequent_mask(sz: number, options: { device?: DeviceLike | null; dtype?: dtype | null } = {}): Tensor {
    int(sz, 'sz', 'generate_square_subsequent_mask');
    const full = torch.full([sz, sz], -Infinity, { device: options.device ?? null, dtype: options.dtype ?? null });
    const m = torch.triu(full, 1);
    full.dispose();
    return m;
  }

  /** @internal xavier_uniform_ on every parameter with more than one dimension, in order. */
  _reset_parameters(): void {
    for (const p of this.parameters()) if (p.dim() > 1) init.xavier_uniform_(p);
  }
}
