/**
 * torch.jit.trace of torch-node modules and functions, torch.jit.save (read back by torch-node and
 * by Python's torch.jit.load, which must compute the same numbers), freeze and
 * optimize_for_inference. Float64 models; the Python oracle runs /usr/bin/python3 and is skipped,
 * with the reason in the test name, when it lacks torch.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../../lib';
import { expectClose, f64, fixturePath, fx, nested, pythonMissing, pythonRun, tmpdir } from './helpers';

const nn = torch.nn;
const dir = tmpdir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

class Net extends nn.Module {
  conv = new nn.Conv2d(1, 3, 3, { padding: 1 });
  bn = new nn.BatchNorm2d(3);
  head = new nn.Sequential(new nn.Flatten(), new nn.Linear(3 * 4 * 4, 5), new nn.Tanh());
  forward(x: torch.Tensor): torch.Tensor {
    return this.head(torch.relu(this.bn(this.conv(x))));
  }
}

function makeNet(): Net {
  torch.manual_seed(3);
  const n = new Net().double();
  n.eval();
  return n;
}

describe('torch.jit.trace', () => {
  const net = makeNet();
  const x = torch.rand([2, 1, 4, 4], { dtype: torch.float64 });

  test('a module: same outputs, same parameter names and tensors', () => {
    const t = torch.jit.trace(net, x);
    expect(t).toBeInstanceOf(torch.jit.ScriptModule);
    expect(torch.equal(t(x), net(x))).toBe(true);
    const x2 = torch.rand([3, 1, 4, 4], { dtype: torch.float64 });
    expect(torch.equal(t(x2), net(x2))).toBe(true);
    expect(Object.keys(t.state_dict())).toEqual(Object.keys(net.state_dict()));
    expect(t.named_modules().map((e) => e[0])).toEqual(net.named_modules().map((e) => e[0]));
    expect(t.named_modules().map((e) => e[1]._get_name())).toEqual(net.named_modules().map((e) => e[1]._get_name()));
    expect(t.training).toBe(false);
    // the traced module computes with the module's own tensors
    const w = net.conv.weight;
    torch.no_grad(() => w.mul_(2));
    try {
      expect(torch.equal(t(x), net(x))).toBe(true);
    } finally {
      torch.no_grad(() => w.div_(2));
    }
  });

  test('autograd through the traced module gives the module\'s gradients', () => {
    const t = torch.jit.trace(net, x);
    net.zero_grad();
    net(x).pow(2).sum().backward();
    const want = net.parameters().map((p) => p.grad!.clone());
    net.zero_grad();
    t(x).pow(2).sum().backward();
    const got = net.parameters().map((p) => p.grad!);
    got.forEach((g, i) => expect(torch.allclose(g, want[i], 0, 1e-14)).toBe(true));
  });

  test('a function of several tensors returning a tuple', () => {
    const a = torch.rand([3], { dtype: torch.float64 });
    const b = torch.rand([3], { dtype: torch.float64 });
    const f = torch.jit.trace((p: torch.Tensor, q: torch.Tensor) => [p.mul(q).add(1), p.sin()], [a, b]);
    const c = torch.rand([3], { dtype: torch.float64 });
    const [u, v] = f(c, b);
    expect(torch.equal(u, c.mul(b).add(1))).toBe(true);
    expect(torch.equal(v, c.sin())).toBe(true);
    expect(f.code).toContain('torch.sin');
  });

  test('check_trace refuses a function that is not a function of its inputs; errors are clean', () => {
    const a = torch.rand([4]);
    expect(() => torch.jit.trace((p: torch.Tensor) => p.add(torch.rand([4])), [a])).toThrow(/Tracing failed sanity checks/);
    expect(torch.jit.trace((p: torch.Tensor) => p.add(torch.rand([4])), [a], { check_trace: false })).toBeInstanceOf(torch.jit.ScriptModule);
    expect(() => torch.jit.trace((p: torch.Tensor) => 3 as any, [a])).toThrow(TypeError);
    expect(() => torch.jit.trace((p: torch.Tensor) => { throw new RangeError('inside'); }, [a])).toThrow('inside');
    expect(() => torch.jit.trace(net, ['x' as any])).toThrow(TypeError);
    expect(() => torch.jit.save(net as any, path.join(dir, 'x.pt'))).toThrow(TypeError);
  });
});

describe('torch.jit.save', () => {
  test('round trip through a file, a stream and _extra_files', () => {
    const m = torch.jit.load(fixturePath('scripted.pt'));
    m.eval();
    const p = path.join(dir, 'again.pt');
    torch.jit.save(m, p, { 'meta.txt': 'hello' });
    const extra: Record<string, any> = { 'meta.txt': '' };
    const m2 = torch.jit.load(p, { _extra_files: extra });
    expect(Buffer.from(extra['meta.txt']).toString()).toBe('hello');
    m2.eval();
    expectClose(m2(f64(fx.scripted.x))[0], fx.scripted.y, 1e-10);
    const chunks: Uint8Array[] = [];
    m.save({ write: (b: Uint8Array) => chunks.push(b) });
    const m3 = torch.jit.load(Buffer.concat(chunks));
    m3.eval();
    expectClose(m3.embed(f64(fx.scripted.x)), fx.scripted.embed, 1e-10);
    expect(() => torch.jit.save(m, '/nonexistent-dir/x.pt')).toThrow(torch.TorchError);
  });
});

(pythonMissing ? describe.skip : describe)(`Python's torch.jit.load runs what torch-node saves${pythonMissing ? ` (skipped: ${pythonMissing})` : ''}`, () => {
  test('a torch-node module traced in JS: same outputs and state_dict in Python', () => {
    const net = makeNet();
    const x = torch.rand([2, 1, 4, 4], { dtype: torch.float64 });
    const t = torch.jit.trace(net, x);
    const p = path.join(dir, 'node_traced.pt');
    torch.jit.save(t, p);
    const r = pythonRun(p, [x]);
    expectClose(net(x), nested(r.outputs[0]), 1e-12);
    const sd = net.state_dict();
    expect(Object.keys(r.state_dict)).toEqual(Object.keys(sd));
    for (const k of Object.keys(sd)) expectClose(sd[k], nested(r.state_dict[k]), 0);
    expect(r.training).toBe(false);
  });

  test('a Python-scripted module loaded, changed and saved by torch-node', () => {
    const m = torch.jit.load(fixturePath('traced_cnn.pt'));
    torch.no_grad(() => m.fc.bias.add_(1));
    const p = path.join(dir, 'cnn_plus1.pt');
    torch.jit.save(m, p);
    const r = pythonRun(p, [f64(fx.cnn.x)]);
    const want = (fx.cnn.y as number[][]).map((row) => row.map((v) => v + 1));
    expectClose(m(f64(fx.cnn.x)), nested(r.outputs[0]), 1e-12);
    expectClose(m(f64(fx.cnn.x)), want, 1e-10);
  });
});

describe('torch.jit.freeze, optimize_for_inference, set_fusion_strategy', () => {
  test('frozen and optimized modules compute what the module computes', () => {
    const m = torch.jit.load(fixturePath('traced_cnn.pt'));
    m.eval();
    const fr = torch.jit.freeze(m);
    expect(fr.parameters()).toHaveLength(0);
    expectClose(fr(f64(fx.cnn.x)), fx.cnn.y, 1e-10);
    const opt = torch.jit.optimize_for_inference(m);
    expectClose(opt(f64(fx.cnn.x2)), fx.cnn.y2, 1e-10);
    const s = torch.jit.load(fixturePath('scripted.pt'));
    s.eval();
    const keep = torch.jit.freeze(s, ['embed']);
    expectClose(keep.embed(f64(fx.scripted.x)), fx.scripted.embed, 1e-10);
    s.train();
    expect(() => torch.jit.freeze(s)).toThrow(/eval mode/);
  });

  test('set_fusion_strategy returns the previous strategy', () => {
    const prev = torch.jit.set_fusion_strategy([['DYNAMIC', 3]]);
    expect(torch.jit.set_fusion_strategy(prev as any)).toEqual([['DYNAMIC', 3]]);
    expect(() => torch.jit.set_fusion_strategy([['SOMETIMES' as any, 1]])).toThrow(torch.TorchError);
  });
});
