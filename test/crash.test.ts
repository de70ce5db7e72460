// Issue 14's reproductions: each crashed (SIGSEGV/SIGABRT), hung or answered wrongly in libtorch
// or torch-node. Each runs in its own child process (test/scripts/crash_case.js) so that a
// regression fails here instead of killing jest; the child must exit normally with a clean error.
import { spawnSync } from 'child_process';
import * as path from 'path';

const script = path.join(__dirname, 'scripts', 'crash_case.js');

function run(name: string): { ok: boolean; error?: string; message?: string; value?: string } {
  const r = spawnSync(process.execPath, ['--expose-gc', script, name], { encoding: 'utf8', timeout: 20000 });
  if (r.error || r.status !== 0) {
    throw new Error(`case ${name}: child ended with status ${r.status} signal ${r.signal} ${r.error ?? ''}\n${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

// [case, error class, a part of the message]
const cases: [string, string, RegExp][] = [
  // PyTorch's is_expandable_to wording
  ['sum_to_size_int64_min', 'TorchError', /size \{\[-9223372036854775808\]\} is not expandable to size \{\[2, 3\]\}/],
  ['sum_to_size_list', 'TorchError', /is not expandable to size/],
  ['histogramdd_empty_bins', 'TorchError', /histogramdd: expected 2 sequences of bin edges for a 2-dimensional histogram but got 0/],
  ['histogramdd_empty_edges', 'TorchError', /expected 2 sequences of bin edges/],
  ['ctc_huge_target', 'TorchError', /targets must be class indices in \[0, 3\), got values in \[1099511627776, 1099511627776\]/],
  ['ldl_solve_zero_pivots', 'TorchError', /pivots are not valid LDL factorization pivots \(entry 0 is 0/],
  ['ldl_solve_negative_pivots', 'TorchError', /pivots are not valid/],
  ['ldl_solve_huge_pivot', 'TorchError', /entry 0 is 2147483647/],
  ['max_pool1d_huge_kernel', 'TorchError', /max_pool1d\(\): the pooling window \(kernel_size 1000000000000000000, dilation 1\) is larger than the padded input \(4\)/],
  ['max_pool2d_huge_dilation', 'TorchError', /max_pool2d\(\): the pooling window/],
  ['matrix_power_int64_min', 'RangeError', /argument 'n' must be greater than -2\*\*63/],
  ['hermite_huge_degree', 'RangeError', /hermite_polynomial_h\(\): argument 'n' \(1e\+18\) exceeds 2147483647/],
  ['legendre_huge_degree_tensor', 'RangeError', /legendre_polynomial_p\(\): argument 'n'/],
  ['transformer_huge_layers', 'RangeError', /TransformerEncoder: argument 'num_layers' \(2147483648\) is too large/],
  ['set_num_threads_huge', 'RangeError', /set_num_threads\(\): 1099511627776 threads is more than/],
  ['cyclic_self', 'TypeError', /data contains itself/],
  ['cyclic_pair', 'TypeError', /data contains itself/],
  ['cyclic_leaf', 'TypeError', /data contains itself/],
  // PyTorch 1.13's messages for torch.tensor(...) with these values
  ['int64_overflow', 'TorchError', /^value cannot be converted to type int64 without overflow$/],
  ['int32_overflow', 'TorchError', /^value cannot be converted to type int32 without overflow$/],
  ['int8_overflow', 'TorchError', /^value cannot be converted to type int8 without overflow$/],
  ['int32_nan', 'TorchError', /^value cannot be converted to type int32 without overflow$/],
  ['bigint_overflow', 'TorchError', /^Overflow when unpacking long$/],
  // int parameters of ops: the double/bigint outside int64 (the cast was undefined behaviour)
  ['int_arg_huge_number', 'RangeError', /argument 'size' \(position 2\) is out of the int64 range \(Overflow when unpacking long\), got 1e\+20/],
  ['int_arg_huge_bigint', 'RangeError', /is out of the int64 range \(Overflow when unpacking long\)/],
  ['int_arg_huge_dim', 'RangeError', /argument 'dim' .*is out of the int64 range/],
];

describe('issue 14 reproductions end in a clean error, in a child process', () => {
  test.each(cases)('%s', (name, cls, msg) => {
    const r = run(name);
    expect(r.ok).toBe(false);
    expect(r.error).toBe(cls);
    expect(r.message).toMatch(msg);
  });
});

describe('a worker_thread ending while *_async jobs run does not abort the process', () => {
  test.each(['exit', 'terminate'])('%s', (mode) => {
    // three rounds: the abort depended on which jobs were still in flight at teardown
    for (let round = 0; round < 3; round++) {
      const r = spawnSync(process.execPath, [path.join(__dirname, 'scripts', 'worker_exit.js'), mode], { encoding: 'utf8', timeout: 30000 });
      expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
      expect(r.stdout.trim()).toBe('all workers gone');
    }
  });
});

describe('the checks accept the calls they guard', () => {
  // imported here so that the child-process cases above do not need the addon in jest's process
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const torch = require('../lib');
  test('sum_to_size, histogramdd, ldl_solve, max_pool1d, matrix_power, polynomials', () => {
    const x = torch.arange(6, { dtype: torch.float64 }).reshape(2, 3);
    expect(x.sum_to_size(1, 3).tolist()).toEqual(x.sum(0, { keepdim: true }).tolist());
    const [hist] = torch.histogramdd(torch.rand(10, 2), [2, 3]);
    expect(hist.shape).toEqual([2, 3]);
    expect(hist.sum().item()).toBe(10);
    const A = torch.tensor([[4, 1, 2], [1, -3, 0], [2, 0, 5]], { dtype: torch.float64 });
    const B = torch.tensor([[1], [2], [3]], { dtype: torch.float64 });
    const [LD, piv] = torch.linalg.ldl_factor(A);
    const got = torch.linalg.ldl_solve(LD, piv, B);
    expect(torch.allclose(got, torch.linalg.solve(A, B))).toBe(true);
    expect(torch.nn.functional.max_pool1d(torch.arange(4, { dtype: torch.float32 }).reshape(1, 1, 4), 4).tolist()).toEqual([[[3]]]);
    expect(torch.matrix_power(torch.eye(2), -(2n ** 62n)).tolist()).toEqual(torch.eye(2).tolist());
    const p = torch.special.legendre_polynomial_p(torch.tensor([0.5], { dtype: torch.float64 }), 2);
    // P_2(x) = (3x^2 - 1) / 2, computed by libtorch from x
    const x5 = torch.tensor([0.5], { dtype: torch.float64 });
    expect(torch.allclose(p, x5.pow(2).mul(3).sub(1).div(2))).toBe(true);
  });
  test('integer conversion keeps what fits, as PyTorch does', () => {
    expect(torch.tensor([3.7, -2.9], { dtype: torch.int32 }).tolist()).toEqual([3, -2]);
    expect(torch.tensor([-1], { dtype: torch.uint8 }).tolist()).toEqual([255]);
    expect(torch.tensor([-(2n ** 63n), 2n ** 63n - 1n]).tolist()).toEqual([-(2 ** 63), 2 ** 63 - 1]);
    expect(torch.tensor([-(2 ** 63)], { dtype: torch.int64 }).dtype).toBe(torch.int64);
    const r = [1, 2];
    expect(torch.tensor([r, r]).shape).toEqual([2, 2]);
  });
});
