/**
 * ScriptModule.forward_async and <method>_async: the serving path. Results equal the synchronous
 * call bit for bit (same libtorch interpreter, same inputs), concurrently; inputs may be disposed
 * once the call returns; training mode is refused; errors reject with TorchError; the event loop
 * keeps running while a long job runs (counted, asserted only when the job took long enough).
 */
import * as torch from '../../lib';
import { f64, fixturePath, fx } from './helpers';

describe('ScriptModule.forward_async', () => {
  const cnn = torch.jit.load(fixturePath('traced_cnn.pt'));
  cnn.eval();

  test('16 concurrent calls equal the synchronous forward bit for bit', async () => {
    const xs = Array.from({ length: 16 }, () => torch.rand([2, 1, 8, 8], { dtype: torch.float64 }));
    const want = xs.map((x) => cnn(x));
    const got = await Promise.all(xs.map((x) => cnn.forward_async(x)));
    got.forEach((g, i) => expect(torch.equal(g, want[i])).toBe(true));
  });

  test('inputs disposed right after the call are read correctly', async () => {
    const x = f64(fx.cnn.x);
    const want = cnn(x);
    const p = cnn.forward_async(x);
    x.dispose();
    expect(torch.equal(await p, want)).toBe(true);
  });

  test('sees parameter updates made before the call', async () => {
    const m = torch.jit.load(fixturePath('traced_cnn.pt'));
    m.eval();
    const x = f64(fx.cnn.x);
    torch.no_grad(() => m.fc.bias.add_(0.5));
    const y = await m.forward_async(x);
    expect(torch.allclose(y, f64(fx.cnn.y).add(0.5), 0, 1e-12)).toBe(true);
  });

  test('training mode is refused; bad arguments and errors while running reject with TorchError', async () => {
    const m = torch.jit.load(fixturePath('scripted.pt'));
    m.train();
    await expect(m.forward_async(f64(fx.scripted.x))).rejects.toThrow(/needs eval mode/);
    m.eval();
    await expect(m.forward_async(3)).rejects.toThrow(/Expected a value of type 'Tensor'/);
    await expect(m.embed_async(torch.zeros([2, 7], { dtype: torch.float64 }))).rejects.toThrow(torch.TorchError);
    expect(await m.describe_async([1.5, 2.25, -1.0], [7, 'seven'], true, 4)).toEqual(fx.scripted.describe);
  });

  test('the work runs off the JS thread: timers fire while a long job runs', async () => {
    const a = torch.randn([400, 400]).mul(0.05);
    const t = torch.jit.trace((x: torch.Tensor) => {
      let y = x;
      for (let i = 0; i < 12; i++) y = y.matmul(x).tanh();
      return y;
    }, [a]);
    expect(torch.equal(await t.forward_async(a), t(a))).toBe(true);
    let ticks = 0;
    const iv = setInterval(() => ticks++, 1);
    const t0 = Date.now();
    await t.forward_async(a);
    const ms = Date.now() - t0;
    clearInterval(iv);
    if (ms > 20) expect(ticks).toBeGreaterThan(0);
  });
});
