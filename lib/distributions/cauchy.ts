/** torch.distributions.Cauchy(loc, scale) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { Size, TensorOrNumber, broadcast_all, parseArgs } from './utils';

/**
 * Cauchy (Lorentz) distribution: the ratio of independent normally distributed variables with mean 0.
 *
 * Example:
 *   const m = new torch.distributions.Cauchy(torch.tensor([0.0]), torch.tensor([1.0]));
 *   m.sample()  // sample from a Cauchy distribution with loc=0 and scale=1
 */
export class Cauchy extends Distribution {
  loc!: Tensor;
  scale!: Tensor;
  constructor(loc: TensorOrNumber, scale: TensorOrNumber, options?: DistOptions);
  constructor(options: { loc: TensorOrNumber; scale: TensorOrNumber } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { loc, scale, validate_args } = parseArgs('Cauchy', ['loc', 'scale', 'validate_args'], args);
    [this.loc, this.scale] = broadcast_all(loc, scale);
    this._init(typeof loc === 'number' && typeof scale === 'number' ? [] : this.loc.shape, [], validate_args);
  }
  get arg_constraints() {
    return { loc: constraints.real, scale: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.real;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): Cauchy {
    return this._expand_params(Cauchy, batch_shape, ['loc', 'scale'], _instance);
  }
  get mean(): Tensor {
    return ops.full(this._extended_shape(), NaN, { dtype: this.loc.dtype, device: this.loc.device });
  }
  get mode(): Tensor {
    return this.loc;
  }
  get variance(): Tensor {
    return ops.full(this._extended_shape(), Infinity, { dtype: this.loc.dtype, device: this.loc.device });
  }
  rsample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const eps = ops.empty(shape, { dtype: this.loc.dtype, device: this.loc.device }).cauchy_();
    return this.loc.add(eps.mul(this.scale));
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return this.scale.log().neg().sub(Math.log(Math.PI)).sub(value.sub(this.loc).div(this.scale).pow(2).add(1).log());
  }
  cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return ops.atan(value.sub(this.loc).div(this.scale)).div(Math.PI).add(0.5);
  }
  icdf(value: Tensor): Tensor {
    return ops.tan(value.sub(0.5).mul(Math.PI)).mul(this.scale).add(this.loc);
  }
  entropy(): Tensor {
    return this.scale.log().add(Math.log(4 * Math.PI));
  }
}
