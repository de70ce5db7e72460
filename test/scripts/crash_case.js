// Child process for test/crash.test.ts: runs one named case from issue 14's reproductions (each
// crashed, hung or answered wrongly before being guarded) and prints what it threw as JSON. Run
// in a child so that a crash or a hang fails the test instead of taking jest down.
'use strict';
const torch = require('../../dist');
const { nn } = torch;
const F = nn.functional;
const o = (...s) => torch.ones(...s);

const cases = {
  sum_to_size_int64_min: () => o(2, 3).sum_to_size(-(2n ** 63n)),
  sum_to_size_list: () => o(2, 3).sum_to_size([-(2n ** 63n), 3]),
  histogramdd_empty_bins: () => torch.histogramdd(o(4, 2), []),
  histogramdd_empty_edges: () => torch.histogramdd(o(4, 2), { bins: [] }),
  ctc_huge_target: () => new nn.CTCLoss()(torch.randn(5, 1, 3).log_softmax(2), torch.tensor([[1099511627776n]]), torch.tensor([5n]), torch.tensor([1n])),
  ldl_solve_zero_pivots: () => torch.linalg.ldl_solve(o(3, 3), torch.tensor([0, 0, 0], { dtype: torch.int32 }), o(3, 1)),
  ldl_solve_negative_pivots: () => torch.linalg.ldl_solve(o(3, 3), torch.tensor([-100, -200, -300], { dtype: torch.int32 }), o(3, 1)),
  ldl_solve_huge_pivot: () => torch.linalg.ldl_solve(o(3, 3), torch.tensor([2 ** 31 - 1, 5, 6], { dtype: torch.int32 }), o(3, 1)),
  max_pool1d_huge_kernel: () => F.max_pool1d(o(1, 1, 4), 1e18),
  max_pool2d_huge_dilation: () => F.max_pool2d(o(1, 1, 4, 4), 2, { dilation: 1e17 }),
  matrix_power_int64_min: () => torch.matrix_power(torch.eye(2), -(2n ** 63n)),
  hermite_huge_degree: () => torch.special.hermite_polynomial_h(torch.full([2], 0.5), 1e18),
  legendre_huge_degree_tensor: () => torch.special.legendre_polynomial_p(torch.full([2], 0.5), torch.tensor([1e18])),
  transformer_huge_layers: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 1), 2 ** 31),
  set_num_threads_huge: () => torch.set_num_threads(2 ** 40),
  cyclic_self: () => { const a = []; a.push(a); return torch.tensor(a); },
  cyclic_pair: () => { const a = [1, 2]; const b = [a, a]; a[0] = b; return torch.tensor(b); },
  cyclic_leaf: () => { const a = [[1, 2]]; a[0][1] = a; return torch.tensor(a); },
  int64_overflow: () => torch.tensor([1e20], { dtype: torch.int64 }),
  int32_overflow: () => torch.tensor([3e9], { dtype: torch.int32 }),
  int8_overflow: () => torch.tensor([300], { dtype: torch.int8 }),
  int32_nan: () => torch.tensor([NaN], { dtype: torch.int32 }),
  bigint_overflow: () => torch.tensor([2n ** 70n]),
  int_arg_huge_number: () => o(2).view(1e20),
  int_arg_huge_bigint: () => o(2).view(2n ** 64n),
  int_arg_huge_dim: () => o(2).sum(1e300),
};

const name = process.argv[2];
let out;
try {
  const r = cases[name]();
  out = { ok: true, value: r instanceof torch.Tensor ? r.tolist().toString() : String(r) };
} catch (e) {
  out = { ok: false, error: e && e.constructor ? e.constructor.name : typeof e, message: String(e && e.message) };
}
process.stdout.write(JSON.stringify(out));
