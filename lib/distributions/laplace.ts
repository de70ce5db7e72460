/** torch.distributions.Laplace(loc, scale) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { finfo } from '../type_info';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { Size, TensorOrNumber, broadcast_all, parseArgs } from './utils';

/**
 * Example:
 *   const m = new torch.distributions.Laplace(torch.tensor([0.0]), torch.tensor([1.0]));
 *   m.sample()  // Laplace distributed with loc=0, scale=1
 */
export class Laplace extends Distribution {
  loc!: Tensor;
  scale!: Tensor;
  constructor(loc: TensorOrNumber, scale: TensorOrNumber, options?: DistOptions);
  constructor(options: { loc: TensorOrNumber; scale: TensorOrNumber } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { loc, scale, validate_args } = parseArgs('Laplace', ['loc', 'scale', 'validate_args'], args);
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
  expand(batch_shape: Size, _instance?: Distribution): Laplace {
    return this._expand_params(Laplace, batch_shape, ['loc', 'scale'], _instance);
  }
  get mean(): Tensor {
    return this.loc;
  }
  get mode(): Tensor {
    return this.loc;
  }
  get variance(): Tensor {
    return this.scale.pow(2).mul(2);
  }
  get stddev(): Tensor {
    return this.scale.mul(2 ** 0.5);
  }
  rsample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const eps = finfo(this.loc.dtype).eps;
    const u = ops.empty(shape, { dtype: this.loc.dtype, device: this.loc.device }).uniform_(eps - 1, 1);
    return this.loc.sub(this.scale.mul(u.sign()).mul(ops.log1p(u.abs().neg())));
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return ops.log(this.scale.mul(2)).neg().sub(ops.abs(value.sub(this.loc)).div(this.scale));
  }
  cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const d = value.sub(this.loc);
    return d.sign().mul(0.5).mul(ops.expm1(d.abs().neg().div(this.scale))).neg().add(0.5);
  }
  icdf(value: Tensor): Tensor {
    const term = value.sub(0.5);
    return this.loc.sub(this.scale.mul(term.sign()).mul(ops.log1p(term.abs().mul(-2))));
  }
  entropy(): Tensor {
    return ops.log(this.scale.mul(2)).add(1);
  }
}
