/**
 * torch.tensor(data, {dtype, device, requires_grad}) and torch.frombuffer: tensors from JS data.
 * Factory functions with sizes (zeros, ones, arange, randn, …) are generated ATen bindings.
 */
import { native } from './binding';
import { Tensor } from './tensor';
import { checkDtype, describe } from './_utils';
import {
  dtype, get_default_dtype, float32, float64, int8, int16, int32, int64, uint8, bool as tbool,
} from './dtype';
import { DeviceLike, deviceString } from './device';
import { TorchError } from './errors';
import type { TypedArray } from '../types/native';
import { markAsUntransferable } from 'worker_threads';

export interface TensorOptions {
  dtype?: dtype | null;
  device?: DeviceLike | null;
  requires_grad?: boolean;
}

// By tag rather than instanceof: typed arrays may come from another realm (vm contexts, jest).
const TYPED_DTYPES: Record<string, dtype> = {
  '[object Float32Array]': float32, '[object Float64Array]': float64, '[object Int32Array]': int32,
  '[object Int16Array]': int16, '[object Int8Array]': int8, '[object Uint8Array]': uint8,
  '[object Uint8ClampedArray]': uint8, '[object BigInt64Array]': int64,
};
function dtypeOfTypedArray(a: ArrayBufferView): dtype | null {
  return TYPED_DTYPES[Object.prototype.toString.call(a)] ?? null;
}

type Kind = 0 | 1 | 2 | 3; // 0 none yet, 1 bool, 2 int (bigint), 3 number
/**
 * Walks nested arrays, checking they are rectangular, and returns [shape, flat values, kind].
 * Ragged input raises the error PyTorch raises ("expected sequence of length 3 at dim 1 (got 2)").
 */
function flatten(data: unknown): [number[], (number | bigint | boolean)[], Kind] {
  const shape: number[] = [];
  let probe: unknown = data;
  const seen = new Set<unknown>();
  while (Array.isArray(probe) || ArrayBuffer.isView(probe)) {
    if (seen.has(probe)) throw cyclic();
    seen.add(probe);
    const n = (probe as ArrayLike<unknown>).length;
    shape.push(n);
    if (n === 0) break;
    probe = (probe as ArrayLike<unknown>)[0];
  }
  const flat: (number | bigint | boolean)[] = [];
  let kind: Kind = 0;
  const walk = (v: unknown, dim: number): void => {
    // One-element tensors inside the data are their values, as Python converts them with item().
    if (v instanceof Tensor) v = scalarOf(v);
    if (dim === shape.length) {
      if (typeof v === 'number') kind = 3;
      else if (typeof v === 'bigint') kind = kind === 3 ? 3 : 2;
      else if (typeof v === 'boolean') kind = kind === 0 ? 1 : kind;
      else if (Array.isArray(v) || ArrayBuffer.isView(v)) {
        if (path.has(v)) throw cyclic();
        throw new RangeError(`expected a number at dim ${dim} but got a sequence of length ${(v as ArrayLike<unknown>).length}`);
      } else throw new TypeError(`Could not infer dtype of ${describe(v)}`);
      flat.push(v as number | bigint | boolean);
      return;
    }
    if (!(Array.isArray(v) || ArrayBuffer.isView(v))) {
      throw new RangeError(`expected sequence of length ${shape[dim]} at dim ${dim} (got a scalar)`);
    }
    const a = v as ArrayLike<unknown>;
    if (a.length !== shape[dim]) throw new RangeError(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${a.length})`);
    if (ArrayBuffer.isView(v) && dim === shape.length - 1) {
      for (let i = 0; i < a.length; i++) flat.push(a[i] as number);
      kind = typeof a[0] === 'bigint' ? (kind === 3 ? 3 : 2) : 3;
      return;
    }
    // An array reached again below itself would nest for ever; the shape walk above bounds the
    // depth, so a cycle shows up as a sequence where a number belongs, or as one seen on the path.
    if (path.has(v)) throw cyclic();
    path.add(v);
    for (let i = 0; i < a.length; i++) walk(a[i], dim + 1);
    path.delete(v);
  };
  const path = new Set<unknown>();
  walk(data, 0);
  return [shape, flat, kind];
}

function cyclic(): TypeError {
  return new TypeError('torch.tensor(): data contains itself (a cyclic nested array has no shape)');
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * A JS value as an integer of dtype `name` whose range is [lo, hi], raising PyTorch's errors where
 * it does not fit: "Overflow when unpacking long" for a bigint outside int64, "value cannot be
 * converted to type X without overflow" for a number outside the dtype (NaN and ±Infinity
 * included). Numbers are truncated toward zero, as PyTorch does.
 */
function checkedInt(v: number | bigint | boolean, name: string, lo: number, hi: number): number {
  if (typeof v === 'bigint') {
    if (v > INT64_MAX || v < INT64_MIN) throw new TorchError('Overflow when unpacking long');
    if (v > BigInt(hi) || v < BigInt(lo)) throw new TorchError(`value cannot be converted to type ${name} without overflow`);
    return Number(v);
  }
  const x = Math.trunc(Number(v));
  if (!(x >= lo && x <= hi)) throw new TorchError(`value cannot be converted to type ${name} without overflow`);
  return x;
}

/** The value of a one-element tensor found in torch.tensor's data (bigint for integer dtypes). */
function scalarOf(t: Tensor): number | bigint | boolean {
  if (t.numel() !== 1) throw new RangeError('only one element tensors can be converted to Python scalars');
  const v = t.item();
  if (typeof v === 'boolean' || t.dtype.is_floating_point || t.dtype.is_complex) return v;
  return BigInt(v);
}

function fill(d: dtype, flat: (number | bigint | boolean)[]): TypedArray {
  const n = flat.length;
  switch (d) {
    case int64: {
      const a = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = flat[i];
        if (typeof v === 'bigint') {
          if (v > INT64_MAX || v < INT64_MIN) throw new TorchError('Overflow when unpacking long');
          a[i] = v;
        } else {
          const x = Math.trunc(Number(v));
          // 2**63 itself is out of range; -2**63 is in it (both are exact doubles)
          if (!(x >= -9223372036854775808 && x < 9223372036854775808)) throw new TorchError('value cannot be converted to type int64 without overflow');
          a[i] = BigInt(x);
        }
      }
      return a;
    }
    case float64: return Float64Array.from(flat, Number);
    case int32: return Int32Array.from(flat, (v) => checkedInt(v, 'int32', -2147483648, 2147483647));
    case int16: return Int16Array.from(flat, (v) => checkedInt(v, 'int16', -32768, 32767));
    case int8: return Int8Array.from(flat, (v) => checkedInt(v, 'int8', -128, 127));
    // uint8 as c10's overflow check: -255..255 are accepted and wrap modulo 256 (as numpy does)
    case uint8: return Uint8Array.from(flat, (v) => checkedInt(v, 'uint8', -255, 255) & 255);
    case tbool: return Uint8Array.from(flat, (v) => (v ? 1 : 0));
    default: return Float32Array.from(flat, Number);
  }
}

/**
 * torch.tensor(data, {dtype, device, requires_grad}): a new tensor holding a copy of `data`.
 *
 * Args:
 *   data: a number, boolean, bigint, nested arrays of them, or a TypedArray (its kind gives the
 *     dtype: Float32Array→float32, Int32Array→int32, BigInt64Array→int64, Uint8Array→uint8…).
 *   dtype: the element type. JS numbers give the default dtype (float32); bigints give int64;
 *     booleans give bool.
 *   device: 'cpu', 'cuda', 'cuda:N' or torch.device.
 *   requires_grad: record operations for autograd.
 * Example:
 *   torch.tensor([[1, 2], [3, 4]])                  // float32
 *   torch.tensor([0, 2, 1], {dtype: torch.long})     // int64 class labels
 */
export function tensor(data: unknown, opts: TensorOptions = {}): Tensor {
  if (data instanceof Tensor) throw new TypeError('torch.tensor() expects data, not a Tensor: use tensor.clone().detach()');
  if (opts === null || typeof opts !== 'object') throw new TypeError('torch.tensor(): the second argument must be an options object {dtype, device, requires_grad}');
  for (const k of Object.keys(opts)) {
    if (!['dtype', 'device', 'requires_grad', 'pin_memory'].includes(k)) throw new TypeError(`tensor() got an unexpected keyword argument '${k}'`);
  }
  const want = opts.dtype == null ? null : checkDtype(opts.dtype, 'dtype');
  let h: number;
  if (ArrayBuffer.isView(data) && !(data instanceof DataView) && want === null && dtypeOfTypedArray(data) !== null) {
    const ta = data as TypedArray;
    h = native._from_buffer(ta, [ta.length], dtypeOfTypedArray(data)!._code, true);
  } else {
    const [shape, flat, kind] = flatten(data);
    const d = want ?? (kind === 1 ? tbool : kind === 2 ? int64 : get_default_dtype());
    if (d.is_complex || d.name.startsWith('q')) throw new TypeError(`torch.tensor(): dtype ${d} is not supported for JS data`);
    if (d.name === 'float16' || d.name === 'bfloat16') {
      const t = new Tensor(native._from_buffer(fill(float32, flat), shape, float32._code, true));
      const r = t.to(d);
      t.dispose();
      return finish(r, opts);
    }
    h = native._from_buffer(fill(d, flat), shape, d._code, true);
  }
  let t = new Tensor(h);
  if (want !== null && t.dtype !== want) {
    const c = t.to(want);
    t.dispose();
    t = c;
  }
  return finish(t, opts);
}

function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.device != null) {
    const dev = deviceString(opts.device);
    if (dev !== 'cpu') {
      const c = t.to(dev);
      t.dispose();
      t = c;
    }
  }
  if (opts.requires_grad) (t as any).requires_grad_(true);
  return t;
}

/**
 * torch.frombuffer(buffer, {dtype, count, offset}): a 1-D tensor that shares memory with a
 * TypedArray or ArrayBuffer (no copy). The tensor keeps the buffer alive. Writing to either is
 * visible in the other.
 */
export function frombuffer(
  buffer: ArrayBuffer | ArrayBufferView,
  opts: { dtype: dtype; count?: number; offset?: number; requires_grad?: boolean },
): Tensor {
  if (!opts || !(opts.dtype instanceof dtype)) throw new TypeError("frombuffer(): 'dtype' is required and must be a torch.dtype");
  const d = opts.dtype;
  // ArrayBuffer.isView rather than instanceof: buffers may come from another realm (vm, jest).
  const isView = ArrayBuffer.isView(buffer);
  const ab = isView ? (buffer as ArrayBufferView).buffer : (buffer as ArrayBuffer);
  const base = isView ? (buffer as ArrayBufferView).byteOffset : 0;
  const len = buffer.byteLength;
  const offset = opts.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > len) throw new RangeError(`offset ${offset} is out of the buffer's ${len} bytes`);
  const avail = Math.floor((len - offset) / d.itemsize);
  const count = opts.count ?? -1;
  const n = count < 0 ? avail : count;
  if (n > avail) throw new RangeError(`requested count ${n} exceeds the ${avail} elements available`);
  if ((len - offset) % d.itemsize !== 0 && count < 0) throw new RangeError(`buffer length (${len - offset} bytes after offset ${offset}) must be a multiple of element size (${d.itemsize})`);
  const view = new Uint8Array(ab, base + offset, n * d.itemsize);
  const t = new Tensor(native._from_buffer(view, [n], d._code, false));
  // A transfer (postMessage, structuredClone with `transfer`) would detach the buffer and free
  // the memory the tensor reads: marked, the buffer is copied instead, and this one stays.
  if (n > 0) markAsUntransferable(ab);
  if (opts.requires_grad) (t as any).requires_grad_(true);
  return t;
}

/**
 * torch.as_tensor(data, {dtype, device}): `data` itself when it is a Tensor of that dtype and device
 * already, else `data.to(dtype, device)`; other data is converted as torch.tensor converts it (a
 * copy). Python's as_tensor takes no requires_grad.
 */
export function as_tensor(data: unknown, opts: { dtype?: dtype | null; device?: DeviceLike | null } = {}): Tensor {
  if (opts === null || typeof opts !== 'object') throw new TypeError('as_tensor(): the second argument must be an options object {dtype, device}');
  for (const k of Object.keys(opts)) {
    if (k !== 'dtype' && k !== 'device') throw new TypeError(`as_tensor() got an unexpected keyword argument '${k}'`);
  }
  if (data instanceof Tensor) {
    const want = opts.dtype == null ? null : checkDtype(opts.dtype, 'dtype');
    return data.to(opts.device == null ? null : deviceString(opts.device), want);
  }
  return tensor(data, opts);
}

/**
 * torch.asarray(obj, {dtype, device, copy, requires_grad}): `obj` itself when it is a Tensor of that
 * dtype and device and `copy` is not true (copy: false refuses a conversion that would copy);
 * otherwise a converted copy. Other data is converted as torch.tensor converts it.
 */
export function asarray(obj: unknown, opts: { dtype?: dtype | null; device?: DeviceLike | null; copy?: boolean | null; requires_grad?: boolean } = {}): Tensor {
  if (opts === null || typeof opts !== 'object') throw new TypeError('asarray(): the second argument must be an options object {dtype, device, copy, requires_grad}');
  for (const k of Object.keys(opts)) {
    if (!['dtype', 'device', 'copy', 'requires_grad'].includes(k)) throw new TypeError(`asarray() got an unexpected keyword argument '${k}'`);
  }
  const want = opts.dtype == null ? null : checkDtype(opts.dtype, 'dtype');
  let t: Tensor;
  if (obj instanceof Tensor) {
    const dev = opts.device == null ? null : deviceString(opts.device);
    t = obj.to(dev, want, { copy: opts.copy === true });
    if (opts.copy === false && t !== obj) {
      t.dispose();
      throw new TorchError("can't alias tensor from a different dtype or device with copy=False");
    }
  } else {
    if (opts.copy === false) throw new TorchError("can't alias JS data with copy=False");
    t = tensor(obj, { dtype: want, device: opts.device ?? null });
  }
  if (opts.requires_grad) t.requires_grad_(true);
  return t;
}
