/**
 * The Python-level functions of PyTorch's torch/functional.py whose calling conventions the
 * generated ATen bindings cannot express: variadic tensors (einsum, meshgrid) and results whose
 * arity depends on flags (unique, unique_consecutive). Each forwards to the ATen op that PyTorch's
 * own wrapper calls, so the numbers are libtorch's.
 */
import { Tensor } from './tensor';
import { isOptions } from './dispatch';
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
