/**
 * Indexing: everything Python's `x[...]` does, for reading (`x.idx(...)`) and assignment
 * (`x.idx_put_(indices, value)`), in one native call per expression (libtorch's at::indexing, the
 * code behind Python's own `Tensor.__getitem__` / `__setitem__`).
 *
 * An index is a list of items, each one of:
 *   | Python          | torch-node                                   |
 *   |-----------------|----------------------------------------------|
 *   | `0`, `-1`       | `0`, `-1` (or a bigint)                      |
 *   | `1:3`, `::2`    | `'1:3'`, `'::2'` or `torch.slice(1, 3)`, `torch.slice(null, null, 2)` |
 *   | `:`             | `':'` or `torch.slice()`                     |
 *   | `None`          | `null` (or `'None'`)                         |
 *   | `...`           | `'...'`                                      |
 *   | `True`/`False`  | `true` / `false`                             |
 *   | `mask`, `idx`   | a bool or integer Tensor                     |
 *   | `[0, 2]`        | `[0, 2]` (a JS array becomes an int64 or bool tensor) |
 * A string may also hold several comma-separated items, so a whole Python index can be written
 * as one string: `x.idx('0, 1::2, None, ..., :')` is `x[0, 1::2, None, ..., :]`.
 *
 * Example:
 *   x.idx(0)                        // x[0]
 *   x.idx(':', -1)                  // x[:, -1]
 *   x.idx('..., ::2')               // x[..., ::2]
 *   x.idx(mask)                     // x[mask]
 *   x.idx_put_([':', 0], 1)         // x[:, 0] = 1
 *   x.idx_put_(mask, torch.tensor([…]))
 * Out-of-range integers are a TorchError with libtorch's message ("index 5 is out of bounds for
 * dimension 0 with size 3"); items that are not indices are a TypeError.
 */
import { native } from './binding';
import { Tensor } from './tensor';
import { tensor } from './creation';
import { int64, bool as tbool } from './dtype';

/** A Python slice `start:stop:step`; omitted parts are null. */
export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {
    for (const [k, v] of [['start', start], ['stop', stop], ['step', step]] as const) {
      if (v !== null && v !== undefined && !Number.isInteger(v)) throw new TypeError(`slice ${k} must be an integer or null, got ${v}`);
    }
    if (step === 0) throw new RangeError('slice step cannot be zero');
  }
  toString(): string {
    const s = (v: number | null) => (v === null || v === undefined ? '' : String(v));
    return `${s(this.start)}:${s(this.stop)}${this.step === null ? '' : ':' + this.step}`;
  }
}

/**
 * torch.slice(stop) / torch.slice(start, stop, step?): Python's `slice` built-in, for indexing.
 * `torch.slice()` is `:`.
 */
export function slice(...args: (number | null | undefined)[]): Slice {
  if (args.length > 3) throw new TypeError(`slice expected at most 3 arguments, got ${args.length}`);
  const v = args.map((a) => (a === undefined ? null : a));
  if (v.length <= 1) return new Slice(null, v[0] ?? null, null);
  return new Slice(v[0], v[1], v[2] ?? null);
}

/** One item of an index (see the module documentation). */
export type IndexItem = number | bigint | boolean | null | string | Slice | Tensor | IndexArray;
/** A JS array used as an index: it becomes an int64 (numbers) or bool (booleans) tensor. */
export interface IndexArray extends Array<number | bigint | boolean | IndexArray> {}

const BAD = 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices';
const SLICE_RE = /^(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?)?$/;

function parseString(s: string, spec: (number | null)[]): void {
  const parts = s.split(',');
  // A trailing comma (`'0,'`) is a one-item tuple, as in Python.
  if (parts.length > 1 && parts[parts.length - 1].trim() === '') parts.pop();
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '...' || p === 'Ellipsis') spec.push(3);
    else if (p === 'None') spec.push(2);
    else if (p === 'True' || p === 'False') spec.push(5, p === 'True' ? 1 : 0);
    else if (/^-?\d+$/.test(p)) spec.push(0, checkInt(Number(p)));
    else {
      const m = SLICE_RE.exec(p);
      if (!m) throw new TypeError(`${BAD} (got the string '${p}')`);
      const step = m[3] === undefined ? null : Number(m[3]);
      if (step === 0) throw new RangeError('slice step cannot be zero');
      spec.push(1, m[1] === undefined ? null : Number(m[1]), m[2] === undefined ? null : Number(m[2]), step);
    }
  }
}

function checkInt(v: number): number {
  if (!Number.isSafeInteger(v)) throw new RangeError(`index ${v} does not fit in a safe integer`);
  return v;
}

function arrayKind(a: unknown): 'int' | 'bool' {
  let kind: 'int' | 'bool' | null = null;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    const k = typeof v === 'boolean' ? 'bool' : typeof v === 'number' || typeof v === 'bigint' ? 'int' : null;
    if (k === null) throw new TypeError(`${BAD} (an index array may hold only integers or only booleans, got ${v === null ? 'null' : typeof v})`);
    if (typeof v === 'number' && !Number.isInteger(v)) throw new TypeError(`${BAD} (got ${v} in an index array)`);
    if (kind !== null && kind !== k) throw new TypeError(`${BAD} (an index array may not mix booleans and integers)`);
    kind = k;
  };
  walk(a);
  return kind ?? 'int';
}

/**
 * @internal Encodes index items into the flat spec native code reads (native/tensor/indexing.cc).
 * Tensors made from JS arrays are pushed to `temps` (the caller disposes them).
 */
export function encodeIndex(items: IndexItem[], temps: Tensor[]): (number | null)[] {
  const spec: (number | null)[] = [];
  for (const it of items) {
    if (typeof it === 'number') {
      if (!Number.isInteger(it)) throw new TypeError(`${BAD} (got ${it})`);
      spec.push(0, checkInt(it));
    } else if (it === null) spec.push(2);
    else if (typeof it === 'string') parseString(it, spec);
    else if (it instanceof Slice) spec.push(1, it.start, it.stop, it.step);
    else if (it instanceof Tensor) spec.push(4, it._h);
    else if (typeof it === 'boolean') spec.push(5, it ? 1 : 0);
    else if (typeof it === 'bigint') spec.push(0, checkInt(Number(it)));
    else if (Array.isArray(it)) {
      const t = tensor(it, { dtype: arrayKind(it) === 'bool' ? tbool : int64 });
      temps.push(t);
      spec.push(4, t._h);
    } else throw new TypeError(`${BAD} (got ${it === undefined ? 'undefined' : typeof it})`);
  }
  return spec;
}

/** @internal x[items] */
export function getitem(t: Tensor, items: IndexItem[]): Tensor {
  const temps: Tensor[] = [];
  try {
    // x[()] is a view of the whole tensor, like x[...] (libtorch refuses an empty index list).
    const spec = items.length === 0 ? [3] : encodeIndex(items, temps);
    return new Tensor(native._index(t._h, spec));
  } finally {
    for (const x of temps) x.dispose();
  }
}

/** @internal x[items] = value */
export function setitem(t: Tensor, indices: IndexItem | IndexItem[], value: Tensor | number | boolean | bigint | unknown[]): void {
  // An array is the list of items: idx_put_([0, 2], v) is x[0, 2] = v, like x.idx(0, 2); an index
  // array must be wrapped: idx_put_([[0, 2]], v) is x[[0, 2]] = v.
  const items = Array.isArray(indices) ? (indices as IndexItem[]) : [indices];
  const temps: Tensor[] = [];
  try {
    const spec = encodeIndex(items, temps);
    if (value instanceof Tensor) native._index_put(t._h, spec, value._h, true);
    else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') native._index_put(t._h, spec, value, false);
    else if (Array.isArray(value)) {
      const v = tensor(value, { dtype: t.dtype, device: t.device.toString() });
      temps.push(v);
      native._index_put(t._h, spec, v._h, true);
    } else throw new TypeError(`idx_put_(): value must be a Tensor, a number, a boolean or an array, not ${value === null ? 'null' : typeof value}`);
  } finally {
    for (const x of temps) x.dispose();
  }
}

