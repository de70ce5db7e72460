// The program the packaging test runs in a fresh project, once as ESM (import) and once as
// CommonJS (require): least squares by gradient descent, a few steps, with the gradient written
// out (X^T (Xw - y) * 2/n), so that it needs only tensor ops. Prints JSON on stdout.
// Loaded as text by test/packaging/pack.test.ts; `run(torch)` is also called there on the
// development tree to get the expected numbers.
function run(torch) {
  const X = torch.tensor([[1, 2], [3, 4], [5, 6], [7, 8]]);
  const w_true = torch.tensor([[0.5], [-1]]);
  const y = X.matmul(w_true);
  let w = torch.zeros([2, 1]);
  const loss = (w) => X.matmul(w).sub(y).pow(2).mean().item();
  const losses = [loss(w)];
  for (let step = 0; step < 20; step++) {
    const grad = X.t().matmul(X.matmul(w).sub(y)).mul(2 / 4);
    w = w.sub(grad, { alpha: 0.01 });
    losses.push(loss(w));
  }
  return { w: w.tolist(), losses, dtype: String(w.dtype), live: typeof torch.live_tensors().count };
}
