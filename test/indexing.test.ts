// Python-style indexing: x.idx(...) ≡ x[...] and x.idx_put_(idx, v) ≡ x[idx] = v, against
// PyTorch (fixtures: test/fixtures/make_autograd.py → indexing.json).
import * as torch from '../lib';
import { Tensor, TorchError } from '../lib';

const I = require('./fixtures/indexing.json');
const X = () => torch.arange(60, { dtype: torch.float32 }).reshape(3, 4, 5);
const flat = (t: Tensor) => t.reshape(-1).tolist();

describe('reading', () => {
  test.each(I.reads.map((r: any) => [r.expr, r]) as [string, any][])('x[%s] (string form)', (_e, r: any) => {
    const y = X().idx(r.expr);
    expect(y.shape).toEqual(r.shape);
    expect(flat(y)).toEqual(r.values);
  });
  test('item forms are equivalent to the string form', () => {
    const x = X();
    const same = (a: Tensor, b: Tensor) => {
      expect(a.shape).toEqual(b.shape);
      expect(flat(a)).toEqual(flat(b));
    };
    same(x.idx(0, torch.slice(1, null, 2), null, '...', ':'), x.idx('0, 1::2, None, ..., :'));
    same(x.idx(':', ':', 4), x.idx(':, :, 4'));
    same(x.idx(torch.slice(2)), x.idx(':2'));
    same(x.idx(-1n), x.idx('-1'));
    same(x.idx(true), x.idx('True'));
    same(x.idx(), x);
  });
  test('bool mask, integer tensor, integer lists and bool lists', () => {
    const x = X();
    const mask = x.idx(':, :, 0').gt(20);
    let y = x.idx(mask);
    expect(y.shape).toEqual(I.mask.shape);
    expect(flat(y)).toEqual(I.mask.values);
    y = x.idx(torch.tensor(I.int_tensor.idx, { dtype: torch.int64 }));
    expect(flat(y)).toEqual(I.int_tensor.values);
    y = x.idx([0, 2], ':', [1, 3]);
    expect(y.shape).toEqual(I.int_lists.shape);
    expect(flat(y)).toEqual(I.int_lists.values);
    y = x.idx(':', [true, false, true, false]);
    expect(y.shape).toEqual(I.bool_list.shape);
    expect(flat(y)).toEqual(I.bool_list.values);
    y = x.idx(1, torch.tensor([[0n, 1n], [2n, 3n]]), '::2');
    expect(y.shape).toEqual(I.int_tensor_2d.shape);
    expect(flat(y)).toEqual(I.int_tensor_2d.values);
  });
  test('views share storage; autograd flows through indexing', () => {
    const x = X();
    x.idx(0).fill_(-1);
    expect(flat(x.idx(0)).every((v: number) => v === -1)).toBe(true);
    const w = torch.tensor([1, 2, 3], { requires_grad: true });
    w.idx('1:').sum().backward();
    expect(w.grad!.tolist()).toEqual([0, 1, 1]);
  });
});

describe('writing', () => {
  test.each(I.writes.map((w: any) => [w.expr, w]) as [string, any][])('x[%s] = value', (_e, w: any) => {
    const x = X();
    expect(x.idx_put_(w.expr, w.value)).toBe(x);
    expect(flat(x)).toEqual(w.values);
  });
  test('items as an array; tensor values; bool masks', () => {
    const x = X();
    x.idx_put_([0, ':', 0], torch.tensor([1, 2, 3, 4]));
    expect(flat(x)).toEqual(I.writes.find((w: any) => w.expr === '0, :, 0').values);
    const y = X();
    y.idx_put_(y.gt(50), 0);
    expect(flat(y)).toEqual(I.write_mask);
  });
  test('in-place write on a leaf that requires grad is libtorch\'s error', () => {
    const w = torch.tensor([1, 2, 3], { requires_grad: true });
    expect(() => w.idx_put_(0, 5)).toThrow(TorchError);
  });
});

describe('errors', () => {
  test('out of range and malformed indices', () => {
    const x = X();
    expect(() => x.idx(3)).toThrow(new TorchError(I.errors.out_of_range));
    expect(() => x.idx(0, -5)).toThrow(I.errors.out_of_range_neg);
    expect(() => x.idx(0, 0, 0, 0)).toThrow(I.errors.too_many);
    expect(() => x.idx(torch.tensor([true, false]))).toThrow(I.errors.mask_shape);
    for (const bad of [1.5, 'a:b', '1:2:0', undefined, {}, [1.5], [1, true]]) {
      expect(() => x.idx(bad as any)).toThrow(bad === '1:2:0' ? RangeError : TypeError);
    }
    expect(() => torch.slice(1, 2, 0)).toThrow(RangeError);
    expect(() => torch.slice(0.5)).toThrow(TypeError);
    expect(() => x.idx_put_(0, 'v' as any)).toThrow(TypeError);
    expect(() => x.idx_put_(0, torch.ones(7))).toThrow(TorchError);
    expect(() => x.idx(torch.ones(2))).toThrow(TorchError);
  });
});
