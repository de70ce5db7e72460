// torch.utils.checkpoint against PyTorch 1.13 (fixtures: test/fixtures/make_autograd_function.py).
import * as torch from '../../lib';
import { loadFixture, libtorchMinor } from '../helpers';

const fx = loadFixture('autograd_function.json').checkpoint;
const { nn } = torch;

function makeModel(): any {
  torch.manual_seed(0);
  return new nn.Sequential(new nn.Linear(4, 6), new nn.Tanh(), new nn.Dropout(0.5), new nn.Linear(6, 2)).double();
}

function run(mode: string) {
  const model = makeModel();
  const x = torch.tensor(fx.input, { dtype: torch.float64 }).requires_grad_();
  torch.manual_seed(42);
  const o: torch.Tensor = mode === 'plain' ? model(x) : mode === 'checkpoint'
    ? torch.utils.checkpoint.checkpoint(model, x) : torch.utils.checkpoint.checkpoint_sequential(model, 2, x);
  o.mul(torch.tensor([[1.0, -1.0]], { dtype: torch.float64 })).sum().backward();
  const mods = model.children();
  return { out: o.tolist(), grad_x: x.grad!.tolist(), grad_w0: mods[0].weight.grad.tolist(), grad_b3: mods[3].bias.grad.tolist() };
}

/** Within atol + rtol·|b|. The defaults are for runs on one machine. PyTorch's recorded numbers get
 * 1e-7 + 1e-6·|b|: the seeded float32 init differs by an ulp between ATen capabilities
 * (ATEN_CPU_CAPABILITY=default), which moves these float64 results by up to 1e-8; a different
 * dropout mask moves them by more than 1e-2. */
function close(a: any, b: any, atol = 1e-12, rtol = 1e-9): void {
  const fa = [a].flat(3) as number[], fb = [b].flat(3) as number[];
  expect(fa.length).toBe(fb.length);
  fa.forEach((v, i) => expect(Math.abs(v - fb[i])).toBeLessThanOrEqual(atol + rtol * Math.abs(fb[i])));
}

describe('torch.utils.checkpoint', () => {
  test('dropout inside a checkpoint gives the same output and grads as without it', () => {
    const plain = run('plain');
    for (const mode of ['checkpoint', 'checkpoint_sequential']) {
      const r = run(mode);
      for (const k of ['out', 'grad_x', 'grad_w0', 'grad_b3'] as const) close(r[k], plain[k]);
    }
  });
  (libtorchMinor === '1.13' ? test : test.skip)('the numbers are PyTorch 1.13\'s (seeded dropout, libtorch 1.13 sampler)', () => {
    for (const mode of ['plain', 'checkpoint', 'checkpoint_sequential']) {
      const r = run(mode);
      for (const k of ['out', 'grad_x', 'grad_w0', 'grad_b3'] as const) close(r[k], fx[mode][k], 1e-7, 1e-6);
    }
  });
  test('the recomputation restores the caller\'s RNG state afterwards', () => {
    const model = makeModel();
    const x = torch.tensor(fx.input, { dtype: torch.float64 }).requires_grad_();
    const o = torch.utils.checkpoint.checkpoint(model, x);
    torch.manual_seed(5);
    const before = torch.get_rng_state();
    o.sum().backward();
    expect(torch.equal(torch.get_rng_state(), before)).toBe(true);
  });
  test('use_reentrant=false is refused', () => {
    expect(() => torch.utils.checkpoint.checkpoint((a: torch.Tensor) => a, torch.ones(1), { use_reentrant: false })).toThrow(TypeError);
  });
});
