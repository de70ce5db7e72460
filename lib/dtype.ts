/**
 * torch.dtype: the element types, spelled as PyTorch spells them (`torch.float32`, `torch.long`…).
 * Each carries its c10::ScalarType code, which is how dtypes cross to native code.
 *
 * JavaScript numbers cannot tell 1 from 1.0, so `torch.tensor([1, 2])` makes a tensor of the
 * default dtype (float32). Make integer tensors with `{dtype: torch.int64}`, a BigInt64Array, an
 * Int32Array, or bigint literals (`torch.tensor([1n, 2n])` is int64).
 */
import { native } from './binding';

export class dtype {
  /** @internal */
  constructor(
    readonly name: string,
    /** c10::ScalarType code. */
    readonly _code: number,
    readonly itemsize: number,
    readonly is_floating_point: boolean,
    readonly is_complex: boolean,
    readonly is_signed: boolean,
  ) {}
  toString(): string {
    return `torch.${this.name}`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export const uint8 = new dtype('uint8', 0, 1, false, false, false);
export const int8 = new dtype('int8', 1, 1, false, false, true);
export const int16 = new dtype('int16', 2, 2, false, false, true);
export const int32 = new dtype('int32', 3, 4, false, false, true);
export const int64 = new dtype('int64', 4, 8, false, false, true);
export const float16 = new dtype('float16', 5, 2, true, false, true);
export const float32 = new dtype('float32', 6, 4, true, false, true);
export const float64 = new dtype('float64', 7, 8, true, false, true);
export const complex32 = new dtype('complex32', 8, 4, false, true, true);
export const complex64 = new dtype('complex64', 9, 8, false, true, true);
export const complex128 = new dtype('complex128', 10, 16, false, true, true);
export const bool = new dtype('bool', 11, 1, false, false, false);
export const qint8 = new dtype('qint8', 12, 1, false, false, true);
export const quint8 = new dtype('quint8', 13, 1, false, false, false);
export const qint32 = new dtype('qint32', 14, 4, false, false, true);
export const bfloat16 = new dtype('bfloat16', 15, 2, true, false, true);
export const quint4x2 = new dtype('quint4x2', 16, 1, false, false, false);

// PyTorch's aliases.
export const half = float16;
export const float = float32;
export const double = float64;
export const short = int16;
export const int = int32;
export const long = int64;
export const cfloat = complex64;
export const cdouble = complex128;

const byCode: dtype[] = [];
for (const d of [uint8, int8, int16, int32, int64, float16, float32, float64, complex32, complex64, complex128, bool, qint8, quint8, qint32, bfloat16, quint4x2]) {
  byCode[d._code] = d;
}

/** @internal */
export function dtypeFromCode(code: number): dtype {
  const d = byCode[code];
  if (!d) throw new TypeError(`unknown dtype code ${code}`);
  return d;
}

/**
 * torch.get_default_dtype(): the floating dtype of factories without a dtype (torch.tensor of JS
 * numbers, zeros, randn, arange with a fractional step, layer parameters …) and of integer-to-float
 * promotion. libtorch holds it (process-wide, as PyTorch does), so every thread sees the same.
 */
export function get_default_dtype(): dtype {
  return dtypeFromCode(native._get_default_dtype());
}
/**
 * torch.set_default_dtype(d): d must be a floating point dtype. Every floating factory, every
 * layer's parameters and integer-to-float promotion follow it afterwards, as in PyTorch; complex
 * factories follow with the matching complex dtype (float64 → complex128).
 */
export function set_default_dtype(d: dtype): void {
  if (!(d instanceof dtype)) throw new TypeError('invalid dtype object: only floating-point types are supported as the default type');
  if (!d.is_floating_point) throw new TypeError('only floating-point types are supported as the default type');
  native._set_default_dtype(d._code);
}
