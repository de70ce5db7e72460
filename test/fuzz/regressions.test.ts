// Every finding of the fuzzer (test/fuzz) that was fixed: each case runs in its own child process
// (test/fuzz/regression_case.js) so that a crash or a hang fails here instead of killing jest, and
// must end in the clean error (or the value) given.
import { spawnSync } from 'child_process';
import * as path from 'path';

const script = path.join(__dirname, 'regression_case.js');

function run(name: string): { ok: boolean; error?: string; message?: string; value?: string } {
  const r = spawnSync(process.execPath, ['--expose-gc', script, name], { encoding: 'utf8', timeout: 60000 });
  if (r.error || r.status !== 0) {
    throw new Error(`case ${name}: child ended with status ${r.status} signal ${r.signal} ${r.error ?? ''}\n${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

// [case, error class, a part of the message]
const errors: [string, string, RegExp][] = [
  ['holey_array_arg', 'TypeError', /arctanh\(\) received an invalid combination of arguments - got \(\[empty, .*\(1000000000 elements\)\]\)/],
  ['holey_array_kw', 'TypeError', /gt\(\) received an invalid combination of arguments/],
  ['holey_list_param', 'TypeError', /permute\(\) received an invalid combination of arguments/],
  ['cyclic_array_arg', 'TypeError', /mean\(\) received an invalid combination of arguments - got \(Tensor, \[int, \[int, \[int, \[\.\.\.\]\]\]\]\)/],
  ['index_empty', 'TorchError', /^index\(\): expected at least one index tensor in indices, got an empty list$/],
  ['index_only_none', 'TorchError', /^index\(\): expected at least one index tensor in indices, got only None$/],
  ['index_put_empty', 'TorchError', /^index_put_\(\): expected at least one index tensor/],
  ['factory_quantized_ones', 'TypeError', /^ones\(\): dtype torch\.qint8 is quantized, and ones\(\) makes no quantized tensors/],
  ['factory_quantized_empty', 'TypeError', /^empty\(\): dtype torch\.quint8 is quantized/],
  ['factory_quantized_like', 'TypeError', /^zeros_like\(\): dtype torch\.qint32 is quantized/],
  ['holey_max_pool3d', 'TypeError', /^max_pool3d\(\): argument 'kernel_size' is an array with empty slots \(length 1000000000\)/],
  ['holey_backward', 'TypeError', /^backward\(\): argument 'tensors' is an array with empty slots/],
  ['holey_optimizer', 'TypeError', /^ASGD\(\): argument 'params' is an array with empty slots/],
  ['polynomial_total_work', 'RangeError', /^torch\.special\.hermite_polynomial_he\(\): argument 'n' \(2147483647\) on 32 elements needs 6\.9e\+10 recurrence steps/],
  ['tidy_not_function', 'TypeError', /^tidy\(\): argument 'fn' must be a function, not Tensor/],
  ['gradcheck_not_callable', 'TypeError', /^gradcheck\(\): argument 'func' must be callable, not number/],
  ['jit_load_internal_assert', 'TorchError', /^torch\.jit\.load\(\): the file is not a valid TorchScript archive: its contents fail libtorch's check \w+\(\) \(\w+\.h:\d+\)$/],
  ['jit_load_range_check', 'TorchError', /^torch\.jit\.load\(\): the file is not a valid TorchScript archive: an index in it is out of range/],
  ['tensordot_huge_dims', 'TorchError', /^tensordot expects dims < ndim_a or ndim_b, but got dims=1e\+300$/],
  ['jacobian_not_callable', 'TypeError', /^jacobian\(\): argument 'func' must be callable/],
];

describe('fuzzer findings end in a clean error, in a child process', () => {
  test.each(errors)('%s', (name, cls, msg) => {
    const r = run(name);
    expect(r).toMatchObject({ ok: false, error: cls });
    expect(r.message).toMatch(msg);
  });
});

describe('fuzzer findings that now return', () => {
  test('frombuffer: transferring the buffer (structuredClone, postMessage) copies it; the tensor keeps its data', () => {
    expect(run('frombuffer_transfer')).toEqual({ ok: true, value: '[16,16,[1,2,3,4]]' });
  });
  test('sort(stable=None) is sort(stable=False)', () => {
    expect(run('sort_stable_null')).toEqual({ ok: true, value: '[1,2,3]' });
  });
});
