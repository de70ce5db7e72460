/** torch.distributions.Uniform(low, high): uniform on the half-open interval [low, high). */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { Size, TensorOrNumber, broadcast_all, parseArgs } from './utils';

/**
 * Example:
 *   const m = new torch.distributions.Uniform(torch.tensor([0.0]), torch.tensor([5.0]));
 *   m.sample()  // uniformly distributed in the range [0.0, 5.0)
 */
export class Uniform extends Distribution {
  low!: Tensor;
  high!: Tensor;
  constructor(low: TensorOrNumber, high: TensorOrNumber, options?: DistOptions);
  constructor(options: { low: TensorOrNumber; high: TensorOrNumber } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { low, high, validate_args } = parseArgs('Uniform', ['low', 'high', 'validate_args'], args);
    [this.low, this.high] = broadcast_all(low, high);
    this._init(typeof low === 'number' && typeof high === 'number' ? [] : this.low.shape, [], validate_args);
    if (this._validate_args && !ops.lt(this.low, this.high).all().item()) throw new RangeError('Uniform is not defined when low>= high');
  }
  get arg_constraints() {
    return { low: constraints.dependent.call({ is_discrete: false, event_dim: 0 }), high: constraints.dependent.call({ is_discrete: false, event_dim: 0 }) };
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): Uniform {
    return this._expand_params(Uniform, batch_shape, ['low', 'high'], _instance);
  }
  get support(): constraints.Constraint {
    return constraints.interval(this.low, this.high);
  }
  get mean(): Tensor {
    return this.high.add(this.low).div(2);
  }
  get mode(): Tensor {
    return this.high.mul(NaN);
  }
  get stddev(): Tensor {
    return this.high.sub(this.low).div(12 ** 0.5);
  }
  get variance(): Tensor {
    return this.high.sub(this.low).pow(2).div(12);
  }
  rsample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const rand = ops.rand(shape, { dtype: this.low.dtype, device: this.low.device });
    return this.low.add(rand.mul(this.high.sub(this.low)));
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const lb = this.low.le(value).to(this.low.dtype);
    const ub = this.high.gt(value).to(this.low.dtype);
    return ops.log(lb.mul(ub)).sub(ops.log(this.high.sub(this.low)));
  }
  cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return value.sub(this.low).div(this.high.sub(this.low)).clamp({ min: 0, max: 1 });
  }
  icdf(value: Tensor): Tensor {
    return value.mul(this.high.sub(this.low)).add(this.low);
  }
  entropy(): Tensor {
    return ops.log(this.high.sub(this.low));
  }
}
