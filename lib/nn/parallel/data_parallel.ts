/**
 * nn.DataParallel: single-process data parallelism over several GPUs, as PyTorch's: the batch is
 * scattered along `dim` to `device_ids`, the module is replicated on each device (replicas hold
 * differentiable copies of the parameters, so gradients flow back to the originals), the replicas
 * run one after another from the JS thread (each op is asynchronous on its own CUDA device, so the
 * devices work concurrently), and the outputs are gathered on `output_device`. With no GPU the
 * module runs as is; with one GPU the inputs are moved there and the module runs as is.
 */
import { native } from '../../binding';
import { Tensor } from '../../tensor';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { parseArgs } from '../../distributed/args';
import * as ops from '../../generated/ops';

type Dev = string;

function devName(d: number | string): Dev {
  return typeof d === 'number' ? `cuda:${d}` : d;
}

/** Splits tensors (inside arrays / plain objects) into chunks along dim, one per device. */
export function scatter(inputs: any, devices: Dev[], dim = 0): any[] {
  const split = (v: any): any[] => {
    if (v instanceof Tensor) {
      const chunks: Tensor[] = ops.chunk(v, devices.length, dim);
      return chunks.map((c, i) => c.to(devices[i]));
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return devices.map(() => []);
      const parts = v.map(split);
      const n = Math.min(...parts.map((p) => p.length));
      return Array.from({ length: n }, (_, i) => parts.map((p) => p[i]));
    }
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const keys = Object.keys(v);
      const parts = keys.map((k) => split(v[k]));
      const n = keys.length ? Math.min(...parts.map((p) => p.length)) : devices.length;
      return Array.from({ length: n }, (_, i) => Object.fromEntries(keys.map((k, j) => [k, parts[j][i]])));
    }
    return devices.map(() => v);
  };
  return split(inputs);
}

/** Concatenates outputs (tensors, arrays / plain objects of them) along dim on `target`. */
export function gather(outputs: any[], target: Dev, dim = 0): any {
  const first = outputs[0];
  if (first instanceof Tensor) {
    if (first.dim() === 0) return ops.stack(outputs.map((o: Tensor) => o.to(target).view(1))).view(-1);
    return ops.cat(outputs.map((o: Tensor) => o.to(target)), dim);
  }
  if (first === null || first === undefined) return null;
  if (Array.isArray(first)) return first.map((_, i) => gather(outputs.map((o) => o[i]), target, dim));
  if (typeof first === 'object') return Object.fromEntries(Object.keys(first).map((k) => [k, gather(outputs.map((o) => o[k]), target, dim)]));
  return first;
}

/** A Parameter-typed view of a differentiable (non-leaf) copy, as PyTorch's replicas hold. */
function replicaParam(p: Tensor, dev: Dev): Parameter {
  const t = p.to(dev);
  const c = t === p ? p.view_as(p) : t;
  Object.setPrototypeOf(c, Parameter.prototype);
  return c as Parameter;
}

/** A replica of `module` on `device` whose parameters are differentiable copies of the originals. */
export function replicate(module: Module, device: Dev): Module {
  const memo = new Map<Module, Module>();
  const rep = (m: Module): Module => {
    const seen = memo.get(m);
    if (seen) return seen;
    const r: any = (...args: any[]) => r.call(...args);
    delete r.name;
    delete r.length;
    Object.setPrototypeOf(r, Object.getPrototypeOf(m));
    memo.set(m, r);
    for (const k of Reflect.ownKeys(m)) {
      const d = Object.getOwnPropertyDescriptor(m, k)!;
      Object.defineProperty(r, k, d);
    }
    m._sync();
    const P = new Map<string, Parameter | null>();
    for (const [k, p] of m._parameters) P.set(k, p === null ? null : replicaParam(p, device));
    const B = new Map<string, Tensor | null>();
    for (const [k, b] of m._buffers) B.set(k, b === null ? null : b.to(device));
    const M = new Map<string, Module | null>();
    for (const [k, c] of m._modules) M.set(k, c === null ? null : rep(c));
    const set = (k: string, v: unknown) => Object.defineProperty(r, k, { value: v, writable: true, enumerable: false, configurable: true });
    set('_parameters', P);
    set('_buffers', B);
    set('_modules', M);
    set('_non_persistent_buffers_set', new Set(m._non_persistent_buffers_set));
    set('_noattr', new Set(m._noattr));
    for (const map of [P, B, M] as Map<string, unknown>[]) {
      for (const [k, v] of map) if (!r._noattr.has(k)) Object.defineProperty(r, k, { value: v, writable: true, enumerable: true, configurable: true });
    }
    return r;
  };
  return rep(module);
}

/**
 * Runs `module` data-parallel over `devices`: scatter, replicate, apply, gather (what
 * DataParallel.forward does with two or more devices).
 */
export function data_parallel(module: Module, inputs: any[], devices: Dev[], output_device: Dev, dim = 0): any {
  const scattered = scatter(inputs, devices, dim);
  const used = devices.slice(0, scattered.length);
  const outs = used.map((d, i) => {
    const replica = i === 0 && module.parameters().every((p) => p.device.toString() === d) ? module : replicate(module, d);
    return replica(...scattered[i]);
  });
  return gather(outs, output_device, dim);
}

/**
 * Implements data parallelism at the module level.
 *
 * Args:
 *   module: the module to parallelize (its parameters on device_ids[0]).
 *   device_ids: CUDA devices (default: all).
 *   output_device: where outputs are gathered (default device_ids[0]).
 *   dim: the batch dimension (default 0).
 *
 * Example:
 *   const net = new nn.DataParallel(model, {device_ids: [0, 1]});
 *   const out = net(input);   // input split along dim 0 across the GPUs
 */
export class DataParallel extends Module {
  declare module: Module;
  declare device_ids: number[];
  declare output_device: number | null;
  declare dim: number;

  constructor(module: Module, ...args: any[]) {
    super();
    const a = parseArgs('DataParallel', ['device_ids', 'output_device', 'dim'], args);
    if (!(module instanceof Module)) throw new TypeError('DataParallel: module must be an nn.Module');
    this.add_module('module', module);
    const hidden = (k: string, v: unknown) => Object.defineProperty(this, k, { value: v, writable: true, enumerable: false, configurable: true });
    const dim = a.dim ?? 0;
    if (!Number.isInteger(dim)) throw new TypeError("DataParallel: argument 'dim' must be int");
    hidden('dim', dim);
    const [avail, count] = native._cuda_info();
    if (!avail) {
      hidden('device_ids', []);
      hidden('output_device', null);
      return;
    }
    let ids: number[] = (a.device_ids ?? Array.from({ length: count }, (_, i) => i)).map((d: number | string) =>
      typeof d === 'number' ? d : Number(String(d).replace(/^cuda:?/, '') || 0),
    );
    for (const d of ids) if (!Number.isInteger(d) || d < 0 || d >= count) throw new RangeError(`Invalid device id ${d}`);
    const out = a.output_device ?? ids[0];
    hidden('device_ids', ids);
    hidden('output_device', typeof out === 'number' ? out : Number(String(out).replace(/^cuda:?/, '') || 0));
    const src = `cuda:${ids[0]}`;
    for (const t of [...module.parameters(), ...module.buffers()]) {
      if (t.device.toString() !== src) {
        throw new RangeError(`module must have its parameters and buffers on device ${src} (device_ids[0]) but found one of them on device: ${t.device}`);
      }
    }
  }

  override forward(...inputs: any[]): any {
    if (this.device_ids.length === 0) return this.module(...inputs);
    const devices = this.device_ids.map(devName);
    if (devices.length === 1) return this.module(...scatter(inputs, devices, this.dim)[0]);
    return data_parallel(this.module, inputs, devices, devName(this.output_device ?? this.device_ids[0]), this.dim);
  }
}
