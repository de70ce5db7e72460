/**
 * nn.functional dropout family (torch.dropout, feature_dropout, alpha_dropout,
 * feature_alpha_dropout). In eval (`training: false`) each returns its input unchanged.
 */
import { Tensor } from '../../tensor';
import { N, T, h, parseArgs } from './_util';
import * as ops from '../../generated/ops';
import { threadEntry } from '../../dispatch';
import { warn } from '../../errors';

function args4(fname: string, args: any[]): { p: number; training: boolean; inplace: boolean } {
  const a = parseArgs(fname, ['p', 'training', 'inplace'], args, { p: 0.5, training: true, inplace: false });
  if (typeof a.p !== 'number' || a.p < 0 || a.p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${a.p}`);
  return a as any;
}
type DropoutEntry = 'dropout' | 'alpha_dropout' | 'feature_dropout' | 'feature_alpha_dropout';
// On a worker thread the native twin (<entry>_thread, same signature) draws the mask from the
// thread's generator (threadEntry).
function run(entry: DropoutEntry, input: Tensor, a: { p: number; training: boolean; inplace: boolean }): Tensor {
  const hi = h(input, 'input', entry);
  if (a.inplace) {
    N[threadEntry(`a_${entry}_`) as `a_${DropoutEntry}_`](hi, a.p, a.training);
    return input;
  }
  return T(N[threadEntry(`a_${entry}`) as `a_${DropoutEntry}`](hi, a.p, a.training));
}
/** F.dropout(input, p=0.5, training=true, inplace=false): zeroes elements with probability p, scales the rest by 1/(1-p). */
export function dropout(input: Tensor, ...args: any[]): Tensor {
  return run('dropout', input, args4('dropout', args));
}
/** F.alpha_dropout(input, p=0.5, training=false, inplace=false): dropout that keeps SELU's mean and variance. */
export function alpha_dropout(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('alpha_dropout', ['p', 'training', 'inplace'], args, { p: 0.5, training: false, inplace: false });
  return run('alpha_dropout', input, args4('alpha_dropout', [a]));
}
/** F.feature_alpha_dropout(input, p=0.5, training=false, inplace=false): alpha dropout of whole channels. */
export function feature_alpha_dropout(input: Tensor, ...args: any[]): Tensor {
  const a = parseArgs('feature_alpha_dropout', ['p', 'training', 'inplace'], args, { p: 0.5, training: false, inplace: false });
  return run('feature_alpha_dropout', input, args4('feature_alpha_dropout', [a]));
}
function channelDropout(fname: string, dims: number[], batched: number, input: Tensor, args: any[]): Tensor {
  const a = args4(fname, args);
  const d = h(input, 'input', fname) >= 0 ? input.dim() : 0;
  if (!dims.includes(d)) {
    throw new RangeError(`${fname}: Expected ${dims.map((x) => `${x}D`).join(' or ')} input, but received a ${d}D input. ` +
      `Note that ${fname} exists to provide channel-wise dropout on inputs with ${batched - 2} spatial dimension${batched - 2 > 1 ? 's' : ''}, a channel dimension, and an optional batch dimension (i.e. ${dims.map((x) => `${x}D`).join(' or ')} inputs).`);
  }
  if (d === batched) return run('feature_dropout', input, a);
  const u = ops.unsqueeze(input, 0);
  const r = T(N[threadEntry('a_feature_dropout') as 'a_feature_dropout'](u._h, a.p, a.training));
  u.dispose();
  const out = ops.squeeze(r, 0);
  r.dispose();
  if (a.inplace) {
    (input as any).copy_(out);
    out.dispose();
    return input;
  }
  return out;
}
/** F.dropout1d(input, p=0.5, training=true, inplace=false): zeroes whole channels of (N, C, L) or (C, L) inputs. */
export function dropout1d(input: Tensor, ...args: any[]): Tensor {
  return channelDropout('dropout1d', [2, 3], 3, input, args);
}
/**
 * F.dropout2d(input, p=0.5, training=true, inplace=false): zeroes whole channels of (N, C, H, W)
 * inputs (a 3-D input is treated as (N, C, L), as PyTorch 1.13 does).
 */
export function dropout2d(input: Tensor, ...args: any[]): Tensor {
  const a = args4('dropout2d', args);
  const d = h(input, 'input', 'dropout2d') >= 0 ? input.dim() : 0;
  // PyTorch's deprecation warnings (torch/nn/functional.py), each emitted once.
  if (d !== 3 && d !== 4) {
    warn(`dropout2d: Received a ${d}-D input to dropout2d, which is deprecated and will result in an error in a future release. ` +
      'To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide ' +
      'channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).');
  }
  if (d === 3) {
    warn('dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is ' +
      'interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the ' +
      'input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please ' +
      'switch to using dropout1d instead.');
  }
  return run('feature_dropout', input, a);
}
/** F.dropout3d(input, p=0.5, training=true, inplace=false): zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) inputs. */
export function dropout3d(input: Tensor, ...args: any[]): Tensor {
  const a = args4('dropout3d', args);
  h(input, 'input', 'dropout3d');
  if (input.dim() === 4) return channelDropout('dropout3d', [4, 5], 5, input, [a]);
  return run('feature_dropout', input, a);
}
