/**
 * torch.quantization.quantize_dynamic (= torch.ao.quantization.quantize_dynamic) and the dynamic
 * qconfigs, as PyTorch's.
 */
import { Tensor } from '../tensor';
import { describe } from '../_utils';
import { dtype, qint8, float16, quint8, quint4x2 } from '../dtype';
import { TorchError } from '../errors';
import { Module } from '../nn/module';
import { Parameter } from '../nn/parameter';
import * as nn from '../nn';
import * as dyn from './modules';

/**
 * torch.ao.quantization.QConfig for dynamic quantization: what the weights become. (PyTorch's
 * QConfig holds observer factories; torch-node's dynamic path needs only the weight dtype, and
 * uses PyTorch's default weight observer: MinMax, per-tensor symmetric, for qint8.)
 */
export class QConfig {
  constructor(readonly weight_dtype: dtype, private readonly label: string) {}
  toString(): string {
    return this.label;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.label;
  }
}
/** torch.ao.quantization.default_dynamic_qconfig: qint8 weights (per-tensor symmetric MinMax). */
export const default_dynamic_qconfig = new QConfig(qint8, 'QConfig(activation=PlaceholderObserver(dtype=torch.quint8, is_dynamic=True), weight=MinMaxObserver(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric))');
/** torch.ao.quantization.float16_dynamic_qconfig: float16 weights. */
export const float16_dynamic_qconfig = new QConfig(float16, 'QConfig(activation=PlaceholderObserver(dtype=torch.float16, is_dynamic=True), weight=PlaceholderObserver(dtype=torch.float16))');

type ModuleClass = abstract new (...args: any[]) => Module;
type Swapper = { from_float(mod: any, dt?: dtype): Module };

/** The float classes quantize_dynamic replaces, with their dynamic counterparts (those nn has). */
function defaultMapping(): Map<ModuleClass, Swapper> {
  const m = new Map<ModuleClass, Swapper>();
  const pairs: [string, Swapper][] = [
    ['Linear', dyn.Linear], ['LSTM', dyn.LSTM], ['GRU', dyn.GRU], ['LSTMCell', dyn.LSTMCell], ['RNNCell', dyn.RNNCell], ['GRUCell', dyn.GRUCell],
  ];
  for (const [name, q] of pairs) {
    const cls = (nn as any)[name];
    if (typeof cls === 'function') m.set(cls, q);
  }
  const ndql = (nn as any).NonDynamicallyQuantizableLinear;
  if (typeof ndql === 'function') m.set(ndql, dyn.Linear);
  return m;
}

/** torch.ao.quantization.get_default_dynamic_quant_module_mappings(): float class → dynamic class. */
export function get_default_dynamic_quant_module_mappings(): Map<ModuleClass, Swapper> {
  return defaultMapping();
}

type QConfigSpec = Set<ModuleClass | string> | Map<ModuleClass | string, QConfig | null> | Record<string, QConfig | null> | (ModuleClass | string)[];

export interface QuantizeDynamicOptions {
  /** Which submodules to quantize: a set of classes or names, or a map from classes/names to qconfigs. */
  qconfig_spec?: QConfigSpec | null;
  /** torch.qint8 (default) or torch.float16. */
  dtype?: dtype;
  /** Float class → dynamic quantized class (default: get_default_dynamic_quant_module_mappings()). */
  mapping?: Map<ModuleClass, Swapper> | null;
  /** Modify `model` in place instead of a deep copy (default false). */
  inplace?: boolean;
}

function defaultQconfig(dt: dtype, forSet: boolean): QConfig {
  if (dt === qint8) return default_dynamic_qconfig;
  if (dt === float16) return float16_dynamic_qconfig;
  if (dt === quint8 || dt === quint4x2) {
    throw new TorchError(`quantize_dynamic with ${dt} quantizes nn.Embedding/EmbeddingBag, which torch-node does not support yet`);
  }
  throw new TorchError(forSet ? `Unknown dtype specified for quantize_dynamic: ${dt}` : `Don't know how to quantize with default settings for ${dt}. Provide full qconfig please`);
}

/** A deep copy of a module tree (copy.deepcopy): tensors cloned, structure and fields copied. */
export function _deepcopy<T>(v: T, memo = new Map<unknown, unknown>()): T {
  if (v === null || typeof v !== 'object' && typeof v !== 'function') return v;
  if (memo.has(v)) return memo.get(v) as T;
  if (v instanceof Module) {
    const self: any = (...args: any[]) => self.call(...args);
    delete self.name;
    delete self.length;
    Object.setPrototypeOf(self, Object.getPrototypeOf(v));
    memo.set(v, self);
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k) as PropertyDescriptor;
      if ('value' in d) d.value = _deepcopy(d.value, memo);
      Object.defineProperty(self, k, d);
    }
    return self;
  }
  if (v instanceof Parameter) {
    const p = new Parameter((v as any).detach().clone(), (v as any).requires_grad ?? true);
    memo.set(v, p);
    return p as any;
  }
  if (v instanceof Tensor) {
    if (v.is_disposed) return v;
    const t = (v as any).detach().clone();
    memo.set(v, t);
    return t;
  }
  if (typeof v === 'function') return v;
  if (v instanceof Map) {
    const m = new Map();
    memo.set(v, m);
    for (const [k, x] of v) m.set(k, _deepcopy(x, memo));
    return m as any;
  }
  if (v instanceof Set) {
    const s = new Set();
    memo.set(v, s);
    for (const x of v) s.add(_deepcopy(x, memo));
    return s as any;
  }
  if (Array.isArray(v)) {
    const a: unknown[] = [];
    memo.set(v, a);
    for (const x of v) a.push(_deepcopy(x, memo));
    return a as any;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    const o: Record<string | symbol, unknown> = Object.create(proto);
    memo.set(v, o);
    for (const k of Reflect.ownKeys(v)) o[k] = _deepcopy((v as any)[k], memo);
    return o as any;
  }
  return v; // dtypes, devices, packed weights (immutable once made) … are shared
}

/**
 * torch.quantization.quantize_dynamic(model, qconfig_spec?, dtype?, mapping?, inplace?): replaces
 * the submodules selected by qconfig_spec with their dynamic quantized versions (int8 or float16
 * weights, float activations quantized on the fly), as PyTorch's. By default every nn.Linear,
 * nn.LSTM, nn.GRU, nn.LSTMCell, nn.RNNCell and nn.GRUCell is replaced. The model is put in eval
 * mode; the root module itself is never replaced (only its descendants), as in PyTorch.
 *
 * Args:
 *   model: the float model.
 *   qconfig_spec: a set of classes and/or submodule names ('fc1', 'encoder.0') to quantize with
 *     the dtype's default qconfig, or a Map/object from classes/names to qconfigs (null: leave
 *     that submodule and its children in float). Names apply to the named submodule and its children.
 *   dtype: torch.qint8 (default) or torch.float16 (needs a libtorch built with FBGEMM; Debian's
 *     engines, onednn and qnnpack, refuse it with the same error PyTorch gives).
 *   mapping: float class → dynamic class (default get_default_dynamic_quant_module_mappings()).
 *   inplace: quantize `model` itself instead of a deep copy (default false).
 *
 * Example:
 *   const q = torch.quantization.quantize_dynamic(model, { qconfig_spec: new Set([nn.Linear]), dtype: torch.qint8 });
 */
export function quantize_dynamic<M extends Module>(model: M, qconfig_spec?: QConfigSpec | null, dt?: dtype, mapping?: Map<ModuleClass, Swapper> | null, inplace?: boolean): M;
export function quantize_dynamic<M extends Module>(model: M, options: QuantizeDynamicOptions): M;
export function quantize_dynamic<M extends Module>(model: M, ...rest: any[]): M {
  let o: QuantizeDynamicOptions = {};
  const last = rest[rest.length - 1];
  const OPTS = ['qconfig_spec', 'dtype', 'mapping', 'inplace'];
  if (last !== null && typeof last === 'object' && Object.getPrototypeOf(last) === Object.prototype &&
      Object.keys(last).every((k) => OPTS.includes(k)) && !Object.values(last).some((x) => x instanceof QConfig || x === null)) {
    o = { ...last };
    rest = rest.slice(0, -1);
  }
  const names = ['qconfig_spec', 'dtype', 'mapping', 'inplace'] as const;
  rest.forEach((v, i) => {
    if (i >= names.length) throw new TypeError(`quantize_dynamic() takes at most 5 positional arguments`);
    if (v !== undefined) (o as any)[names[i]] = v;
  });
  if (!(model instanceof Module)) throw new TypeError(`quantize_dynamic(): argument 'model' must be nn.Module, not ${describe(model)}`);
  const dt = o.dtype ?? qint8;
  if (!(dt instanceof dtype)) throw new TypeError(`quantize_dynamic(): argument 'dtype' must be torch.dtype, not ${describe(dt)}`);
  const mapping = o.mapping ?? defaultMapping();

  // Resolve the spec into class → qconfig and name → qconfig.
  const byClass = new Map<unknown, QConfig | null>();
  const byName = new Map<string, QConfig | null>();
  let spec = o.qconfig_spec ?? null;
  if (spec === null) {
    const q = defaultQconfig(dt, false);
    for (const cls of mapping.keys()) byClass.set(cls, q);
  } else {
    if (Array.isArray(spec)) spec = new Set(spec);
    if (spec instanceof Set) {
      const q = defaultQconfig(dt, true);
      for (const k of spec) (typeof k === 'string' ? byName : byClass).set(k as any, q);
    } else {
      const entries = spec instanceof Map ? [...spec] : Object.entries(spec);
      for (const [k, q] of entries) {
        if (q !== null && !(q instanceof QConfig)) throw new TypeError(`quantize_dynamic(): qconfig_spec values must be QConfig or null, not ${describe(q)}`);
        (typeof k === 'string' ? byName : byClass).set(k as any, q);
      }
    }
  }

  const root = o.inplace ? model : _deepcopy(model);
  root.eval();
  // propagate_qconfig_: a module's qconfig is its class's, else its name's, else its parent's.
  const qconfigs = new Map<Module, QConfig | null>();
  const propagate = (m: Module, prefix: string, parent: QConfig | null): void => {
    let q = byClass.has(m.constructor) ? (byClass.get(m.constructor) as QConfig | null) : parent;
    if (byName.has(prefix)) q = byName.get(prefix) as QConfig | null;
    qconfigs.set(m, q);
    for (const [name, child] of m.named_children()) propagate(child, prefix === '' ? name : `${prefix}.${name}`, q);
  };
  propagate(root, '', null);
  // convert: swap each child that has a qconfig and a mapping entry; recurse into the others.
  const convert = (m: Module): void => {
    for (const [name, child] of m.named_children()) {
      const q = qconfigs.get(child) ?? null;
      const swap = q !== null ? mapping.get(child.constructor as ModuleClass) : undefined;
      if (swap) {
        (child as any).qconfig = q;
        const nq = swap.from_float(child, (q as QConfig).weight_dtype);
        // Keep forward hooks as PyTorch's swap_module does.
        for (const h of (child as any)._forward_pre_hooks.values()) nq.register_forward_pre_hook(h);
        for (const h of (child as any)._forward_hooks.values()) nq.register_forward_hook(h);
        delete (child as any).qconfig;
        setChild(m, name, nq);
      } else {
        convert(child);
      }
    }
  };
  convert(root);
  return root;
}

function setChild(parent: Module, name: string, child: Module): void {
  if (Object.prototype.hasOwnProperty.call(parent, name)) (parent as any)[name] = child;
  else parent.add_module(name, child);
  parent._sync();
  if ((parent as any)._modules.get(name) !== child) (parent as any)._modules.set(name, child);
}
