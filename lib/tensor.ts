/**
 * torch.Tensor: a JS object holding an integer handle into the native registry. This module holds
 * the class with its metadata, conversions and lifetime; the generated ATen methods
 * (lib/generated/ops.ts) and the Python-level ones (lib/_tensor.ts) are layered over it, in the
 * order lib/index.ts gives.
 *
 * Memory: a tensor's native storage is freed by `dispose()`, by `using`, by tidy() or a
 * dispose_scope() (lib/scope.ts), or by GC as a last resort. GC works
 * through arenas: native code groups consecutive small tensors in an arena with one JS token
 * object; every wrapper references its arena's token, and when V8 collects the token (so every
 * wrapper of the arena is dead) native code frees the arena's remaining tensors. Large tensors get
 * a token each. One token per ~64 tensors makes GC-managed tensors almost as cheap as disposed
 * ones (bench/handles.js measures it). Invariant: handles returned by a native call are wrapped
 * before the next native call that can produce tensors.
 */
import './_polyfill';
import { native, shared } from './binding';
import { dtype, dtypeFromCode, float32, float64, int8, int16, int32, int64, uint8, bool as tbool, float16, bfloat16, complex64 as complex64_ } from './dtype';
import { device, DeviceLike, deviceString } from './device';
import type { TypedArray } from '../types/native';
import { layout as _layout, layoutFromCode as _layoutFromCode } from './layout';
import { wrapDim, checkDtype, describe, typedArrayFor, nestedArray } from './_utils';

let tokenId = -1;
let token: object | undefined;

/**
 * @internal The open disposal scopes (lib/scope.ts), innermost last: each new Tensor is recorded in
 * the innermost one.
 */
export const _scopes: Tensor[][] = [];

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
    if (_scopes.length !== 0) _scopes[_scopes.length - 1].push(this);
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
  /** True once dispose() ran (or the tensor was freed by the scope that made it). */
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
    const mf = memory_format !== null && typeof memory_format === 'object' && 'memory_format' in memory_format
      ? memory_format.memory_format : (memory_format as { _code: number } | undefined);
    if (mf !== undefined && mf !== null && (typeof mf !== 'object' || typeof (mf as { _code?: unknown })._code !== 'number')) {
      throw new TypeError(`contiguous(): argument 'memory_format' must be torch.memory_format, not ${describe(mf)}`);
    }
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
    return nestedArray(shape, (i) => conv(flat[i]));
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

  /** Whether this tensor is on the meta device. */
  get is_meta(): boolean {
    return native._device(this._h) === 'meta';
  }
}

/** @internal The names the class itself defines; the layers of lib/_tensor.ts may not redefine them. */
export const _classMembers: ReadonlySet<PropertyKey> = new Set(Reflect.ownKeys(Tensor.prototype));

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
