/**
 * torch.optim.Adamax (PyTorch 1.13's rule).
 */
import { Optimizer, ParamsLike, Closure, parseOptions, checkNumber, runClosure, checkBetas } from './optimizer';

/**
 * Implements the Adamax algorithm (a variant of Adam based on the infinity norm).
 *
 * Args:
 *   params (iterable): parameters to optimize or objects defining parameter groups.
 *   lr (number): learning rate (default: 2e-3).
 *   betas ([number, number]): running-average coefficients (default: [0.9, 0.999]).
 *   eps (number): denominator term for numerical stability (default: 1e-8).
 *   weight_decay (number): weight decay (L2 penalty) (default: 0).
 *   foreach; maximize (keyword only).
 *
 * Example:
 *   const optimizer = new torch.optim.Adamax(model.parameters());
 */
export class Adamax extends Optimizer {
  constructor(params: ParamsLike, ...args: any[]) {
    const o = parseOptions('Adamax', ['lr', 'betas', 'eps', 'weight_decay', 'foreach'],
      { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, foreach: null, maximize: false }, args, ['maximize']);
    checkNumber('lr', o.lr, (x) => x >= 0, 'learning rate');
    checkNumber('eps', o.eps, (x) => x >= 0, 'epsilon value');
    checkBetas(o.betas);
    checkNumber('weight_decay', o.weight_decay, (x) => x >= 0, 'weight_decay value');
    super(params, { lr: o.lr, betas: [...o.betas], eps: o.eps, weight_decay: o.weight_decay, foreach: o.foreach, maximize: o.maximize });
  }
  /** Performs a single optimization step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): any {
    let loss;
    if (closure !== undefined && closure !== null) loss = runClosure(closure);
    for (const g of this.param_groups) {
      const [beta1, beta2] = g.betas;
      this._native_step('_optim_adamax', g, ['step', 'exp_avg', 'exp_inf'], [g.eps, beta1, beta2, g.lr, g.weight_decay, Boolean(g.maximize)]);
    }
    return loss;
  }
}
