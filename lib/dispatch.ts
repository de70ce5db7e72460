/**
 * The argument parser behind every generated op (lib/generated/ops.ts): picks the overload that
 * matches the given arguments as PyTorch's python_arg_parser does, converts them for the native
 * entry point, makes the one native call and wraps the result.
 *
 * Arguments may be positional in schema order, or given by name in a trailing options object:
 * `torch.sum(x, 1, {keepdim: true})` ≡ `torch.sum(x, {dim: 1, keepdim: true})`.
 */
import { native } from './binding';
import { Tensor } from './tensor';
import { describe } from './_utils';
import { dtype, dtypeFromCode } from './dtype';
import { device, deviceString } from './device';
import { layout } from './layout';
import { TorchError } from './errors';
import { isMainThread } from 'worker_threads';

/** A number (integers are PyTorch ints, others floats), a boolean, or a bigint (int64). */
export type Scalar = number | boolean | bigint;

/** A torch.Generator (lib/random.ts) as the generated code sees it. */
export interface GeneratorLike {
  _id: number;
}

/** torch.memory_format: torch.contiguous_format, torch.preserve_format, torch.channels_last … */
export class memory_format {
  /** @internal */
  constructor(readonly name: string, readonly _code: number) {}
  toString(): string {
    return `torch.${this.name}`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
export const contiguous_format = new memory_format('contiguous_format', 0);
export const preserve_format = new memory_format('preserve_format', 1);
export const channels_last = new memory_format('channels_last', 2);
export const channels_last_3d = new memory_format('channels_last_3d', 3);

/**
 * [native entry, params [name, kind, has default, kwarg-only][], return kind, return info,
 *  var-args int list as a method, as a function, the native function once resolved]
 */
export type Overload = [string, [string, number, number, number][], number, any, number, number, ((...a: any[]) => any)?];

// Kinds (scripts/codegen/model.js KIND).
const K_TENSOR = 0, K_OPT_TENSOR = 1, K_TENSORS = 2, K_OPT_TENSORS = 3, K_INT = 4, K_OPT_INT = 5,
  K_INTS = 6, K_OPT_INTS = 7, K_FLOAT = 8, K_OPT_FLOAT = 9, K_OPT_FLOATS = 10, K_BOOL = 11, K_OPT_BOOL = 12,
  K_SCALAR = 13, K_OPT_SCALAR = 14, K_DTYPE = 15, K_OPT_DTYPE = 16, K_LAYOUT = 17, K_DEVICE = 18,
  K_MEMFMT = 19, K_STR = 20, K_OPT_STR = 21, K_GEN = 22, K_TENSOR_OR_NUMBER = 23;

const KIND_NAMES = [
  'Tensor', 'Tensor?', 'tuple of Tensors', 'tuple of Tensors', 'int', 'int?', 'tuple of ints', 'tuple of ints?',
  'float', 'float?', 'tuple of floats?', 'bool', 'bool?', 'Number', 'Number?', 'dtype', 'dtype?', 'layout?',
  'device?', 'memory_format?', 'str', 'str?', 'Generator?', 'Tensor',
];

function isInt(v: unknown): boolean {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
}

/** Whether every element of array `v` passes `ok`; a hole fails at once (new Array(1e9) is not walked). */
function every(v: any[], ok: (x: any) => boolean): boolean {
  for (let i = 0; i < v.length; i++) if (!(i in v) || !ok(v[i])) return false;
  return true;
}
const isTensor = (x: unknown): boolean => x instanceof Tensor;
const isOptTensor = (x: unknown): boolean => x === null || x === undefined || x instanceof Tensor;
const isNumber = (x: unknown): boolean => typeof x === 'number';

/** Whether `v` (not undefined) is acceptable for a parameter of kind k. */
function accepts(k: number, v: any): boolean {
  switch (k) {
    case K_TENSOR: return v instanceof Tensor;
    case K_OPT_TENSOR: return v === null || v instanceof Tensor;
    case K_TENSORS: return Array.isArray(v) && every(v, isTensor);
    case K_OPT_TENSORS: return Array.isArray(v) && every(v, isOptTensor);
    case K_INT: return isInt(v);
    case K_OPT_INT: return v === null || isInt(v);
    case K_INTS: return isInt(v) || (Array.isArray(v) && every(v, isInt));
    case K_OPT_INTS: return v === null || isInt(v) || (Array.isArray(v) && every(v, isInt));
    case K_FLOAT: return typeof v === 'number' || typeof v === 'bigint';
    case K_OPT_FLOAT: return v === null || typeof v === 'number' || typeof v === 'bigint';
    case K_OPT_FLOATS: return v === null || typeof v === 'number' || (Array.isArray(v) && every(v, isNumber));
    case K_BOOL: return typeof v === 'boolean';
    case K_OPT_BOOL: return v === null || typeof v === 'boolean';
    case K_SCALAR: return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint';
    case K_OPT_SCALAR: return v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint';
    case K_DTYPE: return v instanceof dtype;
    case K_OPT_DTYPE: return v === null || v instanceof dtype;
    case K_LAYOUT: return v === null || v instanceof layout;
    case K_DEVICE: return v === null || typeof v === 'string' || v instanceof device;
    case K_MEMFMT: return v === null || v instanceof memory_format;
    case K_STR: return typeof v === 'string';
    case K_OPT_STR: return v === null || typeof v === 'string';
    case K_GEN: return v === null || (typeof v === 'object' && typeof v._id === 'number');
    case K_TENSOR_OR_NUMBER: return v instanceof Tensor || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint';
  }
  return false;
}

/** Converts an accepted value to what the native entry point takes. */
function convert(k: number, v: any): any {
  if (v === null || v === undefined) return v;
  switch (k) {
    case K_TENSOR: case K_OPT_TENSOR: return v._h;
    case K_TENSORS: return v.map((x: Tensor) => x._h);
    case K_OPT_TENSORS: return v.map((x: Tensor | null) => (x ? x._h : null));
    case K_DTYPE: case K_OPT_DTYPE: case K_MEMFMT: return v._code;
    case K_DEVICE: return deviceString(v);
    case K_LAYOUT: return v._code;
    case K_GEN: return v._id;
    case K_TENSOR_OR_NUMBER: return v instanceof Tensor ? v._h : [v];
  }
  return v;
}

// quint8, qint8, qint32, quint4x2, quint2x4 (c10::ScalarType codes)
function isQuantized(d: dtype): boolean {
  return d._code >= 12 && d._code <= 17 && d._code !== 15;
}

/**
 * A factory (an overload taking TensorOptions) given a quantized dtype: libtorch makes a tensor
 * with no quantizer and fails with an internal assert ("cannot call qscheme on UnknownQuantizer"),
 * or not at all; a quantized tensor is made from a float one.
 */
function refuseQuantized(name: string, params: [string, number, number, number][], d: dtype): void {
  if (!params.some((p) => p[1] === K_LAYOUT)) return;
  throw new TypeError(`${name}(): dtype ${d} is quantized, and ${name}() makes no quantized tensors: ` +
    'make a floating-point tensor and quantize it (torch.quantize_per_tensor)');
}

/**
 * Throws a TypeError when `v` is an array with holes at either end (`new Array(1e9)`): no
 * argument of torch is one, and walking or copying it would take minutes and gigabytes.
 */
export function refuseHoles(fname: string, name: string, v: unknown): void {
  if (Array.isArray(v) && v.length > 0 && (!(0 in v) || !(v.length - 1 in v))) {
    throw new TypeError(`${fname}(): argument '${name}' is an array with empty slots (length ${v.length}); give a list of values`);
  }
}

/** A plain `{...}` object: the trailing options object of a PyTorch-style call. */
export function isOptions(v: unknown): v is Record<string, any> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

const EMPTY: Record<string, unknown> = {};

/**
 * Argument arrays for the native call, one per length, reused across calls: _call fills one while
 * matching an overload and reads it back only to make the native call (no other code runs in
 * between), so no array is allocated per call.
 */
const SCRATCH: any[][] = [];
function scratch(n: number): any[] {
  return SCRATCH[n] ?? (SCRATCH[n] = new Array(n));
}

/** fn(...a) without the spread (spread calls are slower in V8 than calls of a known arity). */
function invoke(fn: (...a: any[]) => any, a: any[]): any {
  switch (a.length) {
    case 0: return fn();
    case 1: return fn(a[0]);
    case 2: return fn(a[0], a[1]);
    case 3: return fn(a[0], a[1], a[2]);
    case 4: return fn(a[0], a[1], a[2], a[3]);
    case 5: return fn(a[0], a[1], a[2], a[3], a[4]);
    case 6: return fn(a[0], a[1], a[2], a[3], a[4], a[5]);
    case 7: return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    case 8: return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    default: return fn(...a);
  }
}

/**
 * Resolves and calls one generated op. `self` is the bound tensor for methods (the schema's first
 * parameter), undefined for torch.* functions.
 */
export function _call(name: string, ovs: Overload[], self: Tensor | undefined, args: any[]): any {
  if (!isMainThread) ovs = threadOverloads(ovs);
  let n = args.length;
  let kw = EMPTY;
  let nkw = 0;
  if (n > 0 && isOptions(args[n - 1])) {
    kw = args[n - 1];
    n -= 1;
    nkw = Object.keys(kw).length;
  }
  const n0 = n;
  const given = args;
  const allInts = n > 1 && allIntArgs(args, n);
  const packed = allInts ? [args.slice(0, n)] : args;
  outer: for (let o = 0; o < ovs.length; o++) {
    const ov = ovs[o];
    const params = ov[1];
    // PyTorch's var-args int list (torch.zeros(2, 3), x.view(2, -1)): the ints form one list.
    if (allInts && ov[self !== undefined ? 4 : 5] === 1) {
      args = packed;
      n = 1;
    } else {
      args = given;
      n = n0;
    }
    const nargs = scratch(params.length);
    let p = 0;
    let used = 0;
    if (self !== undefined) {
      nargs[0] = self._h;
      p = 1;
    }
    let a = 0;
    for (; p < params.length; p++) {
      const prm = params[p];
      let v: any;
      if (a < n && prm[3] === 0) {
        v = args[a++];
        if (v !== undefined && !accepts(prm[1], v)) continue outer;
        if (nkw !== 0 && (kw[prm[0]] !== undefined || (p === 0 && kw.input !== undefined))) continue outer;
      } else if (nkw !== 0) {
        v = kw[prm[0]];
        if (v === undefined && p === 0 && prm[0] === 'self') v = kw.input, used += v !== undefined ? 1 : 0;
        else if (v !== undefined || prm[0] in kw) used++;
        if (v !== undefined && !accepts(prm[1], v)) continue outer;
      }
      if (v === undefined && prm[2] === 0 && prm[1] !== K_OPT_TENSOR && prm[1] !== K_GEN) continue outer;
      if (prm[1] === K_OPT_DTYPE && v != null && isQuantized(v)) refuseQuantized(name, params, v);
      nargs[p] = convert(prm[1], v);
    }
    if (a < n || used !== nkw) continue;
    const fn = ov[6] ?? (ov[6] = native[ov[0]]);
    const r = invoke(fn, nargs);
    switch (ov[2]) {
      case 0: return r === null ? null : new Tensor(r);
      case 1: return ov[3] === 0 && self !== undefined ? self : pickArg(ov, ov[3], self, args, kw);
      case 2: return wrapList(r);
      case 3: return wrapTuple(r, ov[3]);
      case 5: return dtypeFromCode(r);
      case 6: return undefined;
      default: return r;
    }
  }
  throw invalidArguments(name, ovs, self, given.slice(0, n0), kw);
}

// In a worker thread, random ops given no generator must draw from the thread's default generator
// (native/tensor/random.cc), which only the overloads with a Generator parameter reach: each
// generator-less overload is replaced by its `.generator` twin (rand → rand.generator, same
// parameters plus the optional generator), which gives the same numbers from that generator. Ops
// that ATen gives no generator at all (dropout, rand_like, the RNN stacks) have a native twin with
// the same parameters, `a_X_thread` (native/tensor/thread_random.cc).
const twinned = new WeakMap<Overload[], Overload[]>();
function threadOverloads(ovs: Overload[]): Overload[] {
  let t = twinned.get(ovs);
  if (t === undefined) {
    const hasGen = (ov: Overload) => ov[1].some((p) => p[1] === K_GEN);
    t = ovs.map((ov) => {
      if (hasGen(ov)) return ov;
      const g = ovs.find((g) => g[0] === `${ov[0]}_generator` && hasGen(g));
      if (g !== undefined) return g;
      const twin = threadEntry(ov[0]);
      return twin === ov[0] ? ov : ([twin, ...ov.slice(1, 6)] as unknown as Overload);
    });
    twinned.set(ovs, t);
  }
  return t;
}

/**
 * The native entry point to call for `name` on this thread: its worker-thread twin `name_thread`
 * where one exists and this is a worker thread, else `name`.
 */
export function threadEntry(name: string): string {
  return !isMainThread && typeof native[`${name}_thread`] === 'function' ? `${name}_thread` : name;
}

function allIntArgs(args: any[], n: number): boolean {
  for (let i = 0; i < n; i++) if (!isInt(args[i])) return false;
  return true;
}

function wrapList(hs: (number | null)[]): Tensor[] {
  const out = new Array(hs.length);
  for (let i = 0; i < hs.length; i++) out[i] = hs[i] === null ? null : new Tensor(hs[i] as number);
  return out;
}

/**
 * Tuples come back as arrays; where the schema names the results (PyTorch's named tuples, e.g.
 * `max(dim)` → (values, indices)), the array also carries them as properties: `x.max(1).values`.
 */
function wrapTuple(rs: any[], info: [number[], string[]?]): any[] {
  const [kinds, names] = info;
  const out = new Array(rs.length);
  for (let i = 0; i < rs.length; i++) {
    const k = kinds[i];
    out[i] = k === 0 ? (rs[i] === null ? null : new Tensor(rs[i])) : k === 2 ? wrapList(rs[i]) : k === 5 ? dtypeFromCode(rs[i]) : rs[i];
  }
  if (names) for (let i = 0; i < names.length; i++) Object.defineProperty(out, names[i], { value: out[i], enumerable: false });
  return out;
}

/** The JS object passed for parameter `idx` (in-place and out= results return their argument). */
function pickArg(ov: Overload, idx: number, self: Tensor | undefined, args: any[], kw: Record<string, unknown>): any {
  const params = ov[1];
  const name = params[idx][0];
  if (kw[name] !== undefined) return kw[name];
  let a = 0;
  for (let p = self !== undefined ? 1 : 0; p < params.length; p++) {
    if (params[p][3]) break;
    if (p === idx) return args[a];
    a++;
  }
  return undefined;
}

// What the error message calls a value; arrays show at most 8 elements and 3 levels, and an array
// that contains itself shows as [...] (a message must not walk a huge, holey or cyclic array).
function typeOf(v: unknown, depth = 0): string {
  if (v instanceof Tensor) return 'Tensor';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v instanceof dtype) return 'dtype';
  if (Array.isArray(v)) {
    if (depth >= 3) return '[...]';
    const items: string[] = [];
    for (let i = 0; i < Math.min(v.length, 8); i++) items.push(i in v ? typeOf(v[i], depth + 1) : 'empty');
    if (v.length > 8) items.push(`... (${v.length} elements)`);
    return `[${items.join(', ')}]`;
  }
  return describe(v);
}

/** The TypeError PyTorch raises: what was given and every accepted signature. */
function invalidArguments(name: string, ovs: Overload[], self: Tensor | undefined, args: any[], kw: Record<string, unknown>): TypeError {
  const got = [...(self ? ['Tensor'] : []), ...args.map((v) => typeOf(v)), ...Object.keys(kw).map((k) => `${k}=${typeOf(kw[k])}`)];
  const sigs = ovs.map((ov) => {
    const ps = ov[1].slice(self ? 1 : 0);
    const parts: string[] = [];
    let star = false;
    for (const [pn, k, hasDef, kwOnly] of ps) {
      if (kwOnly && !star) {
        parts.push('*');
        star = true;
      }
      parts.push(`${KIND_NAMES[k]} ${pn === 'self' ? 'input' : pn}${hasDef ? ' = <default>' : ''}`);
    }
    return ` * (${parts.join(', ')})`;
  });
  const unknown = Object.keys(kw).filter((k) => !ovs.some((ov) => ov[1].some((p) => p[0] === k || (k === 'input' && p[0] === 'self'))));
  const head = unknown.length
    ? `${name}() got an unexpected keyword argument '${unknown[0]}'`
    : `${name}() received an invalid combination of arguments - got (${got.join(', ')}), but expected one of:`;
  return new TypeError(unknown.length ? head : `${head}\n${sigs.join('\n')}`);
}

/**
 * Calls a generated op that takes TensorOptions (torch.zeros, randn, arange, *_like, x.new_ones …)
 * with the two keyword arguments PyTorch's Python bindings add to such ops and that no schema has:
 * `requires_grad` (the result is made a leaf that requires grad) and, on torch.* factories other
 * than *_like, `out` (the result is written
 * into `out`, which takes its shape, and `out` is returned; without a dtype it is made in `out`'s
 * dtype).
 */
export function _factory(name: string, ovs: Overload[], self: Tensor | undefined, args: any[]): any {
  const n = args.length;
  const last = n > 0 ? args[n - 1] : undefined;
  if (!isOptions(last) || (last.requires_grad === undefined && last.out === undefined)) return _call(name, ovs, self, args);
  const { requires_grad, out, ...rest } = last;
  // PyTorch's *_like functions and Tensor.new_* take no out=.
  if (out !== undefined && (self !== undefined || name.endsWith('_like'))) throw new TypeError(`${name}() got an unexpected keyword argument 'out'`);
  if (requires_grad !== undefined && typeof requires_grad !== 'boolean') {
    throw new TypeError(`${name}(): argument 'requires_grad' must be bool, not ${describe(requires_grad)}`);
  }
  if (out !== undefined && out !== null && !(out instanceof Tensor)) {
    throw new TypeError(`${name}(): argument 'out' must be Tensor, not ${describe(out)}`);
  }
  if (out instanceof Tensor && rest.dtype == null) rest.dtype = out.dtype;
  const call = args.slice(0, n - 1);
  if (Object.keys(rest).length !== 0) call.push(rest);
  let r: Tensor = _call(name, ovs, self, call);
  if (out instanceof Tensor) {
    const same = out.dim() === r.dim() && out.shape.every((n, i) => n === r.shape[i]);
    // Same shape: written into out's storage. Otherwise out takes the result's storage and shape
    // (PyTorch resizes out then; views taken of out before no longer alias it).
    if (same) (out as any).copy_(r);
    else native._nn_set_data(out._h, r._h);
    r.dispose();
    r = out;
  }
  if (requires_grad) {
    const d = r.dtype;
    // The text of PyTorch's Python factories (python_arg_parser), not of Tensor.requires_grad_.
    if (!d.is_floating_point && !d.is_complex) throw new TorchError('Only Tensors of floating point and complex dtype can require gradients');
    (r as any).requires_grad_(true);
  }
  return r;
}
