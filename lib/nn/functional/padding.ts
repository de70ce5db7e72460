/** nn.functional.pad: constant, reflect, replicate and circular padding (torch._C._nn.pad). */
import { Tensor } from '../../tensor';
import { N, T, h, parseArgs } from './_util';

/**
 * F.pad(input, pad, mode='constant', value=null): `pad` lists (left, right) pairs starting from the
 * last dimension: [1, 1] pads the last dim, [1, 1, 2, 2] the last two.
 * Example: F.pad(x, [1, 1, 2, 0], 'constant', 0)
 */
export function pad(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('pad', ['pad', 'mode', 'value'], args, { mode: 'constant', value: null }, 1);
  if (!['constant', 'reflect', 'replicate', 'circular'].includes(a.mode)) {
    throw new RangeError(`Unrecognised padding mode ${a.mode}`);
  }
  return T(N.a_pad(h(input, 'input', 'pad'), a.pad, a.mode, a.value));
}
