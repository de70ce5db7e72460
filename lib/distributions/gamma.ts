/** torch.distributions.Gamma(concentration, rate) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { finfo } from '../type_info';
import { no_grad } from '../autograd/grad_mode';
import * as constraints from './constraints';
import { DistOptions, Distribution, ExponentialFamily } from './distribution';
import { Size, TensorOrNumber, broadcast_all, parseArgs } from './utils';

/**
 * Gamma distribution with shape `concentration` and `rate`. rsample is reparameterized through
 * ATen's `_standard_gamma` (its derivative is `_standard_gamma_grad`).
 *
 * Example:
 *   const m = new torch.distributions.Gamma(torch.tensor([1.0]), torch.tensor([1.0]));
 *   m.sample()  // Gamma distributed with concentration=1 and rate=1
 */
export class Gamma extends ExponentialFamily {
  concentration!: Tensor;
  rate!: Tensor;
  constructor(concentration: TensorOrNumber, rate: TensorOrNumber, options?: DistOptions);
  constructor(options: { concentration: TensorOrNumber; rate: TensorOrNumber } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { concentration, rate, validate_args } = parseArgs(new.target.name, ['concentration', 'rate', 'validate_args'], args);
    [this.concentration, this.rate] = broadcast_all(concentration, rate);
    this._init(typeof concentration === 'number' && typeof rate === 'number' ? [] : this.concentration.shape, [], validate_args);
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { concentration: constraints.positive, rate: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.nonnegative;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): Gamma {
    return this._expand_params(Gamma, batch_shape, ['concentration', 'rate'], _instance);
  }
  get mean(): Tensor {
    return this.concentration.div(this.rate);
  }
  get mode(): Tensor {
    return this.concentration.sub(1).div(this.rate).clamp({ min: 0 });
  }
  get variance(): Tensor {
    return this.concentration.div(this.rate.pow(2));
  }
  rsample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const value = ops._standard_gamma(this.concentration.expand(shape)).div(this.rate.expand(shape));
    // Keep samples away from 0 without changing the graph (PyTorch clamps value.detach() in place).
    no_grad(() => value.detach().clamp_({ min: finfo(value.dtype).tiny }));
    return value;
  }
  log_prob(value: Tensor | number): Tensor {
    const v = value instanceof Tensor ? value : ops.full([], value, { dtype: this.rate.dtype, device: this.rate.device });
    if (this._validate_args) this._validate_sample(v);
    return ops.xlogy(this.concentration, this.rate).add(ops.xlogy(this.concentration.sub(1), v)).sub(this.rate.mul(v)).sub(ops.lgamma(this.concentration));
  }
  entropy(): Tensor {
    const c = this.concentration;
    return c.sub(ops.log(this.rate)).add(ops.lgamma(c)).add(c.neg().add(1.0).mul(ops.digamma(c)));
  }
  get _natural_params(): Tensor[] {
    return [this.concentration.sub(1), this.rate.neg()];
  }
  _log_normalizer(x: Tensor, y: Tensor): Tensor {
    return ops.lgamma(x.add(1)).add(x.add(1).mul(ops.log(y.reciprocal().neg())));
  }
}
