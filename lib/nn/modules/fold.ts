/** Fold (col2im) and Unfold (im2col). */
import { Module } from '../module';
import { Tensor } from '../../tensor';
import * as F from '../functional/conv';
import { Args, IntOrTuple, parseArgs, pyRepr } from './utils';

/** Sums sliding blocks into a tensor. Args: output_size, kernel_size, dilation=1, padding=0, stride=1. */
export class Fold extends Module {
  output_size!: IntOrTuple;
  kernel_size!: IntOrTuple;
  dilation!: IntOrTuple;
  padding!: IntOrTuple;
  stride!: IntOrTuple;
  constructor(...args: Args<[output_size: IntOrTuple, kernel_size: IntOrTuple, dilation: IntOrTuple, padding: IntOrTuple, stride: IntOrTuple],
    { output_size: IntOrTuple; kernel_size: IntOrTuple; dilation: IntOrTuple; padding: IntOrTuple; stride: IntOrTuple }>) {
    super();
    const a = parseArgs('Fold', ['output_size', 'kernel_size', 'dilation', 'padding', 'stride'], args, { dilation: 1, padding: 0, stride: 1 }, 2);
    Object.assign(this, { output_size: a.output_size, kernel_size: a.kernel_size, dilation: a.dilation, padding: a.padding, stride: a.stride });
  }
  forward(input: Tensor): Tensor {
    return F.fold(input, this.output_size, this.kernel_size, this.dilation, this.padding, this.stride);
  }
  extra_repr(): string {
    return `output_size=${pyRepr(this.output_size)}, kernel_size=${pyRepr(this.kernel_size)}, dilation=${pyRepr(this.dilation)}, padding=${pyRepr(this.padding)}, stride=${pyRepr(this.stride)}`;
  }
}
/** Extracts sliding local blocks. Args: kernel_size, dilation=1, padding=0, stride=1. */
export class Unfold extends Module {
  kernel_size!: IntOrTuple;
  dilation!: IntOrTuple;
  padding!: IntOrTuple;
  stride!: IntOrTuple;
  constructor(...args: Args<[kernel_size: IntOrTuple, dilation: IntOrTuple, padding: IntOrTuple, stride: IntOrTuple],
    { kernel_size: IntOrTuple; dilation: IntOrTuple; padding: IntOrTuple; stride: IntOrTuple }>) {
    super();
    const a = parseArgs('Unfold', ['kernel_size', 'dilation', 'padding', 'stride'], args, { dilation: 1, padding: 0, stride: 1 }, 1);
    Object.assign(this, { kernel_size: a.kernel_size, dilation: a.dilation, padding: a.padding, stride: a.stride });
  }
  forward(input: Tensor): Tensor {
    return F.unfold(input, this.kernel_size, this.dilation, this.padding, this.stride);
  }
  extra_repr(): string {
    return `kernel_size=${pyRepr(this.kernel_size)}, dilation=${pyRepr(this.dilation)}, padding=${pyRepr(this.padding)}, stride=${pyRepr(this.stride)}`;
  }
}
