/**
 * nn.Parameter: a Tensor that a Module registers as a parameter when assigned to one of its fields.
 * `new nn.Parameter(data, requires_grad = true)` aliases `data`'s storage (as PyTorch's
 * `Parameter(data)` does: a detached view of the same memory) and sets requires_grad.
 * Operations on a Parameter return plain Tensors; `p instanceof nn.Parameter` and
 * `p instanceof torch.Tensor` both hold.
 *
 * nn.UninitializedParameter / nn.UninitializedBuffer: the placeholders of lazy modules
 * (nn.LazyLinear …) until their first forward call materializes them.
 */
import { native } from '../binding';
import { Tensor } from '../tensor';
import { describe } from '../_utils';
import { dtype, get_default_dtype } from '../dtype';
import { DeviceLike } from '../device';
import * as ops from '../generated/ops';
import { parseArgs } from './modules/utils';
import { setData, setRequiresGrad, requiresGrad } from './_autograd';

const inspect = Symbol.for('nodejs.util.inspect.custom');

export class Parameter extends Tensor {
  /**
   * Args:
   *   data (Tensor): parameter tensor (default: an empty float tensor).
   *   requires_grad (boolean): whether the parameter requires gradient. Default: true.
   *
   * Example:
   *   const w = new nn.Parameter(torch.randn(784, 128));
   */
  constructor(data?: Tensor | null, requires_grad?: boolean);
  constructor(data: Tensor | null | undefined, options: { requires_grad?: boolean });
  constructor(options: { data?: Tensor | null; requires_grad?: boolean });
  constructor(...args: any[]) {
    const a = parseArgs('Parameter', ['data', 'requires_grad'], args, { requires_grad: true });
    let data: Tensor = a.data ?? null;
    if (data === null) data = ops.empty([0]);
    else if (!(data instanceof Tensor)) throw new TypeError(`Parameter(): argument 'data' must be Tensor, not ${describe(data)}`);
    if (typeof a.requires_grad !== 'boolean') throw new TypeError(`Parameter(): argument 'requires_grad' must be bool, not ${describe(a.requires_grad)}`);
    super(native._nn_make_param(data._h, a.requires_grad));
  }

  toString(): string {
    return `Parameter containing:\n${tensorText(this)}`;
  }
  [inspect](depth: number, opts: unknown, insp?: (v: unknown, o: unknown) => string): string {
    return `Parameter containing:\n${tensorText(this, depth, opts, insp)}`;
  }
}

function tensorText(t: any, depth?: number, opts?: unknown, insp?: (v: unknown, o: unknown) => string): string {
  const base = Object.getPrototypeOf(Parameter.prototype)[inspect];
  if (typeof base === 'function') return base.call(t, depth, opts, insp);
  const own = (Tensor.prototype as any).toString;
  if (own !== Object.prototype.toString) return own.call(t);
  return `tensor(shape=[${t.shape.join(', ')}], dtype=${t.dtype}, requires_grad=${requiresGrad(t) ? 'True' : 'False'})`;
}

function uninitializedError(what: string): Error {
  return new TypeError(
    `Attempted to use an uninitialized parameter in ${what}. This error happens when you are using a \`LazyModule\` or ` +
      'explicitly manipulating `torch.nn.parameter.UninitializedParameter` objects. When using LazyModules Call ' +
      '`forward` with a dummy batch to initialize the parameters before calling torch functions',
  );
}

/** Mixin behaviour of the uninitialized placeholders: metadata access throws until materialize(). */
function defineUninitialized(proto: object, become: () => object): void {
  for (const name of ['shape', 'ndim']) {
    Object.defineProperty(proto, name, { get() { throw uninitializedError(name); }, configurable: true });
  }
  for (const name of ['size', 'dim', 'numel', 'nelement', 'stride', 'item', 'tolist', 'to_typed_array']) {
    Object.defineProperty(proto, name, { value() { throw uninitializedError(`${name}()`); }, configurable: true, writable: true });
  }
  Object.defineProperty(proto, 'materialize', {
    /**
     * Creates the tensor with the given shape (on the placeholder's device and dtype unless given),
     * turning this object into a Parameter (or a plain Tensor buffer) in place.
     */
    value(this: Tensor & { _u_dtype: dtype | null; _u_device: DeviceLike | null }, shape: number[], ...rest: any[]) {
      const a = parseArgs('materialize', ['device', 'dtype'], rest);
      const dt = a.dtype ?? this._u_dtype ?? get_default_dtype();
      const dev = a.device ?? this._u_device ?? 'cpu';
      const t = ops.empty(shape, { dtype: dt, device: dev });
      setData(this, t);
      t.dispose();
      Object.setPrototypeOf(this, become());
    },
    configurable: true, writable: true,
  });
  Object.defineProperty(proto, 'is_uninitialized', { value: () => true, configurable: true, writable: true });
}

/**
 * A parameter whose shape is not known yet (lazy modules). Using it before `materialize(shape)`
 * is an error; materialize turns it into an nn.Parameter in place.
 */
export class UninitializedParameter extends Parameter {
  /** @internal */ _u_dtype!: dtype | null;
  /** @internal */ _u_device!: DeviceLike | null;
  constructor(requires_grad = true, device: DeviceLike | null = null, dt: dtype | null = null) {
    super(ops.empty([0], { dtype: dt ?? get_default_dtype() }), requires_grad);
    Object.defineProperty(this, '_u_dtype', { value: dt, writable: true, enumerable: false });
    Object.defineProperty(this, '_u_device', { value: device, writable: true, enumerable: false });
  }
  declare materialize: (shape: number[], options?: { device?: DeviceLike; dtype?: dtype }) => void;
  toString(): string {
    return '<UninitializedParameter>';
  }
  [inspect](): string {
    return '<UninitializedParameter>';
  }
}
defineUninitialized(UninitializedParameter.prototype, () => Parameter.prototype);

/** A buffer whose shape is not known yet (LazyBatchNorm's running statistics). */
export class UninitializedBuffer extends Tensor {
  /** @internal */ _u_dtype!: dtype | null;
  /** @internal */ _u_device!: DeviceLike | null;
  constructor(requires_grad = false, device: DeviceLike | null = null, dt: dtype | null = null) {
    const t = ops.empty([0], { dtype: dt ?? get_default_dtype() });
    super(native._nn_make_param(t._h, requires_grad));
    t.dispose();
    Object.defineProperty(this, '_u_dtype', { value: dt, writable: true, enumerable: false });
    Object.defineProperty(this, '_u_device', { value: device, writable: true, enumerable: false });
  }
  declare materialize: (shape: number[], options?: { device?: DeviceLike; dtype?: dtype }) => void;
  toString(): string {
    return '<UninitializedBuffer>';
  }
  [inspect](): string {
    return '<UninitializedBuffer>';
  }
}
defineUninitialized(UninitializedBuffer.prototype, () => Tensor.prototype);

/** Whether `t` is an UninitializedParameter/UninitializedBuffer (torch.nn.parameter.is_lazy). */
/** @internal A new uninitialized (torch.empty) Parameter with the factory kwargs device/dtype. */
export function emptyParam(shape: number[], a: { device?: any; dtype?: any }): Parameter {
  const t = ops.empty(shape, { dtype: a.dtype ?? null, device: a.device ?? null });
  const p = new Parameter(t);
  t.dispose();
  return p;
}

export function is_lazy(t: unknown): boolean {
  return t instanceof UninitializedParameter || t instanceof UninitializedBuffer;
}

export { requiresGrad as _requiresGrad, setRequiresGrad as _setRequiresGrad };
