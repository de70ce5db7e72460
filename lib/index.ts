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
