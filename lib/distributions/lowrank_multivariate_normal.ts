/** torch.distributions.LowRankMultivariateNormal(loc, cov_factor, cov_diag) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { _standard_normal } from './normal';
import { _batch_mahalanobis, _batch_mv } from './multivariate_normal';
import { Size, fmtSize, needTensor, parseArgs, sameSize } from './utils';

const LOG_2PI = Math.log(2 * Math.PI);
const eyeLike = (m: number, t: Tensor): Tensor => ops.eye(m, { dtype: t.dtype, device: t.device });

/** Cholesky of the capacitance matrix I + W^T D^-1 W. */
export function _batch_capacitance_tril(W: Tensor, D: Tensor): Tensor {
  const m = W.size(-1);
  const Wt_Dinv = W.transpose(-2, -1).div(D.unsqueeze(-2));
  const K = ops.matmul(Wt_Dinv, W).add(eyeLike(m, W));
  return ops.linalg.cholesky(K);
}
export function _batch_lowrank_logdet(_W: Tensor, D: Tensor, capacitance_tril: Tensor): Tensor {
  return capacitance_tril.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1).mul(2).add(D.log().sum(-1));
}
export function _batch_lowrank_mahalanobis(W: Tensor, D: Tensor, x: Tensor, capacitance_tril: Tensor): Tensor {
  const Wt_Dinv = W.transpose(-2, -1).div(D.unsqueeze(-2));
  const Wt_Dinv_x = _batch_mv(Wt_Dinv, x);
  const term1 = x.pow(2).div(D).sum(-1);
  const term2 = _batch_mahalanobis(capacitance_tril, Wt_Dinv_x);
  return term1.sub(term2);
}

/**
 * Multivariate normal with a low-rank plus diagonal covariance: cov = cov_factor @ cov_factor.T + diag(cov_diag).
 *
 * Example:
 *   const m = new LowRankMultivariateNormal(torch.zeros(2), torch.tensor([[1.], [0.]]), torch.ones(2));
 */
export class LowRankMultivariateNormal extends Distribution {
  loc!: Tensor;
  cov_factor!: Tensor;
  cov_diag!: Tensor;
  _unbroadcasted_cov_factor!: Tensor;
  _unbroadcasted_cov_diag!: Tensor;
  _capacitance_tril!: Tensor;
  constructor(loc: Tensor, cov_factor: Tensor, cov_diag: Tensor, options?: DistOptions);
  constructor(options: { loc: Tensor; cov_factor: Tensor; cov_diag: Tensor } & DistOptions);
  constructor(...args: any[]) {
    super();
    const a = parseArgs('LowRankMultivariateNormal', ['loc', 'cov_factor', 'cov_diag', 'validate_args'], args);
    const loc = needTensor('LowRankMultivariateNormal', 'loc', a.loc);
    const cov_factor = needTensor('LowRankMultivariateNormal', 'cov_factor', a.cov_factor);
    const cov_diag = needTensor('LowRankMultivariateNormal', 'cov_diag', a.cov_diag);
    if (loc.dim() < 1) throw new RangeError('loc must be at least one-dimensional.');
    const event_shape = loc.shape.slice(-1);
    if (cov_factor.dim() < 2) throw new RangeError('cov_factor must be at least two-dimensional, with optional leading batch dimensions');
    if (!sameSize(cov_factor.shape.slice(-2, -1), event_shape)) throw new RangeError(`cov_factor must be a batch of matrices with shape ${event_shape[0]} x m`);
    if (!sameSize(cov_diag.shape.slice(-1), event_shape)) throw new RangeError(`cov_diag must be a batch of vectors with shape ${fmtSize(event_shape)}`);
    let loc_: Tensor, cov_diag_: Tensor;
    try {
      [loc_, this.cov_factor, cov_diag_] = ops.broadcast_tensors([loc.unsqueeze(-1), cov_factor, cov_diag.unsqueeze(-1)]);
    } catch (e) {
      throw new RangeError(`Incompatible batch shapes: loc ${fmtSize(loc.shape)}, cov_factor ${fmtSize(cov_factor.shape)}, cov_diag ${fmtSize(cov_diag.shape)}`);
    }
    this.loc = loc_.idx('...', 0);
    this.cov_diag = cov_diag_.idx('...', 0);
    this._unbroadcasted_cov_factor = cov_factor;
    this._unbroadcasted_cov_diag = cov_diag;
    this._capacitance_tril = _batch_capacitance_tril(cov_factor, cov_diag);
    this._init(this.loc.shape.slice(0, -1), event_shape, a.validate_args);
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { loc: constraints.real_vector, cov_factor: constraints.independent(constraints.real, 2), cov_diag: constraints.independent(constraints.positive, 1) };
  }
  get support(): constraints.Constraint {
    return constraints.real_vector;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): LowRankMultivariateNormal {
    const n = this._new_instance(LowRankMultivariateNormal, _instance);
    const loc_shape = [...batch_shape, ...this.event_shape];
    n.loc = this.loc.expand(loc_shape);
    n.cov_diag = this.cov_diag.expand(loc_shape);
    n.cov_factor = this.cov_factor.expand([...loc_shape, this.cov_factor.size(-1)]);
    n._unbroadcasted_cov_factor = this._unbroadcasted_cov_factor;
    n._unbroadcasted_cov_diag = this._unbroadcasted_cov_diag;
    n._capacitance_tril = this._capacitance_tril;
    Distribution._init_expanded(n, batch_shape, this.event_shape, this._validate_args);
    return n;
  }
  private get _mat_shape(): Size {
    return [...this._batch_shape, ...this._event_shape, ...this._event_shape];
  }
  get mean(): Tensor {
    return this.loc;
  }
  get mode(): Tensor {
    return this.loc;
  }
  get variance(): Tensor {
    return this._unbroadcasted_cov_factor.pow(2).sum(-1).add(this._unbroadcasted_cov_diag).expand([...this._batch_shape, ...this._event_shape]);
  }
  get scale_tril(): Tensor {
    const n = this._event_shape[0];
    const dsq = this._unbroadcasted_cov_diag.sqrt().unsqueeze(-1);
    const Dinvsqrt_W = this._unbroadcasted_cov_factor.div(dsq);
    const K = ops.matmul(Dinvsqrt_W, Dinvsqrt_W.transpose(-2, -1)).add(eyeLike(n, dsq));
    return dsq.mul(ops.linalg.cholesky(K)).expand(this._mat_shape);
  }
  get covariance_matrix(): Tensor {
    const W = this._unbroadcasted_cov_factor;
    return ops.matmul(W, W.transpose(-2, -1)).add(ops.diag_embed(this._unbroadcasted_cov_diag)).expand(this._mat_shape);
  }
  get precision_matrix(): Tensor {
    const Wt_Dinv = this._unbroadcasted_cov_factor.transpose(-2, -1).div(this._unbroadcasted_cov_diag.unsqueeze(-2));
    const A = ops.linalg.solve_triangular(this._capacitance_tril, Wt_Dinv, { upper: false });
    return ops.diag_embed(this._unbroadcasted_cov_diag.reciprocal()).sub(ops.matmul(A.transpose(-2, -1), A)).expand(this._mat_shape);
  }
  rsample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const W_shape = [...shape.slice(0, -1), this.cov_factor.size(-1)];
    const eps_W = _standard_normal(W_shape, this.loc);
    const eps_D = _standard_normal(shape, this.loc);
    return this.loc.add(_batch_mv(this._unbroadcasted_cov_factor, eps_W)).add(this._unbroadcasted_cov_diag.sqrt().mul(eps_D));
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const diff = value.sub(this.loc);
    const M = _batch_lowrank_mahalanobis(this._unbroadcasted_cov_factor, this._unbroadcasted_cov_diag, diff, this._capacitance_tril);
    const log_det = _batch_lowrank_logdet(this._unbroadcasted_cov_factor, this._unbroadcasted_cov_diag, this._capacitance_tril);
    return log_det.add(this._event_shape[0] * LOG_2PI).add(M).mul(-0.5);
  }
  entropy(): Tensor {
    const log_det = _batch_lowrank_logdet(this._unbroadcasted_cov_factor, this._unbroadcasted_cov_diag, this._capacitance_tril);
    const H = log_det.add(this._event_shape[0] * (1.0 + LOG_2PI)).mul(0.5);
    return this._batch_shape.length === 0 ? H : H.expand(this._batch_shape);
  }
}
