/**
 * torch.optim.SGD: stochastic gradient descent, optionally with momentum (PyTorch 1.13's rule).
 */
import { Optimizer, ParamsLike, Closure, parseOptions, checkNumber, required, runClosure } from './optimizer';

/**
 * Implements stochastic gradient descent (optionally with momentum).
 *
 * Args:
 *   params (iterable): parameters to optimize or objects defining parameter groups.
 *   lr (number): learning rate (required).
 *   momentum (number): momentum factor (default: 0).
 *   dampening (number): dampening for momentum (default: 0).
 *   weight_decay (number): weight decay (L2 penalty) (default: 0).
 *   nesterov (boolean): enables Nesterov momentum (default: false).
 *   maximize (boolean, keyword only): maximize the objective instead of minimizing (default: false).
 *   foreach, differentiable (keyword only): accepted for compatibility; the update is always the
 *     single-tensor one.
 *
 * Example:
 *   const optimizer = new torch.optim.SGD(model.parameters(), {lr: 0.1, momentum: 0.9});
 *   optimizer.zero_grad();
 *   loss_fn(model.forward(input), target).backward();
 *   optimizer.step();
 */
export class SGD extends Optimizer {
  constructor(params: ParamsLike, lr?: number | Record<string, any>, ...rest: any[]) {
    const o = parseOptions('SGD', ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov'],
      { lr: required, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false, foreach: null, differentiable: false },
      [lr, ...rest], ['maximize', 'foreach', 'differentiable']);
    if (o.lr !== required) checkNumber('lr', o.lr, (x) => x >= 0, 'learning rate');
    checkNumber('momentum', o.momentum, (x) => x >= 0, 'momentum value');
    checkNumber('weight_decay', o.weight_decay, (x) => x >= 0, 'weight_decay value');
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
    super(params, {
      lr: o.lr, momentum: o.momentum, dampening: o.dampening, weight_decay: o.weight_decay, nesterov: o.nesterov,
      maximize: o.maximize, foreach: o.foreach, differentiable: o.differentiable,
    });
  }

  /** Performs a single optimization step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): any {
    let loss;
    if (closure !== undefined && closure !== null) loss = runClosure(closure);
    for (const g of this.param_groups) {
      this._native_step('_optim_sgd', g, ['momentum_buffer'],
        [g.weight_decay, g.momentum, g.lr, g.dampening, Boolean(g.nesterov), Boolean(g.maximize)]);
    }
    return loss;
  }
}
