/**
 * torch.optim.Rprop (PyTorch 1.13's rule; `state.step` is a number, as 1.13 keeps an int).
 */
import { Optimizer, ParamsLike, Closure, parseOptions, checkNumber, runClosure } from './optimizer';

function pair(name: string, v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number') {
    throw new TypeError(`${name} must be a pair of numbers`);
  }
  return [v[0], v[1]];
}

/**
 * Implements the resilient backpropagation algorithm.
 *
 * Args:
 *   params (iterable): parameters to optimize or objects defining parameter groups.
 *   lr (number): learning rate (default: 1e-2).
 *   etas ([number, number]): multiplicative decrease and increase factors [etaminus, etaplus]
 *     (default: [0.5, 1.2]).
 *   step_sizes ([number, number]): minimal and maximal allowed step sizes (default: [1e-6, 50]).
 *   foreach; maximize (keyword only): maximize the objective instead of minimizing.
 *
 * Example:
 *   const optimizer = new torch.optim.Rprop(model.parameters(), {lr: 0.01});
 */
export class Rprop extends Optimizer {
  constructor(params: ParamsLike, ...args: any[]) {
    const o = parseOptions('Rprop', ['lr', 'etas', 'step_sizes', 'foreach', 'maximize'],
      { lr: 1e-2, etas: [0.5, 1.2], step_sizes: [1e-6, 50], foreach: null, maximize: false }, args);
    checkNumber('lr', o.lr, (x) => x >= 0, 'learning rate');
    const etas = pair('etas', o.etas);
    if (!(0 < etas[0] && etas[0] < 1 && 1 < etas[1])) throw new RangeError(`Invalid eta values: ${etas[0]}, ${etas[1]}`);
    super(params, { lr: o.lr, etas, step_sizes: pair('step_sizes', o.step_sizes), foreach: o.foreach, maximize: o.maximize });
  }
  /** Performs a single optimization step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): any {
    let loss;
    if (closure !== undefined && closure !== null) loss = runClosure(closure);
    for (const g of this.param_groups) {
      const [etaminus, etaplus] = g.etas;
      const [smin, smax] = g.step_sizes;
      this._native_step('_optim_rprop', g, ['prev', 'step_size'], [g.lr, etaminus, etaplus, smin, smax, Boolean(g.maximize)],
        { step: 0 }, true);
    }
    return loss;
  }
}
