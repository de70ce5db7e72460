/**
 * torch-node: PyTorch for Node.js. `import * as torch from 'torch-node'`.
 *
 * torch.Tensor's methods come in layers, as torch/_tensor.py layers Python over the C base class;
 * each layer may use the ones below it:
 *   1. lib/tensor.ts: the class, its metadata, conversions and lifetime;
 *   2. lib/generated/ops.ts: the ATen methods, installed when that module loads, for every name
 *      the class does not define;
 *   3. lib/_tensor.ts: the Python-level methods (autograd, transposes, len() and iteration,
 *      torch/_tensor.py's, indexing, printing), then the quantized-tensor methods
 *      (lib/quantization/qtensor.ts) and the async read-backs (lib/_async/index.ts), defined by
 *      defineTensorMethods() below. A name defined here replaces a generated method of that name.
 */
import { defineTensorMethods } from './_tensor';
defineTensorMethods();

export * from './dtype';
export { device } from './device';
export { layout, strided, sparse_coo, sparse_csr, sparse_csc, sparse_bsr, sparse_bsc } from './layout';
export type { DeviceLike } from './device';
export { TorchError, IndexError, ValueError, TorchTypeError, NotImplementedError, OutOfMemoryError } from './errors';
export { tidy, dispose, dispose_scope, DisposeScope, live_tensors } from './scope';
// torch.Tensor is the Tensor class that is also the legacy constructor, as the typed ones are.
export {
  Tensor, FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor, LongTensor, IntTensor, ShortTensor, CharTensor,
  ByteTensor, BoolTensor, set_default_tensor_type,
} from './legacy';
export type { LegacyTensorType, LegacyArgs } from './legacy';
export { tensor, frombuffer, as_tensor, asarray } from './creation';
export type { TensorOptions } from './creation';
export { memory_format, contiguous_format, preserve_format, channels_last, channels_last_3d } from './dispatch';
export type { Scalar, GeneratorLike } from './dispatch';
export * from './generated/ops';
// torch.linalg.LinAlgError: the generated torch.linalg namespace gains the error class here.
import { linalg as _linalg } from './generated/ops';
import { LinAlgError as _LinAlgError } from './errors';
declare module './generated/ops' {
  namespace linalg {
    /** torch.linalg.LinAlgError: a linear-algebra failure (c10::LinAlgError); a TorchError. */
    export let LinAlgError: typeof _LinAlgError;
  }
}
Object.defineProperty(_linalg, 'LinAlgError', { value: _LinAlgError, enumerable: true });
// Python-level wrappers (torch/functional.py) and torch.finfo/iinfo; these names take precedence over
// the generated bindings of the same name.
export {
  einsum, meshgrid, unique, unique_consecutive, is_tensor, numel, inf, nan, pi, e, norm, tensordot, lu, broadcast_tensors,
  block_diag, cartesian_prod, chain_matmul, atleast_1d, atleast_2d, atleast_3d, broadcast_shapes, is_floating_point,
  is_complex, is_nonzero, result_type, promote_types, can_cast,
} from './functional';
export type { NormOptions } from './functional';
export { finfo, iinfo } from './type_info';
/** torch.nn (Module, layers, nn.functional as `torch.nn.functional`, nn.init). */
export * as nn from './nn';
export * as autograd from './autograd/index';
export {
  no_grad, enable_grad, set_grad_enabled, is_grad_enabled, inference_mode, is_inference_mode_enabled,
} from './autograd/grad_mode';
export { slice, Slice } from './indexing';
export type { IndexItem } from './indexing';
export { set_printoptions } from './_tensor_str';
export { Generator, default_generator, manual_seed, seed, initial_seed, get_rng_state, set_rng_state } from './random';
export * as optim from './optim';
export * as utils from './utils';
export { save, load, save_async, load_async } from './serialization';
export * as serialization from './serialization';
export * as safetensors from './serialization/safetensors';
/** torch.jit: TorchScript modules (load, trace, save, freeze) run by libtorch's JIT. */
export * as jit from './jit';
import * as _quantization from './quantization';
import * as _backends from './backends';
/** torch.quantization and torch.ao.quantization (dynamic quantization). */
export const quantization = _quantization;
/** torch.ao: quantization, and nn.quantized.dynamic (the dynamic quantized layers). */
export const ao = { quantization: _quantization, nn: { quantized: { dynamic: _quantization.dynamic } } };

export { qscheme, per_tensor_affine, per_channel_affine, per_tensor_symmetric, per_channel_symmetric, per_channel_affine_float_qparams, q_scale, q_zero_point, q_per_channel_scales, q_per_channel_zero_points, q_per_channel_axis } from './quantization';
export { trace_async, set_num_threads, get_num_threads, set_num_interop_threads, get_num_interop_threads } from './_async';
export type { TraceOptions } from './_async';
export * as distributed from './distributed';
export * as cuda from './cuda';
export { autocast, AutocastMode, is_autocast_enabled, is_autocast_cpu_enabled, get_autocast_gpu_dtype, get_autocast_cpu_dtype, is_autocast_cache_enabled } from './cuda/autocast';
export type { AutocastOptions } from './cuda/autocast';
export * as amp from './cuda/torch_amp';
import { cudnn as _cudnn_flags } from './cuda/backends';
/** torch.backends: `quantized.engine` / `supported_engines`, `cudnn.benchmark` / `.deterministic`. */
export const backends = { quantized: _backends.quantized, cudnn: _cudnn_flags };
export * as distributions from './distributions';
