/**
 * Async forms: results equal the synchronous path bit for bit, work runs off the JS thread, and
 * tensors/modules used by work in flight survive disposal.
 */
import * as torch from '../../lib';
import { Module } from '../../lib/nn/module';
import { Parameter } from '../../lib/nn/parameter';
import { noGrad } from '../../lib/nn/_autograd';

const bits = (t: torch.Tensor) => Buffer.from((t.to_typed_array() as Float32Array).buffer);
const sameBits = (a: torch.Tensor, b: torch.Tensor) => {
  expect(a.shape).toEqual(b.shape);
  expect(bits(a).equals(bits(b))).toBe(true);
};

class MLP extends Module {
  w1: Parameter;
  b1: Parameter;
  q: Module;
  constructor() {
    super();
    this.w1 = new Parameter(torch.randn([32, 64]).mul(0.1));
    this.b1 = new Parameter(torch.randn([64]).mul(0.1));
    this.q = torch.ao.nn.quantized.dynamic.Linear.from_float({ in_features: 64, out_features: 10, weight: torch.randn([10, 64]), bias: torch.randn([10]) });
  }
  forward(x: torch.Tensor): torch.Tensor {
    const h = x.matmul(this.w1).add(this.b1).relu();
    return (this.q as any)(h).log_softmax(1);
  }
}

describe('trace_async', () => {
  test('first call (traced) and later calls (replayed off the JS thread) equal the sync function', async () => {
    const fn = (x: torch.Tensor, w: torch.Tensor) => x.matmul(w).relu().sum({ dim: 1 });
    const f = torch.trace_async(fn);
    const w = torch.randn([16, 8]);
    for (let i = 0; i < 3; i++) {
      const x = torch.randn([4, 16]);
      sameBits(await f(x, w), fn(x, w));
    }
    expect(f.graphs()).toHaveLength(1);
    expect(f.graphs()[0]).toContain('aten::matmul');
    // A new shape or a new non-tensor value is a new signature.
    const x = torch.randn([2, 16]);
    sameBits(await f(x, w), fn(x, w));
    expect(f.graphs()).toHaveLength(2);
  });
  test('structured outputs and non-tensor arguments', async () => {
    const f = torch.trace_async((x: torch.Tensor, k: number) => ({ a: x.mul(k), b: [x.add(1), x.sum()] }));
    const x = torch.randn([3]);
    await f(x, 2);
    const r = await f(x, 2);
    sameBits(r.a, x.mul(2));
    sameBits(r.b[0], x.add(1));
    sameBits((await f(x, 3)).a, x.mul(3));
  });
  test('inputs disposed right after the call are still read correctly', async () => {
    const f = torch.trace_async((x: torch.Tensor) => x.exp());
    await f(torch.randn([5]));
    const x = torch.randn([5]);
    const want = x.exp();
    const p = f(x);
    x.dispose();
    sameBits(await p, want);
  });
  test('errors: while running (rejects with TorchError), disposed inputs, bad functions', async () => {
    const f = torch.trace_async((x: torch.Tensor, i: torch.Tensor) => x.index_select(0, i));
    const x = torch.randn([4, 2]);
    await f(x, torch.tensor([0, 1], { dtype: torch.int64 }));
    await expect(f(x, torch.tensor([0, 9], { dtype: torch.int64 }))).rejects.toThrow(torch.TorchError);
    const d = torch.randn([4, 2]);
    d.dispose();
    await expect(f(d, torch.tensor([0, 1], { dtype: torch.int64 }))).rejects.toThrow(/disposed/);
    await expect(torch.trace_async(() => { throw new RangeError('boom'); })()).rejects.toThrow('boom');
    await expect(torch.trace_async((x: torch.Tensor) => x.add(1))((() => 1) as any)).rejects.toThrow(TypeError);
    expect(() => torch.trace_async(3 as any)).toThrow(TypeError);
  });
  test('the work runs off the JS thread: timers fire while a long job runs', async () => {
    const f = torch.trace_async((a: torch.Tensor) => {
      let y = a;
      for (let i = 0; i < 12; i++) y = y.matmul(a).tanh();
      return y;
    });
    const a = torch.randn([400, 400]).mul(0.05);
    await f(a);
    let ticks = 0;
    const iv = setInterval(() => ticks++, 1);
    const t0 = Date.now();
    await f(a);
    const ms = Date.now() - t0;
    clearInterval(iv);
    if (ms > 20) expect(ticks).toBeGreaterThan(0);
  });
});

describe('Module.forward_async', () => {
  test('equals model(x) bit for bit, concurrently, with a quantized layer inside', async () => {
    const m = new MLP().eval();
    const xs = Array.from({ length: 8 }, () => torch.randn([5, 32]));
    const want = xs.map((x) => m(x));
    const got = await Promise.all(xs.map((x) => m.forward_async(x)));
    got.forEach((g, i) => sameBits(g, want[i]));
    const again = await Promise.all(xs.map((x) => m.forward_async(x)));
    again.forEach((g, i) => sameBits(g, want[i]));
  });
  test('sees parameter updates; survives disposal of the module while in flight', async () => {
    const m = new MLP().eval();
    const x = torch.randn([2, 32]);
    await m.forward_async(x);
    noGrad(() => m.b1.add_(1));
    const want = m(x);
    sameBits(await m.forward_async(x), want);
    const p = m.forward_async(x);
    for (const t of m.parameters()) t.dispose();
    sameBits(await p, want);
  });
  test('a quantize_dynamic(nn.Sequential(...)) model: forward_async equals the sync forward', async () => {
    const nn = torch.nn as any;
    const q = torch.quantization.quantize_dynamic(new nn.Sequential(new nn.Linear(32, 64), new nn.ReLU(), new nn.Linear(64, 10)));
    const xs = Array.from({ length: 4 }, () => torch.randn([3, 32]));
    const got = await Promise.all(xs.map((x) => q.forward_async(x)));
    got.forEach((g, i) => sameBits(g, q(xs[i])));
    sameBits(await q.forward_async(xs[0]), q(xs[0]));
  });
  test('training mode is refused with a clear error', async () => {
    const m = new MLP();
    await expect(m.forward_async(torch.randn([2, 32]))).rejects.toThrow(/eval mode/);
  });
  test('a forward that mutates a buffer runs its calls one after another', async () => {
    class Counter extends Module {
      constructor() {
        super();
        this.register_buffer('n', torch.zeros([1]));
      }
      forward(x: torch.Tensor): torch.Tensor {
        (this as any).n.add_(1);
        return x.add((this as any).n);
      }
    }
    const c = new Counter().eval();
    const x = torch.zeros([1]);
    await c.forward_async(x); // traced: n = 1
    const outs = await Promise.all(Array.from({ length: 20 }, () => c.forward_async(x)));
    expect((c as any).n.item()).toBe(21);
    expect(outs.map((o) => o.item()).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
  });
});

describe('read-back', () => {
  test('to_typed_array_async / tolist_async equal the sync forms', async () => {
    const x = torch.randn([3, 4]);
    expect(Array.from((await x.to_typed_array_async()) as Float32Array)).toEqual(Array.from(x.to_typed_array() as Float32Array));
    expect(await x.tolist_async()).toEqual(x.tolist());
    const h = x.to(torch.float16);
    expect(await h.tolist_async()).toEqual(h.tolist());
    const i = torch.arange(6).reshape([2, 3]);
    expect(await i.tolist_async()).toEqual(i.tolist());
    expect(await torch.tensor(2.5).tolist_async()).toBe(2.5);
    const b = x.gt(0);
    expect(await b.tolist_async()).toEqual(b.tolist());
  });
  test('a tensor disposed right after the call is still read; a disposed one is an error', async () => {
    const x = torch.randn([1000]);
    const want = Array.from(x.to_typed_array() as Float32Array);
    const p = x.to_typed_array_async();
    x.dispose();
    expect(Array.from((await p) as Float32Array)).toEqual(want);
    await expect(x.to_typed_array_async()).rejects.toThrow(torch.TorchError);
  });
});

describe('thread counts', () => {
  test('set/get_num_threads; bad values are RangeErrors', () => {
    const n = torch.get_num_threads();
    expect(n).toBeGreaterThanOrEqual(1);
    torch.set_num_threads(1);
    expect(torch.get_num_threads()).toBe(1);
    torch.set_num_threads(n);
    expect(torch.get_num_threads()).toBe(n);
    expect(() => torch.set_num_threads(0)).toThrow(RangeError);
    expect(() => torch.set_num_threads(0)).toThrow(/positive integer/);
    expect(() => torch.set_num_threads(1.5)).toThrow(/must be an integer/);
    expect(torch.get_num_interop_threads()).toBeGreaterThanOrEqual(1);
    expect(() => torch.set_num_interop_threads(0)).toThrow(/positive integer/);
  });
  test('set_num_interop_threads: settable once, before inter-op work, as in PyTorch (then a TorchError)', () => {
    const n = torch.get_num_interop_threads();
    try {
      torch.set_num_interop_threads(n); // allowed only if nothing used the pool yet in this process
    } catch (e) {
      expect(e).toBeInstanceOf(torch.TorchError);
    }
    expect(() => torch.set_num_interop_threads(n)).toThrow(/cannot set number of interop threads/);
    expect(torch.get_num_interop_threads()).toBe(n);
  });
});
