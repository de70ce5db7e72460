/** Flatten and Unflatten. */
import { Module } from '../module';
import { Tensor } from '../../tensor';
import { Args, parseArgs, pyRepr } from './utils';

/** Flattens dims start_dim..end_dim. Args: start_dim=1, end_dim=-1. */
export class Flatten extends Module {
  start_dim!: number;
  end_dim!: number;
  constructor(...args: Args<[start_dim: number, end_dim: number], { start_dim: number; end_dim: number }>) {
    super();
    const a = parseArgs('Flatten', ['start_dim', 'end_dim'], args, { start_dim: 1, end_dim: -1 });
    this.start_dim = a.start_dim;
    this.end_dim = a.end_dim;
  }
  forward(input: Tensor): Tensor {
    return (input as any).flatten(this.start_dim, this.end_dim);
  }
  extra_repr(): string {
    return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`;
  }
}
/** Expands dim into unflattened_size. Args: dim, unflattened_size. */
export class Unflatten extends Module {
  dim!: number;
  unflattened_size!: number[];
  constructor(...args: Args<[dim: number, unflattened_size: number[]], { dim: number; unflattened_size: number[] }>) {
    super();
    const a = parseArgs('Unflatten', ['dim', 'unflattened_size'], args, {}, 2);
    if (!Array.isArray(a.unflattened_size)) throw new TypeError(`unflattened_size must be tuple of ints, but found type ${typeof a.unflattened_size}`);
    this.dim = a.dim;
    this.unflattened_size = a.unflattened_size;
  }
  forward(input: Tensor): Tensor {
    return (input as any).unflatten(this.dim, this.unflattened_size);
  }
  extra_repr(): string {
    return `dim=${this.dim}, unflattened_size=${pyRepr(this.unflattened_size)}`;
  }
}
