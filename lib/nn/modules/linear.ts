/** Linear layers: Identity, Linear, Bilinear, LazyLinear. */
import { Module } from '../module';
import { Parameter, UninitializedParameter, emptyParam } from '../parameter';
import { Tensor } from '../../tensor';
import { dtype } from '../../dtype';
import { DeviceLike } from '../../device';
import * as init from '../init';
import { N, T } from '../functional/_util';
import { Args, parseArgs, positiveInt } from './utils';
import { LazyModuleMixin } from './lazy';

type Factory = { device?: DeviceLike | null; dtype?: dtype | null };

/** A placeholder that returns its input; accepts and ignores any constructor arguments. */
export class Identity extends Module {
  constructor(..._args: any[]) {
    super();
  }
  forward(input: Tensor): Tensor {
    return input;
  }
}

/**
 * Applies y = x Aᵀ + b.
 *
 * Args:
 *   in_features (number): size of each input sample.
 *   out_features (number): size of each output sample.
 *   bias (boolean): learn an additive bias. Default: true.
 *   device, dtype: where and of what type the parameters are made.
 * Shape: input (*, in_features) → output (*, out_features).
 * Attributes: weight (out_features, in_features) ~ U(-√k, √k), bias (out_features), k = 1/in_features.
 * Example:
 *   const m = new nn.Linear(20, 30);
 *   const y = m(torch.randn(128, 20));   // [128, 30]
 */
export class Linear extends Module {
  in_features!: number;
  out_features!: number;
  weight!: Parameter;
  bias!: Parameter | null;
  constructor(...args: Args<[in_features: number, out_features: number, bias: boolean, device: DeviceLike | null, dtype: dtype | null], { in_features: number; out_features: number; bias: boolean } & Factory>) {
    super();
    const a = parseArgs('Linear', ['in_features', 'out_features', 'bias', 'device', 'dtype'], args, { bias: true }, 2);
    this.in_features = positiveInt(a.in_features, 'in_features', 'Linear', true);
    this.out_features = positiveInt(a.out_features, 'out_features', 'Linear', true);
    this.weight = emptyParam([this.out_features, this.in_features], a);
    if (a.bias) this.bias = emptyParam([this.out_features], a);
    else this.register_parameter('bias', null);
    this.reset_parameters();
  }
  /** Re-draws weight (kaiming_uniform_, a=√5) and bias (U(-1/√fan_in, 1/√fan_in)). */
  reset_parameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fan_in] = init._calculate_fan_in_and_fan_out(this.weight);
      const bound = fan_in > 0 ? 1 / Math.sqrt(fan_in) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }
  forward(input: Tensor): Tensor {
    const b = this.bias;
    return T(N.a_linear(input._h, this.weight._h, b === null ? undefined : b._h));
  }
  extra_repr(): string {
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}

/**
 * Applies y = x1ᵀ A x2 + b.
 * Args: in1_features, in2_features, out_features, bias (true), device, dtype.
 * Shape: input1 (*, in1_features), input2 (*, in2_features) → (*, out_features).
 */
export class Bilinear extends Module {
  in1_features!: number;
  in2_features!: number;
  out_features!: number;
  weight!: Parameter;
  bias!: Parameter | null;
  constructor(...args: Args<[in1_features: number, in2_features: number, out_features: number, bias: boolean, device: DeviceLike | null, dtype: dtype | null], { in1_features: number; in2_features: number; out_features: number; bias: boolean } & Factory>) {
    super();
    const a = parseArgs('Bilinear', ['in1_features', 'in2_features', 'out_features', 'bias', 'device', 'dtype'], args, { bias: true }, 3);
    this.in1_features = positiveInt(a.in1_features, 'in1_features', 'Bilinear', true);
    this.in2_features = positiveInt(a.in2_features, 'in2_features', 'Bilinear', true);
    this.out_features = positiveInt(a.out_features, 'out_features', 'Bilinear', true);
    this.weight = emptyParam([this.out_features, this.in1_features, this.in2_features], a);
    if (a.bias) this.bias = emptyParam([this.out_features], a);
    else this.register_parameter('bias', null);
    this.reset_parameters();
  }
  reset_parameters(): void {
    const bound = 1 / Math.sqrt(this.weight.shape[1]);
    init.uniform_(this.weight, -bound, bound);
    if (this.bias) init.uniform_(this.bias, -bound, bound);
  }
  forward(input1: Tensor, input2: Tensor): Tensor {
    const b = this.bias;
    return T(N.a_bilinear(input1._h, input2._h, this.weight._h, b === null ? undefined : b._h));
  }
  extra_repr(): string {
    return `in1_features=${this.in1_features}, in2_features=${this.in2_features}, out_features=${this.out_features}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}

/**
 * A Linear whose in_features is inferred from the first input (input.shape[-1]); it then becomes
 * an nn.Linear. Args: out_features, bias (true), device, dtype.
 */
export class LazyLinear extends Linear {
  constructor(...args: Args<[out_features: number, bias: boolean, device: DeviceLike | null, dtype: dtype | null], { out_features: number; bias: boolean } & Factory>) {
    const a = parseArgs('LazyLinear', ['out_features', 'bias', 'device', 'dtype'], args, { bias: true }, 1);
    super(0, 0, false);
    this.out_features = positiveInt(a.out_features, 'out_features', 'LazyLinear', true);
    this.weight = new UninitializedParameter(true, a.device ?? null, a.dtype ?? null);
    if (a.bias) this.bias = new UninitializedParameter(true, a.device ?? null, a.dtype ?? null);
    LazyModuleMixin.install(this, Linear);
  }
  reset_parameters(): void {
    if (!this.has_uninitialized_params() && this.in_features !== 0) super.reset_parameters();
  }
  /** Infers in_features from the input and materializes the parameters. */
  initialize_parameters(input: Tensor): void {
    if (!this.has_uninitialized_params()) return;
    this.in_features = input.shape[input.dim() - 1];
    (this.weight as UninitializedParameter).materialize([this.out_features, this.in_features]);
    if (this.bias) (this.bias as UninitializedParameter).materialize([this.out_features]);
    this.reset_parameters();
  }
}
