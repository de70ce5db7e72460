/** torch.distributions.MixtureSameFamily(mixture_distribution, component_distribution) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { no_grad } from '../autograd/grad_mode';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { Categorical } from './categorical';
import { Size, fmtSize, parseArgs } from './utils';

const numel = (s: Size) => s.reduce((a, b) => a * b, 1);

/**
 * A mixture whose components all come from one distribution family: the rightmost batch dim of
 * `component_distribution` indexes the components, weighted by the Categorical `mixture_distribution`.
 *
 * Example:
 *   const mix = new Categorical(torch.ones(5));
 *   const comp = new Normal(torch.randn(5), torch.rand(5));
 *   const gmm = new MixtureSameFamily(mix, comp);
 */
export class MixtureSameFamily extends Distribution {
  _mixture_distribution!: Categorical;
  _component_distribution!: Distribution;
  _num_component!: number;
  _event_ndims!: number;
  constructor(mixture_distribution: Categorical, component_distribution: Distribution, options?: DistOptions);
  constructor(options: { mixture_distribution: Categorical; component_distribution: Distribution } & DistOptions);
  constructor(...args: any[]) {
    super();
    const a = parseArgs('MixtureSameFamily', ['mixture_distribution', 'component_distribution', 'validate_args'], args);
    this._mixture_distribution = a.mixture_distribution;
    this._component_distribution = a.component_distribution;
    if (!(this._mixture_distribution instanceof Categorical)) {
      throw new RangeError(' The Mixture distribution needs to be an  instance of torch.distribtutions.Categorical');
    }
    if (!(this._component_distribution instanceof Distribution)) {
      throw new RangeError('The Component distribution need to be an instance of torch.distributions.Distribution');
    }
    const mdbs = this._mixture_distribution.batch_shape;
    const cdbs = this._component_distribution.batch_shape.slice(0, -1);
    for (let k = 1; k <= Math.min(mdbs.length, cdbs.length); k++) {
      const s1 = mdbs[mdbs.length - k];
      const s2 = cdbs[cdbs.length - k];
      if (s1 !== 1 && s2 !== 1 && s1 !== s2) {
        throw new RangeError(`\`mixture_distribution.batch_shape\` (${fmtSize(mdbs)}) is not compatible with \`component_distribution.batch_shape\`(${fmtSize(cdbs)})`);
      }
    }
    const ls = this._mixture_distribution.logits.shape;
    const km = ls[ls.length - 1];
    const cbs = this._component_distribution.batch_shape;
    const kc = cbs[cbs.length - 1];
    if (km !== kc) {
      throw new RangeError(`\`mixture_distribution component\` (${km}) does not equal \`component_distribution.batch_shape[-1]\` (${kc})`);
    }
    this._num_component = km;
    const event_shape = this._component_distribution.event_shape;
    this._event_ndims = event_shape.length;
    this._init(cdbs, event_shape, a.validate_args);
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return {};
  }
  expand(batch_shape: Size, _instance?: Distribution): MixtureSameFamily {
    const n = this._new_instance(MixtureSameFamily, _instance);
    n._component_distribution = this._component_distribution.expand([...batch_shape, this._num_component]);
    n._mixture_distribution = this._mixture_distribution.expand(batch_shape);
    n._num_component = this._num_component;
    n._event_ndims = this._event_ndims;
    Distribution._init_expanded(n, batch_shape, n._component_distribution.event_shape, this._validate_args);
    return n;
  }
  get support(): constraints.Constraint {
    return this._component_distribution.support;
  }
  get mixture_distribution(): Categorical {
    return this._mixture_distribution;
  }
  get component_distribution(): Distribution {
    return this._component_distribution;
  }
  get mean(): Tensor {
    const probs = this._pad_mixture_dimensions(this.mixture_distribution.probs);
    return probs.mul(this.component_distribution.mean).sum(-1 - this._event_ndims);
  }
  get variance(): Tensor {
    const probs = this._pad_mixture_dimensions(this.mixture_distribution.probs);
    const d = -1 - this._event_ndims;
    const mean_cond_var = probs.mul(this.component_distribution.variance).sum(d);
    const var_cond_mean = probs.mul(this.component_distribution.mean.sub(this._pad(this.mean)).pow(2.0)).sum(d);
    return mean_cond_var.add(var_cond_mean);
  }
  cdf(x: Tensor): Tensor {
    const cdf_x = this.component_distribution.cdf(this._pad(x));
    return cdf_x.mul(this.mixture_distribution.probs).sum(-1);
  }
  log_prob(x: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(x);
    const log_prob_x = this.component_distribution.log_prob(this._pad(x));
    const log_mix_prob = ops.log_softmax(this.mixture_distribution.logits, -1);
    return ops.logsumexp(log_prob_x.add(log_mix_prob), -1);
  }
  sample(sample_shape: Size = []): Tensor {
    return no_grad(() => {
      const gather_dim = sample_shape.length + this.batch_shape.length;
      const es = this.event_shape;
      const mix_sample = this.mixture_distribution.sample(sample_shape);
      const mix_shape = mix_sample.shape;
      const comp_samples = this.component_distribution.sample(sample_shape);
      let r = mix_sample.reshape([...mix_shape, ...new Array(es.length + 1).fill(1)]);
      r = r.repeat([...new Array(mix_shape.length).fill(1), 1, ...es]);
      return ops.gather(comp_samples, gather_dim, r).squeeze(gather_dim);
    });
  }
  _pad(x: Tensor): Tensor {
    return x.unsqueeze(-1 - this._event_ndims);
  }
  _pad_mixture_dimensions(x: Tensor): Tensor {
    const dist_batch_ndims = numel(this.batch_shape);
    const cat_batch_ndims = numel(this.mixture_distribution.batch_shape);
    const pad_ndims = cat_batch_ndims === 1 ? 0 : dist_batch_ndims - cat_batch_ndims;
    const xs = x.shape;
    return x.reshape([...xs.slice(0, -1), ...new Array(pad_ndims).fill(1), ...xs.slice(-1), ...new Array(this._event_ndims).fill(1)]);
  }
  repr(): string {
    return `MixtureSameFamily(\n  ${this.mixture_distribution.repr()},\n  ${this.component_distribution.repr()})`;
  }
}
