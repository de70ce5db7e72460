/**
 * deepcopy(module): Python's copy.deepcopy for nn.Module trees — what nn.TransformerEncoder and
 * nn.TransformerDecoder do to clone their layer (`_get_clones`). The copy has the same class, the
 * same fields and registries in the same order, and new parameters and buffers holding copies of
 * the data (Parameter.__deepcopy__: data.clone(), same requires_grad). Nothing is re-initialized,
 * so no random numbers are drawn. Functions (activations, hooks) are shared, as Python does.
 */
import { Tensor } from '../../tensor';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { noGrad } from '../_autograd';

/** A deep copy of `value`: Modules, Parameters, Tensors, arrays, Maps, Sets and plain objects. */
export function deepcopy<T>(value: T): T {
  return copyValue(value, new Map()) as T;
}

function copyValue(v: any, memo: Map<any, any>): any {
  if (v === null || v === undefined) return v;
  const t = typeof v;
  if (t !== 'object' && t !== 'function') return v;
  if (memo.has(v)) return memo.get(v);
  if (v instanceof Module) return copyModule(v, memo);
  if (v instanceof Tensor) {
    let c: Tensor;
    if (v instanceof Parameter) {
      const data = noGrad(() => v.detach().clone());
      c = new Parameter(data, v.requires_grad);
      data.dispose();
    } else {
      if (v.requires_grad && !v.is_leaf) {
        throw new TypeError('Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment');
      }
      c = noGrad(() => v.clone());
      if (v.requires_grad) c.requires_grad_(true);
    }
    memo.set(v, c);
    return c;
  }
  if (t === 'function') return v; // plain functions are shared (copy.deepcopy does the same)
  if (Array.isArray(v)) {
    const out: any[] = [];
    memo.set(v, out);
    for (const x of v) out.push(copyValue(x, memo));
    return out;
  }
  if (v instanceof Map) {
    const out = new Map();
    memo.set(v, out);
    for (const [k, x] of v) out.set(k, copyValue(x, memo));
    return out;
  }
  if (v instanceof Set) {
    const out = new Set();
    memo.set(v, out);
    for (const x of v) out.add(copyValue(x, memo));
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    const out: any = Object.create(proto);
    memo.set(v, out);
    for (const k of Object.keys(v)) out[k] = copyValue(v[k], memo);
    return out;
  }
  return v; // other class instances (dtype, device, generators …) are immutable or shared
}

function copyModule(m: Module, memo: Map<any, any>): Module {
  // The base constructor alone: the callable object with the subclass's prototype, and no
  // subclass constructor (so no parameter initialization).
  const c: any = Reflect.construct(Module, [], m.constructor);
  memo.set(m, c);
  for (const k of Object.getOwnPropertyNames(m)) {
    const d = Object.getOwnPropertyDescriptor(m, k)!;
    if (!('value' in d)) {
      Object.defineProperty(c, k, d);
      continue;
    }
    Object.defineProperty(c, k, { ...d, value: copyValue(d.value, memo) });
  }
  return c as Module;
}
