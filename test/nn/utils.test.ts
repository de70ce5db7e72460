// nn.utils: clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters,
// weight_norm, deepcopy — against PyTorch 1.13 (fixtures: test/fixtures/make_nn_seq.py).
import * as torch from '../../lib';
import { loadFixture } from '../helpers';
import { fromFixture, expectTensorClose, manual_seed, same, decode } from './seq_helpers';

const { nn } = torch;
const fx = loadFixture('nn_seq_utils.json');

function params(): torch.nn.Parameter[] {
  return fx.params.map((e: any, i: number) => {
    const p = new nn.Parameter(fromFixture(e));
    p.grad = fromFixture(fx.grads[i]);
    return p;
  });
}

describe('gradient clipping matches PyTorch', () => {
  for (const c of fx.clip_grad_norm) {
    test(`clip_grad_norm_ ${JSON.stringify(c.kwargs)}`, () => {
      const ps = params();
      const kw = { ...c.kwargs };
      if (kw.norm_type === 'inf') kw.norm_type = Infinity;
      const total = nn.utils.clip_grad_norm_(ps, kw);
      expectTensorClose(total, c.total_norm);
      ps.forEach((p, i) => expectTensorClose(p.grad!, c.grads[i]));
    });
  }
  test('clip_grad_value_', () => {
    const ps = params();
    nn.utils.clip_grad_value_(ps, fx.clip_grad_value.clip_value);
    ps.forEach((p, i) => expectTensorClose(p.grad!, fx.clip_grad_value.grads[i]));
  });
  test('positional max_norm, a single tensor, no grads, the tutorial call', () => {
    const ps = params();
    const total = nn.utils.clip_grad_norm_(ps, 1.0);
    expectTensorClose(total, fx.clip_grad_norm[0].total_norm);
    const lone = params()[1];
    nn.utils.clip_grad_norm_(lone, { max_norm: 1.0 });
    expect(nn.utils.clip_grad_norm_([new nn.Parameter(torch.randn(2))], 1.0).item()).toBe(0);
    const model = new nn.Linear(10, 5);
    model(torch.randn(3, 10)).sum().backward();
    const t = nn.utils.clip_grad_norm_(model.parameters(), { max_norm: 1.0 });
    expect(t.shape).toEqual([]);
  });
  test('error_if_nonfinite and bad arguments', () => {
    const p = new nn.Parameter(torch.randn(3));
    p.grad = torch.tensor([1, Infinity, 0]);
    expect(() => nn.utils.clip_grad_norm_([p], 1.0, { error_if_nonfinite: true })).toThrow(torch.TorchError);
    expect(() => nn.utils.clip_grad_norm_([p], 1.0, { error_if_nonfinite: true })).toThrow(/The total norm of order 2.0 for gradients from `parameters` is non-finite/);
    expect(() => nn.utils.clip_grad_norm_([p], 1.0)).not.toThrow();
    expect(() => nn.utils.clip_grad_norm_(5 as any, 1.0)).toThrow(TypeError);
    expect(() => nn.utils.clip_grad_norm_([p], { max_norm: 1.0, norm: 2 } as any)).toThrow(/unexpected keyword argument 'norm'/);
    expect(() => nn.utils.clip_grad_value_([p], '1' as any)).toThrow(TypeError);
  });
});

describe('parameters <-> vector', () => {
  test('parameters_to_vector / vector_to_parameters', () => {
    expectTensorClose(nn.utils.parameters_to_vector(params()), fx.parameters_to_vector);
    const ps = params();
    const before = ps.map((p) => p);
    nn.utils.vector_to_parameters(fromFixture(fx.vector), ps);
    ps.forEach((p, i) => {
      expect(p).toBe(before[i]);
      expectTensorClose(p, fx.vector_to_parameters[i]);
    });
    expect(() => nn.utils.vector_to_parameters([1, 2] as any, ps)).toThrow('expected torch.Tensor, but got: Array');
  });
});

describe('weight_norm', () => {
  test('reparameterizes as PyTorch (keys, g, v, forward)', () => {
    const w = fx.weight_norm;
    const lin = new nn.Linear(4, 3);
    lin.load_state_dict(decode(w.state0));
    const m = nn.utils.weight_norm(lin);
    expect(m).toBe(lin);
    const sd = m.state_dict();
    expect(Object.keys(sd)).toEqual(w.keys);
    for (const k of w.keys) expectTensorClose(sd[k], w.state[k]);
    expectTensorClose(m(fromFixture(w.x)), w.y);
    expect(() => nn.utils.weight_norm(m)).toThrow('Cannot register two weight_norm hooks on the same parameter weight');
  });
  test('dim=null normalizes over the whole tensor', () => {
    manual_seed(132);
    const m = nn.utils.weight_norm(new nn.Linear(4, 3), { dim: null });
    const sd = m.state_dict();
    for (const k of Object.keys(fx.weight_norm_dim_none.state)) expectTensorClose(sd[k], fx.weight_norm_dim_none.state[k]);
  });
  test('gradients flow to g and v; remove_weight_norm folds them back', () => {
    const m: any = nn.utils.weight_norm(new nn.Linear(4, 3));
    m(torch.randn(2, 4)).sum().backward();
    expect(m.weight_g.grad.shape).toEqual([3, 1]);
    expect(m.weight_v.grad.shape).toEqual([3, 4]);
    const w = m.weight.detach().clone();
    nn.utils.remove_weight_norm(m);
    expect(Object.keys(m.state_dict())).toEqual(['bias', 'weight']);
    expect(m.weight).toBeInstanceOf(nn.Parameter);
    expect(same(m.weight, w)).toBe(true);
    expect(() => nn.utils.remove_weight_norm(m)).toThrow("weight_norm of 'weight' not found in Linear");
  });
});

describe('deepcopy', () => {
  test('copies the module tree without drawing random numbers', () => {
    manual_seed(5);
    const m = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.LSTM(4, 2));
    const a = torch.rand(1);
    manual_seed(5);
    new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.LSTM(4, 2));
    const c = nn.utils.deepcopy(m);
    const b = torch.rand(1);
    expect(same(a, b)).toBe(true);
    expect(c).not.toBe(m);
    expect(c.toString()).toBe(m.toString());
    const sa = m.state_dict(), sc = c.state_dict();
    expect(Object.keys(sc)).toEqual(Object.keys(sa));
    for (const k of Object.keys(sa)) {
      expect(same(sa[k], sc[k])).toBe(true);
      expect(sc[k]._h).not.toBe(sa[k]._h);
    }
    const x = torch.randn(2, 3);
    expect(same(c(x)[0], m(x)[0])).toBe(true);
  });
});

describe('spectral_norm matches PyTorch', () => {
  for (const c of fx.spectral_norm) {
    test(`${c.ctor}(${c.args.join(', ')}) ${JSON.stringify(c.kwargs)}: u, v, weights, outputs and gradients`, () => {
      manual_seed(c.seed);
      const m: any = new (nn as any)[c.ctor](...c.args);
      m.load_state_dict(decode(c.state0));
      manual_seed(c.seed + 1);
      nn.utils.spectral_norm(m, c.kwargs);
      let sd = m.state_dict();
      expect(Object.keys(sd)).toEqual(c.keys);
      for (const k of c.keys) expectTensorClose(sd[k], c.state1[k]);
      const x = fromFixture(c.x);
      expectTensorClose(m(x), c.y1, 1e-4, 1e-5);
      const y2 = m(x);
      expectTensorClose(y2, c.y2, 1e-4, 1e-5);
      y2.backward(fromFixture(c.g));
      for (const [k, p] of m.named_parameters()) expectTensorClose(p.grad, c.grads[k], 1e-4, 1e-5);
      sd = m.state_dict();
      for (const k of c.keys) expectTensorClose(sd[k], c.state2[k], 1e-4, 1e-6);
      expect(sd._metadata[''].spectral_norm).toEqual({ 'weight.version': 1 });
      m.eval();
      expectTensorClose(m(x), c.y3, 1e-4, 1e-5);
    });
  }
  test('remove_spectral_norm and errors', () => {
    const m: any = nn.utils.spectral_norm(new nn.Linear(4, 3));
    expect(() => nn.utils.spectral_norm(m)).toThrow('Cannot register two spectral_norm hooks on the same parameter weight');
    m.eval();
    const y = m(torch.ones(1, 4));
    nn.utils.remove_spectral_norm(m);
    expect(Object.keys(m.state_dict())).toEqual(['bias', 'weight']);
    expect(same(m(torch.ones(1, 4)), y)).toBe(true);
    expect(() => nn.utils.remove_spectral_norm(m)).toThrow("spectral_norm of 'weight' not found in Linear");
    expect(() => nn.utils.spectral_norm(new nn.Linear(2, 2), { n_power_iterations: 0 })).toThrow(/Expected n_power_iterations to be positive/);
  });
});
