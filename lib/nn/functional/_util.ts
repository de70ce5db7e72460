/** @internal Shared helpers of nn.functional: direct native calls for the hot paths. */
import { native } from '../../binding';
import type { NativeOps } from '../../../types/native';
import { Tensor } from '../../tensor';
import { describe } from '../../_utils';
export { parseArgs, isOptions } from '../modules/utils';

export const N: NativeOps = native;
/** The names of the generated entry points that can be called as F (for one picked at run time). */
export type EntryOf<F> = { [K in keyof NativeOps]: NativeOps[K] extends F ? K : never }[keyof NativeOps];
/** Wraps a handle from a native call (immediately, before any other native call). */
export function T(h: number): Tensor {
  return new Tensor(h);
}
/** The handle of a required tensor argument (TypeError naming it otherwise). */
export function h(t: unknown, name: string, fname: string): number {
  if (!(t instanceof Tensor)) throw new TypeError(`${fname}(): argument '${name}' must be Tensor, not ${describe(t)}`);
  return t._h;
}
/** The handle of an optional tensor argument (null/undefined → undefined). */
export function oh(t: unknown, name: string, fname: string): number | undefined {
  if (t === null || t === undefined) return undefined;
  return h(t, name, fname);
}
