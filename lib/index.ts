/**
 * torch-node: PyTorch for Node.js. `import * as torch from 'torch-node'`.
 */
export * from './dtype';
export { device } from './device';
export type { DeviceLike } from './device';
export { TorchError } from './errors';
export { Tensor, tidy, dispose, dispose_scope, DisposeScope, live_tensors } from './tensor';
export { tensor, frombuffer } from './creation';
export type { TensorOptions } from './creation';
export { memory_format, contiguous_format, preserve_format, channels_last, channels_last_3d } from './dispatch';
export type { Scalar, GeneratorLike } from './dispatch';
export * from './generated/ops';
// ---- autograd, grad modes, indexing, printing, RNG (branch autograd)
export * as autograd from './autograd/index';
export {
  no_grad, enable_grad, set_grad_enabled, is_grad_enabled, inference_mode, is_inference_mode_enabled,
} from './autograd/grad_mode';
export { slice, Slice } from './indexing';
export type { IndexItem } from './indexing';
export { set_printoptions } from './_tensor_str';
export { Generator, default_generator, manual_seed, seed, initial_seed, get_rng_state, set_rng_state } from './random';
// ---- save and load (branch serial)
export { save, load } from './serialization';
export * as serialization from './serialization';
export * as safetensors from './serialization/safetensors';
/** torch.nn (Module, layers, nn.functional as `torch.nn.functional`, nn.init). */
export * as nn from './nn';
