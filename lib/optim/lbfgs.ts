/**
 * torch.optim.LBFGS, with the optional strong-Wolfe line search (PyTorch 1.13's torch/optim/lbfgs.py).
 *
 * LBFGS calls the user's closure many times per step, so, as in PyTorch, its algorithm is driven
 * from the host language: every vector operation is one ATen op on the flat gradient/direction
 * (no element loops), the per-parameter parts (_gather_flat_grad, _add_grad, _clone_param,
 * _set_param) are one native call each. Python mixes floats and 0-d tensors in the line search
 * (`gtd`, `t`, `d2` are tensors; losses are floats): the helpers below reproduce Python's operator
 * semantics for `number | Tensor` operands with the same ATen ops, so the iterates match PyTorch's.
 */
import { native } from '../binding';
import { Tensor } from '../tensor';
import { _keep_alive } from '../scope';
import { dot, rsub } from '../generated/ops';
import { Optimizer, ParamsLike, Closure, parseOptions, runClosure, lossValue, handles } from './optimizer';

type V = number | Tensor;

const isT = (v: V): v is Tensor => v instanceof Tensor;
const truth = (t: Tensor): boolean => Boolean(t.item());

function add(a: V, b: V): V {
  if (isT(a)) return a.add(b as any);
  if (isT(b)) return b.add(a);
  return a + b;
}
function sub(a: V, b: V): V {
  if (isT(a)) return a.sub(b as any);
  if (isT(b)) return rsub(b, a);
  return a - b;
}
function mul(a: V, b: V): V {
  if (isT(a)) return a.mul(b as any);
  if (isT(b)) return b.mul(a);
  return a * b;
}
function div(a: V, b: V): V {
  if (isT(a)) return a.div(b as any);
  if (isT(b)) return b.reciprocal().mul(a); // Python's float / Tensor
  return a / b;
}
function neg(a: V): V {
  return isT(a) ? a.neg() : -a;
}
function pyabs(a: V): V {
  return isT(a) ? a.abs() : Math.abs(a);
}
function gt(a: V, b: V): boolean {
  if (isT(a)) return truth(a.gt(b as any));
  if (isT(b)) return truth(b.lt(a));
  return a > b;
}
function lt(a: V, b: V): boolean {
  return gt(b, a);
}
function ge(a: V, b: V): boolean {
  if (isT(a)) return truth(a.ge(b as any));
  if (isT(b)) return truth(b.le(a));
  return a >= b;
}
function le(a: V, b: V): boolean {
  return ge(b, a);
}
/** Python's max(a, b): a unless b > a. */
function pymax(a: V, b: V): V {
  return gt(b, a) ? b : a;
}
/** Python's min(a, b): a unless b < a. */
function pymin(a: V, b: V): V {
  return lt(b, a) ? b : a;
}
function num(v: V): number {
  return isT(v) ? Number(v.item()) : v;
}

function cubicInterpolate(x1: V, f1: V, g1: V, x2: V, f2: V, g2: V, bounds?: [V, V]): V {
  let xmin_bound: V, xmax_bound: V;
  if (bounds !== undefined) [xmin_bound, xmax_bound] = bounds;
  else [xmin_bound, xmax_bound] = le(x1, x2) ? [x1, x2] : [x2, x1];
  // d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
  const d1 = sub(add(g1, g2), div(mul(3, sub(f1, f2)), sub(x1, x2)));
  // d2_square = d1**2 - g1 * g2
  const d2_square = sub(isT(d1) ? d1.pow(2) : d1 * d1, mul(g1, g2));
  if (ge(d2_square, 0)) {
    if (!isT(d2_square)) throw new TypeError('LBFGS line search: gradients must be tensors');
    const d2 = d2_square.sqrt();
    let min_pos: V;
    if (le(x1, x2)) min_pos = sub(x2, mul(sub(x2, x1), div(sub(add(g2, d2), d1), add(sub(g2, g1), mul(2, d2)))));
    else min_pos = sub(x1, mul(sub(x1, x2), div(sub(add(g1, d2), d1), add(sub(g1, g2), mul(2, d2)))));
    return pymin(pymax(min_pos, xmin_bound), xmax_bound);
  }
  return div(add(xmin_bound, xmax_bound), 2);
}

type ObjFunc = (x: Tensor[], t: V, d: Tensor) => [number, Tensor];

function strongWolfe(obj_func: ObjFunc, x: Tensor[], t: V, d: Tensor, f: number, g: Tensor, gtd: Tensor,
  c1 = 1e-4, c2 = 0.9, tolerance_change = 1e-9, max_ls = 25): [number, Tensor, V, number] {
  const d_norm = d.abs().max();
  g = g.clone();
  let [f_new, g_new] = obj_func(x, t, d);
  let ls_func_evals = 1;
  let gtd_new: V = dot(g_new, d);
  let t_prev: V = 0, f_prev: number = f, g_prev: Tensor = g, gtd_prev: V = gtd;
  let done = false;
  let ls_iter = 0;
  let bracket: V[] = [], bracket_f: number[] = [], bracket_g: Tensor[] = [], bracket_gtd: V[] = [];
  while (ls_iter < max_ls) {
    if (gt(f_new, add(f, mul(mul(c1, t), gtd))) || (ls_iter > 1 && f_new >= f_prev)) {
      bracket = [t_prev, t];
      bracket_f = [f_prev, f_new];
      bracket_g = [g_prev, g_new.clone()];
      bracket_gtd = [gtd_prev, gtd_new];
      break;
    }
    if (le(pyabs(gtd_new), mul(-c2, gtd))) {
      bracket = [t];
      bracket_f = [f_new];
      bracket_g = [g_new];
      done = true;
      break;
    }
    if (ge(gtd_new, 0)) {
      bracket = [t_prev, t];
      bracket_f = [f_prev, f_new];
      bracket_g = [g_prev, g_new.clone()];
      bracket_gtd = [gtd_prev, gtd_new];
      break;
    }
    const min_step = add(t, mul(0.01, sub(t, t_prev)));
    const max_step = mul(t, 10);
    const tmp = t;
    t = cubicInterpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, [min_step, max_step]);
    t_prev = tmp;
    f_prev = f_new;
    g_prev = g_new.clone();
    gtd_prev = gtd_new;
    [f_new, g_new] = obj_func(x, t, d);
    ls_func_evals += 1;
    gtd_new = dot(g_new, d);
    ls_iter += 1;
  }
  if (ls_iter === max_ls) {
    bracket = [0, t];
    bracket_f = [f, f_new];
    bracket_g = [g, g_new];
  }
  const bmax = (): V => pymax(bracket[0], bracket[1]);
  const bmin = (): V => pymin(bracket[0], bracket[1]);
  let insuf_progress = false;
  let [low_pos, high_pos] = bracket_f[0] <= bracket_f[bracket_f.length - 1] ? [0, 1] : [1, 0];
  while (!done && ls_iter < max_ls) {
    if (lt(mul(pyabs(sub(bracket[1], bracket[0])), d_norm), tolerance_change)) break;
    t = cubicInterpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]);
    const eps = mul(0.1, sub(bmax(), bmin()));
    if (lt(pymin(sub(bmax(), t), sub(t, bmin())), eps)) {
      if (insuf_progress || ge(t, bmax()) || le(t, bmin())) {
        if (lt(pyabs(sub(t, bmax())), pyabs(sub(t, bmin())))) t = sub(bmax(), eps);
        else t = add(bmin(), eps);
        insuf_progress = false;
      } else {
        insuf_progress = true;
      }
    } else {
      insuf_progress = false;
    }
    [f_new, g_new] = obj_func(x, t, d);
    ls_func_evals += 1;
    gtd_new = dot(g_new, d);
    ls_iter += 1;
    if (gt(f_new, add(f, mul(mul(c1, t), gtd))) || f_new >= bracket_f[low_pos]) {
      bracket[high_pos] = t;
      bracket_f[high_pos] = f_new;
      bracket_g[high_pos] = g_new.clone();
      bracket_gtd[high_pos] = gtd_new;
      [low_pos, high_pos] = bracket_f[0] <= bracket_f[1] ? [0, 1] : [1, 0];
    } else {
      if (le(pyabs(gtd_new), mul(-c2, gtd))) {
        done = true;
      } else if (ge(mul(gtd_new, sub(bracket[high_pos], bracket[low_pos])), 0)) {
        bracket[high_pos] = bracket[low_pos];
        bracket_f[high_pos] = bracket_f[low_pos];
        bracket_g[high_pos] = bracket_g[low_pos];
        bracket_gtd[high_pos] = bracket_gtd[low_pos];
      }
      bracket[low_pos] = t;
      bracket_f[low_pos] = f_new;
      bracket_g[low_pos] = g_new.clone();
      bracket_gtd[low_pos] = gtd_new;
    }
  }
  t = bracket[low_pos];
  return [bracket_f[low_pos], bracket_g[low_pos], t, ls_func_evals];
}

/**
 * Implements the L-BFGS algorithm, heavily inspired by minFunc. Supports only one parameter group;
 * all parameters must be on one device. Needs `param_bytes * (history_size + 1)` extra memory.
 *
 * Args:
 *   params (iterable): parameters to optimize.
 *   lr (number): learning rate (default: 1).
 *   max_iter (number): maximal number of iterations per optimization step (default: 20).
 *   max_eval (number): maximal number of function evaluations per step (default: max_iter * 1.25).
 *   tolerance_grad (number): termination tolerance on first order optimality (default: 1e-7).
 *   tolerance_change (number): termination tolerance on function value/parameter changes (default: 1e-9).
 *   history_size (number): update history size (default: 100).
 *   line_search_fn ('strong_wolfe' | null): line search (default: null).
 *
 * Example:
 *   const optimizer = new torch.optim.LBFGS(model.parameters(), {line_search_fn: 'strong_wolfe'});
 *   optimizer.step(() => { optimizer.zero_grad(); const loss = lossFn(model.forward(x), y); loss.backward(); return loss; });
 */
export class LBFGS extends Optimizer {
  private _params: Tensor[];
  private _numel_cache: number | null = null;

  constructor(params: ParamsLike, ...args: any[]) {
    const o = parseOptions('LBFGS', ['lr', 'max_iter', 'max_eval', 'tolerance_grad', 'tolerance_change', 'history_size', 'line_search_fn'],
      { lr: 1, max_iter: 20, max_eval: null, tolerance_grad: 1e-7, tolerance_change: 1e-9, history_size: 100, line_search_fn: null }, args);
    if (o.max_eval === null) o.max_eval = Math.floor((o.max_iter * 5) / 4);
    for (const k of ['max_iter', 'max_eval', 'history_size']) {
      if (!Number.isInteger(o[k]) || o[k] < 1) throw new RangeError(`Invalid ${k}: ${o[k]}`);
    }
    if (o.line_search_fn !== null && o.line_search_fn !== 'strong_wolfe') throw new RangeError("only 'strong_wolfe' is supported");
    super(params, o);
    if (this.param_groups.length !== 1) throw new RangeError("LBFGS doesn't support per-parameter options (parameter groups)");
    this._params = this.param_groups[0].params;
  }

  private _numel(): number {
    if (this._numel_cache === null) this._numel_cache = this._params.reduce((n, p) => n + p.numel(), 0);
    return this._numel_cache;
  }
  private _gather_flat_grad(): Tensor {
    return new Tensor(native._optim_flat_grad(handles(this._params)));
  }
  private _add_grad(step_size: V, update: Tensor): void {
    native._optim_add_grad(handles(this._params), num(step_size), update._h);
  }
  private _clone_param(): Tensor[] {
    return (native._optim_clone_params(handles(this._params)) as number[]).map((h) => new Tensor(h));
  }
  private _set_param(params_data: Tensor[]): void {
    native._optim_set_params(handles(this._params), handles(params_data));
  }
  private _directional_evaluate(closure: Closure, x: Tensor[], t: V, d: Tensor): [number, Tensor] {
    this._add_grad(t, d);
    const loss = lossValue(runClosure(closure));
    const flat_grad = this._gather_flat_grad();
    this._set_param(x);
    return [loss, flat_grad];
  }

  /**
   * Performs a single optimization step.
   *
   * Args:
   *   closure (function): re-evaluates the model (zero_grad, forward, backward) and returns the loss.
   */
  step(closure: Closure): any {
    if (typeof closure !== 'function') throw new TypeError('LBFGS.step() requires a closure that returns the loss');
    if (this.param_groups.length !== 1) throw new RangeError("LBFGS doesn't support per-parameter options (parameter groups)");
    const group = this.param_groups[0];
    const lr: number = group.lr;
    const max_iter: number = group.max_iter;
    const max_eval: number = group.max_eval;
    const tolerance_grad: number = group.tolerance_grad;
    const tolerance_change: number = group.tolerance_change;
    const line_search_fn: string | null = group.line_search_fn;
    const history_size: number = group.history_size;

    let state = this.state.get(this._params[0]);
    if (!state) {
      state = {};
      this.state.set(this._params[0], state);
    }
    if (!('func_evals' in state)) state.func_evals = 0;
    if (!('n_iter' in state)) state.n_iter = 0;

    const orig_loss = runClosure(closure);
    let loss = lossValue(orig_loss);
    let current_evals = 1;
    state.func_evals += 1;

    let flat_grad = this._gather_flat_grad();
    let opt_cond = le(flat_grad.abs().max(), tolerance_grad);
    if (opt_cond) return orig_loss;

    let d: Tensor = state.d;
    let t: V = state.t;
    let old_dirs: Tensor[] = state.old_dirs;
    let old_stps: Tensor[] = state.old_stps;
    let ro: Tensor[] = state.ro;
    let H_diag: V = state.H_diag;
    let prev_flat_grad: Tensor | undefined = state.prev_flat_grad;
    let prev_loss: number = state.prev_loss;

    let n_iter = 0;
    while (n_iter < max_iter) {
      n_iter += 1;
      state.n_iter += 1;
      if (state.n_iter === 1) {
        d = flat_grad.neg();
        old_dirs = [];
        old_stps = [];
        ro = [];
        H_diag = 1;
      } else {
        const y = flat_grad.sub(prev_flat_grad!);
        const s = d.mul(t as any);
        const ys = dot(y, s);
        if (gt(ys, 1e-10)) {
          if (old_dirs.length === history_size) {
            old_dirs.shift();
            old_stps.shift();
            ro.shift();
          }
          old_dirs.push(y);
          old_stps.push(s);
          ro.push(ys.reciprocal().mul(1.0));
          H_diag = ys.div(dot(y, y));
        }
        const num_old = old_dirs.length;
        if (!('al' in state)) state.al = new Array(history_size).fill(null);
        const al: (Tensor | null)[] = state.al;
        const q = flat_grad.neg();
        for (let i = num_old - 1; i >= 0; i--) {
          al[i] = dot(old_stps[i], q).mul(ro[i]);
          q.add_(old_dirs[i], { alpha: num(al[i]!.neg()) });
        }
        const r = q.mul(H_diag as any);
        d = r;
        for (let i = 0; i < num_old; i++) {
          const be_i = dot(old_dirs[i], r).mul(ro[i]);
          r.add_(old_stps[i], { alpha: num(al[i]!.sub(be_i)) });
        }
      }
      if (prev_flat_grad === undefined || prev_flat_grad === null) prev_flat_grad = flat_grad.clone();
      else prev_flat_grad.copy_(flat_grad);
      prev_loss = loss;

      if (state.n_iter === 1) t = mul(pymin(1.0, flat_grad.abs().sum().reciprocal().mul(1.0)), lr);
      else t = lr;

      const gtd = dot(flat_grad, d);
      if (gt(gtd, -tolerance_change)) break;

      let ls_func_evals = 0;
      if (line_search_fn !== null && line_search_fn !== undefined) {
        if (line_search_fn !== 'strong_wolfe') throw new RangeError("only 'strong_wolfe' is supported");
        const x_init = this._clone_param();
        const obj_func: ObjFunc = (x, tt, dd) => this._directional_evaluate(closure, x, tt, dd);
        [loss, flat_grad, t, ls_func_evals] = strongWolfe(obj_func, x_init, t, d, loss, flat_grad, gtd);
        this._add_grad(t, d);
        opt_cond = le(flat_grad.abs().max(), tolerance_grad);
      } else {
        this._add_grad(t, d);
        if (n_iter !== max_iter) {
          loss = lossValue(runClosure(closure));
          flat_grad = this._gather_flat_grad();
          opt_cond = le(flat_grad.abs().max(), tolerance_grad);
          ls_func_evals = 1;
        }
      }
      current_evals += ls_func_evals;
      state.func_evals += ls_func_evals;

      if (n_iter === max_iter) break;
      if (current_evals >= max_eval) break;
      if (opt_cond) break;
      if (le(d.mul(t as any).abs().max(), tolerance_change)) break;
      if (Math.abs(loss - prev_loss) < tolerance_change) break;
    }

    state.d = d;
    state.t = t;
    state.old_dirs = old_dirs;
    state.old_stps = old_stps;
    state.ro = ro;
    state.H_diag = H_diag;
    state.prev_flat_grad = prev_flat_grad;
    state.prev_loss = prev_loss;
    keepState(state);
    return orig_loss;
  }
}

function keepState(v: unknown, depth = 0): void {
  if (depth > 4) return;
  if (v instanceof Tensor) _keep_alive(v);
  else if (Array.isArray(v)) for (const x of v) keepState(x, depth + 1);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) keepState(x, depth + 1);
}
