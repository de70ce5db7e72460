/**
 * Sparse gradients (nn.Embedding(sparse=True)) with SGD, Adagrad and SparseAdam against PyTorch
 * 1.13 (test/fixtures/optim_sparse.json from make_optim.py), and the optimizers that refuse them.
 */
import * as torch from '../../lib';
import { loadFixture } from '../helpers';

const { nn } = torch;
const fx = loadFixture('optim_sparse.json');
const O: Record<string, any> = torch.optim;

function embedding(): torch.nn.Embedding {
  const emb = new nn.Embedding(10, 3, { sparse: true });
  torch.no_grad(() => emb.weight.copy_(torch.tensor(fx.w0)));
  return emb;
}

function values(t: torch.Tensor): number[] {
  return Array.from((t.is_sparse ? t.to_dense() : t).reshape(-1).to_typed_array() as Float32Array);
}

function maxDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i])));
}

describe('optimizers on sparse gradients follow PyTorch 1.13', () => {
  test.each(Object.keys(fx.cases))('%s', (name) => {
    const c = fx.cases[name];
    const emb = embedding();
    const target = torch.tensor(fx.target);
    const opt = new O[c.optimizer](emb.parameters(), c.kwargs);
    fx.batches.forEach((b: number[], i: number) => {
      opt.zero_grad();
      emb(torch.tensor(b, { dtype: torch.int64 })).sub(target).pow(2).sum().backward();
      expect(emb.weight.grad!.is_sparse).toBe(true);
      opt.step();
      expect(maxDiff(values(emb.weight), c.trajectory[i])).toBeLessThan(1e-5);
    });
    const st = opt.state_dict().state.get(0);
    expect(Object.keys(st)).toEqual(Object.keys(c.state));
    for (const [k, want] of Object.entries<any>(c.state)) {
      const got = st[k];
      if (got instanceof torch.Tensor) expect(maxDiff(values(got), want)).toBeLessThan(1e-5);
      else expect(got).toEqual(want);
    }
  });
});

describe('sparse gradients: refusals as PyTorch', () => {
  const sparseGrad = (): torch.nn.Embedding => {
    const emb = embedding();
    emb(torch.tensor([1n, 2n])).sum().backward();
    return emb;
  };
  test.each([
    ['Adam', 'Adam does not support sparse gradients, please consider SparseAdam instead'],
    ['AdamW', 'AdamW does not support sparse gradients'],
    ['RMSprop', 'RMSprop does not support sparse gradients'],
    ['Rprop', 'Rprop does not support sparse gradients'],
    ['ASGD', 'ASGD does not support sparse gradients'],
  ])('%s', (name, msg) => {
    const emb = sparseGrad();
    const opt = new O[name](emb.parameters());
    expect(() => opt.step()).toThrow(torch.TorchError);
    expect(() => opt.step()).toThrow(msg);
  });
  test('Adagrad with weight_decay, SparseAdam with dense grads or sparse params', () => {
    const emb = sparseGrad();
    expect(() => new torch.optim.Adagrad(emb.parameters(), { weight_decay: 0.1 }).step()).toThrow('weight_decay option is not compatible with sparse gradients');
    const lin = new nn.Linear(2, 2);
    lin(torch.ones(2)).sum().backward();
    const w0 = values(lin.weight);
    expect(() => new torch.optim.SparseAdam(lin.parameters()).step()).toThrow('SparseAdam does not support dense gradients, please consider Adam instead');
    expect(values(lin.weight)).toEqual(w0);
    const sp = torch.sparse_coo_tensor(torch.tensor([[0n]]), torch.tensor([1]), [2]);
    expect(() => new torch.optim.SparseAdam([sp])).toThrow('Sparse params at indices [0]: SparseAdam requires dense parameter tensors');
    expect(() => new torch.optim.SparseAdam(lin.parameters(), { lr: 0 })).toThrow(RangeError);
  });
});

describe('sparse COO tensors', () => {
  test('layout, printing, indices/values, coalesce, to_dense and back', () => {
    const x = torch.sparse_coo_tensor(torch.tensor([[0n, 1n, 1n], [1n, 0n, 0n]]), torch.tensor([3, 4, 5]), [2, 2]);
    expect(x.layout).toBe(torch.sparse_coo);
    expect(String(x.layout)).toBe('torch.sparse_coo');
    expect(x.is_sparse).toBe(true);
    expect(torch.zeros(2).layout).toBe(torch.strided);
    expect(torch.zeros(2).is_sparse).toBe(false);
    expect(x.is_coalesced()).toBe(false);
    const c = x.coalesce();
    expect(c._nnz()).toBe(2);
    expect(c.indices().tolist()).toEqual([[0, 1], [1, 0]]);
    expect(c.values().tolist()).toEqual([3, 9]);
    expect(x.to_dense().tolist()).toEqual([[0, 3], [9, 0]]);
    expect(c.to_dense().to_sparse().coalesce().values().tolist()).toEqual([3, 9]);
    expect(c.sparse_dim()).toBe(2);
    expect(c.dense_dim()).toBe(0);
    // as PyTorch prints it
    expect(String(c)).toBe('tensor(indices=tensor([[0, 1],\n                       [1, 0]]),\n       values=tensor([3., 9.]),\n       size=(2, 2), nnz=2, layout=torch.sparse_coo)');
    expect(torch.zeros(2, { layout: torch.strided }).shape).toEqual([2]);
    expect(() => torch.zeros(2, { layout: 'strided' as any })).toThrow(TypeError);
  });
});
