/**
 * torch.distributions: probability distributions and sampling functions, with PyTorch 1.13's
 * semantics (shapes, validation, reparameterized samples, KL divergences). Every number is
 * computed by libtorch ops; samples come from the same generator calls as PyTorch's.
 *
 * Example (REINFORCE):
 *   const m = new torch.distributions.Categorical(probs);
 *   const action = m.sample();
 *   const loss = m.log_prob(action).neg().mul(reward);
 */
import * as _constraints from './constraints';
import * as _transforms from './transforms';
export { Distribution, ExponentialFamily } from './distribution';
export type { DistOptions } from './distribution';
export { Bernoulli } from './bernoulli';
export { Beta } from './beta';
export { Binomial } from './binomial';
export { Categorical } from './categorical';
export { Cauchy } from './cauchy';
export { Chi2 } from './chi2';
export { Dirichlet } from './dirichlet';
export { Exponential } from './exponential';
export { Gamma } from './gamma';
export { Geometric } from './geometric';
export { Independent } from './independent';
export { Laplace } from './laplace';
export { LogNormal } from './log_normal';
export { LowRankMultivariateNormal } from './lowrank_multivariate_normal';
export { MixtureSameFamily } from './mixture_same_family';
export { Multinomial } from './multinomial';
export { MultivariateNormal } from './multivariate_normal';
export { Normal } from './normal';
export { OneHotCategorical, OneHotCategoricalStraightThrough } from './one_hot_categorical';
export { Poisson } from './poisson';
export { LogitRelaxedBernoulli, RelaxedBernoulli } from './relaxed_bernoulli';
export { ExpRelaxedCategorical, RelaxedOneHotCategorical } from './relaxed_categorical';
export { StudentT } from './studentT';
export { TransformedDistribution } from './transformed_distribution';
export { Uniform } from './uniform';
export { kl_divergence, register_kl } from './kl';
export { NotImplementedError } from './utils';
export {
  Transform, ComposeTransform, ExpTransform, AffineTransform, SigmoidTransform, TanhTransform,
  SoftmaxTransform, StickBreakingTransform, identity_transform,
} from './transforms';
/** torch.distributions.constraints */
export const constraints = _constraints;
/** torch.distributions.transforms */
export const transforms = _transforms;
/** torch.distributions.kl (kl_divergence, register_kl) */
export * as kl from './kl';
