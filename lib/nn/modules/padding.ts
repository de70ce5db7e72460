/** Padding layers: Reflection/Replication/Zero/Constant/Circular Pad 1-3 D (one torch._C._nn.pad call). */
import { Module } from '../module';
import { Tensor } from '../../tensor';
import { pad as Fpad } from '../functional/padding';
import { Args, IntOrTuple, parseArgs, ntuple, pyRepr, pyFloat } from './utils';

class _PadNd extends Module {
  padding!: number[];
  /** @internal */ _mode!: string;
  /** @internal */
  _init(cls: string, n: number, mode: string, padding: unknown): void {
    Object.defineProperty(this, '_mode', { value: mode, enumerable: false });
    this.padding = ntuple(2 * n, padding, 'padding', cls);
  }
  forward(input: Tensor): Tensor {
    return Fpad(input, this.padding, this._mode);
  }
  extra_repr(): string {
    return pyRepr(this.padding);
  }
}
/** Pads the last 1 dimension by reflection of the input boundary. Args: padding (int or a tuple of 2 ints, last dimension first). */
export class ReflectionPad1d extends _PadNd {
  constructor(...args: Args<[padding: IntOrTuple], { padding: IntOrTuple }>) {
    super();
    this._init('ReflectionPad1d', 1, 'reflect', parseArgs('ReflectionPad1d', ['padding'], args, {}, 1).padding);
  }
}
/** Pads the last 2 dimensions by reflection of the input boundary. Args: padding (int or a tuple of 4 ints, last dimension first). */
export class ReflectionPad2d extends _PadNd {
  constructor(...args: Args<[padding: IntOrTuple], { padding: IntOrTuple }>) {
    super();
    this._init('ReflectionPad2d', 2, 'reflect', parseArgs('ReflectionPad2d', ['padding'], args, {}, 1).padding);
  }
}
/** Pads the last 3 dimensions by reflection of the input boundary. Args: padding (int or a tuple of 6 ints, last dimension first). */
export class ReflectionPad3d extends _PadNd {
  constructor(...args: Args<[padding: IntOrTuple], { padding: IntOrTuple }>) {
    super();
    this._init('ReflectionPad3d', 3, 'reflect', parseArgs('ReflectionPad3d', ['padding'], args, {}, 1).padding);
  }
}
/** Pads the last 1 dimension by replicating the input boundary. Args: padding (int or a tuple of 2 ints, last dimension first). */
export class ReplicationPad1d extends _PadNd {
  constructor(...args: Args<[padding: IntOrTuple], { padding: IntOrTuple }>) {
    super();
    this._init('ReplicationPad1d', 1, 'replicate', parseArgs('ReplicationPad1d', ['padding'], args, {}, 1).padding);
  }
}
/** Pads the last 2 dimensions by replicating the input boundary. Args: padding (int or a tuple of 4 ints, last dimension first). */
export class ReplicationPad2d extends _PadNd {
  constructor(...args: Args<[padding: IntOrTuple], { padding: IntOrTuple }>) {
    super();
    this._init('ReplicationPad2d', 2, 'replicate', parseArgs('ReplicationPad2d', ['padding'], args, {}, 1).padding);
  }
}
/** Pads the last 3 dimensions by replicating the input boundary. Args: padding (int or a tuple of 6 ints, last dimension first). */
export class ReplicationPad3d extends _PadNd {
  constructor(...args: Args<[padding: IntOrTuple], { padding: IntOrTuple }>) {
    super();
    this._init('ReplicationPad3d', 3, 'replicate', parseArgs('ReplicationPad3d', ['padding'], args, {}, 1).padding);
  }
}
/** Pads the last 1 dimension circularly (wrapping around). Args: padding (int or a tuple of 2 ints, last dimension first). */
export class CircularPad1d extends _PadNd {
  constructor(...args: Args<[padding: IntOrTuple], { padding: IntOrTuple }>) {
    super();
    this._init('CircularPad1d', 1, 'circular', parseArgs('CircularPad1d', ['padding'], args, {}, 1).padding);
  }
}
/** Pads the last 2 dimensions circularly (wrapping around). Args: padding (int or a tuple of 4 ints, last dimension first). */
export class CircularPad2d extends _PadNd {
  constructor(...args: Args<[padding: IntOrTuple], { padding: IntOrTuple }>) {
    super();
    this._init('CircularPad2d', 2, 'circular', parseArgs('CircularPad2d', ['padding'], args, {}, 1).padding);
  }
}
/** Pads the last 3 dimensions circularly (wrapping around). Args: padding (int or a tuple of 6 ints, last dimension first). */
export class CircularPad3d extends _PadNd {
  constructor(...args: Args<[padding: IntOrTuple], { padding: IntOrTuple }>) {
    super();
    this._init('CircularPad3d', 3, 'circular', parseArgs('CircularPad3d', ['padding'], args, {}, 1).padding);
  }
}

class _ConstantPadNd extends Module {
  padding!: number[];
  value!: number;
  forward(input: Tensor): Tensor {
    return Fpad(input, this.padding, 'constant', this.value);
  }
  extra_repr(): string {
    return `padding=${pyRepr(this.padding)}, value=${pyFloat(this.value)}`;
  }
}
/** Pads the last 1 dimension with a constant. Args: padding, value. */
export class ConstantPad1d extends _ConstantPadNd {
  constructor(...args: Args<[padding: IntOrTuple, value: number], { padding: IntOrTuple; value: number }>) {
    super();
    const a = parseArgs('ConstantPad1d', ['padding', 'value'], args, {}, 2);
    this.padding = ntuple(2, a.padding, 'padding', 'ConstantPad1d');
    this.value = a.value;
  }
}
/** Pads the last 2 dimensions with a constant. Args: padding, value. */
export class ConstantPad2d extends _ConstantPadNd {
  constructor(...args: Args<[padding: IntOrTuple, value: number], { padding: IntOrTuple; value: number }>) {
    super();
    const a = parseArgs('ConstantPad2d', ['padding', 'value'], args, {}, 2);
    this.padding = ntuple(4, a.padding, 'padding', 'ConstantPad2d');
    this.value = a.value;
  }
}
/** Pads the last 3 dimensions with a constant. Args: padding, value. */
export class ConstantPad3d extends _ConstantPadNd {
  constructor(...args: Args<[padding: IntOrTuple, value: number], { padding: IntOrTuple; value: number }>) {
    super();
    const a = parseArgs('ConstantPad3d', ['padding', 'value'], args, {}, 2);
    this.padding = ntuple(6, a.padding, 'padding', 'ConstantPad3d');
    this.value = a.value;
  }
}

/** Pads the last 1 dimension with zeros. Args: padding (int or tuple). */
export class ZeroPad1d extends _ConstantPadNd {
  constructor(...args: Args<[padding: IntOrTuple], { padding: IntOrTuple }>) {
    super();
    this.padding = ntuple(2, parseArgs('ZeroPad1d', ['padding'], args, {}, 1).padding, 'padding', 'ZeroPad1d');
    this.value = 0;
  }
  extra_repr(): string {
    return pyRepr(this.padding);
  }
}
/** Pads the last 2 dimensions with zeros. Args: padding (int or tuple). Example: new nn.ZeroPad2d({padding: 1}) */
export class ZeroPad2d extends _ConstantPadNd {
  constructor(...args: Args<[padding: IntOrTuple], { padding: IntOrTuple }>) {
    super();
    this.padding = ntuple(4, parseArgs('ZeroPad2d', ['padding'], args, {}, 1).padding, 'padding', 'ZeroPad2d');
    this.value = 0;
  }
  extra_repr(): string {
    return pyRepr(this.padding);
  }
}
/** Pads the last 3 dimensions with zeros. Args: padding (int or tuple). */
export class ZeroPad3d extends _ConstantPadNd {
  constructor(...args: Args<[padding: IntOrTuple], { padding: IntOrTuple }>) {
    super();
    this.padding = ntuple(6, parseArgs('ZeroPad3d', ['padding'], args, {}, 1).padding, 'padding', 'ZeroPad3d');
    this.value = 0;
  }
  extra_repr(): string {
    return pyRepr(this.padding);
  }
}
