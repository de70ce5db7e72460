/**
 * torch.Tensor: a JS object holding an integer handle into the native registry.
 *
 * Memory: a tensor's native storage is freed by `dispose()`, by `using`, by {@link tidy} (which
 * disposes what was created inside it except what it returns), or by GC as a last resort. GC works
 * through arenas: native code groups consecutive small tensors in an arena with one JS token
 * object; every wrapper references its arena's token, and when V8 collects the token (so every
 * wrapper of the arena is dead) native code frees the arena's remaining tensors. Large tensors get
 * a token each. One token per ~64 tensors makes GC-managed tensors almost as cheap as disposed
 * ones (bench/handles.js measures it). Invariant: handles returned by a native call are wrapped
 * before the next native call that can produce tensors.
 */
import './_polyfill';
import { native, shared } from './binding';
import { dtype, dtypeFromCode, get_default_dtype, float32, float64, int8, int16, int32, int64, uint8, bool as tbool, float16, bfloat16, complex64 as complex64_ } from './dtype';
import { device, DeviceLike, deviceString } from './device';
import type { TypedArray } from '../types/native';
import { TorchError, IndexError } from './errors';
// ---- autograd/indexing/printing (branch autograd): implementations live in their own modules.
import * as _autograd from './autograd/index';
import type { Node as _AutogradNode, RemovableHandle as _RemovableHandle } from './autograd/index';
import * as _indexing from './indexing';
import type { IndexItem as _IndexItem } from './indexing';
import { tensor_repr as _tensor_repr } from './_tensor_str';
import { layout as _layout, layoutFromCode as _layoutFromCode } from './layout';
// ---- end autograd/indexing/printing imports

let tokenId = -1;
let token: object | undefined;

/** Tensors created while a tidy() scope is open are recorded in the innermost scope. */
const scopes: Tensor[][] = [];

export class Tensor {
  /** @internal native handle; -1 once disposed */
  _h: number;
  /** @internal the arena token keeping the handle's native storage alive */
  _a: object | undefined;

  /** @internal Wraps a handle returned by native code. Use torch.tensor() to make tensors. */
  constructor(h: number) {
    if (h < 0) {
      h = ~h;
      this._a = native._solo_token(h);
    } else {
      if (shared[0] !== tokenId) {
        token = native._arena_token();
        tokenId = shared[0];
      }
      this._a = token;
    }
    this._h = h;
    if (scopes.length !== 0) scopes[scopes.length - 1].push(this);
  }

  /** Frees the native storage now. Idempotent; any later use throws a TorchError. */
  dispose(): void {
    if (this._h >= 0) {
      native._free(this._h);
      this._h = -1;
    }
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
  /** True once dispose() ran (or the tensor was freed by the tidy() scope that made it). */
  get is_disposed(): boolean {
    return this._h < 0;
  }

  // ------------------------------------------------------------------ metadata
  get shape(): number[] {
    return native._shape(this._h);
  }
  /** size() -> number[]; size(dim) -> number (negative dims count from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number | { dim?: number }): number[] | number {
    if (dim !== null && typeof dim === 'object') dim = dim.dim;
    const s = native._shape(this._h);
    if (dim === undefined) return s;
    return s[wrapDim(dim, s.length)];
  }
  dim(): number {
    return native._dim(this._h);
  }
  get ndim(): number {
    return native._dim(this._h);
  }
  numel(): number {
    return native._numel(this._h);
  }
  nelement(): number {
    return native._numel(this._h);
  }
  get dtype(): dtype {
    return dtypeFromCode(native._dtype(this._h));
  }
  get device(): device {
    return new device(native._device(this._h));
  }
  get is_cuda(): boolean {
    return native._device(this._h).startsWith('cuda');
  }
  /** torch.strided for dense tensors, torch.sparse_coo for sparse COO tensors, … */
  get layout(): _layout {
    return _layoutFromCode(native._layout(this._h));
  }
  /** True for sparse COO tensors (Embedding(sparse=True) gradients, torch.sparse_coo_tensor). */
  get is_sparse(): boolean {
    return native._layout(this._h) === 1;
  }
  /** True for sparse CSR tensors. */
  get is_sparse_csr(): boolean {
    return native._layout(this._h) === 2;
  }
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    const s = native._stride(this._h);
    return dim === undefined ? s : s[wrapDim(dim, s.length)];
  }
  storage_offset(): number {
    return native._storage_offset(this._h);
  }
  /**
   * A contiguous tensor with the same data: this tensor itself when it already is contiguous in
   * `memory_format` (torch.contiguous_format by default), else a copy.
   */
  contiguous(memory_format?: { _code: number } | { memory_format?: { _code: number } }): Tensor {
    const mf = memory_format && 'memory_format' in memory_format ? memory_format.memory_format : (memory_format as { _code: number } | undefined);
    const h = native._contiguous(this._h, mf ? mf._code : null);
    return h === null ? this : new Tensor(h);
  }
  is_contiguous(): boolean {
    return native._is_contiguous(this._h);
  }
  element_size(): number {
    return native._element_size(this._h);
  }
  is_floating_point(): boolean {
    return this.dtype.is_floating_point;
  }
  is_complex(): boolean {
    return this.dtype.is_complex;
  }

  // ------------------------------------------------------------------ reading out
  /** The value of a one-element tensor as a JS number (or boolean for bool tensors). */
  item(): number | boolean {
    return native._item(this._h);
  }
  /**
   * A copy of the elements, row-major, in a TypedArray of the matching kind: Float32Array for
   * float32, BigInt64Array for int64, Uint8Array for bool/uint8, Uint16Array (raw bits) for
   * float16/bfloat16 …
   */
  to_typed_array(): TypedArray {
    const d = this.dtype;
    const Ctor = typedArrayFor(d);
    const n = this.numel();
    const out = new Ctor((n * d.itemsize) / Ctor.BYTES_PER_ELEMENT);
    native._copy_to(this._h, out);
    return out;
  }
  /**
   * Nested JS arrays of numbers (booleans for bool tensors, `{real, imag}` objects for complex ones);
   * a single value for 0-d tensors.
   */
  tolist(): any {
    const d = this.dtype;
    const shape = this.shape;
    let flat: ArrayLike<number | bigint | boolean>;
    let conv: (v: any) => any = d === tbool ? (v) => v !== 0 : d === int64 ? (v) => Number(v) : (v) => v;
    if (d === float16 || d === bfloat16) flat = this.to(float32).to_typed_array() as Float32Array;
    else if (d.is_complex) {
      // Python's complex numbers become {real, imag} objects (their attribute names).
      const src = (d.name === 'complex32' ? this.to(complex64_) : this).to_typed_array() as ArrayLike<number>;
      flat = Array.from({ length: src.length / 2 }, (_, i) => i) as unknown as ArrayLike<number>;
      conv = (i: number) => ({ real: src[2 * i], imag: src[2 * i + 1] });
    } else flat = this.to_typed_array() as ArrayLike<number>;
    if (shape.length === 0) return conv(flat[0]);
    let k = 0;
    const build = (dim: number): any[] => {
      const n = shape[dim];
      const out = new Array(n);
      if (dim === shape.length - 1) for (let i = 0; i < n; i++) out[i] = conv(flat[k++]);
      else for (let i = 0; i < n; i++) out[i] = build(dim + 1);
      return out;
    };
    return build(0);
  }

  // ------------------------------------------------------------------ conversion
  /**
   * to(device), to(dtype), to(tensor) (its device and dtype), to(device, dtype), each with a
   * trailing {non_blocking, copy}; also to({device, dtype, non_blocking, copy}).
   */
  to(...args: any[]): Tensor {
    let dev: string | null = null;
    let dt: number | null = null;
    let non_blocking = false;
    let copy = false;
    for (const a of args) {
      if (a === undefined || a === null) continue;
      if (a instanceof dtype) dt = a._code;
      else if (a instanceof Tensor) {
        dev = native._device(a._h);
        dt = native._dtype(a._h);
      } else if (typeof a === 'string' || a instanceof device) dev = deviceString(a);
      else if (typeof a === 'object') {
        if (a.device !== undefined && a.device !== null) dev = deviceString(a.device);
        if (a.dtype !== undefined && a.dtype !== null) dt = checkDtype(a.dtype, 'dtype')._code;
        if (a.non_blocking !== undefined) non_blocking = Boolean(a.non_blocking);
        if (a.copy !== undefined) copy = Boolean(a.copy);
        for (const k of Object.keys(a)) {
          if (!['device', 'dtype', 'non_blocking', 'copy', 'memory_format'].includes(k)) {
            throw new TypeError(`to() got an unexpected keyword argument '${k}'`);
          }
        }
      } else throw new TypeError(`to() received an invalid argument: ${String(a)}`);
    }
    const h = native._to(this._h, dev, dt, non_blocking, copy);
    return h === null ? this : new Tensor(h);
  }
  cpu(): Tensor {
    return this.to('cpu');
  }
  cuda(dev?: number | DeviceLike | { device?: number | DeviceLike | null; non_blocking?: boolean }, opts?: { non_blocking?: boolean }): Tensor {
    if (dev !== null && typeof dev === 'object' && !(dev instanceof device)) {
      opts = { non_blocking: dev.non_blocking };
      dev = dev.device ?? undefined;
    }
    const d = dev === undefined || dev === null ? 'cuda' : typeof dev === 'number' ? `cuda:${dev}` : deviceString(dev);
    return this.to(d, opts ?? {});
  }
  /**
   * A copy of this CPU tensor in page-locked (pinned) host memory, from which `.to('cuda',
   * {non_blocking: true})` copies asynchronously; the tensor itself when already pinned.
   * Without CUDA it throws libtorch's TorchError, as PyTorch does on a CPU-only machine.
   */
  pin_memory(device?: DeviceLike): Tensor {
    return new Tensor(native._pin_memory(this._h, device === undefined || device === null ? null : deviceString(device)));
  }
  /** Whether this tensor lives in pinned host memory (always false without CUDA). */
  is_pinned(device?: DeviceLike): boolean {
    return native._is_pinned(this._h, device === undefined || device === null ? null : deviceString(device));
  }
  float(): Tensor { return this.to(float32); }
  double(): Tensor { return this.to(float64); }
  half(): Tensor { return this.to(float16); }
  bfloat16(): Tensor { return this.to(bfloat16); }
  long(): Tensor { return this.to(int64); }
  int(): Tensor { return this.to(int32); }
  short(): Tensor { return this.to(int16); }
  char(): Tensor { return this.to(int8); }
  byte(): Tensor { return this.to(uint8); }
  bool(): Tensor { return this.to(tbool); }
  /**
   * type(): the legacy type name ('torch.FloatTensor'); type(t) converts to `t`: a dtype, a legacy
   * constructor (torch.LongTensor) or its name ('torch.DoubleTensor'), as Python's type() does.
   */
  type(d?: dtype | string | { dtype: dtype } | { dtype?: dtype | string; non_blocking?: boolean }): Tensor | string {
    if (d === undefined || d === null) return `torch.${typeName(this.dtype)}`;
    if (typeof d === 'object' && !(d instanceof dtype) && Object.getPrototypeOf(d) === Object.prototype) d = (d as { dtype?: dtype | string }).dtype;
    if (d === undefined || d === null) return `torch.${typeName(this.dtype)}`;
    if (typeof d === 'function' && (d as any).dtype instanceof dtype) d = (d as any).dtype as dtype;
    if (typeof d === 'string') {
      const name = d.replace(/^torch\./, '');
      const found = Object.entries(TYPE_NAMES).find(([, n]) => n === name);
      if (!found) throw new RangeError(`invalid type: '${d}'`);
      d = dtypeFromName(found[0]);
    }
    if (!(d instanceof dtype)) throw new TypeError(`type(): argument 'dtype' must be torch.dtype, not ${describe(d)}`);
    return d === this.dtype ? this : this.to(d);
  }

  // ================================================================ autograd (branch autograd)
  /** Whether operations on this tensor are recorded for autograd. Settable on leaf tensors. */
  get requires_grad(): boolean {
    return native._requires_grad(this._h);
  }
  set requires_grad(v: boolean) {
    _autograd.set_requires_grad(this, v, true);
  }
  /**
   * requires_grad_(requires_grad = true): sets requires_grad in place and returns this tensor.
   * Only floating point (and complex) tensors can require gradients (TorchError otherwise).
   */
  requires_grad_(requires_grad: boolean | { requires_grad?: boolean } = true): this {
    const v = requires_grad !== null && typeof requires_grad === 'object' ? requires_grad.requires_grad ?? true : requires_grad;
    _autograd.set_requires_grad(this, v, false);
    return this;
  }
  /**
   * The gradient accumulated by backward() (null until then). Assign a Tensor of the same dtype,
   * device and size, or null to clear it. Each read returns a new Tensor object sharing the grad.
   */
  get grad(): Tensor | null {
    return _autograd.get_grad(this);
  }
  set grad(g: Tensor | null) {
    _autograd.set_grad(this, g);
  }
  /** The autograd node that created this tensor (null for leaves and tensors without grad). */
  get grad_fn(): _AutogradNode | null {
    return _autograd.grad_fn(this);
  }
  /** True for tensors created by the user (not by a recorded operation). */
  get is_leaf(): boolean {
    return native._is_leaf(this._h);
  }
  /** Whether retain_grad() was called on this non-leaf tensor. */
  get retains_grad(): boolean {
    return native._retains_grad(this._h);
  }
  /** Makes this non-leaf tensor keep its .grad during backward(). */
  retain_grad(): void {
    native._retain_grad(this._h);
  }
  /**
   * backward(gradient?, retain_graph?, create_graph?, inputs?): computes the gradient of this tensor
   * w.r.t. the graph leaves (see torch.autograd.backward). `gradient` is required unless the
   * tensor holds one element.
   */
  backward(gradient?: Tensor | null | { gradient?: Tensor | null; retain_graph?: boolean | null; create_graph?: boolean; inputs?: Tensor | Tensor[] }, ...rest: unknown[]): void {
    _autograd.tensor_backward(this, gradient === undefined ? rest : [gradient, ...rest]);
  }
  /** A new tensor sharing this one's data, detached from the graph (requires_grad=false). */
  detach(): Tensor {
    return new Tensor(native._detach(this._h));
  }
  /** Detaches this tensor from the graph in place; returns it. */
  detach_(): this {
    native._detach_(this._h);
    return this;
  }
  /**
   * register_hook(hook): calls `hook(grad)` each time the gradient w.r.t. this tensor is computed;
   * a Tensor returned by the hook replaces the gradient. Returns a handle whose remove() unregisters
   * it. Hooks run synchronously inside backward(). The hook is kept alive by the graph: a hook that
   * closes over this very tensor keeps it alive as long as the graph lives.
   */
  register_hook(hook: (grad: Tensor) => Tensor | void | null | undefined): _RemovableHandle {
    return _autograd.register_hook(this, hook);
  }
  /** Whether this tensor was made in inference mode. */
  is_inference(): boolean {
    return native._is_inference(this._h);
  }
  /**
   * Python's `x.data`: an alias of this tensor's storage outside autograd (requires_grad false, no
   * grad_fn, its own version counter, so in-place updates through it, as in
   * `p.data.add_(p.grad, {alpha: -lr})`, do not invalidate what autograd saved). Assigning
   * (`p.data = t`) makes this tensor use t's storage, dtype and size, keeping its identity, grad
   * and hooks.
   */
  get data(): Tensor {
    return new Tensor(native._variable_data(this._h));
  }
  set data(src: Tensor) {
    if (!(src instanceof Tensor)) throw new TypeError(`Variable data has to be a tensor, but got ${pyTypeName(src)}`);
    native._nn_set_data(this._h, src._h);
  }
  // ------------------------------------------------------------------ transposes (Python properties)
  /**
   * Python's `x.T`: the dimensions reversed (a transpose for matrices; PyTorch 1.13 warns that other
   * numbers of dimensions than 2 are deprecated).
   */
  get T(): Tensor {
    return (this as any).numpy_T();
  }
  /** Python's `x.mT`: the last two dimensions swapped (matrices or batches of them). */
  get mT(): Tensor {
    const n = this.ndim;
    if (n === 0) return this;
    if (n < 2) throw new TorchError(`tensor.mT is only supported on matrices or batches of matrices. Got ${n}-D tensor.`);
    return (this as any).transpose(-2, -1);
  }
  /** Python's `x.H`: the conjugate transpose of a matrix (2-D only; use mH for batches). */
  get H(): Tensor {
    const n = this.ndim;
    if (n === 0) return this;
    if (n !== 2) {
      throw new TorchError(`tensor.H is only supported on matrices (2-D tensors). Got ${n}-D tensor.${n > 2 ? ' For batches of matrices, consider using tensor.mH' : ''}`);
    }
    return conjT(this);
  }
  /** Python's `x.mH`: the conjugate transpose of the last two dimensions (torch.adjoint). */
  get mH(): Tensor {
    const n = this.ndim;
    if (n === 0) return this;
    if (n < 2) throw new TorchError(`tensor.mH is only supported on matrices or batches of matrices. Got ${n}-D tensor.`);
    return conjT(this);
  }
  // ------------------------------------------------------------------ len() and iteration
  /** Python's `len(x)`: the size of dim 0 (TypeError for 0-d tensors). See also `length`. */
  __len__(): number {
    const s = native._shape(this._h);
    if (s.length === 0) throw new TypeError('len() of a 0-d tensor');
    return s[0];
  }
  /** `len(x)` spelled as JS spells it: the size of dim 0 (TypeError for 0-d tensors). */
  get length(): number {
    return this.__len__();
  }
  /**
   * Python's `for row in x`: the sub-tensors along dim 0 (`x.unbind(0)`, views of x). Iterating a
   * 0-d tensor is a TypeError, as in Python.
   */
  [Symbol.iterator](): IterableIterator<Tensor> {
    if (native._dim(this._h) === 0) throw new TypeError('iteration over a 0-d tensor');
    return ((this as any).unbind(0) as Tensor[])[Symbol.iterator]();
  }
  // ------------------------------------------------------------------ new_* (Python's new_tensor)
  /**
   * x.new_tensor(data, {dtype, device, requires_grad}): a new tensor holding a copy of `data`, of
   * this tensor's dtype and device unless given. (new_zeros/new_ones/new_full/new_empty are ATen's.)
   */
  new_tensor(data: unknown, opts: { dtype?: dtype | null; device?: DeviceLike | null; requires_grad?: boolean } = {}): Tensor {
    if (opts === null || typeof opts !== 'object') throw new TypeError('new_tensor(): the second argument must be an options object {dtype, device, requires_grad}');
    for (const k of Object.keys(opts)) {
      if (!['dtype', 'device', 'requires_grad', 'pin_memory'].includes(k)) throw new TypeError(`new_tensor() got an unexpected keyword argument '${k}'`);
    }
    const dt = opts.dtype ?? this.dtype;
    const dev = opts.device ?? native._device(this._h);
    let t: Tensor;
    if (data instanceof Tensor) {
      const d = data.detach();
      t = d.to(dev, dt, { copy: true });
      d.dispose();
    } else {
      t = _creation().tensor(data, { dtype: dt, device: dev });
    }
    if (opts.requires_grad) t.requires_grad_(true);
    return t;
  }
  // ------------------------------------------------------------------ torch/_tensor.py methods
  /** x.unique(sorted=true, return_inverse=false, return_counts=false, dim=null): see torch.unique. */
  unique(...args: any[]): any {
    return (_functional().unique as any)(this, ...args);
  }
  /** x.unique_consecutive(return_inverse=false, return_counts=false, dim=null): see torch.unique_consecutive. */
  unique_consecutive(...args: any[]): any {
    return (_functional().unique_consecutive as any)(this, ...args);
  }
  /** x.norm(p='fro', dim=null, keepdim=false, dtype=null): see torch.norm. */
  norm(...args: any[]): Tensor {
    return (_functional().norm as any)(this, ...args);
  }
  /** x.lu(pivot=true, get_infos=false): see torch.lu. */
  lu(...args: any[]): Tensor[] {
    return (_functional().lu as any)(this, ...args);
  }
  /** Python's `value in x`: whether any element equals `value` (a number or a Tensor). */
  __contains__(element: Tensor | number | boolean | bigint): boolean {
    if (!(element instanceof Tensor) && typeof element !== 'number' && typeof element !== 'boolean' && typeof element !== 'bigint') {
      throw new TorchError(`Tensor.__contains__ only supports Tensor or scalar, but you passed in a <class '${pyTypeName(element)}'>.`);
    }
    const eq = (this as any).eq(element) as Tensor;
    const any = (eq as any).any() as Tensor;
    const r = any.item() as boolean;
    eq.dispose();
    any.dispose();
    return r;
  }
  /** Python's `reversed(x)`: x flipped along dim 0 (a 0-d tensor is returned as is). */
  __reversed__(): Tensor {
    return this.dim() === 0 ? this : (this as any).flip(0);
  }
  /** Python's `x.real`: the real part (x itself for real tensors; a view for complex ones). */
  get real(): Tensor {
    return (_ops().real as any)(this);
  }
  /** Python's `x.imag`: the imaginary part of a complex tensor (a view); TorchError for real ones. */
  get imag(): Tensor {
    return (_ops().imag as any)(this);
  }
  /** Whether this tensor is on the meta device. */
  get is_meta(): boolean {
    return native._device(this._h) === 'meta';
  }
  // ================================================================ indexing (branch autograd)
  /**
   * idx(...items): Python's `x[items]` (see lib/indexing.ts): integers, slices ('1::2' or
   * torch.slice), null (None), '...', booleans, bool/integer Tensors, integer arrays.
   * Example: `x.idx(':', 0)` is `x[:, 0]`; `x.idx('..., ::2')` is `x[..., ::2]`.
   */
  idx(...items: _IndexItem[]): Tensor {
    return _indexing.getitem(this, items);
  }
  /**
   * idx_put_(indices, value): Python's `x[indices] = value`, in place; returns this tensor.
   * `indices` is one item or an array of items (`[':', 0]` is `x[:, 0]`); `value` a Tensor
   * (broadcast), a number/boolean, or a nested array.
   */
  idx_put_(indices: _IndexItem | _IndexItem[], value: Tensor | number | boolean | bigint | unknown[]): this {
    _indexing.setitem(this, indices, value);
    return this;
  }
  // ================================================================ printing (branch autograd)
  /** The tensor as PyTorch prints it: `tensor([1., 2.], requires_grad=True)`. */
  toString(): string {
    return _tensor_repr(this);
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return _tensor_repr(this);
  }
  // ================================================================ end (branch autograd)
}

/**
 * The last two dimensions swapped and conjugated: a view for real tensors (conj is the identity
 * there); for complex ones a conjugated copy (conj_physical: the op table has no lazy conj view).
 */
function conjT(t: Tensor): Tensor {
  const tt = (t as any).transpose(-2, -1) as Tensor;
  if (!t.dtype.is_complex) return tt;
  const c = (tt as any).conj_physical() as Tensor;
  tt.dispose();
  return c;
}

/** Python's type name of a JS value, for messages that quote it ('int', 'float', 'str', 'NoneType' …). */
function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return describe(v);
}

// lib/creation.ts imports this module, so it is loaded on first use.
let functionalModule: typeof import('./functional') | undefined;
function _functional(): typeof import('./functional') {
  return (functionalModule ??= require('./functional'));
}
let opsModule: typeof import('./generated/ops') | undefined;
function _ops(): typeof import('./generated/ops') {
  return (opsModule ??= require('./generated/ops'));
}
let creationModule: typeof import('./creation') | undefined;
function _creation(): typeof import('./creation') {
  return (creationModule ??= require('./creation'));
}

const TYPE_NAMES: Record<string, string> = {
  float32: 'FloatTensor', float64: 'DoubleTensor', float16: 'HalfTensor', bfloat16: 'BFloat16Tensor',
  int64: 'LongTensor', int32: 'IntTensor', int16: 'ShortTensor', int8: 'CharTensor', uint8: 'ByteTensor', bool: 'BoolTensor',
};
function typeName(d: dtype): string {
  return TYPE_NAMES[d.name] ?? d.name;
}
function dtypeFromName(name: string): dtype {
  const all: Record<string, dtype> = { float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool: tbool };
  return all[name];
}

/** @internal */
export function wrapDim(dim: number, ndim: number): number {
  if (!Number.isInteger(dim)) throw new TypeError(`dim must be an integer, got ${dim}`);
  const n = Math.max(ndim, 1);
  if (dim < -n || dim >= n) {
    throw new IndexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

/** @internal */
export function checkDtype(d: unknown, name: string): dtype {
  if (!(d instanceof dtype)) throw new TypeError(`argument '${name}' must be torch.dtype, not ${describe(d)}`);
  return d;
}

/** @internal A short description of a JS value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

type TypedArrayCtor = { new (n: number): TypedArray; BYTES_PER_ELEMENT: number };
/** @internal The TypedArray kind that holds a dtype's elements. */
export function typedArrayFor(d: dtype): TypedArrayCtor {
  switch (d.name) {
    case 'float32': return Float32Array;
    case 'float64': return Float64Array;
    case 'int64': return BigInt64Array;
    case 'int32': case 'qint32': return Int32Array;
    case 'int16': return Int16Array;
    case 'int8': case 'qint8': return Int8Array;
    case 'uint8': case 'bool': case 'quint8': case 'quint4x2': return Uint8Array;
    case 'float16': case 'bfloat16': return Uint16Array;
    case 'complex64': return Float32Array;
    case 'complex128': return Float64Array;
    default: throw new TypeError(`no TypedArray for ${d}`);
  }
}

// ------------------------------------------------------------------ scopes and statistics

/**
 * The DisposeScope behind each open dispose_scope() list (tidy's lists have none), held weakly so
 * that an abandoned scope can be collected (see `abandoned`).
 */
const owners = new Map<Tensor[], WeakRef<DisposeScope>>();

/**
 * Closes the scope `list` and every scope opened after it that is still open (a dispose_scope()
 * left undisposed inside a tidy() or another scope is closed with it, and reported): disposes
 * their tensors except `keep`, which move to the enclosing scope.
 */
function closeFrom(list: Tensor[], keep: Set<Tensor>): void {
  const i = scopes.lastIndexOf(list);
  const closing = i >= 0 ? scopes.splice(i) : [list];
  for (let k = closing.length - 1; k >= 0; k--) {
    const l = closing[k];
    const owner = owners.get(l);
    if (owner !== undefined && l !== list) {
      owner.deref()?._closedBy();
      process.emitWarning('a torch.dispose_scope() opened inside another scope was not disposed; it is closed with the enclosing scope', 'TorchScopeWarning');
    }
    owners.delete(l);
    closeScope(l, keep);
  }
}

/**
 * Runs `fn` and disposes every tensor created inside it, except the tensors found in its
 * return value (a Tensor, or arrays, plain objects, Maps, Sets and nn.Modules holding tensors, at
 * any depth), which move to the enclosing scope. Like tfjs's tidy and TorchSharp's DisposeScope.
 * A dispose_scope() opened inside `fn` and not disposed is closed with it.
 */
export function tidy<T>(fn: () => T): T {
  const scope: Tensor[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    closeFrom(scope, new Set());
    throw e;
  }
  if (result && typeof (result as any).then === 'function') {
    closeFrom(scope, new Set());
    throw new TypeError('tidy() cannot be given an async function: tensors would be freed while the promise is pending');
  }
  const keep = new Set<Tensor>();
  collectTensors(result, keep, true);
  closeFrom(scope, keep);
  return result;
}

/**
 * Open dispose_scope()s whose object was collected without dispose() (an exception thrown between
 * dispose_scope() and dispose(), outside `using`): their lists leave the stack, so later tensors
 * are no longer recorded in them, and the leak is reported. Their tensors are left to GC: code
 * after the throw may still be using them.
 */
const abandoned = new FinalizationRegistry<Tensor[]>((list) => {
  const i = scopes.lastIndexOf(list);
  if (i < 0) return;
  scopes.splice(i, 1);
  owners.delete(list);
  process.emitWarning('a torch.dispose_scope() was never disposed (use `using`, or call dispose() in a finally block); its tensors are left to GC', 'TorchScopeWarning');
});

/**
 * A disposal scope for `using`: every tensor created until the scope is disposed is freed then,
 * except those passed to `keep()`.
 *   { using scope = torch.dispose_scope(); const y = f(x); out = scope.keep(y); }
 */
export class DisposeScope {
  private readonly list: Tensor[] = [];
  private readonly kept = new Set<Tensor>();
  private open = true;
  constructor() {
    scopes.push(this.list);
    owners.set(this.list, new WeakRef(this));
    abandoned.register(this, this.list, this);
  }
  /** Keeps `value`'s tensors alive past the scope (they move to the enclosing scope). */
  keep<T>(value: T): T {
    collectTensors(value, this.kept, true);
    return value;
  }
  dispose(): void {
    if (!this.open) return;
    this.open = false;
    abandoned.unregister(this);
    closeFrom(this.list, this.kept);
  }
  /** @internal Marks the scope closed by an enclosing scope. */
  _closedBy(): void {
    this.open = false;
    abandoned.unregister(this);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}
/** torch.dispose_scope(): see {@link DisposeScope}. */
export function dispose_scope(): DisposeScope {
  return new DisposeScope();
}

/**
 * Adds the tensors held by `v` to `out`: a Tensor, arrays, plain objects, Maps (keys and values)
 * and Sets, at any depth (each container is visited once, so cycles end), and with `modules`, an
 * nn.Module's parameters and buffers (recognized by its methods: this file cannot import nn).
 */
function collectTensors(v: unknown, out: Set<Tensor>, modules = false): void {
  const seen = new Set<object>();
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    // (Modules are callable objects: typeof 'function')
    if (x === null || (typeof x !== 'object' && typeof x !== 'function')) continue;
    if (x instanceof Tensor) {
      out.add(x);
      continue;
    }
    if (seen.has(x)) continue;
    seen.add(x);
    if (Array.isArray(x)) for (const e of x) stack.push(e);
    else if (x instanceof Map) for (const [k, e] of x) stack.push(k, e);
    else if (x instanceof Set) for (const e of x) stack.push(e);
    else {
      const proto = Object.getPrototypeOf(x);
      if (typeof x === 'object' && (proto === Object.prototype || proto === null)) for (const e of Object.values(x)) stack.push(e);
      else if (modules && typeof (x as any).parameters === 'function' && typeof (x as any).buffers === 'function' && typeof (x as any).named_modules === 'function') {
        for (const t of (x as any).parameters()) out.add(t);
        for (const t of (x as any).buffers()) out.add(t);
      }
    }
  }
}

/** Disposes a closed scope's tensors except `keep`; kept tensors it made move to the enclosing scope. */
function closeScope(list: Tensor[], keep: Set<Tensor>): void {
  const kept = keptHandles(keep);
  disposeAllExcept(list, kept);
  if (scopes.length) {
    const outer = scopes[scopes.length - 1];
    for (const t of list) if (t._h >= 0 && kept.has(t._h)) outer.push(t);
  }
}

/**
 * The native handles of the tensors to keep. Scopes compare handles, not JS objects: an
 * nn.Parameter made from a tensor created in the scope is another object over the same handle.
 */
function keptHandles(keep: Set<Tensor>): Set<number> {
  const hs = new Set<number>();
  for (const t of keep) if (t._h >= 0) hs.add(t._h);
  return hs;
}

function disposeAllExcept(list: Tensor[], keep: Set<number>): void {
  const hs: number[] = [];
  for (const t of list) {
    if (t._h >= 0 && !keep.has(t._h)) {
      hs.push(t._h);
      t._h = -1;
    }
  }
  if (hs.length) native._free_many(hs);
}

/**
 * @internal Removes `t` from every open tidy()/dispose_scope() scope, so that long-lived state made
 * while a scope is open (optimizer state) is not freed when the scope ends. (Added for torch.optim.)
 */
export function _keep_alive(t: Tensor): void {
  for (const s of scopes) {
    const i = s.lastIndexOf(t);
    if (i >= 0) s.splice(i, 1);
  }
}

/** Disposes every tensor found in `value` (a Tensor, arrays or plain objects of them). */
export function dispose(value: unknown): void {
  const s = new Set<Tensor>();
  collectTensors(value, s);
  for (const t of s) t.dispose();
}

/** The number of tensors alive in native memory and their bytes (torch-node's addition). */
export function live_tensors(): { count: number; bytes: number } {
  const [count, bytes] = native._live();
  return { count, bytes };
}

export { get_default_dtype };
