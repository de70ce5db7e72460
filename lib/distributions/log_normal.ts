/** torch.distributions.LogNormal(loc, scale): exp of a Normal(loc, scale). */
import { Tensor } from '../tensor';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { Normal } from './normal';
import { TransformedDistribution } from './transformed_distribution';
import { ExpTransform } from './transforms';
import { Size, TensorOrNumber, parseArgs } from './utils';

/**
 * Example:
 *   const m = new torch.distributions.LogNormal(torch.tensor([0.0]), torch.tensor([1.0]));
 *   m.sample()  // log-normal distributed with mean=0 and stddev=1
 */
export class LogNormal extends TransformedDistribution {
  constructor(loc: TensorOrNumber, scale: TensorOrNumber, options?: DistOptions);
  constructor(options: { loc: TensorOrNumber; scale: TensorOrNumber } & DistOptions);
  constructor(...args: any[]) {
    const { loc, scale, validate_args } = parseArgs('LogNormal', ['loc', 'scale', 'validate_args'], args);
    super(new Normal(loc, scale, { validate_args }), new ExpTransform(), { validate_args });
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { loc: constraints.real, scale: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.positive;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): LogNormal {
    return super.expand(batch_shape, this._new_instance(LogNormal, _instance)) as LogNormal;
  }
  get loc(): Tensor {
    return (this.base_dist as Normal).loc;
  }
  get scale(): Tensor {
    return (this.base_dist as Normal).scale;
  }
  get mean(): Tensor {
    return this.loc.add(this.scale.pow(2).div(2)).exp();
  }
  get mode(): Tensor {
    return this.loc.sub(this.scale.square()).exp();
  }
  get variance(): Tensor {
    const scale2 = this.scale.pow(2);
    return scale2.expm1().mul(this.loc.mul(2).add(scale2).exp());
  }
  entropy(): Tensor {
    return this.base_dist.entropy().add(this.loc);
  }
}
