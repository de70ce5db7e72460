/** Shared helpers for the nn tests: fixture tensors, seeding, requires_grad, backward and .grad. */
import * as torch from '../../lib';

export type Fx = { shape: number[]; data: number[] };
export function fromFx(f: Fx): torch.Tensor {
  const t = torch.tensor(f.data);
  const r = (t as any).reshape(f.shape);
  return r;
}
export function seed(s: number): void {
  torch.manual_seed(s);
}
export function requiresGrad(t: torch.Tensor, v = true): torch.Tensor {
  return t.requires_grad_(v);
}
export function backward(y: torch.Tensor, g?: torch.Tensor): void {
  y.backward(g);
}
export function grad(t: torch.Tensor): torch.Tensor | null {
  return t.grad;
}
/** max |a - b| over elements (shapes must match). */
export function expectClose(a: torch.Tensor, f: Fx, atol = 1e-5, rtol = 1e-4): void {
  expect(a.shape).toEqual(f.shape);
  const v = Array.from(a.to(torch.float64).to_typed_array() as Float64Array);
  for (let i = 0; i < v.length; i++) {
    const d = Math.abs(v[i] - f.data[i]);
    if (d > atol + rtol * Math.abs(f.data[i])) {
      throw new Error(`element ${i}: got ${v[i]}, expected ${f.data[i]} (|diff| ${d})`);
    }
  }
}
