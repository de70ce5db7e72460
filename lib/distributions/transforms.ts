/**
 * torch.distributions.transforms: invertible maps with log|det J| (torch/distributions/transforms.py).
 * A transform is called as `t.call(x)`; `t.inv` is its inverse; `cache_size=1` remembers the last
 * (x, y) pair so that `t.inv.call(t.call(x))` returns x itself.
 */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { finfo } from '../type_info';
import { slice } from '../indexing';
import * as constraints from './constraints';
import { NotImplementedError, Size, _sum_rightmost, broadcast_shapes, parseArgs } from './utils';

const tinyClamp = (x: Tensor): Tensor => {
  const f = finfo(x.dtype);
  return x.clamp({ min: f.tiny, max: 1 - f.eps });
};
/** sigmoid clipped into [tiny, 1 - eps] of the dtype (transforms._clipped_sigmoid). */
export function _clipped_sigmoid(x: Tensor): Tensor {
  return tinyClamp(ops.sigmoid(x));
}

export abstract class Transform {
  _cache_size: number;
  private _cached_x_y: [Tensor | null, Tensor | null] = [null, null];
  private _inv_ref: WeakRef<Transform> | null = null;
  bijective = false;
  constructor(cache_size = 0) {
    if (cache_size !== 0 && cache_size !== 1) throw new RangeError('cache_size must be 0 or 1');
    this._cache_size = cache_size;
  }
  get domain(): constraints.Constraint {
    throw new NotImplementedError();
  }
  get codomain(): constraints.Constraint {
    throw new NotImplementedError();
  }
  get event_dim(): number {
    if (this.domain.event_dim === this.codomain.event_dim) return this.domain.event_dim;
    throw new RangeError('Please use either .domain.event_dim or .codomain.event_dim');
  }
  /** +1 or -1 (or a tensor of signs) for monotone transforms. */
  get sign(): number | Tensor {
    throw new NotImplementedError();
  }
  /** The inverse transform (shares this transform's cache). */
  get inv(): Transform {
    let inv = this._inv_ref?.deref() ?? null;
    if (inv === null) {
      inv = new _InverseTransform(this);
      this._inv_ref = new WeakRef(inv);
    }
    return inv;
  }
  /** A copy of this transform with another cache size. */
  with_cache(cache_size = 1): Transform {
    if (this._cache_size === cache_size) return this;
    throw new NotImplementedError(`${this.constructor.name}.with_cache is not implemented`);
  }
  /** y = t(x) */
  call(x: Tensor): Tensor {
    if (this._cache_size === 0) return this._call(x);
    const [x_old, y_old] = this._cached_x_y;
    if (x === x_old) return y_old!;
    const y = this._call(x);
    this._cached_x_y = [x, y];
    return y;
  }
  /** x = t^-1(y) */
  _inv_call(y: Tensor): Tensor {
    if (this._cache_size === 0) return this._inverse(y);
    const [x_old, y_old] = this._cached_x_y;
    if (y === y_old) return x_old!;
    const x = this._inverse(y);
    this._cached_x_y = [x, y];
    return x;
  }
  _call(_x: Tensor): Tensor {
    throw new NotImplementedError();
  }
  _inverse(_y: Tensor): Tensor {
    throw new NotImplementedError();
  }
  log_abs_det_jacobian(_x: Tensor, _y: Tensor): Tensor {
    throw new NotImplementedError();
  }
  forward_shape(shape: Size): Size {
    return shape;
  }
  inverse_shape(shape: Size): Size {
    return shape;
  }
  repr(): string {
    return `${this.constructor.name}()`;
  }
  toString(): string {
    return this.repr();
  }
}

export class _InverseTransform extends Transform {
  constructor(public _inv: Transform) {
    super(_inv._cache_size);
    this.bijective = _inv.bijective;
  }
  get domain(): constraints.Constraint {
    return this._inv.codomain;
  }
  get codomain(): constraints.Constraint {
    return this._inv.domain;
  }
  get sign(): number | Tensor {
    return this._inv.sign;
  }
  get inv(): Transform {
    return this._inv;
  }
  call(x: Tensor): Tensor {
    return this._inv._inv_call(x);
  }
  log_abs_det_jacobian(x: Tensor, y: Tensor): Tensor {
    return this._inv.log_abs_det_jacobian(y, x).neg();
  }
  forward_shape(shape: Size): Size {
    return this._inv.inverse_shape(shape);
  }
  inverse_shape(shape: Size): Size {
    return this._inv.forward_shape(shape);
  }
}

/** Composes transforms in a chain: parts[0] first. */
export class ComposeTransform extends Transform {
  parts: Transform[];
  constructor(parts: Transform[], cache_size = 0) {
    super(cache_size);
    if (cache_size) parts = parts.map((p) => p.with_cache(cache_size));
    this.parts = parts;
    this.bijective = parts.every((p) => p.bijective);
  }
  get domain(): constraints.Constraint {
    const parts = this.parts;
    if (parts.length === 0) return constraints.real;
    let domain = parts[0].domain;
    let event_dim = parts[parts.length - 1].codomain.event_dim;
    for (const part of [...parts].reverse()) {
      event_dim += part.domain.event_dim - part.codomain.event_dim;
      event_dim = Math.max(event_dim, part.domain.event_dim);
    }
    if (event_dim > domain.event_dim) domain = constraints.independent(domain, event_dim - domain.event_dim);
    return domain;
  }
  get codomain(): constraints.Constraint {
    const parts = this.parts;
    if (parts.length === 0) return constraints.real;
    let codomain = parts[parts.length - 1].codomain;
    let event_dim = parts[0].domain.event_dim;
    for (const part of parts) {
      event_dim += part.codomain.event_dim - part.domain.event_dim;
      event_dim = Math.max(event_dim, part.codomain.event_dim);
    }
    if (event_dim > codomain.event_dim) codomain = constraints.independent(codomain, event_dim - codomain.event_dim);
    return codomain;
  }
  get sign(): number | Tensor {
    let sign: number | Tensor = 1;
    for (const p of this.parts) {
      const s = p.sign;
      sign = typeof sign === 'number' && typeof s === 'number' ? sign * s : (s instanceof Tensor ? s.mul(sign as any) : (sign as Tensor).mul(s));
    }
    return sign;
  }
  get inv(): Transform {
    return new ComposeTransform([...this.parts].reverse().map((p) => p.inv));
  }
  with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new ComposeTransform(this.parts, cache_size);
  }
  call(x: Tensor): Tensor {
    for (const p of this.parts) x = p.call(x);
    return x;
  }
  log_abs_det_jacobian(x: Tensor, y: Tensor): Tensor {
    if (this.parts.length === 0) return ops.zeros_like(x);
    const xs = [x];
    for (const p of this.parts.slice(0, -1)) xs.push(p.call(xs[xs.length - 1]));
    xs.push(y);
    let event_dim = this.domain.event_dim;
    let total: Tensor | null = null;
    this.parts.forEach((part, i) => {
      const term = _sum_rightmost(part.log_abs_det_jacobian(xs[i], xs[i + 1]), event_dim - part.domain.event_dim);
      total = total === null ? term : total.add(term);
      event_dim += part.codomain.event_dim - part.domain.event_dim;
    });
    return total!;
  }
  forward_shape(shape: Size): Size {
    for (const p of this.parts) shape = p.forward_shape(shape);
    return shape;
  }
  inverse_shape(shape: Size): Size {
    for (const p of [...this.parts].reverse()) shape = p.inverse_shape(shape);
    return shape;
  }
  repr(): string {
    return `ComposeTransform(\n    ${this.parts.map((p) => p.repr()).join(',\n    ')}\n)`;
  }
}

export const identity_transform = new ComposeTransform([]);

/** y = exp(x) */
export class ExpTransform extends Transform {
  bijective = true;
  get domain(): constraints.Constraint {
    return constraints.real;
  }
  get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  get sign(): number {
    return 1;
  }
  with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new ExpTransform(cache_size);
  }
  _call(x: Tensor): Tensor {
    return x.exp();
  }
  _inverse(y: Tensor): Tensor {
    return y.log();
  }
  log_abs_det_jacobian(x: Tensor, _y: Tensor): Tensor {
    return x;
  }
}

/** y = 1 / (1 + exp(-x)) */
export class SigmoidTransform extends Transform {
  bijective = true;
  get domain(): constraints.Constraint {
    return constraints.real;
  }
  get codomain(): constraints.Constraint {
    return constraints.unit_interval;
  }
  get sign(): number {
    return 1;
  }
  with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new SigmoidTransform(cache_size);
  }
  _call(x: Tensor): Tensor {
    return _clipped_sigmoid(x);
  }
  _inverse(y: Tensor): Tensor {
    const c = tinyClamp(y);
    return c.log().sub(c.neg().log1p());
  }
  log_abs_det_jacobian(x: Tensor, _y: Tensor): Tensor {
    return ops._nn.softplus(x.neg()).neg().sub(ops._nn.softplus(x));
  }
}

/** y = tanh(x) */
export class TanhTransform extends Transform {
  bijective = true;
  get domain(): constraints.Constraint {
    return constraints.real;
  }
  get codomain(): constraints.Constraint {
    return constraints.interval(-1.0, 1.0);
  }
  get sign(): number {
    return 1;
  }
  with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new TanhTransform(cache_size);
  }
  _call(x: Tensor): Tensor {
    return x.tanh();
  }
  _inverse(y: Tensor): Tensor {
    return ops.atanh(y);
  }
  log_abs_det_jacobian(x: Tensor, _y: Tensor): Tensor {
    // 2 * (log 2 - x - softplus(-2x)): stable form of log(1 - tanh(x)^2).
    return x.neg().add(Math.log(2.0)).sub(ops._nn.softplus(x.mul(-2.0))).mul(2.0);
  }
}

/** y = loc + scale * x, with `event_dim` rightmost dims forming the event. */
export class AffineTransform extends Transform {
  bijective = true;
  loc: Tensor | number;
  scale: Tensor | number;
  _event_dim: number;
  constructor(...args: any[]) {
    const a = parseArgs('AffineTransform', ['loc', 'scale', 'event_dim', 'cache_size'], args);
    super(a.cache_size ?? 0);
    this.loc = a.loc;
    this.scale = a.scale;
    this._event_dim = a.event_dim ?? 0;
  }
  get event_dim(): number {
    return this._event_dim;
  }
  get domain(): constraints.Constraint {
    return this._event_dim === 0 ? constraints.real : constraints.independent(constraints.real, this._event_dim);
  }
  get codomain(): constraints.Constraint {
    return this.domain;
  }
  get sign(): number | Tensor {
    return typeof this.scale === 'number' ? Math.sign(this.scale) : this.scale.sign();
  }
  with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new AffineTransform(this.loc, this.scale, this._event_dim, cache_size);
  }
  _call(x: Tensor): Tensor {
    const sx = x.mul(this.scale as any);
    return typeof this.loc === 'number' ? sx.add(this.loc) : this.loc.add(sx);
  }
  _inverse(y: Tensor): Tensor {
    return y.sub(this.loc as any).div(this.scale as any);
  }
  log_abs_det_jacobian(x: Tensor, _y: Tensor): Tensor {
    let shape = x.shape;
    let result = typeof this.scale === 'number' ? ops.full_like(x, Math.log(Math.abs(this.scale))) : ops.abs(this.scale).log();
    if (this._event_dim) {
      const rs = result.shape;
      result = result.view([...rs.slice(0, rs.length - this._event_dim), -1]).sum(-1);
      shape = shape.slice(0, shape.length - this._event_dim);
    }
    return result.expand(shape);
  }
  forward_shape(shape: Size): Size {
    const s = (v: Tensor | number) => (v instanceof Tensor ? v.shape : []);
    return broadcast_shapes(shape, s(this.loc), s(this.scale));
  }
  inverse_shape(shape: Size): Size {
    return this.forward_shape(shape);
  }
}

/** y = softmax(x) over the last dim (not bijective; the inverse is log). */
export class SoftmaxTransform extends Transform {
  get domain(): constraints.Constraint {
    return constraints.real_vector;
  }
  get codomain(): constraints.Constraint {
    return constraints.simplex;
  }
  with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new SoftmaxTransform(cache_size);
  }
  _call(x: Tensor): Tensor {
    const probs = x.sub((x.max(-1, true) as unknown as Tensor[])[0]).exp();
    return probs.div(probs.sum(-1, true));
  }
  _inverse(y: Tensor): Tensor {
    return y.log();
  }
  forward_shape(shape: Size): Size {
    if (shape.length < 1) throw new RangeError('Too few dimensions on input');
    return shape;
  }
  inverse_shape(shape: Size): Size {
    return this.forward_shape(shape);
  }
}

/** Maps R^(K-1) onto the K-simplex by stick breaking (bijective). */
export class StickBreakingTransform extends Transform {
  bijective = true;
  get domain(): constraints.Constraint {
    return constraints.real_vector;
  }
  get codomain(): constraints.Constraint {
    return constraints.simplex;
  }
  with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new StickBreakingTransform(cache_size);
  }
  private static _offset(x: Tensor, n: number, top: number): Tensor {
    return ops.ones([n], { dtype: x.dtype, device: x.device }).cumsum(-1).neg().add(top);
  }
  _call(x: Tensor): Tensor {
    const k = x.size(-1);
    const offset = StickBreakingTransform._offset(x, k, k + 1);
    const z = _clipped_sigmoid(x.sub(offset.log()));
    const z_cumprod = z.neg().add(1).cumprod(-1);
    return ops.constant_pad_nd(z, [0, 1], 1).mul(ops.constant_pad_nd(z_cumprod, [1, 0], 1));
  }
  _inverse(y: Tensor): Tensor {
    const y_crop = y.idx('...', slice(null, -1));
    const offset = StickBreakingTransform._offset(y, y_crop.size(-1), y.size(-1));
    const sf = y_crop.cumsum(-1).neg().add(1).clamp({ min: finfo(y.dtype).tiny });
    return y_crop.log().sub(sf.log()).add(offset.log());
  }
  log_abs_det_jacobian(x: Tensor, y: Tensor): Tensor {
    const k = x.size(-1);
    const offset = StickBreakingTransform._offset(x, k, k + 1);
    const xs = x.sub(offset.log());
    return xs.neg().add(ops._nn.log_sigmoid(xs)).add(y.idx('...', slice(null, -1)).log()).sum(-1);
  }
  forward_shape(shape: Size): Size {
    if (shape.length < 1) throw new RangeError('Too few dimensions on input');
    return [...shape.slice(0, -1), shape[shape.length - 1] + 1];
  }
  inverse_shape(shape: Size): Size {
    if (shape.length < 1) throw new RangeError('Too few dimensions on input');
    return [...shape.slice(0, -1), shape[shape.length - 1] - 1];
  }
}
