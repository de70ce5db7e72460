/** torch.distributions.StudentT(df, loc=0.0, scale=1.0) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { Chi2 } from './chi2';
import { _standard_normal } from './normal';
import { Size, TensorOrNumber, broadcast_all, parseArgs } from './utils';

// math.lgamma(0.5) as CPython computes it (log(sqrt(pi)) up to its last bit).
const LGAMMA_HALF = 0.5723649429247004;

/**
 * Student's t-distribution with `df` degrees of freedom; rsample is reparameterized (normal over
 * the square root of a Chi2).
 *
 * Example:
 *   const m = new torch.distributions.StudentT(torch.tensor([2.0]));
 *   m.sample()  // Student's t-distributed with degrees of freedom=2
 */
export class StudentT extends Distribution {
  df!: Tensor;
  loc!: Tensor;
  scale!: Tensor;
  _chi2!: Chi2;
  constructor(df: TensorOrNumber, loc?: TensorOrNumber, scale?: TensorOrNumber, options?: DistOptions);
  constructor(options: { df: TensorOrNumber; loc?: TensorOrNumber; scale?: TensorOrNumber } & DistOptions);
  constructor(...args: any[]) {
    super();
    const a = parseArgs('StudentT', ['df', 'loc', 'scale', 'validate_args'], args);
    [this.df, this.loc, this.scale] = broadcast_all(a.df, a.loc ?? 0.0, a.scale ?? 1.0);
    this._chi2 = new Chi2(this.df);
    this._init(this.df.shape, [], a.validate_args);
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { df: constraints.positive, loc: constraints.real, scale: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.real;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): StudentT {
    return this._expand_params(StudentT, batch_shape, ['df', 'loc', 'scale', '_chi2'], _instance);
  }
  get mean(): Tensor {
    const m = this.loc.clone();
    m.idx_put_(this.df.le(1), NaN);
    return m;
  }
  get mode(): Tensor {
    return this.loc;
  }
  get variance(): Tensor {
    const m = this.df.clone();
    const gt2 = this.df.gt(2);
    const dfg = this.df.idx(gt2);
    m.idx_put_(gt2, this.scale.idx(gt2).pow(2).mul(dfg).div(dfg.sub(2)));
    m.idx_put_(this.df.le(2).logical_and(this.df.gt(1)), Infinity);
    m.idx_put_(this.df.le(1), NaN);
    return m;
  }
  rsample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const X = _standard_normal(shape, this.df);
    const Z = this._chi2.rsample(sample_shape);
    const Y = X.mul(ops.rsqrt(Z.div(this.df)));
    return this.loc.add(this.scale.mul(Y));
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const y = value.sub(this.loc).div(this.scale);
    const Z = this.scale.log().add(this.df.log().mul(0.5)).add(0.5 * Math.log(Math.PI)).add(ops.lgamma(this.df.mul(0.5))).sub(ops.lgamma(this.df.add(1.0).mul(0.5)));
    return this.df.add(1.0).mul(-0.5).mul(ops.log1p(y.pow(2.0).div(this.df))).sub(Z);
  }
  entropy(): Tensor {
    const lbeta = ops.lgamma(this.df.mul(0.5)).add(LGAMMA_HALF).sub(ops.lgamma(this.df.add(1).mul(0.5)));
    return this.scale.log()
      .add(this.df.add(1).mul(0.5).mul(ops.digamma(this.df.add(1).mul(0.5)).sub(ops.digamma(this.df.mul(0.5)))))
      .add(this.df.log().mul(0.5))
      .add(lbeta);
  }
}
