// torch.autograd.Function against PyTorch 1.13 (fixtures: test/fixtures/make_autograd_function.py).
import * as torch from '../../lib';
import { loadFixture } from '../helpers';

const fx = loadFixture('autograd_function.json');
const f64 = (x: unknown) => torch.tensor(x, { dtype: torch.float64 });
const list = (t: torch.Tensor | null) => t!.tolist();

class Exp extends torch.autograd.Function {
  static forward(ctx: torch.autograd.FunctionCtx, i: torch.Tensor) {
    const r = i.exp();
    ctx.save_for_backward(r);
    return r;
  }
  static backward(ctx: torch.autograd.FunctionCtx, g: torch.Tensor) {
    const [r] = ctx.saved_tensors;
    return g.mul(r!);
  }
}
class Cube extends torch.autograd.Function {
  static forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor) {
    ctx.save_for_backward(x);
    return x.pow(3);
  }
  static backward(ctx: torch.autograd.FunctionCtx, g: torch.Tensor) {
    const [x] = ctx.saved_tensors;
    return g.mul(3).mul(x!.pow(2));
  }
}
class MulConst extends torch.autograd.Function {
  static flags: boolean[] = [];
  static forward(ctx: any, x: torch.Tensor, y: torch.Tensor, k: number) {
    ctx.k = k;
    ctx.save_for_backward(x, y);
    MulConst.flags = [...ctx.needs_input_grad];
    return x.mul(y).mul(k);
  }
  static backward(ctx: any, g: torch.Tensor) {
    const [x, y] = ctx.saved_tensors;
    return [ctx.needs_input_grad[0] ? g.mul(y).mul(ctx.k) : null, ctx.needs_input_grad[1] ? g.mul(x).mul(ctx.k) : null, null];
  }
}
class SortWithIndex extends torch.autograd.Function {
  static forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor) {
    const [v, i] = x.sort() as unknown as torch.Tensor[];
    ctx.mark_non_differentiable(i);
    ctx.save_for_backward(i);
    return [v, i];
  }
  static backward(ctx: torch.autograd.FunctionCtx, gv: torch.Tensor) {
    const [i] = ctx.saved_tensors;
    return torch.zeros_like(gv).scatter(0, i!, gv);
  }
}
class Double_ extends torch.autograd.Function {
  static forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor) {
    x.mul_(2);
    ctx.mark_dirty(x);
    return x;
  }
  static backward(_ctx: torch.autograd.FunctionCtx, g: torch.Tensor) {
    return g.mul(2);
  }
}
class TwoOut extends torch.autograd.Function {
  static seen: boolean[] = [];
  static forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor) {
    ctx.set_materialize_grads(false);
    return [x.mul(2), x.mul(3)];
  }
  static backward(_ctx: torch.autograd.FunctionCtx, g1: torch.Tensor | null, g2: torch.Tensor | null) {
    TwoOut.seen = [g1 === null, g2 === null];
    let r = torch.zeros_like((g1 ?? g2)!);
    if (g1) r = r.add(g1.mul(2));
    if (g2) r = r.add(g2.mul(3));
    return r;
  }
}

describe('torch.autograd.Function', () => {
  test('forward/backward with save_for_backward; the node is <Name>Backward', () => {
    const x = f64(fx.exp.x).requires_grad_();
    const y = Exp.apply(x);
    expect(y.grad_fn!.name()).toBe(fx.exp.name);
    y.mul(f64([1.0, 2.0, 3.0])).sum().backward();
    expect(list(y)).toEqual(fx.exp.y);
    expect(list(x.grad)).toEqual(fx.exp.grad);
  });
  test('double backward through a differentiable backward', () => {
    const x = f64([0.5, -1.0, 2.0]).requires_grad_();
    const y = Cube.apply(x);
    const [g] = torch.autograd.grad(y.sum(), x, { create_graph: true });
    const [gg] = torch.autograd.grad(g!.sum(), x);
    expect(list(y)).toEqual(fx.cube.y);
    expect(list(g)).toEqual(fx.cube.grad);
    expect(list(gg)).toEqual(fx.cube.gradgrad);
  });
  test('non-tensor arguments and needs_input_grad', () => {
    const x = f64([1.0, 2.0]).requires_grad_();
    const z = MulConst.apply(x, f64([3.0, -4.0]), 2.5);
    z.sum().backward();
    expect(list(z)).toEqual(fx.mulconst.z);
    expect(list(x.grad)).toEqual(fx.mulconst.grad);
    expect(MulConst.flags).toEqual(fx.mulconst.needs_input_grad);
  });
  test('mark_non_differentiable', () => {
    const x = f64([0.3, -1.0, 2.0, 0.1]).requires_grad_();
    const [v, i] = SortWithIndex.apply(x);
    v.mul(f64([1.0, 2.0, 3.0, 4.0])).sum().backward();
    expect(list(v)).toEqual(fx.sort.v);
    expect(i.tolist()).toEqual(fx.sort.i);
    expect(i.requires_grad).toBe(fx.sort.i_requires_grad);
    expect(list(x.grad)).toEqual(fx.sort.grad);
  });
  test('mark_dirty: an in-place forward returns its input with the new history', () => {
    const a = f64([1.0, -2.0]).requires_grad_();
    const b = a.mul(1.0);
    const c = Double_.apply(b);
    expect(c === b).toBe(fx.dirty.same);
    c.mul(c).sum().backward();
    expect(list(c)).toEqual(fx.dirty.c);
    expect(list(a.grad)).toEqual(fx.dirty.grad);
  });
  test('set_materialize_grads(false): an unused output\'s grad arrives as null', () => {
    const x = f64([1.0, 2.0]).requires_grad_();
    const [p] = TwoOut.apply(x);
    p.sum().backward();
    expect(list(x.grad)).toEqual(fx.materialize.grad);
    expect(TwoOut.seen).toEqual(fx.materialize.seen);
  });
  test('no graph when no input requires grad', () => {
    const y = Exp.apply(f64([1.0]));
    expect(y.requires_grad).toBe(false);
    expect(y.grad_fn).toBe(null);
  });
  test('an error thrown by backward reaches backward() as a TorchError with the JS stack', () => {
    class Bad extends torch.autograd.Function {
      static forward(_ctx: torch.autograd.FunctionCtx, i: torch.Tensor) {
        return i.mul(2);
      }
      static backward(): torch.Tensor {
        throw new Error('boom in backward');
      }
    }
    const x = f64([1.0]).requires_grad_();
    let err: any = null;
    try {
      Bad.apply(x).sum().backward();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(torch.TorchError);
    expect(err.message).toContain('BadBackward');
    expect(err.message).toContain('boom in backward');
    expect(err.message).toContain('function.test.ts');
  });
  test('a wrong number of gradients is an error', () => {
    class Two extends torch.autograd.Function {
      static forward(_ctx: torch.autograd.FunctionCtx, a: torch.Tensor, b: torch.Tensor) {
        return a.add(b);
      }
      static backward(_ctx: torch.autograd.FunctionCtx, g: torch.Tensor) {
        return [g];
      }
    }
    const a = f64([1.0]).requires_grad_();
    expect(() => Two.apply(a, f64([2.0])).sum().backward()).toThrow('returned an incorrect number of gradients (expected 2, got 1)');
  });
  test('a second backward without retain_graph fails as PyTorch\'s does', () => {
    const x = f64([1.0]).requires_grad_();
    const y = Exp.apply(x).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/Trying to backward through the graph a second time/);
  });
  test('backward on a helper thread (the CUDA path) runs the JS backward on the JS thread', () => {
    const native = require('../../lib/binding').native;
    native._autograd_force_worker(true);
    try {
      const x = f64(fx.exp.x).requires_grad_();
      Exp.apply(x).mul(f64([1.0, 2.0, 3.0])).sum().backward();
      expect(list(x.grad)).toEqual(fx.exp.grad);
    } finally {
      native._autograd_force_worker(false);
    }
  });
});
