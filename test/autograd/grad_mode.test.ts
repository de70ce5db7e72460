// Grad-mode scopes and `using` guards (no_grad, enable_grad, set_grad_enabled, inference_mode).
import * as torch from '../../lib';

const x = () => torch.tensor([1, 2], { requires_grad: true });

describe('no_grad / enable_grad', () => {
  test('scope function: results do not require grad; mode restored, also on throw', () => {
    const a = x();
    expect(torch.is_grad_enabled()).toBe(true);
    const y = torch.no_grad(() => {
      expect(torch.is_grad_enabled()).toBe(false);
      return a.mul(2);
    });
    expect(y.requires_grad).toBe(false);
    expect(torch.is_grad_enabled()).toBe(true);
    expect(() => torch.no_grad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(torch.is_grad_enabled()).toBe(true);
  });
  test('using guards nest and restore in order', () => {
    const a = x();
    {
      using _g = torch.no_grad();
      expect(torch.is_grad_enabled()).toBe(false);
      expect(a.mul(2).requires_grad).toBe(false);
      {
        using _e = torch.enable_grad();
        expect(torch.is_grad_enabled()).toBe(true);
        expect(a.mul(2).requires_grad).toBe(true);
      }
      expect(torch.is_grad_enabled()).toBe(false);
    }
    expect(torch.is_grad_enabled()).toBe(true);
  });
  test('enable_grad inside no_grad (scope functions)', () => {
    const a = x();
    const y = torch.no_grad(() => torch.enable_grad(() => a.mul(2)));
    expect(y.requires_grad).toBe(true);
  });
  test('async functions are refused (the mode cannot follow an await)', () => {
    expect(() => torch.no_grad((async () => 1) as any)).toThrow(TypeError);
    expect(torch.is_grad_enabled()).toBe(true);
    expect(() => torch.no_grad(5 as any)).toThrow(TypeError);
  });
});

describe('set_grad_enabled', () => {
  test('sets now; the guard restores; with a function it is a scope', () => {
    const a = x();
    const g = torch.set_grad_enabled(false);
    expect(torch.is_grad_enabled()).toBe(false);
    expect(a.mul(2).requires_grad).toBe(false);
    g.exit();
    g.exit();
    expect(torch.is_grad_enabled()).toBe(true);
    expect(torch.set_grad_enabled(false, () => torch.is_grad_enabled())).toBe(false);
    expect(torch.is_grad_enabled()).toBe(true);
    {
      using _ = torch.set_grad_enabled({ mode: false });
      expect(torch.is_grad_enabled()).toBe(false);
    }
    expect(torch.is_grad_enabled()).toBe(true);
    expect(() => torch.set_grad_enabled('no' as any)).toThrow(TypeError);
  });
});

describe('inference_mode', () => {
  test('scope function and guard; tensors made inside are inference tensors', () => {
    const a = x();
    expect(torch.is_inference_mode_enabled()).toBe(false);
    const y = torch.inference_mode(() => {
      expect(torch.is_inference_mode_enabled()).toBe(true);
      expect(torch.is_grad_enabled()).toBe(false);
      return a.mul(2);
    });
    expect(y.requires_grad).toBe(false);
    expect(y.is_inference()).toBe(true);
    expect(a.is_inference()).toBe(false);
    expect(torch.is_inference_mode_enabled()).toBe(false);
    {
      using _ = torch.inference_mode();
      expect(torch.is_inference_mode_enabled()).toBe(true);
      {
        using _off = torch.inference_mode(false);
        expect(torch.is_inference_mode_enabled()).toBe(false);
      }
      expect(torch.is_inference_mode_enabled()).toBe(true);
    }
    expect(torch.is_inference_mode_enabled()).toBe(false);
    expect(torch.inference_mode(false, () => torch.is_inference_mode_enabled())).toBe(false);
    expect(torch.is_grad_enabled()).toBe(true);
  });
  test('guards must be exited LIFO: RangeError otherwise, and nothing is left open', () => {
    const g1 = torch.inference_mode();
    const g2 = torch.inference_mode();
    expect(() => g1.exit()).toThrow(RangeError);
    g2.exit();
    g1.exit();
    expect(torch.is_inference_mode_enabled()).toBe(false);
  });
  test('restored when the function throws', () => {
    expect(() => torch.inference_mode(() => { throw new Error('x'); })).toThrow('x');
    expect(torch.is_inference_mode_enabled()).toBe(false);
  });
});
