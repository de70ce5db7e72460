// Typical PyTorch-style code: must type-check against the published declarations.
import * as torch from 'torch-node';
import { Tensor } from 'torch-node';

const x: Tensor = torch.tensor([[1, 2], [3, 4]]);
const xi = torch.tensor([1, 2, 3], { dtype: torch.int64 });
const xb = torch.tensor(new Float64Array([1, 2]));
const w = torch.randn(2, 3);
const w2 = torch.randn([2, 3], { dtype: torch.float64 });
const z = torch.zeros([2, 3], { dtype: torch.float32, device: 'cpu' });
const o = torch.ones(2, 2);

const y = x.matmul(w).add(1).relu();
const s = torch.add(x, x, { alpha: 2 });
const s2 = torch.add({ input: x, other: x, alpha: 2 });
const m = y.sum(1, { keepdim: true });
const m2 = y.mean([0, 1]);
const p = y.pow(2).sub(z, { alpha: 0.5 });
x.add_(1);
const n: number = x.numel();
const shape: number[] = x.shape;
const dt: torch.dtype = x.dtype;
const v = x.tolist();
const item = x.sum().item();

const kept = torch.tidy(() => {
  const a = torch.ones(3);
  return a.mul(2);
});
{
  using scope = torch.dispose_scope();
  const tmp = torch.zeros(4);
  const out = scope.keep(tmp.add(1));
  torch.dispose(out);
}
const live: { count: number; bytes: number } = torch.live_tensors();
torch.dispose([x, xi, xb, w, w2, z, o, y, s, s2, m, m2, p, kept]);

export { n, shape, dt, v, item, live };
