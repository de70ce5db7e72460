/**
 * torch.optim.Adam and torch.optim.AdamW (PyTorch 1.13's rules, non-capturable path).
 */
import { Optimizer, ParamsLike, Closure, parseOptions, checkNumber, runClosure, checkBetas } from './optimizer';

function checkAdam(o: Record<string, any>): void {
  checkNumber('lr', o.lr, (x) => x >= 0, 'learning rate');
  checkNumber('eps', o.eps, (x) => x >= 0, 'epsilon value');
  checkBetas(o.betas);
  checkNumber('weight_decay', o.weight_decay, (x) => x >= 0, 'weight_decay value');
  if (o.capturable) throw new RangeError('capturable=true (CUDA graph capture) is not supported by torch-node');
  if (o.fused) throw new RangeError('fused=true is not supported by torch-node');
}

function adamStep(opt: Optimizer, fn: string, closure: Closure | undefined): any {
  let loss;
  if (closure !== undefined && closure !== null) loss = runClosure(closure);
  for (const g of opt.param_groups) {
    const keys = ['step', 'exp_avg', 'exp_avg_sq'];
    if (g.amsgrad) keys.push('max_exp_avg_sq');
    const [beta1, beta2] = g.betas;
    (opt as any)._native_step(fn, g, keys,
      [Boolean(g.amsgrad), beta1, beta2, g.lr, g.weight_decay, g.eps, Boolean(g.maximize)]);
  }
  return loss;
}

/**
 * Implements the Adam algorithm.
 *
 * Args:
 *   params (iterable): parameters to optimize or objects defining parameter groups.
 *   lr (number): learning rate (default: 1e-3).
 *   betas ([number, number]): coefficients of the running averages of the gradient and its
 *     square (default: [0.9, 0.999]).
 *   eps (number): term added to the denominator for numerical stability (default: 1e-8).
 *   weight_decay (number): weight decay (L2 penalty) (default: 0).
 *   amsgrad (boolean): use the AMSGrad variant (default: false).
 *   foreach, maximize, capturable, differentiable, fused (keyword only): `maximize` maximizes the
 *     objective; capturable and fused must stay false.
 *
 * Example:
 *   const optimizer = new torch.optim.Adam(model.parameters(), {lr: 1e-3});
 */
export class Adam extends Optimizer {
  constructor(params: ParamsLike, ...args: any[]) {
    const o = parseOptions('Adam', ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad'],
      { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, foreach: null, maximize: false, capturable: false, differentiable: false, fused: false },
      args, ['foreach', 'maximize', 'capturable', 'differentiable', 'fused']);
    checkAdam(o);
    super(params, {
      lr: o.lr, betas: [...o.betas], eps: o.eps, weight_decay: o.weight_decay, amsgrad: o.amsgrad, maximize: o.maximize,
      foreach: o.foreach, capturable: o.capturable, differentiable: o.differentiable, fused: o.fused,
    });
  }
  /** Performs a single optimization step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): any {
    return adamStep(this, '_optim_adam', closure);
  }
}

/**
 * Implements the AdamW algorithm (Adam with decoupled weight decay).
 *
 * Args:
 *   params (iterable): parameters to optimize or objects defining parameter groups.
 *   lr (number): learning rate (default: 1e-3).
 *   betas ([number, number]): running-average coefficients (default: [0.9, 0.999]).
 *   eps (number): denominator term for numerical stability (default: 1e-8).
 *   weight_decay (number): weight decay coefficient (default: 1e-2).
 *   amsgrad (boolean): use the AMSGrad variant (default: false).
 *   maximize, foreach, capturable (keyword only).
 *
 * Example:
 *   const optimizer = new torch.optim.AdamW(model.parameters(), {lr: 1e-3, weight_decay: 0.05});
 */
export class AdamW extends Optimizer {
  constructor(params: ParamsLike, ...args: any[]) {
    const o = parseOptions('AdamW', ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad'],
      { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 1e-2, amsgrad: false, maximize: false, foreach: null, capturable: false },
      args, ['maximize', 'foreach', 'capturable']);
    checkAdam(o);
    super(params, {
      lr: o.lr, betas: [...o.betas], eps: o.eps, weight_decay: o.weight_decay, amsgrad: o.amsgrad,
      foreach: o.foreach, maximize: o.maximize, capturable: o.capturable,
    });
  }
  /** Performs a single optimization step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): any {
    return adamStep(this, '_optim_adamw', closure);
  }
}
