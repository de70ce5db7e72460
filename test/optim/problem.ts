/**
 * The fixed problem of test/fixtures/make_optim.py: params W (3x5), b (3), u (2, never gets a
 * gradient); loss = mean((tanh(X W^T + b) - Y)^2), gradient by the same explicit ops as the script.
 */
import * as torch from '../../lib';
import { native } from '../../lib/binding';

/**
 * make_optim.py's record: every case in float64 (100 steps) and most in float32 (20 steps), on one
 * fixture for every libtorch. torch-node runs PyTorch 1.13's torch.optim algorithms op for op; in
 * float64 on this problem neither a BLAS kernel nor a release's rounding moves a trajectory past a
 * tenth of its tolerance (the script refuses a case whose one-ulp nudge of the start does).
 */
export const fixtures = require('../fixtures/optim_optimizers.json');

/** The libtorch this addon was built against ("2.13.0"). */
export const libtorchVersion: string = native._build_info().torch_version;

export interface Problem {
  X: torch.Tensor;
  Y: torch.Tensor;
  W: torch.Tensor;
  b: torch.Tensor;
  u: torch.Tensor;
}

/** The problem's data and start (float32 values) in the given dtype. */
export function problem(dtype: torch.dtype = torch.float32): Problem {
  const p = fixtures._problem;
  const t = (v: any) => torch.tensor(v, { dtype: torch.float32 }).to(dtype);
  return { X: t(p.X), Y: t(p.Y), W: t(p.W), b: t(p.b), u: t(p.u) };
}

/** Sets (or clears, with null) a tensor's grad without autograd (`p.grad = g`). */
export function setGrad(p: torch.Tensor, g: torch.Tensor | null): void {
  p.grad = g;
}

export function lossAndGrad(P: Problem): [torch.Tensor, torch.Tensor, torch.Tensor] {
  const Z = P.X.matmul(P.W.t()).add(P.b);
  const T = Z.tanh();
  const R = T.sub(P.Y);
  const loss = R.pow(2).mean();
  const scale = 2.0 / R.numel();
  const dZ = R.mul(scale).mul(T.pow(2).neg().add(1));
  const gW = dZ.t().matmul(P.X);
  const gb = dZ.sum(0);
  return [loss, gW, gb];
}

/** The closure of the script: zero_grad, then set W.grad and b.grad; returns the loss. */
export function makeClosure(opt: torch.optim.Optimizer, P: Problem, autograd = false): () => torch.Tensor {
  return () => {
    opt.zero_grad();
    if (autograd) {
      const loss = P.X.matmul(P.W.t()).add(P.b).tanh().sub(P.Y).pow(2).mean();
      loss.backward();
      return loss;
    }
    const [loss, gW, gb] = lossAndGrad(P);
    setGrad(P.W, gW);
    setGrad(P.b, gb);
    return loss;
  };
}

export function flat(ts: torch.Tensor[]): number[] {
  const out: number[] = [];
  for (const t of ts) out.push(...Array.from(t.detach().reshape(-1).to_typed_array() as Float32Array | Float64Array));
  return out;
}

export function maxAbsDiff(a: number[], b: number[]): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
