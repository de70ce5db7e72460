/** nn.functional linear maps: linear (torch._C._nn.linear), bilinear (torch.bilinear). */
import { Tensor } from '../../tensor';
import { N, T, h, oh, parseArgs } from './_util';

/**
 * F.linear(input, weight, bias=null): y = x Wᵀ + b.
 * Shape: input (*, in_features), weight (out_features, in_features), bias (out_features).
 */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor;
export function linear(input: Tensor, weight: Tensor, options: { bias?: Tensor | null }): Tensor;
export function linear(input: Tensor, weight: Tensor, b?: any): Tensor {
  if (b !== null && b !== undefined && !(b instanceof Tensor)) b = parseArgs('linear', ['bias'], [b]).bias;
  return T(N.a_linear(h(input, 'input', 'linear'), h(weight, 'weight', 'linear'), oh(b, 'bias', 'linear')));
}

/** F.bilinear(input1, input2, weight, bias=null): y = x1ᵀ A x2 + b. */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('bilinear', ['bias'], args);
  return T(N.a_bilinear(h(input1, 'input1', 'bilinear'), h(input2, 'input2', 'bilinear'), h(weight, 'weight', 'bilinear'), oh(a.bias, 'bias', 'bilinear')));
}
