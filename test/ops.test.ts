// The generated op surface against PyTorch: each case of test/fixtures/core_ops.json (made by
// make_core.py) is called through torch-node with the same positional and keyword arguments.
import * as torch from '../lib';
import { loadFixture, fromFixture, expectTensorClose, dtypeByName } from './helpers';
import { native } from '../lib/binding';

const fx = loadFixture('core_ops.json');
const inputs: Record<string, torch.Tensor> = {};
for (const [k, v] of Object.entries<any>(fx.inputs)) inputs[k] = fromFixture(v);

function arg(x: any): any {
  if (x && typeof x === 'object' && !Array.isArray(x)) {
    if ('$t' in x) return inputs[x.$t];
    if ('$tensor' in x) return fromFixture(x.$tensor);
  }
  if (Array.isArray(x)) return x.map(arg);
  return x;
}

function fn(name: string): (...a: any[]) => any {
  const t = torch as any;
  if (name.startsWith('_nn.')) return t._nn[name.slice(4)];
  for (const ns of ['linalg', 'special', 'fft']) if (name.startsWith(ns + '_')) return t[ns][name.slice(ns.length + 1)];
  return t[name];
}

function check(got: any, want: any): void {
  if ('tensor' in want) expectTensorClose(got, want.tensor, 1e-5, 1e-5);
  else if ('list' in want) {
    expect(Array.isArray(got)).toBe(true);
    expect(got.length).toBe(want.list.length);
    want.list.forEach((w: any, i: number) => check(got[i], w));
  } else if (typeof want.value === 'number') expect(got).toBeCloseTo(want.value, 5);
  else expect(got).toEqual(want.value);
}

describe('generated ops match PyTorch 1.13', () => {
  for (const c of fx.cases) {
    const kw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries<any>(c.kwargs)) kw[k] = k === 'dtype' ? dtypeByName(v) : arg(v);
    const label = `${c.kind === 'm' ? 'Tensor.' : 'torch.'}${c.name}(${JSON.stringify(c.args).slice(0, 60)}, ${JSON.stringify(c.kwargs)})`;
    test(label, () => {
      const args = c.args.map(arg);
      const extra = Object.keys(kw).length ? [kw] : [];
      const out = c.kind === 'f' ? fn(c.name)(...args, ...extra) : args[0][c.name](...args.slice(1), ...extra);
      check(out, c.out);
    });
  }
});

describe('argument rules', () => {
  const a = inputs.a;
  test('positional and keyword forms are equivalent', () => {
    const x = torch.sum(a, 1, { keepdim: true }).tolist();
    expect(torch.sum(a, { dim: 1, keepdim: true }).tolist()).toEqual(x);
    expect(a.sum({ dim: 1, keepdim: true }).tolist()).toEqual(x);
    expect(torch.sum({ input: a, dim: 1, keepdim: true }).tolist()).toEqual(x);
  });
  test('var-args sizes as in PyTorch', () => {
    expect(torch.zeros(2, 3).shape).toEqual([2, 3]);
    expect(torch.ones(2, 3, { dtype: torch.float64 }).dtype).toBe(torch.float64);
    expect(a.view(3, 2).shape).toEqual([3, 2]);
    expect(a.permute(1, 0).shape).toEqual([3, 2]);
  });
  test('in-place ops return the same JS object', () => {
    const x = a.clone();
    expect(x.add_(1)).toBe(x);
    expect(x.mul_(a)).toBe(x);
    expect(torch.relu_(x)).toBe(x);
  });
  test('an unknown keyword is a TypeError naming it', () => {
    expect(() => a.sum({ dimm: 1 } as any)).toThrow(/unexpected keyword argument 'dimm'/);
  });
  test('a wrong type lists the accepted signatures', () => {
    expect(() => torch.add(a, 'x' as any)).toThrow(TypeError);
    expect(() => torch.add(a, 'x' as any)).toThrow(/invalid combination of arguments - got \(Tensor, str\)/);
  });
  test('a Module-like object where a Tensor is expected is a TypeError, not a crash', () => {
    expect(() => torch.matmul(a, { forward() {} } as any)).toThrow(TypeError);
    expect(() => torch.matmul(a, { _h: 12345 } as any)).toThrow(TypeError);
  });
});

// Overloads of the 1.13 op table that later libtorch releases removed (scripts/codegen/model.js
// REMOVED): they work where libtorch has them and are a TorchError naming the libtorch version
// elsewhere, never a crash.
describe('ops removed in later libtorch releases', () => {
  const built = native._build_info().torch_version;
  const [maj, min] = built.split('.').map(Number);
  const before = (M: number, m: number) => maj < M || (maj === M && min < m);
  const m = inputs.a.matmul(inputs.a.t()).add(torch.eye(inputs.a.shape[0]));
  if (before(2, 0)) {
    test(`symeig, frobenius_norm(self) work on libtorch ${built}`, () => {
      // frobenius_norm(self) is frobenius_norm(self, [0, 1]) in 1.13 (LinearAlgebra.cpp)
      expect(torch.frobenius_norm(m).item()).toBeCloseTo(Number(torch.frobenius_norm(m, [0, 1]).item()), 5);
      const [e] = torch.symeig(m);
      expect(e.shape).toEqual([m.shape[0]]);
    });
  } else {
    test(`symeig, frobenius_norm(self) throw TorchError on libtorch ${built}`, () => {
      expect(() => torch.frobenius_norm(m)).toThrow(torch.TorchError);
      expect(() => torch.frobenius_norm(m)).toThrow(new RegExp(`not available in libtorch ${built}.*frobenius_norm\\(input, dim\\)`));
      expect(() => torch.symeig(m)).toThrow(/symeig is not available in libtorch .*torch\.linalg\.eigh/);
      expect(torch.frobenius_norm(m, [0, 1]).dim()).toBe(0);
    });
  }
  if (before(2, 14)) {
    test(`qr, cholesky work on libtorch ${built}`, () => {
      // as their torch.linalg replacements (same LAPACK kernels)
      expect(torch.allclose(torch.qr(m)[1], torch.linalg.qr(m)[1], { rtol: 1e-5, atol: 1e-5 })).toBe(true);
      expect(torch.allclose(torch.cholesky(m), torch.linalg.cholesky(m), { rtol: 1e-5, atol: 1e-5 })).toBe(true);
    });
  } else {
    test(`qr, cholesky throw TorchError on libtorch ${built}`, () => {
      expect(() => torch.qr(m)).toThrow(/qr is not available in libtorch .*torch\.linalg\.qr/);
      expect(() => torch.cholesky(m)).toThrow(/cholesky is not available in libtorch .*torch\.linalg\.cholesky/);
    });
  }
});
