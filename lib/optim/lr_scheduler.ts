/**
 * torch.optim.lr_scheduler: learning-rate schedules (PyTorch 1.13's torch/optim/lr_scheduler.py).
 *
 * Schedulers are plain arithmetic on `optimizer.param_groups` (they write `lr`, and `momentum` or
 * `betas` for the cyclic ones), as in PyTorch. Each formula here is PyTorch's, written in the same
 * order of operations, with the chainable form used by `step()` and the closed form used by the
 * deprecated `step(epoch)`, so the learning rates are PyTorch's float for float (JS numbers are
 * Python floats; `**`, math.cos and math.log are the C library's functions, `//` is Math.floor of
 * the quotient).
 *
 * state_dict() holds every attribute PyTorch's does (an object keyed like the scheduler's
 * `__dict__`, without the optimizer), except functions (the lr_lambdas are null, as PyTorch saves
 * plain functions; `anneal_func` and `_scale_fn_ref`, bound methods in Python, are left out).
 */
import { Optimizer } from './optimizer';
import { isPlainObject, copyPlain } from '../_utils';
import { Tensor } from '../tensor';
import { native } from '../binding';

// Python's float `**`, math.cos and math.log are the C library's pow/cos/log; V8's Math.pow/cos/log
// may differ from them in the last bit, so the schedulers use the C library's (one cheap native
// call each) and their learning rates are PyTorch's bit for bit.
const pow = (x: number, y: number): number => native._libm_pow(x, y);
const cos = (x: number): number => native._libm_cos(x);
const log = (x: number): number => native._libm_log(x);

const warned = new Set<string>();
function warnOnce(msg: string): void {
  if (warned.has(msg)) return;
  warned.add(msg);
  process.emitWarning(msg, 'UserWarning');
}

const EPOCH_DEPRECATION_WARNING =
  'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. ' +
  'Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, ' +
  'the closed form is used instead of the new chainable form, where available.';

function hide(o: object, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: false, configurable: true });
}

/** Python's `a % b` (the sign of the divisor). */
function pymod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** bisect.bisect_right */
function bisectRight(a: number[], x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Python's '{:.4e}' */
function fmtE(v: number): string {
  const s = v.toExponential(4);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function parse(fname: string, names: string[], defaults: Record<string, any>, args: any[]): Record<string, any> {
  const out: Record<string, any> = {};
  let pos = args;
  while (pos.length && pos[pos.length - 1] === undefined) pos = pos.slice(0, -1);
  if (pos.length && isPlainObject(pos[pos.length - 1])) {
    const kw = pos[pos.length - 1];
    pos = pos.slice(0, -1);
    for (const k of Object.keys(kw)) {
      if (!names.includes(k)) throw new TypeError(`${fname}() got an unexpected keyword argument '${k}'`);
      if (kw[k] !== undefined) out[k] = kw[k];
    }
  }
  if (pos.length > names.length) throw new TypeError(`${fname}() takes at most ${names.length} positional arguments but ${pos.length} were given`);
  pos.forEach((v, i) => {
    if (v === undefined) return;
    if (names[i] in out) throw new TypeError(`${fname}() got multiple values for argument '${names[i]}'`);
    out[names[i]] = v;
  });
  for (const k of names) {
    if (!(k in out)) {
      if (!(k in defaults)) throw new TypeError(`${fname}() missing required argument: '${k}'`);
      out[k] = defaults[k];
    }
  }
  return out;
}

function checkOptimizer(o: unknown): Optimizer {
  if (!(o instanceof Optimizer)) throw new TypeError(`${o === null ? 'null' : (o as any)?.constructor?.name ?? typeof o} is not an Optimizer`);
  return o;
}

/**
 * The base class of the epoch-based schedulers (PyTorch 1.13's `_LRScheduler`). Subclasses set
 * their options, then call `_init(last_epoch, verbose)`, which records `initial_lr` and performs
 * the initial step.
 */
export class _LRScheduler {
  declare optimizer: Optimizer;
  declare base_lrs: number[];
  declare last_epoch: number;
  declare verbose: boolean;
  declare _step_count: number;
  declare _get_lr_called_within_step: boolean;
  declare _last_lr: number[];

  constructor(optimizer: Optimizer) {
    this.optimizer = checkOptimizer(optimizer);
  }

  /** @internal PyTorch's _LRScheduler.__init__ after the subclass has set its options. */
  protected _init(last_epoch = -1, verbose = false): void {
    if (!Number.isInteger(last_epoch)) throw new TypeError(`last_epoch must be an integer, got ${last_epoch}`);
    const groups = this.optimizer.param_groups;
    if (last_epoch === -1) {
      for (const g of groups) if (!('initial_lr' in g)) g.initial_lr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (!('initial_lr' in g)) throw new RangeError(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
      });
    }
    this.base_lrs = groups.map((g) => g.initial_lr);
    this.last_epoch = last_epoch;
    // Count optimizer.step() calls, to warn when the scheduler is stepped first (as PyTorch does).
    const opt = this.optimizer as any;
    if (!(opt.step && opt.step._with_counter)) {
      const orig = opt.step;
      const wrapper: any = function (this: unknown, ...args: any[]) {
        opt._step_count = (opt._step_count ?? 0) + 1;
        return orig.apply(opt, args);
      };
      wrapper._with_counter = true;
      hide(opt, 'step', wrapper);
    }
    this.verbose = verbose;
    this._initial_step();
  }

  /** @internal Initializes the step counts and performs the initial step. */
  _initial_step(): void {
    (this.optimizer as any)._step_count = 0;
    this._step_count = 0;
    this.step();
  }

  /** The scheduler's state: every attribute except the optimizer (and functions). */
  state_dict(): Record<string, any> {
    const sd: Record<string, any> = {};
    for (const k of Object.keys(this)) {
      const v = (this as any)[k];
      if (k === 'optimizer' || typeof v === 'function') continue;
      sd[k] = copyPlain(v);
    }
    return sd;
  }

  /** Loads a state returned by state_dict(). */
  load_state_dict(state_dict: Record<string, any>): void {
    if (!isPlainObject(state_dict)) throw new TypeError('load_state_dict() expects an object returned by state_dict()');
    for (const k of Object.keys(state_dict)) {
      if (k === 'optimizer') continue;
      (this as any)[k] = copyPlain(state_dict[k]);
    }
  }

  /** The learning rates computed by the last step(), one per parameter group. */
  get_last_lr(): number[] {
    return this._last_lr;
  }

  /** The learning rates of the current epoch (chainable form); call get_last_lr() to read them. */
  get_lr(): number[] {
    throw new Error(`${this.constructor.name}.get_lr() is not implemented`);
  }

  /** Prints the learning rate when `is_verbose`. */
  print_lr(is_verbose: boolean, group: number, lr: number, epoch?: number): void {
    if (!is_verbose) return;
    if (epoch === undefined || epoch === null) console.log(`Adjusting learning rate of group ${group} to ${fmtE(lr)}.`);
    else {
      const e = Number.isInteger(epoch) ? String(epoch).padStart(5, '0') : epoch.toFixed(2);
      console.log(`Epoch ${e}: adjusting learning rate of group ${group} to ${fmtE(lr)}.`);
    }
  }

  /**
   * Advances the schedule by one epoch (or, deprecated as in PyTorch, sets it to `epoch` and uses
   * the closed form) and writes the new learning rates into the optimizer's param_groups.
   */
  step(epoch?: number): void {
    if (this._step_count === 1) {
      const s = (this.optimizer as any).step;
      if (!(s && s._with_counter)) {
        warnOnce('Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. Please, make sure to call `optimizer.step()` before `lr_scheduler.step()`.');
      } else if (((this.optimizer as any)._step_count ?? 0) < 1) {
        warnOnce('Detected call of `lr_scheduler.step()` before `optimizer.step()`. You should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`. Failure to do this will result in skipping the first value of the learning rate schedule.');
      }
    }
    this._step_count += 1;
    let values: number[];
    this._get_lr_called_within_step = true;
    try {
      if (epoch === undefined || epoch === null) {
        this.last_epoch += 1;
        values = this.get_lr();
      } else {
        warnOnce(EPOCH_DEPRECATION_WARNING);
        this.last_epoch = epoch;
        const closed = (this as any)._get_closed_form_lr;
        values = typeof closed === 'function' ? closed.call(this) : this.get_lr();
      }
    } finally {
      this._get_lr_called_within_step = false;
    }
    const groups = this.optimizer.param_groups;
    for (let i = 0; i < Math.min(groups.length, values.length); i++) {
      groups[i].lr = values[i];
      this.print_lr(this.verbose, i, values[i], epoch);
    }
    this._last_lr = groups.map((g) => g.lr);
  }

  /** @internal */
  protected _warnGetLr(): void {
    if (!this._get_lr_called_within_step) warnOnce('To get the last learning rate computed by the scheduler, please use `get_last_lr()`.');
  }
  /** @internal */
  protected _lrs(): number[] {
    return this.optimizer.param_groups.map((g) => g.lr);
  }
}

/** PyTorch 2.x's public name of the base class. */
export const LRScheduler = _LRScheduler;

type Lambda = (epoch: number) => number;

function lambdas(name: string, optimizer: Optimizer, lr_lambda: Lambda | Lambda[]): Lambda[] {
  const n = optimizer.param_groups.length;
  if (!Array.isArray(lr_lambda)) {
    if (typeof lr_lambda !== 'function') throw new TypeError(`${name}: lr_lambda must be a function or an array of functions`);
    return new Array(n).fill(lr_lambda);
  }
  if (lr_lambda.length !== n) throw new RangeError(`Expected ${n} lr_lambdas, but got ${lr_lambda.length}`);
  for (const f of lr_lambda) if (typeof f !== 'function') throw new TypeError(`${name}: lr_lambda must be a function or an array of functions`);
  return [...lr_lambda];
}

function lambdaStateDict(s: _LRScheduler & { lr_lambdas: Lambda[] }): Record<string, any> {
  const sd = _LRScheduler.prototype.state_dict.call(s);
  delete sd.lr_lambdas;
  sd.lr_lambdas = s.lr_lambdas.map(() => null);
  return sd;
}
function lambdaLoad(s: _LRScheduler & { lr_lambdas: Lambda[] }, state_dict: Record<string, any>): void {
  const { lr_lambdas, ...rest } = state_dict;
  _LRScheduler.prototype.load_state_dict.call(s, rest);
  if (Array.isArray(lr_lambdas)) lr_lambdas.forEach((fn, i) => {
    if (fn !== null && fn !== undefined && s.lr_lambdas[i]) Object.assign(s.lr_lambdas[i], fn);
  });
}

/**
 * Sets the learning rate of each parameter group to the initial lr times a given function.
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   lr_lambda (function | function[]): computes a multiplicative factor from the epoch, or one
 *     such function per parameter group.
 *   last_epoch (number): the index of the last epoch (default: -1).
 *   verbose (boolean): print a message at each update (default: false).
 *
 * Example:
 *   const scheduler = new LambdaLR(optimizer, {lr_lambda: (epoch) => 0.95 ** epoch});
 */
export class LambdaLR extends _LRScheduler {
  declare lr_lambdas: Lambda[];
  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('LambdaLR', ['lr_lambda', 'last_epoch', 'verbose'], { last_epoch: -1, verbose: false }, args);
    this.lr_lambdas = lambdas('LambdaLR', optimizer, o.lr_lambda);
    this._init(o.last_epoch, o.verbose);
  }
  state_dict(): Record<string, any> {
    return lambdaStateDict(this);
  }
  load_state_dict(state_dict: Record<string, any>): void {
    lambdaLoad(this, state_dict);
  }
  get_lr(): number[] {
    this._warnGetLr();
    return this.base_lrs.map((base_lr, i) => base_lr * this.lr_lambdas[i](this.last_epoch));
  }
}

/**
 * Multiplies the learning rate of each parameter group by the factor given by a function.
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   lr_lambda (function | function[]): computes the factor from the epoch (one per group or one for all).
 *   last_epoch (number): default -1.  verbose (boolean): default false.
 *
 * Example:
 *   const scheduler = new MultiplicativeLR(optimizer, {lr_lambda: () => 0.95});
 */
export class MultiplicativeLR extends _LRScheduler {
  declare lr_lambdas: Lambda[];
  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('MultiplicativeLR', ['lr_lambda', 'last_epoch', 'verbose'], { last_epoch: -1, verbose: false }, args);
    this.lr_lambdas = lambdas('MultiplicativeLR', optimizer, o.lr_lambda);
    this._init(o.last_epoch, o.verbose);
  }
  state_dict(): Record<string, any> {
    return lambdaStateDict(this);
  }
  load_state_dict(state_dict: Record<string, any>): void {
    lambdaLoad(this, state_dict);
  }
  get_lr(): number[] {
    this._warnGetLr();
    if (this.last_epoch > 0) return this.optimizer.param_groups.map((g, i) => g.lr * this.lr_lambdas[i](this.last_epoch));
    return this._lrs();
  }
}

/**
 * Decays the learning rate of each parameter group by gamma every step_size epochs.
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   step_size (number): period of learning rate decay.
 *   gamma (number): multiplicative factor of learning rate decay (default: 0.1).
 *   last_epoch (number): default -1.  verbose (boolean): default false.
 *
 * Example:
 *   const scheduler = new StepLR(optimizer, {step_size: 30, gamma: 0.1});
 *   for (let epoch = 0; epoch < 100; epoch++) { train(); validate(); scheduler.step(); }
 */
export class StepLR extends _LRScheduler {
  declare step_size: number;
  declare gamma: number;
  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('StepLR', ['step_size', 'gamma', 'last_epoch', 'verbose'], { gamma: 0.1, last_epoch: -1, verbose: false }, args);
    if (!Number.isInteger(o.step_size) || o.step_size <= 0) throw new RangeError(`step_size must be a positive integer, got ${o.step_size}`);
    this.step_size = o.step_size;
    this.gamma = o.gamma;
    this._init(o.last_epoch, o.verbose);
  }
  get_lr(): number[] {
    this._warnGetLr();
    if (this.last_epoch === 0 || pymod(this.last_epoch, this.step_size) !== 0) return this._lrs();
    return this.optimizer.param_groups.map((g) => g.lr * this.gamma);
  }
  _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => base_lr * pow(this.gamma, Math.floor(this.last_epoch / this.step_size)));
  }
}

/**
 * Decays the learning rate of each parameter group by gamma once the epoch reaches a milestone
 * (a milestone given twice decays twice).
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   milestones (number[]): epoch indices, increasing.
 *   gamma (number): multiplicative factor (default: 0.1).
 *   last_epoch (number): default -1.  verbose (boolean): default false.
 *
 * Example:
 *   const scheduler = new MultiStepLR(optimizer, {milestones: [30, 80], gamma: 0.1});
 */
export class MultiStepLR extends _LRScheduler {
  /** Milestone -> how many times it was given (Python's Counter). */
  declare milestones: Map<number, number>;
  declare gamma: number;
  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('MultiStepLR', ['milestones', 'gamma', 'last_epoch', 'verbose'], { gamma: 0.1, last_epoch: -1, verbose: false }, args);
    if (!Array.isArray(o.milestones)) throw new TypeError('milestones must be an array of integers');
    const m = new Map<number, number>();
    for (const x of o.milestones) m.set(x, (m.get(x) ?? 0) + 1);
    this.milestones = m;
    this.gamma = o.gamma;
    this._init(o.last_epoch, o.verbose);
  }
  load_state_dict(state_dict: Record<string, any>): void {
    super.load_state_dict(state_dict);
    const m: any = this.milestones;
    if (!(m instanceof Map) && m !== null && typeof m === 'object') this.milestones = new Map(Object.entries(m).map(([k, v]) => [Number(k), Number(v)]));
  }
  get_lr(): number[] {
    this._warnGetLr();
    if (!this.milestones.has(this.last_epoch)) return this._lrs();
    const n = this.milestones.get(this.last_epoch)!;
    return this.optimizer.param_groups.map((g) => g.lr * pow(this.gamma, n));
  }
  _get_closed_form_lr(): number[] {
    const ms: number[] = [];
    for (const [k, c] of this.milestones) for (let i = 0; i < c; i++) ms.push(k);
    ms.sort((a, b) => a - b);
    return this.base_lrs.map((base_lr) => base_lr * pow(this.gamma, bisectRight(ms, this.last_epoch)));
  }
}

/**
 * Multiplies the learning rate by a constant factor until the epoch reaches total_iters.
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   factor (number): the factor, in [0, 1] (default: 1/3).
 *   total_iters (number): number of steps the factor applies (default: 5).
 *   last_epoch (number): default -1.  verbose (boolean): default false.
 *
 * Example:
 *   const scheduler = new ConstantLR(optimizer, {factor: 0.5, total_iters: 4});
 */
export class ConstantLR extends _LRScheduler {
  declare factor: number;
  declare total_iters: number;
  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('ConstantLR', ['factor', 'total_iters', 'last_epoch', 'verbose'], { factor: 1.0 / 3, total_iters: 5, last_epoch: -1, verbose: false }, args);
    if (o.factor > 1.0 || o.factor < 0) throw new RangeError('Constant multiplicative factor expected to be between 0 and 1.');
    this.factor = o.factor;
    this.total_iters = o.total_iters;
    this._init(o.last_epoch, o.verbose);
  }
  get_lr(): number[] {
    this._warnGetLr();
    if (this.last_epoch === 0) return this.optimizer.param_groups.map((g) => g.lr * this.factor);
    if (this.last_epoch > this.total_iters || this.last_epoch !== this.total_iters) return this._lrs();
    return this.optimizer.param_groups.map((g) => g.lr * (1.0 / this.factor));
  }
  _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => base_lr * (this.factor + (this.last_epoch >= this.total_iters ? 1 : 0) * (1 - this.factor)));
  }
}

/**
 * Changes the learning rate linearly from start_factor to end_factor times the initial lr over
 * total_iters steps.
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   start_factor (number): default 1/3.  end_factor (number): default 1.0.
 *   total_iters (number): default 5.  last_epoch (number): default -1.  verbose: default false.
 *
 * Example:
 *   const scheduler = new LinearLR(optimizer, {start_factor: 0.5, total_iters: 4});
 */
export class LinearLR extends _LRScheduler {
  declare start_factor: number;
  declare end_factor: number;
  declare total_iters: number;
  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('LinearLR', ['start_factor', 'end_factor', 'total_iters', 'last_epoch', 'verbose'],
      { start_factor: 1.0 / 3, end_factor: 1.0, total_iters: 5, last_epoch: -1, verbose: false }, args);
    if (o.start_factor > 1.0 || o.start_factor < 0) throw new RangeError('Starting multiplicative factor expected to be between 0 and 1.');
    if (o.end_factor > 1.0 || o.end_factor < 0) throw new RangeError('Ending multiplicative factor expected to be between 0 and 1.');
    this.start_factor = o.start_factor;
    this.end_factor = o.end_factor;
    this.total_iters = o.total_iters;
    this._init(o.last_epoch, o.verbose);
  }
  get_lr(): number[] {
    this._warnGetLr();
    if (this.last_epoch === 0) return this.optimizer.param_groups.map((g) => g.lr * this.start_factor);
    if (this.last_epoch > this.total_iters) return this._lrs();
    return this.optimizer.param_groups.map((g) => g.lr * (1 + (this.end_factor - this.start_factor) /
      (this.total_iters * this.start_factor + (this.last_epoch - 1) * (this.end_factor - this.start_factor))));
  }
  _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => base_lr * (this.start_factor +
      (this.end_factor - this.start_factor) * Math.min(this.total_iters, this.last_epoch) / this.total_iters));
  }
}

/**
 * Decays the learning rate of each parameter group by gamma every epoch.
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   gamma (number): multiplicative factor of learning rate decay.
 *   last_epoch (number): default -1.  verbose (boolean): default false.
 *
 * Example:
 *   const scheduler = new ExponentialLR(optimizer, {gamma: 0.9});
 */
export class ExponentialLR extends _LRScheduler {
  declare gamma: number;
  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('ExponentialLR', ['gamma', 'last_epoch', 'verbose'], { last_epoch: -1, verbose: false }, args);
    this.gamma = o.gamma;
    this._init(o.last_epoch, o.verbose);
  }
  get_lr(): number[] {
    this._warnGetLr();
    if (this.last_epoch === 0) return this._lrs();
    return this.optimizer.param_groups.map((g) => g.lr * this.gamma);
  }
  _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => base_lr * pow(this.gamma, this.last_epoch));
  }
}

/**
 * Runs a list of schedulers one after the other, switching at the milestones.
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   schedulers (_LRScheduler[]): the schedulers, all on `optimizer`.
 *   milestones (number[]): the epochs at which the next scheduler takes over (one fewer than schedulers).
 *   last_epoch (number): default -1.  verbose (boolean): default false.
 *
 * Example:
 *   const s = new SequentialLR(optimizer, {schedulers: [new ConstantLR(optimizer, {factor: 0.1, total_iters: 2}),
 *     new ExponentialLR(optimizer, {gamma: 0.9})], milestones: [2]});
 */
export class SequentialLR extends _LRScheduler {
  declare _schedulers: _LRScheduler[];
  declare _milestones: number[];
  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('SequentialLR', ['schedulers', 'milestones', 'last_epoch', 'verbose'], { last_epoch: -1, verbose: false }, args);
    const schedulers: _LRScheduler[] = o.schedulers;
    if (!Array.isArray(schedulers) || schedulers.length === 0) throw new TypeError('schedulers must be a non-empty array of schedulers');
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new RangeError(`Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${i} to be different than the optimizer passed in.`);
      }
    });
    if (!Array.isArray(o.milestones) || o.milestones.length !== schedulers.length - 1) {
      throw new RangeError(`Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${Array.isArray(o.milestones) ? o.milestones.length : o.milestones}`);
    }
    this._schedulers = schedulers;
    this._milestones = o.milestones;
    this.last_epoch = o.last_epoch + 1;
    for (const g of optimizer.param_groups) g.lr = g.initial_lr;
    for (const s of schedulers) s.last_epoch -= 1;
    schedulers[0]._initial_step();
    this._last_lr = schedulers[0].get_last_lr();
  }
  step(): void {
    this.last_epoch += 1;
    const idx = bisectRight(this._milestones, this.last_epoch);
    const scheduler = this._schedulers[idx];
    if (idx > 0 && this._milestones[idx - 1] === this.last_epoch) scheduler.step(0);
    else scheduler.step();
    this._last_lr = scheduler.get_last_lr();
  }
  state_dict(): Record<string, any> {
    const sd = super.state_dict();
    delete sd._schedulers;
    sd._schedulers = this._schedulers.map((s) => s.state_dict());
    return sd;
  }
  load_state_dict(state_dict: Record<string, any>): void {
    const { _schedulers, ...rest } = state_dict;
    super.load_state_dict(rest);
    if (Array.isArray(_schedulers)) _schedulers.forEach((s, i) => this._schedulers[i].load_state_dict(s));
  }
}

/**
 * Decays the learning rate with a polynomial of the given power over total_iters steps.
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   total_iters (number): steps of decay (default: 5).  power (number): default 1.0.
 *   last_epoch (number): default -1.  verbose (boolean): default false.
 *
 * Example:
 *   const scheduler = new PolynomialLR(optimizer, {total_iters: 4, power: 1.0});
 */
export class PolynomialLR extends _LRScheduler {
  declare total_iters: number;
  declare power: number;
  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('PolynomialLR', ['total_iters', 'power', 'last_epoch', 'verbose'], { total_iters: 5, power: 1.0, last_epoch: -1, verbose: false }, args);
    this.total_iters = o.total_iters;
    this.power = o.power;
    this._init(o.last_epoch, o.verbose);
  }
  get_lr(): number[] {
    this._warnGetLr();
    if (this.last_epoch === 0 || this.last_epoch > this.total_iters) return this._lrs();
    const decay_factor = pow((1.0 - this.last_epoch / this.total_iters) / (1.0 - (this.last_epoch - 1) / this.total_iters), this.power);
    return this.optimizer.param_groups.map((g) => g.lr * decay_factor);
  }
  _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => base_lr * pow(1.0 - Math.min(this.total_iters, this.last_epoch) / this.total_iters, this.power));
  }
}

/**
 * Sets the learning rate with a cosine annealing schedule (SGDR without restarts).
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   T_max (number): maximum number of iterations.
 *   eta_min (number): minimum learning rate (default: 0).
 *   last_epoch (number): default -1.  verbose (boolean): default false.
 *
 * Example:
 *   const scheduler = new CosineAnnealingLR(optimizer, {T_max: 50});
 */
export class CosineAnnealingLR extends _LRScheduler {
  declare T_max: number;
  declare eta_min: number;
  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('CosineAnnealingLR', ['T_max', 'eta_min', 'last_epoch', 'verbose'], { eta_min: 0, last_epoch: -1, verbose: false }, args);
    this.T_max = o.T_max;
    this.eta_min = o.eta_min;
    this._init(o.last_epoch, o.verbose);
  }
  get_lr(): number[] {
    this._warnGetLr();
    const { eta_min, T_max, last_epoch } = this;
    const groups = this.optimizer.param_groups;
    if (last_epoch === 0) return this._lrs();
    if (this._step_count === 1 && last_epoch > 0) {
      return this.base_lrs.map((base_lr) => eta_min + (base_lr - eta_min) * (1 + cos((last_epoch * Math.PI) / T_max)) / 2);
    }
    if (pymod(last_epoch - 1 - T_max, 2 * T_max) === 0) {
      return this.base_lrs.map((base_lr, i) => groups[i].lr + (base_lr - eta_min) * (1 - cos(Math.PI / T_max)) / 2);
    }
    return groups.map((g) => ((1 + cos((Math.PI * last_epoch) / T_max)) / (1 + cos((Math.PI * (last_epoch - 1)) / T_max))) * (g.lr - eta_min) + eta_min);
  }
  _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => this.eta_min + (base_lr - this.eta_min) * (1 + cos((Math.PI * this.last_epoch) / this.T_max)) / 2);
  }
}

/**
 * Steps several schedulers at once (their factors multiply).
 *
 * Args:
 *   schedulers (_LRScheduler[]): the schedulers, all on one optimizer.
 *
 * Example:
 *   const s = new ChainedScheduler([new ConstantLR(optimizer, {factor: 0.1, total_iters: 2}), new ExponentialLR(optimizer, {gamma: 0.9})]);
 */
export class ChainedScheduler extends _LRScheduler {
  declare _schedulers: _LRScheduler[];
  constructor(schedulers: _LRScheduler[] | { schedulers: _LRScheduler[] }) {
    const list = isPlainObject(schedulers) ? (schedulers as any).schedulers : schedulers;
    if (!Array.isArray(list) || list.length === 0) throw new TypeError('schedulers must be a non-empty array of schedulers');
    super(list[0].optimizer);
    for (let i = 1; i < list.length; i++) {
      if (list[i].optimizer !== list[0].optimizer) {
        throw new RangeError(`ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different`);
      }
    }
    this._schedulers = [...list];
    this._last_lr = this._schedulers[this._schedulers.length - 1].optimizer.param_groups.map((g) => g.lr);
  }
  step(): void {
    for (const s of this._schedulers) s.step();
    this._last_lr = this._schedulers[this._schedulers.length - 1].optimizer.param_groups.map((g) => g.lr);
  }
  state_dict(): Record<string, any> {
    const sd = super.state_dict();
    delete sd._schedulers;
    sd._schedulers = this._schedulers.map((s) => s.state_dict());
    return sd;
  }
  load_state_dict(state_dict: Record<string, any>): void {
    const { _schedulers, ...rest } = state_dict;
    super.load_state_dict(rest);
    if (Array.isArray(_schedulers)) _schedulers.forEach((s, i) => this._schedulers[i].load_state_dict(s));
  }
}

/**
 * Reduces the learning rate when a metric has stopped improving.
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   mode ('min' | 'max'): whether the metric should decrease or increase (default: 'min').
 *   factor (number): new_lr = lr * factor (default: 0.1).
 *   patience (number): epochs without improvement before reducing (default: 10).
 *   threshold (number): significance threshold (default: 1e-4).
 *   threshold_mode ('rel' | 'abs'): default 'rel'.
 *   cooldown (number): epochs to wait after a reduction (default: 0).
 *   min_lr (number | number[]): lower bound of the learning rate(s) (default: 0).
 *   eps (number): minimal decay applied to lr (default: 1e-8).
 *   verbose (boolean): default false.
 *
 * Example:
 *   const scheduler = new ReduceLROnPlateau(optimizer, {mode: 'min'});
 *   for (...) { train(); const val_loss = validate(); scheduler.step(val_loss); }
 */
export class ReduceLROnPlateau {
  declare factor: number;
  declare optimizer: Optimizer;
  declare min_lrs: number[];
  declare patience: number;
  declare verbose: boolean;
  declare cooldown: number;
  declare cooldown_counter: number;
  declare mode: 'min' | 'max';
  declare threshold: number;
  declare threshold_mode: 'rel' | 'abs';
  declare best: number;
  declare num_bad_epochs: number;
  declare mode_worse: number;
  declare eps: number;
  declare last_epoch: number;
  declare _last_lr: number[];

  constructor(optimizer: Optimizer, ...args: any[]) {
    const o = parse('ReduceLROnPlateau', ['mode', 'factor', 'patience', 'threshold', 'threshold_mode', 'cooldown', 'min_lr', 'eps', 'verbose'],
      { mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, threshold_mode: 'rel', cooldown: 0, min_lr: 0, eps: 1e-8, verbose: false }, args);
    if (o.factor >= 1.0) throw new RangeError('Factor should be < 1.0.');
    this.factor = o.factor;
    this.optimizer = checkOptimizer(optimizer);
    if (Array.isArray(o.min_lr)) {
      if (o.min_lr.length !== optimizer.param_groups.length) throw new RangeError(`expected ${optimizer.param_groups.length} min_lrs, got ${o.min_lr.length}`);
      this.min_lrs = [...o.min_lr];
    } else {
      this.min_lrs = new Array(optimizer.param_groups.length).fill(o.min_lr);
    }
    this.patience = o.patience;
    this.verbose = o.verbose;
    this.cooldown = o.cooldown;
    this.cooldown_counter = 0;
    this.mode = o.mode;
    this.threshold = o.threshold;
    this.threshold_mode = o.threshold_mode;
    this.best = NaN;
    this.num_bad_epochs = 0;
    this.mode_worse = NaN;
    this.eps = o.eps;
    this.last_epoch = 0;
    this._init_is_better(o.mode, o.threshold, o.threshold_mode);
    this._reset();
  }

  private _reset(): void {
    this.best = this.mode_worse;
    this.cooldown_counter = 0;
    this.num_bad_epochs = 0;
  }

  /**
   * Records the metric of an epoch and reduces the learning rates after `patience` bad epochs.
   *
   * Args:
   *   metrics (number | Tensor): the monitored value.
   *   epoch (number): deprecated, as in PyTorch.
   */
  step(metrics: number | Tensor, epoch?: number): void {
    const current = metrics instanceof Tensor ? Number(metrics.item()) : Number(metrics);
    if (typeof metrics !== 'number' && !(metrics instanceof Tensor)) throw new TypeError('ReduceLROnPlateau.step(): metrics must be a number or a one-element Tensor');
    if (epoch === undefined || epoch === null) epoch = this.last_epoch + 1;
    else warnOnce(EPOCH_DEPRECATION_WARNING);
    this.last_epoch = epoch;
    if (this.is_better(current, this.best)) {
      this.best = current;
      this.num_bad_epochs = 0;
    } else {
      this.num_bad_epochs += 1;
    }
    if (this.in_cooldown) {
      this.cooldown_counter -= 1;
      this.num_bad_epochs = 0;
    }
    if (this.num_bad_epochs > this.patience) {
      this._reduce_lr(epoch);
      this.cooldown_counter = this.cooldown;
      this.num_bad_epochs = 0;
    }
    this._last_lr = this.optimizer.param_groups.map((g) => g.lr);
  }

  /** The learning rates after the last step(). */
  get_last_lr(): number[] {
    return this._last_lr;
  }

  private _reduce_lr(epoch: number): void {
    this.optimizer.param_groups.forEach((g, i) => {
      const old_lr = Number(g.lr);
      const a = old_lr * this.factor;
      const new_lr = this.min_lrs[i] > a ? this.min_lrs[i] : a;
      if (old_lr - new_lr > this.eps) {
        g.lr = new_lr;
        if (this.verbose) {
          const e = Number.isInteger(epoch) ? String(epoch).padStart(5, '0') : epoch.toFixed(2);
          console.log(`Epoch ${e}: reducing learning rate of group ${i} to ${fmtE(new_lr)}.`);
        }
      }
    });
  }

  get in_cooldown(): boolean {
    return this.cooldown_counter > 0;
  }

  is_better(a: number, best: number): boolean {
    if (this.mode === 'min' && this.threshold_mode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min' && this.threshold_mode === 'abs') return a < best - this.threshold;
    if (this.mode === 'max' && this.threshold_mode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  private _init_is_better(mode: string, threshold: number, threshold_mode: string): void {
    if (mode !== 'min' && mode !== 'max') throw new RangeError(`mode ${mode} is unknown!`);
    if (threshold_mode !== 'rel' && threshold_mode !== 'abs') throw new RangeError(`threshold mode ${threshold_mode} is unknown!`);
    this.mode_worse = mode === 'min' ? Infinity : -Infinity;
    this.mode = mode;
    this.threshold = threshold;
    this.threshold_mode = threshold_mode;
  }

  /** Every attribute except the optimizer. */
  state_dict(): Record<string, any> {
    const sd: Record<string, any> = {};
    for (const k of Object.keys(this)) if (k !== 'optimizer') sd[k] = copyPlain((this as any)[k]);
    return sd;
  }

  load_state_dict(state_dict: Record<string, any>): void {
    if (!isPlainObject(state_dict)) throw new TypeError('load_state_dict() expects an object returned by state_dict()');
    for (const k of Object.keys(state_dict)) if (k !== 'optimizer') (this as any)[k] = copyPlain(state_dict[k]);
    this._init_is_better(this.mode, this.threshold, this.threshold_mode);
  }
}

function formatParam(name: string, optimizer: Optimizer, param: number | number[]): number[] {
  if (Array.isArray(param)) {
    if (param.length !== optimizer.param_groups.length) throw new RangeError(`expected ${optimizer.param_groups.length} values for ${name}, got ${param.length}`);
    return param;
  }
  return new Array(optimizer.param_groups.length).fill(param);
}

/**
 * Cycles the learning rate between base_lr and max_lr (cyclical learning rates), and the momentum
 * inversely. Step it after every batch.
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   base_lr (number | number[]): lower boundary of the cycle.
 *   max_lr (number | number[]): upper boundary of the cycle.
 *   step_size_up (number): iterations in the increasing half (default: 2000).
 *   step_size_down (number | null): iterations in the decreasing half (default: step_size_up).
 *   mode ('triangular' | 'triangular2' | 'exp_range'): default 'triangular'.
 *   gamma (number): for 'exp_range' (default: 1.0).
 *   scale_fn (function | null): custom scaling policy (overrides mode).
 *   scale_mode ('cycle' | 'iterations'): argument of scale_fn (default: 'cycle').
 *   cycle_momentum (boolean): default true.  base_momentum: default 0.8.  max_momentum: default 0.9.
 *   last_epoch (number): default -1.  verbose (boolean): default false.
 *
 * Example:
 *   const scheduler = new CyclicLR(optimizer, {base_lr: 0.01, max_lr: 0.1});
 */
export class CyclicLR extends _LRScheduler {
  declare max_lrs: number[];
  declare total_size: number;
  declare step_ratio: number;
  declare mode: string;
  declare gamma: number;
  declare _scale_fn_custom: ((x: number) => number) | null;
  declare scale_mode: string;
  declare cycle_momentum: boolean;
  declare base_momentums: number[];
  declare max_momentums: number[];

  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('CyclicLR', ['base_lr', 'max_lr', 'step_size_up', 'step_size_down', 'mode', 'gamma', 'scale_fn', 'scale_mode',
      'cycle_momentum', 'base_momentum', 'max_momentum', 'last_epoch', 'verbose'],
    { step_size_up: 2000, step_size_down: null, mode: 'triangular', gamma: 1.0, scale_fn: null, scale_mode: 'cycle',
      cycle_momentum: true, base_momentum: 0.8, max_momentum: 0.9, last_epoch: -1, verbose: false }, args);
    const base_lrs = formatParam('base_lr', optimizer, o.base_lr);
    if (o.last_epoch === -1) base_lrs.forEach((lr, i) => { optimizer.param_groups[i].lr = lr; });
    this.max_lrs = formatParam('max_lr', optimizer, o.max_lr);
    const up = Number(o.step_size_up);
    const down = o.step_size_down !== null ? Number(o.step_size_down) : up;
    this.total_size = up + down;
    this.step_ratio = up / this.total_size;
    if (!['triangular', 'triangular2', 'exp_range'].includes(o.mode) && o.scale_fn === null) throw new RangeError('mode is invalid and scale_fn is None');
    this.mode = o.mode;
    this.gamma = o.gamma;
    if (o.scale_fn === null) {
      this._scale_fn_custom = null;
      this.scale_mode = this.mode === 'exp_range' ? 'iterations' : 'cycle';
    } else {
      if (typeof o.scale_fn !== 'function') throw new TypeError('scale_fn must be a function');
      this._scale_fn_custom = o.scale_fn;
      this.scale_mode = o.scale_mode;
    }
    this.cycle_momentum = o.cycle_momentum;
    if (o.cycle_momentum) {
      if (!('momentum' in optimizer.defaults)) throw new RangeError('optimizer must support momentum with `cycle_momentum` option enabled');
      const base_momentums = formatParam('base_momentum', optimizer, o.base_momentum);
      if (o.last_epoch === -1) base_momentums.forEach((m, i) => { optimizer.param_groups[i].momentum = m; });
      this.base_momentums = optimizer.param_groups.map((g) => g.momentum);
      this.max_momentums = formatParam('max_momentum', optimizer, o.max_momentum);
    }
    this._init(o.last_epoch, o.verbose);
    this.base_lrs = base_lrs;
  }

  scale_fn(x: number): number {
    if (this._scale_fn_custom !== null && this._scale_fn_custom !== undefined) return this._scale_fn_custom(x);
    if (this.mode === 'triangular') return 1.0;
    if (this.mode === 'triangular2') return 1 / pow(2.0, x - 1);
    return pow(this.gamma, x);
  }

  state_dict(): Record<string, any> {
    const sd = super.state_dict();
    if (this._scale_fn_custom === null || this._scale_fn_custom === undefined) sd._scale_fn_custom = null;
    return sd;
  }

  get_lr(): number[] {
    this._warnGetLr();
    const cycle = Math.floor(1 + this.last_epoch / this.total_size);
    const x = 1 + this.last_epoch / this.total_size - cycle;
    const scale_factor = x <= this.step_ratio ? x / this.step_ratio : (x - 1) / (this.step_ratio - 1);
    const arg = this.scale_mode === 'cycle' ? cycle : this.last_epoch;
    const lrs = this.base_lrs.map((base_lr, i) => {
      const base_height = (this.max_lrs[i] - base_lr) * scale_factor;
      return base_lr + base_height * this.scale_fn(arg);
    });
    if (this.cycle_momentum) {
      const momentums = this.base_momentums.map((base_momentum, i) => {
        const base_height = (this.max_momentums[i] - base_momentum) * scale_factor;
        return this.max_momentums[i] - base_height * this.scale_fn(arg);
      });
      this.optimizer.param_groups.forEach((g, i) => { g.momentum = momentums[i]; });
    }
    return lrs;
  }
}

/**
 * Cosine annealing with warm restarts (SGDR): restarts every T_i epochs, T_i growing by T_mult.
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   T_0 (number): iterations before the first restart (positive integer).
 *   T_mult (number): factor increasing T_i after a restart (integer >= 1, default: 1).
 *   eta_min (number): minimum learning rate (default: 0).
 *   last_epoch (number): default -1.  verbose (boolean): default false.
 *
 * Example:
 *   const scheduler = new CosineAnnealingWarmRestarts(optimizer, {T_0: 10, T_mult: 2});
 *   for (let epoch = 0; epoch < 20; epoch++) for (let i = 0; i < iters; i++) { ...; scheduler.step(epoch + i / iters); }
 */
export class CosineAnnealingWarmRestarts extends _LRScheduler {
  declare T_0: number;
  declare T_i: number;
  declare T_mult: number;
  declare eta_min: number;
  declare T_cur: number;
  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('CosineAnnealingWarmRestarts', ['T_0', 'T_mult', 'eta_min', 'last_epoch', 'verbose'], { T_mult: 1, eta_min: 0, last_epoch: -1, verbose: false }, args);
    if (!Number.isInteger(o.T_0) || o.T_0 <= 0) throw new RangeError(`Expected positive integer T_0, but got ${o.T_0}`);
    if (!Number.isInteger(o.T_mult) || o.T_mult < 1) throw new RangeError(`Expected integer T_mult >= 1, but got ${o.T_mult}`);
    this.T_0 = o.T_0;
    this.T_i = o.T_0;
    this.T_mult = o.T_mult;
    this.eta_min = o.eta_min;
    this.T_cur = o.last_epoch;
    this._init(o.last_epoch, o.verbose);
  }
  get_lr(): number[] {
    this._warnGetLr();
    return this.base_lrs.map((base_lr) => this.eta_min + (base_lr - this.eta_min) * (1 + cos((Math.PI * this.T_cur) / this.T_i)) / 2);
  }
  /** Advances by one epoch, or sets the (possibly fractional) epoch. */
  step(epoch?: number): void {
    if ((epoch === undefined || epoch === null) && this.last_epoch < 0) epoch = 0;
    if (epoch === undefined || epoch === null) {
      epoch = this.last_epoch + 1;
      this.T_cur = this.T_cur + 1;
      if (this.T_cur >= this.T_i) {
        this.T_cur = this.T_cur - this.T_i;
        this.T_i = this.T_i * this.T_mult;
      }
    } else {
      if (epoch < 0) throw new RangeError(`Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.T_0) {
        if (this.T_mult === 1) {
          this.T_cur = pymod(epoch, this.T_0);
        } else {
          const n = Math.trunc(log((epoch / this.T_0) * (this.T_mult - 1) + 1) / log(this.T_mult));
          this.T_cur = epoch - (this.T_0 * (pow(this.T_mult, n) - 1)) / (this.T_mult - 1);
          this.T_i = this.T_0 * pow(this.T_mult, n);
        }
      } else {
        this.T_i = this.T_0;
        this.T_cur = epoch;
      }
    }
    this.last_epoch = Math.floor(epoch);
    this._get_lr_called_within_step = true;
    let values: number[];
    try {
      values = this.get_lr();
    } finally {
      this._get_lr_called_within_step = false;
    }
    const groups = this.optimizer.param_groups;
    for (let i = 0; i < Math.min(groups.length, values.length); i++) {
      groups[i].lr = values[i];
      this.print_lr(this.verbose, i, values[i], epoch);
    }
    this._last_lr = groups.map((g) => g.lr);
  }
}

interface Phase {
  end_step: number;
  start_lr: string;
  end_lr: string;
  start_momentum: string;
  end_momentum: string;
}

/**
 * The 1cycle policy: the learning rate rises from initial to max_lr and anneals to far below the
 * initial one, the momentum inversely. Step it after every batch.
 *
 * Args:
 *   optimizer (Optimizer): wrapped optimizer.
 *   max_lr (number | number[]): upper learning-rate boundaries.
 *   total_steps (number | null): steps in the cycle (or give epochs and steps_per_epoch).
 *   epochs, steps_per_epoch (number | null): total_steps = epochs * steps_per_epoch.
 *   pct_start (number): fraction of the cycle spent increasing (default: 0.3).
 *   anneal_strategy ('cos' | 'linear'): default 'cos'.
 *   cycle_momentum (boolean): default true.  base_momentum: 0.85.  max_momentum: 0.95.
 *   div_factor (number): initial_lr = max_lr / div_factor (default: 25).
 *   final_div_factor (number): min_lr = initial_lr / final_div_factor (default: 1e4).
 *   three_phase (boolean): default false.  last_epoch: default -1.  verbose: default false.
 *
 * Example:
 *   const scheduler = new OneCycleLR(optimizer, {max_lr: 0.01, steps_per_epoch: loader.length, epochs: 10});
 */
export class OneCycleLR extends _LRScheduler {
  declare total_steps: number;
  declare _schedule_phases: Phase[];
  declare cycle_momentum: boolean;
  declare use_beta1: boolean;
  declare _anneal: 'cos' | 'linear';

  constructor(optimizer: Optimizer, ...args: any[]) {
    super(optimizer);
    const o = parse('OneCycleLR', ['max_lr', 'total_steps', 'epochs', 'steps_per_epoch', 'pct_start', 'anneal_strategy', 'cycle_momentum',
      'base_momentum', 'max_momentum', 'div_factor', 'final_div_factor', 'three_phase', 'last_epoch', 'verbose'],
    { total_steps: null, epochs: null, steps_per_epoch: null, pct_start: 0.3, anneal_strategy: 'cos', cycle_momentum: true,
      base_momentum: 0.85, max_momentum: 0.95, div_factor: 25.0, final_div_factor: 1e4, three_phase: false, last_epoch: -1, verbose: false }, args);
    const posInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
    if (o.total_steps === null && o.epochs === null && o.steps_per_epoch === null) {
      throw new RangeError('You must define either total_steps OR (epochs AND steps_per_epoch)');
    } else if (o.total_steps !== null) {
      if (!posInt(o.total_steps)) throw new RangeError(`Expected positive integer total_steps, but got ${o.total_steps}`);
      this.total_steps = o.total_steps;
    } else {
      if (!posInt(o.epochs)) throw new RangeError(`Expected positive integer epochs, but got ${o.epochs}`);
      if (!posInt(o.steps_per_epoch)) throw new RangeError(`Expected positive integer steps_per_epoch, but got ${o.steps_per_epoch}`);
      this.total_steps = o.epochs * o.steps_per_epoch;
    }
    const pct = o.pct_start;
    if (o.three_phase) {
      this._schedule_phases = [
        { end_step: pct * this.total_steps - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
        { end_step: 2 * pct * this.total_steps - 2, start_lr: 'max_lr', end_lr: 'initial_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
        { end_step: this.total_steps - 1, start_lr: 'initial_lr', end_lr: 'min_lr', start_momentum: 'max_momentum', end_momentum: 'max_momentum' },
      ];
    } else {
      this._schedule_phases = [
        { end_step: pct * this.total_steps - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
        { end_step: this.total_steps - 1, start_lr: 'max_lr', end_lr: 'min_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
      ];
    }
    if (typeof pct !== 'number' || pct < 0 || pct > 1) throw new RangeError(`Expected float between 0 and 1 pct_start, but got ${pct}`);
    if (o.anneal_strategy !== 'cos' && o.anneal_strategy !== 'linear') {
      throw new RangeError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${o.anneal_strategy}`);
    }
    hide(this, '_anneal', o.anneal_strategy);
    const max_lrs = formatParam('max_lr', optimizer, o.max_lr);
    if (o.last_epoch === -1) {
      optimizer.param_groups.forEach((g, idx) => {
        g.initial_lr = max_lrs[idx] / o.div_factor;
        g.max_lr = max_lrs[idx];
        g.min_lr = g.initial_lr / o.final_div_factor;
      });
    }
    this.cycle_momentum = o.cycle_momentum;
    if (this.cycle_momentum) {
      if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
        throw new RangeError('optimizer must support momentum with `cycle_momentum` option enabled');
      }
      this.use_beta1 = 'betas' in optimizer.defaults;
      const max_momentums = formatParam('max_momentum', optimizer, o.max_momentum);
      const base_momentums = formatParam('base_momentum', optimizer, o.base_momentum);
      if (o.last_epoch === -1) {
        optimizer.param_groups.forEach((g, i) => {
          if (this.use_beta1) g.betas = [max_momentums[i], ...g.betas.slice(1)];
          else g.momentum = max_momentums[i];
          g.max_momentum = max_momentums[i];
          g.base_momentum = base_momentums[i];
        });
      }
    }
    this._init(o.last_epoch, o.verbose);
  }

  private _annealing(start: number, end: number, pct: number): number {
    if (this._anneal === 'cos') {
      const cos_out = cos(Math.PI * pct) + 1;
      return end + ((start - end) / 2.0) * cos_out;
    }
    return (end - start) * pct + start;
  }

  get_lr(): number[] {
    this._warnGetLr();
    const step_num = this.last_epoch;
    if (step_num > this.total_steps) {
      throw new RangeError(`Tried to step ${step_num + 1} times. The specified number of total steps is ${this.total_steps}`);
    }
    const phases = this._schedule_phases;
    return this.optimizer.param_groups.map((g) => {
      let start_step = 0;
      let computed_lr = 0;
      let computed_momentum = 0;
      for (let i = 0; i < phases.length; i++) {
        const end_step = phases[i].end_step;
        if (step_num <= end_step || i === phases.length - 1) {
          const pct = (step_num - start_step) / (end_step - start_step);
          computed_lr = this._annealing(g[phases[i].start_lr], g[phases[i].end_lr], pct);
          if (this.cycle_momentum) computed_momentum = this._annealing(g[phases[i].start_momentum], g[phases[i].end_momentum], pct);
          break;
        }
        start_step = phases[i].end_step;
      }
      if (this.cycle_momentum) {
        if (this.use_beta1) g.betas = [computed_momentum, ...g.betas.slice(1)];
        else g.momentum = computed_momentum;
      }
      return computed_lr;
    });
  }
}
