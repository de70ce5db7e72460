/**
 * @internal PyTorch's calling convention for the hand-written functions of torch.distributed:
 * parameters positionally in PyTorch's order, or by name in one trailing options object.
 */
export function parseArgs(fname: string, names: string[], args: any[], required = 0): Record<string, any> {
  const out: Record<string, any> = {};
  let pos = args;
  const last = args[args.length - 1];
  if (args.length > 0 && isOptions(last)) {
    pos = args.slice(0, -1);
    for (const k of Object.keys(last)) {
      if (!names.includes(k)) throw new TypeError(`${fname}() got an unexpected keyword argument '${k}'`);
    }
  }
  if (pos.length > names.length) {
    throw new TypeError(`${fname}() takes ${names.length} positional arguments but ${pos.length} were given`);
  }
  pos.forEach((v, i) => (out[names[i]] = v));
  if (pos !== args) {
    for (const [k, v] of Object.entries(last)) {
      if (names.indexOf(k) < pos.length) {
        throw new TypeError(`${fname}() got multiple values for argument '${k}'`);
      }
      out[k] = v;
    }
  }
  for (let i = 0; i < required; i++) {
    if (out[names[i]] === undefined) throw new TypeError(`${fname}() missing required argument '${names[i]}'`);
  }
  return out;
}

import { isOptions } from '../dispatch';
export { isOptions };

/** A timeout as PyTorch's datetime.timedelta: seconds as a number, or {days, hours, minutes, seconds, milliseconds}. */
export type Timedelta = number | { days?: number; hours?: number; minutes?: number; seconds?: number; milliseconds?: number };

/** @internal Milliseconds of a {@link Timedelta}. */
export function timeoutMs(t: Timedelta, name = 'timeout'): number {
  let ms: number;
  if (typeof t === 'number') ms = t * 1000;
  else if (isOptions(t)) {
    ms = ((((t.days ?? 0) * 24 + (t.hours ?? 0)) * 60 + (t.minutes ?? 0)) * 60 + (t.seconds ?? 0)) * 1000 + (t.milliseconds ?? 0);
  } else throw new TypeError(`argument '${name}' must be a number of seconds or {seconds, minutes, ...}`);
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`argument '${name}' must be positive`);
  return Math.round(ms);
}

/** @internal */
export function checkInt(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`argument '${name}' must be int, not ${v === null ? 'null' : typeof v}`);
  return v;
}
