/** torch.distributions.Categorical(probs=None, logits=None) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { int64 } from '../dtype';
import { slice } from '../indexing';
import { finfo } from '../type_info';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { probsOrLogits } from './bernoulli';
import { Size, logits_to_probs, needTensor, parseArgs, probs_to_logits } from './utils';

/**
 * Categorical distribution over `{0, …, K-1}`, with K = `probs.size(-1)`; `probs` (normalized to sum
 * to 1 along the last dim) or `logits` (normalized with logsumexp).
 *
 * Example:
 *   const m = new torch.distributions.Categorical(torch.tensor([0.25, 0.25, 0.25, 0.25]));
 *   m.sample()  // equal probability of 0, 1, 2, 3
 */
export class Categorical extends Distribution {
  _p_probs?: Tensor;
  _p_logits?: Tensor;
  _param!: Tensor;
  _num_events!: number;
  constructor(probs?: Tensor | null, logits?: Tensor | null, options?: DistOptions);
  constructor(options: { probs?: Tensor | null; logits?: Tensor | null } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { probs, logits, validate_args } = parseArgs(new.target.name, ['probs', 'logits', 'validate_args'], args);
    probsOrLogits(probs, logits);
    if (probs !== undefined && probs !== null) {
      const p = needTensor(new.target.name, 'probs', probs);
      if (p.dim() < 1) throw new RangeError('`probs` parameter must be at least one-dimensional.');
      this._param = this._p_probs = p.div(p.sum(-1, true));
    } else {
      const l = needTensor(new.target.name, 'logits', logits);
      if (l.dim() < 1) throw new RangeError('`logits` parameter must be at least one-dimensional.');
      this._param = this._p_logits = l.sub(l.logsumexp(-1, true));
    }
    const s = this._param.shape;
    this._num_events = s[s.length - 1];
    this._init(s.length > 1 ? s.slice(0, -1) : [], [], validate_args);
  }
  _lazy_params(): string[] {
    return ['probs', 'logits'];
  }
  get arg_constraints() {
    return { probs: constraints.simplex, logits: constraints.real_vector };
  }
  get has_enumerate_support(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): Categorical {
    const n = this._new_instance(Categorical, _instance);
    const param_shape = [...batch_shape, this._num_events];
    if (this._p_probs !== undefined) n._param = n._p_probs = this._p_probs.expand(param_shape);
    if (this._p_logits !== undefined) n._param = n._p_logits = this._p_logits.expand(param_shape);
    n._num_events = this._num_events;
    Distribution._init_expanded(n, batch_shape, [], this._validate_args);
    return n;
  }
  get support(): constraints.Constraint {
    return constraints.integer_interval(0, this._num_events - 1);
  }
  get probs(): Tensor {
    return (this._p_probs ??= logits_to_probs(this._p_logits!));
  }
  get logits(): Tensor {
    return (this._p_logits ??= probs_to_logits(this._p_probs!));
  }
  get param_shape(): Size {
    return this._param.shape;
  }
  get mean(): Tensor {
    return ops.full(this._extended_shape(), NaN, { dtype: this.probs.dtype, device: this.probs.device });
  }
  get mode(): Tensor {
    return this.probs.argmax(-1);
  }
  get variance(): Tensor {
    return ops.full(this._extended_shape(), NaN, { dtype: this.probs.dtype, device: this.probs.device });
  }
  sample(sample_shape: Size = []): Tensor {
    const probs_2d = this.probs.reshape([-1, this._num_events]);
    const n = sample_shape.reduce((a, b) => a * b, 1);
    const samples_2d = ops.multinomial(probs_2d, n, true).t();
    return samples_2d.reshape(this._extended_shape(sample_shape));
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    let v = value.to(int64).unsqueeze(-1);
    let log_pmf: Tensor;
    [v, log_pmf] = ops.broadcast_tensors([v, this.logits]);
    v = v.idx('...', slice(null, 1));
    return log_pmf.gather(-1, v).squeeze(-1);
  }
  entropy(): Tensor {
    const min_real = finfo(this.logits.dtype).min;
    const logits = this.logits.clamp({ min: min_real });
    return logits.mul(this.probs).sum(-1).neg();
  }
  enumerate_support(expand = true): Tensor {
    let values = ops.arange(this._num_events, { dtype: int64, device: this._param.device });
    values = values.view([-1, ...this._batch_shape.map(() => 1)]);
    if (expand) values = values.expand([-1, ...this._batch_shape]);
    return values;
  }
}
