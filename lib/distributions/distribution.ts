/**
 * torch.distributions.Distribution: the base class (torch/distributions/distribution.py).
 *
 * Shapes follow PyTorch: `sample(sample_shape)` returns `sample_shape + batch_shape + event_shape`;
 * `log_prob(value)` returns `sample_shape + batch_shape`. Parameters are checked against
 * `arg_constraints` and values against `support` when `validate_args` is on (PyTorch's default),
 * with PyTorch's ValueError messages (as RangeError).
 */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { no_grad } from '../autograd/grad_mode';
import { Constraint, is_dependent } from './constraints';
import { NotImplementedError, Size, fmtSize, fmtTuple, pyValue, sameSize } from './utils';

let _default_validate_args = true;

/** Args of a distribution constructor: `validate_args` in an options object (PyTorch's keyword). */
export interface DistOptions {
  validate_args?: boolean | null;
}

export abstract class Distribution {
  _batch_shape: Size = [];
  _event_shape: Size = [];
  _validate_args: boolean = _default_validate_args;

  /** Sets whether validation is on by default (torch.distributions.Distribution.set_default_validate_args). */
  static set_default_validate_args(value: boolean): void {
    if (value !== true && value !== false) throw new RangeError('value must be a boolean');
    _default_validate_args = value;
  }

  /** Whether `rsample` is implemented (reparameterized, differentiable samples). */
  get has_rsample(): boolean {
    return false;
  }
  get has_enumerate_support(): boolean {
    return false;
  }

  /**
   * Distribution.__init__(batch_shape, event_shape, validate_args): subclasses set their parameters
   * first, then call this; with validation on it checks each given parameter against arg_constraints.
   */
  protected _init(batch_shape: Size = [], event_shape: Size = [], validate_args: boolean | null | undefined = null): void {
    this._batch_shape = [...batch_shape];
    this._event_shape = [...event_shape];
    this._validate_args = validate_args === null || validate_args === undefined ? _default_validate_args : validate_args;
    if (!this._validate_args) return;
    const ac = this.arg_constraints;
    for (const param of Object.keys(ac)) {
      const constraint = ac[param];
      if (is_dependent(constraint)) continue; // skip constraints that cannot be checked
      if (this._lazy_params().includes(param) && !this._has_param(param)) continue; // derived lazily from another
      const value = (this as any)[param] as Tensor;
      const valid = constraint.check(value);
      if (!valid.all().item()) {
        throw new RangeError(
          `Expected parameter ${param} (${value.constructor.name} of shape ${fmtTuple(value.shape)}) ` +
            `of distribution ${this.repr()} ` +
            `to satisfy the constraint ${constraint.repr()}, ` +
            `but found invalid values:\n${pyValue(value)}`,
        );
      }
    }
  }

  /** A bare instance of cls for expand() (Distribution._get_checked_instance). */
  protected _new_instance<T extends Distribution>(cls: abstract new (...a: any[]) => T, instance?: Distribution): T {
    if (instance === undefined && this.constructor !== cls) {
      throw new NotImplementedError(`Subclass ${this.constructor.name} of ${cls.name} that defines a custom __init__ method must also define a custom .expand() method.`);
    }
    return (instance ?? Object.create(cls.prototype)) as T;
  }
  /**
   * expand() of a distribution with event shape [] whose `params` (tensors, or distributions it is
   * built on) all carry its batch shape: a new `cls` with each of them expanded to `batch_shape`.
   */
  protected _expand_params<T extends Distribution>(cls: abstract new (...a: any[]) => T, batch_shape: Size,
    params: readonly string[], instance?: Distribution): T {
    const n = this._new_instance(cls, instance);
    for (const p of params) (n as any)[p] = (this as any)[p].expand(batch_shape);
    Distribution._init_expanded(n, batch_shape, [], this._validate_args);
    return n;
  }
  /** Distribution.__init__ on an instance made by _new_instance (validation off, as PyTorch's expand does). */
  static _init_expanded(inst: Distribution, batch_shape: Size, event_shape: Size, validate_args: boolean): void {
    inst._init(batch_shape, event_shape, false);
    inst._validate_args = validate_args;
  }

  /** The names of the parameters this instance was given (PyTorch looks in `__dict__`). */
  protected _param_names(): string[] {
    return Object.keys(this.arg_constraints).filter((k) => this._has_param(k));
  }
  /** Whether the parameter is stored on the instance (given, or lazily computed already): PyTorch's `name in self.__dict__`. */
  _has_param(name: string): boolean {
    return (this as any)[`_p_${name}`] !== undefined || (Object.prototype.hasOwnProperty.call(this, name) && (this as any)[name] !== undefined);
  }
  /** Parameters computed on first use from another one (PyTorch's lazy_property: probs/logits). */
  _lazy_params(): string[] {
    return [];
  }

  /** A new distribution with batch dims expanded to `batch_shape`. */
  expand(_batch_shape: Size, _instance?: Distribution): Distribution {
    throw new NotImplementedError();
  }

  get batch_shape(): Size {
    return this._batch_shape;
  }
  get event_shape(): Size {
    return this._event_shape;
  }
  /** The constraint each parameter must satisfy. */
  get arg_constraints(): Record<string, Constraint> {
    throw new NotImplementedError();
  }
  /** The constraint the values must satisfy. */
  get support(): Constraint {
    throw new NotImplementedError();
  }
  get mean(): Tensor {
    throw new NotImplementedError();
  }
  get mode(): Tensor {
    throw new NotImplementedError(`${this.constructor.name} does not implement mode`);
  }
  get variance(): Tensor {
    throw new NotImplementedError();
  }
  get stddev(): Tensor {
    return this.variance.sqrt();
  }

  /** A sample (or a batch of samples of shape sample_shape) without gradient. */
  sample(sample_shape: Size = []): Tensor {
    return no_grad(() => this.rsample(sample_shape));
  }
  /** A reparameterized sample (gradients flow to the parameters) when has_rsample. */
  rsample(_sample_shape: Size = []): Tensor {
    throw new NotImplementedError();
  }
  /** sample_n(n) = sample([n]) (deprecated in PyTorch). */
  sample_n(n: number): Tensor {
    return this.sample([n]);
  }
  log_prob(_value: Tensor): Tensor {
    throw new NotImplementedError();
  }
  cdf(_value: Tensor): Tensor {
    throw new NotImplementedError();
  }
  icdf(_value: Tensor): Tensor {
    throw new NotImplementedError();
  }
  enumerate_support(_expand = true): Tensor {
    throw new NotImplementedError();
  }
  entropy(): Tensor {
    throw new NotImplementedError();
  }
  perplexity(): Tensor {
    return ops.exp(this.entropy());
  }

  /** sample_shape + batch_shape + event_shape */
  _extended_shape(sample_shape: Size = []): Size {
    return [...sample_shape, ...this._batch_shape, ...this._event_shape];
  }

  /** Checks value's shape against batch_shape/event_shape and its values against the support. */
  _validate_sample(value: Tensor): void {
    if (!(value instanceof Tensor)) throw new RangeError('The value argument to log_prob must be a Tensor');
    const vs = value.shape;
    const start = vs.length - this._event_shape.length;
    if (start < 0 || !sameSize(vs.slice(start), this._event_shape)) {
      throw new RangeError(`The right-most size of value must match event_shape: ${fmtSize(vs)} vs ${fmtSize(this._event_shape)}.`);
    }
    const expected = [...this._batch_shape, ...this._event_shape];
    for (let k = 1; k <= Math.min(vs.length, expected.length); k++) {
      const i = vs[vs.length - k];
      const j = expected[expected.length - k];
      if (i !== 1 && j !== 1 && i !== j) {
        throw new RangeError(`Value is not broadcastable with batch_shape+event_shape: ${fmtSize(vs)} vs ${fmtSize(expected)}.`);
      }
    }
    let support: Constraint;
    try {
      support = this.support;
    } catch (e) {
      if (e instanceof NotImplementedError) {
        process.emitWarning(`${this.constructor.name} does not define \`support\` to enable sample validation. Please initialize the distribution with \`validate_args=False\` to turn off validation.`);
        return;
      }
      throw e;
    }
    const valid = support.check(value);
    if (!valid.all().item()) {
      throw new RangeError(
        `Expected value argument (${value.constructor.name} of shape ${fmtTuple(vs)}) ` +
          `to be within the support (${support.repr()}) of the distribution ${this.repr()}, ` +
          `but found invalid values:\n${pyValue(value)}`,
      );
    }
  }

  /** PyTorch's repr: `Normal(loc: torch.Size([2]), scale: torch.Size([2]))`, or the tensor when it has one element. */
  repr(): string {
    const args = this._param_names().map((p) => {
      const v = (this as any)[p] as Tensor;
      return `${p}: ${v.numel() === 1 ? pyValue(v) : fmtSize(v.shape)}`;
    });
    return `${this.constructor.name}(${args.join(', ')})`;
  }
  toString(): string {
    return this.repr();
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.repr();
  }
}

/** Base class of exponential-family distributions (entropy through the Bregman divergence of the log normalizer). */
export abstract class ExponentialFamily extends Distribution {
  get _natural_params(): Tensor[] {
    throw new NotImplementedError();
  }
  _log_normalizer(..._natural_params: Tensor[]): Tensor {
    throw new NotImplementedError();
  }
  get _mean_carrier_measure(): Tensor | number {
    throw new NotImplementedError();
  }
}
