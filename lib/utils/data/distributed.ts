/**
 * torch.utils.data.distributed.DistributedSampler: each of `num_replicas` processes iterates over
 * its own share of the dataset's indices. With shuffle, the permutation is torch.randperm with a
 * CPU generator seeded `seed + epoch` — the same indices PyTorch gives.
 */
import { native } from '../../binding';
import * as dist from '../../distributed';
import { Sampler } from './sampler';

/** Anything with a length: an array, a Dataset with `length`, `len()` or `__len__()`. */
export type Sized = { length: number } | { len(): number } | { __len__(): number };

function sizeOf(ds: any): number {
  if (ds === null || ds === undefined) throw new TypeError('DistributedSampler: dataset must have a length');
  if (typeof ds.__len__ === 'function') return ds.__len__();
  if (typeof ds.len === 'function') return ds.len();
  if (typeof ds.length === 'number') return ds.length;
  throw new TypeError('DistributedSampler: dataset must have a length (length, len() or __len__())');
}

/**
 * Restricts data loading to a subset of the dataset, for DistributedDataParallel.
 *
 * Args:
 *   dataset: the dataset (only its length is used).
 *   num_replicas: the number of processes (default: dist.get_world_size()).
 *   rank: this process's rank (default: dist.get_rank()).
 *   shuffle: shuffle the indices each epoch (default true).
 *   seed: the shuffling seed, the same on every process (default 0).
 *   drop_last: drop the tail so that every replica gets as many samples; otherwise pad by
 *     repeating indices (default false).
 *
 * Example:
 *   const sampler = new DistributedSampler(dataset, {shuffle: true});
 *   for (let epoch = 0; epoch < n; epoch++) { sampler.set_epoch(epoch); for (const i of sampler) … }
 */
export class DistributedSampler extends Sampler<number> {
  readonly dataset: Sized;
  readonly num_replicas: number;
  readonly rank: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly drop_last: boolean;
  readonly num_samples: number;
  readonly total_size: number;
  epoch = 0;

  constructor(
    dataset: Sized,
    options: { num_replicas?: number | null; rank?: number | null; shuffle?: boolean; seed?: number; drop_last?: boolean } = {},
  ) {
    super();
    for (const k of Object.keys(options)) {
      if (!['num_replicas', 'rank', 'shuffle', 'seed', 'drop_last'].includes(k)) {
        throw new TypeError(`DistributedSampler() got an unexpected keyword argument '${k}'`);
      }
    }
    let { num_replicas, rank } = options;
    if (num_replicas === undefined || num_replicas === null) {
      if (!dist.is_available()) throw new Error('Requires distributed package to be available');
      num_replicas = dist.get_world_size();
    }
    if (rank === undefined || rank === null) {
      if (!dist.is_available()) throw new Error('Requires distributed package to be available');
      rank = dist.get_rank();
    }
    if (!Number.isInteger(num_replicas) || num_replicas < 1) throw new RangeError(`num_replicas must be a positive integer, got ${num_replicas}`);
    if (!Number.isInteger(rank) || rank >= num_replicas || rank < 0) {
      throw new RangeError(`Invalid rank ${rank}, rank should be in the interval [0, ${num_replicas - 1}]`);
    }
    this.dataset = dataset;
    this.num_replicas = num_replicas;
    this.rank = rank;
    this.shuffle = options.shuffle ?? true;
    this.seed = options.seed ?? 0;
    this.drop_last = options.drop_last ?? false;
    if (!Number.isInteger(this.seed)) throw new TypeError('seed must be an integer');
    const n = sizeOf(dataset);
    if (this.drop_last && n % num_replicas !== 0) this.num_samples = Math.ceil((n - num_replicas) / num_replicas) + 0; // never -0
    else this.num_samples = Math.ceil(n / num_replicas);
    this.total_size = this.num_samples * num_replicas;
  }

  /** This replica's indices for the current epoch. */
  indices(): number[] {
    const n = sizeOf(this.dataset);
    let idx: number[];
    if (this.shuffle) idx = Array.from(native._dist_randperm(n, this.seed + this.epoch) as BigInt64Array, Number);
    else idx = Array.from({ length: n }, (_, i) => i);
    if (!this.drop_last) {
      const pad = this.total_size - idx.length;
      if (pad <= idx.length) idx = idx.concat(idx.slice(0, pad));
      else {
        let rep: number[] = [];
        for (let k = 0; k < Math.ceil(pad / idx.length); k++) rep = rep.concat(idx);
        idx = idx.concat(rep.slice(0, pad));
      }
    } else {
      idx = idx.slice(0, this.total_size);
    }
    const out: number[] = [];
    for (let i = this.rank; i < this.total_size; i += this.num_replicas) out.push(idx[i]);
    return out;
  }

  override [Symbol.iterator](): Iterator<number> {
    return this.indices()[Symbol.iterator]();
  }

  /** The number of samples this replica yields per epoch (Python's len(sampler)). */
  get length(): number {
    return this.num_samples;
  }
  __len__(): number {
    return this.num_samples;
  }

  /** Sets the epoch: with shuffle, each epoch gets another permutation (the same on every replica). */
  set_epoch(epoch: number): void {
    if (!Number.isInteger(epoch)) throw new TypeError('epoch must be an integer');
    this.epoch = epoch;
  }
}
