/**
 * Small helpers shared across lib/: dimension wrapping, argument checks, Python-style names and
 * reprs of JS values, the TypedArray kind of a dtype, deep copies of plain data. This module
 * imports only dtype.ts and errors.ts, so every other module may import it.
 */
import { dtype } from './dtype';
import { IndexError } from './errors';
import type { TypedArray } from '../types/native';

/** @internal `dim` wrapped into [0, ndim) (negative dims count from the end; a 0-d tensor has one). */
export function wrapDim(dim: number, ndim: number): number {
  if (!Number.isInteger(dim)) throw new TypeError(`dim must be an integer, got ${dim}`);
  const n = Math.max(ndim, 1);
  if (dim < -n || dim >= n) {
    throw new IndexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

/** @internal `d` itself when it is a torch.dtype; a TypeError naming the argument otherwise. */
export function checkDtype(d: unknown, name: string): dtype {
  if (!(d instanceof dtype)) throw new TypeError(`argument '${name}' must be torch.dtype, not ${describe(d)}`);
  return d;
}

/** @internal A short description of a JS value for error messages ('null', 'Array', a class name, a typeof). */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** @internal Python's type name of a JS value, for messages that quote it ('int', 'float', 'str', 'NoneType' …). */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return describe(v);
}

/** @internal Python's repr of a float (1.0, 0.5, 1e-05). */
export function pyFloat(v: number): string {
  if (Number.isInteger(v)) return v.toFixed(1);
  const s = String(v);
  const m = s.match(/^(-?\d(?:\.\d+)?)e([+-])(\d+)$/);
  if (m) return `${m[1]}e${m[2]}${m[3].padStart(2, '0')}`;
  if (Math.abs(v) < 1e-4 && v !== 0) {
    const [mant, ex] = v.toExponential().split('e');
    const sign = ex[0] === '-' ? '-' : '+';
    return `${mant}e${sign}${ex.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return s;
}

/** @internal Whether `v` is a plain object (`{...}` or Object.create(null)), not a class instance or array. */
export function isPlainObject(v: unknown): v is Record<string, any> {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/**
 * @internal A copy of plain data: arrays and plain objects are copied at every depth, a Map is a
 * new Map of the same entries; anything else (tensors included) is shared.
 */
export function copyPlain(v: any): any {
  if (Array.isArray(v)) return v.map(copyPlain);
  if (v instanceof Map) return new Map(v);
  if (isPlainObject(v)) {
    const o: Record<string, any> = {};
    for (const k of Object.keys(v)) o[k] = copyPlain(v[k]);
    return o;
  }
  return v;
}

/**
 * @internal Nested arrays of `shape` (row-major) whose leaves are `leaf(i)` for the flat index i;
 * `leaf(0)` itself for shape [].
 */
export function nestedArray<T>(shape: readonly number[], leaf: (i: number) => T): any {
  if (shape.length === 0) return leaf(0);
  let k = 0;
  const build = (dim: number): any[] => {
    const n = shape[dim];
    const out = new Array(n);
    if (dim === shape.length - 1) for (let i = 0; i < n; i++) out[i] = leaf(k++);
    else for (let i = 0; i < n; i++) out[i] = build(dim + 1);
    return out;
  };
  return build(0);
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
