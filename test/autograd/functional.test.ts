// torch.autograd.functional against PyTorch 1.13 (fixtures: test/fixtures/make_autograd_functional.py).
import * as torch from '../../lib';
import { loadFixture } from '../helpers';

const fx = loadFixture('autograd_functional.json');
const AF = torch.autograd.functional;
const t = (x: unknown) => torch.tensor(x, { dtype: torch.float64 });
const A = t(fx.A);
const f = (a: torch.Tensor) => torch.matmul(A, a.exp()).mul(a.idx(torch.slice(null, 2)));
const g = (a: torch.Tensor, b: torch.Tensor) => a.sin().sum().mul(b).pow(2);
const s = (a: torch.Tensor) => a.pow(3).mul(a.sin()).sum();
const s2 = (a: torch.Tensor, b: torch.Tensor) => a.pow(2).sum().mul(b.exp().sum());

function close(got: any, want: any): void {
  const a = [got].flat(Infinity) as number[], b = [want].flat(Infinity) as number[];
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-12 + 1e-10 * Math.abs(b[i])));
}
const L = (x: any): any => (x instanceof torch.Tensor ? x.tolist() : Array.isArray(x) ? x.map(L) : x);

describe('torch.autograd.functional', () => {
  test('jacobian of one and of two inputs', () => {
    close(L(AF.jacobian(f, t(fx.x))), fx.jacobian_f);
    close(L(AF.jacobian(g, [t(fx.x), t(fx.y)])), fx.jacobian_g);
  });
  test('hessian of one and of two inputs', () => {
    close(L(AF.hessian(s, t(fx.x))), fx.hessian_s);
    close(L(AF.hessian(s2, [t(fx.x), t(fx.y)])), fx.hessian_s2);
  });
  test('vjp, jvp, vhp, hvp', () => {
    close(L(AF.vjp(f, t(fx.x), t(fx.v2))), fx.vjp_f);
    close(L(AF.jvp(f, t(fx.x), t(fx.v3))), fx.jvp_f);
    close(L(AF.vhp(s, t(fx.x), t(fx.v3))), fx.vhp_s);
    close(L(AF.hvp(s, t(fx.x), t(fx.v3))), fx.hvp_s);
  });
  test('results do not require grad without create_graph; strict mode refuses an unused input', () => {
    const j = AF.jacobian(f, t(fx.x));
    expect(j.requires_grad).toBe(false);
    expect(() => AF.jacobian((a: torch.Tensor, _b: torch.Tensor) => a.mul(2), [t(fx.x), t(fx.y)], { strict: true })).toThrow(/independent of input 1/);
  });
});

class WrongSin extends torch.autograd.Function {
  static forward(ctx: torch.autograd.FunctionCtx, a: torch.Tensor) {
    ctx.save_for_backward(a);
    return a.sin();
  }
  static backward(ctx: torch.autograd.FunctionCtx, g: torch.Tensor) {
    const [a] = ctx.saved_tensors;
    return g.mul(a!.cos()).mul(2);
  }
}
class CubeFn extends torch.autograd.Function {
  static forward(ctx: torch.autograd.FunctionCtx, a: torch.Tensor) {
    ctx.save_for_backward(a);
    return a.pow(3);
  }
  static backward(ctx: torch.autograd.FunctionCtx, g: torch.Tensor) {
    const [a] = ctx.saved_tensors;
    return g.mul(3).mul(a!.pow(2));
  }
}
class CubeWrong2 extends torch.autograd.Function {
  static forward(ctx: torch.autograd.FunctionCtx, a: torch.Tensor) {
    ctx.save_for_backward(a);
    return a.pow(3);
  }
  static backward(ctx: torch.autograd.FunctionCtx, g: torch.Tensor) {
    const [a] = ctx.saved_tensors;
    return g.mul(3).mul(a!.detach().pow(2));
  }
}

describe('torch.autograd.gradcheck / gradgradcheck give PyTorch 1.13\'s verdicts', () => {
  const gc = fx.gradcheck;
  const xg = () => t(fx.x).requires_grad_(true);
  test('gradcheck', () => {
    expect(torch.autograd.gradcheck(torch.sin, xg())).toBe(gc.sin);
    expect(torch.autograd.gradcheck(f, [xg()])).toBe(gc.f);
    expect(torch.autograd.gradcheck((a: torch.Tensor) => WrongSin.apply(a), xg(), { raise_exception: false })).toBe(gc.wrong_no_raise);
    let err: any = null;
    try {
      torch.autograd.gradcheck((a: torch.Tensor) => WrongSin.apply(a), xg());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(torch.autograd.GradcheckError);
    expect(err.name).toBe(gc.wrong_error[0]);
    expect(err.message.split('\n')[0]).toBe(gc.wrong_error[1]);
  });
  test('gradgradcheck', () => {
    const go = torch.ones(3, { dtype: torch.float64 });
    expect(torch.autograd.gradgradcheck((a: torch.Tensor) => CubeFn.apply(a), xg(), go)).toBe(gc.gradgrad_cube);
    expect(torch.autograd.gradgradcheck((a: torch.Tensor) => CubeWrong2.apply(a), xg(), go, { raise_exception: false })).toBe(gc.gradgrad_wrong);
  });
});

describe('torch.autograd.detect_anomaly (libtorch\'s anomaly mode)', () => {
  test('a NaN gradient raises PyTorch\'s message; the mode is restored afterwards', () => {
    expect(torch.autograd.is_anomaly_enabled()).toBe(false);
    expect(() => torch.autograd.detect_anomaly(() => {
      const z = torch.zeros(1).requires_grad_(true);
      z.div(z).sum().backward();
    })).toThrow(fx.anomaly.message);
    expect(torch.autograd.is_anomaly_enabled()).toBe(fx.anomaly.enabled_after);
  });
  test('set_detect_anomaly', () => {
    torch.autograd.set_detect_anomaly(true);
    try {
      expect(torch.autograd.is_anomaly_enabled()).toBe(true);
    } finally {
      torch.autograd.set_detect_anomaly(false);
    }
    expect(torch.autograd.is_anomaly_enabled()).toBe(false);
    // without anomaly mode the NaN gradient is accumulated silently
    const z = torch.zeros(1).requires_grad_(true);
    z.div(z).sum().backward();
    expect(z.grad!.isnan().item()).toBe(true);
  });
});
