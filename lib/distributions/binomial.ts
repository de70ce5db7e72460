/** torch.distributions.Binomial(total_count=1, probs=None, logits=None) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { no_grad } from '../autograd/grad_mode';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { probsOrLogits } from './bernoulli';
import { NotImplementedError, Size, TensorOrNumber, broadcast_all, logits_to_probs, parseArgs, probs_to_logits } from './utils';

const clampByZero = (x: Tensor): Tensor => x.clamp({ min: 0 }).add(x).sub(x.clamp({ max: 0 })).div(2);

/**
 * Binomial distribution of `total_count` Bernoulli trials with probability `probs` (or `logits`).
 *
 * Example:
 *   const m = new torch.distributions.Binomial(100, torch.tensor([0, .2, .8, 1]));
 *   m.sample()  // e.g. tensor([   0.,   22.,   71.,  100.])
 */
export class Binomial extends Distribution {
  total_count!: Tensor;
  _p_probs?: Tensor;
  _p_logits?: Tensor;
  _param!: Tensor;
  constructor(total_count?: TensorOrNumber, probs?: TensorOrNumber | null, logits?: TensorOrNumber | null, options?: DistOptions);
  constructor(options: { total_count?: TensorOrNumber; probs?: TensorOrNumber | null; logits?: TensorOrNumber | null } & DistOptions);
  constructor(...args: any[]) {
    super();
    const a = parseArgs('Binomial', ['total_count', 'probs', 'logits', 'validate_args'], args);
    const total_count = a.total_count ?? 1;
    probsOrLogits(a.probs, a.logits);
    if (a.probs !== undefined && a.probs !== null) {
      [this.total_count, this._p_probs] = broadcast_all(total_count, a.probs);
      this.total_count = this.total_count.to(this._p_probs!.dtype);
      this._param = this._p_probs!;
    } else {
      [this.total_count, this._p_logits] = broadcast_all(total_count, a.logits);
      this.total_count = this.total_count.to(this._p_logits!.dtype);
      this._param = this._p_logits!;
    }
    this._init(this._param.shape, [], a.validate_args);
  }
  _lazy_params(): string[] {
    return ['probs', 'logits'];
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { total_count: constraints.nonnegative_integer, probs: constraints.unit_interval, logits: constraints.real };
  }
  get has_enumerate_support(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): Binomial {
    const n = this._new_instance(Binomial, _instance);
    n.total_count = this.total_count.expand(batch_shape);
    if (this._p_probs !== undefined) n._param = n._p_probs = this._p_probs.expand(batch_shape);
    if (this._p_logits !== undefined) n._param = n._p_logits = this._p_logits.expand(batch_shape);
    Distribution._init_expanded(n, batch_shape, [], this._validate_args);
    return n;
  }
  get support(): constraints.Constraint {
    return constraints.integer_interval(0, this.total_count);
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
    return this.total_count.mul(this.probs);
  }
  get mode(): Tensor {
    return this.total_count.add(1).mul(this.probs).floor().clamp({ max: this.total_count });
  }
  get variance(): Tensor {
    return this.total_count.mul(this.probs).mul(this.probs.neg().add(1));
  }
  sample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    return no_grad(() => ops.binomial(this.total_count.expand(shape), this.probs.expand(shape)));
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const n = this.total_count;
    const log_factorial_n = ops.lgamma(n.add(1));
    const log_factorial_k = ops.lgamma(value.add(1));
    const log_factorial_nmk = ops.lgamma(n.sub(value).add(1));
    const normalize_term = n.mul(clampByZero(this.logits)).add(n.mul(ops.log1p(ops.exp(ops.abs(this.logits).neg())))).sub(log_factorial_n);
    return value.mul(this.logits).sub(log_factorial_k).sub(log_factorial_nmk).sub(normalize_term);
  }
  private _homogeneous(what: string): number {
    const total = Math.trunc(Number(this.total_count.max().item()));
    if (Number(this.total_count.min().item()) !== total) throw new NotImplementedError(`Inhomogeneous total count not supported by \`${what}\`.`);
    return total;
  }
  entropy(): Tensor {
    this._homogeneous('entropy');
    const log_prob = this.log_prob(this.enumerate_support(false));
    return ops.exp(log_prob).mul(log_prob).sum(0).neg();
  }
  enumerate_support(expand = true): Tensor {
    const total = this._homogeneous('enumerate_support');
    let values = ops.arange(1 + total, { dtype: this._param.dtype, device: this._param.device });
    values = values.view([-1, ...this._batch_shape.map(() => 1)]);
    if (expand) values = values.expand([-1, ...this._batch_shape]);
    return values;
  }
}
