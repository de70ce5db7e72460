// nn.PairwiseDistance / nn.CosineSimilarity and F.pairwise_distance / cosine_similarity / pdist
// against PyTorch 1.13 (fixtures: test/fixtures/make_nn_seq.py).
import * as torch from '../../lib';
import { loadFixture } from '../helpers';
import { ModuleCase, build, expectInitialState, replay, decode, flatOutputs , fromFixture, expectTensorClose } from './seq_helpers';

const { nn } = torch;
const F = nn.functional;
const fx = loadFixture('nn_seq_sparse.json');
const repr = loadFixture('nn_seq_repr.json');

describe('distance modules match PyTorch', () => {
  for (const c of (fx.modules as ModuleCase[]).filter((c) => !c.ctor.startsWith('Embedding'))) {
    test(`${c.name}: outputs and input gradients`, () => {
      const m = build(c);
      expectInitialState(m, c.state);
      replay(c, m);
    });
  }
  test('printout (no extra_repr, as PyTorch)', () => {
    expect(new nn.PairwiseDistance({ p: 1.0, keepdim: true }).toString()).toBe(repr.PairwiseDistance.repr);
    expect(new nn.CosineSimilarity({ dim: 0 }).toString()).toBe(repr.CosineSimilarity.repr);
    expect(new nn.PairwiseDistance(1.0, 1e-3, true).norm).toBe(1.0);
  });
});

describe('distance functions match PyTorch', () => {
  for (const c of fx.functions.filter((c: any) => ['pairwise_distance', 'cosine_similarity', 'pdist'].includes(c.fn))) {
    test(c.name, () => {
      const args = decode(c.args);
      args.forEach((a: any) => a.requires_grad_(true));
      const out = (F as any)[c.fn](...args, decode(c.kwargs));
      const outs = flatOutputs(out);
      outs.forEach((o, i) => expectTensorClose(o, c.outputs[i], 1e-4, 1e-5));
      torch.autograd.backward(outs, c.grad_outputs.map(fromFixture));
      args.forEach((a: any, i: number) => expectTensorClose(a.grad, c.input_grads[i], 1e-4, 1e-5));
    });
  }
  test('the tutorial: distances between two batches', () => {
    const x1 = torch.randn(10, 100);
    const x2 = torch.randn(10, 100);
    expect(F.pairwise_distance(x1, x2).shape).toEqual([10]);
    expect(F.cosine_similarity(x1, x2).shape).toEqual([10]);
    expect(F.cosine_similarity(x1, x2, { dim: 0 }).shape).toEqual([100]);
  });
  test('bad shapes and arguments', () => {
    expect(() => F.pairwise_distance(torch.randn(3, 4), torch.randn(2, 4))).toThrow(torch.TorchError);
    expect(() => F.cosine_similarity(torch.randn(3, 4), torch.randn(3, 5))).toThrow(torch.TorchError);
    expect(() => F.pdist(torch.randn(3))).toThrow(torch.TorchError);
    expect(() => F.pairwise_distance(torch.randn(3), [1, 2] as any)).toThrow(TypeError);
    expect(() => F.cosine_similarity(torch.randn(3), torch.randn(3), { dims: 0 } as any)).toThrow(/unexpected keyword argument 'dims'/);
  });
});
