// torch.finfo/iinfo and the torch/functional.py wrappers (einsum, meshgrid, unique,
// unique_consecutive, is_tensor, numel, constants) against PyTorch 1.13
// (fixture: test/fixtures/make_functional.py → functional.json).
import * as torch from '../lib';

const F = require('./fixtures/functional.json');
const t64 = (a: unknown) => torch.tensor(a, { dtype: torch.float64 });
const i64 = (a: unknown) => torch.tensor(a, { dtype: torch.int64 });
const list = (r: torch.Tensor | torch.Tensor[]) => (Array.isArray(r) ? r.map((t) => t.tolist()) : r.tolist());

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('torch.finfo / torch.iinfo', () => {
  for (const [name, want] of Object.entries<any>(F.finfo)) {
    test(`finfo(${name})`, () => {
      const f = torch.finfo((torch as any)[name]);
      for (const k of ['bits', 'eps', 'max', 'min', 'tiny', 'smallest_normal', 'resolution', 'dtype']) {
        expect([k, (f as any)[k]]).toEqual([k, want[k]]);
      }
      expect(String(f)).toBe(want.repr);
    });
  }
  test('finfo() is the default dtype', () => {
    expect(String(torch.finfo())).toBe(F.finfo_default_repr);
  });
  for (const [name, want] of Object.entries<any>(F.iinfo)) {
    test(`iinfo(${name})`, () => {
      const f = torch.iinfo((torch as any)[name]);
      expect([f.bits, f.min, f.max, f.dtype]).toEqual([want.bits, want.min, want.max, want.dtype]);
      expect(String(f)).toBe(want.repr);
    });
  }
  test("refused dtypes raise PyTorch's TypeErrors", () => {
    const a = thrown(() => torch.finfo(torch.int32));
    expect([a.name, a.message]).toEqual(F.errors.finfo_int32);
    const b = thrown(() => torch.iinfo(torch.bool));
    expect([b.name, b.message]).toEqual(F.errors.iinfo_bool);
  });
});

describe('torch.einsum', () => {
  const A = t64(F.inputs.A), B = t64(F.inputs.B), C = t64(F.inputs.C), T = t64(F.inputs.T);
  test('equation with variadic operands', () => {
    expect(torch.einsum('ij,kj->ik', A, B).tolist()).toEqual(F.einsum['ij,kj->ik']);
    expect(torch.einsum('...ij->...ji', T).tolist()).toEqual(F.einsum.ellipsis);
    expect(torch.einsum('ij,jk,kl->il', A, C, torch.ones(2, 3, { dtype: torch.float64 })).tolist()).toEqual(F.einsum.three);
    expect(torch.einsum('ii', A.idx(torch.slice(), torch.slice(null, 3))).item()).toBe(F.einsum.trace);
  });
  test('equation with a list of operands', () => {
    expect(torch.einsum('ij,jk', [A, C]).tolist()).toEqual(F.einsum['list ij,jk']);
  });
  test('sublist form', () => {
    expect(torch.einsum(A, [0, 1], C, [1, 2], [0, 2]).tolist()).toEqual(F.einsum.sublist);
    expect(torch.einsum(A, [0, 1], C, [1, 2]).tolist()).toEqual(F.einsum['sublist implicit']);
    expect(torch.einsum(T, ['...', 0, 1], ['...', 1, 0]).tolist()).toEqual(F.einsum['sublist ellipsis']);
  });
  test("errors as PyTorch's (ValueError → RangeError)", () => {
    const a = thrown(() => (torch.einsum as any)('ij'));
    expect(a).toBeInstanceOf(RangeError);
    expect(a.message).toBe(F.errors.einsum_one_arg[1]);
    const b = thrown(() => torch.einsum(torch.ones(2, 2), [0, 60]));
    expect(b.message).toBe(F.errors.einsum_bad_subscript[1]);
  });
});

test('torch.meshgrid takes tensors variadically or as a list', () => {
  const x = torch.tensor([1, 2, 3]), y = torch.tensor([4, 5]);
  expect(list(torch.meshgrid(x, y, { indexing: 'ij' }))).toEqual(F.meshgrid.ij);
  expect(list(torch.meshgrid([x, y], { indexing: 'xy' }))).toEqual(F.meshgrid.xy);
});

describe('torch.unique / unique_consecutive', () => {
  const u = i64(F.unique_input), M = i64(F.unique_matrix), v = i64(F.unique_consecutive_input);
  test('unique returns a Tensor or the tuple the flags ask for', () => {
    expect(list(torch.unique(u))).toEqual(F.unique.plain);
    expect(list(torch.unique(u, { return_inverse: true }))).toEqual(F.unique.inverse);
    expect(list(torch.unique(u, { return_counts: true }))).toEqual(F.unique.counts);
    // sorted=false leaves the order to the kernel (1.13 and 2.x differ): the same values in some
    // order, with an inverse and counts that agree with it.
    expect([...(torch.unique(u, { sorted: false }) as torch.Tensor).tolist() as number[]].sort((a, b) => a - b)).toEqual(F.unique.plain);
    const [vals, inv, counts] = (torch.unique(u, { sorted: false, return_inverse: true, return_counts: true }) as torch.Tensor[]).map((t) => t.tolist() as number[]);
    expect([...vals].sort((a, b) => a - b)).toEqual(F.unique.plain);
    expect(inv.map((i) => vals[i])).toEqual(F.unique_input);
    expect(counts).toEqual(vals.map((x) => (F.unique_input as number[]).filter((y) => y === x).length));
    expect(list(torch.unique(M, { dim: 0, return_counts: true }))).toEqual(F.unique.dim0);
    expect(list(torch.unique(u, true, true))).toEqual(F.unique.positional);
  });
  test('unique_consecutive', () => {
    expect(list(torch.unique_consecutive(v))).toEqual(F.unique_consecutive.plain);
    expect(list(torch.unique_consecutive(v, { return_inverse: true }))).toEqual(F.unique_consecutive.inverse);
    expect(list(torch.unique_consecutive(v, { return_counts: true }))).toEqual(F.unique_consecutive.counts);
    expect(list(torch.unique_consecutive(v, true, true))).toEqual(F.unique_consecutive.both);
    expect(list(torch.unique_consecutive(M, { dim: 0 }))).toEqual(F.unique_consecutive.dim0);
  });
  test('bad arguments name the problem', () => {
    expect(thrown(() => (torch.unique as any)(u, { foo: 1 })).message).toBe("unique() got an unexpected keyword argument 'foo'");
    expect(thrown(() => (torch.unique as any)([1, 2]))).toBeInstanceOf(TypeError);
  });
});

test('is_tensor, numel and the math constants', () => {
  expect(torch.is_tensor(torch.zeros(2))).toBe(true);
  expect(torch.is_tensor([1, 2])).toBe(false);
  expect(torch.numel(torch.zeros(2, 3))).toBe(6);
  expect(torch.inf).toBe(Infinity);
  expect(Number.isNaN(torch.nan)).toBe(true);
  expect(torch.pi).toBe(Math.PI);
  expect(torch.e).toBe(Math.E);
});
