/**
 * torch.autograd: backward, grad, grad-mode scopes, and the autograd methods of Tensor
 * (requires_grad, grad, grad_fn, backward, register_hook …), which lib/_tensor.ts delegates to.
 *
 * CPU backward runs on the calling (JS) thread, so tensor hooks run synchronously inside
 * `backward()` / `autograd.grad()`. On CUDA, libtorch runs backward on its device threads; when JS
 * hooks exist, torch-node starts the engine on a helper thread and runs each hook on the JS thread
 * while the engine waits for it, so hooks still see a normal JS environment.
 */
export * from './engine';
export { Node } from './graph';
export { Function, FunctionCtx, once_differentiable } from './function';
export * as functional from './functional';
export { gradcheck, gradgradcheck, GradcheckError } from './gradcheck';
export { detect_anomaly, set_detect_anomaly, is_anomaly_enabled } from './anomaly_mode';
export {
  no_grad, enable_grad, set_grad_enabled, is_grad_enabled, inference_mode, is_inference_mode_enabled,
  GradModeGuard, InferenceModeGuard,
} from './grad_mode';
