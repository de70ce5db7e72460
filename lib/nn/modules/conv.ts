/**
 * Convolutions: Conv1d/2d/3d, ConvTranspose1d/2d/3d and their Lazy variants, with PyTorch's
 * arguments (padding as int, tuple, 'same' or 'valid'; padding_mode zeros/reflect/replicate/circular),
 * default initialization and state_dict keys. Forward is one torch.conv*d call (after one F.pad for
 * non-zero padding modes).
 */
import { Module } from '../module';
import { Parameter, UninitializedParameter, emptyParam } from '../parameter';
import { Tensor } from '../../tensor';
import * as init from '../init';
import { N, T } from '../functional/_util';
import { pad as Fpad } from '../functional/padding';
import { Args, IntOrTuple, parseArgs, ntuple, positiveInt, pyRepr } from './utils';
import { LazyModuleMixin } from './lazy';
import type { dtype } from '../../dtype';
import type { DeviceLike } from '../../device';

type ConvO = {
  in_channels: number; out_channels: number; kernel_size: IntOrTuple; stride: IntOrTuple; padding: IntOrTuple | 'same' | 'valid';
  dilation: IntOrTuple; groups: number; bias: boolean; padding_mode: 'zeros' | 'reflect' | 'replicate' | 'circular';
  device: DeviceLike | null; dtype: dtype | null;
};
type ConvTO = Omit<ConvO, 'padding'> & { padding: IntOrTuple; output_padding: IntOrTuple };
type ConvP = [in_channels: number, out_channels: number, kernel_size: IntOrTuple, stride: IntOrTuple, padding: IntOrTuple | 'same' | 'valid', dilation: IntOrTuple, groups: number, bias: boolean, padding_mode: ConvO['padding_mode'], device: DeviceLike | null, dtype: dtype | null];
type ConvTP = [in_channels: number, out_channels: number, kernel_size: IntOrTuple, stride: IntOrTuple, padding: IntOrTuple, output_padding: IntOrTuple, groups: number, bias: boolean, dilation: IntOrTuple, padding_mode: 'zeros', device: DeviceLike | null, dtype: dtype | null];

const CONV_NAMES = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode', 'device', 'dtype'];
const CONVT_NAMES = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'groups', 'bias', 'dilation', 'padding_mode', 'device', 'dtype'];
const DEFAULTS = { stride: 1, padding: 0, dilation: 1, groups: 1, bias: true, padding_mode: 'zeros', output_padding: 0 };

/** Base of the convolution modules (PyTorch's _ConvNd). */
export class _ConvNd extends Module {
  in_channels!: number;
  out_channels!: number;
  kernel_size!: number[];
  stride!: number[];
  padding!: number[] | 'same' | 'valid';
  dilation!: number[];
  transposed!: boolean;
  output_padding!: number[];
  groups!: number;
  padding_mode!: string;
  /** @internal */ _reversed_padding_repeated_twice!: number[];
  weight!: Parameter;
  bias!: Parameter | null;
  /** @internal */ _n!: number;

  /** @internal */
  _setup(cls: string, n: number, a: Record<string, any>, transposed: boolean, lazy = false): void {
    Object.defineProperty(this, '_n', { value: n, writable: true, enumerable: false });
    const inC = lazy ? 0 : positiveInt(a.in_channels, 'in_channels', cls);
    const outC = positiveInt(a.out_channels, 'out_channels', cls);
    const groups = positiveInt(a.groups, 'groups', cls);
    if (typeof a.groups !== 'number' || groups <= 0) throw new RangeError('groups must be a positive integer');
    if (!lazy && inC % groups !== 0) throw new RangeError('in_channels must be divisible by groups');
    if (outC % groups !== 0) throw new RangeError('out_channels must be divisible by groups');
    const k = ntuple(n, a.kernel_size, 'kernel_size', cls);
    if (k.some((v) => v <= 0)) throw new RangeError(`${cls}: kernel_size must be positive, got ${pyRepr(k)}`);
    const stride = ntuple(n, a.stride, 'stride', cls);
    if (stride.some((v) => v <= 0)) throw new RangeError(`${cls}: stride must be positive, got ${pyRepr(stride)}`);
    const dilation = ntuple(n, a.dilation, 'dilation', cls);
    let padding: number[] | 'same' | 'valid';
    if (typeof a.padding === 'string') {
      if (transposed) throw new RangeError(`${cls}: padding must be an int or a tuple of ints, got '${a.padding}'`);
      if (a.padding !== 'same' && a.padding !== 'valid') throw new RangeError(`Invalid padding string '${a.padding}', should be one of {'valid', 'same'}`);
      if (a.padding === 'same' && stride.some((s) => s !== 1)) throw new RangeError("padding='same' is not supported for strided convolutions");
      padding = a.padding;
    } else padding = ntuple(n, a.padding, 'padding', cls);
    const modes = ['zeros', 'reflect', 'replicate', 'circular'];
    if (!modes.includes(a.padding_mode)) {
      throw new RangeError(`padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${a.padding_mode}'`);
    }
    if (transposed && a.padding_mode !== 'zeros') throw new RangeError(`Only "zeros" padding mode is supported for ${cls}`);
    this.in_channels = inC;
    this.out_channels = outC;
    this.kernel_size = k;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.transposed = transposed;
    this.output_padding = ntuple(n, transposed ? a.output_padding : 0, 'output_padding', cls);
    this.groups = groups;
    this.padding_mode = a.padding_mode;
    let rev: number[];
    if (typeof padding === 'string') {
      rev = new Array(2 * n).fill(0);
      if (padding === 'same') {
        for (let i = n - 1, d = 0; i >= 0; i--, d++) {
          const total = dilation[d] * (k[d] - 1);
          const left = Math.floor(total / 2);
          rev[2 * i] = left;
          rev[2 * i + 1] = total - left;
        }
      }
    } else {
      rev = [];
      for (let i = n - 1; i >= 0; i--) rev.push(padding[i], padding[i]);
    }
    Object.defineProperty(this, '_reversed_padding_repeated_twice', { value: rev, writable: true, enumerable: false });
    if (lazy) {
      this.weight = new UninitializedParameter(true, a.device ?? null, a.dtype ?? null);
      if (a.bias) this.bias = new UninitializedParameter(true, a.device ?? null, a.dtype ?? null);
      else this.register_parameter('bias', null);
      return;
    }
    const wshape = transposed ? [inC, outC / groups, ...k] : [outC, inC / groups, ...k];
    this.weight = emptyParam(wshape, a);
    if (a.bias) this.bias = emptyParam([outC], a);
    else this.register_parameter('bias', null);
    this.reset_parameters();
  }

  /** Re-draws weight (kaiming_uniform_, a=√5) and bias (U(-1/√fan_in, 1/√fan_in)). */
  reset_parameters(): void {
    if (this.has_uninitialized_params()) return;
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fan_in] = init._calculate_fan_in_and_fan_out(this.weight);
      if (fan_in !== 0) {
        const bound = 1 / Math.sqrt(fan_in);
        init.uniform_(this.bias, -bound, bound);
      }
    }
  }

  extra_repr(): string {
    let s = `${this.in_channels}, ${this.out_channels}, kernel_size=${pyRepr(this.kernel_size)}, stride=${pyRepr(this.stride)}`;
    const p = this.padding;
    if (typeof p === 'string') s += `, padding=${p}`;
    else if (p.some((v) => v !== 0)) s += `, padding=${pyRepr(p)}`;
    if (this.dilation.some((v) => v !== 1)) s += `, dilation=${pyRepr(this.dilation)}`;
    if (this.output_padding.some((v) => v !== 0)) s += `, output_padding=${pyRepr(this.output_padding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.padding_mode !== 'zeros') s += `, padding_mode=${this.padding_mode}`;
    return s;
  }

  /** @internal One torch.conv{n}d call (after F.pad for non-zero padding modes). */
  _conv_forward(input: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
    const n = this._n;
    const hb = bias === null ? undefined : bias._h;
    if (this.padding_mode !== 'zeros') {
      const padded = Fpad(input, this._reversed_padding_repeated_twice, this.padding_mode);
      const r = T(N[`a_conv${n}d` as 'a_conv1d' | 'a_conv2d' | 'a_conv3d'](padded._h, weight._h, hb, this.stride, 0, this.dilation, this.groups));
      padded.dispose();
      return r;
    }
    if (typeof this.padding === 'string') return T(N[`a_conv${n}d_padding` as 'a_conv1d_padding' | 'a_conv2d_padding' | 'a_conv3d_padding'](input._h, weight._h, hb, this.stride, this.padding, this.dilation, this.groups));
    return T(N[`a_conv${n}d` as 'a_conv1d' | 'a_conv2d' | 'a_conv3d'](input._h, weight._h, hb, this.stride, this.padding, this.dilation, this.groups));
  }
  forward(input: Tensor): Tensor {
    return this._conv_forward(input, this.weight, this.bias);
  }

  /** @internal Lazy variants: infer in_channels from the input and materialize. */
  initialize_parameters(input: Tensor): void {
    if (!this.has_uninitialized_params()) return;
    const n = this._n;
    this.in_channels = input.dim() === n + 1 ? input.shape[0] : input.shape[1];
    if (this.in_channels % this.groups !== 0) throw new RangeError('in_channels must be divisible by groups');
    const k = this.kernel_size;
    const wshape = this.transposed ? [this.in_channels, this.out_channels / this.groups, ...k] : [this.out_channels, this.in_channels / this.groups, ...k];
    (this.weight as UninitializedParameter).materialize(wshape);
    if (this.bias) (this.bias as UninitializedParameter).materialize([this.out_channels]);
    this.reset_parameters();
  }
}

/**
 * 1-D convolution over (N, C_in, L) or (C_in, L) inputs.
 * Args: in_channels, out_channels, kernel_size, stride=1, padding=0 (int, tuple, 'same', 'valid'),
 * dilation=1, groups=1, bias=true, padding_mode='zeros', device, dtype.
 */
export class Conv1d extends _ConvNd {
  constructor(...args: Args<ConvP, ConvO>) {
    super();
    this._setup('Conv1d', 1, parseArgs('Conv1d', CONV_NAMES, args, DEFAULTS, 3), false);
  }
}
/**
 * 2-D convolution over (N, C_in, H, W) or (C_in, H, W) inputs.
 *
 * Args: in_channels, out_channels, kernel_size, stride=1, padding=0 (int, tuple, 'same', 'valid'),
 * dilation=1, groups=1, bias=true, padding_mode='zeros' | 'reflect' | 'replicate' | 'circular', device, dtype.
 * Shape: (N, C_in, H, W) → (N, C_out, H_out, W_out).
 * Example:
 *   const conv = new nn.Conv2d(1, 32, 3, {stride: 1, padding: 1});   // ≡ new nn.Conv2d(1, 32, {kernel_size: 3, stride: 1, padding: 1})
 */
export class Conv2d extends _ConvNd {
  constructor(...args: Args<ConvP, ConvO>) {
    super();
    this._setup('Conv2d', 2, parseArgs('Conv2d', CONV_NAMES, args, DEFAULTS, 3), false);
  }
  forward(input: Tensor): Tensor {
    if (this.padding_mode === 'zeros' && typeof this.padding !== 'string') {
      const b = this.bias;
      return T(N.a_conv2d(input._h, this.weight._h, b === null ? undefined : b._h, this.stride, this.padding, this.dilation, this.groups));
    }
    return this._conv_forward(input, this.weight, this.bias);
  }
}
/** 3-D convolution over (N, C_in, D, H, W) or (C_in, D, H, W) inputs. Args as Conv2d. */
export class Conv3d extends _ConvNd {
  constructor(...args: Args<ConvP, ConvO>) {
    super();
    this._setup('Conv3d', 3, parseArgs('Conv3d', CONV_NAMES, args, DEFAULTS, 3), false);
  }
}

/** Base of the transposed convolutions (PyTorch's _ConvTransposeNd). */
export class _ConvTransposeNd extends _ConvNd {
  /** @internal PyTorch's _output_padding: the output_padding that gives `output_size`. */
  _output_padding(input: Tensor, output_size: number[] | null): number[] {
    const n = this._n;
    if (output_size === null || output_size === undefined) return this.output_padding;
    const nonSpatial = input.dim() === n + 2 ? 2 : 1;
    let os = output_size;
    if (os.length === nonSpatial + n) os = os.slice(nonSpatial);
    if (os.length !== n) {
      throw new RangeError(`ConvTranspose${n}D: for ${input.dim()}D input, output_size must have ${n} or ${nonSpatial + n} elements (got ${output_size.length})`);
    }
    const s = input.shape;
    const mins: number[] = [];
    const maxs: number[] = [];
    for (let d = 0; d < n; d++) {
      const p = this.padding as number[];
      const dim = (s[d + nonSpatial] - 1) * this.stride[d] - 2 * p[d] + this.dilation[d] * (this.kernel_size[d] - 1) + 1;
      mins.push(dim);
      maxs.push(dim + this.stride[d] - 1);
    }
    for (let i = 0; i < n; i++) {
      if (os[i] < mins[i] || os[i] > maxs[i]) {
        throw new RangeError(`requested an output size of [${os.join(', ')}], but valid sizes range from [${mins.join(', ')}] to [${maxs.join(', ')}] (for an input of [${s.slice(2).join(', ')}])`);
      }
    }
    return os.map((v, d) => v - mins[d]);
  }
  /** forward(input, output_size=null). */
  forward(input: Tensor, output_size: number[] | null = null): Tensor {
    const n = this._n;
    const op = this._output_padding(input, output_size);
    const b = this.bias;
    const entry = (n === 1 ? 'a_conv_transpose1d' : `a_conv_transpose${n}d_input`) as 'a_conv_transpose1d' | 'a_conv_transpose2d_input' | 'a_conv_transpose3d_input';
    return T(N[entry](input._h, this.weight._h, b === null ? undefined : b._h, this.stride, this.padding as number[], op, this.groups, this.dilation));
  }
}
/**
 * 1-D transposed convolution. Args: in_channels, out_channels, kernel_size, stride=1, padding=0,
 * output_padding=0, groups=1, bias=true, dilation=1, padding_mode='zeros', device, dtype.
 */
export class ConvTranspose1d extends _ConvTransposeNd {
  constructor(...args: Args<ConvTP, ConvTO>) {
    super();
    this._setup('ConvTranspose1d', 1, parseArgs('ConvTranspose1d', CONVT_NAMES, args, DEFAULTS, 3), true);
  }
}
/** 2-D transposed convolution ("deconvolution"). Args as ConvTranspose1d. */
export class ConvTranspose2d extends _ConvTransposeNd {
  constructor(...args: Args<ConvTP, ConvTO>) {
    super();
    this._setup('ConvTranspose2d', 2, parseArgs('ConvTranspose2d', CONVT_NAMES, args, DEFAULTS, 3), true);
  }
}
/** 3-D transposed convolution. Args as ConvTranspose1d. */
export class ConvTranspose3d extends _ConvTransposeNd {
  constructor(...args: Args<ConvTP, ConvTO>) {
    super();
    this._setup('ConvTranspose3d', 3, parseArgs('ConvTranspose3d', CONVT_NAMES, args, DEFAULTS, 3), true);
  }
}

type LazyConvP = ConvP extends [unknown, ...infer R] ? R : never;
type LazyConvTP = ConvTP extends [unknown, ...infer R] ? R : never;

function makeLazy<B extends typeof _ConvNd>(Base: B, cls: string, n: number, transposed: boolean) {
  const names = (transposed ? CONVT_NAMES : CONV_NAMES).slice(1);
  const Lazy = class extends _ConvNd {
    constructor(...args: any[]) {
      super();
      this._setup(cls, n, parseArgs(cls, names, args, DEFAULTS, 2), transposed, true);
      LazyModuleMixin.install(this, Base);
    }
  };
  Object.setPrototypeOf(Lazy.prototype, Base.prototype);
  Object.defineProperty(Lazy, 'name', { value: cls });
  return Lazy;
}
/** Conv1d with in_channels inferred from the first input (then it becomes a Conv1d). Args: out_channels, kernel_size, … */
export const LazyConv1d: new (...args: Args<LazyConvP, Omit<ConvO, 'in_channels'>>) => Conv1d = makeLazy(Conv1d, 'LazyConv1d', 1, false) as any;
/** Conv2d with in_channels inferred from the first input. */
export const LazyConv2d: new (...args: Args<LazyConvP, Omit<ConvO, 'in_channels'>>) => Conv2d = makeLazy(Conv2d, 'LazyConv2d', 2, false) as any;
/** Conv3d with in_channels inferred from the first input. */
export const LazyConv3d: new (...args: Args<LazyConvP, Omit<ConvO, 'in_channels'>>) => Conv3d = makeLazy(Conv3d, 'LazyConv3d', 3, false) as any;
/** ConvTranspose1d with in_channels inferred from the first input. */
export const LazyConvTranspose1d: new (...args: Args<LazyConvTP, Omit<ConvTO, 'in_channels'>>) => ConvTranspose1d = makeLazy(ConvTranspose1d, 'LazyConvTranspose1d', 1, true) as any;
/** ConvTranspose2d with in_channels inferred from the first input. */
export const LazyConvTranspose2d: new (...args: Args<LazyConvTP, Omit<ConvTO, 'in_channels'>>) => ConvTranspose2d = makeLazy(ConvTranspose2d, 'LazyConvTranspose2d', 2, true) as any;
/** ConvTranspose3d with in_channels inferred from the first input. */
export const LazyConvTranspose3d: new (...args: Args<LazyConvTP, Omit<ConvTO, 'in_channels'>>) => ConvTranspose3d = makeLazy(ConvTranspose3d, 'LazyConvTranspose3d', 3, true) as any;
