/**
 * torch.finfo and torch.iinfo: the numerical properties of floating and integer dtypes.
 *
 * The values follow from each format's parameters (bits of precision and exponent range), which
 * is also how c10 derives them (std::numeric_limits): eps = 2^(1 - p), max = (2 - 2^(1 - p)) ·
 * 2^emax, tiny = 2^(1 - emax), resolution = 10^-floor((p - 1) · log10 2). A complex dtype reports
 * the properties of its real components, as in PyTorch.
 */
import { dtype, get_default_dtype, float16, bfloat16, float32, float64, complex64, complex128, complex32,
  uint8, int8, int16, int32, int64 } from './dtype';
import { pyClass } from './_callable';

/** [bits, precision p (with the implicit bit), emax, real dtype] per floating dtype. */
const FLOAT_FORMATS = new Map<dtype, [number, number, number, dtype]>([
  [float16, [16, 11, 15, float16]],
  [bfloat16, [16, 8, 127, bfloat16]],
  [float32, [32, 24, 127, float32]],
  [float64, [64, 53, 1023, float64]],
  [complex32, [16, 11, 15, float16]],
  [complex64, [32, 24, 127, float32]],
  [complex128, [64, 53, 1023, float64]],
]);

/** torch.finfo(type) (called with or without `new`): machine limits of a floating point dtype (the default dtype when omitted). */
class FInfo {
  /** Number of bits the type occupies. */
  readonly bits: number;
  /** The smallest number such that 1.0 + eps != 1.0. */
  readonly eps: number;
  /** The largest representable number. */
  readonly max: number;
  /** The smallest representable number (-max). */
  readonly min: number;
  /** The smallest positive normal number. */
  readonly tiny: number;
  /** Alias of tiny. */
  readonly smallest_normal: number;
  /** The approximate decimal resolution of the type: 10^-precision. */
  readonly resolution: number;
  /** The name of the (real) dtype, as PyTorch's `finfo.dtype` string. */
  readonly dtype: string;

  constructor(type?: dtype) {
    const t = type === undefined ? get_default_dtype() : type;
    if (!(t instanceof dtype)) throw new TypeError(`finfo(): argument 'type' must be torch.dtype, not ${t === null ? 'None' : typeof t}`);
    const f = FLOAT_FORMATS.get(t);
    if (!f) throw new TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'");
    const [bits, p, emax, real] = f;
    this.bits = bits;
    this.eps = 2 ** (1 - p);
    this.max = (2 - 2 ** (1 - p)) * 2 ** emax;
    this.min = -this.max;
    this.tiny = 2 ** (1 - emax);
    this.smallest_normal = this.tiny;
    this.resolution = Number(`1e-${Math.floor((p - 1) * Math.log10(2))}`);
    this.dtype = real.name;
    Object.freeze(this);
  }

  toString(): string {
    const g = (x: number) => pyG6(x);
    return `finfo(resolution=${g(this.resolution)}, min=${g(this.min)}, max=${g(this.max)}, eps=${g(this.eps)}, ` +
      `smallest_normal=${g(this.smallest_normal)}, tiny=${g(this.tiny)}, dtype=${this.dtype})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }
}

const INT_FORMATS = new Map<dtype, [number, boolean]>([
  [uint8, [8, false]], [int8, [8, true]], [int16, [16, true]], [int32, [32, true]], [int64, [64, true]],
]);

/**
 * torch.iinfo(type) (called with or without `new`): limits of an integer dtype. `min`/`max` are JS numbers, so int64's are rounded
 * to the nearest double (±2^63), as `item()` rounds int64 values.
 */
class IInfo {
  readonly bits: number;
  readonly min: number;
  readonly max: number;
  readonly dtype: string;

  constructor(type: dtype) {
    if (!(type instanceof dtype)) throw new TypeError(`iinfo(): argument 'type' must be torch.dtype, not ${type === null ? 'None' : typeof type}`);
    const f = INT_FORMATS.get(type);
    if (!f) throw new TypeError(`${type} is not supported by torch.iinfo`);
    const [bits, signed] = f;
    this.bits = bits;
    this.min = signed ? -(2 ** (bits - 1)) : 0;
    this.max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    this.dtype = type.name;
    Object.freeze(this);
  }

  toString(): string {
    return `iinfo(min=${pyG6(this.min)}, max=${pyG6(this.max)}, dtype=${this.dtype})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }
}

export const finfo = pyClass(FInfo);
export type finfo = FInfo;
export const iinfo = pyClass(IInfo);
export type iinfo = IInfo;

/**
 * Python's '%g' (6 significant digits), which finfo/iinfo's repr uses. C rounds the exact binary
 * value half to even, where JS's toPrecision rounds a tie up: ties (an expansion that ends in a 5
 * right after the 6th digit) are settled here.
 */
function pyG6(x: number): string {
  if (x === 0) return '0';
  const sign = x < 0 ? '-' : '';
  const [m, e] = Math.abs(x).toExponential(40).split('e');
  let digits = m.replace('.', '');
  let exp = Number(e);
  const tail = digits.slice(6);
  let head = Number(digits.slice(0, 6));
  const up = tail[0] > '5' || (tail[0] === '5' && (/[1-9]/.test(tail.slice(1)) || head % 2 === 1));
  if (up) head += 1;
  if (head === 1000000) { head = 100000; exp += 1; }
  digits = String(head);
  const strip = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= 6) {
    return `${sign}${strip(digits[0] + '.' + digits.slice(1))}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const fixed = exp >= 0 ? digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1) : '0.' + '0'.repeat(-exp - 1) + digits;
  return sign + strip(fixed);
}
