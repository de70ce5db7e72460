/** torch.distributions.MultivariateNormal(loc, covariance_matrix=None, precision_matrix=None, scale_tril=None) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { _standard_normal } from './normal';
import { Size, broadcast_shapes, needTensor, parseArgs } from './utils';

/** bmat @ bvec over batches. */
export function _batch_mv(bmat: Tensor, bvec: Tensor): Tensor {
  return ops.matmul(bmat, bvec.unsqueeze(-1)).squeeze(-1);
}

/**
 * The squared Mahalanobis distance x^T (L L^T)^-1 x for lower-triangular L, broadcasting L's
 * batch dims against x's (a triangular solve per vector).
 */
export function _batch_mahalanobis(bL: Tensor, bx: Tensor): Tensor {
  const sol = ops.linalg.solve_triangular(bL, bx.unsqueeze(-1), { upper: false });
  return sol.squeeze(-1).pow(2).sum(-1);
}

function _precision_to_scale_tril(P: Tensor): Tensor {
  const Lf = ops.linalg.cholesky(ops.flip(P, [-2, -1]));
  const L_inv = ops.transpose(ops.flip(Lf, [-2, -1]), -2, -1);
  const Id = ops.eye(P.size(-1), { dtype: P.dtype, device: P.device });
  return ops.linalg.solve_triangular(L_inv, Id, { upper: false });
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Multivariate normal distribution, parameterized by a mean vector and one of a positive-definite
 * covariance matrix, a positive-definite precision matrix, or a lower-triangular scale_tril with
 * positive diagonal.
 *
 * Example:
 *   const m = new MultivariateNormal(torch.zeros(2), torch.eye(2));
 *   m.sample()  // normally distributed with mean=[0,0] and covariance_matrix=I
 */
export class MultivariateNormal extends Distribution {
  loc!: Tensor;
  _p_covariance_matrix?: Tensor;
  _p_precision_matrix?: Tensor;
  _p_scale_tril?: Tensor;
  _unbroadcasted_scale_tril!: Tensor;
  constructor(loc: Tensor, covariance_matrix?: Tensor | null, precision_matrix?: Tensor | null, scale_tril?: Tensor | null, options?: DistOptions);
  constructor(loc: Tensor, options: { covariance_matrix?: Tensor | null; precision_matrix?: Tensor | null; scale_tril?: Tensor | null } & DistOptions);
  constructor(options: { loc: Tensor; covariance_matrix?: Tensor | null; precision_matrix?: Tensor | null; scale_tril?: Tensor | null } & DistOptions);
  constructor(...args: any[]) {
    super();
    const a = parseArgs('MultivariateNormal', ['loc', 'covariance_matrix', 'precision_matrix', 'scale_tril', 'validate_args'], args);
    const loc = needTensor('MultivariateNormal', 'loc', a.loc);
    if (loc.dim() < 1) throw new RangeError('loc must be at least one-dimensional.');
    const given = (v: unknown) => (v !== undefined && v !== null ? 1 : 0);
    if (given(a.covariance_matrix) + given(a.scale_tril) + given(a.precision_matrix) !== 1) {
      throw new RangeError('Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.');
    }
    let batch_shape: Size;
    const m: Tensor = a.scale_tril ?? a.covariance_matrix ?? a.precision_matrix;
    const what = given(a.scale_tril) ? 'scale_tril matrix' : given(a.covariance_matrix) ? 'covariance_matrix' : 'precision_matrix';
    if (m.dim() < 2) throw new RangeError(`${what} must be at least two-dimensional, with optional leading batch dimensions`);
    batch_shape = broadcast_shapes(m.shape.slice(0, -2), loc.shape.slice(0, -1));
    const mx = m.expand([...batch_shape, -1, -1]);
    if (given(a.scale_tril)) this._p_scale_tril = mx;
    else if (given(a.covariance_matrix)) this._p_covariance_matrix = mx;
    else this._p_precision_matrix = mx;
    this.loc = loc.expand([...batch_shape, -1]);
    this._init(batch_shape, this.loc.shape.slice(-1), a.validate_args);
    if (given(a.scale_tril)) this._unbroadcasted_scale_tril = m;
    else if (given(a.covariance_matrix)) this._unbroadcasted_scale_tril = ops.linalg.cholesky(m);
    else this._unbroadcasted_scale_tril = _precision_to_scale_tril(m);
  }
  _lazy_params(): string[] {
    return ['covariance_matrix', 'precision_matrix', 'scale_tril'];
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return {
      loc: constraints.real_vector, covariance_matrix: constraints.positive_definite,
      precision_matrix: constraints.positive_definite, scale_tril: constraints.lower_cholesky,
    };
  }
  get support(): constraints.Constraint {
    return constraints.real_vector;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): MultivariateNormal {
    const n = this._new_instance(MultivariateNormal, _instance);
    const cov_shape = [...batch_shape, ...this.event_shape, ...this.event_shape];
    n.loc = this.loc.expand([...batch_shape, ...this.event_shape]);
    n._unbroadcasted_scale_tril = this._unbroadcasted_scale_tril;
    if (this._p_covariance_matrix) n._p_covariance_matrix = this._p_covariance_matrix.expand(cov_shape);
    if (this._p_scale_tril) n._p_scale_tril = this._p_scale_tril.expand(cov_shape);
    if (this._p_precision_matrix) n._p_precision_matrix = this._p_precision_matrix.expand(cov_shape);
    Distribution._init_expanded(n, batch_shape, this.event_shape, this._validate_args);
    return n;
  }
  private get _mat_shape(): Size {
    return [...this._batch_shape, ...this._event_shape, ...this._event_shape];
  }
  get scale_tril(): Tensor {
    return (this._p_scale_tril ??= this._unbroadcasted_scale_tril.expand(this._mat_shape));
  }
  get covariance_matrix(): Tensor {
    const L = this._unbroadcasted_scale_tril;
    return (this._p_covariance_matrix ??= ops.matmul(L, L.transpose(-2, -1)).expand(this._mat_shape));
  }
  get precision_matrix(): Tensor {
    return (this._p_precision_matrix ??= ops.cholesky_inverse(this._unbroadcasted_scale_tril).expand(this._mat_shape));
  }
  get mean(): Tensor {
    return this.loc;
  }
  get mode(): Tensor {
    return this.loc;
  }
  get variance(): Tensor {
    return this._unbroadcasted_scale_tril.pow(2).sum(-1).expand([...this._batch_shape, ...this._event_shape]);
  }
  rsample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const eps = _standard_normal(shape, this.loc);
    return this.loc.add(_batch_mv(this._unbroadcasted_scale_tril, eps));
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const diff = value.sub(this.loc);
    const M = _batch_mahalanobis(this._unbroadcasted_scale_tril, diff);
    const half_log_det = this._unbroadcasted_scale_tril.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1);
    return M.add(this._event_shape[0] * LOG_2PI).mul(-0.5).sub(half_log_det);
  }
  entropy(): Tensor {
    const half_log_det = this._unbroadcasted_scale_tril.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1);
    const H = half_log_det.add(0.5 * this._event_shape[0] * (1.0 + LOG_2PI));
    return this._batch_shape.length === 0 ? H : H.expand(this._batch_shape);
  }
}
