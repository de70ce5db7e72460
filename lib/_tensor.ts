/**
 * The Tensor methods defined above the class (lib/tensor.ts holds the class, its metadata,
 * conversions and lifetime), as torch/_tensor.py defines Python methods over the C base class:
 * autograd (requires_grad, grad, backward, hooks, data), the transposes, len() and iteration,
 * new_tensor, the torch/_tensor.py methods (unique, norm, lu, __contains__ …), indexing and
 * printing. `defineTensorMethods()` puts them, and the quantized-tensor and async methods, on
 * Tensor.prototype; lib/index.ts calls it once, after the generated ATen methods are installed (see
 * the order there). A later layer replaces a generated method of the same name, as torch/_tensor.py
 * replaces a C method; two hand-written layers defining one name is an error.
 */
import { native } from './binding';
import { Tensor, _classMembers } from './tensor';
import type { dtype } from './dtype';
import type { DeviceLike } from './device';
import { TorchError } from './errors';
import { pyTypeName } from './_utils';
import * as autograd from './autograd/engine';
import type { Node } from './autograd/graph';
import type { RemovableHandle } from './utils/hooks';
import * as indexing from './indexing';
import type { IndexItem } from './indexing';
import { tensor_repr } from './_tensor_str';
import { tensor } from './creation';
import * as functional from './functional';
import * as ops from './generated/ops';
import { QuantizedTensorMethods } from './quantization/qtensor';
import { AsyncTensorMethods } from './_async/index';

declare module './tensor' {
  interface Tensor extends TensorMethods, QuantizedTensorMethods, AsyncTensorMethods {}
}

/**
 * The Python-level Tensor methods (defined on Tensor.prototype by defineTensorMethods, so `this` is
 * always a Tensor: methods declare it, accessors, which cannot, cast it).
 */
export class TensorMethods {
  // ------------------------------------------------------------------ autograd
  /** Whether operations on this tensor are recorded for autograd. Settable on leaf tensors. */
  get requires_grad(): boolean {
    const self = this as unknown as Tensor;
    return native._requires_grad(self._h);
  }
  set requires_grad(v: boolean) {
    const self = this as unknown as Tensor;
    autograd.set_requires_grad(self, v, true);
  }
  /**
   * requires_grad_(requires_grad = true): sets requires_grad in place and returns this tensor.
   * Only floating point (and complex) tensors can require gradients (TorchError otherwise).
   */
  requires_grad_<T extends Tensor>(this: T, requires_grad: boolean | { requires_grad?: boolean } = true): T {
    const v = requires_grad !== null && typeof requires_grad === 'object' ? requires_grad.requires_grad ?? true : requires_grad;
    autograd.set_requires_grad(this, v, false);
    return this;
  }
  /**
   * The gradient accumulated by backward() (null until then). Assign a Tensor of the same dtype,
   * device and size, or null to clear it. Each read returns a new Tensor object sharing the grad.
   */
  get grad(): Tensor | null {
    const self = this as unknown as Tensor;
    return autograd.get_grad(self);
  }
  set grad(g: Tensor | null) {
    const self = this as unknown as Tensor;
    autograd.set_grad(self, g);
  }
  /** The autograd node that created this tensor (null for leaves and tensors without grad). */
  get grad_fn(): Node | null {
    const self = this as unknown as Tensor;
    return autograd.grad_fn(self);
  }
  /** True for tensors created by the user (not by a recorded operation). */
  get is_leaf(): boolean {
    const self = this as unknown as Tensor;
    return native._is_leaf(self._h);
  }
  /** Whether retain_grad() was called on this non-leaf tensor. */
  get retains_grad(): boolean {
    const self = this as unknown as Tensor;
    return native._retains_grad(self._h);
  }
  /** Makes this non-leaf tensor keep its .grad during backward(). */
  retain_grad(this: Tensor): void {
    native._retain_grad(this._h);
  }
  /**
   * backward(gradient?, retain_graph?, create_graph?, inputs?): computes the gradient of this tensor
   * w.r.t. the graph leaves (see torch.autograd.backward). `gradient` is required unless the
   * tensor holds one element.
   */
  backward(this: Tensor, gradient?: Tensor | null | { gradient?: Tensor | null; retain_graph?: boolean | null; create_graph?: boolean; inputs?: Tensor | Tensor[] }, ...rest: unknown[]): void {
    autograd.tensor_backward(this, gradient === undefined ? rest : [gradient, ...rest]);
  }
  /** A new tensor sharing this one's data, detached from the graph (requires_grad=false). */
  detach(this: Tensor): Tensor {
    return new Tensor(native._detach(this._h));
  }
  /** Detaches this tensor from the graph in place; returns it. */
  detach_<T extends Tensor>(this: T): T {
    native._detach_(this._h);
    return this;
  }
  /**
   * register_hook(hook): calls `hook(grad)` each time the gradient w.r.t. this tensor is computed;
   * a Tensor returned by the hook replaces the gradient. Returns a handle whose remove() unregisters
   * it. Hooks run synchronously inside backward(). The hook is kept alive by the graph: a hook that
   * closes over this very tensor keeps it alive as long as the graph lives.
   */
  register_hook(this: Tensor, hook: (grad: Tensor) => Tensor | void | null | undefined): RemovableHandle {
    return autograd.register_hook(this, hook);
  }
  /** Whether this tensor was made in inference mode. */
  is_inference(this: Tensor): boolean {
    return native._is_inference(this._h);
  }
  /**
   * Python's `x.data`: an alias of this tensor's storage outside autograd (requires_grad false, no
   * grad_fn, its own version counter, so in-place updates through it, as in
   * `p.data.add_(p.grad, {alpha: -lr})`, do not invalidate what autograd saved). Assigning
   * (`p.data = t`) makes this tensor use t's storage, dtype and size, keeping its identity, grad
   * and hooks.
   */
  get data(): Tensor {
    const self = this as unknown as Tensor;
    return new Tensor(native._variable_data(self._h));
  }
  set data(src: Tensor) {
    const self = this as unknown as Tensor;
    if (!(src instanceof Tensor)) throw new TypeError(`Variable data has to be a tensor, but got ${pyTypeName(src)}`);
    native._nn_set_data(self._h, src._h);
  }
  // ------------------------------------------------------------------ transposes (Python properties)
  /**
   * Python's `x.T`: the dimensions reversed (a transpose for matrices; PyTorch 1.13 warns that other
   * numbers of dimensions than 2 are deprecated).
   */
  get T(): Tensor {
    const self = this as unknown as Tensor;
    return (self as any).numpy_T();
  }
  /** Python's `x.mT`: the last two dimensions swapped (matrices or batches of them). */
  get mT(): Tensor {
    const self = this as unknown as Tensor;
    const n = self.ndim;
    if (n === 0) return self;
    if (n < 2) throw new TorchError(`tensor.mT is only supported on matrices or batches of matrices. Got ${n}-D tensor.`);
    return (self as any).transpose(-2, -1);
  }
  /** Python's `x.H`: the conjugate transpose of a matrix (2-D only; use mH for batches). */
  get H(): Tensor {
    const self = this as unknown as Tensor;
    const n = self.ndim;
    if (n === 0) return self;
    if (n !== 2) {
      throw new TorchError(`tensor.H is only supported on matrices (2-D tensors). Got ${n}-D tensor.${n > 2 ? ' For batches of matrices, consider using tensor.mH' : ''}`);
    }
    return conjT(self);
  }
  /** Python's `x.mH`: the conjugate transpose of the last two dimensions (torch.adjoint). */
  get mH(): Tensor {
    const self = this as unknown as Tensor;
    const n = self.ndim;
    if (n === 0) return self;
    if (n < 2) throw new TorchError(`tensor.mH is only supported on matrices or batches of matrices. Got ${n}-D tensor.`);
    return conjT(self);
  }
  // ------------------------------------------------------------------ len() and iteration
  /** Python's `len(x)`: the size of dim 0 (TypeError for 0-d tensors). See also `length`. */
  __len__(this: Tensor): number {
    const s = native._shape(this._h);
    if (s.length === 0) throw new TypeError('len() of a 0-d tensor');
    return s[0];
  }
  /** `len(x)` spelled as JS spells it: the size of dim 0 (TypeError for 0-d tensors). */
  get length(): number {
    const self = this as unknown as Tensor;
    return self.__len__();
  }
  /**
   * Python's `for row in x`: the sub-tensors along dim 0 (`x.unbind(0)`, views of x). Iterating a
   * 0-d tensor is a TypeError, as in Python.
   */
  [Symbol.iterator](this: Tensor): IterableIterator<Tensor> {
    if (native._dim(this._h) === 0) throw new TypeError('iteration over a 0-d tensor');
    return ((this as any).unbind(0) as Tensor[])[Symbol.iterator]();
  }
  // ------------------------------------------------------------------ new_* (Python's new_tensor)
  /**
   * x.new_tensor(data, {dtype, device, requires_grad}): a new tensor holding a copy of `data`, of
   * this tensor's dtype and device unless given. (new_zeros/new_ones/new_full/new_empty are ATen's.)
   */
  new_tensor(this: Tensor, data: unknown, opts: { dtype?: dtype | null; device?: DeviceLike | null; requires_grad?: boolean } = {}): Tensor {
    if (opts === null || typeof opts !== 'object') throw new TypeError('new_tensor(): the second argument must be an options object {dtype, device, requires_grad}');
    for (const k of Object.keys(opts)) {
      if (!['dtype', 'device', 'requires_grad', 'pin_memory'].includes(k)) throw new TypeError(`new_tensor() got an unexpected keyword argument '${k}'`);
    }
    const dt = opts.dtype ?? this.dtype;
    const dev = opts.device ?? native._device(this._h);
    let t: Tensor;
    if (data instanceof Tensor) {
      const d = data.detach();
      t = d.to(dev, dt, { copy: true });
      d.dispose();
    } else {
      t = tensor(data, { dtype: dt, device: dev });
    }
    if (opts.requires_grad) t.requires_grad_(true);
    return t;
  }
  // ------------------------------------------------------------------ torch/_tensor.py methods
  /** x.unique(sorted=true, return_inverse=false, return_counts=false, dim=null): see torch.unique. */
  unique(this: Tensor, ...args: any[]): any {
    return (functional.unique as any)(this, ...args);
  }
  /** x.unique_consecutive(return_inverse=false, return_counts=false, dim=null): see torch.unique_consecutive. */
  unique_consecutive(this: Tensor, ...args: any[]): any {
    return (functional.unique_consecutive as any)(this, ...args);
  }
  /** x.norm(p='fro', dim=null, keepdim=false, dtype=null): see torch.norm. */
  norm(this: Tensor, ...args: any[]): Tensor {
    return (functional.norm as any)(this, ...args);
  }
  /** x.lu(pivot=true, get_infos=false): see torch.lu. */
  lu(this: Tensor, ...args: any[]): Tensor[] {
    return (functional.lu as any)(this, ...args);
  }
  /** Python's `value in x`: whether any element equals `value` (a number or a Tensor). */
  __contains__(this: Tensor, element: Tensor | number | boolean | bigint): boolean {
    if (!(element instanceof Tensor) && typeof element !== 'number' && typeof element !== 'boolean' && typeof element !== 'bigint') {
      throw new TorchError(`Tensor.__contains__ only supports Tensor or scalar, but you passed in a <class '${pyTypeName(element)}'>.`);
    }
    const eq = (this as any).eq(element) as Tensor;
    const any = (eq as any).any() as Tensor;
    const r = any.item() as boolean;
    eq.dispose();
    any.dispose();
    return r;
  }
  /** Python's `reversed(x)`: x flipped along dim 0 (a 0-d tensor is returned as is). */
  __reversed__(this: Tensor): Tensor {
    return this.dim() === 0 ? this : (this as any).flip(0);
  }
  /** Python's `x.real`: the real part (x itself for real tensors; a view for complex ones). */
  get real(): Tensor {
    const self = this as unknown as Tensor;
    return (ops.real as any)(self);
  }
  /** Python's `x.imag`: the imaginary part of a complex tensor (a view); TorchError for real ones. */
  get imag(): Tensor {
    const self = this as unknown as Tensor;
    return (ops.imag as any)(self);
  }
  // ------------------------------------------------------------------ indexing
  /**
   * idx(...items): Python's `x[items]` (see lib/indexing.ts): integers, slices ('1::2' or
   * torch.slice), null (None), '...', booleans, bool/integer Tensors, integer arrays.
   * Example: `x.idx(':', 0)` is `x[:, 0]`; `x.idx('..., ::2')` is `x[..., ::2]`.
   */
  idx(this: Tensor, ...items: IndexItem[]): Tensor {
    return indexing.getitem(this, items);
  }
  /**
   * idx_put_(indices, value): Python's `x[indices] = value`, in place; returns this tensor.
   * `indices` is one item or an array of items (`[':', 0]` is `x[:, 0]`); `value` a Tensor
   * (broadcast), a number/boolean, or a nested array.
   */
  idx_put_<T extends Tensor>(this: T, indices: IndexItem | IndexItem[], value: Tensor | number | boolean | bigint | unknown[]): T {
    indexing.setitem(this, indices, value);
    return this;
  }
  // ------------------------------------------------------------------ printing
  /** The tensor as PyTorch prints it: `tensor([1., 2.], requires_grad=True)`. */
  toString(this: Tensor): string {
    return tensor_repr(this);
  }
  [Symbol.for('nodejs.util.inspect.custom')](this: Tensor): string {
    return tensor_repr(this);
  }
}

/**
 * The last two dimensions swapped and conjugated: a view for real tensors (conj is the identity
 * there); for complex ones a conjugated copy (conj_physical: the op table has no lazy conj view).
 */
function conjT(t: Tensor): Tensor {
  const tt = (t as any).transpose(-2, -1) as Tensor;
  if (!t.dtype.is_complex) return tt;
  const c = (tt as any).conj_physical() as Tensor;
  tt.dispose();
  return c;
}

/** The hand-written layers, in order; each is a class whose prototype holds its methods. */
const LAYERS: { name: string; proto: object }[] = [
  { name: 'lib/_tensor.ts', proto: TensorMethods.prototype },
  { name: 'lib/quantization/qtensor.ts', proto: QuantizedTensorMethods.prototype },
  { name: 'lib/_async/index.ts', proto: AsyncTensorMethods.prototype },
];

let defined = false;

/**
 * Defines the hand-written Tensor methods on Tensor.prototype, layer by layer (LAYERS), over the
 * class (lib/tensor.ts) and the generated ATen methods (lib/generated/ops.ts). Idempotent.
 */
export function defineTensorMethods(): void {
  if (defined) return;
  defined = true;
  const owner = new Map<PropertyKey, string>();
  for (const key of _classMembers) owner.set(key, 'lib/tensor.ts');
  for (const layer of LAYERS) {
    for (const key of Reflect.ownKeys(layer.proto)) {
      if (key === 'constructor') continue;
      const prev = owner.get(key);
      if (prev !== undefined) throw new Error(`Tensor.${String(key)} is defined by both ${prev} and ${layer.name}`);
      Object.defineProperty(Tensor.prototype, key, Object.getOwnPropertyDescriptor(layer.proto, key) as PropertyDescriptor);
      owner.set(key, layer.name);
    }
  }
}
