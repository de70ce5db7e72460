// nn.Embedding / nn.EmbeddingBag and F.one_hot / F.embedding / F.embedding_bag against PyTorch 1.13
// (fixtures: test/fixtures/make_nn_seq.py).
import * as torch from '../../lib';
import { loadFixture } from '../helpers';
import { ModuleCase, build, expectInitialState, replay, decode, flatOutputs, same , fromFixture, expectTensorClose } from './seq_helpers';

const { nn } = torch;
const F = nn.functional;
const fx = loadFixture('nn_seq_sparse.json');
const repr = loadFixture('nn_seq_repr.json');
const sparseModules = (fx.modules as ModuleCase[]).filter((c) => c.ctor.startsWith('Embedding'));

describe('sparse modules match PyTorch (init, forward, backward)', () => {
  for (const c of sparseModules) {
    test(`${c.name}: default initialization after manual_seed`, () => {
      expectInitialState(build(c), c.state);
    });
    test(`${c.name}: outputs and gradients`, () => {
      const m = build(c);
      replay(c, m);
      if (c.weight_after) expectTensorClose((m as any).weight, c.weight_after); // max_norm renormalizes in place
    });
  }
});

describe('sparse functions match PyTorch', () => {
  for (const c of fx.functions.filter((c: any) => ['one_hot', 'embedding', 'embedding_bag'].includes(c.fn))) {
    test(c.name, () => {
      const args = decode(c.args);
      args.forEach((a: any, i: number) => {
        if (c.input_grads && c.input_grads[i]) a.requires_grad_(true);
      });
      const out = (F as any)[c.fn](...args, decode(c.kwargs));
      const outs = flatOutputs(out);
      outs.forEach((o, i) => expectTensorClose(o, c.outputs[i]));
      if (c.grad_outputs) {
        torch.autograd.backward(outs, c.grad_outputs.map(fromFixture));
        args.forEach((a: any, i: number) => {
          if (c.input_grads[i]) expectTensorClose(a.grad, c.input_grads[i]);
        });
      }
    });
  }
});

describe('Embedding API', () => {
  test('printout and state_dict keys', () => {
    expect(new nn.Embedding(10, 3, { padding_idx: 0, max_norm: 1.0 }).toString()).toBe(repr.Embedding.repr);
    expect(new nn.EmbeddingBag(1000, 10, { sparse: true }).toString()).toBe(repr.EmbeddingBag.repr);
    expect(new nn.EmbeddingBag(10, 3, { mode: 'max', padding_idx: 2 }).toString()).toBe(repr.EmbeddingBagMax.repr);
    expect(Object.keys(new nn.Embedding(4, 2).state_dict())).toEqual(['weight']);
  });

  test('from_pretrained shares the tensor and freezes it by default', () => {
    const w = torch.tensor([[1, 2.3, 3], [4, 5.1, 6.3]]);
    const e = nn.Embedding.from_pretrained(w);
    expect(e.weight.requires_grad).toBe(false);
    expect(same(e(torch.tensor([1n])), w.idx([1]))).toBe(true);
    const t = nn.Embedding.from_pretrained(w, { freeze: false, padding_idx: 0 });
    expect(t.weight.requires_grad).toBe(true);
    expect(t.padding_idx).toBe(0);
    const b = nn.EmbeddingBag.from_pretrained(w, { mode: 'sum' });
    expect(same(b(torch.tensor([[0n, 1n]])), w.sum(0).unsqueeze(0))).toBe(true);
    expect(() => nn.Embedding.from_pretrained(torch.randn(3))).toThrow('Embeddings parameter is expected to be 2-dimensional');
  });

  test('sparse=true gives a sparse gradient equal to the dense one', () => {
    const dense = new nn.EmbeddingBag(20, 4, { mode: 'sum' });
    const sparse = new nn.EmbeddingBag(20, 4, { mode: 'sum', sparse: true, _weight: dense.weight.detach().clone() });
    const x = torch.tensor([[1n, 5n, 5n], [19n, 0n, 1n]]);
    dense(x).sum().backward();
    sparse(x).sum().backward();
    const g = sparse.weight.grad!;
    expect(g.is_sparse).toBe(true);
    expect(dense.weight.grad!.is_sparse).toBe(false);
    expect(same(g.to_dense(), dense.weight.grad!)).toBe(true);
  });

  test('bad arguments and inputs', () => {
    expect(() => new nn.Embedding(4, 2, { padding_idx: 4 })).toThrow('Padding_idx must be within num_embeddings');
    expect(() => new nn.Embedding(4, 2, { padding_idx: -5 })).toThrow(torch.TorchError);
    expect(new nn.Embedding(4, 2, { padding_idx: -1 }).padding_idx).toBe(3);
    expect(() => new nn.Embedding(4, 2, { paddingidx: 1 } as any)).toThrow(/unexpected keyword argument 'paddingidx'/);
    expect(() => new nn.Embedding('4' as any, 2)).toThrow(TypeError);
    const e = new nn.Embedding(4, 2);
    expect(() => e(torch.tensor([1n, 7n]))).toThrow(torch.TorchError);
    expect(() => e(torch.tensor([1.5]))).toThrow(torch.TorchError);
    const bag = new nn.EmbeddingBag(4, 2, { mode: 'max' });
    expect(() => bag(torch.tensor([1n, 2n]))).toThrow('offsets has to be a 1D Tensor but got None');
    expect(() => bag(torch.tensor([[1n, 2n]]), torch.tensor([0n]))).toThrow(/if input is 2D, then offsets has to be None/);
    expect(() => bag(torch.tensor([[[1n]]]))).toThrow('input has to be 1D or 2D Tensor, but got Tensor of dimension 3');
    expect(() => new nn.EmbeddingBag(4, 2, { mode: 'prod' as any })(torch.tensor([[1n]]))).toThrow('mode has to be one of sum, mean or max');
    expect(() => bag(torch.tensor([[1n, 2n]]), { per_sample_weights: torch.randn(1, 2) })).toThrow(/per_sample_weights is only supported for mode='sum'/);
  });
});

describe('one_hot', () => {
  test('errors', () => {
    expect(() => F.one_hot(torch.tensor([1.0]))).toThrow(torch.TorchError);
    expect(() => F.one_hot(torch.tensor([3n]), 2)).toThrow(torch.TorchError);
  });
});
