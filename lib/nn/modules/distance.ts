/**
 * Distance modules (torch/nn/modules/distance.py): PairwiseDistance and CosineSimilarity.
 */
import { Tensor } from '../../tensor';
import { Module } from '../module';
import { parseArgs, Args } from './utils';
import { pairwise_distance, cosine_similarity } from '../functional/distance';

function num(v: unknown, name: string, f: string): number {
  if (typeof v !== 'number') throw new TypeError(`${f}: argument '${name}' must be float, not ${typeof v}`);
  return v;
}

/**
 * nn.PairwiseDistance(p=2.0, eps=1e-6, keepdim=False): the p-norm distance between the rows of
 * two inputs, ‖x1 - x2 + eps‖_p.
 *
 * Shape: x1 (N, D) or (D); x2 broadcastable to x1 → (N) or () ((N, 1) with keepdim).
 */
export class PairwiseDistance extends Module {
  /** The norm degree p (PyTorch's attribute name). */
  norm!: number;
  eps!: number;
  keepdim!: boolean;
  constructor(...args: Args<[p: number, eps: number, keepdim: boolean], { p: number; eps: number; keepdim: boolean }>);
  constructor(...args: any[]) {
    super();
    const f = 'PairwiseDistance';
    const a = parseArgs(f, ['p', 'eps', 'keepdim'], args, { p: 2.0, eps: 1e-6, keepdim: false });
    this.norm = num(a.p, 'p', f);
    this.eps = num(a.eps, 'eps', f);
    if (typeof a.keepdim !== 'boolean') throw new TypeError(`${f}: argument 'keepdim' must be bool`);
    this.keepdim = a.keepdim;
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwise_distance(x1, x2, this.norm, this.eps, this.keepdim);
  }
}

/**
 * nn.CosineSimilarity(dim=1, eps=1e-8): x1·x2 / max(‖x1‖‖x2‖, eps) along `dim`.
 *
 * Shape: x1 and x2 broadcastable to a common shape → that shape without `dim`.
 */
export class CosineSimilarity extends Module {
  dim!: number;
  eps!: number;
  constructor(...args: Args<[dim: number, eps: number], { dim: number; eps: number }>);
  constructor(...args: any[]) {
    super();
    const f = 'CosineSimilarity';
    const a = parseArgs(f, ['dim', 'eps'], args, { dim: 1, eps: 1e-8 });
    if (typeof a.dim !== 'number' || !Number.isInteger(a.dim)) throw new TypeError(`${f}: argument 'dim' must be int`);
    this.dim = a.dim;
    this.eps = num(a.eps, 'eps', f);
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return cosine_similarity(x1, x2, this.dim, this.eps);
  }
}
