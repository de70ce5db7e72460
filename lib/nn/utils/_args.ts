/**
 * @internal Argument parsing for the nn functions and modules of this family (losses, recurrent,
 * transformer, sparse, distance, attention, nn.utils): PyTorch's rule that every parameter may be
 * given positionally in PyTorch's order or by name in a trailing options object.
 *
 * A spec lists the parameters in order: `'name'` (required) or `['name', default]`; a `'*'` entry
 * starts keyword-only parameters, as in a Python signature.
 */
import { Tensor } from '../../tensor';
import { describe } from '../../_utils';
import { TorchError, warn } from '../../errors';
import { contiguous_format } from '../../dispatch';
import { parseArgs, isOptions } from '../modules/utils';

export type Spec = readonly (string | readonly [string, unknown])[];

/** Whether `v` is a plain options object (not a Tensor, array or class instance). */
export { isOptions };

const specCache = new WeakMap<Spec, { names: string[]; defaults: Record<string, unknown>; required: number; npos: number }>();

/**
 * Binds `args` (positional values, optionally followed by an options object) to `spec`, through
 * the nn family's one argument helper (lib/nn/modules/utils.ts parseArgs). Throws TypeError for
 * too many positional values, unknown or repeated names, and missing required parameters.
 */
export function parse_args(fname: string, spec: Spec, args: readonly unknown[]): Record<string, any> {
  let c = specCache.get(spec);
  if (c === undefined) {
    const names: string[] = [];
    const defaults: Record<string, unknown> = {};
    let required = 0;
    let npos = -1;
    for (const s of spec) {
      if (s === '*') {
        npos = names.length;
        continue;
      }
      if (typeof s === 'string') {
        if (required === names.length) required++;
        names.push(s);
      } else {
        names.push(s[0] as string);
        defaults[s[0] as string] = s[1];
      }
    }
    c = { names, defaults, required, npos: npos < 0 ? names.length : npos };
    specCache.set(spec, c);
  }
  if (c.npos < c.names.length) {
    let n = args.length;
    while (n > 0 && args[n - 1] === undefined) n--;
    if (n > 0 && isOptions(args[n - 1])) n--;
    if (n > c.npos) throw new TypeError(`${fname}() takes ${c.npos} positional argument${c.npos === 1 ? '' : 's'} but ${n} were given`);
  }
  return parseArgs(fname, c.names, args, c.defaults, c.required);
}

// ------------------------------------------------------------------ value checks

/** A Tensor argument, or TypeError naming it. */
export function tensor(fname: string, name: string, v: unknown): Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${fname}(): argument '${name}' must be Tensor, not ${describe(v)}`);
  return v;
}
/** An optional Tensor argument (null/undefined → null). */
export function opt_tensor(fname: string, name: string, v: unknown): Tensor | null {
  if (v === null || v === undefined) return null;
  return tensor(fname, name, v);
}
/** An integer argument. */
export function int(fname: string, name: string, v: unknown): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${fname}(): argument '${name}' must be int, not ${typeName(v)}`);
  return v;
}
export function opt_int(fname: string, name: string, v: unknown): number | null {
  return v === null || v === undefined ? null : int(fname, name, v);
}
/** A float argument (JS number). */
export function float(fname: string, name: string, v: unknown): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number') throw new TypeError(`${fname}(): argument '${name}' must be float, not ${typeName(v)}`);
  return v;
}
export function opt_float(fname: string, name: string, v: unknown): number | null {
  return v === null || v === undefined ? null : float(fname, name, v);
}
export function bool(fname: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${fname}(): argument '${name}' must be bool, not ${typeName(v)}`);
  return v;
}
export function str(fname: string, name: string, v: unknown): string {
  if (typeof v !== 'string') throw new TypeError(`${fname}(): argument '${name}' must be str, not ${typeName(v)}`);
  return v;
}

function typeName(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v === undefined) return 'undefined';
  return describe(v);
}

/** Python's RuntimeError/AssertionError raised by PyTorch's own Python code: a TorchError. */
export function torch_check(cond: unknown, msg: string | (() => string)): asserts cond {
  if (!cond) throw new TorchError(typeof msg === 'function' ? msg() : msg);
}

/** Python's tuple repr of a shape: `(2, 3)`, `(4,)`. */
export function shape_str(s: readonly number[]): string {
  return s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`;
}
/** torch.Size repr: `torch.Size([2, 3])`. */
export function size_str(s: readonly number[]): string {
  return `torch.Size([${s.join(', ')}])`;
}
export function same_shape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Python's warnings.warn with the default filter: each message once per process (lib/errors.ts warn). */
export function warn_once(msg: string, category = 'UserWarning'): void {
  warn(msg, category);
}

/** Tensor.contiguous(): the tensor itself when contiguous, else a contiguous copy (as ATen's). */
export function contiguous(t: Tensor): Tensor {
  const c = (t as any).contiguous;
  if (typeof c === 'function') return c.call(t);
  return t.is_contiguous() ? t : t.clone({ memory_format: contiguous_format });
}
