/** torch.distributions.Multinomial(total_count=1, probs=None, logits=None) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { tensor } from '../creation';
import { slice } from '../indexing';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { Categorical } from './categorical';
import { Binomial } from './binomial';
import { NotImplementedError, Size, broadcast_all, parseArgs } from './utils';

/**
 * Multinomial distribution: counts of `total_count` draws from a Categorical (`probs` or `logits`).
 *
 * Example:
 *   const m = new torch.distributions.Multinomial(100, torch.tensor([1., 1., 1., 1.]));
 *   m.sample()  // equal probability of 0, 1, 2, 3; e.g. tensor([ 21.,  24.,  30.,  25.])
 */
export class Multinomial extends Distribution {
  total_count!: number;
  _categorical!: Categorical;
  _binomial!: Binomial;
  constructor(total_count?: number, probs?: Tensor | null, logits?: Tensor | null, options?: DistOptions);
  constructor(options: { total_count?: number; probs?: Tensor | null; logits?: Tensor | null } & DistOptions);
  constructor(...args: any[]) {
    super();
    const a = parseArgs('Multinomial', ['total_count', 'probs', 'logits', 'validate_args'], args);
    const total_count = a.total_count ?? 1;
    if (typeof total_count !== 'number' || !Number.isInteger(total_count)) throw new NotImplementedError('inhomogeneous total_count is not supported');
    this.total_count = total_count;
    this._categorical = new Categorical({ probs: a.probs, logits: a.logits });
    this._binomial = new Binomial({ total_count, probs: this.probs });
    this._init(this._categorical.batch_shape, this._categorical.param_shape.slice(-1), a.validate_args);
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.simplex, logits: constraints.real_vector };
  }
  expand(batch_shape: Size, _instance?: Distribution): Multinomial {
    const n = this._new_instance(Multinomial, _instance);
    n.total_count = this.total_count;
    n._categorical = this._categorical.expand(batch_shape);
    Distribution._init_expanded(n, batch_shape, this.event_shape, this._validate_args);
    return n;
  }
  get support(): constraints.Constraint {
    return constraints.multinomial(this.total_count);
  }
  get logits(): Tensor {
    return this._categorical.logits;
  }
  get probs(): Tensor {
    return this._categorical.probs;
  }
  get param_shape(): Size {
    return this._categorical.param_shape;
  }
  get mean(): Tensor {
    return this.probs.mul(this.total_count);
  }
  get variance(): Tensor {
    return this.probs.mul(this.total_count).mul(this.probs.neg().add(1));
  }
  sample(sample_shape: Size = []): Tensor {
    let samples = this._categorical.sample([this.total_count, ...sample_shape]);
    const idx = [...Array(samples.dim()).keys()];
    idx.push(idx.shift()!);
    samples = samples.permute(idx);
    const counts = ops.zeros(this._extended_shape(sample_shape), { dtype: samples.dtype, device: samples.device });
    counts.scatter_add_(-1, samples, ops.ones_like(samples));
    return counts.to(this.probs.dtype);
  }
  entropy(): Tensor {
    const n = tensor(this.total_count);
    const cat_entropy = this._categorical.entropy();
    const term1 = n.mul(cat_entropy).sub(ops.lgamma(n.add(1)));
    const support = this._binomial.enumerate_support(false).idx(slice(1, null));
    const binomial_probs = ops.exp(this._binomial.log_prob(support));
    const weights = ops.lgamma(support.add(1));
    const term2 = binomial_probs.mul(weights).sum([0, -1]);
    return term1.add(term2);
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const [l, v] = broadcast_all(this.logits, value);
    const logits = l.clone();
    const log_factorial_n = ops.lgamma(v.sum(-1).add(1));
    const log_factorial_xs = ops.lgamma(v.add(1)).sum(-1);
    logits.idx_put_(v.eq(0).logical_and(logits.eq(-Infinity)), 0);
    const log_powers = logits.mul(v).sum(-1);
    return log_factorial_n.sub(log_factorial_xs).add(log_powers);
  }
}
