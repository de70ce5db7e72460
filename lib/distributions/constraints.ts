/**
 * torch.distributions.constraints: objects that say where a variable is valid. `check(value)`
 * returns a bool tensor of shape `sample_shape + batch_shape` (the event dims are reduced), as
 * PyTorch 1.13's constraints do; `repr()` prints as PyTorch prints them.
 */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { bool as tbool } from '../dtype';
import { NotImplementedError, pyFloat, pyValue } from './utils';

type Bound = Tensor | number;
const isT = (v: Bound): v is Tensor => v instanceof Tensor;
/** a <= b, for any mix of tensors and numbers (value is always a tensor). */
const le = (a: Bound, b: Bound): Tensor => (isT(a) ? a.le(b as any) : (b as Tensor).ge(a));
const lt = (a: Bound, b: Bound): Tensor => (isT(a) ? a.lt(b as any) : (b as Tensor).gt(a));
const fmtInt = (v: Bound): string => (isT(v) ? pyValue(v) : String(v));
const fmtFloat = (v: Bound): string => (isT(v) ? pyValue(v) : pyFloat(v));

/** Base class: `is_discrete`, `event_dim`, `check(value)`. */
export class Constraint {
  is_discrete = false;
  event_dim = 0;
  check(_value: Tensor): Tensor {
    throw new NotImplementedError();
  }
  /** PyTorch's repr: the class name without its leading underscore, then its arguments. */
  repr(): string {
    return `${this.constructor.name.replace(/^_/, '')}()`;
  }
  toString(): string {
    return this.repr();
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.repr();
  }
}

/** A placeholder for variables whose support depends on other variables. */
export class _Dependent extends Constraint {
  private _is_discrete?: boolean;
  private _event_dim?: number;
  constructor(opts: { is_discrete?: boolean; event_dim?: number } = {}) {
    super();
    this._is_discrete = opts.is_discrete;
    this._event_dim = opts.event_dim;
    Object.defineProperty(this, 'is_discrete', {
      get: () => {
        if (this._is_discrete === undefined) throw new NotImplementedError('.is_discrete cannot be determined statically');
        return this._is_discrete;
      },
    });
    Object.defineProperty(this, 'event_dim', {
      get: () => {
        if (this._event_dim === undefined) throw new NotImplementedError('.event_dim cannot be determined statically');
        return this._event_dim;
      },
    });
  }
  /** constraints.dependent(is_discrete=..., event_dim=...): a new dependent constraint with these attributes. */
  call(opts: { is_discrete?: boolean; event_dim?: number } = {}): _Dependent {
    return new _Dependent({ is_discrete: opts.is_discrete ?? this._is_discrete, event_dim: opts.event_dim ?? this._event_dim });
  }
  check(_value: Tensor): Tensor {
    throw new RangeError('Cannot determine validity of dependent constraint');
  }
}

/** True when `constraint` is a dependent constraint. */
export function is_dependent(constraint: unknown): boolean {
  return constraint instanceof _Dependent;
}

/** Wraps a constraint, reinterpreting `reinterpreted_batch_ndims` batch dims as event dims. */
export class _IndependentConstraint extends Constraint {
  constructor(public base_constraint: Constraint, public reinterpreted_batch_ndims: number) {
    super();
    if (!(base_constraint instanceof Constraint)) throw new TypeError('base_constraint must be a Constraint');
    if (!Number.isInteger(reinterpreted_batch_ndims) || reinterpreted_batch_ndims < 0) throw new RangeError('reinterpreted_batch_ndims must be a non-negative integer');
    Object.defineProperty(this, 'is_discrete', { get: () => this.base_constraint.is_discrete });
    Object.defineProperty(this, 'event_dim', { get: () => this.base_constraint.event_dim + this.reinterpreted_batch_ndims });
  }
  check(value: Tensor): Tensor {
    let result = this.base_constraint.check(value);
    if (result.dim() < this.reinterpreted_batch_ndims) {
      const expected = this.base_constraint.event_dim + this.reinterpreted_batch_ndims;
      throw new RangeError(`Expected value.dim() >= ${expected} but got ${value.dim()}`);
    }
    const s = result.shape;
    result = result.reshape([...s.slice(0, s.length - this.reinterpreted_batch_ndims), -1]);
    return result.all(-1);
  }
  repr(): string {
    return `IndependentConstraint(${this.base_constraint.repr()}, ${this.reinterpreted_batch_ndims})`;
  }
}

export class _Boolean extends Constraint {
  is_discrete = true;
  check(value: Tensor): Tensor {
    return value.eq(0).logical_or(value.eq(1));
  }
}

export class _OneHot extends Constraint {
  is_discrete = true;
  event_dim = 1;
  check(value: Tensor): Tensor {
    const is_boolean = value.eq(0).logical_or(value.eq(1));
    const is_normalized = value.sum(-1).eq(1);
    return is_boolean.all(-1).logical_and(is_normalized);
  }
}

const isInt = (v: Tensor): Tensor => ops.remainder(v, 1).eq(0);

export class _IntegerInterval extends Constraint {
  is_discrete = true;
  constructor(public lower_bound: Bound, public upper_bound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return isInt(value).logical_and(le(this.lower_bound, value)).logical_and(le(value, this.upper_bound));
  }
  repr(): string {
    return `IntegerInterval(lower_bound=${fmtInt(this.lower_bound)}, upper_bound=${fmtInt(this.upper_bound)})`;
  }
}

export class _IntegerLessThan extends Constraint {
  is_discrete = true;
  constructor(public upper_bound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return isInt(value).logical_and(le(value, this.upper_bound));
  }
  repr(): string {
    return `IntegerLessThan(upper_bound=${fmtInt(this.upper_bound)})`;
  }
}

export class _IntegerGreaterThan extends Constraint {
  is_discrete = true;
  constructor(public lower_bound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return isInt(value).logical_and(le(this.lower_bound, value));
  }
  repr(): string {
    return `IntegerGreaterThan(lower_bound=${fmtInt(this.lower_bound)})`;
  }
}

export class _Real extends Constraint {
  check(value: Tensor): Tensor {
    return value.eq(value); // false only for NaN
  }
}

export class _GreaterThan extends Constraint {
  constructor(public lower_bound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return lt(this.lower_bound, value);
  }
  repr(): string {
    return `GreaterThan(lower_bound=${fmtFloat(this.lower_bound)})`;
  }
}

export class _GreaterThanEq extends Constraint {
  constructor(public lower_bound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return le(this.lower_bound, value);
  }
  repr(): string {
    return `GreaterThanEq(lower_bound=${fmtFloat(this.lower_bound)})`;
  }
}

export class _LessThan extends Constraint {
  constructor(public upper_bound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return lt(value, this.upper_bound);
  }
  repr(): string {
    return `LessThan(upper_bound=${fmtFloat(this.upper_bound)})`;
  }
}

export class _Interval extends Constraint {
  constructor(public lower_bound: Bound, public upper_bound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return le(this.lower_bound, value).logical_and(le(value, this.upper_bound));
  }
  repr(): string {
    return `Interval(lower_bound=${fmtFloat(this.lower_bound)}, upper_bound=${fmtFloat(this.upper_bound)})`;
  }
}

export class _HalfOpenInterval extends Constraint {
  constructor(public lower_bound: Bound, public upper_bound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return le(this.lower_bound, value).logical_and(lt(value, this.upper_bound));
  }
  repr(): string {
    return `HalfOpenInterval(lower_bound=${fmtFloat(this.lower_bound)}, upper_bound=${fmtFloat(this.upper_bound)})`;
  }
}

export class _Simplex extends Constraint {
  event_dim = 1;
  check(value: Tensor): Tensor {
    return value.ge(0).all(-1).logical_and(value.sum(-1).sub(1).abs().lt(1e-6));
  }
}

export class _Multinomial extends Constraint {
  is_discrete = true;
  event_dim = 1;
  constructor(public upper_bound: number) {
    super();
  }
  check(value: Tensor): Tensor {
    return value.ge(0).all(-1).logical_and(value.sum(-1).le(this.upper_bound));
  }
}

function flatMin(t: Tensor): Tensor {
  const s = t.shape;
  return t.reshape([...s.slice(0, -2), -1]).all(-1);
}

export class _LowerTriangular extends Constraint {
  event_dim = 2;
  check(value: Tensor): Tensor {
    return flatMin(value.tril().eq(value));
  }
}

export class _LowerCholesky extends Constraint {
  event_dim = 2;
  check(value: Tensor): Tensor {
    const lower = flatMin(value.tril().eq(value));
    const posdiag = value.diagonal({ dim1: -2, dim2: -1 }).gt(0).all(-1);
    return lower.logical_and(posdiag);
  }
}

export class _Square extends Constraint {
  event_dim = 2;
  check(value: Tensor): Tensor {
    const s = value.shape;
    return ops.full(s.slice(0, -2), s[s.length - 2] === s[s.length - 1], { dtype: tbool, device: value.device });
  }
}

export class _Symmetric extends _Square {
  check(value: Tensor): Tensor {
    const sq = super.check(value);
    if (!sq.all().item()) return sq;
    return ops.isclose(value, value.transpose(-2, -1), { atol: 1e-6 }).all(-2).all(-1);
  }
}

export class _PositiveSemidefinite extends _Symmetric {
  check(value: Tensor): Tensor {
    const sym = super.check(value);
    if (!sym.all().item()) return sym;
    return ops.linalg.eigvalsh(value).ge(0).all(-1);
  }
}

export class _PositiveDefinite extends _Symmetric {
  check(value: Tensor): Tensor {
    const sym = super.check(value);
    if (!sym.all().item()) return sym;
    return (ops.linalg.cholesky_ex(value) as unknown as Tensor[])[1].eq(0);
  }
}

export const dependent = new _Dependent();
/** constraints.independent(base, n) */
export const independent = (base_constraint: Constraint, reinterpreted_batch_ndims: number): Constraint =>
  new _IndependentConstraint(base_constraint, reinterpreted_batch_ndims);
export const boolean = new _Boolean();
export const one_hot = new _OneHot();
export const nonnegative_integer = new _IntegerGreaterThan(0);
export const positive_integer = new _IntegerGreaterThan(1);
export const integer_interval = (lower_bound: Bound, upper_bound: Bound): Constraint => new _IntegerInterval(lower_bound, upper_bound);
export const real = new _Real();
export const real_vector = independent(real, 1);
export const positive = new _GreaterThan(0);
export const nonnegative = new _GreaterThanEq(0);
export const greater_than = (lower_bound: Bound): Constraint => new _GreaterThan(lower_bound);
export const greater_than_eq = (lower_bound: Bound): Constraint => new _GreaterThanEq(lower_bound);
export const less_than = (upper_bound: Bound): Constraint => new _LessThan(upper_bound);
export const multinomial = (upper_bound: number): Constraint => new _Multinomial(upper_bound);
export const unit_interval = new _Interval(0, 1);
export const interval = (lower_bound: Bound, upper_bound: Bound): Constraint => new _Interval(lower_bound, upper_bound);
export const half_open_interval = (lower_bound: Bound, upper_bound: Bound): Constraint => new _HalfOpenInterval(lower_bound, upper_bound);
export const simplex = new _Simplex();
export const lower_triangular = new _LowerTriangular();
export const lower_cholesky = new _LowerCholesky();
export const square = new _Square();
export const symmetric = new _Symmetric();
export const positive_semidefinite = new _PositiveSemidefinite();
export const positive_definite = new _PositiveDefinite();
