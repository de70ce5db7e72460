/**
 * torch.ao.nn.quantized.dynamic: Linear, LSTM, GRU, LSTMCell, GRUCell, RNNCell with int8 (qint8)
 * or float16 weights and float activations, as PyTorch's. Weights are packed by libtorch's
 * quantized engine (torch.backends.quantized.engine) when the module is built; every forward is
 * one native call into libtorch's quantized kernels (quantized::linear_dynamic,
 * aten::quantized_lstm / quantized_gru, quantized::quantized_*_cell_dynamic).
 *
 * Usually made by torch.quantization.quantize_dynamic(model); `from_float(mod)` converts one layer.
 */
import { native } from '../binding';
import { Tensor } from '../tensor';
import { describe } from '../_utils';
import { dtype, qint8, float16, float32, int64 } from '../dtype';
import { TorchError } from '../errors';
import { Module } from '../nn/module';
import * as ops from '../generated/ops';
import { tensor } from '../creation';
import { ModuleList } from '../nn/modules/container';
import './qtensor';
import { ScriptObject, tuple } from '../serialization/pickle';
import { NativeObject } from '../_native_object';

// ------------------------------------------------------------------ packed weights

const freePacked = (id: number): void => native._qp_free(id);

function prepackLinear(weight: Tensor, bias: Tensor | null, dt: dtype): number {
  if (dt !== qint8 && dt !== float16) throw new TorchError(`Unsupported dtype on dynamic quantized linear: ${dt}`);
  return native._qp_linear_prepack(weight._h, bias === null ? null : bias._h, dt === float16);
}

/**
 * @internal Packed weights of one linear map (a LinearPackedParamsBase in libtorch), owned by JS
 * (a NativeObject: freed when dispose()d or collected). Jobs in flight keep their own reference.
 */
export class PackedLinear extends NativeObject {
  readonly dtype: dtype;
  constructor(weight: Tensor, bias: Tensor | null, dtype: dtype) {
    super(prepackLinear(weight, bias, dtype), freePacked);
    this.dtype = dtype;
  }
  /** The id in the native table of packed weights. */
  get id(): number {
    return this._id;
  }
  /** [weight (qint8 quantized, or float32 for float16), bias | null], as libtorch unpacks them. */
  unpack(): [Tensor, Tensor | null] {
    const [w, b] = native._qp_linear_unpack(this.id, this.dtype === float16) as [number, number | null];
    const wt = new Tensor(w);
    return [wt, b === null ? null : new Tensor(b)];
  }
}

function packCell(ih: PackedLinear, hh: PackedLinear, b_ih: Tensor | null, b_hh: Tensor | null): number {
  const fp16 = ih.dtype === float16;
  if (!fp16 && (b_ih === null || b_hh === null)) throw new TorchError('dynamic quantized RNNs need biases (PyTorch asserts mod.bias)');
  return native._qp_cell_params(ih.id, hh.id, b_ih?._h ?? null, b_hh?._h ?? null, fp16);
}

/** @internal Cell parameters of one RNN layer and direction (a CellParamsBase in libtorch). */
class PackedCell extends NativeObject {
  readonly ih: PackedLinear;
  readonly hh: PackedLinear;
  readonly b_ih: Tensor | null;
  readonly b_hh: Tensor | null;
  constructor(ih: PackedLinear, hh: PackedLinear, b_ih: Tensor | null, b_hh: Tensor | null) {
    super(packCell(ih, hh, b_ih, b_hh), freePacked);
    this.ih = ih;
    this.hh = hh;
    this.b_ih = b_ih;
    this.b_hh = b_hh;
  }
  /** The id in the native table of packed weights. */
  get id(): number {
    return this._id;
  }
  /** Frees the cell and the two packed linear maps it was made from. */
  dispose(): void {
    super.dispose();
    this.ih.dispose();
    this.hh.dispose();
  }
}

/** The weight quantization of PyTorch's default dynamic qconfig (MinMaxObserver, per-tensor symmetric qint8). */
function quantizeWeight(w: Tensor, dt: dtype): Tensor {
  if (dt === qint8) return new Tensor(native._q_quantize_weight(w._h));
  return w.detach().to(float32);
}

function checkDtype(dt: unknown): dtype {
  if (dt !== qint8 && dt !== float16) {
    throw new TorchError(`Unsupported dtype for dynamic quantization: ${dt instanceof dtype ? dt : describe(dt)} (torch.qint8 or torch.float16)`);
  }
  return dt as dtype;
}

function hidden(o: object, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: false, configurable: true });
}

/** PyTorch's printout of a dtype/bool/number inside extra_repr. */
const py = (v: unknown): string => (v === true ? 'True' : v === false ? 'False' : String(v));

/** The float layer a from_float() reads: nn.Linear/LSTM/GRU/…Cell or an object with their fields. */
type FloatLike = Record<string, any>;

function weightDtypeOf(mod: FloatLike, dt?: dtype): dtype {
  const q = mod.qconfig;
  if (dt) return checkDtype(dt);
  if (q && q.weight_dtype) return checkDtype(q.weight_dtype);
  return qint8;
}

// ------------------------------------------------------------------ Linear

/** @internal nnq.LinearPackedParams: the child module holding a Linear's packed weights. */
export class LinearPackedParams extends Module {
  static _version = 3;
  declare dtype: dtype;
  declare _packed: PackedLinear;
  constructor(dt: dtype = qint8) {
    super();
    hidden(this, 'dtype', checkDtype(dt));
    this.training = false; // holds no state a forward could update
  }
  set_weight_bias(weight: Tensor, bias: Tensor | null): void {
    const old = (this as any)._packed as PackedLinear | undefined;
    hidden(this, '_packed', new PackedLinear(weight, bias, this.dtype));
    if (old) old.dispose();
  }
  _weight_bias(): [Tensor, Tensor | null] {
    return this._packed.unpack();
  }
  _save_to_state_dict(destination: Record<string, any>, prefix: string, keep_vars: boolean): void {
    super._save_to_state_dict(destination, prefix, keep_vars);
    destination[prefix + 'dtype'] = this.dtype;
    destination[prefix + '_packed_params'] = tuple(this._weight_bias());
  }
  _load_from_state_dict(sd: Map<string, any>, prefix: string, _meta: Record<string, unknown>, strict: boolean,
    missing: string[], unexpected: string[], errors: string[]): void {
    if (sd.has(prefix + 'dtype')) hidden(this, 'dtype', checkDtype(sd.get(prefix + 'dtype')));
    const wb = sd.get(prefix + '_packed_params');
    if (wb === undefined) {
      if (strict) missing.push(prefix + '_packed_params');
    } else if (!Array.isArray(wb) || !(wb[0] instanceof Tensor)) {
      errors.push(`While copying the parameter named "${prefix}_packed_params", expected [weight, bias] but received ${describe(wb)}`);
    } else {
      try {
        this.set_weight_bias(wb[0], wb[1] ?? null);
      } catch (e) {
        errors.push(`While loading "${prefix}_packed_params": ${(e as Error).message}`);
      }
    }
    super._load_from_state_dict(sd, prefix, _meta, false, missing, unexpected, errors);
  }
  _get_name(): string {
    return 'LinearPackedParams';
  }
  _packed_ids(): number[] {
    return [this._packed.id];
  }
}

/**
 * torch.ao.nn.quantized.dynamic.Linear (printed DynamicQuantizedLinear): y = x Wᵀ + b with W in
 * int8 (quantized per tensor) or float16; x is quantized on the fly per batch.
 *
 * Args: in_features, out_features, bias_ (default true), dtype (torch.qint8 | torch.float16).
 * Shape: input (*, in_features) → output (*, out_features).
 *
 * Example:
 *   const q = torch.ao.nn.quantized.dynamic.Linear.from_float(new nn.Linear(20, 30));
 *   const y = q(torch.randn(128, 20));
 */
export class Linear extends Module {
  static _version = 4;
  declare in_features: number;
  declare out_features: number;
  declare scale: number;
  declare zero_point: number;
  declare version: number;
  declare _packed_params: LinearPackedParams;
  constructor(in_features: number, out_features: number, bias_: boolean = true, dt: dtype = qint8) {
    super();
    checkDtype(dt);
    hidden(this, 'in_features', in_features);
    hidden(this, 'out_features', out_features);
    hidden(this, 'scale', 1.0);
    hidden(this, 'zero_point', 0);
    hidden(this, 'version', 4);
    this.training = false;
    const pp = new LinearPackedParams(dt);
    const w = dt === qint8 ? ops.quantize_per_tensor(ops.zeros([out_features, in_features]), 1.0, 0, qint8) : ops.zeros([out_features, in_features]);
    pp.set_weight_bias(w, bias_ ? ops.zeros([out_features]) : null);
    this._packed_params = pp;
  }

  forward(x: Tensor): Tensor {
    const pp = this._packed_params;
    let y: number;
    if (pp.dtype === qint8) y = native._q_linear_dynamic(x._h, pp._packed.id, this.version !== undefined && this.version !== null && this.version >= 4);
    else y = native._q_linear_dynamic_fp16(x._h, pp._packed.id);
    const out = new Tensor(y);
    return out.dtype === x.dtype ? out : out.to(x.dtype);
  }

  /** The weight: a qint8 quantized tensor (float32 for float16 modules). */
  weight(): Tensor {
    return this._packed_params._weight_bias()[0];
  }
  /** The float bias, or null. */
  bias(): Tensor | null {
    return this._packed_params._weight_bias()[1];
  }
  /** Replaces the weights: w is quantized (qint8 modules) or float (float16 modules). */
  set_weight_bias(w: Tensor, b: Tensor | null): void {
    this._packed_params.set_weight_bias(w, b);
  }
  _save_to_state_dict(destination: Record<string, any>, prefix: string, keep_vars: boolean): void {
    super._save_to_state_dict(destination, prefix, keep_vars);
    destination[prefix + 'scale'] = tensor(this.scale);
    destination[prefix + 'zero_point'] = tensor(BigInt(this.zero_point));
  }
  _load_from_state_dict(sd: Map<string, any>, prefix: string, meta: Record<string, unknown>, _strict: boolean,
    missing: string[], unexpected: string[], errors: string[]): void {
    const s = sd.get(prefix + 'scale');
    const z = sd.get(prefix + 'zero_point');
    if (s instanceof Tensor) hidden(this, 'scale', s.item());
    if (z instanceof Tensor) hidden(this, 'zero_point', Number(z.item()));
    if (typeof meta.version === 'number') hidden(this, 'version', meta.version);
    const rest = new Map([...sd].filter(([k]) => k !== prefix + 'scale' && k !== prefix + 'zero_point'));
    super._load_from_state_dict(rest, prefix, meta, false, missing, unexpected, errors);
  }
  _get_name(): string {
    return 'DynamicQuantizedLinear';
  }
  /** PyTorch hides the LinearPackedParams child from the printout. */
  toString(): string {
    return `${this._get_name()}(${this.extra_repr()})`;
  }
  extra_repr(): string {
    const dt = this._packed_params.dtype;
    let s = `in_features=${this.in_features}, out_features=${this.out_features}, dtype=${dt}`;
    if (dt === qint8) s += `, qscheme=${this.weight().qscheme()}`;
    return s;
  }

  /**
   * Makes a dynamic quantized Linear from a float one (nn.Linear, or any object with weight, bias,
   * in_features, out_features), with the weight dtype of its qconfig (default torch.qint8).
   */
  static from_float(mod: FloatLike, dt?: dtype): Linear {
    const wdt = weightDtypeOf(mod, dt);
    const q = new Linear(mod.in_features, mod.out_features, mod.bias != null, wdt);
    q.set_weight_bias(quantizeWeight(mod.weight, wdt), mod.bias ?? null);
    return q;
  }
}

// ------------------------------------------------------------------ RNNs

/** @internal nn.quantized.dynamic PackedParameter: the child holding one layer's cell params. */
export class PackedParameter extends Module {
  declare param: PackedCell;
  constructor(param: PackedCell) {
    super();
    hidden(this, 'param', param);
    this.training = false;
  }
  _save_to_state_dict(destination: Record<string, any>, prefix: string, keep_vars: boolean): void {
    super._save_to_state_dict(destination, prefix, keep_vars);
    destination[prefix + 'param'] = cellState(this.param);
  }
  _load_from_state_dict(sd: Map<string, any>, prefix: string, meta: Record<string, unknown>, strict: boolean,
    missing: string[], unexpected: string[], errors: string[]): void {
    const v = sd.get(prefix + 'param');
    if (v === undefined) {
      if (strict) missing.push(prefix + 'param');
    } else {
      try {
        const old = this.param;
        hidden(this, 'param', cellFromState(v));
        old.dispose();
      } catch (e) {
        errors.push(`While loading "${prefix}param": ${(e as Error).message}`);
      }
    }
    super._load_from_state_dict(sd, prefix, meta, false, missing, unexpected, errors);
  }
  _packed_ids(): number[] {
    return [this.param.id, this.param.ih.id, this.param.hh.id];
  }
}

const CELL_CLASS = '__torch__.torch.classes.rnn.CellParamsBase';
const LINEAR_CLASS = '__torch__.torch.classes.quantized.LinearPackedParamsBase';

/**
 * A cell's packed parameters as they appear in a state_dict: a ScriptObject with the state of
 * PyTorch's CellParamsBase.__getstate__() (torch.save writes it as Python does, so Python's
 * torch.load reads it), each LinearPackedParamsBase a ScriptObject with state (weight, bias):
 *   ('quantized_dynamic', [b_ih, b_hh], [], [reduce_range=1], [(w_ih, b_ih), (w_hh, b_hh)])
 *   ('quantized_fp16', [], [], [], [(w_ih, b_ih), (w_hh, b_hh)])
 * torch.load gives back the bare states (ScriptObjects load as their state), also accepted here.
 */
function cellState(c: PackedCell): ScriptObject {
  const packs = [c.ih.unpack(), c.hh.unpack()].map((wb) => new ScriptObject(LINEAR_CLASS, tuple(wb)));
  if (c.ih.dtype === float16) return new ScriptObject(CELL_CLASS, tuple(['quantized_fp16', [], [], [], packs]));
  return new ScriptObject(CELL_CLASS, tuple(['quantized_dynamic', [c.b_ih, c.b_hh], [], [1], packs]));
}

function cellFromState(s0: unknown): PackedCell {
  const unwrap = (v: unknown): unknown => (v instanceof ScriptObject ? v.state : v);
  let s = unwrap(s0);
  if (Array.isArray(s) && Array.isArray(s[4])) s = [...s.slice(0, 4), (s[4] as unknown[]).map(unwrap)];
  if (!Array.isArray(s) || (s[0] !== 'quantized_dynamic' && s[0] !== 'quantized_fp16') || !Array.isArray(s[4]) || s[4].length !== 2) {
    throw new TorchError(`expected the state of quantized cell parameters (['quantized_dynamic' | 'quantized_fp16', …]), got ${describe(s)}`);
  }
  const dt = s[0] === 'quantized_fp16' ? float16 : qint8;
  const [[wi, bi], [wh, bh]] = s[4] as [Tensor, Tensor | null][];
  const ih = new PackedLinear(wi, bi ?? null, dt);
  const hh = new PackedLinear(wh, bh ?? null, dt);
  const biases = (s[1] as Tensor[]) ?? [];
  return new PackedCell(ih, hh, biases[0] ?? bi ?? null, biases[1] ?? bh ?? null);
}

function makeCell(w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | null, b_hh: Tensor | null, dt: dtype): PackedCell {
  const ih = new PackedLinear(quantizeWeight(w_ih, dt), b_ih, dt);
  const hh = new PackedLinear(quantizeWeight(w_hh, dt), b_hh, dt);
  return new PackedCell(ih, hh, b_ih, b_hh);
}

const sizeStr = (s: number[]): string => `[${s.join(', ')}]`;

/** Base of dynamic quantized LSTM and GRU (torch.ao.nn.quantized.dynamic.RNNBase). */
export class RNNBase extends Module {
  static _version = 2;
  declare mode: string;
  declare input_size: number;
  declare hidden_size: number;
  declare num_layers: number;
  declare bias: boolean;
  declare batch_first: boolean;
  declare dropout: number;
  declare bidirectional: boolean;
  declare dtype: dtype;
  declare version: number;
  declare _all_weight_values: Module;

  constructor(mode: string, input_size: number, hidden_size: number, num_layers = 1, bias = true, batch_first = false,
    dropout = 0, bidirectional = false, dt: dtype = qint8) {
    super();
    if (mode !== 'LSTM' && mode !== 'GRU') throw new RangeError(`Unrecognized RNN mode: ${mode}`);
    if (typeof dropout !== 'number' || dropout < 0 || dropout > 1) {
      throw new RangeError('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    }
    checkDtype(dt);
    for (const [k, v] of Object.entries({ mode, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dtype: dt, version: 2 })) hidden(this, k, v);
    this.training = false;
    const gate = (mode === 'LSTM' ? 4 : 3) * hidden_size;
    const dirs = bidirectional ? 2 : 1;
    const cells: PackedCell[] = [];
    for (let layer = 0; layer < num_layers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const inSize = layer === 0 ? input_size : hidden_size * dirs;
        cells.push(makeCell(ops.randn([gate, inSize]), ops.randn([gate, hidden_size]), ops.randn([gate]), ops.randn([gate]), dt));
      }
    }
    this._setCells(cells);
  }

  /** @internal */
  _setCells(cells: PackedCell[]): void {
    const old = (this as any)._all_weight_values as Module | undefined;
    this._all_weight_values = new ModuleList(cells.map((c) => new PackedParameter(c)));
    this._all_weight_values.training = false;
    if (old) for (const m of old.children()) (m as PackedParameter).param.dispose();
  }
  /** @internal */
  _cells(): PackedCell[] {
    return this._all_weight_values.children().map((m) => (m as PackedParameter).param);
  }

  _get_name(): string {
    return 'DynamicQuantizedRNN';
  }
  extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (this.num_layers !== 1) s += `, num_layers=${this.num_layers}`;
    if (this.bias !== true) s += `, bias=${py(this.bias)}`;
    if (this.batch_first !== false) s += `, batch_first=${py(this.batch_first)}`;
    if (this.dropout !== 0) s += `, dropout=${this.dropout}`;
    if (this.bidirectional !== false) s += `, bidirectional=${py(this.bidirectional)}`;
    return s;
  }
  /** PyTorch hides the packed-parameter children from the printout. */
  toString(): string {
    return `${this._get_name()}(${this.extra_repr()})`;
  }

  /** @internal */
  _check_input(input: Tensor): void {
    if (input.dim() !== 3) throw new TorchError(`input must have 3 dimensions, got ${input.dim()}`);
    const last = input.size(-1);
    if (this.input_size !== last) throw new TorchError(`input.size(-1) must be equal to input_size. Expected ${this.input_size}, got ${last}`);
  }
  /** @internal */
  _check_hidden(hx: Tensor, expected: number[], label: string): void {
    const s = hx.shape;
    if (s.length !== expected.length || s.some((d, i) => d !== expected[i])) {
      throw new TorchError(`Expected ${label} size (${expected.join(', ')}), got ${sizeStr(s)}`);
    }
  }
  /** @internal */
  _expected_hidden(input: Tensor): number[] {
    const mb = this.batch_first ? input.size(0) : input.size(1);
    return [this.num_layers * (this.bidirectional ? 2 : 1), mb, this.hidden_size];
  }

  /** {weight_ih_l0: qint8 tensor, weight_hh_l0, …} as PyTorch's get_weight(). */
  get_weight(): Record<string, Tensor> {
    return this._weight_bias().weight;
  }
  /** {bias_ih_l0: float tensor, …} as PyTorch's get_bias(). */
  get_bias(): Record<string, Tensor | null> {
    return this._weight_bias().bias;
  }
  /** @internal */
  _weight_bias(): { weight: Record<string, Tensor>; bias: Record<string, Tensor | null> } {
    const out = { weight: {} as Record<string, Tensor>, bias: {} as Record<string, Tensor | null> };
    const cells = this._cells();
    const dirs = this.bidirectional ? 2 : 1;
    let k = 0;
    for (let layer = 0; layer < this.num_layers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const sfx = d === 1 ? '_reverse' : '';
        const [wi, bi] = cells[k].ih.unpack();
        const [wh, bh] = cells[k].hh.unpack();
        out.weight[`weight_ih_l${layer}${sfx}`] = wi;
        out.weight[`weight_hh_l${layer}${sfx}`] = wh;
        out.bias[`bias_ih_l${layer}${sfx}`] = bi;
        out.bias[`bias_hh_l${layer}${sfx}`] = bh;
        k++;
      }
    }
    return out;
  }

  /**
   * Replaces the weights from {weight: {weight_ih_l0 …}, bias: {bias_ih_l0 …}} (quantized
   * weights for qint8 modules, float for float16).
   */
  set_weight_bias(d: { weight: Record<string, Tensor>; bias: Record<string, Tensor | null> } | Record<string, Tensor>): void {
    const w = 'weight' in d && !(d.weight instanceof Tensor) ? (d as any).weight : d;
    const b = 'bias' in d && !(d.bias instanceof Tensor) ? (d as any).bias : d;
    const cells: PackedCell[] = [];
    const dirs = this.bidirectional ? 2 : 1;
    for (let layer = 0; layer < this.num_layers; layer++) {
      for (let dd = 0; dd < dirs; dd++) {
        const sfx = dd === 1 ? '_reverse' : '';
        const bi = b[`bias_ih_l${layer}${sfx}`] ?? null;
        const bh = b[`bias_hh_l${layer}${sfx}`] ?? null;
        const ih = new PackedLinear(w[`weight_ih_l${layer}${sfx}`], bi, this.dtype);
        const hh = new PackedLinear(w[`weight_hh_l${layer}${sfx}`], bh, this.dtype);
        cells.push(new PackedCell(ih, hh, bi, bh));
      }
    }
    this._setCells(cells);
  }

  /** @internal Reads a float nn.LSTM/nn.GRU (or an object with its fields) into packed cells. */
  static _cellsFrom(mod: FloatLike, dt: dtype): PackedCell[] {
    if (!mod.bias) throw new TorchError('dynamic quantization of LSTM/GRU needs bias=True (PyTorch asserts mod.bias)');
    const cells: PackedCell[] = [];
    const dirs = mod.bidirectional ? 2 : 1;
    for (let layer = 0; layer < mod.num_layers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const sfx = d === 1 ? '_reverse' : '';
        cells.push(makeCell(mod[`weight_ih_l${layer}${sfx}`], mod[`weight_hh_l${layer}${sfx}`], mod[`bias_ih_l${layer}${sfx}`], mod[`bias_hh_l${layer}${sfx}`], dt));
      }
    }
    return cells;
  }
}

function checkHiddenArg(hx: unknown, n: number, what: string): void {
  if (n === 2 && (!Array.isArray(hx) || hx.length !== 2 || !(hx[0] instanceof Tensor) || !(hx[1] instanceof Tensor))) {
    throw new TypeError(`${what}: hx must be a pair [h_0, c_0] of Tensors, not ${describe(hx)}`);
  }
  if (n === 1 && !(hx instanceof Tensor)) throw new TypeError(`${what}: hx must be a Tensor, not ${describe(hx)}`);
}

/**
 * torch.ao.nn.quantized.dynamic.LSTM (printed DynamicQuantizedLSTM): nn.LSTM with int8/float16
 * weights. Arguments and shapes as nn.LSTM; forward(input, hx?) → [output, [h_n, c_n]].
 * PackedSequence inputs are not supported.
 *
 * Example:
 *   const q = torch.quantization.quantize_dynamic(model);   // model holds an nn.LSTM
 */
export class LSTM extends RNNBase {
  constructor(input_size: number, hidden_size: number, num_layers = 1, bias = true, batch_first = false, dropout = 0, bidirectional = false, dt: dtype = qint8) {
    super('LSTM', input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dt);
  }
  _get_name(): string {
    return 'DynamicQuantizedLSTM';
  }
  forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, [Tensor, Tensor]] {
    if (!(input instanceof Tensor)) throw new TypeError(`DynamicQuantizedLSTM: input must be a Tensor (PackedSequence is not supported), not ${describe(input)}`);
    this._check_input(input);
    const expected = this._expected_hidden(input);
    if (hx === null || hx === undefined) {
      const z = ops.zeros(expected, { dtype: input.dtype });
      hx = [z, z];
    } else checkHiddenArg(hx, 2, 'DynamicQuantizedLSTM');
    this._check_hidden(hx[0], expected, 'hidden[0]');
    this._check_hidden(hx[1], expected, 'hidden[1]');
    const ids = this._cells().map((c) => c.id);
    const [o, h, c] = native._q_quantized_lstm(input._h, [hx[0]._h, hx[1]._h], ids, this.bias, this.num_layers, this.dropout,
      this.training, this.bidirectional, this.batch_first, this.dtype._code, true) as number[];
    const out = new Tensor(o);
    const hn = new Tensor(h);
    const cn = new Tensor(c);
    return [out, [hn, cn]];
  }
  /** Makes a dynamic quantized LSTM from a float nn.LSTM (weights quantized as PyTorch's default dynamic qconfig). */
  static from_float(mod: FloatLike, dt?: dtype): LSTM {
    const wdt = weightDtypeOf(mod, dt);
    const q = new LSTM(mod.input_size, mod.hidden_size, mod.num_layers, mod.bias, mod.batch_first, mod.dropout, mod.bidirectional, wdt);
    q._setCells(RNNBase._cellsFrom(mod, wdt));
    return q;
  }
}

/**
 * torch.ao.nn.quantized.dynamic.GRU (printed DynamicQuantizedGRU): nn.GRU with int8/float16
 * weights. forward(input, hx?) → [output, h_n].
 */
export class GRU extends RNNBase {
  constructor(input_size: number, hidden_size: number, num_layers = 1, bias = true, batch_first = false, dropout = 0, bidirectional = false, dt: dtype = qint8) {
    super('GRU', input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dt);
  }
  _get_name(): string {
    return 'DynamicQuantizedGRU';
  }
  forward(input: Tensor, hx: Tensor | null = null): [Tensor, Tensor] {
    if (!(input instanceof Tensor)) throw new TypeError(`DynamicQuantizedGRU: input must be a Tensor (PackedSequence is not supported), not ${describe(input)}`);
    this._check_input(input);
    const expected = this._expected_hidden(input);
    if (hx === null || hx === undefined) hx = ops.zeros(expected, { dtype: input.dtype });
    else checkHiddenArg(hx, 1, 'DynamicQuantizedGRU');
    this._check_hidden(hx, expected, 'hidden');
    const ids = this._cells().map((c) => c.id);
    const [o, h] = native._q_quantized_gru(input._h, hx._h, ids, this.bias, this.num_layers, this.dropout, this.training,
      this.bidirectional, this.batch_first) as number[];
    const out = new Tensor(o);
    return [out, new Tensor(h)];
  }
  static from_float(mod: FloatLike, dt?: dtype): GRU {
    const wdt = weightDtypeOf(mod, dt);
    const q = new GRU(mod.input_size, mod.hidden_size, mod.num_layers, mod.bias, mod.batch_first, mod.dropout, mod.bidirectional, wdt);
    q._setCells(RNNBase._cellsFrom(mod, wdt));
    return q;
  }
}

// ------------------------------------------------------------------ cells

/** Base of the dynamic quantized cells (torch.ao.nn.quantized.dynamic.RNNCellBase). */
export class RNNCellBase extends Module {
  declare input_size: number;
  declare hidden_size: number;
  declare bias: boolean;
  declare weight_dtype: dtype;
  declare bias_ih: Tensor | null;
  declare bias_hh: Tensor | null;
  declare _packed_weight_ih: PackedLinear;
  declare _packed_weight_hh: PackedLinear;
  constructor(input_size: number, hidden_size: number, bias = true, num_chunks = 4, dt: dtype = qint8) {
    super();
    checkDtype(dt);
    for (const [k, v] of Object.entries({ input_size, hidden_size, bias, weight_dtype: dt })) hidden(this, k, v);
    this.training = false;
    const n = num_chunks * hidden_size;
    hidden(this, 'bias_ih', bias ? ops.randn([n]) : null);
    hidden(this, 'bias_hh', bias ? ops.randn([n]) : null);
    const q = (w: Tensor) => (dt === qint8 ? ops.quantize_per_tensor(w, 1, 0, qint8) : w);
    this._set(q(ops.randn([n, input_size])), q(ops.randn([n, hidden_size])), this.bias_ih, this.bias_hh);
  }
  /** @internal */
  _set(w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | null, b_hh: Tensor | null): void {
    const old = [(this as any)._packed_weight_ih, (this as any)._packed_weight_hh] as (PackedLinear | undefined)[];
    hidden(this, '_packed_weight_ih', new PackedLinear(w_ih, b_ih, this.weight_dtype));
    hidden(this, '_packed_weight_hh', new PackedLinear(w_hh, b_hh, this.weight_dtype));
    hidden(this, 'bias_ih', b_ih);
    hidden(this, 'bias_hh', b_hh);
    for (const p of old) if (p) p.dispose();
  }
  _get_name(): string {
    return 'DynamicQuantizedRNNBase';
  }
  extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (this.bias !== true) s += `, bias=${py(this.bias)}`;
    const nl = (this as any).nonlinearity;
    if (nl !== undefined && nl !== 'tanh') s += `, nonlinearity=${nl}`;
    return s;
  }
  /** @internal */
  _check_forward_input(input: Tensor): void {
    if (input.size(1) !== this.input_size) {
      throw new TorchError(`input has inconsistent input_size: got ${input.size(1)}, expected ${this.input_size}`);
    }
  }
  /** @internal */
  _check_forward_hidden(input: Tensor, hx: Tensor, label: string): void {
    if (input.size(0) !== hx.size(0)) throw new TorchError(`Input batch size ${input.size(0)} doesn't match hidden${label} batch size ${hx.size(0)}`);
    if (hx.size(1) !== this.hidden_size) throw new TorchError(`hidden${label} has inconsistent hidden_size: got ${hx.size(1)}, expected ${this.hidden_size}`);
  }
  get_weight(): Record<string, Tensor> {
    return { weight_ih: this._packed_weight_ih.unpack()[0], weight_hh: this._packed_weight_hh.unpack()[0] };
  }
  get_bias(): Record<string, Tensor | null> {
    return { bias_ih: this._packed_weight_ih.unpack()[1], bias_hh: this._packed_weight_hh.unpack()[1] };
  }
  _save_to_state_dict(destination: Record<string, any>, prefix: string, keep_vars: boolean): void {
    super._save_to_state_dict(destination, prefix, keep_vars);
    // ScriptObjects as in PyTorch (torch.save writes them as Python does); torch.load gives back
    // their (weight, bias) states, also accepted below.
    destination[prefix + '_packed_weight_ih'] = new ScriptObject(LINEAR_CLASS, tuple(this._packed_weight_ih.unpack()));
    destination[prefix + '_packed_weight_hh'] = new ScriptObject(LINEAR_CLASS, tuple(this._packed_weight_hh.unpack()));
  }
  _load_from_state_dict(sd: Map<string, any>, prefix: string, meta: Record<string, unknown>, strict: boolean,
    missing: string[], unexpected: string[], errors: string[]): void {
    const state = (v: unknown): any => (v instanceof ScriptObject ? v.state : v);
    const ih = state(sd.get(prefix + '_packed_weight_ih'));
    const hh = state(sd.get(prefix + '_packed_weight_hh'));
    if (ih === undefined || hh === undefined) {
      if (strict) missing.push(prefix + (ih === undefined ? '_packed_weight_ih' : '_packed_weight_hh'));
    } else if (!Array.isArray(ih) || !Array.isArray(hh) || !(ih[0] instanceof Tensor) || !(hh[0] instanceof Tensor)) {
      errors.push(`While loading "${prefix}_packed_weight_ih/_hh": expected [weight, bias] pairs`);
    } else {
      try {
        this._set(ih[0], hh[0], ih[1] ?? null, hh[1] ?? null);
      } catch (e) {
        errors.push(`While loading "${prefix}_packed_weight_ih/_hh": ${(e as Error).message}`);
      }
    }
    super._load_from_state_dict(sd, prefix, meta, false, missing, unexpected, errors);
  }
  _packed_ids(): number[] {
    return [this._packed_weight_ih.id, this._packed_weight_hh.id];
  }
  /** @internal */
  static _fill<T extends RNNCellBase>(q: T, mod: FloatLike): T {
    if (!mod.bias) throw new TorchError('dynamic quantization of RNN cells needs bias=True (PyTorch asserts mod.bias)');
    const dt = q.weight_dtype;
    q._set(quantizeWeight(mod.weight_ih, dt), quantizeWeight(mod.weight_hh, dt), mod.bias_ih, mod.bias_hh);
    return q;
  }
}

function zerosLike(input: Tensor, hidden_size: number): Tensor {
  return ops.zeros([input.size(0), hidden_size], { dtype: input.dtype });
}

/** torch.ao.nn.quantized.dynamic.RNNCell (DynamicQuantizedRNNCell): forward(input, hx?) → h'. */
export class RNNCell extends RNNCellBase {
  declare nonlinearity: string;
  constructor(input_size: number, hidden_size: number, bias = true, nonlinearity = 'tanh', dt: dtype = qint8) {
    super(input_size, hidden_size, bias, 1, dt);
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw new RangeError(`Unknown nonlinearity: ${nonlinearity}`);
    hidden(this, 'nonlinearity', nonlinearity);
  }
  _get_name(): string {
    return 'DynamicQuantizedRNNCell';
  }
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    this._check_forward_input(input);
    if (hx === null || hx === undefined) hx = zerosLike(input, this.hidden_size);
    this._check_forward_hidden(input, hx, '');
    return new Tensor(native._q_cell(this.nonlinearity === 'relu' ? 'rnn_relu' : 'rnn_tanh', input._h, hx._h,
      this._packed_weight_ih.id, this._packed_weight_hh.id, this.bias_ih?._h ?? null, this.bias_hh?._h ?? null));
  }
  static from_float(mod: FloatLike, dt?: dtype): RNNCell {
    return RNNCellBase._fill(new RNNCell(mod.input_size, mod.hidden_size, mod.bias, mod.nonlinearity ?? 'tanh', weightDtypeOf(mod, dt)), mod);
  }
}

/** torch.ao.nn.quantized.dynamic.LSTMCell (DynamicQuantizedLSTMCell): forward(input, [h, c]?) → [h', c']. */
export class LSTMCell extends RNNCellBase {
  constructor(input_size: number, hidden_size: number, bias = true, dt: dtype = qint8) {
    super(input_size, hidden_size, bias, 4, dt);
  }
  _get_name(): string {
    return 'DynamicQuantizedLSTMCell';
  }
  forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    this._check_forward_input(input);
    if (hx === null || hx === undefined) {
      const z = zerosLike(input, this.hidden_size);
      hx = [z, z];
    } else checkHiddenArg(hx, 2, 'DynamicQuantizedLSTMCell');
    this._check_forward_hidden(input, hx[0], '[0]');
    this._check_forward_hidden(input, hx[1], '[1]');
    const [h, c] = native._q_cell('lstm', input._h, [hx[0]._h, hx[1]._h], this._packed_weight_ih.id, this._packed_weight_hh.id,
      this.bias_ih?._h ?? null, this.bias_hh?._h ?? null) as number[];
    const ht = new Tensor(h);
    return [ht, new Tensor(c)];
  }
  static from_float(mod: FloatLike, dt?: dtype): LSTMCell {
    return RNNCellBase._fill(new LSTMCell(mod.input_size, mod.hidden_size, mod.bias, weightDtypeOf(mod, dt)), mod);
  }
}

/** torch.ao.nn.quantized.dynamic.GRUCell (DynamicQuantizedGRUCell): forward(input, hx?) → h'. */
export class GRUCell extends RNNCellBase {
  constructor(input_size: number, hidden_size: number, bias = true, dt: dtype = qint8) {
    super(input_size, hidden_size, bias, 3, dt);
  }
  _get_name(): string {
    return 'DynamicQuantizedGRUCell';
  }
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    this._check_forward_input(input);
    if (hx === null || hx === undefined) hx = zerosLike(input, this.hidden_size);
    this._check_forward_hidden(input, hx, '');
    return new Tensor(native._q_cell('gru', input._h, hx._h, this._packed_weight_ih.id, this._packed_weight_hh.id,
      this.bias_ih?._h ?? null, this.bias_hh?._h ?? null));
  }
  static from_float(mod: FloatLike, dt?: dtype): GRUCell {
    return RNNCellBase._fill(new GRUCell(mod.input_size, mod.hidden_size, mod.bias, weightDtypeOf(mod, dt)), mod);
  }
}

void int64;
