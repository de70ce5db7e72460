/**
 * @internal The few autograd primitives lib/nn needs (requires_grad, .grad, set_data, grad mode),
 * through lib/nn's own native helpers (native/nn/module.cc). They act on the same libtorch state
 * as torch.autograd (c10::GradMode, TensorImpl autograd meta), so they compose with it.
 */
import { native } from '../binding';
import { Tensor } from '../tensor';

export function requiresGrad(t: Tensor): boolean {
  return native._nn_requires_grad(t._h);
}
export function setRequiresGrad(t: Tensor, v: boolean): void {
  native._nn_set_requires_grad(t._h, v);
}
export function getGrad(t: Tensor): Tensor | null {
  const h = native._nn_grad(t._h);
  return h === null ? null : new Tensor(h);
}
export function setGrad(t: Tensor, g: Tensor | null): void {
  native._nn_set_grad(t._h, g === null ? null : g._h);
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
  const prev = native._nn_set_grad_enabled(false);
  try {
    return fn();
  } finally {
    native._nn_set_grad_enabled(prev);
  }
}
export function isGradEnabled(): boolean {
  const prev = native._nn_set_grad_enabled(true);
  native._nn_set_grad_enabled(prev);
  return prev;
}
