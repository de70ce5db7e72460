/**
 * Recurrent layers (torch/nn/modules/rnn.py): RNN, LSTM, GRU and their cells.
 *
 * Each forward is one native call into the ATen op PyTorch's module calls (torch.lstm / torch.gru /
 * torch.rnn_tanh / torch.rnn_relu with the flat weight list, the padded or the packed-data
 * overload; torch.lstm_cell / gru_cell / rnn_tanh_cell / rnn_relu_cell for the cells). Parameters
 * have PyTorch's names (weight_ih_l0, bias_hh_l1_reverse, weight_hr_l0 …), registration order and
 * default initialization (U(-1/√hidden_size, 1/√hidden_size), drawn in the same order).
 */
import * as torch from '../../generated/ops';
import { Tensor } from '../../tensor';
import { TorchError } from '../../errors';
import { dtype } from '../../dtype';
import { DeviceLike } from '../../device';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { noGrad } from '../_autograd';
import { parseArgs, isOptions, pyFloat, Args } from './utils';
import { PackedSequence } from '../utils/rnn';
import { warn_once, shape_str } from '../utils/_args';

type Mode = 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU';

export interface RNNOptions {
  input_size?: number;
  hidden_size?: number;
  num_layers?: number;
  bias?: boolean;
  batch_first?: boolean;
  dropout?: number;
  bidirectional?: boolean;
  device?: DeviceLike | null;
  dtype?: dtype | null;
}

type RNNPositional = [input_size: number, hidden_size: number, num_layers: number, bias: boolean, batch_first: boolean, dropout: number, bidirectional: boolean];

const BASE_NAMES = ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional', 'proj_size', 'device', 'dtype'];
const BASE_DEFAULTS = { num_layers: 1, bias: true, batch_first: false, dropout: 0.0, bidirectional: false, proj_size: 0, device: null, dtype: null };

function checkIntArg(v: unknown, name: string, f: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${f}: argument '${name}' must be int, not ${typeof v}`);
  return v;
}
function checkBoolArg(v: unknown, name: string, f: string): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${f}: argument '${name}' must be bool, not ${typeof v}`);
  return v;
}

/** Python's tuple repr of an expected size and list repr of an actual size, as RNNBase's messages. */
function sizeMismatch(msg: string, expected: number[], got: number[]): TorchError {
  return new TorchError(msg.replace('{}', shape_str(expected)).replace('{}', `[${got.join(', ')}]`));
}

/**
 * Base class of RNN, LSTM and GRU (torch.nn.RNNBase). Holds the per-layer, per-direction weights
 * and the checks PyTorch makes before calling the ATen op.
 */
export class RNNBase extends Module {
  mode!: Mode;
  input_size!: number;
  hidden_size!: number;
  num_layers!: number;
  bias!: boolean;
  batch_first!: boolean;
  dropout!: number;
  bidirectional!: boolean;
  proj_size!: number;
  /** @internal parameter names in the ATen op's flat-weights order */
  declare _flat_weights_names: string[];
  /** @internal names per layer and direction */
  declare _all_weights: string[][];

  constructor(mode: Mode, ...args: any[]) {
    super();
    const f = `${mode === 'LSTM' ? 'LSTM' : mode === 'GRU' ? 'GRU' : 'RNN'}`;
    const a = parseArgs(f, [...BASE_NAMES, 'nonlinearity'], args, BASE_DEFAULTS, 2);
    this._init(f, mode, a);
  }

  /** @internal */
  _init(f: string, mode: Mode, a: Record<string, any>): void {
    const input_size = checkIntArg(a.input_size, 'input_size', f);
    const hidden_size = checkIntArg(a.hidden_size, 'hidden_size', f);
    const num_layers = checkIntArg(a.num_layers, 'num_layers', f);
    const bias = checkBoolArg(a.bias, 'bias', f);
    const batch_first = checkBoolArg(a.batch_first, 'batch_first', f);
    const bidirectional = checkBoolArg(a.bidirectional, 'bidirectional', f);
    const proj_size = checkIntArg(a.proj_size, 'proj_size', f);
    const dropout = a.dropout;
    this.mode = mode;
    this.input_size = input_size;
    this.hidden_size = hidden_size;
    this.num_layers = num_layers;
    this.bias = bias;
    this.batch_first = batch_first;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
      throw new RangeError('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    }
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    this.proj_size = proj_size;
    Object.defineProperty(this, '_flat_weights_names', { value: [], writable: true, enumerable: false });
    Object.defineProperty(this, '_all_weights', { value: [], writable: true, enumerable: false });
    const num_directions = bidirectional ? 2 : 1;
    if (dropout > 0 && num_layers === 1) {
      warn_once(
        'dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, ' +
          `but got dropout=${pyFloat(dropout)} and num_layers=${num_layers}`,
      );
    }
    if (proj_size < 0) throw new RangeError('proj_size should be a positive integer or zero to disable projections');
    if (proj_size >= hidden_size) throw new RangeError('proj_size has to be smaller than hidden_size');
    const gate_size = mode === 'LSTM' ? 4 * hidden_size : mode === 'GRU' ? 3 * hidden_size : hidden_size;
    const fk = { dtype: a.dtype ?? null, device: a.device ?? null };
    for (let layer = 0; layer < num_layers; layer++) {
      for (let direction = 0; direction < num_directions; direction++) {
        const real_hidden_size = proj_size > 0 ? proj_size : hidden_size;
        const layer_input_size = layer === 0 ? input_size : real_hidden_size * num_directions;
        const w_ih = new Parameter(torch.empty([gate_size, layer_input_size], fk));
        const w_hh = new Parameter(torch.empty([gate_size, real_hidden_size], fk));
        const b_ih = bias ? new Parameter(torch.empty([gate_size], fk)) : null;
        const b_hh = bias ? new Parameter(torch.empty([gate_size], fk)) : null;
        const params: Parameter[] = [w_ih, w_hh];
        const suffix = direction === 1 ? '_reverse' : '';
        const names = [`weight_ih_l${layer}${suffix}`, `weight_hh_l${layer}${suffix}`];
        if (bias) {
          params.push(b_ih!, b_hh!);
          names.push(`bias_ih_l${layer}${suffix}`, `bias_hh_l${layer}${suffix}`);
        }
        if (proj_size > 0) {
          params.push(new Parameter(torch.empty([proj_size, hidden_size], fk)));
          names.push(`weight_hr_l${layer}${suffix}`);
        }
        for (let i = 0; i < names.length; i++) (this as any)[names[i]] = params[i];
        this._flat_weights_names.push(...names);
        this._all_weights.push(names);
      }
    }
    this.reset_parameters();
  }

  /** The parameters in the order the ATen op takes them. */
  get _flat_weights(): Tensor[] {
    return this._flat_weights_names.map((n) => (this as any)[n]);
  }

  /** The parameters per layer and direction, as lists. */
  get all_weights(): Parameter[][] {
    return this._all_weights.map((ws) => ws.map((n) => (this as any)[n]));
  }

  /** A no-op on the CPU (PyTorch uses it to pack weights for cuDNN). */
  flatten_parameters(): void {}

  /** Re-draws every weight from U(-1/√hidden_size, 1/√hidden_size), in registration order. */
  reset_parameters(): void {
    const stdv = this.hidden_size > 0 ? 1.0 / Math.sqrt(this.hidden_size) : 0;
    noGrad(() => {
      for (const w of this.parameters()) w.uniform_(-stdv, stdv);
    });
  }

  /** @internal */
  check_input(input: Tensor, batch_sizes: Tensor | null): void {
    const expected = batch_sizes !== null ? 2 : 3;
    if (input.dim() !== expected) throw new TorchError(`input must have ${expected} dimensions, got ${input.dim()}`);
    if (this.input_size !== input.size(-1)) {
      throw new TorchError(`input.size(-1) must be equal to input_size. Expected ${this.input_size}, got ${input.size(-1)}`);
    }
  }

  /** @internal */
  _mini_batch(input: Tensor, batch_sizes: Tensor | null): number {
    if (batch_sizes !== null) return Number(batch_sizes.select(0, 0).item());
    return this.batch_first ? input.size(0) : input.size(1);
  }

  /** @internal */
  get_expected_hidden_size(input: Tensor, batch_sizes: Tensor | null): number[] {
    const nd = this.bidirectional ? 2 : 1;
    return [this.num_layers * nd, this._mini_batch(input, batch_sizes), this.proj_size > 0 ? this.proj_size : this.hidden_size];
  }

  /** @internal */
  check_hidden_size(hx: Tensor, expected: number[], msg = 'Expected hidden size {}, got {}'): void {
    const s = hx.shape;
    if (s.length !== expected.length || s.some((d, i) => d !== expected[i])) throw sizeMismatch(msg, expected, s);
  }

  /** @internal */
  check_forward_args(input: Tensor, hidden: Tensor, batch_sizes: Tensor | null): void {
    this.check_input(input, batch_sizes);
    this.check_hidden_size(hidden, this.get_expected_hidden_size(input, batch_sizes));
  }

  /** @internal */
  permute_hidden(hx: Tensor, permutation: Tensor | null): Tensor {
    return permutation === null ? hx : hx.index_select(1, permutation);
  }

  extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (this.proj_size !== 0) s += `, proj_size=${this.proj_size}`;
    if (this.num_layers !== 1) s += `, num_layers=${this.num_layers}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    if (this.batch_first !== false) s += `, batch_first=${pyBool(this.batch_first)}`;
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional !== false) s += `, bidirectional=${pyBool(this.bidirectional)}`;
    return s;
  }

  /** @internal The GRU/RNN forward (one hidden tensor). */
  _forward_single(input: Tensor | PackedSequence, hx: Tensor | null | undefined): [Tensor | PackedSequence, Tensor] {
    const name = this._get_name();
    let x: Tensor;
    let batch_sizes: Tensor | null = null;
    let sorted_indices: Tensor | null = null;
    let unsorted_indices: Tensor | null = null;
    let max_batch_size: number;
    let is_batched = true;
    const batch_dim = this.batch_first ? 0 : 1;
    hx = hx ?? null;
    if (input instanceof PackedSequence) {
      x = input.data;
      batch_sizes = input.batch_sizes;
      sorted_indices = input.sorted_indices;
      unsorted_indices = input.unsorted_indices;
      max_batch_size = Number(batch_sizes.select(0, 0).item());
    } else {
      if (!(input instanceof Tensor)) throw new TypeError(`${name}.forward(): argument 'input' must be Tensor or PackedSequence`);
      x = input;
      is_batched = x.dim() === 3;
      if (!is_batched) {
        x = x.unsqueeze(batch_dim);
        if (hx !== null) {
          if (hx.dim() !== 2) throw new TorchError(`For unbatched 2-D input, hx should also be 2-D but got ${hx.dim()}-D tensor`);
          hx = hx.unsqueeze(1);
        }
      } else if (hx !== null && hx.dim() !== 3) {
        throw new TorchError(`For batched 3-D input, hx should also be 3-D but got ${hx.dim()}-D tensor`);
      }
      max_batch_size = this.batch_first ? x.size(0) : x.size(1);
    }
    if (hx === null) {
      const nd = this.bidirectional ? 2 : 1;
      hx = torch.zeros([this.num_layers * nd, max_batch_size, this.hidden_size], { dtype: x.dtype, device: x.device });
    } else {
      hx = this.permute_hidden(hx, sorted_indices);
    }
    this.check_forward_args(x, hx, batch_sizes);
    const op: (...a: any[]) => [Tensor, Tensor] = this.mode === 'GRU' ? torch.gru : this.mode === 'RNN_TANH' ? torch.rnn_tanh : torch.rnn_relu;
    const w = this._flat_weights;
    const r = batch_sizes === null
      ? op(x, hx, w, this.bias, this.num_layers, this.dropout, this.training, this.bidirectional, this.batch_first)
      : op(x, batch_sizes, hx, w, this.bias, this.num_layers, this.dropout, this.training, this.bidirectional);
    let output = r[0];
    let hidden = r[1];
    if (input instanceof PackedSequence) {
      return [new PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices), this.permute_hidden(hidden, unsorted_indices)];
    }
    if (!is_batched) {
      output = output.squeeze(batch_dim);
      hidden = hidden.squeeze(1);
    }
    return [output, this.permute_hidden(hidden, unsorted_indices)];
  }
}

function pyBool(v: boolean): string {
  return v ? 'True' : 'False';
}

function rejectProjSize(args: any[], cls: string): void {
  const last = args[args.length - 1];
  if (isOptions(last) && 'proj_size' in last) throw new RangeError(`proj_size argument is only supported for LSTM, not RNN or GRU`);
  void cls;
}

/**
 * nn.RNN(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
 * bidirectional=False, {nonlinearity='tanh', device, dtype}): a multi-layer Elman RNN,
 * h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh).
 *
 * Args:
 *   input_size, hidden_size: feature counts of x and h.
 *   num_layers: stacked layers. nonlinearity: 'tanh' | 'relu'.
 *   batch_first: input/output as (N, L, H) instead of (L, N, H).
 *   dropout: dropout on the outputs of each layer except the last (training only).
 *   bidirectional: run a second, reversed direction.
 *
 * Shape: input (L, N, H_in) / (N, L, H_in) / unbatched (L, H_in), or a PackedSequence;
 * h_0 (D * num_layers, N, H_out). Returns [output, h_n].
 *
 * Example:
 *   const rnn = new nn.RNN(10, 20, 2);
 *   const [output, hn] = rnn(torch.randn(5, 3, 10), torch.randn(2, 3, 20));
 */
export class RNN extends RNNBase {
  nonlinearity!: string;
  constructor(...args: Args<RNNPositional, RNNOptions & { nonlinearity?: 'tanh' | 'relu' }>);
  constructor(...args: any[]) {
    rejectProjSize(args, 'RNN');
    const last = args[args.length - 1];
    const nl = isOptions(last) && last.nonlinearity !== undefined ? last.nonlinearity : 'tanh';
    if (nl !== 'tanh' && nl !== 'relu') throw new RangeError(`Unknown nonlinearity '${nl}'`);
    super(nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', ...args);
    this.nonlinearity = nl;
  }
  forward(input: Tensor | PackedSequence, hx?: Tensor | null): [any, Tensor] {
    return this._forward_single(input, hx);
  }
}

/**
 * nn.GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
 * bidirectional=False, {device, dtype}): a multi-layer gated recurrent unit RNN.
 *
 * Shape: as nn.RNN. Returns [output, h_n].
 *
 * Example:
 *   const gru = new nn.GRU({input_size: 10, hidden_size: 20, num_layers: 2});
 *   const [output, hn] = gru(torch.randn(5, 3, 10));
 */
export class GRU extends RNNBase {
  constructor(...args: Args<RNNPositional, RNNOptions>);
  constructor(...args: any[]) {
    rejectProjSize(args, 'GRU');
    const last = args[args.length - 1];
    if (isOptions(last) && 'nonlinearity' in last) throw new TypeError("GRU() got an unexpected keyword argument 'nonlinearity'");
    super('GRU', ...args);
  }
  forward(input: Tensor | PackedSequence, hx?: Tensor | null): [any, Tensor] {
    return this._forward_single(input, hx);
  }
}

/**
 * nn.LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
 * bidirectional=False, proj_size=0, {device, dtype}): a multi-layer long short-term memory RNN;
 * with proj_size > 0, an LSTM with projections (h_t = W_hr h_t).
 *
 * Shape: input as nn.RNN; (h_0 (D * num_layers, N, H_out), c_0 (D * num_layers, N, H_cell)).
 * Returns [output, [h_n, c_n]].
 *
 * Example:
 *   const lstm = new nn.LSTM(10, 20, 2);
 *   const [output, [hn, cn]] = lstm(torch.randn(5, 3, 10), [torch.randn(2, 3, 20), torch.randn(2, 3, 20)]);
 */
export class LSTM extends RNNBase {
  constructor(...args: Args<[...RNNPositional, proj_size: number], RNNOptions & { proj_size?: number }>);
  constructor(...args: any[]) {
    const last = args[args.length - 1];
    if (isOptions(last) && 'nonlinearity' in last) throw new TypeError("LSTM() got an unexpected keyword argument 'nonlinearity'");
    super('LSTM', ...args);
  }

  /** @internal */
  get_expected_cell_size(input: Tensor, batch_sizes: Tensor | null): number[] {
    const nd = this.bidirectional ? 2 : 1;
    return [this.num_layers * nd, this._mini_batch(input, batch_sizes), this.hidden_size];
  }

  /** @internal */
  check_forward_args(input: Tensor, hidden: any, batch_sizes: Tensor | null): void {
    this.check_input(input, batch_sizes);
    this.check_hidden_size(hidden[0], this.get_expected_hidden_size(input, batch_sizes), 'Expected hidden[0] size {}, got {}');
    this.check_hidden_size(hidden[1], this.get_expected_cell_size(input, batch_sizes), 'Expected hidden[1] size {}, got {}');
  }

  /** @internal */
  permute_hidden(hx: any, permutation: Tensor | null): any {
    if (permutation === null) return hx;
    return [hx[0].index_select(1, permutation), hx[1].index_select(1, permutation)];
  }

  forward(input: Tensor | PackedSequence, hx?: [Tensor, Tensor] | null): [any, [Tensor, Tensor]] {
    let x: Tensor;
    let batch_sizes: Tensor | null = null;
    let sorted_indices: Tensor | null = null;
    let unsorted_indices: Tensor | null = null;
    let max_batch_size: number;
    let is_batched = true;
    const nd = this.bidirectional ? 2 : 1;
    const real_hidden_size = this.proj_size > 0 ? this.proj_size : this.hidden_size;
    const batch_dim = this.batch_first ? 0 : 1;
    let h: [Tensor, Tensor] | null = hx ?? null;
    if (h !== null && (!Array.isArray(h) || h.length !== 2 || !(h[0] instanceof Tensor) || !(h[1] instanceof Tensor))) {
      throw new TypeError('LSTM.forward(): hx must be a pair [h_0, c_0] of Tensors');
    }
    if (input instanceof PackedSequence) {
      x = input.data;
      batch_sizes = input.batch_sizes;
      sorted_indices = input.sorted_indices;
      unsorted_indices = input.unsorted_indices;
      max_batch_size = Number(batch_sizes.select(0, 0).item());
      if (h !== null) h = this.permute_hidden(h, sorted_indices);
    } else {
      if (!(input instanceof Tensor)) throw new TypeError("LSTM.forward(): argument 'input' must be Tensor or PackedSequence");
      x = input;
      if (x.dim() !== 2 && x.dim() !== 3) throw new TorchError(`LSTM: Expected input to be 2-D or 3-D but received ${x.dim()}-D tensor`);
      is_batched = x.dim() === 3;
      if (!is_batched) x = x.unsqueeze(batch_dim);
      max_batch_size = this.batch_first ? x.size(0) : x.size(1);
      if (h !== null) {
        if (is_batched) {
          if (h[0].dim() !== 3 || h[1].dim() !== 3) {
            throw new TorchError(`For batched 3-D input, hx and cx should also be 3-D but got (${h[0].dim()}-D, ${h[1].dim()}-D) tensors`);
          }
        } else {
          if (h[0].dim() !== 2 || h[1].dim() !== 2) {
            throw new TorchError(`For unbatched 2-D input, hx and cx should also be 2-D but got (${h[0].dim()}-D, ${h[1].dim()}-D) tensors`);
          }
          h = [h[0].unsqueeze(1), h[1].unsqueeze(1)];
        }
      }
    }
    if (h === null) {
      const fo = { dtype: x.dtype, device: x.device };
      h = [torch.zeros([this.num_layers * nd, max_batch_size, real_hidden_size], fo), torch.zeros([this.num_layers * nd, max_batch_size, this.hidden_size], fo)];
    }
    this.check_forward_args(x, h, batch_sizes);
    const w = this._flat_weights;
    const r = batch_sizes === null
      ? torch.lstm(x, h, w, this.bias, this.num_layers, this.dropout, this.training, this.bidirectional, this.batch_first)
      : torch.lstm(x, batch_sizes, h, w, this.bias, this.num_layers, this.dropout, this.training, this.bidirectional);
    let output = r[0];
    let hidden: [Tensor, Tensor] = [r[1], r[2]];
    if (input instanceof PackedSequence) {
      return [new PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices), this.permute_hidden(hidden, unsorted_indices)];
    }
    if (!is_batched) {
      output = output.squeeze(batch_dim);
      hidden = [hidden[0].squeeze(1), hidden[1].squeeze(1)];
    }
    return [output, this.permute_hidden(hidden, unsorted_indices)];
  }
}

// ====================================================================== cells

export interface RNNCellOptions {
  input_size?: number;
  hidden_size?: number;
  bias?: boolean;
  device?: DeviceLike | null;
  dtype?: dtype | null;
}

/** Base class of RNNCell, LSTMCell and GRUCell (torch.nn.RNNCellBase). */
export class RNNCellBase extends Module {
  input_size!: number;
  hidden_size!: number;
  bias!: boolean;
  declare weight_ih: Parameter;
  declare weight_hh: Parameter;
  declare bias_ih: Parameter | null;
  declare bias_hh: Parameter | null;

  /** @internal */
  _init(f: string, a: Record<string, any>, num_chunks: number): void {
    const input_size = checkIntArg(a.input_size, 'input_size', f);
    const hidden_size = checkIntArg(a.hidden_size, 'hidden_size', f);
    const bias = checkBoolArg(a.bias, 'bias', f);
    this.input_size = input_size;
    this.hidden_size = hidden_size;
    this.bias = bias;
    const fk = { dtype: a.dtype ?? null, device: a.device ?? null };
    this.weight_ih = new Parameter(torch.empty([num_chunks * hidden_size, input_size], fk));
    this.weight_hh = new Parameter(torch.empty([num_chunks * hidden_size, hidden_size], fk));
    if (bias) {
      this.bias_ih = new Parameter(torch.empty([num_chunks * hidden_size], fk));
      this.bias_hh = new Parameter(torch.empty([num_chunks * hidden_size], fk));
    } else {
      this.register_parameter('bias_ih', null);
      this.register_parameter('bias_hh', null);
    }
    this.reset_parameters();
  }

  extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    const nl = (this as any).nonlinearity;
    if (nl !== undefined && nl !== 'tanh') s += `, nonlinearity=${nl}`;
    return s;
  }

  /** Re-draws every weight from U(-1/√hidden_size, 1/√hidden_size), in registration order. */
  reset_parameters(): void {
    const stdv = this.hidden_size > 0 ? 1.0 / Math.sqrt(this.hidden_size) : 0;
    noGrad(() => {
      for (const w of this.parameters()) w.uniform_(-stdv, stdv);
    });
  }

  /** @internal checks the input rank and adds the batch dimension to unbatched input. */
  _prep(input: Tensor): [Tensor, boolean] {
    if (!(input instanceof Tensor)) throw new TypeError(`${this._get_name()}.forward(): argument 'input' must be Tensor`);
    if (input.dim() !== 1 && input.dim() !== 2) {
      throw new TorchError(`${this._get_name()}: Expected input to be 1-D or 2-D but received ${input.dim()}-D tensor`);
    }
    const is_batched = input.dim() === 2;
    return [is_batched ? input : input.unsqueeze(0), is_batched];
  }
}

const CELL_NAMES = ['input_size', 'hidden_size', 'bias', 'device', 'dtype'];

/**
 * nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh', {device, dtype}): one Elman
 * RNN step, h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh).
 *
 * Shape: input (N, H_in) or (H_in); hidden (N, H_out) or (H_out) (default zeros) → h' of hidden's shape.
 */
export class RNNCell extends RNNCellBase {
  nonlinearity!: string;
  constructor(...args: Args<[input_size: number, hidden_size: number, bias: boolean, nonlinearity: 'tanh' | 'relu'], RNNCellOptions & { nonlinearity?: 'tanh' | 'relu' }>);
  constructor(...args: any[]) {
    super();
    const f = 'RNNCell';
    const a = parseArgs(f, ['input_size', 'hidden_size', 'bias', 'nonlinearity', 'device', 'dtype'], args, { bias: true, nonlinearity: 'tanh', device: null, dtype: null }, 2);
    this._init(f, a, 1);
    this.nonlinearity = a.nonlinearity;
  }
  forward(input: Tensor, hx?: Tensor | null): Tensor {
    const [x, is_batched] = this._prep(input);
    let h: Tensor;
    if (hx === null || hx === undefined) h = torch.zeros([x.size(0), this.hidden_size], { dtype: x.dtype, device: x.device });
    else h = is_batched ? hx : hx.unsqueeze(0);
    let ret: Tensor;
    if (this.nonlinearity === 'tanh') ret = torch.rnn_tanh_cell(x, h, this.weight_ih, this.weight_hh, this.bias_ih, this.bias_hh);
    else if (this.nonlinearity === 'relu') ret = torch.rnn_relu_cell(x, h, this.weight_ih, this.weight_hh, this.bias_ih, this.bias_hh);
    else throw new TorchError(`Unknown nonlinearity: ${this.nonlinearity}`);
    return is_batched ? ret : ret.squeeze(0);
  }
}

/**
 * nn.LSTMCell(input_size, hidden_size, bias=True, {device, dtype}): one LSTM step.
 *
 * Shape: input (N, H_in) or (H_in); hx = [h_0, c_0], each (N, H) or (H) (default zeros).
 * Returns [h_1, c_1].
 */
export class LSTMCell extends RNNCellBase {
  constructor(...args: Args<[input_size: number, hidden_size: number, bias: boolean], RNNCellOptions>);
  constructor(...args: any[]) {
    super();
    const f = 'LSTMCell';
    const a = parseArgs(f, CELL_NAMES, args, { bias: true, device: null, dtype: null }, 2);
    this._init(f, a, 4);
  }
  forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, Tensor] {
    const [x, is_batched] = this._prep(input);
    let h: [Tensor, Tensor];
    if (hx === null || hx === undefined) {
      const zeros = torch.zeros([x.size(0), this.hidden_size], { dtype: x.dtype, device: x.device });
      h = [zeros, zeros];
    } else {
      if (!Array.isArray(hx) || hx.length !== 2) throw new TypeError('LSTMCell.forward(): hx must be a pair [h_0, c_0] of Tensors');
      h = is_batched ? hx : [hx[0].unsqueeze(0), hx[1].unsqueeze(0)];
    }
    const ret = torch.lstm_cell(x, h, this.weight_ih, this.weight_hh, this.bias_ih, this.bias_hh);
    return is_batched ? ret : [ret[0].squeeze(0), ret[1].squeeze(0)];
  }
}

/**
 * nn.GRUCell(input_size, hidden_size, bias=True, {device, dtype}): one GRU step.
 *
 * Shape: input (N, H_in) or (H_in); hidden (N, H) or (H) (default zeros) → h' of hidden's shape.
 */
export class GRUCell extends RNNCellBase {
  constructor(...args: Args<[input_size: number, hidden_size: number, bias: boolean], RNNCellOptions>);
  constructor(...args: any[]) {
    super();
    const f = 'GRUCell';
    const a = parseArgs(f, CELL_NAMES, args, { bias: true, device: null, dtype: null }, 2);
    this._init(f, a, 3);
  }
  forward(input: Tensor, hx?: Tensor | null): Tensor {
    const [x, is_batched] = this._prep(input);
    let h: Tensor;
    if (hx === null || hx === undefined) h = torch.zeros([x.size(0), this.hidden_size], { dtype: x.dtype, device: x.device });
    else h = is_batched ? hx : hx.unsqueeze(0);
    const ret = torch.gru_cell(x, h, this.weight_ih, this.weight_hh, this.bias_ih, this.bias_hh);
    return is_batched ? ret : ret.squeeze(0);
  }
}
