/**
 * Values sent between the DataLoader's main thread and its worker threads.
 *
 * A message is what the structured clone algorithm (postMessage) can copy, with three kinds of
 * values replaced by markers on the way:
 * - a Tensor crosses as a native handle (native/tensor/transfer.cc): the sender parks a reference
 *   to it, the receiver takes that reference into its own registry. No data is copied, and the
 *   storage stays alive while parked. Parked tensors belong to a group (one per worker pool); the
 *   pool releases the group's undelivered tensors when its workers have exited.
 * - an object of a class (a dataset, a transform) crosses as Python's pickle moves one: the module
 *   that defines its class plus its state (`__getstate__()` when the class defines it, otherwise its
 *   own enumerable properties); the receiver imports the module, makes an object of the class without
 *   calling its constructor, and hands it the state (`__setstate__(state)`, otherwise the properties
 *   are assigned).
 * - a function crosses as a reference to the module export it is (for example a collate_fn or a
 *   worker_init_fn exported from a module).
 *
 * How a class or function is found: torch-node's own datasets by name; otherwise its static
 * `__module__` (a path or file: URL, needed for ES modules, as Python's `__module__`), otherwise the
 * CommonJS module (require.cache) that exports it. What can be found nowhere (a class or closure
 * defined inside a function, an unexported class) cannot move: the error says which value failed.
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Tensor } from '../../../tensor';
import { native } from '../../../binding';
import { Dataset, IterableDataset, TensorDataset, ConcatDataset, ChainDataset, Subset } from '../dataset';
import { default_collate, default_convert } from './collate';

const T = '__torch_node_tensor__';
const O = '__torch_node_object__';
const F = '__torch_node_function__';

/** Where a class or function lives: a module (path or URL) and an export name, or a built-in. */
export interface ModuleRef {
  builtin?: string;
  module?: string;
  export?: string;
}

let builtins: Map<any, string> | null = null;
let builtinsByName: Map<string, any> | null = null;
function builtinTables(): [Map<any, string>, Map<string, any>] {
  if (!builtins) {
    const data: Record<string, unknown> = {
      Dataset, IterableDataset, TensorDataset, ConcatDataset, ChainDataset, Subset, default_collate, default_convert,
    };
    builtins = new Map();
    builtinsByName = new Map();
    for (const name of ['Dataset', 'IterableDataset', 'TensorDataset', 'ConcatDataset', 'ChainDataset', 'Subset', 'default_collate', 'default_convert']) {
      builtins.set(data[name], name);
      builtinsByName.set(name, data[name]);
    }
  }
  return [builtins, builtinsByName!];
}

/** Finds the module export that `v` (a class or function) is; null when none. */
export function findModuleRef(v: Function): ModuleRef | null {
  const b = builtinTables()[0].get(v);
  if (b) return { builtin: b };
  const own = Object.prototype.hasOwnProperty.call(v, '__module__') ? (v as any).__module__ : undefined;
  if (typeof own === 'string' && own.length > 0) return { module: own, export: v.name };
  const cache: Record<string, NodeModule | undefined> = typeof require !== 'undefined' && require.cache ? require.cache : {};
  for (const [file, m] of Object.entries(cache)) {
    if (!m || m.exports === undefined || m.exports === null) continue;
    const ex = m.exports;
    if (ex === v) return { module: file, export: '' };
    if (typeof ex !== 'object' && typeof ex !== 'function') continue;
    for (const k of Object.keys(ex)) {
      let val: any;
      try {
        val = ex[k];
      } catch {
        continue;
      }
      if (val === v) return { module: file, export: k };
    }
  }
  return null;
}

// A real dynamic import (the CommonJS build would turn `import()` into require, which cannot load
// ES modules).
const dynamicImport = new Function('s', 'return import(s)') as (s: string) => Promise<any>;

async function importModule(spec: string): Promise<any> {
  if (spec.startsWith('file:')) return dynamicImport(spec);
  const abs = path.resolve(spec);
  try {
    return require(abs);
  } catch (e: any) {
    if (e && e.code === 'ERR_REQUIRE_ESM') return dynamicImport(pathToFileURL(abs).href);
    throw e;
  }
}

const loaded = new Map<string, any>();
/** Resolves a ModuleRef in this thread (imports the module once). */
export async function resolveModuleRef(r: ModuleRef): Promise<any> {
  if (r.builtin) return builtinTables()[1].get(r.builtin);
  const key = r.module!;
  let mod = loaded.get(key);
  if (mod === undefined) {
    mod = await importModule(key);
    loaded.set(key, mod);
  }
  if (r.export === '') return mod;
  for (const ns of [mod, mod?.default]) {
    if (ns && (typeof ns === 'object' || typeof ns === 'function') && r.export! in ns) return ns[r.export!];
  }
  if (mod?.default?.name === r.export || mod?.name === r.export) return mod.default ?? mod;
  throw new TypeError(`DataLoader worker: module ${key} has no export '${r.export}'`);
}

// Realm-independent tests: messages are deserialized in Node's main realm, which is not the realm of
// code run in a vm context (jest).
const isPlain = (v: any) => {
  const p = Object.getPrototypeOf(v);
  return p === null || Object.getPrototypeOf(p) === null;
};
const isMap = (v: any): v is Map<any, any> => Object.prototype.toString.call(v) === '[object Map]';
const isSet = (v: any): v is Set<any> => Object.prototype.toString.call(v) === '[object Set]';
const isOpaque = (v: any) => ArrayBuffer.isView(v) || ['[object ArrayBuffer]', '[object Date]', '[object RegExp]'].includes(Object.prototype.toString.call(v));

/**
 * Encodes `v` for postMessage: tensors are parked in `group`, class instances and functions become
 * module references. `where` names the value in errors (for example "dataset.transform").
 */
export function encode(v: any, group: number, where: string, parked: number[] = [], seen = new Set<any>()): any {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (v instanceof Tensor) {
    const id = native._tensor_park(v._h, group);
    parked.push(id);
    return { [T]: id };
  }
  if (typeof v === 'function') {
    const r = findModuleRef(v);
    if (!r) {
      throw new TypeError(`DataLoader: ${where} (function ${v.name || '<anonymous>'}) cannot be sent to a worker thread: export it from a module ` +
        `(CommonJS), or give it a static __module__ (the module's path or file: URL)`);
    }
    return { [F]: r };
  }
  if (typeof v !== 'object') throw new TypeError(`DataLoader: ${where} (a ${typeof v}) cannot be sent to a worker thread`);
  if (seen.has(v)) throw new TypeError(`DataLoader: ${where} refers back to itself; cycles cannot be sent to a worker thread`);
  seen.add(v);
  try {
    if (Array.isArray(v)) return v.map((x, i) => encode(x, group, `${where}[${i}]`, parked, seen));
    if (isOpaque(v)) return v;
    if (isMap(v)) return new Map([...v].map(([k, x]) => [k, encode(x, group, `${where}.get(${String(k)})`, parked, seen)]));
    if (isSet(v)) return new Set([...v].map((x) => encode(x, group, `${where} (a Set member)`, parked, seen)));
    if (isPlain(v)) {
      const out: Record<string, any> = {};
      for (const k of Object.keys(v)) out[k] = encode(v[k], group, `${where}.${k}`, parked, seen);
      return out;
    }
    const cls = v.constructor;
    const r = typeof cls === 'function' ? findModuleRef(cls) : null;
    if (!r) {
      throw new TypeError(`DataLoader: ${where} (an object of class ${cls?.name ?? '?'}) cannot be sent to a worker thread: the worker rebuilds it from ` +
        `its class, which must be exported from a module (CommonJS), or have a static __module__ (the module's path or file: URL; required for ES modules)`);
    }
    const state = typeof v.__getstate__ === 'function' ? v.__getstate__() : { ...v };
    return { [O]: r, state: encode(state, group, `${where}`, parked, seen) };
  } finally {
    seen.delete(v);
  }
}

/** Decodes a message made by encode(): takes parked tensors, imports classes and functions. */
export async function decode(v: any): Promise<any> {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = await decode(v[i]);
    return out;
  }
  if (isOpaque(v)) return v;
  if (isMap(v)) {
    const out = new Map();
    for (const [k, x] of v) out.set(k, await decode(x));
    return out;
  }
  if (isSet(v)) {
    const out = new Set();
    for (const x of v) out.add(await decode(x));
    return out;
  }
  if (T in v) return new Tensor(native._tensor_unpark(v[T]));
  if (F in v) return resolveModuleRef(v[F]);
  if (O in v) {
    const cls = await resolveModuleRef(v[O]);
    const obj = Object.create(cls.prototype);
    const state = await decode(v.state);
    if (typeof obj.__setstate__ === 'function') obj.__setstate__(state);
    else Object.assign(obj, state);
    return obj;
  }
  const out: Record<string, any> = {};
  for (const k of Object.keys(v)) out[k] = await decode(v[k]);
  return out;
}

/**
 * Encodes a batch (the output of collate_fn) for the main thread: only tensors are replaced;
 * everything else is structured-cloned as is. Synchronous and cheap: batches are mostly tensors.
 */
export function encodeBatch(v: any, group: number): any {
  if (v instanceof Tensor) return { [T]: native._tensor_park(v._h, group) };
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => encodeBatch(x, group));
  if (isMap(v)) return new Map([...v].map(([k, x]) => [k, encodeBatch(x, group)]));
  if (isPlain(v)) {
    const out: Record<string, any> = {};
    for (const k of Object.keys(v)) out[k] = encodeBatch(v[k], group);
    return out;
  }
  return v;
}

/** Decodes a batch made by encodeBatch() (synchronous). */
export function decodeBatch(v: any): any {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(decodeBatch);
  if (isMap(v)) return new Map([...v].map(([k, x]) => [k, decodeBatch(x)]));
  if (isOpaque(v)) return v;
  if (isPlain(v)) {
    if (T in v) return new Tensor(native._tensor_unpark(v[T]));
    const out: Record<string, any> = {};
    for (const k of Object.keys(v)) out[k] = decodeBatch(v[k]);
    return out;
  }
  return v;
}
