/** torch.distributions.Beta(concentration1, concentration0): a two-class Dirichlet. */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { tensor } from '../creation';
import * as constraints from './constraints';
import { DistOptions, Distribution, ExponentialFamily } from './distribution';
import { Dirichlet } from './dirichlet';
import { Size, TensorOrNumber, broadcast_all, parseArgs } from './utils';

/**
 * Example:
 *   const m = new torch.distributions.Beta(torch.tensor([0.5]), torch.tensor([0.5]));
 *   m.sample()  // Beta distributed with concentration concentration1 and concentration0
 */
export class Beta extends ExponentialFamily {
  _dirichlet!: Dirichlet;
  constructor(concentration1: TensorOrNumber, concentration0: TensorOrNumber, options?: DistOptions);
  constructor(options: { concentration1: TensorOrNumber; concentration0: TensorOrNumber } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { concentration1, concentration0, validate_args } = parseArgs('Beta', ['concentration1', 'concentration0', 'validate_args'], args);
    let c10: Tensor;
    if (typeof concentration1 === 'number' && typeof concentration0 === 'number') {
      c10 = tensor([concentration1, concentration0]);
    } else {
      const [c1, c0] = broadcast_all(concentration1, concentration0);
      c10 = ops.stack([c1, c0], -1);
    }
    this._dirichlet = new Dirichlet(c10, { validate_args });
    this._init(this._dirichlet._batch_shape, [], validate_args);
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { concentration1: constraints.positive, concentration0: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.unit_interval;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): Beta {
    return this._expand_params(Beta, batch_shape, ['_dirichlet'], _instance);
  }
  get concentration1(): Tensor {
    return this._dirichlet.concentration.select(-1, 0);
  }
  get concentration0(): Tensor {
    return this._dirichlet.concentration.select(-1, 1);
  }
  get mean(): Tensor {
    return this.concentration1.div(this.concentration1.add(this.concentration0));
  }
  get mode(): Tensor {
    return this._dirichlet.mode.select(-1, 0);
  }
  get variance(): Tensor {
    const total = this.concentration1.add(this.concentration0);
    return this.concentration1.mul(this.concentration0).div(total.pow(2).mul(total.add(1)));
  }
  rsample(sample_shape: Size = []): Tensor {
    return this._dirichlet.rsample(sample_shape).select(-1, 0);
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const heads_tails = ops.stack([value, value.neg().add(1.0)], -1);
    return this._dirichlet.log_prob(heads_tails);
  }
  entropy(): Tensor {
    return this._dirichlet.entropy();
  }
  get _natural_params(): Tensor[] {
    return [this.concentration1, this.concentration0];
  }
  _log_normalizer(x: Tensor, y: Tensor): Tensor {
    return ops.lgamma(x).add(ops.lgamma(y)).sub(ops.lgamma(x.add(y)));
  }
}
