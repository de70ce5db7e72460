// Every kind of bad input is a clean JS error and the process lives on (issue 2's list; autograd
// errors are in test/autograd/).
import * as torch from '../lib';

const a = torch.ones(2, 3);

test('shape mismatch: TorchError with libtorch message, no backtrace', () => {
  let err: any;
  try {
    a.matmul(torch.ones(2, 3));
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(torch.TorchError);
  expect(err.name).toBe('TorchError');
  expect(err.message).toMatch(/mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)/);
  expect(err.message).not.toMatch(/Exception raised from|frame #/);
  expect(() => a.add(torch.ones(4))).toThrow(/size of tensor a \(3\) must match the size of tensor b \(4\)/);
});

test('dtype mismatch', () => {
  expect(() => torch.mm(a, torch.ones(3, 2, { dtype: torch.int64 }))).toThrow(torch.TorchError);
  expect(() => torch.mm(a, torch.ones(3, 2, { dtype: torch.int64 }))).toThrow(/expected|dtype|Long|Float/i);
});

test('dim and index out of range', () => {
  expect(() => a.sum(5)).toThrow(/Dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)/);
  expect(() => a.index_select(1, torch.tensor([7n]))).toThrow(torch.TorchError);
  expect(() => a.select(0, 9)).toThrow(/out of range/);
  expect(() => a.size(3)).toThrow(RangeError);
});

test('a ragged nested array', () => {
  expect(() => torch.tensor([[1, 2, 3], [4, 5]])).toThrow(/expected sequence of length 3 at dim 1 \(got 2\)/);
});

test("unknown or absent devices ('cuda:7', 'tpu')", () => {
  expect(() => a.to('tpu')).toThrow(torch.TorchError);
  expect(() => a.to('tpu')).toThrow(/unknown device 'tpu'/);
  expect(() => a.to('cuda:7')).toThrow(torch.TorchError);
  expect(() => a.to('cuda:7')).toThrow(torch.cuda.is_available() ? /invalid device ordinal/ : /Torch not compiled with CUDA enabled|Found no NVIDIA driver on your system|No CUDA GPUs are available/);
  expect(() => torch.zeros(2, { device: 'cuda:7' })).toThrow(torch.TorchError);
});

test('use after dispose', () => {
  const t = torch.ones(2);
  t.dispose();
  expect(() => t.add(1)).toThrow(/use after dispose/);
  expect(() => t.tolist()).toThrow(torch.TorchError);
});

test('a non-tensor where a tensor is expected', () => {
  expect(() => torch.matmul(a, [1, 2] as any)).toThrow(TypeError);
  expect(() => torch.matmul(a, null as any)).toThrow(TypeError);
  expect(() => torch.cat([a, 3] as any)).toThrow(TypeError);
  expect(() => (torch as any).add()).toThrow(TypeError);
});

test('an allocation of 1e15 elements', () => {
  expect(() => torch.zeros(1e15)).toThrow(torch.TorchError);
  expect(() => torch.zeros(1e15)).toThrow(/allocate/);
});

test('integers out of range and wrong kinds for int parameters', () => {
  expect(() => a.sum(1.5 as any)).toThrow(TypeError);
  expect(() => torch.zeros(-1)).toThrow(torch.TorchError);
});

test('the process is fine afterwards', () => {
  expect(torch.ones(2).add(1).tolist()).toEqual([2, 2]);
});
