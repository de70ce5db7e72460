/** torch.distributions.Bernoulli(probs=None, logits=None) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { no_grad } from '../autograd/grad_mode';
import * as constraints from './constraints';
import { DistOptions, Distribution, ExponentialFamily } from './distribution';
import { Size, TensorOrNumber, broadcast_all, logits_to_probs, parseArgs, probs_to_logits } from './utils';

/** Either probs or logits, never both (PyTorch's ValueError). */
export function probsOrLogits(probs: unknown, logits: unknown): void {
  if ((probs === undefined || probs === null) === (logits === undefined || logits === null)) {
    throw new RangeError('Either `probs` or `logits` must be specified, but not both.');
  }
}

/**
 * Bernoulli distribution: 1 with probability `probs`, 0 otherwise (or parameterized by `logits`).
 *
 * Example:
 *   const m = new torch.distributions.Bernoulli(torch.tensor([0.3]));
 *   m.sample()  // 30% chance 1; 70% chance 0
 */
export class Bernoulli extends ExponentialFamily {
  _p_probs?: Tensor;
  _p_logits?: Tensor;
  _param!: Tensor;
  constructor(probs?: TensorOrNumber | null, logits?: TensorOrNumber | null, options?: DistOptions);
  constructor(options: { probs?: TensorOrNumber | null; logits?: TensorOrNumber | null } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { probs, logits, validate_args } = parseArgs('Bernoulli', ['probs', 'logits', 'validate_args'], args);
    probsOrLogits(probs, logits);
    let is_scalar: boolean;
    if (probs !== undefined && probs !== null) {
      is_scalar = typeof probs === 'number';
      [this._p_probs] = broadcast_all(probs);
      this._param = this._p_probs;
    } else {
      is_scalar = typeof logits === 'number';
      [this._p_logits] = broadcast_all(logits);
      this._param = this._p_logits!;
    }
    this._init(is_scalar ? [] : this._param.shape, [], validate_args);
  }
  _lazy_params(): string[] {
    return ['probs', 'logits'];
  }
  get arg_constraints() {
    return { probs: constraints.unit_interval, logits: constraints.real };
  }
  get support(): constraints.Constraint {
    return constraints.boolean;
  }
  get has_enumerate_support(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): Bernoulli {
    const n = this._new_instance(Bernoulli, _instance);
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
  get mean(): Tensor {
    return this.probs;
  }
  get mode(): Tensor {
    const mode = this.probs.ge(0.5).to(this.probs);
    mode.idx_put_(this.probs.eq(0.5), NaN);
    return mode;
  }
  get variance(): Tensor {
    return this.probs.mul(this.probs.neg().add(1));
  }
  sample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    return no_grad(() => ops.bernoulli(this.probs.expand(shape)));
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const [logits, v] = broadcast_all(this.logits, value);
    return ops.binary_cross_entropy_with_logits(logits, v, null, null, 0).neg();
  }
  entropy(): Tensor {
    return ops.binary_cross_entropy_with_logits(this.logits, this.probs, null, null, 0);
  }
  enumerate_support(expand = true): Tensor {
    let values = ops.arange(2, { dtype: this._param.dtype, device: this._param.device });
    values = values.view([-1, ...this._batch_shape.map(() => 1)]);
    if (expand) values = values.expand([-1, ...this._batch_shape]);
    return values;
  }
  get _natural_params(): Tensor[] {
    return [ops.log(this.probs.div(this.probs.neg().add(1)))];
  }
  _log_normalizer(x: Tensor): Tensor {
    return ops.log(ops.exp(x).add(1));
  }
}
