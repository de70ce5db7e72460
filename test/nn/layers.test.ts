/**
 * Every layer against PyTorch 1.13 (test/fixtures/make_nn_core.py): default init after
 * manual_seed (up to the SIMD kernel's rounding: SEEDED_INIT_ATOL), printout, forward output and gradients w.r.t. the input and every parameter,
 * and the running statistics after a training step.
 */
import * as torch from '../../lib';
import { fromFx, seed, requiresGrad, backward, grad, expectClose, Fx } from './helpers';
import { SEEDED_INIT_ATOL } from '../helpers';

const { nn } = torch;
// eslint-disable-next-line @typescript-eslint/no-var-requires
const fx = require('../fixtures/nn_core.json');

type Case = {
  name: string; js: string; seed: number; inputs: Fx[]; train: boolean; repr: string; params: Record<string, Fx>;
  output: Fx; gout: Fx; input_grads: Fx[] | null; param_grads: Record<string, Fx>; state_after?: Record<string, Fx>;
};

const make = (js: string): any => new Function('nn', `return ${js};`)(nn);

describe('layers match PyTorch', () => {
  for (const c of fx.cases as Case[]) {
    test(c.name, () => {
      seed(c.seed);
      const m = make(c.js);
      m.train(c.train);
      expect(String(m)).toBe(c.repr);
      const sd = m.state_dict();
      expect(Object.keys(sd)).toEqual(Object.keys(c.params));
      for (const k of Object.keys(c.params)) expectClose(sd[k], c.params[k], SEEDED_INIT_ATOL, 0);
      const xs = c.inputs.map((f) => requiresGrad(fromFx(f)));
      const y = m(...xs);
      expectClose(y, c.output);
      if (c.input_grads === null) return;
      backward(y, fromFx(c.gout));
      c.input_grads.forEach((g, i) => expectClose(grad(xs[i]) as torch.Tensor, g));
      const named = new Map<string, torch.Tensor>(m.named_parameters());
      for (const k of Object.keys(c.param_grads)) expectClose(grad(named.get(k) as torch.Tensor) as torch.Tensor, c.param_grads[k], 1e-4);
      if (c.state_after) {
        const after = m.state_dict();
        for (const k of Object.keys(c.state_after)) expectClose(after[k], c.state_after[k]);
      }
    });
  }
});

describe('printouts', () => {
  test('misc layers print as PyTorch', () => {
    (fx.misc_js as string[]).forEach((js, i) => expect(String(make(js))).toBe(fx.misc_repr[i]));
  });
});

describe('nn.init matches PyTorch after manual_seed', () => {
  const calls: Record<string, (t: torch.Tensor) => unknown> = {
    kaiming_uniform_: (t) => nn.init.kaiming_uniform_(t, { a: 0.1 }),
    kaiming_normal_: (t) => nn.init.kaiming_normal_(t, { mode: 'fan_out', nonlinearity: 'relu' }),
    xavier_uniform_: (t) => nn.init.xavier_uniform_(t, { gain: 2.0 }),
    xavier_normal_: (t) => nn.init.xavier_normal_(t),
    uniform_: (t) => nn.init.uniform_(t, -2, 3),
    normal_: (t) => nn.init.normal_(t, 1, 0.5),
    trunc_normal_: (t) => nn.init.trunc_normal_(t, 0.5, 1.0, -1.0, 1.5),
    orthogonal_: (t) => nn.init.orthogonal_(t),
    sparse_: (t) => nn.init.sparse_(t, 0.5),
    eye_: (t) => nn.init.eye_(t),
    constant_: (t) => nn.init.constant_(t, 0.3),
  };
  for (const [name, fn] of Object.entries(calls)) {
    test(name, () => {
      seed(3);
      const t = torch.empty([4, 6]);
      fn(t);
      expectClose(t, fx.init[name], name === 'orthogonal_' ? 1e-5 : 1e-6, 1e-6);
    });
  }
  test('dirac_', () => {
    const t = torch.empty([4, 2, 3, 3]);
    nn.init.dirac_(t, 2);
    expectClose(t, fx.init.dirac_, 0, 0);
  });
  test('calculate_gain', () => {
    expect(nn.init.calculate_gain('relu')).toBeCloseTo(fx.gains.relu, 12);
    expect(nn.init.calculate_gain('tanh')).toBeCloseTo(fx.gains.tanh, 12);
    expect(nn.init.calculate_gain('leaky_relu', 0.2)).toBeCloseTo(fx.gains.leaky_relu, 12);
    expect(nn.init.calculate_gain('selu')).toBeCloseTo(fx.gains.selu, 12);
    expect(nn.init.calculate_gain('conv2d')).toBe(fx.gains.conv2d);
    expect(() => nn.init.calculate_gain('foo')).toThrow(RangeError);
  });
});

describe('bad arguments', () => {
  test('constructor arguments', () => {
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow('in_channels must be divisible by groups');
    expect(() => new nn.Conv2d(-1, 4, 3)).toThrow(RangeError);
    expect(() => new nn.Conv2d(1, 4, 0)).toThrow(RangeError);
    expect(() => new nn.Conv2d(1, 4, 3, { foo: 1 } as any)).toThrow(/unexpected keyword argument 'foo' \(valid arguments: in_channels/);
    expect(() => new nn.Linear('a' as any, 3)).toThrow(TypeError);
    expect(() => new nn.Conv2d(1, 4, 3, { padding: 'same', stride: 2 })).toThrow("padding='same' is not supported for strided convolutions");
    expect(() => new nn.Dropout(1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5');
    expect(() => new nn.GroupNorm(4, 6)).toThrow('num_channels must be divisible by num_groups');
  });
  test('wrong input shapes are TorchErrors with libtorch\'s message', () => {
    const conv = new nn.Conv2d(3, 4, 3);
    expect(() => conv(torch.randn(1, 2, 5, 5))).toThrow(torch.TorchError);
    expect(() => conv(torch.randn(1, 2, 5, 5))).toThrow(/expected input\[1, 2, 5, 5\] to have 3 channels/);
    const lin = new nn.Linear(4, 2);
    expect(() => lin(torch.randn(3, 5))).toThrow(torch.TorchError);
    expect(() => new nn.BatchNorm2d(3)(torch.randn(2, 3))).toThrow('expected 4D input (got 2D input)');
    expect(() => lin('x' as any)).toThrow(/must be a Tensor/);
  });
});
