// Printing: toString()/util.inspect against str(tensor) from PyTorch (fixtures:
// test/fixtures/make_autograd.py → tensor_str.json).
import * as util from 'util';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { formatFixed, formatSci } from '../lib/_tensor_str';

const S: any[] = require('./fixtures/tensor_str.json');

function build(spec: any): Tensor {
  const dt = (torch as any)[spec.dtype ?? 'float32'];
  if (spec.make === 'values') {
    const t = torch.tensor(spec.values.map((v: any) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity').replace('nan', 'NaN')) : v)), { dtype: torch.float64 }).to(dt).reshape(spec.shape);
    if (spec.requires_grad) t.requires_grad_();
    return t;
  }
  if (spec.make === 'arange') {
    return torch.arange(spec.n, { dtype: torch.float64 }).mul(spec.scale).add(spec.offset).to(dt).reshape(spec.shape);
  }
  if (spec.make === 'complex') {
    return torch.complex(torch.tensor(spec.real, { dtype: dt }), torch.tensor(spec.imag, { dtype: dt })).reshape(spec.shape);
  }
  if (spec.make === 'copyslices') {
    const y = torch.tensor([1, 2, 3], { requires_grad: true }).mul(torch.tensor(1));
    return y.idx_put_(0, 5);
  }
  if (spec.make === 'maskindex') return torch.tensor([1, 2, 3], { requires_grad: true }).idx(torch.tensor([true, false, true]));
  const x = torch.tensor([1, 2], { requires_grad: true });
  if (spec.make === 'mul2') return x.mul(torch.tensor(2));
  if (spec.make === 'sum') return x.mul(torch.tensor(2)).sum();
  throw new Error(`unknown spec ${spec.make}`);
}

describe('str(tensor) as PyTorch', () => {
  afterEach(() => torch.set_printoptions({ profile: 'default' }));
  test.each(S.map((c) => [c.name, c]))('%s', (_n, c: any) => {
    if (Object.keys(c.opts).length) torch.set_printoptions(c.opts);
    const t = build(c.spec);
    expect(t.toString()).toBe(c.str);
    expect(util.inspect(t)).toBe(c.str);
    expect(`${t}`).toBe(c.str);
  });
});

describe('number formatting (Python\'s format: correctly rounded, ties to even)', () => {
  const N: [number, string, string, string, string][] = require('./fixtures/tensor_str_numbers.json');
  test.each(N.map((r) => [r[0], r]))('%p', (_v, r: any) => {
    const [v, f4, e4, f0, e2] = r;
    expect(formatFixed(v, 4)).toBe(f4);
    expect(formatSci(v, 4)).toBe(e4);
    expect(formatFixed(v, 0)).toBe(f0);
    expect(formatSci(v, 2)).toBe(e2);
  });
});

describe('edge cases', () => {
  test('a disposed tensor prints without throwing', () => {
    const t = torch.tensor([1]);
    t.dispose();
    expect(String(t)).toBe('tensor(<disposed>)');
  });
  test('console-style inspection nests inside objects', () => {
    const s = util.inspect({ a: torch.tensor([1, 2]) });
    expect(s).toContain('tensor([1., 2.])');
  });
});
