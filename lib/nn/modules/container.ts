/**
 * Containers: Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict.
 *
 * Indexing reads like PyTorch's where JS allows: each entry is also a field of the container, so
 * `seq[0]`, `this.layers[1]`, `this.layers['fc1']`, `this.biases['bias1']` work (a key that is
 * the name of a method, such as 'keys' or 'forward', is reachable through get(key) only).
 * `get(i)` also takes negative indices; `slice(start, end)` is Python's `seq[start:end]`.
 * All are iterable (Sequential/ModuleList/ParameterList over their values, the dicts over their
 * keys, as in Python) and have `length` (Python's len()).
 */
import { Module } from '../module';
import { Parameter } from '../parameter';
import { Tensor } from '../../tensor';
import { describe } from '../../_utils';

function absIndex(idx: unknown, n: number): number {
  if (typeof idx !== 'number' || !Number.isInteger(idx)) throw new TypeError(`indices must be integers, not ${describe(idx)}`);
  if (!(-n <= idx && idx < n)) throw new RangeError(`index ${idx} is out of range`);
  return idx < 0 ? idx + n : idx;
}

/** Python's slice indices for start/stop (step 1): clamps and wraps negatives. */
function sliceRange(n: number, start?: number | null, stop?: number | null, step?: number | null): number[] {
  const st = step ?? 1;
  if (st === 0) throw new RangeError('slice step cannot be zero');
  const norm = (v: number | null | undefined, dflt: number, lo: number, hi: number): number => {
    if (v === null || v === undefined) return dflt;
    if (v < 0) v += n;
    return Math.min(Math.max(v, lo), hi);
  };
  const out: number[] = [];
  if (st > 0) {
    const a = norm(start, 0, 0, n);
    const b = norm(stop, n, 0, n);
    for (let i = a; i < b; i += st) out.push(i);
  } else {
    const a = norm(start, n - 1, -1, n - 1);
    const b = norm(stop, -1, -1, n - 1);
    for (let i = a; i > b; i += st) out.push(i);
  }
  return out;
}

/** @internal Replaces a container's module entries (and their fields) with `entries`. */
function resetModules(c: Module, entries: [string, Module | null][]): void {
  for (const k of c._modules.keys()) {
    if (Object.prototype.hasOwnProperty.call(c, k)) delete (c as any)[k];
  }
  c._modules.clear();
  c._noattr.clear();
  for (const [k, m] of entries) c._setEntry(c._modules, k, m);
}

function isModuleMapping(v: unknown): v is Record<string, Module> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Module) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function entriesOf<T>(v: unknown, what: string): [string, T][] {
  if (v instanceof Map) return [...v.entries()];
  if (v instanceof ModuleDict || v instanceof ParameterDict) return v.items() as any;
  if (isModuleMapping(v)) return Object.entries(v) as any;
  if (v !== null && typeof v === 'object' && typeof (v as any)[Symbol.iterator] === 'function') {
    const out: [string, T][] = [];
    let j = 0;
    for (const e of v as Iterable<unknown>) {
      if (!Array.isArray(e) || e.length !== 2) {
        throw new TypeError(`${what} update sequence element #${j} should be Iterable; is ${describe(e)}`);
      }
      out.push([e[0], e[1]]);
      j++;
    }
    return out;
  }
  throw new TypeError(`${what}.update should be called with an iterable of key/value pairs, but got ${describe(v)}`);
}

/**
 * A sequential container: modules run in the order given, each on the previous one's output.
 * Built from modules (`new nn.Sequential(a, b, c)`, named '0', '1', …) or from an ordered map of
 * named modules (a Map, or a plain object: `new nn.Sequential({conv1: …, relu1: …})`).
 *
 * Example:
 *   const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10), new nn.Softmax({dim: 1}));
 *   model[0];            // Linear(in_features=784, out_features=128, bias=True)
 *   model.get(-1);       // Softmax(dim=1)
 *   model.slice(0, 2);   // Sequential of the first two
 */
export class Sequential extends Module {
  [index: number]: Module;
  constructor(...args: Module[]);
  constructor(modules: Map<string, Module> | Record<string, Module>);
  constructor(...args: any[]) {
    super();
    if (args.length === 1 && (args[0] instanceof Map || isModuleMapping(args[0]))) {
      for (const [k, m] of entriesOf<Module>(args[0], 'Sequential')) this.add_module(k, m);
    } else {
      args.forEach((m, i) => this.add_module(String(i), m));
    }
  }
  private _vals(): Module[] {
    this._sync();
    return [...this._modules.values()] as Module[];
  }
  /** The number of modules (Python's len()). */
  get length(): number {
    this._sync();
    return this._modules.size;
  }
  /** Python's `len(x)` (also `x.length`). */
  __len__(): number {
    return this.length;
  }
  /** The module at `idx` (negative counts from the end). */
  get(idx: number): Module {
    const v = this._vals();
    return v[absIndex(idx, v.length)];
  }
  /** Replaces the module at `idx` (Python's seq[idx] = module). */
  set(idx: number, module: Module): void {
    this._sync();
    const keys = [...this._modules.keys()];
    const k = keys[absIndex(idx, keys.length)];
    if (!(module instanceof Module)) throw new TypeError(`cannot assign '${describe(module)}' as child module '${k}' (torch.nn.Module or None expected)`);
    this._setEntry(this._modules, k, module);
  }
  /** A new Sequential of the modules in [start, stop) (Python's seq[start:stop:step]), keeping their names. */
  slice(start?: number | null, stop?: number | null, step?: number | null): this {
    this._sync();
    const items = [...this._modules.entries()];
    const sel = sliceRange(items.length, start, stop, step).map((i) => items[i]);
    return new (this.constructor as any)(new Map(sel));
  }
  /** Removes the module at `idx` (Python's del seq[idx]); the rest are renumbered. */
  delete(idx: number): void {
    this._sync();
    const items = [...this._modules.entries()];
    items.splice(absIndex(idx, items.length), 1);
    resetModules(this, items.map((e, i) => [String(i), e[1]]));
  }
  /** Removes and returns the module at `idx`. */
  pop(idx: number): Module {
    const v = this.get(idx);
    this.delete(idx);
    return v;
  }
  /** Appends a module at the end. Returns this. */
  append(module: Module): this {
    this.add_module(String(this.length), module);
    return this;
  }
  /** Inserts a module before `index`. Returns this. */
  insert(index: number, module: Module): this {
    if (!(module instanceof Module)) throw new TypeError(`module should be of type: Module, got ${describe(module)}`);
    const vals = this._vals();
    const n = vals.length;
    if (!(-n <= index && index <= n)) throw new RangeError(`Index out of range: ${index}`);
    if (index < 0) index += n;
    const keys = [...this._modules.keys()];
    const entries: [string, Module | null][] = [...this._modules.entries()];
    // PyTorch shifts values along the string indices; keys beyond index become numbered.
    const newVals = [...vals.slice(0, index), module, ...vals.slice(index)];
    const out: [string, Module | null][] = [];
    for (let i = 0; i < newVals.length; i++) out.push([i < index ? keys[i] : String(i), newVals[i]]);
    void entries;
    resetModules(this, out);
    return this;
  }
  /** Appends every module of `sequential` (any iterable of modules). Returns this. */
  extend(sequential: Iterable<Module>): this {
    for (const m of sequential) this.append(m);
    return this;
  }
  /** A new Sequential holding this one's modules followed by `other`'s (Python's seq + other). */
  add(other: Sequential): Sequential {
    if (!(other instanceof Sequential)) throw new TypeError(`add operator supports only objects of Sequential class, but ${describe(other)} is given.`);
    const r = new Sequential();
    for (const m of this) r.append(m);
    for (const m of other) r.append(m);
    return r;
  }
  /** A new Sequential repeating these modules `n` times (Python's seq * n). */
  mul(n: number): Sequential {
    if (!Number.isInteger(n)) throw new TypeError(`unsupported operand type(s) for *: Sequential and ${describe(n)}`);
    if (n <= 0) throw new RangeError(`Non-positive multiplication factor ${n} for Sequential`);
    const r = new Sequential();
    let k = 0;
    for (let i = 0; i < n; i++) for (const m of this) r.add_module(String(k++), m);
    return r;
  }
  [Symbol.iterator](): Iterator<Module> {
    return this._vals()[Symbol.iterator]();
  }
  forward(input: any): any {
    this._sync();
    for (const m of this._modules.values()) if (m !== null) input = m(input);
    return input;
  }
}

/**
 * Holds submodules in a list; they are registered (parameters(), state_dict keys 'layers.0.weight').
 *
 * Example:
 *   this.layers = new nn.ModuleList([new nn.Linear(784, 128), new nn.ReLU()]);
 *   for (const layer of this.layers) x = layer(x);
 *   this.layers[0];  this.layers.get(-1);
 */
export class ModuleList extends Module {
  [index: number]: Module;
  constructor(modules?: Iterable<Module> | null) {
    super();
    if (modules !== undefined && modules !== null) this.extend(modules);
  }
  private _vals(): Module[] {
    this._sync();
    return [...this._modules.values()] as Module[];
  }
  get length(): number {
    this._sync();
    return this._modules.size;
  }
  /** Python's `len(x)` (also `x.length`). */
  __len__(): number {
    return this.length;
  }
  /** The module at `idx` (negative counts from the end). */
  get(idx: number): Module {
    const v = this._vals();
    return v[absIndex(idx, v.length)];
  }
  /** Replaces the module at `idx`. */
  set(idx: number, module: Module): void {
    const n = this.length;
    if (!(module instanceof Module)) throw new TypeError(`cannot assign '${describe(module)}' as child module '${idx}' (torch.nn.Module or None expected)`);
    this._setEntry(this._modules, String(absIndex(idx, n)), module);
  }
  /** A new ModuleList of the modules in [start, stop) (renumbered from 0, as Python's ml[a:b]). */
  slice(start?: number | null, stop?: number | null, step?: number | null): this {
    const v = this._vals();
    return new (this.constructor as any)(sliceRange(v.length, start, stop, step).map((i) => v[i]));
  }
  /** Removes the module at `idx`; the rest are renumbered. */
  delete(idx: number): void {
    const v = this._vals();
    v.splice(absIndex(idx, v.length), 1);
    resetModules(this, v.map((m, i) => [String(i), m]));
  }
  pop(idx: number): Module {
    const m = this.get(idx);
    this.delete(idx);
    return m;
  }
  /** Appends a module. Returns this. */
  append(module: Module): this {
    this.add_module(String(this.length), module);
    return this;
  }
  /** Appends every module of an iterable. Returns this. */
  extend(modules: Iterable<Module>): this {
    if (modules === null || typeof modules !== 'object' || typeof (modules as any)[Symbol.iterator] !== 'function' || modules instanceof Tensor) {
      throw new TypeError(`ModuleList.extend should be called with an iterable, but got ${describe(modules)}`);
    }
    let off = this.length;
    for (const m of modules) this.add_module(String(off++), m);
    return this;
  }
  /** Inserts a module before `index`. */
  insert(index: number, module: Module): void {
    const v = this._vals();
    if (index < 0) index = Math.max(0, index + v.length);
    v.splice(Math.min(index, v.length), 0, module);
    resetModules(this, v.map((m, i) => [String(i), m]));
  }
  /** A new ModuleList of this one's modules followed by `other`'s (Python's ml + other). */
  add(other: Iterable<Module>): ModuleList {
    return new ModuleList([...this, ...other]);
  }
  [Symbol.iterator](): Iterator<Module> {
    return this._vals()[Symbol.iterator]();
  }
}

/**
 * Holds submodules in an ordered dictionary (insertion order).
 *
 * Example:
 *   this.layers = new nn.ModuleDict({fc1: new nn.Linear(784, 128), relu: new nn.ReLU()});
 *   x = this.layers['fc1'](x);   // or this.layers.get('fc1')
 */
export class ModuleDict extends Module {
  [key: string]: any;
  constructor(modules?: Map<string, Module> | Record<string, Module> | Iterable<[string, Module]> | null) {
    super();
    if (modules !== undefined && modules !== null) this.update(modules);
  }
  get length(): number {
    this._sync();
    return this._modules.size;
  }
  /** Python's `len(x)` (also `x.length`). */
  __len__(): number {
    return this.length;
  }
  /** The module under `key` (Python's md[key]); RangeError (KeyError) when absent. */
  get(key: string): Module {
    this._sync();
    if (!this._modules.has(key)) throw new RangeError(`KeyError: '${key}'`);
    return this._modules.get(key) as Module;
  }
  /** md[key] = module. */
  set(key: string, module: Module): void {
    this.add_module(key, module);
  }
  /** del md[key]. */
  delete(key: string): void {
    this.get(key);
    this._modules.delete(key);
    this._noattr.delete(key);
    if (Object.prototype.hasOwnProperty.call(this, key)) delete this[key];
  }
  /** key in md. */
  has(key: string): boolean {
    this._sync();
    return this._modules.has(key);
  }
  clear(): void {
    resetModules(this, []);
  }
  pop(key: string): Module {
    const m = this.get(key);
    this.delete(key);
    return m;
  }
  keys(): string[] {
    this._sync();
    return [...this._modules.keys()];
  }
  items(): [string, Module][] {
    this._sync();
    return [...this._modules.entries()] as [string, Module][];
  }
  values(): Module[] {
    this._sync();
    return [...this._modules.values()] as Module[];
  }
  /** Adds/overwrites entries from a Map, a plain object, a ModuleDict or an iterable of [key, module]. */
  update(modules: Map<string, Module> | Record<string, Module> | Iterable<[string, Module]>): void {
    for (const [k, m] of entriesOf<Module>(modules, 'ModuleDict')) this.add_module(k, m);
  }
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
}

function toParam(v: unknown): unknown {
  return v instanceof Tensor && !(v instanceof Parameter) ? new Parameter(v) : v;
}

function paramLine(k: string, p: unknown, dtypeName: (t: Tensor) => string): string {
  if (p instanceof Tensor) {
    const size = p.shape.join('x');
    const dev = p.is_cuda ? ` (GPU ${p.device.index ?? 0})` : '';
    return `  (${k}): ${p instanceof Parameter ? 'Parameter' : 'Tensor'} containing: [${dtypeName(p)} of size ${size}${dev}]`;
  }
  return `  (${k}): Object of type: ${describe(p)}`;
}

/**
 * Holds parameters in a list; Tensors are wrapped into nn.Parameter. Registered like fields named
 * '0', '1', … (state_dict keys 'weights.0').
 *
 * Example:
 *   this.weights = new nn.ParameterList([new nn.Parameter(torch.randn(784, 128)), new nn.Parameter(torch.randn(128, 10))]);
 *   torch.matmul(x, this.weights[0]);
 */
export class ParameterList extends Module {
  [index: number]: any;
  /** @internal */ declare _size: number;
  constructor(values?: Iterable<unknown> | null) {
    super();
    Object.defineProperty(this, '_size', { value: 0, writable: true, enumerable: false });
    if (values !== undefined && values !== null) this.extend(values);
  }
  get length(): number {
    return this._size;
  }
  /** Python's `len(x)` (also `x.length`). */
  __len__(): number {
    return this.length;
  }
  get(idx: number): any {
    const i = absIndex(idx, this._size);
    return (this as any)[i];
  }
  set(idx: number, value: unknown): void {
    const i = absIndex(idx, this._size);
    this._setValue(String(i), toParam(value));
  }
  private _setValue(k: string, v: unknown): void {
    this._sync();
    if (v instanceof Parameter || v === null) {
      this._modules.delete(k);
      this._buffers.delete(k);
      this._setEntry(this._parameters, k, v);
    } else if (v instanceof Module) {
      this._parameters.delete(k);
      this._setEntry(this._modules, k, v);
    } else {
      this._parameters.delete(k);
      this._modules.delete(k);
      Object.defineProperty(this, k, { value: v, writable: true, enumerable: true, configurable: true });
    }
  }
  append(value: unknown): this {
    const i = this._size;
    this._size++;
    this._setValue(String(i), toParam(value));
    return this;
  }
  extend(values: Iterable<unknown>): this {
    if (values === null || typeof values !== 'object' || typeof (values as any)[Symbol.iterator] !== 'function' || values instanceof Tensor) {
      throw new TypeError(`ParameterList.extend should be called with an iterable, but got ${describe(values)}`);
    }
    for (const v of values) this.append(v);
    return this;
  }
  slice(start?: number | null, stop?: number | null, step?: number | null): this {
    const out = new (this.constructor as any)();
    for (const i of sliceRange(this._size, start, stop, step)) out.append(this.get(i));
    return out;
  }
  [Symbol.iterator](): Iterator<any> {
    const out: unknown[] = [];
    for (let i = 0; i < this._size; i++) out.push((this as any)[i]);
    return out[Symbol.iterator]();
  }
  extra_repr(): string {
    const lines: string[] = [];
    let k = 0;
    for (const p of this) lines.push(paramLine(String(k++), p, (t) => String(t.dtype)));
    return lines.join('\n');
  }
  call(): never {
    throw new TypeError('ParameterList should not be called.');
  }
}

/**
 * Holds parameters in an ordered dictionary; Tensors are wrapped into nn.Parameter.
 *
 * Example:
 *   this.biases = new nn.ParameterDict({bias1: new nn.Parameter(torch.zeros(128))});
 *   x.add(this.biases['bias1']);
 */
export class ParameterDict extends Module {
  [key: string]: any;
  /** @internal */ declare _keys: Map<string, null>;
  constructor(parameters?: Map<string, unknown> | Record<string, unknown> | Iterable<[string, unknown]> | null) {
    super();
    Object.defineProperty(this, '_keys', { value: new Map(), writable: true, enumerable: false });
    if (parameters !== undefined && parameters !== null) this.update(parameters);
  }
  get length(): number {
    return this._keys.size;
  }
  /** Python's `len(x)` (also `x.length`). */
  __len__(): number {
    return this.length;
  }
  private _check(key: unknown): string {
    if (typeof key !== 'string') {
      throw new TypeError(`Index given to ParameterDict cannot be used as a key as it is not a string (type is '${describe(key)}').`);
    }
    return key;
  }
  /** pd[key]; with a default, Python's pd.get(key, default). */
  get(key: string, ...dflt: unknown[]): any {
    this._check(key);
    if (!this._keys.has(key)) {
      if (dflt.length) return dflt[0];
      throw new RangeError(`KeyError: '${key}'`);
    }
    return this._parameters.has(key) ? this._parameters.get(key) : this._modules.has(key) ? this._modules.get(key) : this[key];
  }
  /** pd[key] = value (Tensors become Parameters). */
  set(key: string, value: unknown): void {
    this._check(key);
    this._sync();
    this._keys.set(key, null);
    const v = toParam(value);
    if (v instanceof Parameter || v === null) this._setEntry(this._parameters, key, v);
    else if (v instanceof Module) this._setEntry(this._modules, key, v);
    else Object.defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
  }
  delete(key: string): void {
    this.get(key);
    this._keys.delete(key);
    this._parameters.delete(key);
    this._modules.delete(key);
    this._noattr.delete(key);
    if (Object.prototype.hasOwnProperty.call(this, key)) delete this[key];
  }
  has(key: string): boolean {
    return this._keys.has(key);
  }
  setdefault(key: string, dflt: unknown = null): any {
    if (!this.has(key)) this.set(key, dflt);
    return this.get(key);
  }
  clear(): void {
    for (const k of [...this._keys.keys()]) this.delete(k);
  }
  pop(key: string): any {
    const v = this.get(key);
    this.delete(key);
    return v;
  }
  popitem(): [string, any] {
    const keys = this.keys();
    if (!keys.length) throw new RangeError('popitem(): dictionary is empty');
    const k = keys[keys.length - 1];
    return [k, this.pop(k)];
  }
  copy(): ParameterDict {
    return new ParameterDict(this.items());
  }
  fromkeys(keys: Iterable<string>, dflt: unknown = null): ParameterDict {
    return new ParameterDict([...keys].map((k) => [k, dflt] as [string, unknown]));
  }
  keys(): string[] {
    return [...this._keys.keys()];
  }
  items(): [string, any][] {
    return this.keys().map((k) => [k, this.get(k)]);
  }
  values(): any[] {
    return this.keys().map((k) => this.get(k));
  }
  update(parameters: Map<string, unknown> | Record<string, unknown> | Iterable<[string, unknown]>): void {
    for (const [k, v] of entriesOf<unknown>(parameters, 'ParametersDict')) this.set(k, v);
  }
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
  extra_repr(): string {
    return this.items().map(([k, p]) => paramLine(k, p, (t) => String((t as any).type()))).join('\n');
  }
  call(): never {
    throw new TypeError('ParameterDict should not be called.');
  }
}
