/** torch.distributions.OneHotCategorical and OneHotCategoricalStraightThrough */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import * as constraints from './constraints';
import { DistOptions, Distribution } from './distribution';
import { Categorical } from './categorical';
import { Size, parseArgs } from './utils';

/**
 * One-hot categorical distribution: samples are one-hot vectors of size `probs.size(-1)`.
 *
 * Example:
 *   const m = new torch.distributions.OneHotCategorical(torch.tensor([0.25, 0.25, 0.25, 0.25]));
 *   m.sample()  // e.g. tensor([0., 0., 0., 1.])
 */
export class OneHotCategorical extends Distribution {
  _categorical!: Categorical;
  constructor(probs?: Tensor | null, logits?: Tensor | null, options?: DistOptions);
  constructor(options: { probs?: Tensor | null; logits?: Tensor | null } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { probs, logits, validate_args } = parseArgs(new.target.name, ['probs', 'logits', 'validate_args'], args);
    this._categorical = new Categorical(probs, logits);
    const ps = this._categorical.param_shape;
    this._init(this._categorical.batch_shape, ps.slice(-1), validate_args);
  }
  get arg_constraints() {
    return { probs: constraints.simplex, logits: constraints.real_vector };
  }
  get support(): constraints.Constraint {
    return constraints.one_hot;
  }
  get has_enumerate_support(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): OneHotCategorical {
    const n = this._new_instance(this.constructor as typeof OneHotCategorical, _instance ?? Object.create(Object.getPrototypeOf(this)));
    n._categorical = this._categorical.expand(batch_shape);
    Distribution._init_expanded(n, batch_shape, this.event_shape, this._validate_args);
    return n;
  }
  get _param(): Tensor {
    return this._categorical._param;
  }
  get probs(): Tensor {
    return this._categorical.probs;
  }
  get logits(): Tensor {
    return this._categorical.logits;
  }
  get mean(): Tensor {
    return this._categorical.probs;
  }
  get mode(): Tensor {
    const probs = this._categorical.probs;
    const mode = probs.argmax(-1);
    return ops._nn.one_hot(mode, probs.shape[probs.dim() - 1]).to(probs);
  }
  get variance(): Tensor {
    const p = this._categorical.probs;
    return p.mul(p.neg().add(1));
  }
  get param_shape(): Size {
    return this._categorical.param_shape;
  }
  sample(sample_shape: Size = []): Tensor {
    const probs = this._categorical.probs;
    const indices = this._categorical.sample(sample_shape);
    return ops._nn.one_hot(indices, this._categorical._num_events).to(probs);
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const indices = (value.max(-1) as unknown as Tensor[])[1];
    return this._categorical.log_prob(indices);
  }
  entropy(): Tensor {
    return this._categorical.entropy();
  }
  enumerate_support(expand = true): Tensor {
    const n = this.event_shape[0];
    let values = ops.eye(n, { dtype: this._param.dtype, device: this._param.device });
    values = values.view([n, ...this.batch_shape.map(() => 1), n]);
    if (expand) values = values.expand([n, ...this.batch_shape, n]);
    return values;
  }
}

/** OneHotCategorical whose rsample passes gradients straight through to probs. */
export class OneHotCategoricalStraightThrough extends OneHotCategorical {
  get has_rsample(): boolean {
    return true;
  }
  rsample(sample_shape: Size = []): Tensor {
    const samples = this.sample(sample_shape);
    const probs = this._categorical.probs;
    return samples.add(probs.sub(probs.detach()));
  }
}
