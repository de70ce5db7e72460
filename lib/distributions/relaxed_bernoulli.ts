/** torch.distributions.RelaxedBernoulli and LogitRelaxedBernoulli (binary Concrete / Gumbel-softmax). */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { probsOrLogits } from './bernoulli';
import { TransformedDistribution } from './transformed_distribution';
import { SigmoidTransform } from './transforms';
import { Size, TensorOrNumber, broadcast_all, clamp_probs, logits_to_probs, parseArgs, probs_to_logits } from './utils';

/** The logit of a RelaxedBernoulli sample: real-valued, reparameterized. */
export class LogitRelaxedBernoulli extends Distribution {
  temperature!: Tensor;
  _p_probs?: Tensor;
  _p_logits?: Tensor;
  _param!: Tensor;
  constructor(temperature: Tensor, probs?: TensorOrNumber | null, logits?: TensorOrNumber | null, options?: DistOptions);
  constructor(options: { temperature: Tensor; probs?: TensorOrNumber | null; logits?: TensorOrNumber | null } & DistOptions);
  constructor(...args: any[]) {
    super();
    const a = parseArgs('LogitRelaxedBernoulli', ['temperature', 'probs', 'logits', 'validate_args'], args);
    this.temperature = a.temperature;
    probsOrLogits(a.probs, a.logits);
    let is_scalar: boolean;
    if (a.probs !== undefined && a.probs !== null) {
      is_scalar = typeof a.probs === 'number';
      [this._p_probs] = broadcast_all(a.probs);
      this._param = this._p_probs;
    } else {
      is_scalar = typeof a.logits === 'number';
      [this._p_logits] = broadcast_all(a.logits);
      this._param = this._p_logits!;
    }
    this._init(is_scalar ? [] : this._param.shape, [], a.validate_args);
  }
  _lazy_params(): string[] {
    return ['probs', 'logits'];
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.unit_interval, logits: constraints.real };
  }
  get support(): constraints.Constraint {
    return constraints.real;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): LogitRelaxedBernoulli {
    const n = this._new_instance(LogitRelaxedBernoulli, _instance);
    n.temperature = this.temperature;
    if (this._p_probs !== undefined) n._param = n._p_probs = this._p_probs.expand(batch_shape);
    if (this._p_logits !== undefined) n._param = n._p_logits = this._p_logits.expand(batch_shape);
    Distribution._init_expanded(n, batch_shape, [], this._validate_args);
    return n;
  }
  get probs(): Tensor {
    return (this._p_probs ??= logits_to_probs(this._p_logits!, true));
  }
  get logits(): Tensor {
    return (this._p_logits ??= probs_to_logits(this._p_probs!, true));
  }
  get param_shape(): Size {
    return this._param.shape;
  }
  rsample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const probs = clamp_probs(this.probs.expand(shape));
    const uniforms = clamp_probs(ops.rand(shape, { dtype: probs.dtype, device: probs.device }));
    return uniforms.log().sub(uniforms.neg().log1p()).add(probs.log()).sub(probs.neg().log1p()).div(this.temperature);
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const [logits, v] = broadcast_all(this.logits, value);
    const diff = logits.sub(v.mul(this.temperature));
    return this.temperature.log().add(diff).sub(diff.exp().log1p().mul(2));
  }
}

/**
 * RelaxedBernoulli(temperature, probs=None, logits=None): a continuous relaxation of Bernoulli on
 * (0, 1), reparameterizable.
 *
 * Example:
 *   const m = new RelaxedBernoulli(torch.tensor([2.2]), torch.tensor([0.1, 0.2, 0.3, 0.99]));
 *   m.sample()
 */
export class RelaxedBernoulli extends TransformedDistribution {
  constructor(temperature: Tensor, probs?: TensorOrNumber | null, logits?: TensorOrNumber | null, options?: DistOptions);
  constructor(options: { temperature: Tensor; probs?: TensorOrNumber | null; logits?: TensorOrNumber | null } & DistOptions);
  constructor(...args: any[]) {
    const a = parseArgs('RelaxedBernoulli', ['temperature', 'probs', 'logits', 'validate_args'], args);
    super(new LogitRelaxedBernoulli(a.temperature, a.probs, a.logits), new SigmoidTransform(), { validate_args: a.validate_args });
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.unit_interval, logits: constraints.real };
  }
  get support(): constraints.Constraint {
    return constraints.unit_interval;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): RelaxedBernoulli {
    return super.expand(batch_shape, this._new_instance(RelaxedBernoulli, _instance)) as RelaxedBernoulli;
  }
  get temperature(): Tensor {
    return (this.base_dist as LogitRelaxedBernoulli).temperature;
  }
  get logits(): Tensor {
    return (this.base_dist as LogitRelaxedBernoulli).logits;
  }
  get probs(): Tensor {
    return (this.base_dist as LogitRelaxedBernoulli).probs;
  }
}
