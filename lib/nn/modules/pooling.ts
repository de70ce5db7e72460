/** Pooling layers: max/avg/LP/adaptive/fractional pooling and max-unpooling, 1-3 D. */
import { Module } from '../module';
import { Tensor } from '../../tensor';
import * as F from '../functional/pooling';
import { N, T } from '../functional/_util';
import { Args, IntOrTuple, parseArgs, pyRepr, ntuple, pyFloat } from './utils';

type MaxO = { kernel_size: IntOrTuple; stride: IntOrTuple | null; padding: IntOrTuple; dilation: IntOrTuple; return_indices: boolean; ceil_mode: boolean };
type MaxP = [kernel_size: IntOrTuple, stride: IntOrTuple | null, padding: IntOrTuple, dilation: IntOrTuple, return_indices: boolean, ceil_mode: boolean];

class _MaxPoolNd extends Module {
  kernel_size!: IntOrTuple;
  stride!: IntOrTuple;
  padding!: IntOrTuple;
  dilation!: IntOrTuple;
  return_indices!: boolean;
  ceil_mode!: boolean;
  /** @internal */
  _init(cls: string, args: any[]): void {
    const a = parseArgs(cls, ['kernel_size', 'stride', 'padding', 'dilation', 'return_indices', 'ceil_mode'], args,
      { stride: null, padding: 0, dilation: 1, return_indices: false, ceil_mode: false }, 1);
    this.kernel_size = a.kernel_size;
    this.stride = a.stride !== null ? a.stride : a.kernel_size;
    this.padding = a.padding;
    this.dilation = a.dilation;
    this.return_indices = a.return_indices;
    this.ceil_mode = a.ceil_mode;
  }
  extra_repr(): string {
    return `kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}, dilation=${pyRepr(this.dilation)}, ceil_mode=${pyRepr(this.ceil_mode)}`;
  }
}
/** 1-D max pooling. Args: kernel_size, stride=kernel_size, padding=0, dilation=1, return_indices=false, ceil_mode=false. */
export class MaxPool1d extends _MaxPoolNd {
  constructor(...args: Args<MaxP, MaxO>) { super(); this._init('MaxPool1d', args); }
  forward(input: Tensor): any { return F.max_pool1d(input, this.kernel_size, this.stride, this.padding, this.dilation, { ceil_mode: this.ceil_mode, return_indices: this.return_indices }); }
}
/**
 * 2-D max pooling over (N, C, H, W) or (C, H, W).
 * Args: kernel_size, stride=kernel_size, padding=0, dilation=1, return_indices=false, ceil_mode=false.
 * Example: new nn.MaxPool2d({kernel_size: 2, stride: 2})
 */
export class MaxPool2d extends _MaxPoolNd {
  constructor(...args: Args<MaxP, MaxO>) { super(); this._init('MaxPool2d', args); }
  forward(input: Tensor): any {
    if (this.return_indices) return F.max_pool2d(input, this.kernel_size, this.stride, this.padding, this.dilation, { ceil_mode: this.ceil_mode, return_indices: true });
    return T(N.a_max_pool2d(input._h, this.kernel_size, this.stride, this.padding, this.dilation, this.ceil_mode));
  }
}
/** 3-D max pooling. Args as MaxPool2d. */
export class MaxPool3d extends _MaxPoolNd {
  constructor(...args: Args<MaxP, MaxO>) { super(); this._init('MaxPool3d', args); }
  forward(input: Tensor): any { return F.max_pool3d(input, this.kernel_size, this.stride, this.padding, this.dilation, { ceil_mode: this.ceil_mode, return_indices: this.return_indices }); }
}

class _MaxUnpoolNd extends Module {
  kernel_size!: number[];
  stride!: number[];
  padding!: number[];
  /** @internal */ _n!: number;
  /** @internal */
  _init(cls: string, n: number, args: any[]): void {
    const a = parseArgs(cls, ['kernel_size', 'stride', 'padding'], args, { stride: null, padding: 0 }, 1);
    Object.defineProperty(this, '_n', { value: n, enumerable: false });
    this.kernel_size = ntuple(n, a.kernel_size, 'kernel_size', cls);
    this.stride = ntuple(n, a.stride !== null ? a.stride : a.kernel_size, 'stride', cls);
    this.padding = ntuple(n, a.padding, 'padding', cls);
  }
  /** forward(input, indices, output_size=null). */
  forward(input: Tensor, indices: Tensor, output_size: number[] | null = null): Tensor {
    const f = [F.max_unpool1d, F.max_unpool2d, F.max_unpool3d][this._n - 1];
    return f(input, indices, this.kernel_size, this.stride, this.padding, output_size);
  }
  extra_repr(): string {
    return `kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`;
  }
}
type UnP = [kernel_size: IntOrTuple, stride: IntOrTuple | null, padding: IntOrTuple];
type UnO = { kernel_size: IntOrTuple; stride: IntOrTuple | null; padding: IntOrTuple };
/** Partial inverse of MaxPool1d. Args: kernel_size, stride=kernel_size, padding=0. forward(input, indices, output_size?). */
export class MaxUnpool1d extends _MaxUnpoolNd { constructor(...args: Args<UnP, UnO>) { super(); this._init('MaxUnpool1d', 1, args); } }
/** Partial inverse of MaxPool2d. */
export class MaxUnpool2d extends _MaxUnpoolNd { constructor(...args: Args<UnP, UnO>) { super(); this._init('MaxUnpool2d', 2, args); } }
/** Partial inverse of MaxPool3d. */
export class MaxUnpool3d extends _MaxUnpoolNd { constructor(...args: Args<UnP, UnO>) { super(); this._init('MaxUnpool3d', 3, args); } }

type AvgO = { kernel_size: IntOrTuple; stride: IntOrTuple | null; padding: IntOrTuple; ceil_mode: boolean; count_include_pad: boolean; divisor_override: number | null };
type AvgP = [kernel_size: IntOrTuple, stride: IntOrTuple | null, padding: IntOrTuple, ceil_mode: boolean, count_include_pad: boolean, divisor_override: number | null];
class _AvgPoolNd extends Module {
  kernel_size!: IntOrTuple;
  stride!: IntOrTuple;
  padding!: IntOrTuple;
  ceil_mode!: boolean;
  count_include_pad!: boolean;
  divisor_override?: number | null;
  extra_repr(): string {
    return `kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`;
  }
}
/** 1-D average pooling. Args: kernel_size, stride=kernel_size, padding=0, ceil_mode=false, count_include_pad=true. */
export class AvgPool1d extends _AvgPoolNd {
  constructor(...args: Args<AvgP extends [...infer H, unknown] ? H : never, Omit<AvgO, 'divisor_override'>>) {
    super();
    const a = parseArgs('AvgPool1d', ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad'], args, { stride: null, padding: 0, ceil_mode: false, count_include_pad: true }, 1);
    this.kernel_size = ntuple(1, a.kernel_size, 'kernel_size', 'AvgPool1d');
    this.stride = ntuple(1, a.stride !== null ? a.stride : a.kernel_size, 'stride', 'AvgPool1d');
    this.padding = ntuple(1, a.padding, 'padding', 'AvgPool1d');
    this.ceil_mode = a.ceil_mode;
    this.count_include_pad = a.count_include_pad;
  }
  forward(input: Tensor): Tensor { return F.avg_pool1d(input, this.kernel_size, this.stride, this.padding, this.ceil_mode, this.count_include_pad); }
}
function avgInit(m: _AvgPoolNd, cls: string, args: any[]): void {
  const a = parseArgs(cls, ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override'], args,
    { stride: null, padding: 0, ceil_mode: false, count_include_pad: true, divisor_override: null }, 1);
  m.kernel_size = a.kernel_size;
  m.stride = a.stride !== null ? a.stride : a.kernel_size;
  m.padding = a.padding;
  m.ceil_mode = a.ceil_mode;
  m.count_include_pad = a.count_include_pad;
  m.divisor_override = a.divisor_override;
}
/** 2-D average pooling. Args: kernel_size, stride=kernel_size, padding=0, ceil_mode=false, count_include_pad=true, divisor_override=null. */
export class AvgPool2d extends _AvgPoolNd {
  constructor(...args: Args<AvgP, AvgO>) { super(); avgInit(this, 'AvgPool2d', args); }
  forward(input: Tensor): Tensor { return F.avg_pool2d(input, this.kernel_size, this.stride, this.padding, this.ceil_mode, this.count_include_pad, this.divisor_override); }
}
/** 3-D average pooling. Args as AvgPool2d. */
export class AvgPool3d extends _AvgPoolNd {
  constructor(...args: Args<AvgP, AvgO>) { super(); avgInit(this, 'AvgPool3d', args); }
  forward(input: Tensor): Tensor { return F.avg_pool3d(input, this.kernel_size, this.stride, this.padding, this.ceil_mode, this.count_include_pad, this.divisor_override); }
}

type LPP = [norm_type: number, kernel_size: IntOrTuple, stride: IntOrTuple | null, ceil_mode: boolean];
type LPO = { norm_type: number; kernel_size: IntOrTuple; stride: IntOrTuple | null; ceil_mode: boolean };
class _LPPoolNd extends Module {
  norm_type!: number;
  kernel_size!: IntOrTuple;
  stride!: IntOrTuple | null;
  ceil_mode!: boolean;
  /** @internal */
  _init(cls: string, args: any[]): void {
    const a = parseArgs(cls, ['norm_type', 'kernel_size', 'stride', 'ceil_mode'], args, { stride: null, ceil_mode: false }, 2);
    this.norm_type = a.norm_type;
    this.kernel_size = a.kernel_size;
    this.stride = a.stride;
    this.ceil_mode = a.ceil_mode;
  }
  extra_repr(): string {
    return `norm_type=${Number.isInteger(this.norm_type) ? this.norm_type : pyFloat(this.norm_type)}, kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}, ceil_mode=${pyRepr(this.ceil_mode)}`;
  }
}
/** 1-D power-average pooling. Args: norm_type, kernel_size, stride=kernel_size, ceil_mode=false. */
export class LPPool1d extends _LPPoolNd {
  constructor(...args: Args<LPP, LPO>) { super(); this._init('LPPool1d', args); }
  forward(input: Tensor): Tensor { return F.lp_pool1d(input, this.norm_type, this.kernel_size, this.stride, this.ceil_mode); }
}
/** 2-D power-average pooling. Args: norm_type, kernel_size, stride=kernel_size, ceil_mode=false. */
export class LPPool2d extends _LPPoolNd {
  constructor(...args: Args<LPP, LPO>) { super(); this._init('LPPool2d', args); }
  forward(input: Tensor): Tensor { return F.lp_pool2d(input, this.norm_type, this.kernel_size, this.stride, this.ceil_mode); }
}

type OS = number | (number | null)[];
class _AdaptiveMaxPoolNd extends Module {
  output_size!: OS;
  return_indices!: boolean;
  /** @internal */
  _init(cls: string, args: any[]): void {
    const a = parseArgs(cls, ['output_size', 'return_indices'], args, { return_indices: false }, 1);
    this.output_size = a.output_size;
    this.return_indices = a.return_indices;
  }
  extra_repr(): string {
    return `output_size=${pyRepr(this.output_size)}`;
  }
}
/** 1-D adaptive max pooling to output_size. Args: output_size, return_indices=false. */
export class AdaptiveMaxPool1d extends _AdaptiveMaxPoolNd {
  constructor(...args: Args<[output_size: OS, return_indices: boolean], { output_size: OS; return_indices: boolean }>) { super(); this._init('AdaptiveMaxPool1d', args); }
  forward(input: Tensor): any { return F.adaptive_max_pool1d(input, this.output_size, this.return_indices); }
}
/** 2-D adaptive max pooling. */
export class AdaptiveMaxPool2d extends _AdaptiveMaxPoolNd {
  constructor(...args: Args<[output_size: OS, return_indices: boolean], { output_size: OS; return_indices: boolean }>) { super(); this._init('AdaptiveMaxPool2d', args); }
  forward(input: Tensor): any { return F.adaptive_max_pool2d(input, this.output_size, this.return_indices); }
}
/** 3-D adaptive max pooling. */
export class AdaptiveMaxPool3d extends _AdaptiveMaxPoolNd {
  constructor(...args: Args<[output_size: OS, return_indices: boolean], { output_size: OS; return_indices: boolean }>) { super(); this._init('AdaptiveMaxPool3d', args); }
  forward(input: Tensor): any { return F.adaptive_max_pool3d(input, this.output_size, this.return_indices); }
}
class _AdaptiveAvgPoolNd extends Module {
  output_size!: OS;
  /** @internal */
  _init(cls: string, args: any[]): void {
    this.output_size = parseArgs(cls, ['output_size'], args, {}, 1).output_size;
  }
  extra_repr(): string {
    return `output_size=${pyRepr(this.output_size)}`;
  }
}
/** 1-D adaptive average pooling to output_size. */
export class AdaptiveAvgPool1d extends _AdaptiveAvgPoolNd {
  constructor(...args: Args<[output_size: OS], { output_size: OS }>) { super(); this._init('AdaptiveAvgPool1d', args); }
  forward(input: Tensor): Tensor { return F.adaptive_avg_pool1d(input, this.output_size); }
}
/** 2-D adaptive average pooling (null entries keep the input size). */
export class AdaptiveAvgPool2d extends _AdaptiveAvgPoolNd {
  constructor(...args: Args<[output_size: OS], { output_size: OS }>) { super(); this._init('AdaptiveAvgPool2d', args); }
  forward(input: Tensor): Tensor { return F.adaptive_avg_pool2d(input, this.output_size); }
}
/** 3-D adaptive average pooling. */
export class AdaptiveAvgPool3d extends _AdaptiveAvgPoolNd {
  constructor(...args: Args<[output_size: OS], { output_size: OS }>) { super(); this._init('AdaptiveAvgPool3d', args); }
  forward(input: Tensor): Tensor { return F.adaptive_avg_pool3d(input, this.output_size); }
}

type FrP = [kernel_size: IntOrTuple, output_size: IntOrTuple | null, output_ratio: number | number[] | null, return_indices: boolean, _random_samples: Tensor | null];
type FrO = { kernel_size: IntOrTuple; output_size: IntOrTuple | null; output_ratio: number | number[] | null; return_indices: boolean; _random_samples: Tensor | null };
class _FractionalMaxPoolNd extends Module {
  kernel_size!: IntOrTuple;
  output_size!: IntOrTuple | null;
  output_ratio!: number | number[] | null;
  return_indices!: boolean;
  _random_samples!: Tensor | null;
  /** @internal */
  _init(cls: string, n: number, args: any[]): void {
    const a = parseArgs(cls, ['kernel_size', 'output_size', 'output_ratio', 'return_indices', '_random_samples'], args,
      { output_size: null, output_ratio: null, return_indices: false, _random_samples: null }, 1);
    this.kernel_size = a.kernel_size;
    this.return_indices = a.return_indices;
    this.output_size = a.output_size;
    this.output_ratio = a.output_ratio;
    if (a.output_size === null && a.output_ratio === null) throw new RangeError(`${cls} requires specifying either an output size, or a pooling ratio`);
    if (a.output_size !== null && a.output_ratio !== null) throw new RangeError('only one of output_size and output_ratio may be specified');
    if (a.output_ratio !== null) {
      const r = typeof a.output_ratio === 'number' ? new Array(n).fill(a.output_ratio) : a.output_ratio;
      if (!r.every((x: number) => x > 0 && x < 1)) throw new RangeError(`output_ratio must be between 0 and 1 (got ${pyRepr(r)})`);
    }
    Object.defineProperty(this, '_random_samples', { value: a._random_samples, writable: true, enumerable: false });
  }
}
/** 2-D fractional max pooling. Args: kernel_size, output_size=null, output_ratio=null, return_indices=false. */
export class FractionalMaxPool2d extends _FractionalMaxPoolNd {
  constructor(...args: Args<FrP, FrO>) { super(); this._init('FractionalMaxPool2d', 2, args); }
  forward(input: Tensor): any { return F.fractional_max_pool2d(input, this.kernel_size, this.output_size, this.output_ratio, this.return_indices, this._random_samples); }
}
/** 3-D fractional max pooling. */
export class FractionalMaxPool3d extends _FractionalMaxPoolNd {
  constructor(...args: Args<FrP, FrO>) { super(); this._init('FractionalMaxPool3d', 3, args); }
  forward(input: Tensor): any { return F.fractional_max_pool3d(input, this.kernel_size, this.output_size, this.output_ratio, this.return_indices, this._random_samples); }
}
