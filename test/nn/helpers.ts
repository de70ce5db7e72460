/** Shared helpers for the nn tests: fixture tensors, seeding, backward (until torch.autograd is merged). */
import * as torch from '../../lib';
import { native } from '../../lib/binding';
import { Tensor } from '../../lib/tensor';

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
  native._nn_set_requires_grad(t._h, v);
  return t;
}
export function backward(y: torch.Tensor, g?: torch.Tensor): void {
  native._nn_backward(y._h, g ? g._h : null);
}
export function grad(t: torch.Tensor): torch.Tensor | null {
  const h = native._nn_grad(t._h);
  return h === null ? null : new Tensor(h);
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
