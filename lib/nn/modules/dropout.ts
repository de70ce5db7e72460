/** Dropout layers: Dropout, Dropout1d/2d/3d, AlphaDropout, FeatureAlphaDropout (identity in eval). */
import { Module } from '../module';
import { Tensor } from '../../tensor';
import * as F from '../functional/dropout';
import { Args, parseArgs, pyFloat, pyRepr } from './utils';

class _DropoutNd extends Module {
  p!: number;
  inplace!: boolean;
  constructor(...args: Args<[p: number, inplace: boolean], { p: number; inplace: boolean }>) {
    super();
    const a = parseArgs(new.target.name, ['p', 'inplace'], args, { p: 0.5, inplace: false });
    if (typeof a.p !== 'number' || a.p < 0 || a.p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${a.p}`);
    this.p = a.p;
    this.inplace = a.inplace;
  }
  extra_repr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyRepr(this.inplace)}`;
  }
}
/** Zeroes elements with probability p in training (scaling the rest by 1/(1-p)). Args: p=0.5, inplace=false. */
export class Dropout extends _DropoutNd {
  forward(input: Tensor): Tensor { return F.dropout(input, this.p, this.training, this.inplace); }
}
/** Zeroes whole channels of (N, C, L) / (C, L) inputs. */
export class Dropout1d extends _DropoutNd {
  forward(input: Tensor): Tensor { return F.dropout1d(input, this.p, this.training, this.inplace); }
}
/** Zeroes whole channels of (N, C, H, W) inputs. */
export class Dropout2d extends _DropoutNd {
  forward(input: Tensor): Tensor { return F.dropout2d(input, this.p, this.training, this.inplace); }
}
/** Zeroes whole channels of (N, C, D, H, W) / (C, D, H, W) inputs. */
export class Dropout3d extends _DropoutNd {
  forward(input: Tensor): Tensor { return F.dropout3d(input, this.p, this.training, this.inplace); }
}
/** Dropout that keeps zero mean and unit variance (for SELU networks). */
export class AlphaDropout extends _DropoutNd {
  forward(input: Tensor): Tensor { return F.alpha_dropout(input, this.p, this.training); }
}
/** Alpha dropout of whole channels. */
export class FeatureAlphaDropout extends _DropoutNd {
  forward(input: Tensor): Tensor { return F.feature_alpha_dropout(input, this.p, this.training); }
}
