/**
 * Sparse layers (torch/nn/modules/sparse.py): Embedding and EmbeddingBag. Forward is the one ATen
 * call PyTorch makes (torch.embedding / torch.embedding_bag); `sparse: true` gives sparse
 * gradients (a sparse COO weight.grad), as in PyTorch.
 */
import * as torch from '../../generated/ops';
import { Tensor } from '../../tensor';
import { TorchError } from '../../errors';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { noGrad, setRequiresGrad } from '../_autograd';
import { parseArgs, pyFloat, Args } from './utils';
import { embedding, embedding_bag } from '../functional/sparse';

function int(v: unknown, name: string, f: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${f}: argument '${name}' must be int, not ${typeof v}`);
  return v;
}
function bool(v: unknown, name: string, f: string): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${f}: argument '${name}' must be bool, not ${typeof v}`);
  return v;
}
function optNum(v: unknown, name: string, f: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number') throw new TypeError(`${f}: argument '${name}' must be float or None, not ${typeof v}`);
  return v;
}

function checkPadding(padding_idx: unknown, n: number, f: string): number | null {
  if (padding_idx === null || padding_idx === undefined) return null;
  let p = int(padding_idx, 'padding_idx', f);
  if (p > 0) {
    if (!(p < n)) throw new TorchError('Padding_idx must be within num_embeddings');
  } else if (p < 0) {
    if (!(p >= -n)) throw new TorchError('Padding_idx must be within num_embeddings');
    p = n + p;
  }
  return p;
}

export interface EmbeddingOptions {
  padding_idx?: number | null;
  max_norm?: number | null;
  norm_type?: number;
  scale_grad_by_freq?: boolean;
  sparse?: boolean;
  _weight?: Tensor | null;
  device?: any;
  dtype?: any;
}

/**
 * nn.Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
 * scale_grad_by_freq=False, sparse=False, _weight=None, device=None, dtype=None): a lookup table
 * of `num_embeddings` vectors of size `embedding_dim`, initialized from N(0, 1) (the padding_idx
 * row zeroed).
 *
 * Shape: input (*) int64/int32 indices → (*, embedding_dim).
 *
 * Example:
 *   const emb = new nn.Embedding(10, 3, {padding_idx: 0});
 *   const y = emb(torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]], {dtype: torch.long}));
 */
export class Embedding extends Module {
  num_embeddings!: number;
  embedding_dim!: number;
  padding_idx!: number | null;
  max_norm!: number | null;
  norm_type!: number;
  scale_grad_by_freq!: boolean;
  declare weight: Parameter;
  sparse!: boolean;

  constructor(...args: Args<[num_embeddings: number, embedding_dim: number, padding_idx: number | null, max_norm: number | null, norm_type: number, scale_grad_by_freq: boolean, sparse: boolean, _weight: Tensor | null], EmbeddingOptions & { num_embeddings: number; embedding_dim: number }>);
  constructor(...args: any[]) {
    super();
    const f = 'Embedding';
    const a = parseArgs(f, ['num_embeddings', 'embedding_dim', 'padding_idx', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'sparse', '_weight', 'device', 'dtype'], args,
      { padding_idx: null, max_norm: null, norm_type: 2.0, scale_grad_by_freq: false, sparse: false, _weight: null, device: null, dtype: null }, 2);
    this.num_embeddings = int(a.num_embeddings, 'num_embeddings', f);
    this.embedding_dim = int(a.embedding_dim, 'embedding_dim', f);
    this.padding_idx = checkPadding(a.padding_idx, this.num_embeddings, f);
    this.max_norm = optNum(a.max_norm, 'max_norm', f);
    this.norm_type = optNum(a.norm_type, 'norm_type', f) ?? 2.0;
    this.scale_grad_by_freq = bool(a.scale_grad_by_freq, 'scale_grad_by_freq', f);
    if (a._weight === null || a._weight === undefined) {
      this.weight = new Parameter(torch.empty([this.num_embeddings, this.embedding_dim], { dtype: a.dtype ?? null, device: a.device ?? null }));
      this.reset_parameters();
    } else {
      const w = a._weight;
      if (!(w instanceof Tensor)) throw new TypeError(`${f}: argument '_weight' must be Tensor`);
      if (w.dim() !== 2 || w.size(0) !== this.num_embeddings || w.size(1) !== this.embedding_dim) {
        throw new TorchError('Shape of weight does not match num_embeddings and embedding_dim');
      }
      this.weight = new Parameter(w);
    }
    this.sparse = bool(a.sparse, 'sparse', f);
  }

  /** Re-draws the weight from N(0, 1) and zeroes the padding_idx row. */
  reset_parameters(): void {
    noGrad(() => this.weight.normal_(0, 1));
    this._fill_padding_idx_with_zero();
  }

  /** @internal */
  _fill_padding_idx_with_zero(): void {
    if (this.padding_idx !== null) {
      const i = this.padding_idx;
      noGrad(() => this.weight.select(0, i).fill_(0));
    }
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, this.padding_idx, this.max_norm, this.norm_type, this.scale_grad_by_freq, this.sparse);
  }

  extra_repr(): string {
    let s = `${this.num_embeddings}, ${this.embedding_dim}`;
    if (this.padding_idx !== null) s += `, padding_idx=${this.padding_idx}`;
    if (this.max_norm !== null) s += `, max_norm=${pyFloat(this.max_norm)}`;
    if (this.norm_type !== 2) s += `, norm_type=${pyFloat(this.norm_type)}`;
    if (this.scale_grad_by_freq !== false) s += ', scale_grad_by_freq=True';
    if (this.sparse !== false) s += ', sparse=True';
    return s;
  }

  /**
   * Embedding.from_pretrained(embeddings, freeze=True, padding_idx=None, max_norm=None,
   * norm_type=2.0, scale_grad_by_freq=False, sparse=False): an Embedding whose weight is
   * `embeddings` (2-D); frozen (requires_grad false) unless freeze is false.
   */
  static from_pretrained(embeddings: Tensor, options?: { freeze?: boolean; padding_idx?: number | null; max_norm?: number | null; norm_type?: number; scale_grad_by_freq?: boolean; sparse?: boolean }): Embedding;
  static from_pretrained(embeddings: Tensor, freeze?: boolean, padding_idx?: number | null, max_norm?: number | null, norm_type?: number, scale_grad_by_freq?: boolean, sparse?: boolean): Embedding;
  static from_pretrained(...args: any[]): Embedding {
    const f = 'Embedding.from_pretrained';
    const a = parseArgs(f, ['embeddings', 'freeze', 'padding_idx', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'sparse'], args,
      { freeze: true, padding_idx: null, max_norm: null, norm_type: 2.0, scale_grad_by_freq: false, sparse: false }, 1);
    const e = a.embeddings;
    if (!(e instanceof Tensor)) throw new TypeError(`${f}: argument 'embeddings' must be Tensor`);
    if (e.dim() !== 2) throw new TorchError('Embeddings parameter is expected to be 2-dimensional');
    const [rows, cols] = e.shape;
    const m = new Embedding({
      num_embeddings: rows, embedding_dim: cols, _weight: e, padding_idx: a.padding_idx, max_norm: a.max_norm,
      norm_type: a.norm_type, scale_grad_by_freq: a.scale_grad_by_freq, sparse: a.sparse,
    });
    setRequiresGrad(m.weight, !bool(a.freeze, 'freeze', f));
    return m;
  }
}

export interface EmbeddingBagOptions {
  max_norm?: number | null;
  norm_type?: number;
  scale_grad_by_freq?: boolean;
  mode?: 'sum' | 'mean' | 'max';
  sparse?: boolean;
  _weight?: Tensor | null;
  include_last_offset?: boolean;
  padding_idx?: number | null;
  device?: any;
  dtype?: any;
}

/**
 * nn.EmbeddingBag(num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
 * scale_grad_by_freq=False, mode='mean', sparse=False, _weight=None, include_last_offset=False,
 * padding_idx=None, device=None, dtype=None): sums, means or maxes of "bags" of embeddings without
 * materializing the embeddings.
 *
 * forward(input, offsets=None, per_sample_weights=None): input 2-D (B, N) (fixed-length bags) or
 * 1-D with offsets (bag starts) → (B, embedding_dim).
 *
 * Example:
 *   const bag = new nn.EmbeddingBag(1000, 10, {sparse: true});
 *   const y = bag(torch.tensor([[1, 20, 400], [999, 3, 3]], {dtype: torch.long}));
 */
export class EmbeddingBag extends Module {
  num_embeddings!: number;
  embedding_dim!: number;
  max_norm!: number | null;
  norm_type!: number;
  scale_grad_by_freq!: boolean;
  padding_idx!: number | null;
  declare weight: Parameter;
  mode!: string;
  sparse!: boolean;
  include_last_offset!: boolean;

  constructor(...args: Args<[num_embeddings: number, embedding_dim: number, max_norm: number | null, norm_type: number, scale_grad_by_freq: boolean, mode: 'sum' | 'mean' | 'max', sparse: boolean, _weight: Tensor | null, include_last_offset: boolean, padding_idx: number | null], EmbeddingBagOptions & { num_embeddings: number; embedding_dim: number }>);
  constructor(...args: any[]) {
    super();
    const f = 'EmbeddingBag';
    const a = parseArgs(f, ['num_embeddings', 'embedding_dim', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'mode', 'sparse', '_weight', 'include_last_offset', 'padding_idx', 'device', 'dtype'], args,
      { max_norm: null, norm_type: 2.0, scale_grad_by_freq: false, mode: 'mean', sparse: false, _weight: null, include_last_offset: false, padding_idx: null, device: null, dtype: null }, 2);
    this.num_embeddings = int(a.num_embeddings, 'num_embeddings', f);
    this.embedding_dim = int(a.embedding_dim, 'embedding_dim', f);
    this.max_norm = optNum(a.max_norm, 'max_norm', f);
    this.norm_type = optNum(a.norm_type, 'norm_type', f) ?? 2.0;
    this.scale_grad_by_freq = bool(a.scale_grad_by_freq, 'scale_grad_by_freq', f);
    this.padding_idx = checkPadding(a.padding_idx, this.num_embeddings, f);
    if (a._weight === null || a._weight === undefined) {
      this.weight = new Parameter(torch.empty([this.num_embeddings, this.embedding_dim], { dtype: a.dtype ?? null, device: a.device ?? null }));
      this.reset_parameters();
    } else {
      const w = a._weight;
      if (!(w instanceof Tensor)) throw new TypeError(`${f}: argument '_weight' must be Tensor`);
      if (w.dim() !== 2 || w.size(0) !== this.num_embeddings || w.size(1) !== this.embedding_dim) {
        throw new TorchError('Shape of weight does not match num_embeddings and embedding_dim');
      }
      this.weight = new Parameter(w);
    }
    if (typeof a.mode !== 'string') throw new TypeError(`${f}: argument 'mode' must be str`);
    this.mode = a.mode;
    this.sparse = bool(a.sparse, 'sparse', f);
    this.include_last_offset = bool(a.include_last_offset, 'include_last_offset', f);
  }

  /** Re-draws the weight from N(0, 1) and zeroes the padding_idx row. */
  reset_parameters(): void {
    noGrad(() => this.weight.normal_(0, 1));
    this._fill_padding_idx_with_zero();
  }

  /** @internal */
  _fill_padding_idx_with_zero(): void {
    if (this.padding_idx !== null) {
      const i = this.padding_idx;
      noGrad(() => this.weight.select(0, i).fill_(0));
    }
  }

  forward(input: Tensor, offsets?: Tensor | null, per_sample_weights?: Tensor | null): Tensor;
  forward(input: Tensor, options: { offsets?: Tensor | null; per_sample_weights?: Tensor | null }): Tensor;
  forward(...args: any[]): Tensor {
    const a = parseArgs('EmbeddingBag.forward', ['input', 'offsets', 'per_sample_weights'], args, { offsets: null, per_sample_weights: null }, 1);
    return embedding_bag(a.input, this.weight, a.offsets, this.max_norm, this.norm_type, this.scale_grad_by_freq, this.mode as any,
      this.sparse, a.per_sample_weights, this.include_last_offset, this.padding_idx);
  }

  extra_repr(): string {
    let s = `${this.num_embeddings}, ${this.embedding_dim}`;
    if (this.max_norm !== null) s += `, max_norm=${pyFloat(this.max_norm)}`;
    if (this.norm_type !== 2) s += `, norm_type=${pyFloat(this.norm_type)}`;
    if (this.scale_grad_by_freq !== false) s += ', scale_grad_by_freq=True';
    s += `, mode=${this.mode}`;
    if (this.padding_idx !== null) s += `, padding_idx=${this.padding_idx}`;
    return s;
  }

  /**
   * EmbeddingBag.from_pretrained(embeddings, freeze=True, max_norm=None, norm_type=2.0,
   * scale_grad_by_freq=False, mode='mean', sparse=False, include_last_offset=False,
   * padding_idx=None).
   */
  static from_pretrained(embeddings: Tensor, options?: { freeze?: boolean; max_norm?: number | null; norm_type?: number; scale_grad_by_freq?: boolean; mode?: 'sum' | 'mean' | 'max'; sparse?: boolean; include_last_offset?: boolean; padding_idx?: number | null }): EmbeddingBag;
  static from_pretrained(embeddings: Tensor, freeze?: boolean, ...rest: any[]): EmbeddingBag;
  static from_pretrained(...args: any[]): EmbeddingBag {
    const f = 'EmbeddingBag.from_pretrained';
    const a = parseArgs(f, ['embeddings', 'freeze', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'mode', 'sparse', 'include_last_offset', 'padding_idx'], args,
      { freeze: true, max_norm: null, norm_type: 2.0, scale_grad_by_freq: false, mode: 'mean', sparse: false, include_last_offset: false, padding_idx: null }, 1);
    const e = a.embeddings;
    if (!(e instanceof Tensor)) throw new TypeError(`${f}: argument 'embeddings' must be Tensor`);
    if (e.dim() !== 2) throw new TorchError('Embeddings parameter is expected to be 2-dimensional');
    const [rows, cols] = e.shape;
    const m = new EmbeddingBag({
      num_embeddings: rows, embedding_dim: cols, _weight: e, max_norm: a.max_norm, norm_type: a.norm_type, scale_grad_by_freq: a.scale_grad_by_freq,
      mode: a.mode, sparse: a.sparse, include_last_offset: a.include_last_offset, padding_idx: a.padding_idx,
    });
    setRequiresGrad(m.weight, !bool(a.freeze, 'freeze', f));
    return m;
  }
}
