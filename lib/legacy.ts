/**
 * The legacy tensor constructors, as PyTorch 1.13's Python layer defines them (torch/csrc/utils/
 * tensor_new.cpp legacy_tensor_ctor): torch.Tensor and torch.FloatTensor, DoubleTensor, HalfTensor,
 * BFloat16Tensor, LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor, BoolTensor. Each is
 * callable with or without `new`:
 *   torch.FloatTensor()          an empty 1-D tensor
 *   torch.FloatTensor(2, 3)      an uninitialized 2×3 tensor (sizes: integers only)
 *   torch.FloatTensor([1, 2])    a copy of the data (an array or TypedArray; an array is always data,
 *                                as Python's lists and tuples are)
 *   torch.FloatTensor(t)         an alias of t, which must already have that dtype
 *   … and a trailing {device}.
 * torch.Tensor makes the default dtype (torch.get_default_dtype()); the others their own dtype, on
 * the CPU. `x instanceof torch.LongTensor` holds for CPU int64 tensors, as isinstance does;
 * `x instanceof torch.Tensor` for every tensor. `class T extends torch.Tensor` subclasses the Tensor
 * class itself (its constructor wraps a native handle).
 */
import { Tensor as TensorClass } from './tensor';
import {
  dtype, get_default_dtype, set_default_dtype, float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool as tbool,
} from './dtype';
import { DeviceLike, deviceString } from './device';
import { isOptions } from './dispatch';
import * as ops from './generated/ops';
import { tensor as makeTensor } from './creation';

/** The arguments a legacy constructor takes (see the module comment). */
export type LegacyArgs = [] | number[] | [data: unknown] | [...sizes: number[], options: { device?: DeviceLike | null }] |
  [data: unknown, options: { device?: DeviceLike | null }];

/** A legacy typed constructor (torch.FloatTensor …). */
export interface LegacyTensorType {
  (...args: LegacyArgs): TensorClass;
  new (...args: LegacyArgs): TensorClass;
  /** The dtype this constructor makes. */
  readonly dtype: dtype;
}

// c10's names of the scalar types, as PyTorch's TensorOptions mismatch message prints them.
const CPP_NAME: Record<string, string> = {
  float32: 'float', float64: 'double', float16: 'c10::Half', bfloat16: 'c10::BFloat16', int64: 'long int', int32: 'int',
  int16: 'short int', int8: 'signed char', uint8: 'unsigned char', bool: 'bool',
};
const options = (d: dtype) =>
  `TensorOptions(dtype=${CPP_NAME[d.name] ?? d.name}, device=cpu, layout=Strided, requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt))`;

const isInt = (v: unknown) => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
function pyType(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  return (v as object).constructor?.name ?? typeof v;
}

function legacyNew(fixed: dtype | null, argsIn: unknown[]): TensorClass {
  const d = fixed ?? get_default_dtype();
  let args = argsIn;
  let dev: string | null = null;
  if (args.length > 0 && isOptions(args[args.length - 1])) {
    const o = args[args.length - 1] as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (k !== 'device') throw new TypeError(`new() got an unexpected keyword argument '${k}'`);
    }
    if (o.device != null) dev = deviceString(o.device as DeviceLike);
    args = args.slice(0, -1);
  }
  const factory = dev === null ? { dtype: d } : { dtype: d, device: dev };
  if (args.length === 0) return ops.empty([0], factory);
  if (args.every(isInt)) return ops.empty(args.map(Number), factory);
  if (args.length === 1) {
    const a = args[0];
    if (a instanceof TensorClass) {
      if (a.dtype !== d) throw new TypeError(`expected ${options(d)} (got ${options(a.dtype)})`);
      return (a as any).alias();
    }
    if (Array.isArray(a) || ArrayBuffer.isView(a)) return makeTensor(a, factory);
    throw new TypeError(`new(): data must be a sequence (got ${pyType(a)})`);
  }
  const bad = args.findIndex((v) => !isInt(v));
  throw new TypeError(`new(): argument 'size' must be tuple of ints, but found element of type ${pyType(args[bad])} at pos ${bad + 1}`);
}

function legacyType(name: string, d: dtype): LegacyTensorType {
  const ctor = function (...args: unknown[]): TensorClass {
    return legacyNew(d, args);
  };
  Object.defineProperty(ctor, 'name', { value: name });
  Object.defineProperty(ctor, 'dtype', { value: d });
  // isinstance(x, torch.FloatTensor): a CPU tensor of that dtype.
  Object.defineProperty(ctor, Symbol.hasInstance, {
    value: (v: unknown) => v instanceof TensorClass && v.dtype === d && !v.is_cuda,
  });
  return ctor as unknown as LegacyTensorType;
}

export const FloatTensor = legacyType('FloatTensor', float32);
export const DoubleTensor = legacyType('DoubleTensor', float64);
export const HalfTensor = legacyType('HalfTensor', float16);
export const BFloat16Tensor = legacyType('BFloat16Tensor', bfloat16);
export const LongTensor = legacyType('LongTensor', int64);
export const IntTensor = legacyType('IntTensor', int32);
export const ShortTensor = legacyType('ShortTensor', int16);
export const CharTensor = legacyType('CharTensor', int8);
export const ByteTensor = legacyType('ByteTensor', uint8);
export const BoolTensor = legacyType('BoolTensor', tbool);

/**
 * torch.Tensor: the Tensor class (instanceof, prototype, subclassing) that is also the legacy
 * constructor of the default dtype: `torch.Tensor(2, 3)`, `new torch.Tensor([1, 2])`.
 */
export const Tensor: typeof TensorClass & { (...args: LegacyArgs): TensorClass; new (...args: LegacyArgs): TensorClass } =
  new Proxy(TensorClass, {
    apply: (_target, _this, args) => legacyNew(null, args),
    // `new torch.Tensor(...)` is the legacy constructor; a subclass's super(h) reaches the class.
    construct: (target, args, newTarget) =>
      newTarget === Tensor ? legacyNew(null, args) : Reflect.construct(target, args, newTarget),
  }) as any;
export type Tensor = TensorClass;

const BY_NAME: Record<string, LegacyTensorType> = {
  FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor, LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor, BoolTensor,
};
/**
 * torch.set_default_tensor_type(t): a legacy constructor (torch.DoubleTensor) or its name
 * ('torch.DoubleTensor'); sets the default dtype to its dtype (floating types only, as PyTorch).
 */
export function set_default_tensor_type(t: LegacyTensorType | string): void {
  let ctor: LegacyTensorType | undefined;
  if (typeof t === 'string') {
    ctor = BY_NAME[t.replace(/^torch\./, '')];
    if (ctor === undefined) throw new TypeError(`invalid type: '${t}'`);
  } else if (typeof t === 'function' && (t as any).dtype instanceof dtype) ctor = t;
  else throw new TypeError(`set_default_tensor_type(): expected a legacy tensor type or its name, got ${t === null ? 'null' : typeof t}`);
  if (!ctor.dtype.is_floating_point) throw new TypeError('only floating-point types are supported as the default type');
  set_default_dtype(ctor.dtype);
}
