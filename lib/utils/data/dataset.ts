/**
 * torch.utils.data datasets: Dataset, IterableDataset, TensorDataset, ConcatDataset, ChainDataset,
 * Subset and random_split (PyTorch 1.13's torch/utils/data/dataset.py).
 *
 * Map-style datasets implement `__getitem__(index)` and `__len__()` (PyTorch's protocol, spelled as
 * PyTorch spells it). Plain JS arrays (and typed arrays) work as map-style datasets too. An item may
 * be a Promise (an async `__getitem__`): `for await` over a DataLoader awaits and prefetches such
 * items concurrently. Iterable datasets implement `[Symbol.iterator]()` or
 * `[Symbol.asyncIterator]()` (or `__iter__()`).
 */
import { Tensor } from '../../tensor';
import { randperm } from '../../generated/ops';
import { Generator, default_generator } from '../../random';

/** Anything usable as a map-style dataset. */
export type MapDataset<T = any> = Dataset<T> | ArrayLike<T> | { __getitem__(index: number): T; __len__(): number };

/**
 * An abstract map-style dataset: subclasses implement `__getitem__(index)` (which may return a
 * Promise) and usually `__len__()`.
 *
 * Example:
 *   class Squares extends Dataset<number> {
 *     __getitem__(i: number) { return i * i; }
 *     __len__() { return 10; }
 *   }
 */
export class Dataset<T = any> {
  __getitem__(_index: number): T | Promise<T> {
    throw new Error(`${this.constructor.name}.__getitem__ is not implemented`);
  }
  /** Python's `len(dataset)`: `__len__()` (the JS spelling the library uses for every `__len__`). */
  get length(): number {
    return ownLen(this);
  }
  set length(n: number) {
    setOwnLength(this, n);
  }
  /** `dataset + other` of PyTorch: a ConcatDataset of both. */
  __add__(other: MapDataset<T>): ConcatDataset<T> {
    return new ConcatDataset([this, other]);
  }
}

/**
 * An abstract iterable-style dataset (a stream): subclasses implement `[Symbol.iterator]()`,
 * `[Symbol.asyncIterator]()` or `__iter__()`.
 *
 * Example:
 *   class Range extends IterableDataset<number> {
 *     *[Symbol.iterator]() { for (let i = 0; i < 5; i++) yield i; }
 *   }
 */
export class IterableDataset<T = any> extends Dataset<T> {
  __iter__(): Iterator<T> | AsyncIterator<T> {
    const self = this as any;
    if (typeof self[Symbol.iterator] === 'function') return self[Symbol.iterator]();
    if (typeof self[Symbol.asyncIterator] === 'function') return self[Symbol.asyncIterator]();
    throw new Error(`${this.constructor.name} must implement [Symbol.iterator]() or __iter__()`);
  }
  /** `dataset + other`: a ChainDataset. */
  __add__(other: any): any {
    return new ChainDataset([this, other]);
  }
}

/** @internal Whether `d` is an iterable-style dataset. */
export function isIterableDataset(d: unknown): boolean {
  return d instanceof IterableDataset;
}

/** @internal The `length` getter of datasets and samplers: `__len__()`, or Python's TypeError. */
export function ownLen(self: any): number {
  if (typeof self.__len__ === 'function') return self.__len__();
  throw new TypeError(`object of type '${self.constructor?.name ?? typeof self}' has no len()`);
}

/** @internal The `length` setter: a subclass may keep its length as a plain property (`this.length = n`). */
export function setOwnLength(self: object, n: number): void {
  Object.defineProperty(self, 'length', { value: n, writable: true, enumerable: true, configurable: true });
}

/** @internal len(dataset) */
export function len(d: any): number {
  if (d === null || d === undefined) throw new TypeError('object of type NoneType has no len()');
  if (typeof d.__len__ === 'function') return d.__len__();
  if (typeof d.length === 'number') return d.length;
  throw new TypeError(`object of type '${d.constructor?.name ?? typeof d}' has no len()`);
}

/** @internal dataset[index] */
export function getitem(d: any, index: number): any {
  if (typeof d.__getitem__ === 'function') return d.__getitem__(index);
  if (typeof d.length === 'number') {
    if (!Number.isInteger(index)) throw new TypeError(`dataset index must be an integer, got ${index}`);
    const n = d.length;
    const i = index < 0 ? index + n : index;
    if (i < 0 || i >= n) throw new RangeError(`index ${index} is out of range for a dataset of length ${n}`);
    return d[i];
  }
  throw new TypeError(`'${d.constructor?.name ?? typeof d}' object is not subscriptable`);
}

/**
 * A dataset wrapping tensors: sample i is `[t[i] for t in tensors]`.
 *
 * Args:
 *   ...tensors (Tensor): tensors that have the same size of the first dimension.
 *
 * Example:
 *   const ds = new TensorDataset(images, labels);
 *   const [x, y] = ds.__getitem__(0);
 */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];
  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new TypeError('TensorDataset needs at least one tensor');
    for (const t of tensors) if (!(t instanceof Tensor)) throw new TypeError('TensorDataset: every argument must be a Tensor');
    for (const t of tensors) if (t.dim() === 0) throw new RangeError('TensorDataset: tensors must have at least one dimension');
    const n = tensors[0].size(0);
    if (!tensors.every((t) => t.size(0) === n)) throw new RangeError('Size mismatch between tensors');
    this.tensors = tensors;
  }
  __getitem__(index: number): Tensor[] {
    if (!Number.isInteger(index)) throw new TypeError(`TensorDataset index must be an integer, got ${index}`);
    const n = this.__len__();
    if (index < -n || index >= n) throw new RangeError(`index ${index} is out of bounds for dimension 0 with size ${n}`);
    return this.tensors.map((t) => t.select(0, index));
  }
  __len__(): number {
    return this.tensors[0].size(0);
  }
}

/**
 * The concatenation of several map-style datasets.
 *
 * Args:
 *   datasets (Dataset[]): the datasets to concatenate.
 */
export class ConcatDataset<T = any> extends Dataset<T> {
  readonly datasets: MapDataset<T>[];
  readonly cumulative_sizes: number[];
  static cumsum(sequence: any[]): number[] {
    const r: number[] = [];
    let s = 0;
    for (const e of sequence) {
      const l = len(e);
      r.push(l + s);
      s += l;
    }
    return r;
  }
  constructor(datasets: Iterable<MapDataset<T>>) {
    super();
    this.datasets = Array.from(datasets);
    if (this.datasets.length === 0) throw new RangeError('datasets should not be an empty iterable');
    for (const d of this.datasets) if (isIterableDataset(d)) throw new TypeError('ConcatDataset does not support IterableDataset');
    this.cumulative_sizes = ConcatDataset.cumsum(this.datasets);
  }
  __len__(): number {
    return this.cumulative_sizes[this.cumulative_sizes.length - 1];
  }
  __getitem__(idx: number): T {
    if (idx < 0) {
      if (-idx > this.__len__()) throw new RangeError('absolute value of index should not exceed dataset length');
      idx = this.__len__() + idx;
    }
    // bisect_right(cumulative_sizes, idx)
    let lo = 0, hi = this.cumulative_sizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (idx < this.cumulative_sizes[mid]) hi = mid;
      else lo = mid + 1;
    }
    const dataset_idx = lo;
    if (dataset_idx >= this.datasets.length) throw new RangeError(`index ${idx} is out of range`);
    const sample_idx = dataset_idx === 0 ? idx : idx - this.cumulative_sizes[dataset_idx - 1];
    return getitem(this.datasets[dataset_idx], sample_idx);
  }
}

/** Chains iterable datasets (streams) one after the other. */
export class ChainDataset<T = any> extends IterableDataset<T> {
  readonly datasets: Iterable<any>;
  constructor(datasets: Iterable<any>) {
    super();
    this.datasets = datasets;
  }
  *[Symbol.iterator](): Iterator<T> {
    for (const d of this.datasets) {
      if (!isIterableDataset(d)) throw new TypeError('ChainDataset only supports IterableDataset');
      const it = (d as IterableDataset<T>).__iter__() as Iterator<T>;
      if (typeof it.next !== 'function' || (it as any)[Symbol.asyncIterator]) throw new TypeError('ChainDataset: use async datasets with for await');
      for (let r = it.next(); !r.done; r = it.next()) yield r.value;
    }
  }
  __len__(): number {
    let total = 0;
    for (const d of this.datasets) {
      if (!isIterableDataset(d)) throw new TypeError('ChainDataset only supports IterableDataset');
      total += len(d);
    }
    return total;
  }
}

/**
 * The subset of a dataset at the given indices.
 *
 * Args:
 *   dataset (Dataset): the whole dataset.
 *   indices (number[]): the indices selected for the subset.
 */
export class Subset<T = any> extends Dataset<T> {
  readonly dataset: MapDataset<T>;
  readonly indices: number[];
  constructor(dataset: MapDataset<T>, indices: ArrayLike<number>) {
    super();
    this.dataset = dataset;
    this.indices = Array.from(indices);
  }
  __getitem__(idx: number): T {
    const n = this.indices.length;
    const i = idx < 0 ? idx + n : idx;
    if (!Number.isInteger(idx) || i < 0 || i >= n) throw new RangeError(`list index out of range: ${idx}`);
    return getitem(this.dataset, this.indices[i]);
  }
  __len__(): number {
    return this.indices.length;
  }
}

function isclose(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(1e-9 * Math.max(Math.abs(a), Math.abs(b)), 0);
}

/**
 * Randomly splits a dataset into non-overlapping subsets of the given lengths (or fractions that
 * sum to 1: floor(frac * len) each, the remainder spread one by one round-robin). The permutation
 * is `torch.randperm(n, {generator})`, so a seeded generator gives PyTorch's split.
 *
 * Args:
 *   dataset (Dataset): the dataset to split.
 *   lengths (number[]): lengths or fractions of the splits.
 *   generator (Generator): the generator of the permutation (default: torch.default_generator).
 *
 * Example:
 *   const [train, test] = random_split(ds, [0.8, 0.2], new torch.Generator().manual_seed(42));
 */
export function random_split<T>(dataset: MapDataset<T>, lengths: number[], generator?: Generator | { generator?: Generator | null } | null): Subset<T>[] {
  if (generator !== null && generator !== undefined && !(generator instanceof Generator) && typeof generator === 'object') generator = generator.generator;
  const gen = (generator ?? default_generator) as Generator;
  if (!(gen instanceof Generator)) throw new TypeError('random_split(): generator must be a torch.Generator');
  if (!Array.isArray(lengths) || !lengths.every((x) => typeof x === 'number')) throw new TypeError('random_split(): lengths must be an array of numbers');
  const n = len(dataset);
  const total = lengths.reduce((a, b) => a + b, 0);
  if (isclose(total, 1) && total <= 1) {
    const subset_lengths: number[] = [];
    lengths.forEach((frac, i) => {
      if (frac < 0 || frac > 1) throw new RangeError(`Fraction at index ${i} is not between 0 and 1`);
      subset_lengths.push(Math.floor(n * frac));
    });
    const remainder = n - subset_lengths.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) subset_lengths[i % subset_lengths.length] += 1;
    lengths = subset_lengths;
    lengths.forEach((l, i) => {
      if (l === 0) process.emitWarning(`Length of split at index ${i} is 0. This might result in an empty dataset.`, 'UserWarning');
    });
  }
  if (!lengths.every((l) => Number.isInteger(l) && l >= 0)) throw new RangeError('random_split(): lengths must be non-negative integers (or fractions summing to 1)');
  const sum = lengths.reduce((a, b) => a + b, 0);
  if (sum !== n) throw new RangeError('Sum of input lengths does not equal the length of the input dataset!');
  const perm = randperm(sum, { generator: gen });
  const indices: number[] = perm.tolist();
  perm.dispose();
  const out: Subset<T>[] = [];
  let offset = 0;
  for (const length of lengths) {
    offset += length;
    out.push(new Subset(dataset, indices.slice(offset - length, offset)));
  }
  return out;
}
