/** torch.distributions.TransformedDistribution(base_distribution, transforms) */
import { Tensor } from '../tensor';
import { no_grad } from '../autograd/grad_mode';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { Independent } from './independent';
import { ComposeTransform, Transform } from './transforms';
import { Size, _sum_rightmost, fmtSize, parseArgs, sameSize } from './utils';

/**
 * The distribution of `transforms` applied in order to samples of a base distribution; log_prob
 * subtracts each transform's log|det J| (computed at the inverted value).
 *
 * Example:
 *   // a logistic distribution: Uniform(0, 1) through sigmoid^-1 and an affine map
 *   const base = new Uniform(torch.zeros(1), torch.ones(1));
 *   const logistic = new TransformedDistribution(base, [new SigmoidTransform().inv, new AffineTransform(a, b)]);
 */
export class TransformedDistribution extends Distribution {
  base_dist!: Distribution;
  transforms!: Transform[];
  constructor(base_distribution: Distribution, transforms: Transform | Transform[], options?: DistOptions);
  constructor(options: { base_distribution: Distribution; transforms: Transform | Transform[] } & DistOptions);
  constructor(...args: any[]) {
    super();
    const a = parseArgs(new.target.name, ['base_distribution', 'transforms', 'validate_args'], args);
    let base = a.base_distribution as Distribution;
    const transforms = a.transforms;
    if (transforms instanceof Transform) this.transforms = [transforms];
    else if (Array.isArray(transforms)) {
      if (!transforms.every((t) => t instanceof Transform)) throw new RangeError('transforms must be a Transform or a list of Transforms');
      this.transforms = transforms;
    } else throw new RangeError(`transforms must be a Transform or list, but was ${transforms}`);
    const base_shape = [...base.batch_shape, ...base.event_shape];
    const base_event_dim = base.event_shape.length;
    const transform = new ComposeTransform(this.transforms);
    const domain_event_dim = transform.domain.event_dim;
    if (base_shape.length < domain_event_dim) {
      throw new RangeError(`base_distribution needs to have shape with size at least ${domain_event_dim}, but got ${fmtSize(base_shape)}.`);
    }
    const shape = transform.forward_shape(base_shape);
    const expanded_base_shape = transform.inverse_shape(shape);
    if (!sameSize(base_shape, expanded_base_shape)) {
      base = base.expand(expanded_base_shape.slice(0, expanded_base_shape.length - base_event_dim));
    }
    const reinterpreted = domain_event_dim - base_event_dim;
    if (reinterpreted > 0) base = new Independent(base, reinterpreted);
    this.base_dist = base;
    const event_dim = transform.codomain.event_dim + Math.max(base_event_dim - domain_event_dim, 0);
    const cut = shape.length - event_dim;
    this._init(shape.slice(0, cut), shape.slice(cut), a.validate_args);
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return {};
  }
  expand(batch_shape: Size, _instance?: Distribution): TransformedDistribution {
    const n = this._new_instance(TransformedDistribution, _instance);
    let shape = [...batch_shape, ...this.event_shape];
    for (const t of [...this.transforms].reverse()) shape = t.inverse_shape(shape);
    n.base_dist = this.base_dist.expand(shape.slice(0, shape.length - this.base_dist.event_shape.length));
    n.transforms = this.transforms;
    Distribution._init_expanded(n, batch_shape, this.event_shape, this._validate_args);
    return n;
  }
  get support(): constraints.Constraint {
    if (this.transforms.length === 0) return this.base_dist.support;
    let support = this.transforms[this.transforms.length - 1].codomain;
    if (this.event_shape.length > support.event_dim) support = constraints.independent(support, this.event_shape.length - support.event_dim);
    return support;
  }
  get has_rsample(): boolean {
    return this.base_dist.has_rsample;
  }
  sample(sample_shape: Size = []): Tensor {
    return no_grad(() => {
      let x = this.base_dist.sample(sample_shape);
      for (const t of this.transforms) x = t.call(x);
      return x;
    });
  }
  rsample(sample_shape: Size = []): Tensor {
    let x = this.base_dist.rsample(sample_shape);
    for (const t of this.transforms) x = t.call(x);
    return x;
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    let event_dim = this.event_shape.length;
    let log_prob: Tensor | null = null;
    let y = value;
    for (const t of [...this.transforms].reverse()) {
      const x = t.inv.call(y);
      event_dim += t.domain.event_dim - t.codomain.event_dim;
      const term = _sum_rightmost(t.log_abs_det_jacobian(x, y), event_dim - t.domain.event_dim);
      log_prob = log_prob === null ? term.neg() : log_prob.sub(term);
      y = x;
    }
    const base = _sum_rightmost(this.base_dist.log_prob(y), event_dim - this.base_dist.event_shape.length);
    return log_prob === null ? base : log_prob.add(base);
  }
  private _monotonize_cdf(value: Tensor): Tensor {
    let sign: number | Tensor = 1;
    for (const t of this.transforms) {
      const s = t.sign;
      sign = typeof sign === 'number' && typeof s === 'number' ? sign * s : s instanceof Tensor ? s.mul(sign as any) : (sign as Tensor).mul(s);
    }
    if (typeof sign === 'number' && sign === 1) return value;
    return value.sub(0.5).mul(sign as any).add(0.5);
  }
  cdf(value: Tensor): Tensor {
    for (const t of [...this.transforms].reverse()) value = t.inv.call(value);
    if (this._validate_args) this.base_dist._validate_sample(value);
    return this._monotonize_cdf(this.base_dist.cdf(value));
  }
  icdf(value: Tensor): Tensor {
    value = this.base_dist.icdf(this._monotonize_cdf(value));
    for (const t of this.transforms) value = t.call(value);
    return value;
  }
}
