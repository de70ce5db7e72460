// Tensor basics: creation from JS data, dtypes, reading out, devices, conversions, errors.
import * as torch from '../lib';
import { loadFixture } from './helpers';

const fx = loadFixture('tensor.json');

describe('torch.tensor', () => {
  test('nested arrays give the default dtype and the right shape', () => {
    const t = torch.tensor([[1, 2], [3, 4]]);
    expect(t.dtype).toBe(torch.float32);
    expect(t.shape).toEqual([2, 2]);
    expect(t.size()).toEqual([2, 2]);
    expect(t.size(-1)).toBe(2);
    expect(t.dim()).toBe(2);
    expect(t.numel()).toBe(4);
    expect(t.tolist()).toEqual([[1, 2], [3, 4]]);
  });
  test('bigints give int64, booleans bool, TypedArrays their own kind', () => {
    expect(torch.tensor([1n, 2n]).dtype).toBe(torch.int64);
    expect(torch.tensor([true, false]).dtype).toBe(torch.bool);
    expect(torch.tensor([true, false]).tolist()).toEqual([true, false]);
    expect(torch.tensor(new Int32Array([1, 2])).dtype).toBe(torch.int32);
    expect(torch.tensor(new Float64Array([1, 2])).dtype).toBe(torch.float64);
    expect(torch.tensor(new BigInt64Array([1n, 2n])).dtype).toBe(torch.int64);
    expect(torch.tensor(new Uint8Array([1, 255])).tolist()).toEqual([1, 255]);
  });
  test('dtype option, including integer tensors from JS numbers', () => {
    const t = torch.tensor([0, 2, 1], { dtype: torch.long });
    expect(t.dtype).toBe(torch.int64);
    expect(t.tolist()).toEqual([0, 2, 1]);
    expect(torch.tensor([1.5, 2.5], { dtype: torch.float16 }).tolist()).toEqual([1.5, 2.5]);
    expect(torch.tensor([1.5, 2.5], { dtype: torch.bfloat16 }).dtype).toBe(torch.bfloat16);
  });
  test('scalars make 0-d tensors', () => {
    const t = torch.tensor(3.5);
    expect(t.shape).toEqual([]);
    expect(t.item()).toBe(3.5);
    expect(t.tolist()).toBe(3.5);
  });
  test('empty arrays', () => {
    expect(torch.tensor([]).shape).toEqual([0]);
    expect(torch.tensor([[], []]).shape).toEqual([2, 0]);
  });
  test('a ragged nested array is an error naming the dimension', () => {
    expect(() => torch.tensor([[1, 2], [3]])).toThrow(/expected sequence of length 2 at dim 1 \(got 1\)/);
    expect(() => torch.tensor([1, [2]])).toThrow(RangeError);
    expect(() => torch.tensor(['a'])).toThrow(TypeError);
  });
  test('unknown options are a TypeError', () => {
    expect(() => torch.tensor([1], { dtyp: torch.float32 } as any)).toThrow(/unexpected keyword argument 'dtyp'/);
    expect(() => torch.tensor([1], { dtype: 'float32' } as any)).toThrow(TypeError);
  });
  test('frombuffer shares memory with the buffer', () => {
    const buf = new Float32Array([1, 2, 3]);
    const t = torch.frombuffer(buf, { dtype: torch.float32 });
    buf[0] = 10;
    expect(t.tolist()).toEqual([10, 2, 3]);
    t.mul_(2);
    expect(Array.from(buf)).toEqual([20, 4, 6]);
    expect(torch.frombuffer(buf.buffer, { dtype: torch.float32, count: 2, offset: 4 }).tolist()).toEqual([4, 6]);
    expect(() => torch.frombuffer(buf, { dtype: torch.float32, count: 9 })).toThrow(RangeError);
  });
});

describe('reading out', () => {
  test('to_typed_array returns the matching kind', () => {
    expect(torch.tensor([1, 2]).to_typed_array()).toEqual(new Float32Array([1, 2]));
    expect(torch.tensor([1n, 2n]).to_typed_array()).toEqual(new BigInt64Array([1n, 2n]));
    expect(torch.tensor([1, 2], { dtype: torch.int32 }).to_typed_array()).toEqual(new Int32Array([1, 2]));
  });
  test('non-contiguous tensors read out in logical order', () => {
    const t = torch.tensor([[1, 2, 3], [4, 5, 6]]).t();
    expect(t.is_contiguous()).toBe(false);
    expect(t.tolist()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(Array.from(t.to_typed_array() as Float32Array)).toEqual([1, 4, 2, 5, 3, 6]);
  });
  test('contiguous returns self when already contiguous, else a contiguous copy', () => {
    const t = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.contiguous()).toBe(t);
    const c = t.t().contiguous();
    expect(c.is_contiguous()).toBe(true);
    expect(c.stride()).toEqual([2, 1]);
    expect(c.tolist()).toEqual([[1, 4], [2, 5], [3, 6]]);
    const img = torch.zeros(1, 3, 2, 2).contiguous({ memory_format: torch.channels_last });
    // PyTorch 1.13: torch.zeros(1,3,2,2).contiguous(memory_format=torch.channels_last).stride()
    expect(img.stride()).toEqual([12, 1, 6, 3]);
  });
  test('strides as PyTorch', () => {
    expect(torch.zeros(2, 3, 4).stride()).toEqual(fx.strides.c);
    expect(torch.zeros(2, 3, 4).transpose(0, 2).stride()).toEqual(fx.strides.t);
    expect(torch.zeros(2, 3, 4).stride(1)).toBe(fx.strides.c[1]);
  });
  test('item on a multi-element tensor is a TorchError', () => {
    expect(() => torch.zeros(2).item()).toThrow(torch.TorchError);
  });
});

describe('dtypes and conversions', () => {
  test('conversions between dtypes equal PyTorch', () => {
    const src = torch.tensor(fx.conversions.src);
    for (const [name, want] of Object.entries<number[]>(fx.conversions.to)) {
      const got = src.to((torch as any)[name]).to(torch.float64).tolist();
      expect([name, got]).toEqual([name, want]);
    }
  });
  test('the shorthand methods', () => {
    const t = torch.tensor([1.7, -2.2]);
    expect(t.double().dtype).toBe(torch.float64);
    expect(t.half().dtype).toBe(torch.float16);
    expect(t.long().dtype).toBe(torch.int64);
    expect(t.int().tolist()).toEqual([1, -2]);
    expect(t.bool().tolist()).toEqual([true, true]);
    expect(t.float().dtype).toBe(torch.float32);
    expect(t.to(torch.float32)).toBe(t);
    expect(t.to(torch.float32, { copy: true })).not.toBe(t);
  });
  test('type promotion as PyTorch', () => {
    for (const [a, b, want] of fx.promotion) {
      const x = torch.ones(2, { dtype: (torch as any)[a] });
      const y = torch.ones(2, { dtype: (torch as any)[b] });
      expect([a, b, x.add(y).dtype.name]).toEqual([a, b, want]);
    }
  });
  test('arange dtypes as PyTorch', () => {
    expect(torch.arange(5).dtype.name).toBe(fx.arange_int);
    expect(torch.arange(0, 1, 0.25).dtype.name).toBe(fx.arange_float);
  });
  test('default dtype', () => {
    expect(torch.get_default_dtype()).toBe(torch.float32);
    torch.set_default_dtype(torch.float64);
    try {
      expect(torch.tensor([1.5]).dtype).toBe(torch.float64);
    } finally {
      torch.set_default_dtype(torch.float32);
    }
    expect(() => torch.set_default_dtype(torch.int32)).toThrow(TypeError);
  });
  test('dtype names print as PyTorch', () => {
    expect(String(torch.float32)).toBe('torch.float32');
    expect(torch.long).toBe(torch.int64);
    expect(torch.tensor([1]).type()).toBe('torch.FloatTensor');
  });
});

describe('devices', () => {
  test('cpu tensors', () => {
    const t = torch.tensor([1]);
    expect(String(t.device)).toBe('cpu');
    expect(t.device.type).toBe('cpu');
    expect(t.cpu()).toBe(t);
    expect(t.to('cpu')).toBe(t);
    expect(t.to(new torch.device('cpu'))).toBe(t);
    expect(t.is_cuda).toBe(false);
  });
  test('torch.device parses as PyTorch', () => {
    const d = new torch.device('cuda:1');
    expect([d.type, d.index]).toEqual(['cuda', 1]);
    expect(String(new torch.device('cuda', 0))).toBe('cuda:0');
    expect(() => new torch.device('cuda:x')).toThrow(RangeError);
  });
});
