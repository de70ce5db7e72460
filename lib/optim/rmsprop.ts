/**
 * torch.optim.RMSprop (PyTorch 1.13's rule).
 */
import { Optimizer, ParamsLike, Closure, parseOptions, checkNumber, runClosure } from './optimizer';

/**
 * Implements the RMSprop algorithm.
 *
 * Args:
 *   params (iterable): parameters to optimize or objects defining parameter groups.
 *   lr (number): learning rate (default: 1e-2).
 *   alpha (number): smoothing constant (default: 0.99).
 *   eps (number): denominator term for numerical stability (default: 1e-8).
 *   weight_decay (number): weight decay (L2 penalty) (default: 0).
 *   momentum (number): momentum factor (default: 0).
 *   centered (boolean): normalize the gradient by an estimate of its variance (default: false).
 *   foreach, maximize, differentiable: as in PyTorch (`maximize` maximizes the objective).
 *
 * Example:
 *   const optimizer = new torch.optim.RMSprop(model.parameters(), {lr: 0.01, momentum: 0.9});
 */
export class RMSprop extends Optimizer {
  constructor(params: ParamsLike, ...args: any[]) {
    const o = parseOptions('RMSprop', ['lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered', 'foreach', 'maximize', 'differentiable'],
      { lr: 1e-2, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false, foreach: null, maximize: false, differentiable: false },
      args);
    checkNumber('lr', o.lr, (x) => x >= 0, 'learning rate');
    checkNumber('eps', o.eps, (x) => x >= 0, 'epsilon value');
    checkNumber('momentum', o.momentum, (x) => x >= 0, 'momentum value');
    checkNumber('weight_decay', o.weight_decay, (x) => x >= 0, 'weight_decay value');
    checkNumber('alpha', o.alpha, (x) => x >= 0, 'alpha value');
    super(params, {
      lr: o.lr, momentum: o.momentum, alpha: o.alpha, eps: o.eps, centered: o.centered, weight_decay: o.weight_decay,
      foreach: o.foreach, maximize: o.maximize, differentiable: o.differentiable,
    });
  }
  /** Performs a single optimization step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): any {
    let loss;
    if (closure !== undefined && closure !== null) loss = runClosure(closure);
    for (const g of this.param_groups) {
      const keys = ['square_avg'];
      if (g.momentum > 0) keys.push('momentum_buffer');
      if (g.centered) keys.push('grad_avg');
      this._native_step('_optim_rmsprop', g, keys,
        [g.lr, g.alpha, g.eps, g.weight_decay, g.momentum, Boolean(g.centered), Boolean(g.maximize)], { step: 0 }, true);
    }
    return loss;
  }
}
