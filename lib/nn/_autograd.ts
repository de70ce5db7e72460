/**
 * @internal The few autograd primitives lib/nn needs (requires_grad, .grad, set_data, grad mode):
 * native/autograd's entry points (the ones torch.autograd uses), plus native/nn/module.cc's
 * set_data and TensorImpl identity.
 */
import { native } from '../binding';
import { Tensor } from '../tensor';

export function requiresGrad(t: Tensor): boolean {
  return native._requires_grad(t._h);
}
/** t.requires_grad_(v), as Module.requires_grad_ calls it on each parameter. */
export function setRequiresGrad(t: Tensor, v: boolean): void {
  native._set_requires_grad(t._h, v, false);
}
/** t.grad of a leaf (null when unset), without the non-leaf warning. */
export function getGrad(t: Tensor): Tensor | null {
  const h = native._grad(t._h);
  return typeof h === 'number' ? new Tensor(h) : null;
}
export function setGrad(t: Tensor, g: Tensor | null): void {
  native._set_grad(t._h, g === null ? null : g._h);
}
/** t.data = src: t keeps its identity (and autograd identity); its storage/dtype/device become src's. */
export function setData(t: Tensor, src: Tensor): void {
  native._nn_set_data(t._h, src._h);
}
export function sameImpl(a: Tensor, b: Tensor): boolean {
  return native._nn_same(a._h, b._h);
}
/** Runs fn with gradient recording disabled (torch.no_grad), restoring the mode afterwards. */
export function noGrad<T>(fn: () => T): T {
  const prev = native._set_grad_enabled(false);
  try {
    return fn();
  } finally {
    native._set_grad_enabled(prev);
  }
}
export function isGradEnabled(): boolean {
  return native._is_grad_enabled();
}
