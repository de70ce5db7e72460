/**
 * torch.optim.Optimizer: the base class of every optimizer (PyTorch 1.13's torch/optim/optimizer.py).
 *
 * How the math is done (and why not torch::optim): each optimizer's update is ONE native call per
 * parameter group and step (native/optim/optim.cc), a C++ loop over the group that repeats PyTorch
 * 1.13's single-tensor ("for-loop") implementation from torch/optim/<name>.py op for op. libtorch's
 * C++ torch::optim classes keep their own copy of the options and state per parameter group, which
 * would have to be synchronised with the JS `param_groups` on every step (schedulers and users
 * write `lr`, `momentum`, `betas` there at any time), cover only SGD/Adam/AdamW/RMSprop/Adagrad/
 * LBFGS, and differ in details from the Python optimizers (AdamW's and RMSprop's state, LBFGS's
 * line search). Mirroring the Python rules instead makes every trajectory follow PyTorch's
 * exactly (same ATen ops on the same libtorch), lets the JS objects be the only copy of the
 * options, and keeps state layouts identical to Python's, so state_dict() is what Python's
 * `optimizer.state_dict()` is. No element loop runs in JavaScript. LBFGS, whose step calls the
 * user's closure many times, is driven from TS with ATen ops, as PyTorch drives it from Python.
 *
 * Gradients are read natively from each parameter's grad slot (what `backward()` fills and
 * `param.grad` reads). The state tensors (exp_avg, momentum_buffer, …) are Tensors in
 * `optimizer.state`, a Map from parameter to a plain object, like PyTorch's `optimizer.state`.
 * They are kept out of tidy()/dispose_scope() scopes, so a step inside a scope does not free them.
 *
 * `zero_grad()` follows PyTorch 2.x: `set_to_none` defaults to true (grads become null), as
 * Module.zero_grad does; pass false for 1.13's in-place zeroing.
 */
import { native } from '../binding';
import { Tensor } from '../tensor';
import { _keep_alive } from '../scope';
import { describe, isPlainObject, copyPlain } from '../_utils';
import { refuseHoles } from '../dispatch';

/** PyTorch's `required` sentinel: an option that every parameter group must give. */
export const required: { toString(): string } = Object.freeze({ toString: () => '<required parameter>' });

/** A parameter group: `params` plus the group's options (lr, momentum, betas, …). */
export interface ParamGroup {
  params: Tensor[];
  [option: string]: any;
}

/** What an optimizer accepts as `params`: Tensors, or parameter groups `{params, ...options}`. */
export type ParamsLike = Iterable<Tensor> | Iterable<{ params: Iterable<Tensor> | Tensor; [option: string]: any }>;

/** A closure that re-evaluates the model and returns the loss. */
export type Closure = () => Tensor | number;

/** An optimizer's state_dict: state keyed by parameter index, groups with index lists. */
export interface OptimizerStateDict {
  state: Map<number, Record<string, any>>;
  param_groups: Record<string, any>[];
}

/**
 * @internal Parses `(a, b, {c})` ≡ `({a, b, c})` for constructors: `names` in PyTorch's positional
 * order, `kwOnly` the keyword-only names; returns the options with defaults applied.
 */
export function parseOptions(
  fname: string,
  names: string[],
  defaults: Record<string, any>,
  args: any[],
  kwOnly: string[] = [],
): Record<string, any> {
  const out: Record<string, any> = {};
  let pos = args;
  while (pos.length && pos[pos.length - 1] === undefined) pos = pos.slice(0, -1);
  if (pos.length && isPlainObject(pos[pos.length - 1])) {
    const kw = pos[pos.length - 1];
    pos = pos.slice(0, -1);
    for (const k of Object.keys(kw)) {
      if (!names.includes(k) && !kwOnly.includes(k)) throw new TypeError(`${fname}() got an unexpected keyword argument '${k}'`);
      if (kw[k] !== undefined) out[k] = kw[k];
    }
  }
  if (pos.length > names.length) throw new TypeError(`${fname}() takes at most ${names.length} positional arguments but ${pos.length} were given`);
  pos.forEach((v, i) => {
    if (v === undefined) return;
    if (names[i] in out) throw new TypeError(`${fname}() got multiple values for argument '${names[i]}'`);
    out[names[i]] = v;
  });
  for (const k of [...names, ...kwOnly]) if (!(k in out) && k in defaults) out[k] = defaults[k];
  return out;
}

/** @internal Checks a number option (RangeError like PyTorch's ValueError when out of range). */
export function checkNumber(name: string, v: unknown, ok: (x: number) => boolean, what = 'value'): void {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, got ${typeof v}`);
  if (!ok(v)) throw new RangeError(`Invalid ${what}: ${v}`);
}

/** @internal Checks Adam-style `betas`: a pair of numbers in [0, 1) (TypeError/RangeError as PyTorch's). */
export function checkBetas(betas: unknown): void {
  if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError('betas must be a pair of numbers [beta1, beta2]');
  checkNumber('betas[0]', betas[0], (x) => x >= 0 && x < 1, 'beta parameter at index 0');
  checkNumber('betas[1]', betas[1], (x) => x >= 0 && x < 1, 'beta parameter at index 1');
}

/** @internal Runs the closure with grad enabled (PyTorch wraps closures in torch.enable_grad()). */
export function runClosure(closure: Closure): any {
  if (typeof closure !== 'function') throw new TypeError('closure must be a function');
  const set = (native as any)._set_grad_enabled as ((m: boolean) => boolean) | undefined;
  if (!set) return closure();
  const prev = set(true);
  try {
    return closure();
  } finally {
    set(prev);
  }
}

/** @internal The value of a loss returned by a closure, as Python's float(loss). */
export function lossValue(v: unknown): number {
  if (v instanceof Tensor) return Number(v.item());
  if (typeof v === 'number') return v;
  throw new TypeError(`the closure must return the loss (a Tensor or a number), got ${v === null ? 'null' : typeof v}`);
}

function fmtValue(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `(${v.map(fmtValue).join(', ')})`;
  if (typeof v === 'string') return v;
  return String(v);
}

/** Deep copy of a state value with tensors cloned (Python's deepcopy in load_state_dict). */
function castState(param: Tensor, value: any, key?: string): any {
  if (value instanceof Tensor) {
    let v = value.clone();
    _keep_alive(v);
    if (key !== 'step') {
      if (param.is_floating_point() && v.dtype !== param.dtype) v = keep(v.to(param.dtype));
      const dev = param.device.toString();
      if (v.device.toString() !== dev) v = keep(v.to(dev));
    }
    return v;
  }
  if (value instanceof Map) {
    const m = new Map();
    for (const [k, v] of value) m.set(k, castState(param, v, typeof k === 'string' ? k : undefined));
    return m;
  }
  if (isPlainObject(value)) {
    const o: Record<string, any> = {};
    for (const k of Object.keys(value)) o[k] = castState(param, value[k], k);
    return o;
  }
  if (Array.isArray(value)) return value.map((v) => castState(param, v));
  return value;
}

function keep(t: Tensor): Tensor {
  _keep_alive(t);
  return t;
}

/**
 * Base class for all optimizers.
 *
 * Args:
 *   params (iterable): Tensors, or objects `{params, ...options}` defining parameter groups.
 *   defaults (object): default values of the options (used when a group does not give them).
 */
export class Optimizer {
  defaults: Record<string, any>;
  /** Per-parameter state: a Map from parameter Tensor to a plain object (PyTorch's `optimizer.state`). */
  state: Map<Tensor, Record<string, any>>;
  /** The parameter groups: plain objects `{params, lr, ...}`; read and write options here. */
  param_groups: ParamGroup[];
  /** @internal counted by lr schedulers (PyTorch's `optimizer._step_count`). */
  _step_count?: number;

  constructor(params: ParamsLike, defaults: Record<string, any>) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError('params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.Tensor');
    }
    if (params === null || params === undefined || typeof (params as any)[Symbol.iterator] !== 'function') {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${describe(params)}`);
    }
    refuseHoles(this.constructor.name, 'params', params);
    this.state = new Map();
    this.param_groups = [];
    let groups: any[] = Array.from(params as Iterable<any>);
    if (groups.length === 0) throw new RangeError('optimizer got an empty parameter list');
    if (!isPlainObject(groups[0])) groups = [{ params: groups }];
    for (const g of groups) this.add_param_group(g);
  }

  /**
   * Adds a parameter group to `param_groups` (for instance when unfreezing layers while training).
   *
   * Args:
   *   param_group (object): `{params, ...options}`; options it does not give take the defaults.
   */
  add_param_group(param_group: { params: Iterable<Tensor> | Tensor; [option: string]: any }): void {
    if (!isPlainObject(param_group)) throw new TypeError('param group must be a dict');
    const params = param_group.params;
    let list: any[];
    if (params instanceof Tensor) list = [params];
    else if (params instanceof Set) {
      throw new TypeError('optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.');
    } else if (params !== null && params !== undefined && typeof (params as any)[Symbol.iterator] === 'function') list = Array.from(params as Iterable<any>);
    else throw new TypeError(`param group 'params' must be a Tensor or an iterable of Tensors, got ${describe(params)}`);
    for (const p of list) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${describe(p)}`);
      if (p.is_disposed) throw new TypeError('optimizer got a disposed Tensor');
      const isLeaf = (p as any).is_leaf;
      const retains = (p as any).retains_grad;
      if (!this.defaults.differentiable && isLeaf === false && !retains) throw new RangeError("can't optimize a non-leaf Tensor");
    }
    (param_group as any).params = list;
    for (const name of Object.keys(this.defaults)) {
      const d = this.defaults[name];
      if (d === required && !(name in param_group)) {
        throw new RangeError(`parameter group didn't specify a value of required optimization parameter ${name}`);
      }
      if (!(name in param_group)) (param_group as any)[name] = Array.isArray(d) ? [...d] : d;
    }
    if (new Set(list).size !== list.length) {
      process.emitWarning('optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information');
    }
    for (const g of this.param_groups) {
      for (const p of g.params) {
        if (list.includes(p)) throw new RangeError('some parameters appear in more than one parameter group');
      }
    }
    this.param_groups.push(param_group as ParamGroup);
  }

  /**
   * Sets the gradients of all optimized Tensors to zero.
   *
   * Args:
   *   set_to_none (boolean): instead of setting to zero, set the grads to null. Default: true, as
   *     in PyTorch 2.x and Module.zero_grad (PyTorch 1.13 defaulted to false).
   */
  zero_grad(set_to_none: boolean | { set_to_none?: boolean } = true): void {
    const s = isPlainObject(set_to_none) ? set_to_none.set_to_none ?? true : set_to_none;
    if (typeof s !== 'boolean') throw new TypeError('zero_grad(): set_to_none must be a boolean');
    for (const g of this.param_groups) native._optim_zero_grad(g.params.map((p) => p._h), s);
  }

  /**
   * Performs a single optimization step (parameter update).
   *
   * Args:
   *   closure (function): re-evaluates the model and returns the loss. Optional for most optimizers.
   */
  step(_closure?: Closure): any {
    throw new Error(`${this.constructor.name}.step() is not implemented`);
  }

  /**
   * Returns the state of the optimizer: `{state, param_groups}` where `state` is a Map from
   * parameter index (the order of parameters across `param_groups`) to that parameter's state,
   * and each group lists its parameters by index under `params`, as PyTorch's state_dict. The
   * state tensors are the optimizer's own (not copies), as in PyTorch.
   */
  state_dict(): OptimizerStateDict {
    const mappings = new Map<Tensor, number>();
    let start = 0;
    const param_groups = this.param_groups.map((g) => {
      const packed: Record<string, any> = {};
      for (const k of Object.keys(g)) if (k !== 'params') packed[k] = Array.isArray(g[k]) ? [...g[k]] : g[k];
      g.params.forEach((p, i) => {
        if (!mappings.has(p)) mappings.set(p, start + i);
      });
      packed.params = g.params.map((p) => mappings.get(p)!);
      start += packed.params.length;
      return packed;
    });
    const state = new Map<number, Record<string, any>>();
    for (const [k, v] of this.state) {
      const idx = mappings.get(k);
      if (idx !== undefined) state.set(idx, v);
    }
    return { state, param_groups };
  }

  /**
   * Loads the optimizer state.
   *
   * Args:
   *   state_dict (object): an object returned by state_dict() (here or by Python, once loaded):
   *     `state` may be a Map or an object with integer keys. Tensors are copied, and floating
   *     point ones cast to their parameter's dtype and device (except `step`).
   */
  load_state_dict(state_dict: { state: Map<number, any> | Record<string, any>; param_groups: Record<string, any>[] }): void {
    if (!isPlainObject(state_dict) || !state_dict.param_groups || !state_dict.state) {
      throw new TypeError('load_state_dict() expects an object {state, param_groups}');
    }
    const groups = this.param_groups;
    const saved = state_dict.param_groups;
    if (!Array.isArray(saved)) throw new TypeError("state_dict.param_groups must be an array");
    if (groups.length !== saved.length) throw new RangeError('loaded state dict has a different number of parameter groups');
    for (let i = 0; i < groups.length; i++) {
      if (!saved[i] || !Array.isArray(saved[i].params) || saved[i].params.length !== groups[i].params.length) {
        throw new RangeError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    }
    const idMap = new Map<number, Tensor>();
    for (let i = 0; i < groups.length; i++) {
      saved[i].params.forEach((id: number, k: number) => idMap.set(Number(id), groups[i].params[k]));
    }
    const entries: [number | string, any][] =
      state_dict.state instanceof Map ? [...state_dict.state.entries()] : Object.entries(state_dict.state);
    const state = new Map<Tensor, Record<string, any>>();
    for (const [k, v] of entries) {
      const param = idMap.get(Number(k));
      if (param !== undefined) state.set(param, castState(param, v));
    }
    const param_groups = saved.map((ng, i) => {
      const g = copyPlain(ng);
      g.params = groups[i].params;
      for (const [name, d] of Object.entries(this.defaults)) if (!(name in g) && d !== required) g[name] = copyPlain(d);
      return g as ParamGroup;
    });
    this.state = state;
    this.param_groups = param_groups;
  }

  toString(): string {
    let s = `${this.constructor.name} (`;
    this.param_groups.forEach((g, i) => {
      s += `\nParameter Group ${i}\n`;
      for (const k of Object.keys(g).sort()) if (k !== 'params') s += `    ${k}: ${fmtValue(g[k])}\n`;
    });
    return s + ')';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /**
   * @internal One native update of a group. `keys` are the state tensors in the native order;
   * `init` the non-tensor state that a new state object starts with (before the tensors);
   * `bump` increments the JS-side integer `step` of every updated parameter (RMSprop, Adadelta).
   */
  protected _native_step(fn: string, group: ParamGroup, keys: string[], args: any[], init?: Record<string, any>, bump = false): void {
    const params = group.params;
    const states = params.map((p) => {
      const s = this.state.get(p);
      if (!s || Object.keys(s).length === 0) return null;
      return keys.map((k) => {
        const t = s[k];
        if (t === undefined || t === null) return null;
        if (!(t instanceof Tensor)) throw new TypeError(`optimizer state '${k}' must be a Tensor`);
        return t._h;
      });
    });
    const r: (null | true | (number | null)[])[] = native[fn](params.map((p) => p._h), states, ...args);
    // Wrap every new handle before any other native call.
    const made: (Tensor | null)[][] = [];
    for (let i = 0; i < r.length; i++) {
      const ri = r[i];
      if (Array.isArray(ri)) made[i] = ri.map((h) => (h === null ? null : keep(new Tensor(h))));
    }
    for (let i = 0; i < r.length; i++) {
      const ri = r[i];
      if (ri === null) continue;
      const p = params[i];
      let s = this.state.get(p);
      if (made[i]) {
        if (!s || Object.keys(s).length === 0) {
          s = init ? { ...init } : {};
          this.state.set(p, s);
        }
        keys.forEach((k, j) => {
          if (!(k in s!) || s![k] === null || s![k] === undefined || made[i][j] !== null) s![k] = made[i][j];
        });
      }
      if (bump) s!.step += 1;
    }
  }
}

/** @internal The handles of a tensor list. */
export function handles(ts: Tensor[]): number[] {
  return ts.map((t) => t._h);
}
