/** torch.distributions.Geometric(probs=None, logits=None): failures before the first success. */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { finfo } from '../type_info';
import { no_grad } from '../autograd/grad_mode';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { probsOrLogits } from './bernoulli';
import { Size, TensorOrNumber, broadcast_all, fmtTuple, logits_to_probs, parseArgs, probs_to_logits } from './utils';

/**
 * Example:
 *   const m = new torch.distributions.Geometric(torch.tensor([0.3]));
 *   m.sample()  // underlying Bernoulli has 30% chance 1; 70% chance 0
 */
export class Geometric extends Distribution {
  _p_probs?: Tensor;
  _p_logits?: Tensor;
  constructor(probs?: TensorOrNumber | null, logits?: TensorOrNumber | null, options?: DistOptions);
  constructor(options: { probs?: TensorOrNumber | null; logits?: TensorOrNumber | null } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { probs, logits, validate_args } = parseArgs('Geometric', ['probs', 'logits', 'validate_args'], args);
    probsOrLogits(probs, logits);
    if (probs !== undefined && probs !== null) [this._p_probs] = broadcast_all(probs);
    else [this._p_logits] = broadcast_all(logits);
    const given = probs ?? logits;
    this._init(typeof given === 'number' ? [] : (given as Tensor).shape, [], validate_args);
    if (this._validate_args && probs !== undefined && probs !== null) {
      const value = this._p_probs!;
      const valid = value.gt(0);
      if (!valid.all().item()) {
        throw new RangeError(
          `Expected parameter probs (Tensor of shape ${fmtTuple(value.shape)}) of distribution ${this.repr()} ` +
            `to be positive but found invalid values:\n${value.detach().idx(valid.logical_not()).toString()}`,
        );
      }
    }
  }
  _lazy_params(): string[] {
    return ['probs', 'logits'];
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.unit_interval, logits: constraints.real };
  }
  get support(): constraints.Constraint {
    return constraints.nonnegative_integer;
  }
  expand(batch_shape: Size, _instance?: Distribution): Geometric {
    const n = this._new_instance(Geometric, _instance);
    if (this._p_probs !== undefined) n._p_probs = this._p_probs.expand(batch_shape);
    if (this._p_logits !== undefined) n._p_logits = this._p_logits.expand(batch_shape);
    Distribution._init_expanded(n, batch_shape, [], this._validate_args);
    return n;
  }
  get probs(): Tensor {
    return (this._p_probs ??= logits_to_probs(this._p_logits!, true));
  }
  get logits(): Tensor {
    return (this._p_logits ??= probs_to_logits(this._p_probs!, true));
  }
  get mean(): Tensor {
    return this.probs.reciprocal().sub(1.0);
  }
  get mode(): Tensor {
    return ops.zeros_like(this.probs);
  }
  get variance(): Tensor {
    return this.probs.reciprocal().sub(1.0).div(this.probs);
  }
  sample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const tiny = finfo(this.probs.dtype).tiny;
    return no_grad(() => {
      const u = ops.empty(shape, { dtype: this.probs.dtype, device: this.probs.device }).uniform_(tiny, 1);
      return u.log().div(this.probs.neg().log1p()).floor();
    });
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const [v, p] = broadcast_all(value, this.probs);
    const probs = p.clone();
    probs.idx_put_(probs.eq(1).logical_and(v.eq(0)), 0);
    return v.mul(probs.neg().log1p()).add(this.probs.log());
  }
  entropy(): Tensor {
    return ops.binary_cross_entropy_with_logits(this.logits, this.probs, null, null, 0).div(this.probs);
  }
}
