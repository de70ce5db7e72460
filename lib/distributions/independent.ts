/** torch.distributions.Independent(base_distribution, reinterpreted_batch_ndims) */
import { Tensor } from '../tensor';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { NotImplementedError, Size, _sum_rightmost, parseArgs } from './utils';

/**
 * Reinterprets the rightmost `reinterpreted_batch_ndims` batch dims of a distribution as event
 * dims: log_prob sums over them.
 *
 * Example:
 *   const normal = new Normal(torch.zeros(3), torch.ones(3));          // batch_shape [3]
 *   const diagn = new Independent(normal, 1);                          // event_shape [3]
 */
export class Independent extends Distribution {
  base_dist!: Distribution;
  reinterpreted_batch_ndims!: number;
  constructor(base_distribution: Distribution, reinterpreted_batch_ndims: number, options?: DistOptions);
  constructor(options: { base_distribution: Distribution; reinterpreted_batch_ndims: number } & DistOptions);
  constructor(...args: any[]) {
    super();
    const a = parseArgs('Independent', ['base_distribution', 'reinterpreted_batch_ndims', 'validate_args'], args);
    const base = a.base_distribution as Distribution;
    const n = a.reinterpreted_batch_ndims as number;
    if (!(base instanceof Distribution)) throw new TypeError('Independent(): base_distribution must be a Distribution');
    if (n > base.batch_shape.length) {
      throw new RangeError(`Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual ${n} vs ${base.batch_shape.length}`);
    }
    const shape = [...base.batch_shape, ...base.event_shape];
    const event_dim = n + base.event_shape.length;
    this.base_dist = base;
    this.reinterpreted_batch_ndims = n;
    this._init(shape.slice(0, shape.length - event_dim), shape.slice(shape.length - event_dim), a.validate_args);
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return {};
  }
  expand(batch_shape: Size, _instance?: Distribution): Independent {
    const n = this._new_instance(Independent, _instance);
    n.base_dist = this.base_dist.expand([...batch_shape, ...this.event_shape.slice(0, this.reinterpreted_batch_ndims)]);
    n.reinterpreted_batch_ndims = this.reinterpreted_batch_ndims;
    Distribution._init_expanded(n, batch_shape, this.event_shape, this._validate_args);
    return n;
  }
  get has_rsample(): boolean {
    return this.base_dist.has_rsample;
  }
  get has_enumerate_support(): boolean {
    if (this.reinterpreted_batch_ndims > 0) return false;
    return this.base_dist.has_enumerate_support;
  }
  get support(): constraints.Constraint {
    let result = this.base_dist.support;
    if (this.reinterpreted_batch_ndims) result = constraints.independent(result, this.reinterpreted_batch_ndims);
    return result;
  }
  get mean(): Tensor {
    return this.base_dist.mean;
  }
  get mode(): Tensor {
    return this.base_dist.mode;
  }
  get variance(): Tensor {
    return this.base_dist.variance;
  }
  sample(sample_shape: Size = []): Tensor {
    return this.base_dist.sample(sample_shape);
  }
  rsample(sample_shape: Size = []): Tensor {
    return this.base_dist.rsample(sample_shape);
  }
  log_prob(value: Tensor): Tensor {
    return _sum_rightmost(this.base_dist.log_prob(value), this.reinterpreted_batch_ndims);
  }
  entropy(): Tensor {
    return _sum_rightmost(this.base_dist.entropy(), this.reinterpreted_batch_ndims);
  }
  enumerate_support(expand = true): Tensor {
    if (this.reinterpreted_batch_ndims > 0) throw new NotImplementedError('Enumeration over cartesian product is not implemented');
    return this.base_dist.enumerate_support(expand);
  }
  repr(): string {
    return `Independent(${this.base_dist.repr()}, ${this.reinterpreted_batch_ndims})`;
  }
}
