/**
 * torch.optim.Adadelta (PyTorch 1.13's rule).
 */
import { Optimizer, ParamsLike, Closure, parseOptions, checkNumber, runClosure } from './optimizer';

/**
 * Implements the Adadelta algorithm.
 *
 * Args:
 *   params (iterable): parameters to optimize or objects defining parameter groups.
 *   lr (number): coefficient that scales delta before it is applied (default: 1.0).
 *   rho (number): coefficient of the running average of squared gradients (default: 0.9).
 *   eps (number): denominator term for numerical stability (default: 1e-6).
 *   weight_decay (number): weight decay (L2 penalty) (default: 0).
 *   foreach; maximize (keyword only).
 *
 * Example:
 *   const optimizer = new torch.optim.Adadelta(model.parameters());
 */
export class Adadelta extends Optimizer {
  constructor(params: ParamsLike, ...args: any[]) {
    const o = parseOptions('Adadelta', ['lr', 'rho', 'eps', 'weight_decay', 'foreach'],
      { lr: 1.0, rho: 0.9, eps: 1e-6, weight_decay: 0, foreach: null, maximize: false }, args, ['maximize']);
    checkNumber('lr', o.lr, (x) => x >= 0, 'learning rate');
    checkNumber('rho', o.rho, (x) => x >= 0 && x <= 1, 'rho value');
    checkNumber('eps', o.eps, (x) => x >= 0, 'epsilon value');
    checkNumber('weight_decay', o.weight_decay, (x) => x >= 0, 'weight_decay value');
    super(params, { lr: o.lr, rho: o.rho, eps: o.eps, weight_decay: o.weight_decay, maximize: o.maximize, foreach: o.foreach });
  }
  /** Performs a single optimization step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): any {
    let loss;
    if (closure !== undefined && closure !== null) loss = runClosure(closure);
    for (const g of this.param_groups) {
      this._native_step('_optim_adadelta', g, ['square_avg', 'acc_delta'],
        [g.lr, g.rho, g.eps, g.weight_decay, Boolean(g.maximize)], { step: 0 }, true);
    }
    return loss;
  }
}
