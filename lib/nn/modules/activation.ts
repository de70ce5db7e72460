/**
 * Activation layers (torch.nn.modules.activation): each forward is the one ATen call of the
 * matching nn.functional function. MultiheadAttention is added by branch nn2 in the marked block at
 * the end of this file.
 */
import { Module } from '../module';
import { Parameter } from '../parameter';
import { Tensor } from '../../tensor';
import * as F from '../functional/activation';
import { N, T } from '../functional/_util';
import * as ops from '../../generated/ops';
import { Args, parseArgs, pyFloat, pyRepr, emptyParam, positiveInt } from './utils';
import * as init from '../init';
import type { dtype } from '../../dtype';
import type { DeviceLike } from '../../device';

/** nn.ReLU: applies F.relu element-wise (args: inplace). */
export class ReLU extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('ReLU', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return this.inplace ? F.relu(input, true) : T(N.a_relu(input._h));
  }
  extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** nn.ReLU6: applies F.relu6 element-wise (args: inplace). */
export class ReLU6 extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('ReLU6', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.relu6(input, this.inplace);
  }
  extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** nn.SELU: applies F.selu element-wise (args: inplace). */
export class SELU extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('SELU', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.selu(input, this.inplace);
  }
  extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** nn.SiLU: applies F.silu element-wise (args: inplace). */
export class SiLU extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('SiLU', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.silu(input, this.inplace);
  }
  extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** nn.Mish: applies F.mish element-wise (args: inplace). */
export class Mish extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('Mish', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.mish(input, this.inplace);
  }
  extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** nn.Hardswish: applies F.hardswish element-wise (args: inplace). */
export class Hardswish extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('Hardswish', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.hardswish(input, this.inplace);
  }}

/** nn.Hardsigmoid: applies F.hardsigmoid element-wise (args: inplace). */
export class Hardsigmoid extends Module {
  inplace!: boolean;
  constructor(...args: Args<[inplace: boolean], { inplace: boolean }>) {
    super();
    const a = parseArgs('Hardsigmoid', ['inplace'], args, { inplace: false }, 0);
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.hardsigmoid(input, this.inplace);
  }}

/** nn.Sigmoid: applies F.sigmoid element-wise. */
export class Sigmoid extends Module {
  constructor() {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }}

/** nn.Tanh: applies F.tanh element-wise. */
export class Tanh extends Module {
  constructor() {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.tanh(input);
  }}

/** nn.LogSigmoid: applies F.logsigmoid element-wise. */
export class LogSigmoid extends Module {
  constructor() {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.logsigmoid(input);
  }}

/** nn.Softsign: applies F.softsign element-wise. */
export class Softsign extends Module {
  constructor() {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.softsign(input);
  }}

/** nn.Tanhshrink: applies F.tanhshrink element-wise. */
export class Tanhshrink extends Module {
  constructor() {
    super();
  }
  forward(input: Tensor): Tensor {
    return F.tanhshrink(input);
  }}

/** nn.ELU: applies F.elu element-wise (args: alpha, inplace). */
export class ELU extends Module {
  alpha!: number;
  inplace!: boolean;
  constructor(...args: Args<[alpha: number, inplace: boolean], { alpha: number; inplace: boolean }>) {
    super();
    const a = parseArgs('ELU', ['alpha', 'inplace'], args, { alpha: 1.0, inplace: false }, 0);
    this.alpha = a.alpha;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha, this.inplace);
  }
  extra_repr(): string {
    return `alpha=${pyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** nn.CELU: applies F.celu element-wise (args: alpha, inplace). */
export class CELU extends Module {
  alpha!: number;
  inplace!: boolean;
  constructor(...args: Args<[alpha: number, inplace: boolean], { alpha: number; inplace: boolean }>) {
    super();
    const a = parseArgs('CELU', ['alpha', 'inplace'], args, { alpha: 1.0, inplace: false }, 0);
    this.alpha = a.alpha;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.celu(input, this.alpha, this.inplace);
  }
  extra_repr(): string {
    return `alpha=${pyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** nn.LeakyReLU: applies F.leaky_relu element-wise (args: negative_slope, inplace). */
export class LeakyReLU extends Module {
  negative_slope!: number;
  inplace!: boolean;
  constructor(...args: Args<[negative_slope: number, inplace: boolean], { negative_slope: number; inplace: boolean }>) {
    super();
    const a = parseArgs('LeakyReLU', ['negative_slope', 'inplace'], args, { negative_slope: 0.01, inplace: false }, 0);
    this.negative_slope = a.negative_slope;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.leaky_relu(input, this.negative_slope, this.inplace);
  }
  extra_repr(): string {
    return `negative_slope=${pyFloat(this.negative_slope)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** nn.Hardtanh: applies F.hardtanh element-wise (args: min_val, max_val, inplace). */
export class Hardtanh extends Module {
  min_val!: number;
  max_val!: number;
  inplace!: boolean;
  constructor(...args: Args<[min_val: number, max_val: number, inplace: boolean], { min_val: number; max_val: number; inplace: boolean }>) {
    super();
    const a = parseArgs('Hardtanh', ['min_val', 'max_val', 'inplace'], args, { min_val: -1.0, max_val: 1.0, inplace: false }, 0);
    this.min_val = a.min_val;
    this.max_val = a.max_val;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.min_val, this.max_val, this.inplace);
  }
  extra_repr(): string {
    return `min_val=${pyFloat(this.min_val)}, max_val=${pyFloat(this.max_val)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** nn.Threshold: applies F.threshold element-wise (args: threshold, value, inplace). */
export class Threshold extends Module {
  threshold!: number;
  value!: number;
  inplace!: boolean;
  constructor(...args: Args<[threshold: number, value: number, inplace: boolean], { threshold: number; value: number; inplace: boolean }>) {
    super();
    const a = parseArgs('Threshold', ['threshold', 'value', 'inplace'], args, { inplace: false }, 2);
    this.threshold = a.threshold;
    this.value = a.value;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.threshold(input, this.threshold, this.value, this.inplace);
  }
  extra_repr(): string {
    return `threshold=${pyFloat(this.threshold)}, value=${pyFloat(this.value)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** nn.GLU: applies F.glu element-wise (args: dim). */
export class GLU extends Module {
  dim!: number;
  constructor(...args: Args<[dim: number], { dim: number }>) {
    super();
    const a = parseArgs('GLU', ['dim'], args, { dim: -1 }, 0);
    this.dim = a.dim;
  }
  forward(input: Tensor): Tensor {
    return F.glu(input, this.dim);
  }
  extra_repr(): string {
    return `dim=${this.dim}`;
  }
}

/** nn.GELU: applies F.gelu element-wise (args: approximate). */
export class GELU extends Module {
  approximate!: 'none' | 'tanh';
  constructor(...args: Args<[approximate: 'none' | 'tanh'], { approximate: 'none' | 'tanh' }>) {
    super();
    const a = parseArgs('GELU', ['approximate'], args, { approximate: 'none' }, 0);
    this.approximate = a.approximate;
  }
  forward(input: Tensor): Tensor {
    return F.gelu(input, this.approximate);
  }
  extra_repr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** nn.Hardshrink: applies F.hardshrink element-wise (args: lambd). */
export class Hardshrink extends Module {
  lambd!: number;
  constructor(...args: Args<[lambd: number], { lambd: number }>) {
    super();
    const a = parseArgs('Hardshrink', ['lambd'], args, { lambd: 0.5 }, 0);
    this.lambd = a.lambd;
  }
  forward(input: Tensor): Tensor {
    return F.hardshrink(input, this.lambd);
  }
  extra_repr(): string {
    return pyFloat(this.lambd);
  }
}

/** nn.Softshrink: applies F.softshrink element-wise (args: lambd). */
export class Softshrink extends Module {
  lambd!: number;
  constructor(...args: Args<[lambd: number], { lambd: number }>) {
    super();
    const a = parseArgs('Softshrink', ['lambd'], args, { lambd: 0.5 }, 0);
    this.lambd = a.lambd;
  }
  forward(input: Tensor): Tensor {
    return F.softshrink(input, this.lambd);
  }
  extra_repr(): string {
    return pyFloat(this.lambd);
  }
}

/** nn.Softplus: applies F.softplus element-wise (args: beta, threshold). */
export class Softplus extends Module {
  beta!: number;
  threshold!: number;
  constructor(...args: Args<[beta: number, threshold: number], { beta: number; threshold: number }>) {
    super();
    const a = parseArgs('Softplus', ['beta', 'threshold'], args, { beta: 1, threshold: 20 }, 0);
    this.beta = a.beta;
    this.threshold = a.threshold;
  }
  forward(input: Tensor): Tensor {
    return F.softplus(input, this.beta, this.threshold);
  }
  extra_repr(): string {
    return `beta=${pyRepr(this.beta)}, threshold=${pyRepr(this.threshold)}`;
  }
}

/** nn.Softmin: applies F.softmin element-wise (args: dim). */
export class Softmin extends Module {
  dim!: number | null;
  constructor(...args: Args<[dim: number | null], { dim: number | null }>) {
    super();
    const a = parseArgs('Softmin', ['dim'], args, { dim: null }, 0);
    this.dim = a.dim;
  }
  forward(input: Tensor): Tensor {
    return F.softmin(input, this.dim);
  }
  extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

/** nn.Softmax: applies F.softmax element-wise (args: dim). */
export class Softmax extends Module {
  dim!: number | null;
  constructor(...args: Args<[dim: number | null], { dim: number | null }>) {
    super();
    const a = parseArgs('Softmax', ['dim'], args, { dim: null }, 0);
    this.dim = a.dim;
  }
  forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }
  extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

/** nn.LogSoftmax: applies F.log_softmax element-wise (args: dim). */
export class LogSoftmax extends Module {
  dim!: number | null;
  constructor(...args: Args<[dim: number | null], { dim: number | null }>) {
    super();
    const a = parseArgs('LogSoftmax', ['dim'], args, { dim: null }, 0);
    this.dim = a.dim;
  }
  forward(input: Tensor): Tensor {
    return F.log_softmax(input, this.dim);
  }
  extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`;
  }
}

/** nn.Softmax2d: softmax over the channel dimension of (N, C, H, W) or (C, H, W) inputs. */
export class Softmax2d extends Module {
  forward(input: Tensor): Tensor {
    const d = input.dim();
    if (d !== 3 && d !== 4) throw new RangeError(`Softmax2d: expected input to be 3D or 4D, got ${d}D instead`);
    return F.softmax(input, -3);
  }
}

/**
 * nn.RReLU: randomized leaky ReLU (slopes drawn from U(lower, upper) in training, their mean in eval).
 * Args: lower=1/8, upper=1/3, inplace=false.
 */
export class RReLU extends Module {
  lower!: number;
  upper!: number;
  inplace!: boolean;
  constructor(...args: Args<[lower: number, upper: number, inplace: boolean], { lower: number; upper: number; inplace: boolean }>) {
    super();
    const a = parseArgs('RReLU', ['lower', 'upper', 'inplace'], args, { lower: 1 / 8, upper: 1 / 3, inplace: false });
    this.lower = a.lower;
    this.upper = a.upper;
    this.inplace = a.inplace;
  }
  forward(input: Tensor): Tensor {
    return F.rrelu(input, this.lower, this.upper, this.training, this.inplace);
  }
  extra_repr(): string {
    return `lower=${pyFloat(this.lower)}, upper=${pyFloat(this.upper)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/**
 * nn.PReLU: max(0, x) + a·min(0, x) with a learned `a` (one, or one per channel).
 * Args: num_parameters=1, init=0.25, device, dtype.
 */
export class PReLU extends Module {
  num_parameters!: number;
  init!: number;
  weight!: Parameter;
  constructor(...args: Args<[num_parameters: number, init: number, device: DeviceLike | null, dtype: dtype | null], { num_parameters: number; init: number; device: DeviceLike | null; dtype: dtype | null }>) {
    super();
    const a = parseArgs('PReLU', ['num_parameters', 'init', 'device', 'dtype'], args, { num_parameters: 1, init: 0.25 });
    this.num_parameters = positiveInt(a.num_parameters, 'num_parameters', 'PReLU');
    this.init = a.init;
    this.weight = emptyParam([this.num_parameters], a);
    this.reset_parameters();
  }
  reset_parameters(): void {
    init.constant_(this.weight, this.init);
  }
  forward(input: Tensor): Tensor {
    return T(N.a_prelu(input._h, this.weight._h));
  }
  extra_repr(): string {
    return `num_parameters=${this.num_parameters}`;
  }
}
void ops;

// ---- branch nn2: MultiheadAttention (below this line)
