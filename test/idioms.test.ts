// The Python-level idioms that ported programs use (Tensor.data, .T/.mT/.H/.mH, iteration and len
// over dim 0, new_*, as_tensor, requires_grad/out on factories, set_default_dtype everywhere, the
// legacy constructors, torch.device/Generator without new) against PyTorch 1.13
// (fixture: test/fixtures/make_idioms.py → idioms.json).
import * as torch from '../lib';

const F = require('./fixtures/idioms.json');
const t64 = (a: unknown) => torch.tensor(a, { dtype: torch.float64 });
const W = () => torch.arange(6, { dtype: torch.float64 }).reshape(2, 3);
const B = () => torch.arange(24, { dtype: torch.float64 }).reshape(2, 3, 4);

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}
// PyTorch's RuntimeError is torch-node's TorchError; the other Python error types keep their name.
const pyName = (e: Error) => (e.name === 'TorchError' ? 'RuntimeError' : e.name);
const err = (fn: () => unknown) => {
  const e = thrown(fn);
  return [pyName(e), e.message];
};

describe('torch.device and torch.Generator without new', () => {
  test('device', () => {
    const d = torch.device('cpu');
    expect(d).toBeInstanceOf(torch.device);
    expect(String(d)).toBe('cpu');
    expect(torch.device('cuda', 1).index).toBe(1);
    expect(new torch.device('cpu')).toBeInstanceOf(torch.device);
    expect(torch.zeros(1).device).toBeInstanceOf(torch.device);
    class MyDevice extends torch.device {}
    expect(new MyDevice('cpu')).toBeInstanceOf(torch.device);
    expect(torch.device.name).toBe('device');
  });
  test('Generator', () => {
    const g = torch.Generator().manual_seed(3);
    expect(g).toBeInstanceOf(torch.Generator);
    const a = torch.randn([4], { generator: g }).tolist();
    const b = torch.randn([4], { generator: new torch.Generator().manual_seed(3) }).tolist();
    expect(a).toEqual(b);
    class MyGen extends torch.Generator {}
    expect(new MyGen()).toBeInstanceOf(torch.Generator);
  });
});

describe('.T, .mT, .H, .mH', () => {
  const T = F.transpose;
  test('values', () => {
    expect(W().T.tolist()).toEqual(T['W.T']);
    expect(W().mT.tolist()).toEqual(T['W.mT']);
    expect(W().H.tolist()).toEqual(T['W.H']);
    expect(W().mH.tolist()).toEqual(T['W.mH']);
    expect(B().T.tolist()).toEqual(T['B.T']);
    expect(B().mT.tolist()).toEqual(T['B.mT']);
    expect(B().mH.tolist()).toEqual(T['B.mH']);
    expect(torch.zeros(3).T.shape).toEqual(T['v.T shape']);
    expect(torch.tensor(1).mT.shape).toEqual(T['s.mT shape']);
  });
  test('complex: conjugate transpose', () => {
    const Z = torch.complex(t64([[1, 0], [4, 5]]), t64([[2, 3], [0, -1]]));
    expect(torch.real(Z.H).tolist()).toEqual(T['Z.H.real']);
    expect(torch.imag(Z.H).tolist()).toEqual(T['Z.H.imag']);
    expect(torch.imag(Z.mH).tolist()).toEqual(T['Z.mH.imag']);
  });
  test('autograd nodes', () => {
    const x = torch.zeros(2, 3, { requires_grad: true });
    for (const a of ['T', 'mT', 'H', 'mH']) expect([a, (x as any)[a].grad_fn.name()]).toEqual([a, T.grad_fn[a]]);
  });
  test("PyTorch's errors for the wrong number of dimensions", () => {
    expect(err(() => torch.zeros(3).mT)).toEqual(T.errors['mT 1-D']);
    expect(err(() => torch.zeros(3).H)).toEqual(T.errors['H 1-D']);
    expect(err(() => B().H)).toEqual(T.errors['H 3-D']);
    expect(err(() => torch.zeros(3).mH)).toEqual(T.errors['mH 1-D']);
  });
});

describe('iteration and len() over dim 0', () => {
  test('for...of yields the rows', () => {
    const rows: number[][] = [];
    for (const r of W()) rows.push(r.tolist());
    expect(rows).toEqual(F.iter.rows);
    expect([...B()].map((r) => r.tolist())).toEqual(F.iter['rows B']);
    expect(Array.from(W(), (r) => r.sum().item())).toEqual(F.iter.rows.map((r: number[]) => r.reduce((a, b) => a + b)));
  });
  test('rows are views that autograd tracks', () => {
    const x = torch.zeros(2, 3, { requires_grad: true });
    const [r0] = x;
    expect(r0.grad_fn!.name()).toBe(F.iter.grad_fn);
    const w = W();
    for (const r of w) r.mul_(2);
    expect(w.idx(1, 2).item()).toBe(10);
  });
  test('len: __len__() and length', () => {
    expect(W().__len__()).toBe(F.iter.len);
    expect(W().length).toBe(F.iter.len);
    expect(B().length).toBe(F.iter['len B']);
  });
  test('0-d tensors: TypeErrors', () => {
    expect(err(() => [...torch.tensor(1)])).toEqual(F.iter.errors['iter 0-d']);
    expect(err(() => torch.tensor(1).length)).toEqual(F.iter.errors['len 0-d']);
    expect(err(() => torch.tensor(1).__len__())).toEqual(F.iter.errors['len 0-d']);
  });
});

describe('Tensor.data', () => {
  const D = F.data;
  test('an alias outside autograd with its own version counter', () => {
    const p = t64([1, 2, 3]).requires_grad_();
    const y = p.mul(p).sum();
    const d = p.data;
    d.mul_(2);
    y.backward(); // no "modified by an inplace operation" error: d's version counter is its own
    expect(p.tolist()).toEqual(D['p after']);
    expect(p.grad!.tolist()).toEqual(D['p.grad']);
    expect([d.requires_grad, d.is_leaf]).toEqual([D['d.requires_grad'], D['d.is_leaf']]);
  });
  test('p.data.add_(p.grad, {alpha}) as the examples update parameters', () => {
    const p = t64([1, 2]).requires_grad_();
    p.mul(t64([3, 4])).sum().backward();
    p.data.add_(p.grad!, { alpha: -0.5 });
    expect(p.tolist()).toEqual(D.sgd);
    expect(p.requires_grad).toBe(true);
  });
  test('assignment', () => {
    const q = torch.tensor([1, 2], { requires_grad: true });
    q.data = t64([5, 6, 7]);
    expect([q.tolist(), String(q.dtype), q.requires_grad]).toEqual([D.q, D['q.dtype'], D['q.requires_grad']]);
    expect(err(() => { (torch.zeros(1) as any).data = 3; })).toEqual(D.error);
  });
});

describe('new_tensor, new_zeros, new_ones, new_full, new_empty', () => {
  const N = F.new;
  const x = () => torch.zeros(2, { dtype: torch.float64 });
  test("dtype and device are self's unless given", () => {
    expect([x().new_tensor([1, 2]).tolist(), String(x().new_tensor([1, 2]).dtype)]).toEqual(N.new_tensor);
    expect(String(x().new_tensor([1, 2], { dtype: torch.int32 }).dtype)).toBe(N['new_tensor int']);
    const fromT = x().new_tensor(torch.tensor([1n, 2n]));
    expect([String(fromT.dtype), fromT.tolist()]).toEqual(N['new_tensor tensor']);
    expect([x().new_zeros(2, 3).tolist(), String(x().new_zeros(2, 3).dtype)]).toEqual(N.new_zeros);
    expect([x().new_ones(2).tolist(), String(x().new_ones(2, { dtype: torch.int64 }).dtype)]).toEqual(N.new_ones);
    expect([x().new_full([2], 7).tolist(), String(x().new_full([2], 7).dtype)]).toEqual(N.new_full);
    expect([x().new_empty(3, 1).shape, String(x().new_empty(3, 1).dtype)]).toEqual(N.new_empty);
  });
  test('requires_grad', () => {
    expect([x().new_zeros(2, { requires_grad: true }).requires_grad, x().new_tensor([1], { requires_grad: true }).requires_grad]).toEqual(N.requires_grad);
  });
  test('new_tensor copies', () => {
    const src = t64([1, 2]);
    const c = x().new_tensor(src);
    c.add_(1);
    expect(src.tolist()).toEqual([1, 2]);
  });
});

test('torch.as_tensor', () => {
  const A = F.as_tensor;
  const a = torch.tensor([1, 2]);
  expect(torch.as_tensor(a) === a).toBe(A.same);
  expect(String(torch.as_tensor(a, { dtype: torch.float64 }).dtype)).toBe(A.float64);
  expect(String(torch.as_tensor([1.5, 2]).dtype)).toBe(A['list float']);
  expect(torch.as_tensor([[1, 2], [3, 4]], { dtype: torch.float64 }).tolist()).toEqual(A.values);
  expect(() => torch.as_tensor([1], { requires_grad: true } as any)).toThrow("as_tensor() got an unexpected keyword argument 'requires_grad'");
});

describe('factories take requires_grad and out', () => {
  const FA = F.factories;
  const w = W();
  const made: Record<string, () => torch.Tensor> = {
    randn: () => torch.randn(2, 3, { requires_grad: true }),
    rand: () => torch.rand(2, { requires_grad: true }),
    zeros: () => torch.zeros(2, { requires_grad: true }),
    ones: () => torch.ones(2, 2, { requires_grad: true }),
    full: () => torch.full([2], 3.5, { requires_grad: true }), // 3.5: a JS 3 is an int (torch.int64)
    empty: () => torch.empty(2, { requires_grad: true }),
    arange: () => torch.arange(0, 3, { dtype: torch.float32, requires_grad: true }),
    linspace: () => torch.linspace(0, 1, 5, { requires_grad: true }),
    eye: () => torch.eye(3, { requires_grad: true }),
    zeros_like: () => torch.zeros_like(w, { requires_grad: true }),
    ones_like: () => torch.ones_like(w, { requires_grad: true }),
    randn_like: () => torch.randn_like(w, { requires_grad: true }),
    full_like: () => torch.full_like(w, 2, { requires_grad: true }),
    logspace: () => torch.logspace(0, 1, 3, { requires_grad: true }),
  };
  for (const [name, fn] of Object.entries(made)) {
    test(name, () => {
      const t = fn();
      expect([t.shape, String(t.dtype), t.requires_grad, t.is_leaf]).toEqual(FA[name]);
    });
  }
  test('out', () => {
    const o = torch.empty(0);
    const r = torch.zeros(2, 3, { out: o });
    expect([r === o, o.shape, o.tolist()]).toEqual(FA.out);
  });
  test('no out= on *_like and new_*, as in PyTorch', () => {
    expect(() => torch.zeros_like(torch.zeros(2), { out: torch.empty(0) } as any)).toThrow("zeros_like() got an unexpected keyword argument 'out'");
    expect(() => torch.zeros(2).new_ones(2, { out: torch.empty(0) } as any)).toThrow("new_ones() got an unexpected keyword argument 'out'");
  });
  test('integer dtypes cannot require grad', () => {
    expect(err(() => torch.zeros(2, { dtype: torch.int64, requires_grad: true }))).toEqual(FA['int requires_grad']);
    expect(() => torch.zeros(2, { requires_grad: 1 as any })).toThrow("zeros(): argument 'requires_grad' must be bool, not number");
  });
});

describe('set_default_dtype governs every floating factory and layer', () => {
  const DD = F.default_dtype;
  test('float64', () => {
    const made: Record<string, () => torch.Tensor> = {
      randn: () => torch.randn(2), rand: () => torch.rand(2), zeros: () => torch.zeros(2), ones: () => torch.ones(2),
      empty: () => torch.empty(2), full: () => torch.full([2], 1.5), 'arange float': () => torch.arange(0, 1, 0.5),
      'arange int': () => torch.arange(3), linspace: () => torch.linspace(0, 1, 3), eye: () => torch.eye(2),
      tensor: () => torch.tensor([1.5]), 'Linear.weight': () => new torch.nn.Linear(2, 3).weight,
      'Conv2d.weight': () => new torch.nn.Conv2d(1, 2, 3).weight, 'LSTM.weight_ih_l0': () => (new torch.nn.LSTM(2, 3) as any).weight_ih_l0,
      'Embedding.weight': () => new torch.nn.Embedding(4, 2).weight,
      'BatchNorm1d.running_mean': () => (new torch.nn.BatchNorm1d(3) as any).running_mean, 'Tensor(2)': () => torch.Tensor(2),
      'int div': () => torch.tensor([1n, 2n]).div(2), 'complex zeros': () => torch.zeros(1, { dtype: torch.cfloat }),
      'randn complex': () => torch.complex(torch.zeros(1), torch.zeros(1)),
    };
    torch.set_default_dtype(torch.float64);
    try {
      const got: Record<string, string> = {};
      for (const [k, fn] of Object.entries(made)) got[k] = String(fn().dtype);
      got.get_default_dtype = String(torch.get_default_dtype());
      const { 'error int32': _e, ...want } = DD;
      expect(got).toEqual(want);
    } finally {
      torch.set_default_dtype(torch.float32);
    }
    expect(torch.randn(1).dtype).toBe(torch.float32);
    expect(err(() => torch.set_default_dtype(torch.int32))).toEqual(DD['error int32']);
  });
});

describe('legacy constructors', () => {
  const L = F.legacy;
  const T = torch as any;
  const made: Record<string, () => torch.Tensor> = {
    'FloatTensor()': () => torch.FloatTensor(), 'FloatTensor(2, 3)': () => torch.FloatTensor(2, 3),
    'LongTensor([1, 2])': () => torch.LongTensor([1, 2]), 'FloatTensor([[1, 2]])': () => torch.FloatTensor([[1, 2]]),
    'Tensor(2, 3)': () => torch.Tensor(2, 3), 'Tensor([1, 2])': () => torch.Tensor([1, 2]),
    'BoolTensor([1, 0])': () => torch.BoolTensor([1, 0]), 'ByteTensor(3)': () => torch.ByteTensor(3),
    'IntTensor([3, 4])': () => torch.IntTensor([3, 4]), 'DoubleTensor([1.5])': () => torch.DoubleTensor([1.5]),
    'HalfTensor([1])': () => torch.HalfTensor([1]), 'BFloat16Tensor([1])': () => torch.BFloat16Tensor([1]),
    'CharTensor([-1])': () => torch.CharTensor([-1]), 'ShortTensor([2])': () => torch.ShortTensor([2]),
    'FloatTensor(2, device=cpu)': () => torch.FloatTensor(2, { device: 'cpu' }), 'Tensor()': () => torch.Tensor(),
  };
  for (const [name, fn] of Object.entries(made)) {
    test(name, () => {
      const t = fn();
      const want = L[name];
      expect([String(t.dtype), t.shape, t.type()]).toEqual([want.dtype, want.shape, want.type]);
      if (want.data !== null) expect(t.tolist()).toEqual(want.data);
    });
  }
  test('with new, as in the examples', () => {
    const t = new torch.Tensor(2, 3);
    expect([t.shape, t.dtype]).toEqual([[2, 3], torch.float32]);
    expect(new torch.LongTensor([1, 2]).tolist()).toEqual([1, 2]);
  });
  test('from a tensor: an alias', () => {
    const t = torch.zeros(2, { requires_grad: true });
    const u = torch.FloatTensor(t);
    expect(u === t).toBe(L.alias.is);
    expect(u.requires_grad).toBe(L.alias.requires_grad);
    u.data.add_(1);
    expect(t.tolist()).toEqual([1, 1]);
  });
  test('instanceof by dtype', () => {
    const I = L.isinstance;
    expect(torch.zeros(2) instanceof T.FloatTensor).toBe(I['float FloatTensor']);
    expect(torch.zeros(2, { dtype: torch.long }) instanceof T.FloatTensor).toBe(I['long FloatTensor']);
    expect(torch.zeros(2, { dtype: torch.long }) instanceof T.LongTensor).toBe(I['long LongTensor']);
    expect(torch.zeros(2) instanceof torch.Tensor).toBe(I['float Tensor']);
    expect(torch.zeros(2, { dtype: torch.bool }) instanceof T.BoolTensor).toBe(I['bool BoolTensor']);
    expect(torch.zeros(2, { dtype: torch.float64 }) instanceof T.DoubleTensor).toBe(I['double DoubleTensor']);
  });
  test("PyTorch's errors", () => {
    const E = L.errors;
    expect(err(() => torch.LongTensor(torch.zeros(2)))).toEqual(E['LongTensor(float tensor)']);
    expect(err(() => torch.FloatTensor(2.5 as any))).toEqual(E['FloatTensor(2.5)']);
    expect(err(() => torch.FloatTensor(-1))).toEqual(E['FloatTensor(-1)']);
    expect(err(() => (torch.LongTensor as any)(2, [3]))).toEqual(E['LongTensor(2, [3])']);
  });
  test('torch.Tensor is still the class: subclassing and prototype', () => {
    class Mine extends torch.Tensor {}
    const h = torch.zeros(2);
    expect(Object.getPrototypeOf(Mine.prototype)).toBe(torch.Tensor.prototype);
    expect(h).toBeInstanceOf(torch.Tensor);
    expect(typeof torch.Tensor.prototype.add).toBe('function');
  });
});

test('complex tolist: {real, imag} per element', () => {
  const Z = torch.complex(t64([[1, 0], [4, 5]]), t64([[2, 3], [0, -1]]));
  const got = (Z.tolist() as { real: number; imag: number }[][]).map((row) => row.map((c) => [c.real, c.imag]));
  expect(got).toEqual(F.complex_tolist.values);
  const s = torch.complex(torch.tensor(1.5), torch.tensor(-2)).tolist();
  expect([s.real, s.imag]).toEqual(F.complex_tolist['complex64 0-d']);
});

describe('module calls check forward arity', () => {
  test("built-in layer: Python's TypeError", () => {
    const l = new torch.nn.Linear(2, 2);
    expect(err(() => l(torch.zeros(1, 2), torch.zeros(1, 2)))).toEqual(F.module_arity);
  });
  test('user modules: defaults, rest parameters, arrow fields, inherited forward', () => {
    class Net extends torch.nn.Module {
      fc = new torch.nn.Linear(2, 2);
      forward(x: torch.Tensor, scale = 1) {
        return this.fc(x).mul(scale);
      }
    }
    const n = new Net();
    expect(n(torch.zeros(1, 2), 2).shape).toEqual([1, 2]);
    expect(err(() => (n as any)(torch.zeros(1, 2), 2, 3))).toEqual(['TypeError', 'Net.forward() takes from 2 to 3 positional arguments but 4 were given']);
    class Sub extends Net {}
    expect(err(() => (new Sub() as any)(1, 2, 3))).toEqual(['TypeError', 'Net.forward() takes from 2 to 3 positional arguments but 4 were given']);
    class Rest extends torch.nn.Module {
      forward(...a: unknown[]) {
        return a.length;
      }
    }
    expect(new Rest()(1, 2, 3, 4)).toBe(4);
    class Arrow extends torch.nn.Module {
      forward = (x: unknown) => x;
    }
    expect(err(() => (new Arrow() as any)(1, 2))).toEqual(['TypeError', 'Arrow.forward() takes 2 positional arguments but 3 were given']);
    const seq = new torch.nn.Sequential(new torch.nn.Linear(2, 2));
    expect(() => (seq as any)(torch.zeros(1, 2), 1)).toThrow('Sequential.forward() takes 2 positional arguments but 3 were given');
  });
  test('hooks see the same check', () => {
    const l = new torch.nn.Linear(2, 2);
    l.register_forward_pre_hook(() => undefined);
    expect(err(() => l(torch.zeros(1, 2), 1))).toEqual(F.module_arity);
  });
});

test('len(): __len__() and length on the containers', () => {
  const nn = torch.nn;
  const seq = new nn.Sequential(new nn.ReLU(), new nn.Tanh());
  const ml = new nn.ModuleList([new nn.ReLU()]);
  const md = new nn.ModuleDict({ a: new nn.ReLU(), b: new nn.ReLU(), c: new nn.ReLU() });
  const pl = new nn.ParameterList([new nn.Parameter(torch.zeros(1))]);
  const pd = new nn.ParameterDict({ w: new nn.Parameter(torch.zeros(1)), b: new nn.Parameter(torch.zeros(1)) });
  for (const [c, n] of [[seq, 2], [ml, 1], [md, 3], [pl, 1], [pd, 2]] as [any, number][]) {
    expect([c.__len__(), c.length]).toEqual([n, n]);
  }
});

test('torch.save(model) says to save the state_dict', () => {
  const m = new torch.nn.Linear(2, 2);
  expect(() => torch.save(m as any, '/nonexistent/never-written.pt')).toThrow(/cannot save the nn.Module Linear itself.*torch.save\(model.state_dict\(\), f\)/);
});

test("require('torch-node/package.json') resolves (package.json is exported)", () => {
  const { execFileSync } = require('child_process');
  const root = require('path').join(__dirname, '..');
  const v = execFileSync(process.execPath, ['-p', "require('torch-node/package.json').version"], { cwd: root, encoding: 'utf8' }).trim();
  expect(v).toBe(require('../package.json').version);
});

describe('torch/functional.py and torch/_tensor.py functions', () => {
  const WI = F.wider;
  const X = () => torch.arange(12, { dtype: torch.float64 }).reshape(3, 4).sub(5);
  const M = () => t64([[2, 1, 0], [1, 3, 1], [0, 1, 4]]);
  const S = () => torch.arange(9, { dtype: torch.float64 }).reshape(3, 3);
  // Python's ValueError is torch-node's RangeError.
  const errV = (fn: () => unknown) => {
    const [n, m] = err(fn);
    return [n === 'RangeError' ? 'ValueError' : n, m];
  };
  const close = (a: number[] | number[][] | number, b: typeof a) => {
    const fa = [a].flat(2) as number[];
    const fb = [b].flat(2) as number[];
    expect(fa.length).toBe(fb.length);
    fa.forEach((v, i) => expect(Math.abs(v - fb[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(fb[i]))));
  };
  test('norm', () => {
    close(torch.norm(X()).item() as number, WI['norm()']);
    close(X().norm().item() as number, WI['x.norm()']);
    close(torch.norm(X(), 'fro', { dim: 1 }).tolist(), WI["norm('fro', dim=1)"]);
    close(torch.norm(X(), { dim: 1 }).tolist(), WI['norm(dim=1)']);
    close(X().norm(1, 1).tolist(), WI['norm(1, 1)']);
    close(torch.norm(X(), torch.inf).item() as number, WI['norm(inf)']);
    close(torch.norm(M(), 'nuc').item() as number, WI["norm('nuc')"]);
    close(torch.norm(X(), 2, [0, 1], true).tolist(), WI['norm(2, [0, 1], keepdim)']);
    close(torch.norm(X(), 3, { dim: 0, dtype: torch.float64 }).tolist(), WI['norm(3, dtype)']);
    expect(err(() => torch.norm(X(), 'foo', { dim: 1 }))).toEqual(WI['norm bad p']);
  });
  test('tensordot', () => {
    expect(torch.tensordot(X(), X().T, 1).tolist()).toEqual(WI['tensordot 1']);
    expect(torch.tensordot(X(), X(), 2).item()).toBe(WI['tensordot 2']);
    expect(torch.tensordot(X(), X(), [[0], [0]]).tolist()).toEqual(WI['tensordot lists']);
    expect(torch.tensordot(X(), X(), { dims: [1, 1] }).tolist()).toEqual(WI['tensordot ints']);
    expect(torch.tensordot(X(), X(), 0).shape).toEqual(WI['tensordot 0']);
  });
  test('variadic tensors', () => {
    expect(torch.broadcast_tensors(X(), torch.zeros(4), torch.zeros(3, 1)).map((t) => t.shape)).toEqual(WI.broadcast_tensors);
    expect(torch.broadcast_shapes([3, 1], [1, 4], [4])).toEqual(WI.broadcast_shapes);
    expect(torch.broadcast_shapes(2, [3, 1])).toEqual(WI['broadcast_shapes int']);
    expect(err(() => torch.broadcast_shapes([2, 3], [4, 3]))).toEqual(WI['broadcast_shapes bad']);
    expect(torch.block_diag(M(), t64([[7]])).tolist()).toEqual(WI.block_diag);
    expect(torch.cartesian_prod(torch.tensor([1n, 2n]), torch.tensor([3n, 4n, 5n])).tolist()).toEqual(WI.cartesian_prod);
    expect(torch.chain_matmul(M(), M(), M()).tolist()).toEqual(WI.chain_matmul);
    expect(torch.atleast_2d(torch.tensor(1)).shape).toEqual(WI.atleast_2d);
    expect(torch.atleast_3d(torch.tensor(1), torch.zeros(2)).map((t: torch.Tensor) => t.shape)).toEqual(WI['atleast_3d many']);
    expect(torch.atleast_1d([torch.tensor(1), torch.zeros(2, 2)]).map((t: torch.Tensor) => t.shape)).toEqual(WI['atleast_1d list']);
  });
  test('lu', () => {
    const lists = (ts: torch.Tensor[]) => ts.map((t) => t.tolist());
    const nums = (a: unknown) => JSON.parse(JSON.stringify(a));
    close(nums(lists(torch.lu(M())).flat(1)), nums(WI.lu.flat(1)));
    const [LU, piv, info] = torch.lu(S(), { get_infos: true });
    close(LU.tolist(), WI['lu singular'][0]);
    expect([piv.tolist(), info.tolist()]).toEqual([WI['lu singular'][1], WI['lu singular'][2]]);
    expect(M().lu().length).toBe(WI['x.lu'].length);
  });
  test('Tensor.unique, unique_consecutive', () => {
    const v = () => torch.tensor([3n, 1n, 3n, 2n]);
    expect((v().unique() as torch.Tensor).tolist()).toEqual(WI.unique);
    expect((v().unique({ return_counts: true }) as torch.Tensor[]).map((t) => t.tolist())).toEqual(WI['unique counts']);
    expect((torch.tensor([1n, 1n, 2n, 1n]).unique_consecutive() as torch.Tensor).tolist()).toEqual(WI.unique_consecutive);
  });
  test('dtype predicates and promotion', () => {
    expect([torch.is_floating_point(X()), torch.is_floating_point(torch.tensor([1n]))]).toEqual(WI.is_floating_point);
    expect([torch.is_complex(X()), torch.is_complex(torch.zeros(1, { dtype: torch.cfloat }))]).toEqual(WI.is_complex);
    expect([torch.is_nonzero(torch.tensor([1])), torch.is_nonzero(torch.tensor(0n)), torch.is_nonzero(torch.tensor([false]))]).toEqual(WI.is_nonzero);
    expect(err(() => torch.is_nonzero(torch.tensor([1, 2])))).toEqual(WI['is_nonzero many']);
    expect(err(() => torch.is_nonzero(torch.tensor([])))).toEqual(WI['is_nonzero none']);
    expect([
      torch.result_type(torch.tensor([1n, 2n]), 1.5), torch.result_type(torch.tensor(1, { dtype: torch.int32 }), torch.tensor([1], { dtype: torch.uint8 })),
      torch.result_type(torch.tensor([1], { dtype: torch.int32 }), 5), torch.result_type(torch.tensor([1], { dtype: torch.float16 }), torch.tensor(1, { dtype: torch.float64 })),
      torch.result_type(torch.tensor([true]), 2), torch.result_type(2, 3.5),
    ].map(String)).toEqual(WI.result_type);
    expect([[torch.int32, torch.float32], [torch.uint8, torch.int8], [torch.bool, torch.int16], [torch.float16, torch.bfloat16], [torch.int64, torch.complex64]]
      .map(([a, b]) => String(torch.promote_types(a, b)))).toEqual(WI.promote_types);
    expect([[torch.float32, torch.int32], [torch.int32, torch.float32], [torch.complex64, torch.float64], [torch.int8, torch.bool], [torch.bool, torch.int8],
      [torch.float64, torch.float16], [torch.uint8, torch.int8]].map(([a, b]) => torch.can_cast(a, b))).toEqual(WI.can_cast);
  });
  test('__contains__, __reversed__, real, imag, type()', () => {
    const v = torch.tensor([1n, 2n, 3n]);
    expect([v.__contains__(3), v.__contains__(4), torch.tensor([1n, 2n]).__contains__(torch.tensor(2n))]).toEqual(WI.contains);
    expect(err(() => v.__contains__('a' as any))).toEqual(WI['contains str']);
    expect(torch.tensor([[1n, 2n], [3n, 4n]]).__reversed__().tolist()).toEqual(WI.reversed);
    expect(torch.tensor([1.5, 2]).real.tolist()).toEqual(WI.real);
    const z = torch.complex(torch.tensor([1, 2]), torch.tensor([3, 4]));
    expect([z.real.tolist(), z.imag.tolist()]).toEqual([WI['complex real'], WI['complex imag']]);
    expect(err(() => torch.tensor([1]).imag)).toEqual(WI['imag real']);
    const i = torch.tensor([1n, 2n]);
    expect([(i.type(torch.FloatTensor) as torch.Tensor).type(), (i.type('torch.DoubleTensor') as torch.Tensor).type(),
      (torch.tensor([1, 2]).type(torch.int32) as torch.Tensor).type(), torch.tensor([1.5]).type()]).toEqual(WI.type);
    expect(errV(() => i.type('torch.Foo'))).toEqual(WI['type bad']);
  });
});

describe('tensor data holding tensors, asarray, set_default_tensor_type', () => {
  const C = F.ctor;
  test('one-element tensors inside torch.tensor data are their values', () => {
    expect([
      String(torch.tensor([torch.tensor(1.5), torch.tensor(2)]).dtype), String(torch.tensor([torch.tensor(1n), torch.tensor(2n)]).dtype),
      String(torch.tensor([torch.tensor(true)]).dtype), torch.tensor([[torch.tensor(1.5), 2]]).tolist(), torch.tensor([torch.tensor([1])]).tolist(),
    ]).toEqual(C['tensor of 0-d']);
    const [name, message] = err(() => torch.tensor([torch.tensor([1, 2])]));
    expect([name === 'RangeError' ? 'ValueError' : name, message]).toEqual(C['tensor of 2-element']);
  });
  test('asarray', () => {
    const a = torch.tensor([1, 2]);
    const b = torch.asarray(a);
    b.idx_put_(0, 5);
    expect([torch.asarray(a) === a, torch.asarray(a, { copy: true }) === a, String(torch.asarray(a, { dtype: torch.float64 }).dtype),
      torch.asarray([1], { requires_grad: true }).requires_grad, a.tolist()]).toEqual(C.asarray);
    expect(() => torch.asarray(a, { dtype: torch.float64, copy: false })).toThrow(torch.TorchError);
  });
  test('set_default_tensor_type', () => {
    try {
      torch.set_default_tensor_type('torch.DoubleTensor');
      expect([String(torch.get_default_dtype()), String(torch.zeros(1).dtype)]).toEqual(C.set_default_tensor_type);
      torch.set_default_tensor_type(torch.FloatTensor);
      expect(String(torch.get_default_dtype())).toBe(C['set_default_tensor_type back']);
    } finally {
      torch.set_default_dtype(torch.float32);
    }
    expect(err(() => torch.set_default_tensor_type('torch.LongTensor'))).toEqual(C['set_default_tensor_type long']);
  });
});
