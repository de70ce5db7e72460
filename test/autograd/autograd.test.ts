// Autograd against PyTorch: gradients of small graphs, higher-order grads, hooks, grad_fn, errors.
// Fixtures: test/fixtures/make_autograd.py → autograd.json.
import * as torch from '../../lib';
import { Tensor, TorchError } from '../../lib';
import { native } from '../../lib/binding';
import { libtorchError, missingErrorFixture } from '../helpers';

const A = require('../fixtures/autograd.json');
const f64 = (v: number[]) => torch.tensor(v, { dtype: torch.float64 });
const leaf = (v: number[]) => f64(v).requires_grad_();
function close(t: Tensor | null, expected: number[], tol = 1e-12): void {
  expect(t).not.toBeNull();
  const got = (t as Tensor).reshape(-1).tolist() as number[];
  expect(got.length).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]))));
}
function throwsWith(fn: () => unknown, cls: any, msg: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  expect((err as Error).message).toBe(msg);
}

// Errors whose text comes from libtorch: PyTorch 1.13's on 1.13, that release's elsewhere (helpers.libtorchError).
function throwsLibtorch(fn: () => unknown, key: string): void {
  const msg = libtorchError('autograd.json', A, key);
  if (msg === null) expect(fn).toThrow(TorchError);
  else throwsWith(fn, TorchError, msg);
}
missingErrorFixture('autograd err_inference_backward, err_grad_unused');

describe('backward', () => {
  test('polynomial graph: gradient matches PyTorch', () => {
    const x = leaf(A.x);
    const y = x.mul(x).mul(3).add(x.exp()).add(x.sin().mul(x)).sum();
    expect(y.item()).toBeCloseTo(A.poly_y, 12);
    y.backward();
    close(x.grad, A.poly_grad);
  });
  test('matmul + tanh: gradients of both operands', () => {
    const a = f64(A.a).reshape(2, 3).requires_grad_();
    const b = f64(A.b).reshape(3, 4).requires_grad_();
    a.matmul(b).tanh().sum().backward();
    close(a.grad, A.mm_grad_a);
    close(b.grad, A.mm_grad_b);
  });
  test('explicit gradient for a non-scalar output (vector-Jacobian product)', () => {
    const x = leaf(A.x);
    x.mul(x).backward(f64(A.vjp_v));
    close(x.grad, A.vjp_grad);
  });
  test('positional and named options are the same: backward({gradient})', () => {
    const x = leaf(A.x);
    x.mul(x).backward({ gradient: f64(A.vjp_v) });
    close(x.grad, A.vjp_grad);
  });
  test('retain_grad keeps a non-leaf gradient; grads accumulate across passes', () => {
    const x = leaf(A.x);
    const z = x.mul(2);
    expect(z.retains_grad).toBe(false);
    z.retain_grad();
    expect(z.retains_grad).toBe(true);
    z.mul(z).sum().backward({ retain_graph: true });
    close(z.grad, A.retain_z_grad);
    z.mul(z).sum().backward();
    close(x.grad, A.accum_x_grad);
  });
  test('backward(inputs) accumulates only into the listed tensors', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const w = torch.tensor([3, 4], { requires_grad: true });
    x.mul(w).sum().backward({ inputs: [w] });
    close(w.grad, A.inputs_w_grad);
    expect(x.grad).toBeNull();
    expect(A.inputs_x_grad_is_none).toBe(true);
  });
  test('torch.autograd.backward with several roots', () => {
    const x = leaf(A.x);
    torch.autograd.backward([x.mul(x)], [f64(A.vjp_v)]);
    close(x.grad, A.vjp_grad);
  });
  test('backward twice without retain_graph is a TorchError with libtorch\'s message', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(x).sum();
    y.backward();
    throwsWith(() => y.backward(), TorchError, A.err_backward_twice);
  });
  test('errors as PyTorch reports them', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    throwsWith(() => x.mul(2).backward(), TorchError, A.err_implicit_grad);
    throwsWith(() => torch.tensor([1]).sum().backward(), TorchError, A.err_no_grad_fn);
    throwsWith(() => torch.tensor([1]).retain_grad(), TorchError, A.err_retain_grad);
    const inf = torch.inference_mode(() => torch.ones(2));
    throwsLibtorch(() => inf.mul(torch.ones(2).requires_grad_()).sum().backward(), 'err_inference_backward');
    expect(() => x.backward('x' as any)).toThrow(TypeError);
    expect(() => torch.autograd.backward([x], { bogus: 1 } as any)).toThrow(TypeError);
  });
});

describe('requires_grad', () => {
  test('get/set, requires_grad_ returns this, is_leaf', () => {
    const x = torch.tensor([1, 2]);
    expect(x.requires_grad).toBe(false);
    expect(x.requires_grad_()).toBe(x);
    expect(x.requires_grad).toBe(true);
    x.requires_grad = false;
    expect(x.requires_grad).toBe(false);
    x.requires_grad_({ requires_grad: true });
    expect(x.is_leaf).toBe(true);
    const y = x.mul(2);
    expect(y.is_leaf).toBe(false);
    expect(y.requires_grad).toBe(true);
    expect(torch.tensor([1], { requires_grad: true }).requires_grad).toBe(true);
  });
  test('integer tensors cannot require grad (both messages as PyTorch)', () => {
    throwsWith(() => torch.tensor([1n, 2n]).requires_grad_(), TorchError, A.err_int_requires_grad);
    const t = torch.tensor([1n, 2n]);
    throwsWith(() => { t.requires_grad = true; }, TorchError, A.err_set_int_requires_grad);
    expect(t.requires_grad).toBe(false);
    expect(() => { (t as any).requires_grad = 'yes'; }).toThrow(TypeError);
  });
  test('non-leaf flags', () => {
    const y = torch.tensor([1, 2], { requires_grad: true }).mul(2);
    throwsWith(() => y.requires_grad_(false), TorchError, A.err_nonleaf_requires_grad_false);
    throwsWith(() => { y.requires_grad = true; }, TorchError, A.err_nonleaf_setter);
    expect(y.requires_grad_(true)).toBe(y);
  });
});

describe('.grad', () => {
  test('read, set, clear; assignments are checked as in PyTorch', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    expect(x.grad).toBeNull();
    x.grad = torch.tensor([5, 6]);
    expect(x.grad!.tolist()).toEqual([5, 6]);
    x.mul(x).sum().backward();
    expect(x.grad!.tolist()).toEqual([7, 10]); // 5 + 2*1, 6 + 2*2
    x.grad = null;
    expect(x.grad).toBeNull();
    throwsWith(() => { torch.zeros(2).grad = torch.zeros(3); }, TorchError, A.err_grad_size);
    throwsWith(() => { torch.zeros(2).grad = torch.zeros(2, { dtype: torch.float64 }); }, TorchError, A.err_grad_dtype);
    expect(() => { (x as any).grad = [1, 2]; }).toThrow(TypeError);
    expect(() => { x.grad = x; }).toThrow(TorchError);
  });
  test('zeroing a grad in place', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    x.mul(3).sum().backward();
    x.grad!.zero_();
    expect(x.grad!.tolist()).toEqual([0, 0]);
  });
});

describe('torch.autograd.grad', () => {
  test('higher-order gradients (create_graph)', () => {
    const x = leaf(A.x);
    const y = x.pow(3).sum();
    const [g] = torch.autograd.grad(y, x, { create_graph: true });
    close(g, A.ho_g);
    expect(g!.grad_fn!.name()).toBe(A.ho_g_grad_fn);
    const [h] = torch.autograd.grad(g!.sum(), [x], null, null, true);
    close(h, A.ho_h);
    const [t] = torch.autograd.grad(h!.sum(), x);
    close(t, A.ho_t);
    expect(x.grad).toBeNull();
  });
  test('several inputs, grad_outputs and allow_unused', () => {
    const p = f64([1.5, -0.5]).requires_grad_();
    const q = f64([2, 4]).requires_grad_();
    const r = f64([1]).requires_grad_();
    const o = p.mul(q).add(p.exp());
    const [gp, gq, gr] = torch.autograd.grad([o], [p, q, r], { grad_outputs: [f64([1, 0.5])], allow_unused: true });
    close(gp, A.multi_gp);
    close(gq, A.multi_gq);
    expect(gr).toBeNull();
    expect(A.multi_gr_is_none).toBe(true);
    throwsLibtorch(() => torch.autograd.grad(p.mul(2).sum(), [p, r]), 'err_grad_unused');
  });
});

describe('grad_fn', () => {
  type G = [string, [G | null, number][]] | null;
  function walk(fn: torch.autograd.Node | null): G {
    if (fn === null) return null;
    return [fn.name(), fn.next_functions.map(([f, i]) => [walk(f), i] as [G, number])];
  }
  test('names and next_functions as PyTorch', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const w = torch.tensor([3, 4], { requires_grad: true });
    const y = x.add(torch.tensor(1)).mul(w).sum();
    expect(walk(y.grad_fn)).toEqual(A.graph);
    expect(x.grad_fn).toBeNull();
    expect(String(y.grad_fn)).toBe('<SumBackward0 object>');
  });
  test('AccumulateGrad.variable is the leaf; equals() compares nodes', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(2);
    const acc = y.grad_fn!.next_functions[0][0]!;
    expect(acc.variable!.tolist()).toEqual([1, 2]);
    expect(y.grad_fn!.equals(y.grad_fn)).toBe(true);
    expect(y.grad_fn!.equals(acc)).toBe(false);
    expect(y.grad_fn!.variable).toBeUndefined();
  });
  test('a non-Node where a Node is expected is a TypeError', () => {
    expect(() => native._node_name({})).toThrow(TypeError);
    expect(() => native._node_next(5)).toThrow(TypeError);
  });
});

describe('detach', () => {
  test('detach shares data and leaves the graph; detach_ in place', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(2);
    const d = y.detach();
    expect(d.requires_grad).toBe(false);
    expect(d.grad_fn).toBeNull();
    d.add_(1);
    expect(y.tolist()).toEqual([3, 5]); // shares storage
    const z = x.mul(3);
    expect(z.detach_()).toBe(z);
    expect(z.requires_grad).toBe(false);
    expect(z.is_leaf).toBe(true);
  });
});

describe('register_hook', () => {
  test('a hook may replace the gradient; an observing hook sees it (as PyTorch)', () => {
    const x = leaf(A.x);
    x.register_hook((g) => g.mul(2));
    const y = x.mul(3);
    let seen: number[] | null = null;
    y.register_hook((g) => {
      seen = g.tolist();
    });
    y.sum().backward();
    close(x.grad, A.hook_x_grad);
    expect(seen).toEqual(A.hook_seen);
  });
  test('hooks run synchronously on the calling thread, inside backward()', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const order: string[] = [];
    x.register_hook(() => {
      order.push('hook');
    });
    x.mul(2).sum().backward();
    order.push('after');
    expect(order).toEqual(['hook', 'after']);
  });
  test('remove() unregisters', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const h = x.register_hook((g) => g.mul(100));
    h.remove();
    h.remove();
    x.mul(2).sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 2]);
  });
  test('an exception thrown by a hook reaches the caller unchanged; the process lives on', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    class Mine extends Error {}
    x.register_hook(() => {
      throw new Mine('from the hook');
    });
    expect(() => x.mul(2).sum().backward()).toThrow(Mine);
    expect(() => x.mul(2).sum().backward()).toThrow('from the hook');
  });
  test('a hook returning a non-Tensor is a TypeError; a wrong shape is libtorch\'s error', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const h = x.register_hook(() => 5 as any);
    expect(() => x.mul(2).sum().backward()).toThrow(TypeError);
    h.remove();
    const y = torch.tensor([1, 2], { requires_grad: true });
    const z = y.mul(2);
    z.register_hook(() => torch.ones(3));
    expect(() => z.sum().backward()).toThrow(TorchError);
  });
  test('hooks on a tensor that does not require grad: TorchError', () => {
    expect(() => torch.ones(2).register_hook(() => undefined)).toThrow(TorchError);
    expect(() => torch.ones(2).requires_grad_().register_hook(5 as any)).toThrow(TypeError);
  });
  test('engine-thread path (the one CUDA graphs take): hooks are pumped to the JS thread', () => {
    native._autograd_force_worker(true);
    try {
      const x = leaf(A.x);
      x.register_hook((g) => g.mul(2));
      const y = x.mul(3);
      let seen: number[] | null = null;
      y.register_hook((g) => {
        seen = g.tolist();
      });
      y.sum().backward();
      close(x.grad, A.hook_x_grad);
      expect(seen).toEqual(A.hook_seen);
      // a throwing hook on that path: the original JS error arrives
      const w = torch.tensor([1, 2], { requires_grad: true });
      w.register_hook(() => {
        throw new RangeError('pumped');
      });
      expect(() => w.mul(2).sum().backward()).toThrow(RangeError);
      // and autograd.grad with create_graph on that path
      const v = leaf(A.x);
      v.register_hook(() => undefined);
      const [g] = torch.autograd.grad(v.pow(3).sum(), v, { create_graph: true });
      close(g, A.ho_g);
    } finally {
      native._autograd_force_worker(false);
    }
  });
});

describe('lifetime and bad input', () => {
  test('use after dispose is a TorchError, not a crash', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(2).sum();
    x.dispose();
    expect(() => x.grad).toThrow(TorchError);
    expect(() => x.requires_grad).toThrow(TorchError);
    expect(() => x.register_hook(() => undefined)).toThrow(TorchError);
    y.backward(); // the graph keeps its own reference to x
    expect(() => torch.autograd.grad(y, [x])).toThrow(TorchError);
  });
  test('non-tensors where tensors are expected are TypeErrors', () => {
    expect(() => torch.autograd.backward([5 as any])).toThrow(TypeError);
    expect(() => torch.autograd.grad([torch.ones(1)], [{} as any])).toThrow(TypeError);
  });
  test('backward and grad inside tidy() leave no tensors behind', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    x.register_hook((g) => g.mul(1));
    const before = torch.live_tensors().count;
    torch.tidy(() => {
      x.mul(x).sum().backward();
      torch.autograd.grad(x.pow(3).sum(), x, { create_graph: true });
      void x.grad_fn;
      void String(x.grad);
    });
    expect(torch.live_tensors().count).toBe(before);
  });
});

describe('non-leaf .grad', () => {
  test('reads null and raises PyTorch\'s UserWarning once (not libtorch\'s stderr log)', () => {
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const y = torch.tensor([1, 2], { requires_grad: true }).mul(2);
      expect(y.grad).toBeNull();
      expect(y.grad).toBeNull();
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0][0])).toContain('is not a leaf Tensor');
      expect(spy.mock.calls[0][1]).toBe('UserWarning');
    } finally {
      spy.mockRestore();
    }
  });
});
