/**
 * nn.functional convolutions: conv1d/2d/3d (torch.conv*d, with padding 'same'/'valid' through the
 * ATen string-padding overload), conv_transpose1d/2d/3d, unfold (im2col) and fold (col2im).
 */
import { Tensor } from '../../tensor';
import { N, T, h, oh, parseArgs } from './_util';
import { ntuple } from '../modules/utils';

const CONV = ['weight', 'bias', 'stride', 'padding', 'dilation', 'groups'];
function convNd(n: number, fname: string, input: Tensor, args: any[]): Tensor {
  const a = parseArgs(fname, CONV, args, { bias: null, stride: 1, padding: 0, dilation: 1, groups: 1 }, 1);
  const hi = h(input, 'input', fname);
  const hw = h(a.weight, 'weight', fname);
  const hb = oh(a.bias, 'bias', fname);
  if (typeof a.padding === 'string') {
    if (a.padding !== 'same' && a.padding !== 'valid') throw new RangeError(`Invalid padding string '${a.padding}', should be one of ['valid', 'same']`);
    return T(N[`a_conv${n}d_padding` as 'a_conv1d_padding' | 'a_conv2d_padding' | 'a_conv3d_padding'](hi, hw, hb, a.stride, a.padding, a.dilation, a.groups));
  }
  return T(N[`a_conv${n}d` as 'a_conv1d' | 'a_conv2d' | 'a_conv3d'](hi, hw, hb, a.stride, a.padding, a.dilation, a.groups));
}
/**
 * F.conv1d(input, weight, bias=null, stride=1, padding=0, dilation=1, groups=1).
 * Shape: input (N, C_in, L) or (C_in, L); weight (C_out, C_in/groups, kW).
 */
export function conv1d(input: Tensor, ...args: any[]): Tensor {
  return convNd(1, 'conv1d', input, args);
}
/**
 * F.conv2d(input, weight, bias=null, stride=1, padding=0, dilation=1, groups=1).
 * Shape: input (N, C_in, H, W) or (C_in, H, W); weight (C_out, C_in/groups, kH, kW).
 * Example: F.conv2d(x, w, null, 1, 'same')
 */
export function conv2d(input: Tensor, ...args: any[]): Tensor {
  if (args.length === 2 || args.length === 1) {
    // fast path: conv2d(x, w) / conv2d(x, w, b)
    const w = args[0];
    const b = args[1];
    if (w instanceof Tensor && (b === undefined || b === null || b instanceof Tensor)) {
      return T(N.a_conv2d(h(input, 'input', 'conv2d'), w._h, b ? b._h : undefined));
    }
  }
  return convNd(2, 'conv2d', input, args);
}
/** F.conv3d(input, weight, bias=null, stride=1, padding=0, dilation=1, groups=1). */
export function conv3d(input: Tensor, ...args: any[]): Tensor {
  return convNd(3, 'conv3d', input, args);
}

const CONVT = ['weight', 'bias', 'stride', 'padding', 'output_padding', 'groups', 'dilation'];
function convTNd(n: number, fname: string, input: Tensor, args: any[]): Tensor {
  const a = parseArgs(fname, CONVT, args, { bias: null, stride: 1, padding: 0, output_padding: 0, groups: 1, dilation: 1 }, 1);
  const entry = (n === 1 ? 'a_conv_transpose1d' : `a_conv_transpose${n}d_input`) as 'a_conv_transpose1d' | 'a_conv_transpose2d_input' | 'a_conv_transpose3d_input';
  return T(N[entry](h(input, 'input', fname), h(a.weight, 'weight', fname), oh(a.bias, 'bias', fname), a.stride, a.padding, a.output_padding, a.groups, a.dilation));
}
/** F.conv_transpose1d(input, weight, bias=null, stride=1, padding=0, output_padding=0, groups=1, dilation=1). */
export function conv_transpose1d(input: Tensor, ...args: any[]): Tensor {
  return convTNd(1, 'conv_transpose1d', input, args);
}
/** F.conv_transpose2d(input, weight, bias=null, stride=1, padding=0, output_padding=0, groups=1, dilation=1). */
export function conv_transpose2d(input: Tensor, ...args: any[]): Tensor {
  return convTNd(2, 'conv_transpose2d', input, args);
}
/** F.conv_transpose3d(input, weight, bias=null, stride=1, padding=0, output_padding=0, groups=1, dilation=1). */
export function conv_transpose3d(input: Tensor, ...args: any[]): Tensor {
  return convTNd(3, 'conv_transpose3d', input, args);
}

/**
 * F.unfold(input, kernel_size, dilation=1, padding=0, stride=1): sliding local blocks (im2col).
 * Shape: input (N, C, H, W) or (C, H, W) → (N, C·∏kernel_size, L).
 */
export function unfold(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('unfold', ['kernel_size', 'dilation', 'padding', 'stride'], args, { dilation: 1, padding: 0, stride: 1 }, 1);
  const f = 'unfold';
  return T(N.a_im2col(h(input, 'input', f), ntuple(2, a.kernel_size, 'kernel_size', f), ntuple(2, a.dilation, 'dilation', f), ntuple(2, a.padding, 'padding', f), ntuple(2, a.stride, 'stride', f)));
}
/**
 * F.fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1): sums sliding blocks
 * back into a tensor (col2im). Shape: (N, C·∏kernel_size, L) → (N, C, output_size[0], output_size[1]).
 */
export function fold(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('fold', ['output_size', 'kernel_size', 'dilation', 'padding', 'stride'], args, { dilation: 1, padding: 0, stride: 1 }, 2);
  const f = 'fold';
  return T(N.a_col2im(h(input, 'input', f), ntuple(2, a.output_size, 'output_size', f), ntuple(2, a.kernel_size, 'kernel_size', f), ntuple(2, a.dilation, 'dilation', f), ntuple(2, a.padding, 'padding', f), ntuple(2, a.stride, 'stride', f)));
}
