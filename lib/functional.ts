/**
 * The Python-level functions of PyTorch's torch/functional.py whose calling conventions the
 * generated ATen bindings cannot express: variadic tensors (einsum, meshgrid) and results whose
 * arity depends on flags (unique, unique_consecutive). Each forwards to the ATen op that PyTorch's
 * own wrapper calls, so the numbers are libtorch's.
 */
import { Tensor } from './tensor';
import { describe } from './_utils';
import { isOptions } from './dispatch';
import { dtype, int64, bool as boolDtype, get_default_dtype } from './dtype';
import { TorchError } from './errors';
import * as ops from './generated/ops';

function subscript(n: unknown): string {
  if (n === '...') return '...';
  if (typeof n === 'number' && Number.isInteger(n)) {
    if (n >= 0 && n < 26) return String.fromCharCode(65 + n);
    if (n >= 26 && n < 52) return String.fromCharCode(97 + n - 26);
  }
  throw new RangeError('einsum(): subscript in subscript list is not within the valid range [0, 52)');
}

/**
 * torch.einsum(equation, *operands): `torch.einsum('ij,kj->ik', a, b)`, the list form
 * `torch.einsum('ij,jk', [a, b])`, and the sublist form `torch.einsum(a, [0, 1], b, [1, 2], [0, 2])`
 * ('...' stands for Python's Ellipsis in a sublist). No contraction path is chosen for three or more
 * operands (PyTorch uses opt_einsum's when that package is installed; the result is the same up to
 * rounding).
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor;
export function einsum(equation: string, operands: Tensor[]): Tensor;
export function einsum(...sublistForm: (Tensor | (number | '...')[])[]): Tensor;
export function einsum(...args: unknown[]): Tensor {
  if (args.length < 2) {
    throw new RangeError('einsum(): must specify the equation string and at least one operand, or at least one operand and its subscripts list');
  }
  let equation: string;
  let operands: unknown[];
  if (args[0] instanceof Tensor) {
    const lists = args.filter((_, i) => i % 2 === 1);
    const sub = (l: unknown): string => {
      if (!Array.isArray(l)) throw new TypeError(`einsum(): expected a subscript list after each operand, got ${l === null ? 'null' : typeof l}`);
      return l.map(subscript).join('');
    };
    equation = lists.map(sub).join(',');
    if (args.length % 2 === 1) {
      equation += '->' + sub(args[args.length - 1]);
      operands = args.slice(0, -1).filter((_, i) => i % 2 === 0);
    } else {
      operands = args.filter((_, i) => i % 2 === 0);
    }
  } else if (isOptions(args[0])) {
    return ops.einsum(args[0] as { equation: string; tensors: Tensor[] });
  } else {
    equation = args[0] as string;
    operands = args.slice(1);
    if (operands.length === 1 && Array.isArray(operands[0])) operands = operands[0] as unknown[];
  }
  return ops.einsum(equation, operands as Tensor[]);
}

/**
 * torch.meshgrid(*tensors, {indexing}): `torch.meshgrid(x, y, {indexing: 'ij'})` or
 * `torch.meshgrid([x, y])`.
 */
export function meshgrid(...args: (Tensor | Tensor[] | { indexing?: string })[]): Tensor[] {
  let opts: { indexing?: string } | undefined;
  if (args.length && isOptions(args[args.length - 1])) opts = args.pop() as { indexing?: string };
  const tensors = args.length === 1 && Array.isArray(args[0]) ? args[0] : (args as Tensor[]);
  if (opts && Object.prototype.hasOwnProperty.call(opts, 'tensors')) return ops.meshgrid(opts as { tensors: Tensor[]; indexing?: string });
  return opts?.indexing !== undefined ? ops.meshgrid(tensors as Tensor[], { indexing: opts.indexing }) : ops.meshgrid(tensors as Tensor[]);
}

interface UniqueOptions { sorted?: boolean; return_inverse?: boolean; return_counts?: boolean; dim?: number | null }
type UniqueResult = Tensor | [Tensor, Tensor] | [Tensor, Tensor, Tensor];

function pick(out: [Tensor, Tensor, Tensor], inverse: boolean, counts: boolean): UniqueResult {
  if (inverse && counts) return out;
  if (inverse) { out[2].dispose(); return [out[0], out[1]]; }
  if (counts) { out[1].dispose(); return [out[0], out[2]]; }
  out[1].dispose();
  out[2].dispose();
  return out[0];
}

const UNIQUE_PARAMS = ['sorted', 'return_inverse', 'return_counts', 'dim'] as const;
const UNIQUE_CONSECUTIVE_PARAMS = ['return_inverse', 'return_counts', 'dim'] as const;

function bind<K extends string>(fn: string, params: readonly K[], input: unknown, rest: unknown[]): Partial<Record<K, unknown>> {
  if (!(input instanceof Tensor)) throw new TypeError(`${fn}(): argument 'input' (position 1) must be Tensor, not ${input === null ? 'None' : typeof input}`);
  const out: Partial<Record<K, unknown>> = {};
  const opts = rest.length && isOptions(rest[rest.length - 1]) ? (rest.pop() as Record<string, unknown>) : {};
  if (rest.length > params.length) throw new TypeError(`${fn}() takes from 1 to ${params.length + 1} positional arguments but ${rest.length + 1} were given`);
  rest.forEach((v, i) => { out[params[i]] = v; });
  for (const k of Object.keys(opts)) {
    if (!(params as readonly string[]).includes(k)) throw new TypeError(`${fn}() got an unexpected keyword argument '${k}'`);
    if (k in out) throw new TypeError(`${fn}() got multiple values for argument '${k}'`);
    out[k as K] = opts[k];
  }
  return out;
}

/**
 * torch.unique(input, sorted=true, return_inverse=false, return_counts=false, dim=null): the
 * unique elements, plus the inverse indices and/or counts when asked, as PyTorch returns them
 * (a Tensor alone, or a tuple).
 */
export function unique(input: Tensor, options?: UniqueOptions): UniqueResult;
export function unique(input: Tensor, sorted?: boolean, return_inverse?: boolean, return_counts?: boolean, dim?: number | null): UniqueResult;
export function unique(input: Tensor, ...rest: unknown[]): UniqueResult {
  const a = bind('unique', UNIQUE_PARAMS, input, rest);
  const sorted = a.sorted ?? true;
  const inverse = a.return_inverse ?? false;
  const counts = a.return_counts ?? false;
  const out = a.dim === undefined || a.dim === null
    ? ops._unique2(input, sorted as boolean, inverse as boolean, counts as boolean)
    : ops.unique_dim(input, a.dim as number, sorted as boolean, inverse as boolean, counts as boolean);
  return pick(out, inverse as boolean, counts as boolean);
}

/**
 * torch.unique_consecutive(input, return_inverse=false, return_counts=false, dim=null): collapses
 * each run of equal consecutive elements; returns a Tensor, or a tuple with inverse and/or counts.
 */
export function unique_consecutive(input: Tensor, options?: Omit<UniqueOptions, 'sorted'>): UniqueResult;
export function unique_consecutive(input: Tensor, return_inverse?: boolean, return_counts?: boolean, dim?: number | null): UniqueResult;
export function unique_consecutive(input: Tensor, ...rest: unknown[]): UniqueResult {
  const a = bind('unique_consecutive', UNIQUE_CONSECUTIVE_PARAMS, input, rest);
  const inverse = (a.return_inverse ?? false) as boolean;
  const counts = (a.return_counts ?? false) as boolean;
  const out = ops.unique_consecutive(input, inverse, counts, (a.dim ?? null) as number | null);
  return pick(out, inverse, counts);
}

/** torch.is_tensor(obj): whether obj is a torch-node Tensor. */
export function is_tensor(obj: unknown): obj is Tensor {
  return obj instanceof Tensor;
}

/** torch.numel(input): the number of elements of input. */
export function numel(input: Tensor): number {
  if (!(input instanceof Tensor)) throw new TypeError(`numel(): argument 'input' (position 1) must be Tensor, not ${input === null ? 'None' : typeof input}`);
  return input.numel();
}

/** torch.inf, torch.nan, torch.pi, torch.e: Python's math constants, as PyTorch re-exports them. */
export const inf = Infinity;
export const nan = NaN;
export const pi = Math.PI;
export const e = Math.E;

// ---------------------------------------------------------------- norm, tensordot, lu (functional.py)

export interface NormOptions {
  p?: number | string | null;
  dim?: number | number[] | null;
  keepdim?: boolean;
  dtype?: dtype | null;
  out?: Tensor | null;
}
const NORM_PARAMS = ['p', 'dim', 'keepdim', 'dtype', 'out'];

/**
 * torch.norm(input, p='fro', dim=null, keepdim=false, dtype=null) as PyTorch 1.13's
 * torch/functional.py computes it: 'fro' is frobenius_norm, 'nuc' nuclear_norm, a number p the
 * p-norm (ATen's norm) over `dim` (all dimensions by default). `out` is not supported (TypeError).
 */
export function norm(input: Tensor, options?: NormOptions): Tensor;
export function norm(input: Tensor, p: number | string | null, options?: Omit<NormOptions, 'p'>): Tensor;
export function norm(input: Tensor, p: number | string | null, dim: number | number[] | null, options?: Omit<NormOptions, 'p' | 'dim'>): Tensor;
export function norm(input: Tensor, p: number | string | null, dim: number | number[] | null, keepdim: boolean, options?: Omit<NormOptions, 'p' | 'dim' | 'keepdim'>): Tensor;
export function norm(input: Tensor, ...rest: unknown[]): Tensor {
  if (!(input instanceof Tensor)) throw new TypeError(`norm(): argument 'input' (position 1) must be Tensor, not ${describe(input)}`);
  const a = bind('norm', NORM_PARAMS, input, rest);
  if (a.out !== undefined && a.out !== null) throw new TypeError('norm(): out= is not supported by torch-node');
  const p = a.p === undefined ? 'fro' : (a.p as number | string | null);
  const keepdim = (a.keepdim ?? false) as boolean;
  const dt = (a.dtype ?? null) as dtype | null;
  const ndim = input.dim();
  const all = () => Array.from({ length: ndim }, (_, i) => i);
  if ((a.dim === undefined || a.dim === null) && dt === null && p !== null) {
    if (p === 'fro') return ops.frobenius_norm(input, [], keepdim);
    if (typeof p !== 'string') return ops.norm(input, p, all(), keepdim);
  }
  let dim = a.dim === undefined || a.dim === null ? null : typeof a.dim === 'number' ? [a.dim] : (a.dim as number[]);
  if (typeof p === 'string') {
    if (p === 'fro') {
      if (dt !== null) throw new RangeError('dtype argument is not supported in frobenius norm');
      return ops.frobenius_norm(input, dim ?? all(), keepdim);
    }
    if (p === 'nuc') {
      if (dt !== null) throw new RangeError('dtype argument is not supported in nuclear norm');
      return dim === null ? ops.nuclear_norm(input, keepdim) : ops.nuclear_norm(input, dim, keepdim);
    }
    throw new TorchError(`only valid string values are 'fro' and 'nuc', found ${p}`);
  }
  dim = dim ?? all();
  return dt === null ? ops.norm(input, p, dim, keepdim) : ops.norm(input, p, dim, keepdim, { dtype: dt });
}

/**
 * torch.tensordot(a, b, dims=2): contracts the last `dims` dimensions of a with the first of b, or
 * the dimensions listed in `dims = [dims_a, dims_b]` (each a number or a list), as
 * torch/functional.py does.
 */
export function tensordot(a: Tensor, b: Tensor, dims?: number | [number | number[], number | number[]] | { dims?: number | [number | number[], number | number[]] }): Tensor {
  if (isOptions(dims)) dims = (dims as { dims?: any }).dims;
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError('tensordot expects its first two arguments to be Tensors');
  const d = dims ?? 2;
  let da: number[];
  let db: number[];
  if (Array.isArray(d)) {
    if (d.length !== 2) throw new RangeError('tensordot expects dims to be a pair of lists of dimensions');
    da = typeof d[0] === 'number' ? [d[0]] : [...d[0]];
    db = typeof d[1] === 'number' ? [d[1]] : [...d[1]];
  } else if (typeof d === 'number' && Number.isInteger(d)) {
    if (d < 0) throw new TorchError(`tensordot expects dims >= 0, but got dims=${d}`);
    // torch/functional.py's check, made before the dimension lists are built (dims=1e300 is an integer)
    if (d > Math.min(a.dim(), b.dim())) throw new TorchError(`tensordot expects dims < ndim_a or ndim_b, but got dims=${d}`);
    da = Array.from({ length: d }, (_, i) => i - d);
    db = Array.from({ length: d }, (_, i) => i);
  } else throw new TypeError(`tensordot expects dims to be an int or a pair of lists, got ${describe(d)}`);
  return ops.tensordot(a, b, da, db);
}

/**
 * torch.lu(A, pivot=true, get_infos=false): the LU factorization with partial pivoting, [LU,
 * pivots] or [LU, pivots, infos], as torch/functional.py's _lu_impl (linalg_lu_factor_ex).
 */
export function lu(A: Tensor, pivot?: boolean | { pivot?: boolean; get_infos?: boolean }, get_infos?: boolean): Tensor[] {
  if (isOptions(pivot)) {
    get_infos = (pivot as any).get_infos;
    pivot = (pivot as any).pivot;
  }
  const infos = get_infos ?? false;
  // PyTorch 1.13 does not raise for singular matrices here (infos say which are).
  const [LU, pivots, info] = ops.linalg.lu_factor_ex(A, { pivot: (pivot ?? true) as boolean, check_errors: false });
  if (infos) return [LU, pivots, info];
  info.dispose();
  return [LU, pivots];
}

// ---------------------------------------------------------------- variadic tensor functions

/** PyTorch's `*tensors` parameters: `f(a, b, c)` and `f([a, b, c])` are the same call. */
function tensorsArg(name: string, args: unknown[]): Tensor[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${name}(): argument 'tensors' (position ${i + 1}) must be Tensor, not ${describe(t)}`);
  });
  return list as Tensor[];
}
/** torch.broadcast_tensors(*tensors): the tensors broadcast to one shape (views). */
export function broadcast_tensors(...tensors: (Tensor | Tensor[])[]): Tensor[] {
  return ops.broadcast_tensors(tensorsArg('broadcast_tensors', tensors));
}
/** torch.block_diag(*tensors): the block diagonal matrix of the given tensors. */
export function block_diag(...tensors: (Tensor | Tensor[])[]): Tensor {
  return ops.block_diag(tensorsArg('block_diag', tensors));
}
/** torch.cartesian_prod(*tensors): the Cartesian product of 1-D tensors. */
export function cartesian_prod(...tensors: (Tensor | Tensor[])[]): Tensor {
  return ops.cartesian_prod(tensorsArg('cartesian_prod', tensors));
}
/** torch.chain_matmul(*matrices): the product of the matrices (deprecated in PyTorch for linalg.multi_dot). */
export function chain_matmul(...matrices: (Tensor | Tensor[])[]): Tensor {
  return ops.chain_matmul(tensorsArg('chain_matmul', matrices));
}
function atleast(name: string, fn: (t: any) => any, args: unknown[]): Tensor | Tensor[] {
  if (args.length === 1 && args[0] instanceof Tensor) return fn(args[0]);
  return fn(tensorsArg(name, args));
}
/** torch.atleast_1d(*tensors): one tensor for one tensor given, else a list. */
export function atleast_1d(...tensors: (Tensor | Tensor[])[]): any {
  return atleast('atleast_1d', ops.atleast_1d as any, tensors);
}
/** torch.atleast_2d(*tensors) */
export function atleast_2d(...tensors: (Tensor | Tensor[])[]): any {
  return atleast('atleast_2d', ops.atleast_2d as any, tensors);
}
/** torch.atleast_3d(*tensors) */
export function atleast_3d(...tensors: (Tensor | Tensor[])[]): any {
  return atleast('atleast_3d', ops.atleast_3d as any, tensors);
}

/**
 * torch.broadcast_shapes(*shapes): the shape that tensors of the given shapes broadcast to
 * (a shape is an array of sizes or one size), with PyTorch's error when they do not broadcast.
 */
export function broadcast_shapes(...shapes: (number | number[])[]): number[] {
  const lists = shapes.map((s) => (typeof s === 'number' ? [s] : s));
  const n = Math.max(0, ...lists.map((s) => s.length));
  const out = new Array<number>(n).fill(1);
  for (const s of lists) {
    for (let i = 0; i < s.length; i++) {
      const k = n - s.length + i;
      const v = s[i];
      if (!Number.isInteger(v)) throw new TypeError(`broadcast_shapes(): expected an integer size, got ${describe(v)}`);
      if (v < 0) throw new TorchError(`Trying to create tensor with negative dimension ${v}: [${s.join(', ')}]`);
      if (out[k] === 1 || v === out[k]) out[k] = v === 1 ? out[k] : v;
      else if (v !== 1) throw new TorchError(`Shape mismatch: objects cannot be broadcast to a single shape`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- dtype predicates and promotion

/** torch.is_floating_point(input) */
export function is_floating_point(input: Tensor): boolean {
  if (!(input instanceof Tensor)) throw new TypeError(`is_floating_point(): argument 'input' (position 1) must be Tensor, not ${describe(input)}`);
  return input.is_floating_point();
}
/** torch.is_complex(input) */
export function is_complex(input: Tensor): boolean {
  if (!(input instanceof Tensor)) throw new TypeError(`is_complex(): argument 'input' (position 1) must be Tensor, not ${describe(input)}`);
  return input.is_complex();
}
/** torch.is_nonzero(input): the truth of a one-element tensor (PyTorch's errors otherwise). */
export function is_nonzero(input: Tensor): boolean {
  if (!(input instanceof Tensor)) throw new TypeError(`is_nonzero(): argument 'input' (position 1) must be Tensor, not ${describe(input)}`);
  const n = input.numel();
  if (n === 0) throw new TorchError('Boolean value of Tensor with no values is ambiguous');
  if (n > 1) throw new TorchError('Boolean value of Tensor with more than one value is ambiguous');
  const v = input.item();
  return typeof v === 'boolean' ? v : v !== 0;
}
/**
 * torch.result_type(tensor1, tensor2): the dtype PyTorch's type promotion gives an arithmetic op
 * on the two (Tensors or numbers); libtorch decides it, by adding stand-ins of the same dtype and
 * dimensionality (0-d tensors and numbers promote as PyTorch's rules say).
 */
export function result_type(a: Tensor | number | boolean | bigint, b: Tensor | number | boolean | bigint): dtype {
  const stand = (v: any) => (v instanceof Tensor ? ops.empty(v.dim() === 0 ? [] : [0], { dtype: v.dtype }) : v);
  const sa = stand(a);
  const sb = stand(b);
  if (!(sa instanceof Tensor) && !(sb instanceof Tensor)) {
    const t = ops.scalar_tensor(sa as any, { dtype: typeof sa === 'boolean' ? boolDtype : typeof sa === 'bigint' || Number.isInteger(sa) ? int64 : get_default_dtype() });
    return result_type(t, sb);
  }
  const r = ops.add(sa instanceof Tensor ? sa : sb, sa instanceof Tensor ? sb : sa) as Tensor;
  const d = r.dtype;
  for (const t of [sa, sb, r]) if (t instanceof Tensor) t.dispose();
  return d;
}
/** torch.promote_types(type1, type2): the smallest dtype both convert to (libtorch's promotion). */
export function promote_types(type1: dtype, type2: dtype): dtype {
  if (!(type1 instanceof dtype) || !(type2 instanceof dtype)) throw new TypeError('promote_types(): arguments must be torch.dtype');
  const a = ops.empty([0], { dtype: type1 });
  const b = ops.empty([0], { dtype: type2 });
  const r = ops.add(a, b) as Tensor;
  const d = r.dtype;
  a.dispose();
  b.dispose();
  r.dispose();
  return d;
}
/**
 * torch.can_cast(from_, to): whether PyTorch's casting rules allow it (c10::canCast: complex to
 * non-complex, floating to integral, and non-bool to bool are refused).
 */
export function can_cast(from_: dtype, to: dtype): boolean {
  if (!(from_ instanceof dtype) || !(to instanceof dtype)) throw new TypeError('can_cast(): arguments must be torch.dtype');
  if (from_.is_complex && !to.is_complex) return false;
  if (from_.is_floating_point && !to.is_floating_point && !to.is_complex) return false;
  if (from_ !== boolDtype && to === boolDtype) return false;
  return true;
}
