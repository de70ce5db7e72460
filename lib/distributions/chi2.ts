/** torch.distributions.Chi2(df): Gamma(0.5 * df, 0.5). */
import { Tensor } from '../tensor';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { Gamma } from './gamma';
import { Size, TensorOrNumber, broadcast_all, parseArgs } from './utils';

/**
 * Example:
 *   const m = new torch.distributions.Chi2(torch.tensor([1.0]));
 *   m.sample()  // Chi2 distributed with shape df=1
 */
export class Chi2 extends Gamma {
  constructor(df: TensorOrNumber, options?: DistOptions);
  constructor(options: { df: TensorOrNumber } & DistOptions);
  constructor(...args: any[]) {
    const { df, validate_args } = parseArgs('Chi2', ['df', 'validate_args'], args);
    const [d] = broadcast_all(df);
    super(d.mul(0.5), 0.5, { validate_args });
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { df: constraints.positive };
  }
  expand(batch_shape: Size, _instance?: Distribution): Chi2 {
    const n = this._new_instance(Chi2, _instance);
    return super.expand(batch_shape, n) as Chi2;
  }
  get df(): Tensor {
    return this.concentration.mul(2);
  }
}
