/**
 * default_collate and default_convert (PyTorch 1.13's torch/utils/data/_utils/collate.py).
 *
 * How JS values are collated (a batch is an array of samples):
 * - Tensors: `torch.stack(batch, 0)`.
 * - Numbers: PyTorch collates Python ints to an int64 tensor and floats to a float64 tensor. JS has
 *   one number type, so the batch decides: int64 when every number is an integer, else float64.
 *   bigints give int64, booleans a bool tensor.
 * - Typed arrays (numpy arrays' counterpart): each becomes a tensor of its type, then stacked.
 * - Strings: the array of strings, unchanged.
 * - Plain objects: an object with each key collated; Maps likewise (a Map).
 * - Arrays (Python's lists and tuples): transposed, each position collated; all samples must have
 *   the same length.
 * Anything else (null, functions, class instances) is a TypeError naming the type.
 */
import { Tensor } from '../../../tensor';
import { tensor } from '../../../creation';
import { bool as tbool, float64, int64 } from '../../../dtype';
import { stack } from '../../../generated/ops';

const ERR = 'default_collate: batch must contain tensors, numbers, typed arrays, objects or arrays; found ';

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function isTyped(v: unknown): v is ArrayBufferView & ArrayLike<number | bigint> {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/**
 * Puts each data field of a batch (an array of samples) into a tensor with an outer batch
 * dimension (see the module comment for the rules).
 *
 * Example:
 *   default_collate([{x: t0, y: 1}, {x: t1, y: 2}])  // {x: stack([t0, t1]), y: tensor([1, 2], int64)}
 */
export function default_collate(batch: any[]): any {
  if (!Array.isArray(batch)) throw new TypeError(`default_collate expects an array (a batch of samples), got ${typeName(batch)}`);
  if (batch.length === 0) throw new RangeError('default_collate: empty batch');
  const elem = batch[0];
  if (elem instanceof Tensor) {
    for (const b of batch) if (!(b instanceof Tensor)) throw new TypeError(ERR + typeName(b) + ' among Tensors');
    return stack(batch, 0);
  }
  if (isTyped(elem)) return default_collate(batch.map((b) => (isTyped(b) ? tensor(b) : b)));
  if (typeof elem === 'number') {
    if (!batch.every((b) => typeof b === 'number')) throw new TypeError(ERR + 'mixed numbers and ' + typeName(batch.find((b) => typeof b !== 'number')));
    const ints = batch.every((b) => Number.isInteger(b));
    return tensor(batch, { dtype: ints ? int64 : float64 });
  }
  if (typeof elem === 'bigint') return tensor(BigInt64Array.from(batch.map((b) => BigInt(b))));
  if (typeof elem === 'boolean') return tensor(batch, { dtype: tbool });
  if (typeof elem === 'string') return batch;
  if (elem instanceof Map) {
    const out = new Map();
    for (const k of elem.keys()) out.set(k, default_collate(batch.map((d) => d.get(k))));
    return out;
  }
  if (isPlain(elem)) {
    const out: Record<string, any> = {};
    for (const k of Object.keys(elem)) {
      out[k] = default_collate(batch.map((d) => {
        if (d === null || typeof d !== 'object' || !(k in d)) throw new RangeError(`default_collate: a sample has no key '${k}'`);
        return d[k];
      }));
    }
    return out;
  }
  if (Array.isArray(elem)) {
    const n = elem.length;
    if (!batch.every((b) => Array.isArray(b) && b.length === n)) throw new RangeError('each element in list of batch should be of equal size');
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = default_collate(batch.map((b) => b[i]));
    return out;
  }
  throw new TypeError(ERR + typeName(elem));
}

/**
 * Converts typed arrays in a sample to tensors (recursively through arrays and objects); used
 * when the DataLoader does not batch (batch_size null).
 */
export function default_convert(data: any): any {
  if (data instanceof Tensor) return data;
  if (isTyped(data)) return tensor(data as any);
  if (data instanceof Map) return new Map([...data].map(([k, v]) => [k, default_convert(v)]));
  if (isPlain(data)) return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, default_convert(v)]));
  if (Array.isArray(data)) return data.map(default_convert);
  return data;
}
