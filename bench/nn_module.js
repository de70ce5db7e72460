// Forward cost of a 3-layer MLP (784-128-64-10, ReLU, batch 64) through nn.Module vs the same ATen
// calls made directly, and vs Python PyTorch (timed in the same run). Run: node bench/nn_module.js
const torch = require('../dist');
const { native } = require('../dist/binding');
const { execFileSync } = require('child_process');
const { nn } = torch;
torch.set_num_threads ? torch.set_num_threads(1) : null;
const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 64), new nn.ReLU(), new nn.Linear(64, 10));
const x = torch.randn(64, 784);
const [l1, , l2, , l3] = [...model];
function raw() {
  const a = native.a_linear(x._h, l1.weight._h, l1.bias._h); const b = native.a_relu(a);
  const c = native.a_linear(b, l2.weight._h, l2.bias._h); const d = native.a_relu(c);
  const e = native.a_linear(d, l3.weight._h, l3.bias._h);
  native._free_many([a, b, c, d, e]);
}
function mod() { torch.tidy(() => model(x)); }
function time(f, n) { for (let i = 0; i < 200; i++) f(); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) f(); return Number(process.hrtime.bigint() - t) / n / 1e3; }
const N = +(process.env.N || 1000);
const r = time(raw, N), m = time(mod, N), r2 = time(raw, N), m2 = time(mod, N);
const py = execFileSync('/usr/bin/python3', ['-c', `
import torch, time
torch.set_num_threads(${require('os').cpus().length > 0 ? 'torch.get_num_threads()' : 1})
m = torch.nn.Sequential(torch.nn.Linear(784,128), torch.nn.ReLU(), torch.nn.Linear(128,64), torch.nn.ReLU(), torch.nn.Linear(64,10))
x = torch.randn(64, 784)
with torch.no_grad():
  pass
for _ in range(200): m(x)
t = time.perf_counter()
for _ in range(${N}): m(x)
print((time.perf_counter() - t) / ${N} * 1e6)
`]).toString().trim();
console.log(`MLP forward, batch 64: raw ATen calls ${Math.min(r, r2).toFixed(1)} µs, nn.Module ${Math.min(m, m2).toFixed(1)} µs (x${(Math.min(m, m2) / Math.min(r, r2)).toFixed(3)}), Python PyTorch ${Number(py).toFixed(1)} µs`);
