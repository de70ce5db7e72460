/**
 * torch.distributions.kl: `kl_divergence(p, q)` and `register_kl(P, Q)(fn)`. Lookup picks the most
 * specific registered pair for the two classes (nearest in the prototype chains, p's class first),
 * as PyTorch's dispatch does, and caches it per class pair.
 */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { Distribution } from './distribution';
import { Bernoulli } from './bernoulli';
import { Beta } from './beta';
import { Binomial } from './binomial';
import { Categorical } from './categorical';
import { Dirichlet } from './dirichlet';
import { Exponential } from './exponential';
import { Gamma } from './gamma';
import { Geometric } from './geometric';
import { Independent } from './independent';
import { Laplace } from './laplace';
import { LowRankMultivariateNormal } from './lowrank_multivariate_normal';
import { MultivariateNormal, _batch_mahalanobis } from './multivariate_normal';
import { Normal } from './normal';
import { OneHotCategorical } from './one_hot_categorical';
import { Poisson } from './poisson';
import { TransformedDistribution } from './transformed_distribution';
import { Uniform } from './uniform';
import { Transform } from './transforms';
import { NotImplementedError, _sum_rightmost, broadcast_shapes, sameSize } from './utils';

type DistClass = abstract new (...args: any[]) => Distribution;
type KLFn = (p: any, q: any) => Tensor;

const REGISTRY: [DistClass, DistClass, KLFn][] = [];
const CACHE = new Map<Function, Map<Function, KLFn | null>>();

/**
 * register_kl(type_p, type_q): a decorator-style registration; `register_kl(Normal, Normal)(fn)`
 * makes `kl_divergence(p, q)` call fn(p, q) for those classes and their subclasses.
 */
export function register_kl(type_p: DistClass, type_q: DistClass): (fn: KLFn) => KLFn {
  if (typeof type_p !== 'function' || !(type_p.prototype instanceof Distribution)) {
    throw new TypeError(`Expected type_p to be a Distribution subclass but got ${type_p}`);
  }
  if (typeof type_q !== 'function' || !(type_q.prototype instanceof Distribution)) {
    throw new TypeError(`Expected type_q to be a Distribution subclass but got ${type_q}`);
  }
  return (fn: KLFn) => {
    REGISTRY.push([type_p, type_q, fn]);
    CACHE.clear();
    return fn;
  };
}

/** How many prototype steps from cls up to base (-1 when base is not an ancestor). */
function depth(cls: Function, base: Function): number {
  let d = 0;
  for (let c: any = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c), d++) if (c === base) return d;
  return -1;
}

function dispatch(tp: Function, tq: Function): KLFn | null {
  let best: [number, number, KLFn] | null = null;
  for (const [P, Q, fn] of REGISTRY) {
    const dp = depth(tp, P);
    const dq = depth(tq, Q);
    if (dp < 0 || dq < 0) continue;
    if (best === null || dp < best[0] || (dp === best[0] && dq < best[1])) best = [dp, dq, fn];
  }
  return best ? best[2] : null;
}

/**
 * kl_divergence(p, q): KL(p || q) = E_p[log p(x) - log q(x)], batched over batch_shape.
 * Raises NotImplementedError when no pair is registered for the two classes.
 */
export function kl_divergence(p: Distribution, q: Distribution): Tensor {
  const tp = p.constructor;
  const tq = q.constructor;
  let row = CACHE.get(tp);
  if (!row) CACHE.set(tp, (row = new Map()));
  let fn = row.get(tq);
  if (fn === undefined) {
    fn = dispatch(tp, tq);
    row.set(tq, fn);
  }
  if (fn === null) throw new NotImplementedError(`No KL(p || q) is implemented for p type ${tp.name} and q type ${tq.name}`);
  return fn(p, q);
}

const softplus = (x: Tensor): Tensor => ops._nn.softplus(x);
const inf = Infinity;

register_kl(Bernoulli, Bernoulli)((p: Bernoulli, q: Bernoulli) => {
  const t1 = p.probs.mul(softplus(q.logits.neg()).sub(softplus(p.logits.neg())));
  t1.idx_put_(q.probs.eq(0), inf);
  t1.idx_put_(p.probs.eq(0), 0);
  const t2 = p.probs.neg().add(1).mul(softplus(q.logits).sub(softplus(p.logits)));
  t2.idx_put_(q.probs.eq(1), inf);
  t2.idx_put_(p.probs.eq(1), 0);
  return t1.add(t2);
});

register_kl(Beta, Beta)((p: Beta, q: Beta) => {
  const sum_p = p.concentration1.add(p.concentration0);
  const sum_q = q.concentration1.add(q.concentration0);
  const t1 = q.concentration1.lgamma().add(q.concentration0.lgamma()).add(sum_p.lgamma());
  const t2 = p.concentration1.lgamma().add(p.concentration0.lgamma()).add(sum_q.lgamma());
  const t3 = p.concentration1.sub(q.concentration1).mul(ops.digamma(p.concentration1));
  const t4 = p.concentration0.sub(q.concentration0).mul(ops.digamma(p.concentration0));
  const t5 = sum_q.sub(sum_p).mul(ops.digamma(sum_p));
  return t1.sub(t2).add(t3).add(t4).add(t5);
});

register_kl(Binomial, Binomial)((p: Binomial, q: Binomial) => {
  if (p.total_count.lt(q.total_count).any().item()) {
    throw new NotImplementedError('KL between Binomials where q.total_count > p.total_count is not implemented');
  }
  const kl = p.total_count.mul(p.probs.mul(p.logits.sub(q.logits)).add(p.probs.neg().log1p()).sub(q.probs.neg().log1p()));
  kl.idx_put_(p.total_count.gt(q.total_count), inf);
  return kl;
});

function _kl_categorical_categorical(p: Categorical, q: Categorical): Tensor {
  const t = p.probs.mul(p.logits.sub(q.logits));
  t.idx_put_(q.probs.eq(0).expand_as(t), inf);
  t.idx_put_(p.probs.eq(0).expand_as(t), 0);
  return t.sum(-1);
}
register_kl(Categorical, Categorical)(_kl_categorical_categorical);
register_kl(OneHotCategorical, OneHotCategorical)((p: OneHotCategorical, q: OneHotCategorical) => _kl_categorical_categorical(p._categorical, q._categorical));

register_kl(Dirichlet, Dirichlet)((p: Dirichlet, q: Dirichlet) => {
  const sum_p = p.concentration.sum(-1);
  const sum_q = q.concentration.sum(-1);
  const t1 = sum_p.lgamma().sub(sum_q.lgamma());
  const t2 = p.concentration.lgamma().sub(q.concentration.lgamma()).sum(-1);
  const t3 = p.concentration.sub(q.concentration);
  const t4 = p.concentration.digamma().sub(sum_p.digamma().unsqueeze(-1));
  return t1.sub(t2).add(t3.mul(t4).sum(-1));
});

register_kl(Exponential, Exponential)((p: Exponential, q: Exponential) => {
  const rate_ratio = q.rate.div(p.rate);
  return rate_ratio.log().neg().add(rate_ratio).sub(1);
});

register_kl(Gamma, Gamma)((p: Gamma, q: Gamma) => {
  const t1 = q.concentration.mul(ops.log(p.rate.div(q.rate)));
  const t2 = ops.lgamma(q.concentration).sub(ops.lgamma(p.concentration));
  const t3 = p.concentration.sub(q.concentration).mul(ops.digamma(p.concentration));
  const t4 = q.rate.sub(p.rate).mul(p.concentration.div(p.rate));
  return t1.add(t2).add(t3).add(t4);
});

register_kl(Geometric, Geometric)((p: Geometric, q: Geometric) =>
  p.entropy().neg().sub(ops.log1p(q.probs.neg()).div(p.probs)).sub(q.logits));

register_kl(Laplace, Laplace)((p: Laplace, q: Laplace) => {
  const scale_ratio = p.scale.div(q.scale);
  const loc_abs_diff = p.loc.sub(q.loc).abs();
  const t1 = scale_ratio.log().neg();
  const t2 = loc_abs_diff.div(q.scale);
  const t3 = scale_ratio.mul(ops.exp(loc_abs_diff.neg().div(p.scale)));
  return t1.add(t2).add(t3).sub(1);
});

register_kl(Normal, Normal)((p: Normal, q: Normal) => {
  const var_ratio = p.scale.div(q.scale).pow(2);
  const t1 = p.loc.sub(q.loc).div(q.scale).pow(2);
  return var_ratio.add(t1).sub(1).sub(var_ratio.log()).mul(0.5);
});

register_kl(Poisson, Poisson)((p: Poisson, q: Poisson) =>
  p.rate.mul(ops.log(p.rate).sub(ops.log(q.rate))).sub(p.rate.sub(q.rate)));

register_kl(Uniform, Uniform)((p: Uniform, q: Uniform) => {
  const result = q.high.sub(q.low).div(p.high.sub(p.low)).log();
  result.idx_put_(q.low.gt(p.low).logical_or(q.high.lt(p.high)), inf);
  return result;
});

register_kl(Independent, Independent)((p: Independent, q: Independent) => {
  if (p.reinterpreted_batch_ndims !== q.reinterpreted_batch_ndims) throw new NotImplementedError();
  return _sum_rightmost(kl_divergence(p.base_dist, q.base_dist), p.reinterpreted_batch_ndims);
});

/** Transform equality as PyTorch's __eq__: same class, and equal parameters for AffineTransform. */
function sameTransforms(a: Transform[], b: Transform[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((t, i) => {
    const u = b[i];
    if (t === u) return true;
    if (t.constructor !== u.constructor) return false;
    const ta = t as any, ua = u as any;
    if ('loc' in ta && 'scale' in ta) {
      const eq = (x: Tensor | number, y: Tensor | number) =>
        typeof x === 'number' && typeof y === 'number' ? x === y : x instanceof Tensor && y instanceof Tensor ? Boolean(x.eq(y).all().item()) : false;
      return eq(ta.loc, ua.loc) && eq(ta.scale, ua.scale);
    }
    return !('_inv' in ta);
  });
}

register_kl(TransformedDistribution, TransformedDistribution)((p: TransformedDistribution, q: TransformedDistribution) => {
  if (!sameTransforms(p.transforms, q.transforms)) throw new NotImplementedError();
  if (!sameSize(p.event_shape, q.event_shape)) throw new NotImplementedError();
  return kl_divergence(p.base_dist, q.base_dist);
});

function _batch_trace_XXT(bmat: Tensor): Tensor {
  const n = bmat.size(-1);
  const m = bmat.size(-2);
  return bmat.reshape([-1, m * n]).pow(2).sum(-1).reshape(bmat.shape.slice(0, -2));
}

register_kl(MultivariateNormal, MultivariateNormal)((p: MultivariateNormal, q: MultivariateNormal) => {
  if (!sameSize(p.event_shape, q.event_shape)) {
    throw new RangeError('KL-divergence between two Multivariate Normals with different event shapes cannot be computed');
  }
  const logdiag = (L: Tensor) => L.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1);
  const qL = q._unbroadcasted_scale_tril;
  const pL = p._unbroadcasted_scale_tril;
  const half_term1 = logdiag(qL).sub(logdiag(pL));
  const combined = broadcast_shapes(qL.shape.slice(0, -2), pL.shape.slice(0, -2));
  const n = p.event_shape[0];
  const q_scale_tril = qL.expand([...combined, n, n]);
  const p_scale_tril = pL.expand([...combined, n, n]);
  const term2 = _batch_trace_XXT(ops.linalg.solve_triangular(q_scale_tril, p_scale_tril, { upper: false }));
  const term3 = _batch_mahalanobis(qL, q.loc.sub(p.loc));
  return half_term1.add(term2.add(term3).sub(n).mul(0.5));
});

register_kl(LowRankMultivariateNormal, LowRankMultivariateNormal)((p: LowRankMultivariateNormal, q: LowRankMultivariateNormal) => {
  if (!sameSize(p.event_shape, q.event_shape)) {
    throw new RangeError('KL-divergence between two Low Rank Multivariate Normals with different event shapes cannot be computed');
  }
  // Through the dense covariance matrices: the same value as PyTorch's low-rank formula, up to rounding.
  const qMVN = new MultivariateNormal(q.loc, { covariance_matrix: q.covariance_matrix, validate_args: false });
  const pMVN = new MultivariateNormal(p.loc, { covariance_matrix: p.covariance_matrix, validate_args: false });
  return kl_divergence(pMVN, qMVN);
});
