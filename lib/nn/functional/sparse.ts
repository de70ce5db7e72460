/**
 * Sparse functions of torch.nn.functional: one_hot, embedding, embedding_bag. Each makes the ATen
 * call PyTorch's Python function makes (torch.embedding, torch.embedding_bag, torch._C._nn.one_hot).
 */
import * as torch from '../../generated/ops';
import { Tensor } from '../../tensor';
import { TorchError } from '../../errors';
import { int64 } from '../../dtype';
import { parse_args, tensor, opt_tensor, int, opt_int, opt_float, float, bool, str, same_shape, size_str, warn_once, torch_check } from '../utils/_args';
import { contiguous } from '../utils/_args';

/**
 * F.one_hot(tensor, num_classes=-1): int64 tensor of shape (*, num_classes) with a 1 at each
 * index. num_classes=-1 infers it as one more than the largest index.
 */
export function one_hot(tensor: Tensor, options?: { num_classes?: number }): Tensor;
export function one_hot(tensor: Tensor, num_classes?: number): Tensor;
export function one_hot(...args: any[]): Tensor {
  const a = parse_args('one_hot', ['tensor', ['num_classes', -1]], args);
  return torch._nn.one_hot(tensorArg('one_hot', 'tensor', a.tensor), int('one_hot', 'num_classes', a.num_classes));
}
const tensorArg = tensor;

/** @internal torch.embedding_renorm_ on the detached weight, as PyTorch's _no_grad_embedding_renorm_. */
export function _no_grad_embedding_renorm_(weight: Tensor, input: Tensor, max_norm: number, norm_type: number): void {
  const w = weight.detach();
  torch.embedding_renorm_(w, input, max_norm, norm_type);
  w.dispose();
}

/**
 * F.embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
 * scale_grad_by_freq=False, sparse=False): looks up rows of `weight` at the indices in `input`.
 *
 * Args:
 *   input: int64/int32 indices of any shape.
 *   weight: (num_embeddings, embedding_dim).
 *   padding_idx: the row at this index gets no gradient.
 *   max_norm: rows looked up whose norm exceeds this are renormalized in place.
 *
 * Shape: input (*) → output (*, embedding_dim).
 */
export function embedding(
  input: Tensor, weight: Tensor,
  options?: { padding_idx?: number | null; max_norm?: number | null; norm_type?: number; scale_grad_by_freq?: boolean; sparse?: boolean },
): Tensor;
export function embedding(input: Tensor, weight: Tensor, padding_idx?: number | null, max_norm?: number | null, norm_type?: number, scale_grad_by_freq?: boolean, sparse?: boolean): Tensor;
export function embedding(...args: any[]): Tensor {
  const f = 'embedding';
  const a = parse_args(f, ['input', 'weight', ['padding_idx', null], ['max_norm', null], ['norm_type', 2.0], ['scale_grad_by_freq', false], ['sparse', false]], args);
  let input = tensor(f, 'input', a.input);
  const weight = tensor(f, 'weight', a.weight);
  let padding_idx = opt_int(f, 'padding_idx', a.padding_idx);
  if (padding_idx !== null) {
    const n = weight.size(0);
    if (padding_idx > 0) torch_check(padding_idx < n, 'Padding_idx must be within num_embeddings');
    else if (padding_idx < 0) {
      torch_check(padding_idx >= -n, 'Padding_idx must be within num_embeddings');
      padding_idx = n + padding_idx;
    }
  } else padding_idx = -1;
  const max_norm = opt_float(f, 'max_norm', a.max_norm);
  if (max_norm !== null) {
    input = contiguous(input);
    _no_grad_embedding_renorm_(weight, input, max_norm, float(f, 'norm_type', a.norm_type));
  }
  return torch.embedding(weight, input, padding_idx, bool(f, 'scale_grad_by_freq', a.scale_grad_by_freq), bool(f, 'sparse', a.sparse));
}

/**
 * F.embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
 * mode='mean', sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
 * sums, means or maxes of bags of embeddings, without materializing the intermediate embeddings.
 *
 * Args:
 *   input: 2-D (B, N): B bags of N indices each (offsets must be None); or 1-D with `offsets`
 *     giving where each bag starts.
 *   mode: 'sum' | 'mean' | 'max'.
 *   per_sample_weights: same shape as input, mode 'sum' only.
 *
 * Shape: output (B, embedding_dim).
 */
export function embedding_bag(
  input: Tensor, weight: Tensor,
  options?: {
    offsets?: Tensor | null; max_norm?: number | null; norm_type?: number; scale_grad_by_freq?: boolean; mode?: 'sum' | 'mean' | 'max';
    sparse?: boolean; per_sample_weights?: Tensor | null; include_last_offset?: boolean; padding_idx?: number | null;
  },
): Tensor;
export function embedding_bag(input: Tensor, weight: Tensor, offsets?: Tensor | null, ...rest: any[]): Tensor;
export function embedding_bag(...args: any[]): Tensor {
  const f = 'embedding_bag';
  const a = parse_args(f, [
    'input', 'weight', ['offsets', null], ['max_norm', null], ['norm_type', 2], ['scale_grad_by_freq', false], ['mode', 'mean'],
    ['sparse', false], ['per_sample_weights', null], ['include_last_offset', false], ['padding_idx', null],
  ], args);
  let input = tensor(f, 'input', a.input);
  let weight = tensor(f, 'weight', a.weight);
  let offsets = opt_tensor(f, 'offsets', a.offsets);
  let psw = opt_tensor(f, 'per_sample_weights', a.per_sample_weights);
  const scale = bool(f, 'scale_grad_by_freq', a.scale_grad_by_freq);
  const sparse = bool(f, 'sparse', a.sparse);
  const mode = str(f, 'mode', a.mode);
  if (weight.dtype === int64 && input.is_floating_point()) {
    warn_once(
      'Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, input, ...)` is deprecated, ' +
        'and should now be `embedding_bag(input, weight, ...)`.',
    );
    [weight, input] = [input, weight];
  }
  if (psw !== null && !same_shape(input.shape, psw.shape)) {
    throw new TorchError(
      `embedding_bag: If per_sample_weights (${size_str(psw.shape)}) is not None, then it must have the same shape as the input (${size_str(input.shape)})`,
    );
  }
  if (input.dim() === 2) {
    if (offsets !== null) {
      throw new TorchError(
        'if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. ' +
          "However, found offsets of type <class 'torch.Tensor'>",
      );
    }
    offsets = torch.arange(0, input.numel(), input.size(1), { dtype: input.dtype, device: input.device });
    input = input.reshape(-1);
    if (psw !== null) psw = psw.reshape(-1);
  } else if (input.dim() === 1) {
    if (offsets === null) throw new TorchError('offsets has to be a 1D Tensor but got None');
    if (offsets.dim() !== 1) throw new TorchError('offsets has to be a 1D Tensor');
  } else {
    throw new TorchError(`input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.dim()}`);
  }
  let mode_enum: number;
  if (mode === 'sum') mode_enum = 0;
  else if (mode === 'mean') mode_enum = 1;
  else if (mode === 'max') {
    mode_enum = 2;
    if (scale) throw new RangeError('max mode does not support scaling the gradient by the frequency');
    if (sparse) throw new RangeError('max mode does not support sparse weights');
  } else throw new RangeError('mode has to be one of sum, mean or max');
  const max_norm = opt_float(f, 'max_norm', a.max_norm);
  if (max_norm !== null) _no_grad_embedding_renorm_(weight, input, max_norm, float(f, 'norm_type', a.norm_type));
  if (psw !== null && mode !== 'sum') {
    throw new TorchError(
      "embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' " +
        `(got mode='${mode}'). Please open a feature request on GitHub.`,
    );
  }
  const padding_idx = opt_int(f, 'padding_idx', a.padding_idx);
  const r = torch.embedding_bag(weight, input, offsets, scale, mode_enum, sparse, psw, bool(f, 'include_last_offset', a.include_last_offset), padding_idx);
  for (let i = 1; i < 4; i++) r[i].dispose();
  return r[0];
}
