/**
 * torch.optim.SparseAdam (PyTorch 1.13's rule) for sparse gradients, e.g. of
 * nn.Embedding(sparse=True): only the moments of the rows present in the gradient are updated.
 */
import { Tensor } from '../tensor';
import { Optimizer, ParamsLike, Closure, parseOptions, checkNumber, runClosure, checkBetas } from './optimizer';

/**
 * Implements the lazy version of Adam for sparse gradients.
 *
 * Args:
 *   params (iterable): parameters (dense tensors) to optimize or objects defining parameter groups.
 *   lr (number): learning rate (default: 1e-3).
 *   betas ([number, number]): running-average coefficients (default: [0.9, 0.999]).
 *   eps (number): denominator term for numerical stability (default: 1e-8).
 *   maximize (boolean): maximize the objective instead of minimizing (default: false).
 *
 * Example:
 *   const emb = new nn.Embedding(1000, 16, {sparse: true});
 *   const optimizer = new torch.optim.SparseAdam(emb.parameters(), {lr: 0.01});
 */
export class SparseAdam extends Optimizer {
  constructor(params: ParamsLike, ...args: any[]) {
    const o = parseOptions('SparseAdam', ['lr', 'betas', 'eps', 'maximize'],
      { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, maximize: false }, args);
    checkNumber('lr', o.lr, (x) => x > 0, 'learning rate');
    checkNumber('eps', o.eps, (x) => x > 0, 'epsilon value');
    checkBetas(o.betas);
    const list = params instanceof Tensor ? [params] : Array.from(params as Iterable<any>);
    const sparse: string[] = [];
    list.forEach((p: any, i) => {
      if (p instanceof Tensor) {
        if (p.is_sparse) sparse.push(String(i));
      } else if (p && Array.isArray(p.params)) {
        p.params.forEach((q: Tensor, j: number) => q instanceof Tensor && q.is_sparse && sparse.push(`[${i}, ${j}]`));
      }
    });
    if (sparse.length) throw new RangeError(`Sparse params at indices [${sparse.join(', ')}]: SparseAdam requires dense parameter tensors`);
    super(list, { lr: o.lr, betas: [...o.betas], eps: o.eps, maximize: o.maximize });
  }
  /** Performs a single optimization step; `closure` re-evaluates the model and returns the loss. */
  step(closure?: Closure): any {
    let loss;
    if (closure !== undefined && closure !== null) loss = runClosure(closure);
    for (const g of this.param_groups) {
      const [beta1, beta2] = g.betas;
      const steps = g.params.map((p: Tensor) => (this.state.get(p)?.step ?? 0) + 1);
      this._native_step('_optim_sparse_adam', g, ['exp_avg', 'exp_avg_sq'], [steps, g.lr, beta1, beta2, g.eps, Boolean(g.maximize)],
        { step: 0 }, true);
    }
    return loss;
  }
}
