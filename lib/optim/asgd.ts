/**
 * torch.optim.ASGD (PyTorch 1.13's rule: step, eta and mu are 0-d float32 tensors in the state).
 */
import { Optimizer, ParamsLike, Closure, parseOptions, checkNumber, runClosure } from './optimizer';

/**
 * Implements Averaged Stochastic Gradient Descent.
 *
 * Args:
 *   params (iterable): parameters to optimize or objects defining parameter groups.
 *   lr (number): learning rate (default: 1e-2).
 *   lambd (number): decay term (default: 1e-4).
 *   alpha (number): power for eta update (default: 0.75).
 *   t0 (number): point at which to start averaging (default: 1e6).
 *   weight_decay (number): weight decay (L2 penalty) (default: 0).
 *   foreach; maximize (keyword only): maximize the objective instead of minimizing.
 *
 * Example:
 *   const optimizer = new torch.optim.ASGD(model.parameters(), {lr: 0.01});
 */
export class ASGD extends Optimizer {
  constructor(params: ParamsLike, ...args: any[]) {
    const o = parseOptions('ASGD', ['lr', 'lambd', 'alpha', 't0', 'weight_decay', 'foreach', 'maximize'],
      { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weight_decay: 0, foreach: null, maximize: false }, args);
    checkNumber('lr', o.lr, (x) => x >= 0, 'learning rate');
    checkNumber('lambd', o.lambd, () => true);
    checkNumber('alpha', o.alpha, () => true);
    checkNumber('t0', o.t0, () => true);
    checkNumber('weight_decay', o.weight_decay, (x) => x >= 0, 'weight_decay value');
    super(params, { lr: o.lr, lambd: o.lambd, alpha: o.alpha, t0: o.t0, weight_decay: o.weight_decay, foreach: o.foreach, maximize: o.maximize });
  }
  /** Performs a single optimization step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): any {
    let loss;
    if (closure !== undefined && closure !== null) loss = runClosure(closure);
    for (const g of this.param_groups) {
      this._native_step('_optim_asgd', g, ['step', 'eta', 'mu', 'ax'], [g.lambd, g.lr, g.t0, g.alpha, g.weight_decay, Boolean(g.maximize)]);
    }
    return loss;
  }
}
