// Child process for test/fuzz/regressions.test.ts: runs one named finding of the fuzzer (each
// crashed, hung or ended in an unclean error before it was fixed) and prints what it threw, or
// what it returned, as JSON. A child, so that a regression fails the test instead of killing jest.
'use strict';
const torch = require('../../dist');
const F = torch.nn.functional;

const cases = {
  // an array argument with holes was walked element by element (and copied into the message)
  holey_array_arg: () => torch.arctanh(new Array(1e9)),
  holey_array_kw: () => torch.gt(torch.ones(2), { other: new Array(1e9) }),
  holey_list_param: () => torch.ones(2, 3).permute(new Array(1e9)),
  // an array that contains itself overflowed the stack while the message was written
  cyclic_array_arg: () => { const a = [1]; a.push(a); return torch.mean(torch.ones(3), a); },
  // libtorch's internal asserts
  sort_stable_null: () => torch.sort(torch.tensor([3, 1, 2]), { stable: null }).values.tolist(),
  index_empty: () => torch.ones(3).index([]),
  index_only_none: () => torch.ones(3).index([null]),
  index_put_empty: () => torch.ones(3).index_put_([], torch.tensor(1.0)),
  factory_quantized_ones: () => torch.ones([2, 3], { dtype: torch.qint8 }),
  factory_quantized_empty: () => torch.empty([2], { dtype: torch.quint8 }),
  factory_quantized_like: () => torch.zeros_like(torch.ones(2), { dtype: torch.qint32 }),
};

const name = process.argv[2];
let out;
try {
  const v = cases[name]();
  out = { ok: true, value: JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? String(x) : x)) };
} catch (e) {
  out = { ok: false, error: e && e.constructor && e.constructor.name, message: String(e && e.message) };
}
process.stdout.write(JSON.stringify(out));
