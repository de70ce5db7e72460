/** torch.distributions.Normal(loc, scale) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { no_grad } from '../autograd/grad_mode';
import * as constraints from './constraints';
import { DistOptions, Distribution, ExponentialFamily } from './distribution';
import { Size, TensorOrNumber, broadcast_all, parseArgs } from './utils';

const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));

/** A standard normal tensor of `shape` from the default generator (utils._standard_normal). */
export function _standard_normal(shape: Size, like: Tensor): Tensor {
  return ops.empty(shape, { dtype: like.dtype, device: like.device }).normal_();
}

/**
 * Normal (Gaussian) distribution with mean `loc` and standard deviation `scale`.
 *
 * Example:
 *   const m = new torch.distributions.Normal(torch.tensor([0.0]), torch.tensor([1.0]));
 *   m.sample()  // normally distributed with loc=0 and scale=1
 */
export class Normal extends ExponentialFamily {
  loc!: Tensor;
  scale!: Tensor;
  constructor(loc: TensorOrNumber, scale: TensorOrNumber, options?: DistOptions);
  constructor(options: { loc: TensorOrNumber; scale: TensorOrNumber } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { loc, scale, validate_args } = parseArgs('Normal', ['loc', 'scale', 'validate_args'], args);
    [this.loc, this.scale] = broadcast_all(loc, scale);
    const batch_shape = typeof loc === 'number' && typeof scale === 'number' ? [] : this.loc.shape;
    this._init(batch_shape, [], validate_args);
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
  expand(batch_shape: Size, _instance?: Distribution): Normal {
    return this._expand_params(Normal, batch_shape, ['loc', 'scale'], _instance);
  }
  get mean(): Tensor {
    return this.loc;
  }
  get mode(): Tensor {
    return this.loc;
  }
  get stddev(): Tensor {
    return this.scale;
  }
  get variance(): Tensor {
    return this.stddev.pow(2);
  }
  sample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    return no_grad(() => ops.normal(this.loc.expand(shape), this.scale.expand(shape)));
  }
  rsample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const eps = _standard_normal(shape, this.loc);
    return this.loc.add(eps.mul(this.scale));
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const v = this.scale.pow(2);
    return value.sub(this.loc).pow(2).neg().div(v.mul(2)).sub(this.scale.log()).sub(LOG_SQRT_2PI);
  }
  cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return ops.erf(value.sub(this.loc).mul(this.scale.reciprocal()).div(Math.SQRT2)).add(1).mul(0.5);
  }
  icdf(value: Tensor): Tensor {
    return this.loc.add(this.scale.mul(ops.erfinv(value.mul(2).sub(1))).mul(Math.SQRT2));
  }
  entropy(): Tensor {
    return ops.log(this.scale).add(0.5 + 0.5 * Math.log(2 * Math.PI));
  }
  get _natural_params(): Tensor[] {
    return [this.loc.div(this.scale.pow(2)), this.scale.pow(2).reciprocal().mul(-0.5)];
  }
  _log_normalizer(x: Tensor, y: Tensor): Tensor {
    return x.pow(2).mul(-0.25).div(y).add(ops.log(y.reciprocal().mul(-Math.PI)).mul(0.5));
  }
}
