// Every loss of torch.nn (modules and F.*) against PyTorch 1.13, for every reduction
// (fixtures: test/fixtures/make_nn_seq.py).
import * as torch from '../../lib';
import { loadFixture } from '../helpers';
import { ModuleCase, build, expectInitialState, replay, decode, flatOutputs , fromFixture, expectTensorClose } from './seq_helpers';

const { nn } = torch;
const F = nn.functional;
const fx = loadFixture('nn_seq_loss.json');
const repr = loadFixture('nn_seq_repr.json');

describe('loss modules match PyTorch (value and gradients)', () => {
  for (const c of fx.modules as ModuleCase[]) {
    test(c.name, () => {
      const m = build(c);
      expectInitialState(m, c.state);
      replay(c, m, { rtol: 1e-4, atol: 1e-5 });
    });
  }
});

describe('loss functions match PyTorch', () => {
  for (const c of fx.functions) {
    test(c.name, () => {
      const args = decode(c.args);
      args.forEach((a: any, i: number) => {
        if (c.input_grads && c.input_grads[i]) a.requires_grad_(true);
      });
      const kw = decode(c.kwargs);
      if (kw.distance_function === '1 - cosine_similarity') {
        kw.distance_function = (x: torch.Tensor, y: torch.Tensor) => F.cosine_similarity(x, y).neg().add(1);
      }
      const out = Object.keys(kw).length ? (F as any)[c.fn](...args, kw) : (F as any)[c.fn](...args);
      const outs = flatOutputs(out);
      outs.forEach((o, i) => expectTensorClose(o, c.outputs[i], 1e-4, 1e-5));
      if (c.grad_outputs) {
        torch.autograd.backward(outs, c.grad_outputs.map(fromFixture));
        args.forEach((a: any, i: number) => {
          if (c.input_grads[i]) expectTensorClose(a.grad, c.input_grads[i], 1e-4, 1e-5);
        });
      }
    });
  }
});

describe('loss errors are PyTorch\'s', () => {
  const e = fx.errors;
  test('libtorch errors are TorchErrors with libtorch\'s message', () => {
    expect(() => F.cross_entropy(torch.randn(3, 4), torch.tensor([0n, 5n, 1n]))).toThrow(torch.TorchError);
    expect(() => F.cross_entropy(torch.randn(3, 4), torch.tensor([0n, 5n, 1n]))).toThrow(e.cross_entropy_bad_target.message);
    expect(() => F.nll_loss(torch.randn(3, 4), torch.tensor([0n, 1n]))).toThrow(e.nll_loss_batch_mismatch.message);
    expect(() => F.mse_loss(torch.randn(3, 4), torch.randn(2, 4))).toThrow(e.mse_loss_shape.message);
  });
  test('checks made in PyTorch\'s Python code', () => {
    expect(() => F.l1_loss(torch.randn(3), torch.randn(3), { reduction: 'avg' as any })).toThrow(RangeError);
    expect(() => F.l1_loss(torch.randn(3), torch.randn(3), { reduction: 'avg' as any })).toThrow(e.bad_reduction.message);
    expect(() => F.binary_cross_entropy(torch.rand(3), torch.rand(4))).toThrow(e.bce_size.message);
    expect(() => new nn.MultiMarginLoss({ p: 3 })).toThrow('only p == 1 and p == 2 supported');
    expect(() => new nn.TripletMarginWithDistanceLoss({ margin: 0 })).toThrow(/expected margin to be greater than 0/);
    expect(() => F.gaussian_nll_loss(torch.randn(3), torch.randn(3), torch.tensor([1, -1, 1]))).toThrow('var has negative entry/entries');
    expect(() => F.gaussian_nll_loss(torch.randn(3, 2), torch.randn(3, 2), torch.rand(2, 2))).toThrow('var is of incorrect size');
    expect(() => F.margin_ranking_loss(torch.randn(3), torch.randn(3, 1), torch.randn(3))).toThrow(/All input tensors should have same dimension/);
  });
  test('argument errors are TypeErrors naming the parameter', () => {
    expect(() => new nn.CrossEntropyLoss({ label_smothing: 0.1 } as any)).toThrow(/unexpected keyword argument 'label_smothing'/);
    expect(() => F.cross_entropy(torch.randn(3, 4), [0, 1, 2] as any)).toThrow(/argument 'target' must be Tensor/);
    expect(() => new nn.CTCLoss({ zero_infinity: 1 } as any)).toThrow(TypeError);
    expect(() => new nn.GaussianNLLLoss(true as any)).toThrow(TypeError);
    expect(() => F.triplet_margin_with_distance_loss(torch.randn(2), torch.randn(2), torch.randn(2), 1.0 as any)).toThrow(/takes 3 positional arguments/);
    expect(() => F.ctc_loss(torch.randn(3, 1, 2), torch.tensor([[1n]]), [3], torch.tensor([1n]))).toThrow(TypeError);
  });
});

describe('loss module API', () => {
  test('the tutorial: CrossEntropyLoss on logits and labels', () => {
    const criterion = new nn.CrossEntropyLoss();
    const outputs = torch.randn(10, 5);
    const labels = torch.tensor([1, 3, 0, 2, 4, 1, 3, 0, 2, 4], { dtype: torch.long });
    const loss = criterion(outputs, labels);
    expect(loss.shape).toEqual([]);
    expectTensorClose(loss, { dtype: 'float32', shape: [], data: [F.nll_loss(outputs.log_softmax(1), labels).item() as number] });
  });
  test('printout and buffers as PyTorch', () => {
    expect(new nn.CrossEntropyLoss({ label_smoothing: 0.1 }).toString()).toBe(repr.CrossEntropyLoss.repr);
    const w = torch.tensor([1, 2, 3]);
    const l = new nn.CrossEntropyLoss(w);
    expect(Object.keys(l.state_dict())).toEqual(['weight']);
    expect(l.weight).toBe(w);
    expect(Object.keys(new nn.BCEWithLogitsLoss({ pos_weight: w }).state_dict())).toEqual(['pos_weight']);
    expect(new nn.NLLLoss(null, null, 3).ignore_index).toBe(3);
    expect(new nn.MSELoss({ size_average: false }).reduction).toBe('sum');
    expect(new nn.L1Loss(null, false).reduction).toBe('none');
    expect(new nn.HuberLoss('sum', 0.5).delta).toBe(0.5);
  });
  test('KLDivLoss batchmean divides the sum by the batch size', () => {
    const x = torch.randn(4, 3).log_softmax(1);
    const t = torch.randn(4, 3).softmax(1);
    const a = new nn.KLDivLoss({ reduction: 'batchmean' as any })(x, t);
    const b = F.kl_div(x, t, { reduction: 'sum' });
    expectTensorClose(a, { dtype: 'float32', shape: [], data: [(b.item() as number) / 4] });
  });
});

describe('AdaptiveLogSoftmaxWithLoss matches PyTorch', () => {
  for (const c of fx.adaptive as ModuleCase[]) {
    test(`${c.name}: init, output, loss and gradients`, () => {
      const m = build(c) as any;
      expectInitialState(m, c.state);
      const out = replay(c, m);
      const [output, loss] = out;
      expect(output).toBe(out.output);
      expect(loss.shape).toEqual([]);
      if (c.log_prob_input) {
        const x = fromFixture(c.log_prob_input);
        torch.no_grad(() => {
          expectTensorClose(m.log_prob(x), c.log_prob, 1e-4, 1e-5);
          expectTensorClose(m.predict(x), c.predict);
        });
      }
    });
  }
  test('printout, keys and errors', () => {
    const m = new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [4, 8]);
    expect(m.toString()).toBe(repr.AdaptiveLogSoftmaxWithLoss.repr);
    expect(Object.keys(m.state_dict())).toEqual(repr.AdaptiveLogSoftmaxWithLoss.keys);
    expect(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [8, 4])).toThrow(/cutoffs should be a sequence of unique, positive integers/);
    expect(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [4, 10])).toThrow(RangeError);
    expect(() => m(torch.randn(3, 8), torch.tensor([0n, 12n, 1n]))).toThrow('Target values should be in [0, 9], but values in range [0, 12] were found. ');
    expect(() => m(torch.randn(3, 8), torch.tensor([0n, 1n]))).toThrow('Input and target should have the same size in the batch dimension.');
    expect(() => m(torch.randn(3, 8), torch.tensor([[0n]]))).toThrow('0D or 1D target tensor expected, multi-target not supported');
  });
});
