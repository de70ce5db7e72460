/**
 * Distance functions of torch.nn.functional: pairwise_distance, cosine_similarity, pdist. In
 * PyTorch these are the ATen functions themselves (torch.pairwise_distance …), and so are they here.
 */
import * as torch from '../../generated/ops';
import { Tensor } from '../../tensor';
import { parse_args, tensor, int, float, bool } from '../utils/_args';

/**
 * F.pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False): the p-norm of x1 - x2 + eps over
 * the last dimension.
 *
 * Shape: x1 (N, D) or (D); x2 broadcastable to x1 → output (N) or () (with keepdim, (N, 1)).
 *
 * Example:
 *   const d = F.pairwise_distance(torch.randn(10, 100), torch.randn(10, 100));
 */
export function pairwise_distance(x1: Tensor, x2: Tensor, options?: { p?: number; eps?: number; keepdim?: boolean }): Tensor;
export function pairwise_distance(x1: Tensor, x2: Tensor, p?: number, eps?: number, keepdim?: boolean): Tensor;
export function pairwise_distance(...args: any[]): Tensor {
  const f = 'pairwise_distance';
  const a = parse_args(f, ['x1', 'x2', ['p', 2.0], ['eps', 1e-6], ['keepdim', false]], args);
  return torch.pairwise_distance(tensor(f, 'x1', a.x1), tensor(f, 'x2', a.x2), float(f, 'p', a.p), float(f, 'eps', a.eps), bool(f, 'keepdim', a.keepdim));
}

/**
 * F.cosine_similarity(x1, x2, dim=1, eps=1e-8): x1·x2 / max(‖x1‖·‖x2‖, eps) along `dim`.
 *
 * Shape: x1 and x2 broadcastable to a common shape → that shape without `dim`.
 */
export function cosine_similarity(x1: Tensor, x2: Tensor, options?: { dim?: number; eps?: number }): Tensor;
export function cosine_similarity(x1: Tensor, x2: Tensor, dim?: number, eps?: number): Tensor;
export function cosine_similarity(...args: any[]): Tensor {
  const f = 'cosine_similarity';
  const a = parse_args(f, ['x1', 'x2', ['dim', 1], ['eps', 1e-8]], args);
  return torch.cosine_similarity(tensor(f, 'x1', a.x1), tensor(f, 'x2', a.x2), int(f, 'dim', a.dim), float(f, 'eps', a.eps));
}

/**
 * F.pdist(input, p=2): the p-norm distance between every pair of rows of `input` (N, M), as the
 * upper triangle of the distance matrix flattened: shape (N * (N - 1) / 2).
 */
export function pdist(input: Tensor, options?: { p?: number }): Tensor;
export function pdist(input: Tensor, p?: number): Tensor;
export function pdist(...args: any[]): Tensor {
  const a = parse_args('pdist', ['input', ['p', 2]], args);
  return torch.pdist(tensor('pdist', 'input', a.input), float('pdist', 'p', a.p));
}
