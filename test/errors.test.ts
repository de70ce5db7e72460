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

// c10 error types become TorchError subclasses as torch/csrc/Exceptions.h maps them to Python
// exceptions; the Python classes named below are what PyTorch 1.13 raises for the same calls
// (checked with /usr/bin/python3).
describe('error classes by c10 type', () => {
  function thrown(f: () => unknown): any {
    try {
      f();
    } catch (e) {
      return e;
    }
    throw new Error('expected a throw');
  }

  test('the hierarchy: every class is a TorchError; IndexError/ValueError are RangeErrors, TorchTypeError a TypeError', () => {
    const cases: [new (m: string) => Error, string, (new (m: string) => Error) | null][] = [
      [torch.IndexError, 'IndexError', RangeError],
      [torch.ValueError, 'ValueError', RangeError],
      [torch.TorchTypeError, 'TypeError', TypeError],
      [torch.NotImplementedError, 'NotImplementedError', null],
      [torch.linalg.LinAlgError, 'LinAlgError', null],
      [torch.OutOfMemoryError, 'OutOfMemoryError', null],
    ];
    for (const [cls, name, builtin] of cases) {
      const e = new cls('m');
      expect(e).toBeInstanceOf(torch.TorchError);
      expect(e).toBeInstanceOf(Error);
      expect(e).toBeInstanceOf(cls);
      expect(e.name).toBe(name);
      expect(e.message).toBe('m');
      if (builtin) expect(e).toBeInstanceOf(builtin);
    }
    expect(torch.cuda.OutOfMemoryError).toBe(torch.OutOfMemoryError);
    // Siblings stay apart, and plain built-ins are not TorchErrors.
    expect(new torch.IndexError('m')).not.toBeInstanceOf(torch.ValueError);
    expect(new torch.linalg.LinAlgError('m')).not.toBeInstanceOf(torch.NotImplementedError);
    expect(new RangeError('m')).not.toBeInstanceOf(torch.TorchError);
    expect(new TypeError('m')).not.toBeInstanceOf(torch.TorchError);
    expect(new torch.TorchError('m')).not.toBeInstanceOf(torch.IndexError);
  });

  test('c10::IndexError -> IndexError (Python IndexError)', () => {
    const e = thrown(() => a.select(0, 9));
    expect(e).toBeInstanceOf(torch.IndexError);
    expect(e).toBeInstanceOf(torch.TorchError);
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/select\(\): index 9 out of range for tensor of size \[2, 3\] at dimension 0/);
    expect(thrown(() => a.take(torch.tensor([99n])))).toBeInstanceOf(torch.IndexError);
    // Dimension wrapping checked in JS raises the same class, as PyTorch does.
    const s = thrown(() => a.size(3));
    expect(s).toBeInstanceOf(torch.IndexError);
    expect(s).toBeInstanceOf(RangeError);
  });

  test('c10::LinAlgError -> torch.linalg.LinAlgError', () => {
    const e = thrown(() => torch.linalg.inv(torch.zeros(2, 2)));
    expect(e).toBeInstanceOf(torch.linalg.LinAlgError);
    expect(e).toBeInstanceOf(torch.TorchError);
    expect(e.name).toBe('LinAlgError');
    expect(e.message).toMatch(/linalg\.inv: The diagonal element 1 is zero/);
    expect(thrown(() => torch.linalg.cholesky(torch.eye(2).neg()))).toBeInstanceOf(torch.linalg.LinAlgError);
  });

  test('c10::NotImplementedError -> NotImplementedError (an op without a kernel for the backend)', () => {
    const sp = torch.ones(2, 2).to_sparse();
    const e = thrown(() => sp.cumsum(0));
    expect(e).toBeInstanceOf(torch.NotImplementedError);
    expect(e).toBeInstanceOf(torch.TorchError);
    expect(e.message).toMatch(/Could not run 'aten::cumsum' with arguments from the 'SparseCPU' backend/);
  });

  test('a plain c10::Error stays a TorchError of no subclass (Python RuntimeError)', () => {
    const e = thrown(() => a.matmul(torch.ones(2, 3)));
    expect(e.constructor).toBe(torch.TorchError);
    for (const cls of [torch.IndexError, torch.ValueError, torch.TorchTypeError, torch.NotImplementedError, torch.linalg.LinAlgError, torch.OutOfMemoryError]) {
      expect(e).not.toBeInstanceOf(cls);
    }
  });

  test('errors of *_async work: the class the work raised (a replayed graph: RuntimeError, as TorchScript gives)', async () => {
    // libtorch's interpreter re-raises a failing op's error as a plain error (PyTorch 1.13: a traced
    // function replayed on a singular matrix raises RuntimeError, not LinAlgError); the first call
    // runs on the JS thread and raises the op's own class.
    const inv = torch.trace_async((x: torch.Tensor) => torch.linalg.inv(x));
    await inv(torch.eye(2, { dtype: torch.float64 })); // traces on the JS thread
    const e = await inv(torch.zeros(2, 2, { dtype: torch.float64 })).catch((err: unknown) => err); // replays on the pool
    expect(e).toBeInstanceOf(torch.TorchError);
    expect(e).not.toBeInstanceOf(torch.linalg.LinAlgError);
    expect((e as Error).message).toMatch(/linalg\.inv: The diagonal element 1 is zero/);
    const first = torch.trace_async((x: torch.Tensor) => torch.linalg.inv(x));
    await expect(first(torch.zeros(2, 2, { dtype: torch.float64 }))).rejects.toBeInstanceOf(torch.linalg.LinAlgError);
  });

  test('argument problems found before libtorch stay the built-in TypeError / RangeError, naming the argument', () => {
    const e = thrown(() => torch.matmul(a, 'x' as any));
    expect(e).toBeInstanceOf(TypeError);
    expect(e).not.toBeInstanceOf(torch.TorchError);
  });
});
