/**
 * torch.jit.load of archives written by PyTorch 1.13 (test/fixtures/make_jit.py): outputs,
 * methods, value conversion both ways, module members, modes, dtype moves, autograd and errors.
 * Outputs are compared with the values Python's run of the same archive recorded: float64 models
 * (1e-10), the dynamic-quantized float32 model (1e-5 on the quantized engine the fixture used).
 */
import * as fs from 'fs';
import * as torch from '../../lib';
import { expectClose, f32, f64, fixturePath, fx } from './helpers';

const S = fx.scripted;
const TOL = 1e-10;

describe('torch.jit.load: a scripted module (control flow, loops, exported methods, submodule)', () => {
  const m = torch.jit.load(fixturePath('scripted.pt'));
  m.eval();
  const x = f64(S.x);

  test('is a ScriptModule and an nn.Module, callable', () => {
    expect(m).toBeInstanceOf(torch.jit.ScriptModule);
    expect(m).toBeInstanceOf(torch.nn.Module);
    expect(typeof m).toBe('function');
    expect(m._get_name()).toBe('Net');
    expect(m.original_name).toBe('Net');
    expect(m._method_names().sort()).toEqual([...S.methods].sort());
  });

  test('forward with defaults gives Python\'s tuple (Tensor, List[Tensor])', () => {
    const [y, outs] = m(x);
    expectClose(y, S.y, TOL);
    expect(outs).toHaveLength(S.outs.length);
    outs.forEach((o: torch.Tensor, i: number) => expectClose(o, S.outs[i], TOL));
  });

  test('int and Optional[Dict[str, Tensor]] arguments, positional or as keywords', () => {
    const bias = f64(S.bias);
    const [y3, outs3] = m(x, 3, { bias });
    expectClose(y3, S.y3, TOL);
    outs3.forEach((o: torch.Tensor, i: number) => expectClose(o, S.outs3[i], TOL));
    const [k3] = m(x, { n: 3, opts: { bias } });
    expectClose(k3, S.y3, TOL);
    const [n3] = m.forward(x, 3, null);
    expectClose(n3, S.outs3[2], TOL);
    const [m3] = m(x, 3, new Map([['bias', bias]]));
    expectClose(m3, S.y3, TOL);
  });

  test('exported methods: lists, tuples, bools, strings, Optional and dicts in and out', () => {
    expectClose(m.embed(x), S.embed, TOL);
    expect(m.describe([1.5, 2.25, -1.0], [7, 'seven'], true, 4)).toEqual(S.describe);
    expect(m.describe([0.5], [1, 'one'], false)).toEqual(S.describe_none);
    expect(m.greet('ann')).toEqual(S.greet);
    expect(m.greet('')).toEqual(S.greet_empty);
    expect(m.embed.schema).toContain('embed(');
    expect(m.embed.code).toContain('def embed');
  });

  test('attributes read and written through the module; submodules are ScriptModules', () => {
    expect(m.scale).toBe(1.5);
    expect(m.name).toBe('net');
    expect(m.steps).toBe(2);
    expect(m.sub).toBeInstanceOf(torch.jit.ScriptModule);
    expect(m.sub.lin).toBeInstanceOf(torch.jit.ScriptModule);
    expect(m.sub._get_name()).toBe('Sub');
    m.scale = 3;
    try {
      const e = m.embed(x);
      expectClose(e, (S.embed as number[][]).map((r) => r.map((v) => v * 2)), TOL);
    } finally {
      m.scale = 1.5;
    }
    expect(() => {
      m.scale = 'big';
    }).toThrow(torch.TorchError);
  });

  test('parameters, buffers, modules and state_dict as PyTorch lists them', () => {
    expect(m.named_parameters().map((e) => e[0])).toEqual(S.named_parameters);
    expect(m.named_buffers().map((e) => e[0])).toEqual(S.named_buffers);
    expect(m.named_modules().map((e) => e[0])).toEqual(S.named_modules);
    const sd = m.state_dict();
    expect(Object.keys(sd)).toEqual(S.state_dict_keys);
    for (const k of Object.keys(sd)) expectClose(sd[k], S.state_dict[k], 0);
    expect(m.parameters().every((p) => p instanceof torch.nn.Parameter && p.requires_grad)).toBe(true);
    expect(m.children().map((c) => c._get_name())).toEqual(['Sub', 'Dropout']);
  });

  test('train()/eval() set the TorchScript training flags of the whole tree', () => {
    const t = torch.jit.load(fixturePath('scripted.pt'));
    expect(t.training).toBe(false); // saved in eval mode
    t.train();
    expect(t.modules().every((s) => s.training)).toBe(true);
    t.eval();
    expect(t.modules().every((s) => !s.training)).toBe(true);
    const native = require('../../lib/binding').native;
    expect(t.modules().every((s) => native._jit_is_training((s as torch.jit.ScriptModule)._c) === false)).toBe(true);
    t.train();
    expect(t.modules().every((s) => native._jit_is_training((s as torch.jit.ScriptModule)._c) === true)).toBe(true);
    // dropout in training mode zeroes some elements and scales the rest by 2; eval() is the identity
    const [yt] = t(x);
    const vals = (yt.tolist() as number[][]).flat();
    const want = (S.y as number[][]).flat();
    vals.forEach((v, i) => expect(v === 0 || Math.abs(v - 2 * want[i]) < 1e-12).toBe(true));
  });

  test('autograd through forward gives Python\'s gradients; an optimizer step updates the module', () => {
    const t = torch.jit.load(fixturePath('scripted.pt'));
    t.eval();
    const [y, outs] = t(x);
    let loss = y.pow(2).sum();
    for (const o of outs) loss = loss.add(o.sum());
    expect(loss.item()).toBeCloseTo(S.loss, 10);
    loss.backward();
    for (const [k, p] of t.named_parameters()) expectClose(p.grad!, S.grads[k], 1e-9);
    const before = t.w.clone();
    const opt = new torch.optim.SGD(t.parameters(), { lr: 0.1 });
    opt.step();
    const want = before.sub(f64(S.grads.w).mul(0.1));
    expect(torch.allclose(t.w, want, 0, 1e-15)).toBe(true);
    // the module computes with the updated tensor: embed does not read w, forward does
    const [y2] = t(x);
    expect(torch.allclose(y2, f64(S.y))).toBe(false);
  });

  test('to(dtype) casts parameters and buffers in place; to(device) on the CPU', () => {
    const t = torch.jit.load(fixturePath('scripted.pt'));
    t.eval();
    const w = t.w;
    t.to(torch.float32);
    expect(w.dtype).toBe(torch.float32);
    expect(t.sub.offset.dtype).toBe(torch.float32);
    expectClose(t.embed(f32(S.x)), S.embed, 1e-5);
    t.double().to('cpu');
    expect(t.w.dtype).toBe(torch.float64);
    expect(() => t.to(torch.int64)).toThrow(TypeError);
  });

  test('loads from a Buffer, with map_location, and reads _extra_files', () => {
    const buf = fs.readFileSync(fixturePath('scripted.pt'));
    const b = torch.jit.load(buf, 'cpu');
    b.eval();
    expectClose(b(x)[0], S.y, TOL);
    const c = torch.jit.load(fixturePath('scripted.pt'), { map_location: new torch.device('cpu') });
    expect(c.w.device.type).toBe('cpu');
  });

  test('code, graph and inlined_graph printouts', () => {
    expect(m.code).toContain('def forward(self');
    expect(m.code).toContain('for i in range(n)');
    expect(m.graph).toContain('graph(%self');
    expect(m.inlined_graph).toContain('aten::tanh');
  });

  test('the same tensor values from forward_async', async () => {
    const [y, outs] = await m.forward_async(x);
    expectClose(y, S.y, TOL);
    expectClose(outs[1], S.outs[1], TOL);
    expectClose(await m.embed_async(x), S.embed, TOL);
    expect(await m.greet_async('ann')).toEqual(S.greet);
  });
});

describe('torch.jit.load: an archive saved by PyTorch 2.13 (make_jit.py under the 2.13 wheel)', () => {
  test('the same module computes what 1.13 recorded', () => {
    const m = torch.jit.load(fixturePath('scripted_2x.pt'));
    m.eval();
    const x = f64(S.x);
    expectClose(m(x)[0], S.y, TOL);
    expectClose(m(x, 3, { bias: f64(S.bias) })[0], S.y3, TOL);
    expect(m.greet('ann')).toEqual(S.greet);
    expect(Object.keys(m.state_dict())).toEqual(S.state_dict_keys);
  });
});

describe('torch.jit.load: traced models and a quantized one', () => {
  test('traced CNN (conv, batchnorm, pool, linear) on two batch sizes', () => {
    const m = torch.jit.load(fixturePath('traced_cnn.pt'));
    expectClose(m(f64(fx.cnn.x)), fx.cnn.y, TOL);
    expectClose(m(f64(fx.cnn.x2)), fx.cnn.y2, TOL);
    expect(Object.keys(m.state_dict())).toEqual(fx.cnn.state_dict_keys);
  });

  test('traced LSTM returns (Tensor, (Tensor, Tensor))', () => {
    const m = torch.jit.load(fixturePath('traced_lstm.pt'));
    const [y, [h, c]] = m(f64(fx.lstm.x));
    expectClose(y, fx.lstm.y, TOL);
    expectClose(h, fx.lstm.h, TOL);
    expectClose(c, fx.lstm.c, TOL);
  });

  test('dynamic-quantized scripted model', () => {
    // the weights are packed for the engine current at load time
    const prev = torch.backends.quantized.engine;
    const engines: string[] = torch.backends.quantized.supported_engines;
    const same = engines.includes(fx.quantized_engine);
    if (same) torch.backends.quantized.engine = fx.quantized_engine;
    try {
      const m = torch.jit.load(fixturePath('quant_dynamic.pt'));
      const y = m(f32(fx.quant.x));
      // another engine quantizes activations with another range (reduce_range), so only the
      // float model's neighbourhood is asserted then
      if (same) expectClose(y, fx.quant.y, 1e-5);
      else expectClose(y, fx.quant.y_float, 5e-2);
    } finally {
      torch.backends.quantized.engine = prev;
    }
  });
});

describe('torch.jit errors are TorchErrors, never crashes', () => {
  const m = torch.jit.load(fixturePath('scripted.pt'));
  const x = f64(S.x);

  test('bad files', () => {
    expect(() => torch.jit.load('/nonexistent/model.pt')).toThrow(/cannot open/);
    expect(() => torch.jit.load(Buffer.from('not a zip archive'))).toThrow(torch.TorchError);
    expect(() => torch.jit.load(fixturePath('jit.json'))).toThrow(torch.TorchError);
    expect(() => torch.jit.load(42 as any)).toThrow(TypeError);
    expect(() => torch.jit.load(fixturePath('scripted.pt'), 'bogus')).toThrow();
  });

  test('torch.load on a TorchScript archive points to torch.jit.load', () => {
    expect(() => torch.load(fixturePath('scripted.pt'))).toThrow(/TorchScript archive.*torch\.jit\.load/);
  });

  test('wrong argument types and counts give the schema message', () => {
    expect(() => m(3)).toThrow(/Expected a value of type 'Tensor' for argument 'x' but instead found type 'int'/);
    expect(() => m(x, 1.5)).toThrow(/argument 'n'/);
    expect(() => m.describe('a', [1, 'a'], true)).toThrow(/List\[float\]/);
    expect(() => m.describe([1], [1, 2], true)).toThrow(torch.TorchError);
    expect(() => m(x, 1, null, 4, 5)).toThrow(/Expected at most 4 argument\(s\) for operator 'forward'/);
    expect(() => m()).toThrow(/missing value for argument 'x'/);
    expect(() => m(x, { n: 2, bogus: 1 })).toThrow(torch.TorchError);
  });

  test('a missing method', () => {
    expect(m.nope).toBeUndefined();
    expect(() => m._call('nope', [])).toThrow(/has no attribute or method 'nope'/);
    expect(() => (require('../../lib/binding').native._jit_call({}, 'forward', [], null))).toThrow(TypeError);
  });

  test('an error raised inside the TorchScript code', async () => {
    expect(() => m.embed(torch.zeros([2, 5], { dtype: torch.float64 }))).toThrow(torch.TorchError);
    await expect(m.embed_async(torch.zeros([2, 5], { dtype: torch.float64 }))).rejects.toThrow(torch.TorchError);
  });

  test('torch.jit.script of JS points to trace', () => {
    expect(() => torch.jit.script(new torch.nn.Linear(2, 2))).toThrow(/torch\.jit\.trace/);
    expect(torch.jit.script(m)).toBe(m);
  });
});
