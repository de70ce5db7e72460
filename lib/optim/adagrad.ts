/**
 * torch.optim.Adagrad (PyTorch 1.13's rule; state is made by the constructor, as in PyTorch).
 */
import { full_like } from '../generated/ops';
import { tensor } from '../creation';
import { float32 } from '../dtype';
import { _keep_alive } from '../scope';
import { Optimizer, ParamsLike, Closure, parseOptions, checkNumber, runClosure } from './optimizer';

/**
 * Implements the Adagrad algorithm.
 *
 * Args:
 *   params (iterable): parameters to optimize or objects defining parameter groups.
 *   lr (number): learning rate (default: 1e-2).
 *   lr_decay (number): learning rate decay (default: 0).
 *   weight_decay (number): weight decay (L2 penalty) (default: 0).
 *   initial_accumulator_value (number): starting value of the sums of squared gradients (default: 0).
 *   eps (number): denominator term for numerical stability (default: 1e-10).
 *   foreach; maximize (keyword only): maximize the objective instead of minimizing.
 *
 * Example:
 *   const optimizer = new torch.optim.Adagrad(model.parameters(), {lr: 0.1});
 */
export class Adagrad extends Optimizer {
  constructor(params: ParamsLike, ...args: any[]) {
    const o = parseOptions('Adagrad', ['lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps', 'foreach'],
      { lr: 1e-2, lr_decay: 0, weight_decay: 0, initial_accumulator_value: 0, eps: 1e-10, foreach: null, maximize: false },
      args, ['maximize']);
    checkNumber('lr', o.lr, (x) => x >= 0, 'learning rate');
    checkNumber('lr_decay', o.lr_decay, (x) => x >= 0, 'lr_decay value');
    checkNumber('weight_decay', o.weight_decay, (x) => x >= 0, 'weight_decay value');
    checkNumber('initial_accumulator_value', o.initial_accumulator_value, (x) => x >= 0, 'initial_accumulator_value value');
    checkNumber('eps', o.eps, (x) => x >= 0, 'epsilon value');
    super(params, {
      lr: o.lr, lr_decay: o.lr_decay, eps: o.eps, weight_decay: o.weight_decay,
      initial_accumulator_value: o.initial_accumulator_value, foreach: o.foreach, maximize: o.maximize,
    });
    for (const g of this.param_groups) {
      for (const p of g.params) {
        const step = tensor(0, { dtype: float32 });
        _keep_alive(step);
        const sum = full_like(p, o.initial_accumulator_value);
        _keep_alive(sum);
        this.state.set(p, { step, sum });
      }
    }
  }
  /** Performs a single optimization step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): any {
    let loss;
    if (closure !== undefined && closure !== null) loss = runClosure(closure);
    for (const g of this.param_groups) {
      this._native_step('_optim_adagrad', g, ['step', 'sum'], [g.lr, g.weight_decay, g.lr_decay, g.eps, Boolean(g.maximize)]);
    }
    return loss;
  }
}
