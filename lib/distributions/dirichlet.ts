/** torch.distributions.Dirichlet(concentration) */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { no_grad } from '../autograd/grad_mode';
import * as constraints from './constraints';
import { DistOptions, Distribution, ExponentialFamily } from './distribution';
import { Size, needTensor, parseArgs } from './utils';

/**
 * The gradient PyTorch's `_Dirichlet` Function gives the sample x w.r.t. the concentration:
 * grad_concentration = G * (grad_output - sum(x * grad_output, -1)), G = _dirichlet_grad(x, alpha, total).
 */
export function _Dirichlet_backward(x: Tensor, concentration: Tensor, grad_output: Tensor): Tensor {
  const total = concentration.sum(-1, true).expand_as(concentration);
  const grad = ops._dirichlet_grad(x, concentration, total);
  return grad.mul(grad_output.sub(x.mul(grad_output).sum(-1, true)));
}

/**
 * A sample of `_sample_dirichlet(concentration)` that carries PyTorch's reparameterization
 * gradient. Its value is the sample x exactly; its graph is the linear map
 * d = (c - c.detach()) * G;  out = x + d - x * sum(d, -1)
 * whose vector-Jacobian product is `_Dirichlet_backward(x, c, grad_output)`. As in PyTorch the
 * gradient is first-order only (G and x are constants of the graph).
 */
function dirichletRsample(concentration: Tensor): Tensor {
  const [x, G] = no_grad(() => {
    const x = ops._sample_dirichlet(concentration);
    const total = concentration.sum(-1, true).expand_as(concentration);
    return [x, ops._dirichlet_grad(x, concentration, total)];
  });
  if (!concentration.requires_grad) return x;
  const d = concentration.sub(concentration.detach()).mul(G);
  return x.add(d).sub(x.mul(d.sum(-1, true)));
}

/**
 * Dirichlet distribution with concentration (alpha) `concentration`; the event is the last dim.
 *
 * Example:
 *   const m = new torch.distributions.Dirichlet(torch.tensor([0.5, 0.5]));
 *   m.sample()  // Dirichlet distributed with concentration [0.5, 0.5]
 */
export class Dirichlet extends ExponentialFamily {
  concentration!: Tensor;
  constructor(concentration: Tensor, options?: DistOptions);
  constructor(options: { concentration: Tensor } & DistOptions);
  constructor(...args: any[]) {
    super();
    const { concentration, validate_args } = parseArgs('Dirichlet', ['concentration', 'validate_args'], args);
    const c = needTensor('Dirichlet', 'concentration', concentration);
    if (c.dim() < 1) throw new RangeError('`concentration` parameter must be at least one-dimensional.');
    this.concentration = c;
    this._init(c.shape.slice(0, -1), c.shape.slice(-1), validate_args);
  }
  get arg_constraints(): Record<string, constraints.Constraint> {
    return { concentration: constraints.independent(constraints.positive, 1) };
  }
  get support(): constraints.Constraint {
    return constraints.simplex;
  }
  get has_rsample(): boolean {
    return true;
  }
  expand(batch_shape: Size, _instance?: Distribution): Dirichlet {
    const n = this._new_instance(Dirichlet, _instance);
    n.concentration = this.concentration.expand([...batch_shape, ...this.event_shape]);
    Distribution._init_expanded(n, batch_shape, this.event_shape, this._validate_args);
    return n;
  }
  rsample(sample_shape: Size = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    return dirichletRsample(this.concentration.expand(shape));
  }
  log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const c = this.concentration;
    return ops.log(value).mul(c.sub(1.0)).sum(-1).add(ops.lgamma(c.sum(-1))).sub(ops.lgamma(c).sum(-1));
  }
  get mean(): Tensor {
    return this.concentration.div(this.concentration.sum(-1, true));
  }
  get mode(): Tensor {
    const c = this.concentration;
    const k = c.shape[c.dim() - 1];
    const concentrationm1 = c.sub(1).clamp({ min: 0.0 });
    const mode = concentrationm1.div(concentrationm1.sum(-1, true));
    const mask = c.lt(1).all(-1);
    mode.idx_put_(mask, ops._nn.one_hot(mode.idx(mask).argmax(-1), k).to(mode));
    return mode;
  }
  get variance(): Tensor {
    const con0 = this.concentration.sum(-1, true);
    return this.concentration.mul(con0.sub(this.concentration)).div(con0.pow(2).mul(con0.add(1)));
  }
  entropy(): Tensor {
    const c = this.concentration;
    const k = c.size(-1);
    const a0 = c.sum(-1);
    return ops.lgamma(c).sum(-1).sub(ops.lgamma(a0)).sub(a0.neg().add(k).mul(ops.digamma(a0))).sub(c.sub(1.0).mul(ops.digamma(c)).sum(-1));
  }
  get _natural_params(): Tensor[] {
    return [this.concentration];
  }
  _log_normalizer(x: Tensor): Tensor {
    return x.lgamma().sum(-1).sub(ops.lgamma(x.sum(-1)));
  }
}
