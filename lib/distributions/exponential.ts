/** torch.distributions.Exponential(rate) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import * as constraints from './constraints';
import { DistOptions, Distribution, ExponentialFamily } from './distribution';
import { Size, TensorOrNumber, broadcast_all, parseArgs } from './utils';

/**
 * Example:
 *   const m = new torch.distributions.Exponential(torch.tensor([1.0]));
 *   m.sample()  // Exponential distributed with rate=1
 */
export class Exponential extends ExponentialFamily {
  rate!: Tensor;
  constructor(rate: TensorOrNumber, options?: DistOptions);
  constructor(options: { rate: TensorOrNumber } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { rate, validate_args } = parseArgs('Exponential', ['rate', 'validate_args'], args);
    [this.rate] = broadcast_all(rate);
    this._init(typeof rate === 'number' ? [] : this.rate.shape, [], validate_args);
  }
  get arg_constraints() {
    return { rate: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.nonnegative;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): Exponential {
    return this._expand_params(Exponential, batch_shape, ['rate'], _instance);
  }
  get mean(): Tensor {
    return this.rate.reciprocal();
  }
  get mode(): Tensor {
    return ops.zeros_like(this.rate);
  }
  get stddev(): Tensor {
    return this.rate.reciprocal();
  }
  get variance(): Tensor {
    return this.rate.pow(-2);
  }
  rsample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    return ops.empty(shape, { dtype: this.rate.dtype, device: this.rate.device }).exponential_().div(this.rate);
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return this.rate.log().sub(this.rate.mul(value));
  }
  cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return ops.exp(this.rate.neg().mul(value)).neg().add(1);
  }
  icdf(value: Tensor): Tensor {
    return ops.log(value.neg().add(1)).neg().div(this.rate);
  }
  entropy(): Tensor {
    return ops.log(this.rate).neg().add(1.0);
  }
  get _natural_params(): Tensor[] {
    return [this.rate.neg()];
  }
  _log_normalizer(x: Tensor): Tensor {
    return ops.log(x.neg()).neg();
  }
}
