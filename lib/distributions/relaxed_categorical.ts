/** torch.distributions.RelaxedOneHotCategorical and ExpRelaxedCategorical (Concrete / Gumbel-softmax). */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { Categorical } from './categorical';
import { TransformedDistribution } from './transformed_distribution';
import { ExpTransform } from './transforms';
import { Size, broadcast_all, clamp_probs, parseArgs } from './utils';

/** The log of a RelaxedOneHotCategorical sample (ExpConcrete). */
export class ExpRelaxedCategorical extends Distribution {
  temperature!: Tensor;
  _categorical!: Categorical;
  constructor(temperature: Tensor, probs?: Tensor | null, logits?: Tensor | null, options?: DistOptions);
  constructor(options: { temperature: Tensor; probs?: Tensor | null; logits?: Tensor | null } & DistOptions);
  constructor(...args: any[]) {
    super();
    const a = parseArgs('ExpRelaxedCategorical', ['temperature', 'probs', 'logits', 'validate_args'], args);
    this._categorical = new Categorical(a.probs, a.logits);
    this.temperature = a.temperature;
    this._init(this._categorical.batch_shape, this._categorical.param_shape.slice(-1), a.validate_args);
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.simplex, logits: constraints.real_vector };
  }
  get support(): constraints.Constraint {
    return constraints.real_vector;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): ExpRelaxedCategorical {
    const n = this._new_instance(ExpRelaxedCategorical, _instance);
    n.temperature = this.temperature;
    n._categorical = this._categorical.expand(batch_shape);
    Distribution._init_expanded(n, batch_shape, this.event_shape, this._validate_args);
    return n;
  }
  get param_shape(): Size {
    return this._categorical.param_shape;
  }
  get logits(): Tensor {
    return this._categorical.logits;
  }
  get probs(): Tensor {
    return this._categorical.probs;
  }
  rsample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const uniforms = clamp_probs(ops.rand(shape, { dtype: this.logits.dtype, device: this.logits.device }));
    const gumbels = uniforms.log().neg().log().neg();
    const scores = this.logits.add(gumbels).div(this.temperature);
    return scores.sub(scores.logsumexp(-1, true));
  }
  log_prob(value: Tensor): Tensor {
    const K = this._categorical._num_events;
    if (this._validate_args) this._validate_sample(value);
    const [logits, v] = broadcast_all(this.logits, value);
    const log_scale = ops.full_like(this.temperature, K).lgamma().sub(this.temperature.log().mul(-(K - 1)));
    let score = logits.sub(v.mul(this.temperature));
    score = score.sub(score.logsumexp(-1, true)).sum(-1);
    return score.add(log_scale);
  }
}

/**
 * RelaxedOneHotCategorical(temperature, probs=None, logits=None): a continuous relaxation of
 * OneHotCategorical on the simplex, reparameterizable.
 *
 * Example:
 *   const m = new RelaxedOneHotCategorical(torch.tensor([2.2]), torch.tensor([0.1, 0.2, 0.3, 0.4]));
 *   m.sample()
 */
export class RelaxedOneHotCategorical extends TransformedDistribution {
  constructor(temperature: Tensor, probs?: Tensor | null, logits?: Tensor | null, options?: DistOptions);
  constructor(options: { temperature: Tensor; probs?: Tensor | null; logits?: Tensor | null } & DistOptions);
  constructor(...args: any[]) {
    const a = parseArgs('RelaxedOneHotCategorical', ['temperature', 'probs', 'logits', 'validate_args'], args);
    super(new ExpRelaxedCategorical(a.temperature, a.probs, a.logits, { validate_args: a.validate_args }), new ExpTransform(), { validate_args: a.validate_args });
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.simplex, logits: constraints.real_vector };
  }
  get support(): constraints.Constraint {
    return constraints.simplex;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): RelaxedOneHotCategorical {
    return super.expand(batch_shape, this._new_instance(RelaxedOneHotCategorical, _instance)) as RelaxedOneHotCategorical;
  }
  get temperature(): Tensor {
    return (this.base_dist as ExpRelaxedCategorical).temperature;
  }
  get logits(): Tensor {
    return (this.base_dist as ExpRelaxedCategorical).logits;
  }
  get probs(): Tensor {
    return (this.base_dist as ExpRelaxedCategorical).probs;
  }
}
