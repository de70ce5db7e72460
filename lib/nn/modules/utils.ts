/**
 * The one argument helper behind every nn constructor and nn.functional function: parameters may
 * be given positionally in PyTorch's order, or by their PyTorch name in a trailing options object:
 * `new nn.Conv2d(1, 32, 3, {stride: 1, padding: 1})` ≡ `new nn.Conv2d(1, 32, {kernel_size: 3, stride: 1, padding: 1})`.
 * Also `_single`/`_pair`/`_triple` (torch.nn.modules.utils).
 */
import { Tensor } from '../../tensor';
import { describe, pyFloat } from '../../_utils';
export { pyFloat };

import { isOptions, refuseHoles } from '../../dispatch';
export { isOptions };

/** All prefixes of a tuple type (the positional forms of a call). */
type Prefixes<P extends unknown[]> = P extends [...infer H, unknown] ? P | Prefixes<H> : P;
/** The prefixes of P, each optionally followed by an options object. */
type PrefixesOpts<P extends unknown[], O> = P extends [...infer H, unknown] ? [...P, Partial<O>] | PrefixesOpts<H, O> : [Partial<O>];
/**
 * The argument list of a PyTorch-style signature: any prefix of the positional parameters `P`,
 * optionally followed by an options object naming any parameter (`O`, usually all of them).
 */
export type Args<P extends unknown[], O> = Prefixes<P> | PrefixesOpts<P, O>;

/** An int or a tuple of ints (kernel_size, stride, padding …). */
export type IntOrTuple = number | number[];

/**
 * Binds `args` to `names` (positional first, then the trailing options object), fills `defaults`
 * and checks that every name in `required` has a value. Errors name the function like Python's:
 * "Conv2d.__init__() got an unexpected keyword argument 'foo' (valid arguments: …)".
 */
export function parseArgs(
  fname: string,
  names: readonly string[],
  args: readonly unknown[],
  defaults: Record<string, unknown> = {},
  required = 0,
): Record<string, any> {
  const out: Record<string, any> = {};
  let n = args.length;
  if (n > 0 && isOptions(args[n - 1]) && !(args[n - 1] instanceof Tensor)) {
    const o = args[n - 1] as Record<string, unknown>;
    n -= 1;
    for (const k of Object.keys(o)) {
      if (!names.includes(k)) {
        throw new TypeError(`${fname}() got an unexpected keyword argument '${k}' (valid arguments: ${names.join(', ')})`);
      }
      if (o[k] !== undefined) out[k] = o[k];
    }
  }
  if (n > names.length) throw new TypeError(`${fname}() takes at most ${names.length} positional arguments but ${n} were given`);
  for (let i = 0; i < n; i++) {
    const k = names[i];
    if (k in out) throw new TypeError(`${fname}() got multiple values for argument '${k}'`);
    if (args[i] !== undefined) out[k] = args[i];
  }
  const missing: string[] = [];
  for (let i = 0; i < required; i++) if (!(names[i] in out)) missing.push(names[i]);
  if (missing.length) {
    throw new TypeError(
      `${fname}() missing ${missing.length} required argument${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `'${m}'`).join(', ')}`,
    );
  }
  for (const k of Object.keys(out)) refuseHoles(fname, k, out[k]);
  for (const k of Object.keys(defaults)) if (!(k in out)) out[k] = defaults[k];
  return out;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** torch.nn.modules.utils._ntuple: an int becomes an n-tuple; a tuple must have n ints. */
export function ntuple(n: number, v: unknown, name: string, fname: string): number[] {
  if (isInt(v)) return new Array(n).fill(v);
  if (Array.isArray(v) && v.every(isInt)) {
    if (v.length === 1 && n > 1) return new Array(n).fill(v[0]);
    if (v.length !== n) throw new RangeError(`${fname}: ${name} must be an int or a tuple of ${n} ints, got [${v.join(', ')}]`);
    return v.slice();
  }
  throw new TypeError(`${fname}: argument '${name}' must be an int or a tuple of ints, not ${describe(v)}`);
}
export const _single = (v: unknown, name = 'value', f = '_single'): number[] => ntuple(1, v, name, f);
export const _pair = (v: unknown, name = 'value', f = '_pair'): number[] => ntuple(2, v, name, f);
export const _triple = (v: unknown, name = 'value', f = '_triple'): number[] => ntuple(3, v, name, f);

/** Checks a typed argument; TypeError naming the parameter. */
export function checkInt(v: unknown, name: string, fname: string): number {
  if (!isInt(v)) throw new TypeError(`${fname}: argument '${name}' must be int, not ${describe(v)}`);
  return v;
}
export function checkNumber(v: unknown, name: string, fname: string): number {
  if (typeof v !== 'number') throw new TypeError(`${fname}: argument '${name}' must be float, not ${describe(v)}`);
  return v;
}
export function checkBool(v: unknown, name: string, fname: string): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${fname}: argument '${name}' must be bool, not ${describe(v)}`);
  return v;
}
export function checkTensor(v: unknown, name: string, fname: string): Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${fname}: argument '${name}' must be Tensor, not ${describe(v)}`);
  return v;
}

/** Python's repr of a tuple of ints: (3, 3) / (3,) ; of a scalar: 3. */
export function pyTuple(v: number | number[]): string {
  if (!Array.isArray(v)) return String(v);
  return v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`;
}
/** Python's repr of a value in extra_repr (True/False/None, floats with a dot, tuples, strings quoted). */
export function pyRepr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return v.length === 1 ? `(${pyRepr(v[0])},)` : `(${v.map(pyRepr).join(', ')})`;
  return String(v);
}

/** @internal Checks a positive integer constructor argument (RangeError/TypeError naming it). */
export function positiveInt(v: unknown, name: string, cls: string, allowZero = false): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${cls}: argument '${name}' must be int, not ${describe(v)}`);
  if (v < 0 || (!allowZero && v === 0)) throw new RangeError(`${cls}: ${name} must be a positive integer, got ${v}`);
  return v;
}
