// Child process for test/fuzz/regressions.test.ts: runs one named finding of the fuzzer (each
// crashed, hung or ended in an unclean error before it was fixed) and prints what it threw, or
// what it returned, as JSON. A child, so that a regression fails the test instead of killing jest.
'use strict';
const torch = require('../../dist');
const F = torch.nn.functional;
const fs = require('fs');
const path = require('path');
const { records, crc32 } = require('./files');

// test/fixtures/jit/<file> with byte `at` of its data.pkl record set to `v`, CRCs fixed.
function mutatedJit(file, at, v) {
  const b = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'jit', file));
  const rec = records(b).find((r) => /\/data\.pkl$/.test(r.name));
  b[rec.data + at] = v;
  const c = crc32(b.subarray(rec.data, rec.data + rec.size));
  b.writeUInt32LE(c, rec.cd + 16);
  b.writeUInt32LE(c, rec.local + 14);
  return b;
}

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
  // hand-written functions walked holey arrays too (parseArgs of nn, autograd; optimizers)
  holey_max_pool3d: () => F.max_pool3d(torch.ones(1, 2, 4, 4), new Array(1e9)),
  holey_backward: () => torch.autograd.backward(new Array(1e9)),
  holey_optimizer: () => new torch.optim.ASGD(new Array(1e9), { lr: 0.1 }),
  // a degree under the per-element bound, on enough elements to run for minutes
  polynomial_total_work: () => torch.special.hermite_polynomial_he(torch.full([1, 2, 4, 4], 0.5), 2 ** 31 - 1),
  // JS internals ("fn is not a function")
  tidy_not_function: () => torch.tidy(torch.ones(2)),
  gradcheck_not_callable: () => torch.autograd.gradcheck(1, torch.ones(2, { requires_grad: true })),
  jacobian_not_callable: () => torch.autograd.functional.jacobian([2, 3], torch.ones(2)),
  // dims=1e300 built an array of that length
  tensordot_huge_dims: () => torch.tensordot(torch.ones(2, 3), torch.ones(3, 2), 1e300),
  // TorchScript archives whose data.pkl fails an internal assert / a std::vector range check
  jit_load_internal_assert: () => torch.jit.load(mutatedJit('traced_lstm.pt', 663, 98)),
  jit_load_range_check: () => torch.jit.load(mutatedJit('traced_lstm.pt', 325, 104)),
  // frombuffer: a transfer of the buffer copies it instead of freeing the tensor's memory
  frombuffer_transfer: () => {
    const ab = new Float32Array([1, 2, 3, 4]).buffer;
    const t = torch.frombuffer(ab, { dtype: torch.float32 });
    const moved = structuredClone(ab, { transfer: [ab] });
    const { port1, port2 } = new (require('worker_threads').MessageChannel)();
    port1.postMessage(ab, [ab]);
    port1.close(); port2.close();
    for (let i = 0; i < 3; i++) { global.gc && global.gc(); new ArrayBuffer(1 << 20); }
    return [ab.byteLength, moved.byteLength, t.tolist()];
  },
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
