/**
 * torch.utils.data samplers (PyTorch 1.13's torch/utils/data/sampler.py): they draw from the same
 * libtorch generators with the same calls (randperm, randint, multinomial, and RandomSampler's
 * seed drawn with `torch.empty((), dtype=torch.int64).random_()`), so a seeded run visits the
 * indices in PyTorch's order.
 */
import { Tensor } from '../../tensor';
import { int64, float64 } from '../../dtype';
import { empty, randperm, randint, multinomial } from '../../generated/ops';
import { tensor } from '../../creation';
import { Generator } from '../../random';
import { len, MapDataset, ownLen, setOwnLength } from './dataset';

function opts(args: any[], names: string[], defaults: Record<string, any>, fname: string): Record<string, any> {
  const out: Record<string, any> = { ...defaults };
  let pos = args;
  while (pos.length && pos[pos.length - 1] === undefined) pos = pos.slice(0, -1);
  const last = pos[pos.length - 1];
  if (pos.length && last !== null && typeof last === 'object' && Object.getPrototypeOf(last) === Object.prototype) {
    pos = pos.slice(0, -1);
    for (const k of Object.keys(last)) {
      if (!names.includes(k)) throw new TypeError(`${fname}() got an unexpected keyword argument '${k}'`);
      if (last[k] !== undefined) out[k] = last[k];
    }
  }
  if (pos.length > names.length) throw new TypeError(`${fname}() takes at most ${names.length} arguments`);
  pos.forEach((v, i) => {
    if (v !== undefined) out[names[i]] = v;
  });
  return out;
}

function checkGenerator(g: unknown, fname: string): Generator | null {
  if (g === null || g === undefined) return null;
  if (!(g instanceof Generator)) throw new TypeError(`${fname}: generator must be a torch.Generator`);
  return g;
}

/** Base class of samplers: iterables of indices (or of index lists, for batch samplers). */
export class Sampler<T = number> {
  constructor(_data_source?: unknown) {}
  [Symbol.iterator](): Iterator<T> {
    throw new Error(`${this.constructor.name} must implement [Symbol.iterator]()`);
  }
  /** Python's `len(sampler)`: `__len__()`. */
  get length(): number {
    return ownLen(this);
  }
  set length(n: number) {
    setOwnLength(this, n);
  }
}

/** Samples elements sequentially, always in the same order. */
export class SequentialSampler extends Sampler<number> {
  readonly data_source: MapDataset;
  constructor(data_source: MapDataset) {
    super();
    this.data_source = data_source;
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = len(this.data_source);
    for (let i = 0; i < n; i++) yield i;
  }
  __len__(): number {
    return len(this.data_source);
  }
}

/**
 * Samples elements randomly: a permutation (without replacement), or `num_samples` draws with
 * replacement.
 *
 * Args:
 *   data_source (Dataset): the dataset to sample from.
 *   replacement (boolean): draw with replacement (default: false).
 *   num_samples (number): how many to draw (default: len(dataset)).
 *   generator (Generator): the generator (default: a fresh one seeded from the default generator
 *     at each iteration, as PyTorch does).
 */
export class RandomSampler extends Sampler<number> {
  readonly data_source: MapDataset;
  readonly replacement: boolean;
  readonly _num_samples: number | null;
  generator: Generator | null;
  constructor(data_source: MapDataset, ...args: any[]) {
    super();
    const o = opts(args, ['replacement', 'num_samples', 'generator'], { replacement: false, num_samples: null, generator: null }, 'RandomSampler');
    this.data_source = data_source;
    this.replacement = o.replacement;
    this._num_samples = o.num_samples;
    this.generator = checkGenerator(o.generator, 'RandomSampler');
    if (typeof this.replacement !== 'boolean') throw new TypeError(`replacement should be a boolean value, but got replacement=${this.replacement}`);
    const ns = this.num_samples;
    if (!Number.isInteger(ns) || ns <= 0) throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${ns}`);
  }
  get num_samples(): number {
    return this._num_samples === null ? len(this.data_source) : this._num_samples;
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = len(this.data_source);
    let generator: Generator;
    if (this.generator === null) {
      const t = empty([], { dtype: int64 }).random_();
      const seed = (t.to_typed_array() as BigInt64Array)[0];
      t.dispose();
      generator = new Generator();
      generator.manual_seed(seed);
    } else {
      generator = this.generator;
    }
    const num_samples = this.num_samples;
    const draw = (t: Tensor): number[] => {
      const l = t.tolist();
      t.dispose();
      return l;
    };
    if (this.replacement) {
      for (let k = 0; k < Math.floor(num_samples / 32); k++) yield* draw(randint(n, [32], { dtype: int64, generator }));
      yield* draw(randint(n, [num_samples % 32], { dtype: int64, generator }));
    } else {
      for (let k = 0; k < Math.floor(num_samples / n); k++) yield* draw(randperm(n, { generator }));
      yield* draw(randperm(n, { generator })).slice(0, num_samples % n);
    }
  }
  __len__(): number {
    return this.num_samples;
  }
}

/**
 * Samples elements randomly from a given list of indices, without replacement.
 *
 * Args:
 *   indices (number[]): a sequence of indices.
 *   generator (Generator): the generator (default: the default generator).
 */
export class SubsetRandomSampler extends Sampler<number> {
  readonly indices: number[];
  generator: Generator | null;
  constructor(indices: ArrayLike<number>, ...args: any[]) {
    super();
    const o = opts(args, ['generator'], { generator: null }, 'SubsetRandomSampler');
    this.indices = Array.from(indices);
    this.generator = checkGenerator(o.generator, 'SubsetRandomSampler');
  }
  *[Symbol.iterator](): Iterator<number> {
    const p = randperm(this.indices.length, { generator: this.generator });
    const order: number[] = p.tolist();
    p.dispose();
    for (const i of order) yield this.indices[i];
  }
  __len__(): number {
    return this.indices.length;
  }
}

/**
 * Samples elements from [0, len(weights)) with the given probabilities (weights).
 *
 * Args:
 *   weights (number[] | Tensor): the weights (need not sum to one).
 *   num_samples (number): number of samples to draw.
 *   replacement (boolean): draw with replacement (default: true).
 *   generator (Generator): the generator (default: the default generator).
 */
export class WeightedRandomSampler extends Sampler<number> {
  readonly weights: Tensor;
  readonly num_samples: number;
  readonly replacement: boolean;
  generator: Generator | null;
  constructor(weights: ArrayLike<number> | Tensor, ...args: any[]) {
    super();
    const o = opts(args, ['num_samples', 'replacement', 'generator'], { replacement: true, generator: null }, 'WeightedRandomSampler');
    if (!Number.isInteger(o.num_samples) || typeof o.num_samples === 'boolean' || o.num_samples <= 0) {
      throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${o.num_samples}`);
    }
    if (typeof o.replacement !== 'boolean') throw new RangeError(`replacement should be a boolean value, but got replacement=${o.replacement}`);
    const w = weights instanceof Tensor ? weights.to(float64) : tensor(Array.from(weights as ArrayLike<number>), { dtype: float64 });
    if (w.dim() !== 1) throw new RangeError(`weights should be a 1d sequence but given weights have shape (${w.shape.join(', ')})`);
    this.weights = w;
    this.num_samples = o.num_samples;
    this.replacement = o.replacement;
    this.generator = checkGenerator(o.generator, 'WeightedRandomSampler');
  }
  *[Symbol.iterator](): Iterator<number> {
    const t = multinomial(this.weights, this.num_samples, this.replacement, { generator: this.generator });
    const l: number[] = t.tolist();
    t.dispose();
    yield* l;
  }
  __len__(): number {
    return this.num_samples;
  }
}

/**
 * Wraps a sampler to yield lists of indices (mini-batches).
 *
 * Args:
 *   sampler (Sampler | Iterable<number>): the base sampler.
 *   batch_size (number): size of a mini-batch.
 *   drop_last (boolean): drop the last batch when it is smaller than batch_size.
 *
 * Example:
 *   [...new BatchSampler(new SequentialSampler(range10), 3, false)]  // [[0,1,2],[3,4,5],[6,7,8],[9]]
 */
export class BatchSampler extends Sampler<number[]> {
  readonly sampler: Iterable<number>;
  readonly batch_size: number;
  readonly drop_last: boolean;
  constructor(sampler: Iterable<number>, ...args: any[]) {
    super();
    const o = opts(args, ['batch_size', 'drop_last'], {}, 'BatchSampler');
    if (!Number.isInteger(o.batch_size) || typeof o.batch_size === 'boolean' || o.batch_size <= 0) {
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${o.batch_size}`);
    }
    if (typeof o.drop_last !== 'boolean') throw new RangeError(`drop_last should be a boolean value, but got drop_last=${o.drop_last}`);
    if (sampler === null || sampler === undefined || typeof (sampler as any)[Symbol.iterator] !== 'function') throw new TypeError('BatchSampler: sampler must be iterable');
    this.sampler = sampler;
    this.batch_size = o.batch_size;
    this.drop_last = o.drop_last;
  }
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const idx of this.sampler) {
      batch.push(idx);
      if (batch.length === this.batch_size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.drop_last) yield batch;
  }
  __len__(): number {
    const n = len(this.sampler);
    return this.drop_last ? Math.floor(n / this.batch_size) : Math.floor((n + this.batch_size - 1) / this.batch_size);
  }
}
