/** F.interpolate / nn.Upsample against PyTorch 1.13: every mode, 1–3 spatial dims, antialias, gradients. */
import * as torch from '../../lib';
import { loadFixture, fromFixture, expectTensorClose } from '../helpers';

const { nn } = torch;
const F = nn.functional;
const fx = loadFixture('interpolate.json');

describe('F.interpolate matches PyTorch', () => {
  for (const c of fx.cases) {
    test(`${JSON.stringify(c.input.shape)} ${JSON.stringify(c.kwargs)}`, () => {
      const x = fromFixture(c.input).requires_grad_();
      const y = F.interpolate(x, c.kwargs);
      expectTensorClose(y, c.out, 1e-5, 1e-5);
      y.mul(fromFixture(c.w)).sum().backward();
      expectTensorClose(x.grad!, c.grad, 1e-5, 1e-5);
    });
  }
  test('positional form and nn.Upsample give the same result', () => {
    const x = fromFixture(fx.cases[7].input);
    const a = F.interpolate(x, null, [1.5, 0.6], 'bilinear');
    expectTensorClose(a, fx.cases[7].out, 1e-5, 1e-5);
    const up = new nn.Upsample({ scale_factor: 2, mode: 'nearest-exact' });
    expectTensorClose(up(fromFixture(fx.cases[6].input)), fx.cases[6].out, 1e-6, 1e-6);
  });
  test('bad arguments are clean errors', () => {
    const x = torch.zeros(1, 1, 4, 4);
    expect(() => F.interpolate(x, { size: 2, mode: 'nearest', antialias: true })).toThrow(/Anti-alias option is only supported for bilinear and bicubic/);
    expect(() => F.interpolate(x, { size: 2, mode: 'nearest', align_corners: true })).toThrow(RangeError);
    expect(() => F.interpolate(x, { size: 2, mode: 'linear' })).toThrow(/Got 4D input, but linear mode needs 3D input/);
    expect(() => F.interpolate(x, { size: 2, mode: 'nearest-exact2' })).toThrow(RangeError);
    expect(() => F.interpolate(x)).toThrow(/either size or scale_factor/);
  });
});
