/**
 * @internal Helpers shared by torch.distributions (torch/distributions/utils.py): broadcasting of
 * parameters, probs/logits conversion, Python-style formatting of shapes and numbers for messages.
 */
import { Tensor } from '../tensor';
import * as ops from '../generated/ops';
import { finfo } from '../type_info';
import { dtype, get_default_dtype } from '../dtype';

export type Size = number[];
export type TensorOrNumber = Tensor | number;

/** PyTorch's NotImplementedError (raised by abstract members of Distribution/Transform). */
export class NotImplementedError extends Error {
  constructor(message = '') {
    super(message);
    this.name = 'NotImplementedError';
  }
}

/** Python's repr of a float: 0 -> "0.0", 1e-7 -> "1e-07", Infinity -> "inf". */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  let s = String(x);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s);
  if (m) s = `${m[1]}e${m[2]}${m[3].padStart(2, '0')}`;
  return s;
}
/**
 * `'{}'.format(v)` as Python prints it: a 0-dim tensor formats as its item (Tensor.__format__),
 * any other tensor as its repr, a float as Python's float repr.
 */
export function pyValue(v: unknown): string {
  if (v instanceof Tensor) {
    if (v.dim() !== 0) return v.toString();
    const x = v.item();
    if (typeof x === 'boolean') return x ? 'True' : 'False';
    return v.is_floating_point() ? pyFloat(Number(x)) : String(x);
  }
  if (typeof v === 'number') return pyFloat(v);
  return String(v);
}
/** `torch.Size([2, 3])` */
export function fmtSize(s: Size): string {
  return `torch.Size([${s.join(', ')}])`;
}
/** `tuple(shape)`: `(2, 3)`, `(2,)`, `()` */
export function fmtTuple(s: Size): string {
  return s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`;
}
export function sameSize(a: Size, b: Size): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** torch.broadcast_shapes */
export function broadcast_shapes(...shapes: Size[]): Size {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = new Array(n).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = n - s.length + i;
      const d = s[i];
      if (d === 1) continue;
      if (out[j] === 1) out[j] = d;
      else if (out[j] !== d) throw new Error(`Shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg 0 and arg 1.`);
    }
  }
  return out;
}

/**
 * broadcast_all(*values): numbers become tensors of the dtype/device of the first tensor given
 * (the default dtype when none is), then all are broadcast together.
 */
export function broadcast_all(...values: TensorOrNumber[]): Tensor[] {
  for (const v of values) {
    if (!(v instanceof Tensor) && typeof v !== 'number') {
      throw new RangeError('Input arguments must all be instances of numbers.Number, torch.Tensor or objects implementing __torch_function__.');
    }
  }
  const first = values.find((v): v is Tensor => v instanceof Tensor);
  const d: dtype = first ? first.dtype : get_default_dtype();
  const dev = first ? first.device : undefined;
  const ts = values.map((v) => (v instanceof Tensor ? v : ops.full([], v, { dtype: d, device: dev })));
  return ops.broadcast_tensors(ts);
}

/** The number as a 0-dim tensor of dtype d on device dev. */
export function scalarLike(v: number, like: Tensor): Tensor {
  return ops.full([], v, { dtype: like.dtype, device: like.device });
}

/** Sums out the rightmost `dim` dimensions. */
export function _sum_rightmost(value: Tensor, dim: number): Tensor {
  if (dim === 0) return value;
  const shape = value.shape;
  return value.reshape([...shape.slice(0, shape.length - dim), -1]).sum(-1);
}

/** Clamps probabilities into (eps, 1 - eps) of their dtype. */
export function clamp_probs(probs: Tensor): Tensor {
  const eps = finfo(probs.dtype).eps;
  return probs.clamp({ min: eps, max: 1 - eps });
}

export function logits_to_probs(logits: Tensor, is_binary = false): Tensor {
  if (is_binary) return ops.sigmoid(logits);
  return ops.softmax(logits, -1);
}

export function probs_to_logits(probs: Tensor, is_binary = false): Tensor {
  const ps = clamp_probs(probs);
  if (is_binary) return ops.log(ps).sub(ops.log1p(ps.neg()));
  return ops.log(ps);
}

/** tril_matrix_n: the element count of an n x n lower triangle. */
export function tril_matrix_to_vec_size(n: number): number {
  return (n * (n + 1)) / 2;
}

const isOpts = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * PyTorch's calling rule for constructors and methods: positional arguments in PyTorch's order,
 * or by name in a trailing options object (`new Categorical({logits})`, `Normal(0, 1, {validate_args: false})`).
 */
export function parseArgs(fname: string, names: string[], args: unknown[]): Record<string, any> {
  const out: Record<string, any> = {};
  let pos = args;
  if (args.length > 0 && isOpts(args[args.length - 1])) {
    const o = args[args.length - 1] as Record<string, unknown>;
    pos = args.slice(0, -1);
    for (const k of Object.keys(o)) {
      if (!names.includes(k)) throw new TypeError(`${fname}() got an unexpected keyword argument '${k}'`);
      out[k] = o[k];
    }
  }
  if (pos.length > names.length) throw new TypeError(`${fname}() takes at most ${names.length} arguments (${pos.length} given)`);
  pos.forEach((v, i) => {
    if (v === undefined) return;
    if (out[names[i]] !== undefined) throw new TypeError(`${fname}() got multiple values for argument '${names[i]}'`);
    out[names[i]] = v;
  });
  return out;
}
export function needTensor(fname: string, name: string, v: unknown): Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${fname}(): argument '${name}' must be a Tensor`);
  return v;
}
