/** torch.distributions.Poisson(rate) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { no_grad } from '../autograd/grad_mode';
import * as constraints from './constraints';
import { DistOptions, Distribution, ExponentialFamily } from './distribution';
import { Size, TensorOrNumber, broadcast_all, parseArgs } from './utils';

/**
 * Example:
 *   const m = new torch.distributions.Poisson(torch.tensor([4]));
 *   m.sample()  // e.g. tensor([ 3.])
 */
export class Poisson extends ExponentialFamily {
  rate!: Tensor;
  constructor(rate: TensorOrNumber, options?: DistOptions);
  constructor(options: { rate: TensorOrNumber } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { rate, validate_args } = parseArgs('Poisson', ['rate', 'validate_args'], args);
    [this.rate] = broadcast_all(rate);
    this._init(typeof rate === 'number' ? [] : this.rate.shape, [], validate_args);
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { rate: constraints.nonnegative };
  }
  get support(): constraints.Constraint {
    return constraints.nonnegative_integer;
  }
  expand(batch_shape: Size, _instance?: Distribution): Poisson {
    return this._expand_params(Poisson, batch_shape, ['rate'], _instance);
  }
  get mean(): Tensor {
    return this.rate;
  }
  get mode(): Tensor {
    return this.rate.floor();
  }
  get variance(): Tensor {
    return this.rate;
  }
  sample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    return no_grad(() => ops.poisson(this.rate.expand(shape)));
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const [rate, v] = broadcast_all(this.rate, value);
    return v.xlogy(rate).sub(rate).sub(v.add(1).lgamma());
  }
  get _natural_params(): Tensor[] {
    return [ops.log(this.rate)];
  }
  _log_normalizer(x: Tensor): Tensor {
    return ops.exp(x);
  }
}
