/**
 * Dynamic quantization against PyTorch's quantize_dynamic on the same weights and engine
 * (test/fixtures/quant.json, written by test/fixtures/make_quant.py).
 */
import * as torch from '../../lib';
import { Module } from '../../lib/nn/module';
import { native } from '../../lib/binding';
import * as fs from 'fs';
import { ScriptObject } from '../../lib/serialization/pickle';
import * as path from 'path';
import { libtorchMinor, libtorchVersion } from '../helpers';

// PyTorch 1.13's numbers on libtorch 1.13; that release's PyTorch's elsewhere (quant.libtorch-<major>.<minor>.json,
// written by make_quant.py under it): engines, their float16 support and quantize_per_channel's rounding differ.
const fixtureFile = libtorchMinor === '1.13' ? 'quant.json' : `quant.libtorch-${libtorchMinor}.json`;
const haveFixture = fs.existsSync(path.join(__dirname, '..', 'fixtures', fixtureFile));
const F = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', haveFixture ? fixtureFile : 'quant.json'), 'utf8'));
if (!haveFixture) {
  test.skip(`SKIPPED on libtorch ${libtorchVersion}: no ${fixtureFile} (write it with test/fixtures/make_quant.py under that PyTorch); the tests that depend on the release skip, the others compare with PyTorch 1.13's quant.json`, () => {});
}
/**
 * A test whose expectation is the release's own (the engine list and default, which engines take
 * float16 weights and their errors, quantize_per_channel's rounding): without that release's
 * fixture it skips visibly, naming the file, rather than compare with 1.13's.
 */
const skipNote = `SKIPPED on libtorch ${libtorchVersion}: needs ${fixtureFile}`;
const perRelease = haveFixture ? test : (name: string, fn: () => void) => test.skip(`${name} (${skipNote})`, fn);
const dyn = torch.ao.nn.quantized.dynamic;

type T = { shape: number[]; data: number[] };
const t = (x: T, dtype = torch.float32) => torch.tensor(x.data, { dtype }).reshape(x.shape);
function close(a: torch.Tensor, b: T, tol = 1e-6): void {
  expect(a.shape).toEqual(b.shape);
  const av = Array.from(a.to(torch.float64).to_typed_array() as Float64Array);
  let worst = 0;
  for (let i = 0; i < av.length; i++) worst = Math.max(worst, Math.abs(av[i] - b.data[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}
/** A float layer as quantize_dynamic reads it: PyTorch's field names. */
function floatRnn(w: Record<string, T>, extra: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = { bias: true, batch_first: false, dropout: 0, bidirectional: false, num_layers: 1, ...extra };
  for (const [k, v] of Object.entries(w)) o[k] = t(v);
  return o;
}
function bytesOf(v: unknown): number {
  if (v instanceof torch.Tensor) return v.numel() * v.element_size();
  if (Array.isArray(v)) return v.reduce((s: number, x) => s + bytesOf(x), 0);
  if (v instanceof ScriptObject) return bytesOf(v.state); // packed RNN params: their (weight, bias) states
  return 0;
}

describe('quantized tensors', () => {
  test('quantize_per_tensor / int_repr / dequantize / qparams', () => {
    const x = t(F.qt.x);
    const q = torch.quantize_per_tensor(x, F.qt.scale, F.qt.zero_point, torch.quint8);
    expect(q.dtype).toBe(torch.quint8);
    expect(q.is_quantized).toBe(true);
    expect(x.is_quantized).toBe(false);
    expect(q.q_scale()).toBeCloseTo(F.qt.scale, 12);
    expect(q.q_zero_point()).toBe(F.qt.zero_point);
    expect(String(q.qscheme())).toBe(F.qt.qscheme);
    expect(q.qscheme()).toBe(torch.per_tensor_affine);
    close(q.int_repr(), F.qt.int_repr, 0);
    close(q.dequantize(), F.qt.dequant);
    const q8 = torch.quantize_per_tensor(x, 0.02, -3, torch.qint8);
    close(q8.int_repr(), F.qt8.int_repr, 0);
    close(torch.dequantize(q8), F.qt8.dequant);
    expect(torch.q_scale(q8)).toBeCloseTo(0.02, 12);
  });
  perRelease('quantize_per_channel and its qparams', () => {
    const x = t(F.qt.x);
    const scales = torch.tensor(F.qc.scales, { dtype: torch.float64 });
    const zps = torch.tensor(F.qc.zero_points, { dtype: torch.int64 });
    const q = torch.quantize_per_channel(x, scales, zps, 0, torch.qint8);
    close(q.int_repr(), F.qc.int_repr, 0);
    close(q.dequantize(), F.qc.dequant);
    expect(String(q.qscheme())).toBe(F.qc.qscheme);
    expect(q.q_per_channel_axis()).toBe(0);
    expect(q.q_per_channel_scales().tolist()).toEqual(F.qc.scales);
    expect(q.q_per_channel_zero_points().tolist()).toEqual(F.qc.zero_points);
  });
  test('qparams of a float tensor are a TorchError, not a crash', () => {
    expect(() => torch.randn([2]).q_scale()).toThrow(torch.TorchError);
    expect(() => torch.randn([2]).q_per_channel_axis()).toThrow(/quantized tensor/);
    const q = torch.quantize_per_tensor(torch.randn([2]), 0.1, 0, torch.qint8);
    expect(() => q.q_per_channel_scales()).toThrow(torch.TorchError);
  });
});

describe('torch.backends.quantized', () => {
  perRelease('supported engines and the default (fastest) engine match PyTorch here', () => {
    expect(torch.backends.quantized.supported_engines).toEqual(F.supported_engines);
    expect(torch.backends.quantized.engine).toBe(F.engine);
  });
  test('engine get/set; an unsupported engine is a TorchError', () => {
    const e = torch.backends.quantized.engine;
    try {
      torch.backends.quantized.engine = 'qnnpack';
      expect(torch.backends.quantized.engine).toBe('qnnpack');
    } finally {
      torch.backends.quantized.engine = e;
    }
    expect(() => { torch.backends.quantized.engine = 'nope'; }).toThrow(/not supported by this libtorch/);
    expect(() => { (torch.backends.quantized as any).engine = 3; }).toThrow(TypeError);
  });
});

describe('dynamic Linear', () => {
  const L = F.linear;
  const mk = () => dyn.Linear.from_float({ in_features: 16, out_features: 8, weight: t(L.weight), bias: t(L.bias) });
  test('weight quantization, forward and printout equal PyTorch', () => {
    const q = mk();
    const w = q.weight();
    expect(w.dtype).toBe(torch.qint8);
    expect(w.q_scale()).toBe(L.w_scale);
    expect(w.q_zero_point()).toBe(L.w_zero_point);
    close(w.int_repr(), L.w_int_repr, 0);
    close(q.bias() as torch.Tensor, L.bias, 0);
    close(q(t(L.x)), L.y);
    close(q(t(L.x).reshape([2, 2, 16])), L.y3d);
    expect(q.toString()).toBe(L.repr);
    expect(q.training).toBe(false);
  });
  test('without bias', () => {
    const q = dyn.Linear.from_float({ in_features: 16, out_features: 8, weight: t(F.linear_nobias.weight), bias: null });
    expect(q.bias()).toBeNull();
    close(q(t(L.x)), F.linear_nobias.y);
  });
  test('state_dict has PyTorch keys, round-trips, and is >= 3.5x smaller', () => {
    const q = mk();
    const sd = q.state_dict() as Record<string, any>;
    expect(Object.keys(sd)).toEqual(['scale', 'zero_point', '_packed_params.dtype', '_packed_params._packed_params']);
    expect(sd['_packed_params.dtype']).toBe(torch.qint8);
    expect((sd as any)._metadata['']).toEqual({ version: 4 });
    expect((sd as any)._metadata['_packed_params']).toEqual({ version: 3 });
    const q2 = new dyn.Linear(16, 8);
    q2.load_state_dict(sd);
    close(q2(t(L.x)), L.y);
    // A bigger layer for the size ratio (scale/zero_point are a fixed 12 bytes).
    const big = { in_features: 512, out_features: 256, weight: torch.randn([256, 512]), bias: torch.randn([256]) };
    const fbytes = bytesOf([big.weight, big.bias]);
    const qbytes = Object.values(dyn.Linear.from_float(big).state_dict()).reduce((s: number, v) => s + bytesOf(v), 0);
    expect(fbytes / qbytes).toBeGreaterThanOrEqual(3.5);
  });
  test('bad inputs are clean errors', () => {
    const q = mk();
    expect(() => q(torch.randn([2, 5]))).toThrow(torch.TorchError);
    expect(() => q.load_state_dict({ scale: torch.tensor(1), zero_point: torch.tensor(0n), '_packed_params.dtype': torch.qint8, '_packed_params._packed_params': 3 })).toThrow(/expected \[weight, bias\]/);
    expect(() => new dyn.Linear(4, 4, true, torch.int32)).toThrow(/Unsupported dtype/);
    expect(() => native._q_linear_dynamic(torch.randn([2, 16])._h, 987654321, true)).toThrow(/freed|invalid/);
    expect(() => native._qp_linear_prepack(torch.randn([3, 3])._h, null, false)).toThrow(/quantized/);
  });
  perRelease('float16 weights: the engine decides, with PyTorch\'s error where unsupported', () => {
    const make = () => dyn.Linear.from_float({ in_features: 16, out_features: 8, weight: t(L.weight), bias: t(L.bias) }, torch.float16);
    if (F.errors.fp16) expect(make).toThrow(F.errors.fp16);
    else expect(make().toString()).toContain('dtype=torch.float16');
  });
});

describe('dynamic LSTM / GRU', () => {
  test('2-layer LSTM equals PyTorch, with and without hx', () => {
    const L = F.lstm;
    const q = dyn.LSTM.from_float(floatRnn(L.weights, { input_size: 8, hidden_size: 12, num_layers: 2 }));
    const [out, [h, c]] = q(t(L.x), [t(L.h0), t(L.c0)]);
    close(out, L.out);
    close(h, L.h);
    close(c, L.c);
    close(q(t(L.x))[0], L.out_nohx);
    expect(q.toString()).toBe(L.repr);
    expect(Object.keys(q.get_weight())).toEqual(['weight_ih_l0', 'weight_hh_l0', 'weight_ih_l1', 'weight_hh_l1']);
  });
  test('bidirectional batch_first LSTM', () => {
    const L = F.lstm_bi;
    const q = dyn.LSTM.from_float(floatRnn(L.weights, { input_size: 6, hidden_size: 5, batch_first: true, bidirectional: true }));
    const [out, [h, c]] = q(t(L.x));
    close(out, L.out);
    close(h, L.h);
    close(c, L.c);
    expect(q.toString()).toBe(L.repr);
  });
  test('2-layer bidirectional GRU', () => {
    const G = F.gru;
    const q = dyn.GRU.from_float(floatRnn(G.weights, { input_size: 6, hidden_size: 7, num_layers: 2, bidirectional: true }));
    const [out, h] = q(t(G.x));
    close(out, G.out);
    close(h, G.h);
    expect(q.toString()).toBe(G.repr);
  });
  test('LSTM state_dict round-trip and size', () => {
    const L = F.lstm;
    const fl = floatRnn(L.weights, { input_size: 8, hidden_size: 12, num_layers: 2 });
    const q = dyn.LSTM.from_float(fl);
    const sd = q.state_dict();
    expect(Object.keys(sd)).toEqual(['_all_weight_values.0.param', '_all_weight_values.1.param']);
    const q2 = new dyn.LSTM(8, 12, 2);
    q2.load_state_dict(sd);
    close(q2(t(L.x), [t(L.h0), t(L.c0)])[0], L.out);
    const big = dyn.LSTM.from_float({ input_size: 512, hidden_size: 512, num_layers: 1, bias: true, batch_first: false, dropout: 0, bidirectional: false,
      weight_ih_l0: torch.randn([2048, 512]), weight_hh_l0: torch.randn([2048, 512]), bias_ih_l0: torch.randn([2048]), bias_hh_l0: torch.randn([2048]) });
    const fbytes = 2 * 2048 * 512 * 4 + 2 * 2048 * 4;
    // The cell state repeats the biases (as PyTorch's CellParams state does); count every tensor.
    const qbytes = Object.values(big.state_dict()).reduce((s: number, v) => s + bytesOf(v), 0);
    expect(qbytes).toBeGreaterThan(2 * 2048 * 512);
    expect(fbytes / qbytes).toBeGreaterThanOrEqual(3.5);
  });
  test('shape and argument errors', () => {
    const q = new dyn.LSTM(8, 12);
    expect(() => q(torch.randn([5, 3, 7]))).toThrow(/input_size/);
    expect(() => q(torch.randn([5, 8]))).toThrow(/3 dimensions/);
    expect(() => q(torch.randn([5, 3, 8]), [torch.zeros([1, 2, 12]), torch.zeros([1, 2, 12])])).toThrow(/Expected hidden\[0\] size/);
    expect(() => q(torch.randn([5, 3, 8]), torch.zeros([1, 3, 12]) as any)).toThrow(TypeError);
    expect(() => new dyn.LSTM(8, 12, 1, true, false, 2)).toThrow(RangeError);
  });
});

describe('dynamic cells', () => {
  const C = F.cells;
  const w = (name: string) => floatRnn(C[name].weights, { input_size: 6, hidden_size: 4 });
  test('LSTMCell', () => {
    const q = dyn.LSTMCell.from_float(w('LSTMCell'));
    const [h, c] = q(t(C.x), [t(C.LSTMCell.hx), t(C.LSTMCell.cx)]);
    close(h, C.LSTMCell.h);
    close(c, C.LSTMCell.c);
    expect(q.toString()).toBe(C.LSTMCell.repr);
  });
  test('GRUCell and RNNCell (tanh, relu)', () => {
    const g = dyn.GRUCell.from_float(w('GRUCell'));
    close(g(t(C.x), t(C.GRUCell.hx)), C.GRUCell.h);
    expect(g.toString()).toBe(C.GRUCell.repr);
    const r = dyn.RNNCell.from_float(w('RNNCell'));
    close(r(t(C.x), t(C.RNNCell.hx)), C.RNNCell.h);
    const rr = dyn.RNNCell.from_float({ ...w('RNNCell_relu'), nonlinearity: 'relu' });
    close(rr(t(C.x), t(C.RNNCell_relu.hx)), C.RNNCell_relu.h);
    expect(rr.toString()).toBe(C.RNNCell_relu.repr);
  });
  test('cell state_dict round-trip; errors', () => {
    const g = dyn.GRUCell.from_float(w('GRUCell'));
    const g2 = new dyn.GRUCell(6, 4);
    g2.load_state_dict(g.state_dict());
    close(g2(t(C.x), t(C.GRUCell.hx)), C.GRUCell.h);
    expect(() => g(torch.randn([3, 5]))).toThrow(/inconsistent input_size/);
    expect(() => g(t(C.x), torch.zeros([2, 4]))).toThrow(/batch size/);
    expect(() => new dyn.RNNCell(6, 4, true, 'gelu')).toThrow(/Unknown nonlinearity/);
  });
});

/**
 * A dynamic quantized Linear `ql` made from the float layer `fl`, checked on input `h` with bounds
 * that follow from the quantization alone, so that no BLAS kernel or SIMD level can matter: its int8
 * weight Wq is the float weight rounded to its scale (|Wq - W| <= scale/2), its bias is the float
 * bias, and its output is h Wq^T + b computed in float from those dequantized weights, except that h
 * is quantized on the fly. That moves each element of h by at most half a step, and a step is at
 * most (max(h, 0) - min(h, 0)) / 127 (the reduced 7-bit range; the full 8-bit one is finer); the
 * bound allows a whole step, whatever zero point or rounding an engine picks, so output j may move
 * by step * sum_k |Wq_jk|. 1e-5 of the magnitudes covers float32 rounding. (The layers below use
 * up to 32% of this bound, the same under every kernel setting of scripts/test-kernels.sh.)
 */
function expectWithinQuantization(ql: any, fl: any, h: torch.Tensor): void {
  const wq: torch.Tensor = ql.weight();
  const w = wq.dequantize();
  // The largest |W| sits at 127.5 steps and is clipped to 127, so this holds with equality up to
  // float32 rounding (of the scale and of the dequantized weight: ulps of max |W|).
  const wmax = fl.weight.abs().max().item() as number;
  expect(w.sub(fl.weight).abs().max().item() as number).toBeLessThanOrEqual(wq.q_scale() / 2 + 1e-6 * wmax);
  expect(torch.equal(ql.bias(), fl.bias)).toBe(true);
  const step = (Math.max(h.max().item() as number, 0) - Math.min(h.min().item() as number, 0)) / 127;
  const bound = w.abs().sum(1).mul(step).add(h.abs().matmul(w.abs().t()).add(fl.bias.abs()).mul(1e-5));
  const err = ql(h).sub(h.matmul(w.t()).add(fl.bias)).abs();
  const used = err.div(bound).max().item() as number;
  expect(used).toBeLessThanOrEqual(1);
}

describe('quantize_dynamic', () => {
  class MyLinear extends Module {
    weight: torch.Tensor;
    bias: torch.Tensor;
    constructor(public in_features: number, public out_features: number) {
      super();
      this.weight = torch.randn([out_features, in_features]);
      this.bias = torch.randn([out_features]);
    }
    forward(x: torch.Tensor): torch.Tensor {
      return x.matmul(this.weight.t()).add(this.bias);
    }
  }
  class Net extends Module {
    a: MyLinear;
    inner: Module;
    constructor() {
      super();
      this.a = new MyLinear(4, 3);
      this.inner = new Inner();
    }
    forward(x: torch.Tensor): torch.Tensor {
      return (this.inner as any)(this.a(x).relu());
    }
  }
  class Inner extends Module {
    b: MyLinear;
    c: MyLinear;
    constructor() {
      super();
      this.b = new MyLinear(3, 3);
      this.c = new MyLinear(3, 2);
    }
    forward(x: torch.Tensor): torch.Tensor {
      return this.c(this.b(x));
    }
  }
  const mapping = new Map<any, any>([[MyLinear, dyn.Linear]]);

  test('replaces the mapped classes in a copy, in eval mode; each layer stays within its quantization bound of float', () => {
    torch.manual_seed(0);
    const net = new Net();
    const q = torch.quantization.quantize_dynamic(net, { qconfig_spec: new Set([MyLinear]), mapping });
    expect(q).not.toBe(net);
    expect(net.a).toBeInstanceOf(MyLinear);
    expect(q.a).toBeInstanceOf(dyn.Linear);
    expect((q.inner as any).c).toBeInstanceOf(dyn.Linear);
    expect(q.training).toBe(false);
    // The copy runs the float net's forward over its quantized layers: the same numbers as calling them in turn.
    const [qa, qb, qc] = [q.a, (q.inner as any).b, (q.inner as any).c] as torch.nn.Module[];
    const x = torch.randn([5, 4]);
    const hb = qa(x).relu();
    const hc = qb(hb);
    expect(torch.equal(q(x), qc(hc))).toBe(true);
    expectWithinQuantization(qa, net.a, x);
    expectWithinQuantization(qb, (net.inner as any).b, hb);
    expectWithinQuantization(qc, (net.inner as any).c, hc);
    expect(q.toString()).toContain('(a): DynamicQuantizedLinear(in_features=4, out_features=3, dtype=torch.qint8, qscheme=torch.per_tensor_affine)');
  });
  test('names narrow it (and reach children); null opts out; inplace', () => {
    const net = new Net();
    const q = torch.quantization.quantize_dynamic(net, new Set(['inner']), torch.qint8, mapping);
    expect(q.a).toBeInstanceOf(MyLinear);
    expect((q.inner as any).b).toBeInstanceOf(dyn.Linear);
    const q2 = torch.quantization.quantize_dynamic(net, { qconfig_spec: { 'inner.c': torch.quantization.default_dynamic_qconfig }, mapping });
    expect((q2.inner as any).b).toBeInstanceOf(MyLinear);
    expect((q2.inner as any).c).toBeInstanceOf(dyn.Linear);
    const q3 = torch.quantization.quantize_dynamic(net, { qconfig_spec: new Map<any, any>([[MyLinear, torch.quantization.default_dynamic_qconfig], ['inner.b', null]]), mapping, inplace: true });
    expect(q3).toBe(net);
    expect(net.a).toBeInstanceOf(dyn.Linear);
    expect((net.inner as any).b).toBeInstanceOf(MyLinear);
    expect((net.inner as any).c).toBeInstanceOf(dyn.Linear);
  });
  test('errors as PyTorch', () => {
    expect(() => torch.quantization.quantize_dynamic(new Net(), { dtype: torch.int32 })).toThrow(F.errors.bad_dtype);
    expect(() => torch.quantization.quantize_dynamic({} as any)).toThrow(TypeError);
  });
  test('default mapping on nn.Linear: printouts equal PyTorch', () => {
    const nn = torch.nn as any;
    const seq = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Sequential(new nn.Linear(3, 3), new nn.Linear(3, 2)));
    expect(torch.quantization.quantize_dynamic(seq).toString()).toBe(F.print.all);
    expect(torch.quantization.quantize_dynamic(seq, new Set(['2'])).toString()).toBe(F.print.by_name);
    expect(torch.quantization.quantize_dynamic(seq, { '2.1': torch.quantization.default_dynamic_qconfig }).toString()).toBe(F.print.by_name_child);
  });
});
// The demo's accuracy after quantize_dynamic and its state_dict file ratio: test/quantization/state_dict.test.ts.

describe('printing quantized tensors and engines\' float16 errors', () => {
  // per-channel cases round as the release does (perRelease)
  const cases: [number, any][] = F.qrepr.map((c: any, i: number) => [i, c]);
  const perTensor = cases.filter(([, c]) => !c.scales);
  const perChannel = cases.filter(([, c]) => c.scales);
  const printsAsPyTorch = (_i: number, c: any) => {
    const dt = (torch as any)[c.dtype];
    const x = torch.tensor(c.values.flat()).reshape(c.shape);
    const q = c.scales
      ? torch.quantize_per_channel(x, torch.tensor(c.scales, { dtype: torch.float64 }), torch.tensor(c.zero_points.map(BigInt)), c.axis, dt)
      : torch.quantize_per_tensor(x, c.scale, c.zero_point, dt);
    expect(String(q)).toBe(c.repr);
  };
  test.each(perTensor)('case %i (per tensor) prints as PyTorch', printsAsPyTorch);
  (haveFixture ? test.each(perChannel) : test.skip.each(perChannel))(`case %i (per channel) prints as PyTorch${haveFixture ? '' : ` (${skipNote})`}`, printsAsPyTorch);
  test('a quantized module\'s weight() prints with its quantizer', () => {
    const q = torch.quantization.quantize_dynamic(new torch.nn.Sequential(new torch.nn.Linear(4, 3)));
    const w = (q as any)[0].weight();
    expect(String(w)).toContain(`dtype=torch.qint8,\n       quantization_scheme=torch.per_tensor_affine, scale=`);
    expect(String(w)).toContain(`size=(3, 4)`);
  });
  perRelease('float16 LSTM, and float16 on qnnpack: PyTorch\'s errors naming the engine', () => {
    const lstm16 = () => torch.quantization.quantize_dynamic(new torch.nn.Sequential(new torch.nn.LSTM(3, 3)), { dtype: torch.float16 });
    if (F.errors.fp16_lstm) expect(lstm16).toThrow(F.errors.fp16_lstm);
    else expect(String(lstm16())).toContain('DynamicQuantizedLSTM'); // the default engine takes float16 weights
    if (!F.errors.fp16_qnnpack) return;
    const prev = torch.backends.quantized.engine;
    torch.backends.quantized.engine = 'qnnpack';
    try {
      expect(() => torch.quantization.quantize_dynamic(new torch.nn.Sequential(new torch.nn.Linear(3, 3)), { dtype: torch.float16 })).toThrow(F.errors.fp16_qnnpack);
    } finally {
      torch.backends.quantized.engine = prev;
    }
  });
});
