/**
 * nn.Module: the base class of every layer and model, as PyTorch's.
 *
 * Design (bench/nn_module.js measures it):
 *
 * 1. Callable instances. The base constructor returns a function object whose prototype is the
 *    subclass's prototype (`Object.setPrototypeOf(fn, new.target.prototype)`), so `model(x)` works
 *    as in Python, `instanceof` works, and subclass fields land on that object. Calling it runs
 *    {@link Module.call} (forward pre-hooks, forward, forward hooks, backward hooks); with no hooks
 *    registered this is one extra JS call around `forward`. `model.forward(x)` skips the hooks, as
 *    in PyTorch. Function.prototype is not in the chain (`model.call` is the hook-running call, not
 *    Function.prototype.call); `typeof model === 'function'`.
 *
 * 2. Registration by assignment without a Proxy. `this.fc1 = new nn.Linear(784, 128)` is a plain
 *    property write (so `this.fc1` in forward is an ordinary, inline-cached field read: a Proxy
 *    would put a trap on every such read). The registries `_parameters`, `_buffers`, `_modules` are
 *    ordered Maps as in Python; they are brought up to date from the instance's own enumerable
 *    properties, in property-creation order, by `_sync()` at the start of every method that reads
 *    them (named_parameters, state_dict, to, register_* …). JS keeps own string keys in creation
 *    order, which is Python's assignment order for the code PyTorch users write. Reassigning a
 *    field keeps its place (as Python's dict does); `delete this.fc1` unregisters it; assigning a
 *    Module where a Parameter was moves it (as Python's __setattr__ does). Buffers are registered
 *    only by register_buffer; a later `this.running_mean = t` replaces the buffer.
 *    Caveat: in TypeScript with class-field declarations (`fc1: nn.Linear;` emitted as a field), the
 *    declaration order fixes the property order, so declare fields in assignment order.
 *    Integer-like names ('0', '1' …) are ordered numerically by JS; containers, which use them,
 *    keep their own order in the Maps (they register through add_module, not assignment).
 *
 * Collections (parameters(), named_modules() …) are returned as Arrays (PyTorch returns
 * generators); they iterate the same way and also have length/map.
 */
import { Tensor } from '../tensor';
import { describe } from '../_utils';
import { RemovableHandle } from '../utils/hooks';
import { dtype, float32, float64, float16, bfloat16 } from '../dtype';
import { device, DeviceLike, deviceString } from '../device';
import { TorchError } from '../errors';
import { Parameter, UninitializedParameter, is_lazy } from './parameter';
import { noGrad, getGrad, setGrad, setData, sameImpl, requiresGrad, setRequiresGrad } from './_autograd';

/** @internal util.inspect.custom */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as any;

export type Hook = (...args: any[]) => any;


const hidden = (o: object, k: string, v: unknown): void => {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: false, configurable: true });
};

function addindent(s: string, n: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const first = lines.shift() as string;
  const pad = ' '.repeat(n);
  return [first, ...lines.map((l) => pad + l)].join('\n');
}

function checkName(kind: string, name: unknown, self: Module, registered: boolean): string {
  if (typeof name !== 'string') throw new TypeError(`${kind} name should be a string. Got ${describe(name)}`);
  if (name.includes('.')) throw new RangeError(`${kind} name can't contain ".", got: ${name}`);
  if (name === '') throw new RangeError(`${kind} name can't be empty string ""`);
  if (!registered && name in self && !Object.prototype.hasOwnProperty.call(self, name)) {
    throw new RangeError(`attribute '${name}' already exists`);
  }
  return name;
}

/** What Module.to() accepts: to(device), to(dtype), to(tensor), to(device, dtype), options. */
function parseTo(args: any[]): { dev: string | null; dt: dtype | null; non_blocking: boolean } {
  let dev: string | null = null;
  let dt: dtype | null = null;
  let non_blocking = false;
  for (const a of args) {
    if (a === undefined || a === null) continue;
    if (a instanceof dtype) dt = a;
    else if (a instanceof Tensor) {
      dev = deviceString(a.device);
      dt = a.dtype;
    } else if (typeof a === 'string' || a instanceof device) dev = deviceString(a);
    else if (typeof a === 'boolean') non_blocking = a;
    else if (typeof a === 'object') {
      for (const k of Object.keys(a)) {
        if (!['device', 'dtype', 'non_blocking', 'memory_format', 'tensor'].includes(k)) {
          throw new TypeError(`to() got an unexpected keyword argument '${k}' (valid arguments: device, dtype, non_blocking, memory_format, tensor)`);
        }
      }
      if (a.device != null) dev = deviceString(a.device);
      if (a.dtype != null) {
        if (!(a.dtype instanceof dtype)) throw new TypeError(`to(): argument 'dtype' must be torch.dtype, not ${describe(a.dtype)}`);
        dt = a.dtype;
      }
      if (a.tensor instanceof Tensor) {
        dev = deviceString(a.tensor.device);
        dt = a.tensor.dtype;
      }
      if (a.non_blocking !== undefined) non_blocking = Boolean(a.non_blocking);
    } else throw new TypeError(`to() received an invalid argument: ${describe(a)}`);
  }
  if (dt !== null && !(dt.is_floating_point || dt.is_complex)) {
    throw new TypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${dt}`);
  }
  return { dev, dt, non_blocking };
}

/**
 * The most positional arguments a function declares: its parameter count, or Infinity when it has
 * a rest parameter or its source cannot be read (native or bound functions). Read once per function
 * from its source text, as JS has no other way to know how many parameters a function declares
 * after those with defaults.
 */
const maxArgsCache = new WeakMap<Function, number>();
function maxPositional(fn: Function): number {
  let n = maxArgsCache.get(fn);
  if (n !== undefined) return n;
  n = Infinity;
  const src = Function.prototype.toString.call(fn);
  let i = 0;
  const single = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (single) n = 1;
  else if ((i = src.indexOf('(')) >= 0 && !/\{\s*\[native code\]\s*\}\s*$/.test(src)) {
    // Split the parameter list at top-level commas, skipping strings, comments and nesting.
    let depth = 0, count = 0, token = false, rest = false, j = i + 1;
    for (; j < src.length; j++) {
      const c = src[j];
      if (c === '"' || c === "'" || c === '`') {
        const q = c;
        for (j++; j < src.length && src[j] !== q; j++) if (src[j] === '\\') j++;
        token = true;
      } else if (c === '/' && src[j + 1] === '*') j = src.indexOf('*/', j + 2) + 1;
      else if (c === '/' && src[j + 1] === '/') j = src.indexOf('\n', j);
      else if (c === '(' || c === '[' || c === '{') depth++, token = true;
      else if (c === ']' || c === '}') depth--;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) {
        if (token) count++;
        token = false;
      } else if (depth === 0 && c === '.' && src.startsWith('...', j) && !token) {
        rest = true;
        token = true;
        j += 2;
      } else if (!/\s/.test(c)) token = true;
      if (j < 0) break;
    }
    if (j > 0 && j < src.length && !rest) n = count + (token ? 1 : 0);
  }
  maxArgsCache.set(fn, n);
  return n;
}

/** The TypeError Python raises for a module call with more arguments than forward takes. */
function checkArity(mod: Module, given: number): void {
  const fwd = mod.forward;
  const max = maxPositional(fwd);
  if (given <= max) return;
  // Python names the class that defines forward (its __qualname__), and counts self.
  let owner: any = mod;
  while (owner && !Object.prototype.hasOwnProperty.call(owner, 'forward')) owner = Object.getPrototypeOf(owner);
  const cls = owner && owner !== mod && owner.constructor ? owner.constructor.name : mod._get_name();
  const min = Math.min(fwd.length, max);
  const takes = min === max ? `${max + 1} positional argument${max === 0 ? '' : 's'}` : `from ${min + 1} to ${max + 1} positional arguments`;
  throw new TypeError(`${cls}.forward() takes ${takes} but ${given + 1} were given`);
}

/** The call signature every module instance has: `model(x)` runs Module.call (hooks + forward). */
export interface Module {
  (...args: any[]): any;
}

/**
 * Base class for all neural network modules. Subclass it, assign submodules / nn.Parameters in the
 * constructor and define `forward`:
 *
 * Example:
 *   class Net extends nn.Module {
 *     constructor() {
 *       super();
 *       this.fc1 = new nn.Linear(784, 128);
 *       this.fc2 = new nn.Linear(128, 10);
 *     }
 *     forward(x) { return this.fc2(torch.relu(this.fc1(x))); }
 *   }
 *   const model = new Net();
 *   const y = model(torch.randn(64, 784));
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Module {
  /** Whether the module is in training mode (train()/eval()). */
  declare training: boolean;
  /** @internal */ declare _parameters: Map<string, Parameter | null>;
  /** @internal */ declare _buffers: Map<string, Tensor | null>;
  /** @internal */ declare _non_persistent_buffers_set: Set<string>;
  /** @internal */ declare _modules: Map<string, Module | null>;
  /** @internal names registered without an own property (they collide with a method name) */
  declare _noattr: Set<string>;
  /** @internal */ declare _forward_pre_hooks: Map<number, Hook>;
  /** @internal */ declare _forward_hooks: Map<number, Hook>;
  /** @internal */ declare _backward_hooks: Map<number, Hook>;
  /** @internal */ declare _state_dict_hooks: Map<number, Hook>;
  /** @internal */ declare _load_state_dict_pre_hooks: Map<number, Hook>;
  /** @internal number of forward/backward hooks (0: the call path is just forward) */
  declare _nhooks: number;
  /** The version written in state_dict metadata (BatchNorm: 2). */
  static _version = 1;

  constructor() {
    const self: any = (...args: any[]) => self.call(...args);
    delete self.name;
    delete self.length;
    Object.setPrototypeOf(self, new.target.prototype);
    hidden(self, 'training', true);
    hidden(self, '_parameters', new Map());
    hidden(self, '_buffers', new Map());
    hidden(self, '_non_persistent_buffers_set', new Set());
    hidden(self, '_modules', new Map());
    hidden(self, '_noattr', new Set());
    hidden(self, '_forward_pre_hooks', new Map());
    hidden(self, '_forward_hooks', new Map());
    hidden(self, '_backward_hooks', new Map());
    hidden(self, '_state_dict_hooks', new Map());
    hidden(self, '_load_state_dict_pre_hooks', new Map());
    hidden(self, '_nhooks', 0);
    return self;
  }

  // ------------------------------------------------------------------ forward and the call path

  /** Defines the computation performed at every call. Every subclass overrides it. */
  forward(..._args: any[]): any {
    throw new TypeError(`Module [${this._get_name()}] is missing the required "forward" function`);
  }

  /**
   * Runs the module as Python's `module(...)` does: forward pre-hooks, forward, forward hooks, and
   * the full backward hooks' wiring. `model(x)` is the same call.
   */
  call(...args: any[]): any {
    // More arguments than forward declares: the TypeError Python raises. Checked from two
    // arguments on and only past forward.length, so the usual one-argument call costs one
    // comparison (a forward() declaring no parameter is not checked against one argument).
    if (args.length > 1 && args.length > this.forward.length) checkArity(this, args.length);
    if (this._nhooks === 0) return this.forward(...args);
    return this._call_impl(args);
  }

  /** @internal */
  _call_impl(args: any[]): any {
    for (const hook of this._forward_pre_hooks.values()) {
      const r = hook(this, args);
      if (r !== undefined && r !== null) args = Array.isArray(r) ? r : [r];
    }
    let bw: BackwardHookState | null = null;
    if (this._backward_hooks.size) {
      bw = new BackwardHookState(this);
      args = bw.setupInputs(args);
    }
    if (args.length > 1 && args.length > this.forward.length) checkArity(this, args.length);
    let result = this.forward(...args);
    for (const hook of this._forward_hooks.values()) {
      const r = hook(this, args, result);
      if (r !== undefined && r !== null) result = r;
    }
    if (bw) result = bw.setupOutputs(result);
    return result;
  }

  /**
   * Registers hook(module, args) -> new args | undefined, run before forward.
   * Args: hook, prepend (run before the hooks already registered). Returns a RemovableHandle.
   */
  register_forward_pre_hook(hook: Hook, options: { prepend?: boolean } = {}): RemovableHandle {
    return this._addHook(this._forward_pre_hooks, hook, options.prepend ?? false);
  }
  /** Registers hook(module, args, output) -> new output | undefined, run after forward. */
  register_forward_hook(hook: Hook, options: { prepend?: boolean } = {}): RemovableHandle {
    return this._addHook(this._forward_hooks, hook, options.prepend ?? false);
  }
  /**
   * Registers hook(module, grad_input, grad_output) -> new grad_input | undefined, called when the
   * gradients with respect to the module's tensor inputs are computed. Needs tensor hooks
   * (Tensor.register_hook, torch.autograd).
   */
  register_full_backward_hook(hook: Hook, options: { prepend?: boolean } = {}): RemovableHandle {
    return this._addHook(this._backward_hooks, hook, options.prepend ?? false);
  }
  /** @internal */
  _addHook(map: Map<number, Hook>, hook: Hook, prepend: boolean): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError(`hook must be a function, not ${describe(hook)}`);
    const h = new RemovableHandle((id) => map.delete(id));
    if (prepend) {
      const old = [...map];
      map.clear();
      map.set(h.id, hook);
      for (const [k, v] of old) map.set(k, v);
    } else map.set(h.id, hook);
    this._nhooks++;
    const self = this;
    const remove = h.remove.bind(h);
    h.remove = () => {
      if (map.has(h.id)) self._nhooks--;
      remove();
    };
    return h;
  }

  // ------------------------------------------------------------------ registration

  /**
   * @internal Brings _parameters/_buffers/_modules up to date with the own fields (see the file
   * comment). Called by every method that reads the registries.
   */
  _sync(): void {
    const P = this._parameters;
    const B = this._buffers;
    const M = this._modules;
    const keys = Object.keys(this);
    let seen = 0; // own fields that are registry entries
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const v = (this as any)[k];
      if (v instanceof Parameter) {
        seen++;
        if (!P.has(k)) {
          if (M.has(k)) M.delete(k);
          if (B.has(k)) throw new TypeError(`cannot assign 'torch.nn.Parameter' as buffer '${k}' (torch.Tensor or None expected); use register_parameter`);
        }
        if (P.get(k) !== v) P.set(k, v);
      } else if (v instanceof Module) {
        seen++;
        if (!M.has(k)) {
          if (P.has(k)) P.delete(k);
          if (B.has(k)) B.delete(k);
        }
        if (M.get(k) !== v) M.set(k, v);
      } else if (P.has(k)) {
        seen++;
        if (v === null || v === undefined) P.set(k, null);
        else throw new TypeError(`cannot assign '${describe(v)}' as parameter '${k}' (torch.nn.Parameter or None expected)`);
      } else if (B.has(k)) {
        seen++;
        if (v === null || v === undefined) B.set(k, null);
        else if (v instanceof Tensor) B.set(k, v);
        else throw new TypeError(`cannot assign '${describe(v)}' as buffer '${k}' (torch.Tensor or None expected)`);
      } else if (M.has(k)) {
        seen++;
        if (v === null || v === undefined) M.set(k, null);
        else throw new TypeError(`cannot assign '${describe(v)}' as child module '${k}' (torch.nn.Module or None expected)`);
      }
    }
    // an entry without its field was deleted (`delete this.fc1`): prune it
    // (one map at a time: an array literal of the three Map types makes tsc relate Parameter,
    // Tensor and Module structurally, which takes minutes and gigabytes)
    if (P.size + B.size + M.size > seen + this._noattr.size) {
      const prune = (map: Map<string, unknown>, buffers: boolean): void => {
        for (const k of map.keys()) {
          if (!Object.prototype.hasOwnProperty.call(this, k) && !this._noattr.has(k)) {
            map.delete(k);
            if (buffers) this._non_persistent_buffers_set.delete(k);
          }
        }
      };
      prune(P, false);
      prune(B, true);
      prune(M, false);
    }
  }

  /** @internal Sets the registry entry and the field that mirrors it. */
  _setEntry(map: Map<string, unknown>, name: string, value: unknown): void {
    map.set(name, value);
    if (name in this && !Object.prototype.hasOwnProperty.call(this, name)) {
      this._noattr.add(name);
    } else {
      Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    }
  }

  /**
   * Adds a buffer: state that is not a parameter (BatchNorm's running_mean). Persistent buffers are
   * part of state_dict.
   *
   * Args: name, tensor (Tensor | null), persistent (default true).
   */
  register_buffer(name: string, tensor: Tensor | null, persistent?: boolean): void;
  register_buffer(name: string, tensor: Tensor | null, options: { persistent?: boolean }): void;
  register_buffer(name: string, tensor: Tensor | null, p: boolean | { persistent?: boolean } = true): void {
    const persistent = typeof p === 'object' && p !== null ? p.persistent ?? true : p;
    this._sync();
    checkName('buffer', name, this, this._buffers.has(name));
    if (this._parameters.has(name) || this._modules.has(name)) throw new RangeError(`attribute '${name}' already exists`);
    if (tensor !== null && tensor !== undefined && !(tensor instanceof Tensor)) {
      throw new TypeError(`cannot assign '${describe(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    this._setEntry(this._buffers, name, tensor ?? null);
    if (persistent) this._non_persistent_buffers_set.delete(name);
    else this._non_persistent_buffers_set.add(name);
  }

  /** Adds a parameter (an nn.Parameter, or null) under `name`. */
  register_parameter(name: string, param: Parameter | null): void {
    this._sync();
    checkName('parameter', name, this, this._parameters.has(name));
    if (this._buffers.has(name) || this._modules.has(name)) throw new RangeError(`attribute '${name}' already exists`);
    if (param !== null && param !== undefined && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign '${describe(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    this._setEntry(this._parameters, name, param ?? null);
  }

  /** Adds a child module (or null) under `name`; it can then be read as `this[name]`. */
  add_module(name: string, module: Module | null): void {
    this._sync();
    if (module !== null && module !== undefined && !(module instanceof Module)) {
      throw new TypeError(`${describe(module)} is not a Module subclass`);
    }
    checkName('module', name, this, this._modules.has(name));
    if (this._parameters.has(name) || this._buffers.has(name)) throw new RangeError(`attribute '${name}' already exists`);
    this._setEntry(this._modules, name, module ?? null);
  }
  /** Alias of add_module. */
  register_module(name: string, module: Module | null): void {
    this.add_module(name, module);
  }

  /** The submodule at a dotted path ('net.0.fc'); '' is the module itself. */
  get_submodule(target: string): Module {
    if (target === '') return this;
    let mod: Module = this;
    for (const item of target.split('.')) {
      mod._sync();
      if (!mod._modules.has(item) && !(item in mod)) throw new TypeError(`${mod._get_name()} has no attribute \`${item}\``);
      const next = mod._modules.has(item) ? mod._modules.get(item) : (mod as any)[item];
      if (!(next instanceof Module)) throw new TypeError(`\`${item}\` is not an nn.Module`);
      mod = next;
    }
    return mod;
  }
  /** The parameter at a dotted path ('fc1.weight'). */
  get_parameter(target: string): Parameter {
    const i = target.lastIndexOf('.');
    const mod = this.get_submodule(i < 0 ? '' : target.slice(0, i));
    const name = target.slice(i + 1);
    mod._sync();
    if (!mod._parameters.has(name) && !(name in mod)) throw new TypeError(`${mod._get_name()} has no attribute \`${name}\``);
    const p = mod._parameters.has(name) ? mod._parameters.get(name) : (mod as any)[name];
    if (!(p instanceof Parameter)) throw new TypeError(`\`${name}\` is not an nn.Parameter`);
    return p;
  }
  /** The buffer at a dotted path ('bn.running_mean'). */
  get_buffer(target: string): Tensor {
    const i = target.lastIndexOf('.');
    const mod = this.get_submodule(i < 0 ? '' : target.slice(0, i));
    const name = target.slice(i + 1);
    mod._sync();
    if (!mod._buffers.has(name) && !(name in mod)) throw new TypeError(`${mod._get_name()} has no attribute \`${name}\``);
    const b = mod._buffers.get(name);
    if (!(b instanceof Tensor)) throw new TypeError(`\`${name}\` is not a buffer`);
    return b;
  }

  // ------------------------------------------------------------------ traversal

  /**
   * All modules of the tree as [name, module] pairs, this one first (name `prefix`).
   * Args: memo (Set, internal), prefix (''), remove_duplicate (true).
   */
  named_modules(memo?: Set<Module> | null, prefix?: string, remove_duplicate?: boolean): [string, Module][];
  named_modules(options: { memo?: Set<Module> | null; prefix?: string; remove_duplicate?: boolean }): [string, Module][];
  named_modules(...args: any[]): [string, Module][] {
    let memo: Set<Module> | null = null;
    let prefix = '';
    let remove_duplicate = true;
    const o = args.length && args[args.length - 1] && !(args[args.length - 1] instanceof Set) && typeof args[args.length - 1] === 'object' ? args.pop() : {};
    if (args[0] !== undefined) memo = args[0];
    if (args[1] !== undefined) prefix = args[1];
    if (args[2] !== undefined) remove_duplicate = args[2];
    if (o.memo !== undefined) memo = o.memo;
    if (o.prefix !== undefined) prefix = o.prefix;
    if (o.remove_duplicate !== undefined) remove_duplicate = o.remove_duplicate;
    const out: [string, Module][] = [];
    this._namedModules(memo ?? new Set(), prefix, remove_duplicate, out);
    return out;
  }
  /** @internal */
  _namedModules(memo: Set<Module>, prefix: string, dedup: boolean, out: [string, Module][]): void {
    if (dedup) {
      if (memo.has(this)) return;
      memo.add(this);
    }
    out.push([prefix, this]);
    this._sync();
    for (const [name, m] of this._modules) {
      if (m === null) continue;
      m._namedModules(memo, prefix ? `${prefix}.${name}` : name, dedup, out);
    }
  }
  /** All modules of the tree, this one first. */
  modules(): Module[] {
    return this.named_modules().map((e) => e[1]);
  }
  /** The direct children as [name, module] pairs (each module once). */
  named_children(): [string, Module][] {
    this._sync();
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [n, m] of this._modules) {
      if (m !== null && !seen.has(m)) {
        seen.add(m);
        out.push([n, m]);
      }
    }
    return out;
  }
  /** The direct children. */
  children(): Module[] {
    return this.named_children().map((e) => e[1]);
  }

  /** @internal */
  _namedMembers<T>(get: (m: Module) => Map<string, T | null>, prefix: string, recurse: boolean, dedup: boolean): [string, T][] {
    const mods: [string, Module][] = recurse ? this.named_modules(null, prefix, dedup) : [[prefix, this]];
    if (!recurse) this._sync();
    const seen = new Set<T>();
    const out: [string, T][] = [];
    for (const [mp, m] of mods) {
      for (const [k, v] of get(m)) {
        if (v === null || v === undefined) continue;
        if (dedup) {
          if (seen.has(v)) continue;
          seen.add(v);
        }
        out.push([mp ? `${mp}.${k}` : k, v]);
      }
    }
    return out;
  }
  /**
   * The parameters as [name, parameter] pairs ('fc1.weight' …).
   * Args: prefix (''), recurse (true: include submodules), remove_duplicate (true).
   */
  named_parameters(prefix?: string, recurse?: boolean, remove_duplicate?: boolean): [string, Parameter][];
  named_parameters(options: { prefix?: string; recurse?: boolean; remove_duplicate?: boolean }): [string, Parameter][];
  named_parameters(...args: any[]): [string, Parameter][] {
    const o = memberArgs(args);
    return this._namedMembers((m) => m._parameters, o.prefix, o.recurse, o.remove_duplicate);
  }
  /** The parameters (for an optimizer): `new optim.SGD(model.parameters(), {lr: 0.1})`. */
  parameters(recurse?: boolean): Parameter[];
  parameters(options: { recurse?: boolean }): Parameter[];
  parameters(r: boolean | { recurse?: boolean } = true): Parameter[] {
    const recurse = typeof r === 'object' && r !== null ? r.recurse ?? true : r;
    return this._namedMembers((m) => m._parameters, '', recurse, true).map((e) => e[1]);
  }
  /** The buffers as [name, tensor] pairs. Args: prefix, recurse, remove_duplicate. */
  named_buffers(prefix?: string, recurse?: boolean, remove_duplicate?: boolean): [string, Tensor][];
  named_buffers(options: { prefix?: string; recurse?: boolean; remove_duplicate?: boolean }): [string, Tensor][];
  named_buffers(...args: any[]): [string, Tensor][] {
    const o = memberArgs(args);
    return this._namedMembers((m) => m._buffers, o.prefix, o.recurse, o.remove_duplicate);
  }
  /** The buffers. */
  buffers(recurse?: boolean): Tensor[];
  buffers(options: { recurse?: boolean }): Tensor[];
  buffers(r: boolean | { recurse?: boolean } = true): Tensor[] {
    const recurse = typeof r === 'object' && r !== null ? r.recurse ?? true : r;
    return this._namedMembers((m) => m._buffers, '', recurse, true).map((e) => e[1]);
  }

  // ------------------------------------------------------------------ modes and conversion

  /** Sets training mode on this module and its descendants. Returns this. */
  train(mode: boolean | { mode?: boolean } = true): this {
    if (typeof mode === 'object' && mode !== null) mode = mode.mode ?? true;
    if (typeof mode !== 'boolean') throw new TypeError('training mode is expected to be boolean');
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }
  /** Sets evaluation mode (train(false)). Returns this. */
  eval(): this {
    return this.train(false);
  }
  /** Sets requires_grad on every parameter. Returns this. */
  requires_grad_(requires_grad: boolean | { requires_grad?: boolean } = true): this {
    if (typeof requires_grad === 'object' && requires_grad !== null) requires_grad = requires_grad.requires_grad ?? true;
    for (const p of this.parameters()) setRequiresGrad(p, requires_grad);
    return this;
  }
  /**
   * Resets the gradients of all parameters: to null (set_to_none, the default as in PyTorch 2.x),
   * or to zero.
   */
  zero_grad(set_to_none: boolean | { set_to_none?: boolean } = true): void {
    if (typeof set_to_none === 'object' && set_to_none !== null) set_to_none = set_to_none.set_to_none ?? true;
    for (const p of this.parameters()) {
      const g = getGrad(p);
      if (g === null) continue;
      if (set_to_none) setGrad(p, null);
      else {
        noGrad(() => (g as any).zero_());
      }
      g.dispose();
    }
  }

  /** Applies fn to every submodule (children first) and then to this module. Returns this. */
  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /**
   * @internal Applies fn to every parameter, gradient and buffer of the tree. Parameters keep their
   * identity (their data is replaced, as PyTorch's `param.data = fn(param)`), so optimizers built
   * before still hold them.
   */
  _apply(fn: (t: Tensor) => Tensor): this {
    for (const m of this.children()) m._apply(fn);
    this._sync();
    noGrad(() => {
      for (const p of this._parameters.values()) {
        if (p === null || is_lazy(p)) continue;
        const pa = fn(p);
        if (!sameImpl(pa, p)) setData(p, pa);
        if (pa !== p) pa.dispose();
        const g = getGrad(p);
        if (g !== null) {
          const ga = fn(g);
          if (!sameImpl(ga, g)) setData(g, ga);
          if (ga !== g) ga.dispose();
          g.dispose();
        }
      }
      for (const [k, b] of this._buffers) {
        if (b === null || is_lazy(b)) continue;
        const ba = fn(b);
        if (ba === b || sameImpl(ba, b)) {
          if (ba !== b) ba.dispose();
          continue;
        }
        this._setEntry(this._buffers, k, ba);
      }
    });
    return this;
  }

  /**
   * Moves and/or casts the parameters and buffers, in place: to(device), to(dtype), to(tensor),
   * to(device, dtype), to({device, dtype, non_blocking}). Only floating parameters and buffers
   * change dtype. Returns this.
   *
   * Example:
   *   model.to('cuda'); model.to(torch.float64);
   */
  to(...args: any[]): this {
    const { dev, dt, non_blocking } = parseTo(args);
    return this._apply((t) => {
      const target = dt !== null && (t.is_floating_point() || t.is_complex()) ? dt : null;
      if (target === null && dev === null) return t;
      return t.to({ device: dev, dtype: target, non_blocking });
    });
  }
  /** Moves every parameter and buffer to a CUDA device. */
  cuda(dev?: number | DeviceLike): this {
    const d = dev === undefined || dev === null ? 'cuda' : typeof dev === 'number' ? `cuda:${dev}` : deviceString(dev);
    return this.to(d);
  }
  /** Moves every parameter and buffer to the CPU. */
  cpu(): this {
    return this.to('cpu');
  }
  /** Casts every parameter and buffer to `dst_type`. */
  type(dst_type: dtype): this {
    return this._apply((t) => t.to(dst_type));
  }
  /** Casts floating parameters and buffers to float32. */
  float(): this {
    return this._apply((t) => (t.is_floating_point() ? t.to(float32) : t));
  }
  /** Casts floating parameters and buffers to float64. */
  double(): this {
    return this._apply((t) => (t.is_floating_point() ? t.to(float64) : t));
  }
  /** Casts floating parameters and buffers to float16. */
  half(): this {
    return this._apply((t) => (t.is_floating_point() ? t.to(float16) : t));
  }
  /** Casts floating parameters and buffers to bfloat16. */
  bfloat16(): this {
    return this._apply((t) => (t.is_floating_point() ? t.to(bfloat16) : t));
  }

  // ------------------------------------------------------------------ state_dict

  /** @internal Writes this module's own entries (not its children's). */
  _save_to_state_dict(destination: Record<string, Tensor>, prefix: string, keep_vars: boolean): void {
    for (const [k, p] of this._parameters) {
      if (p !== null) destination[prefix + k] = keep_vars || is_lazy(p) ? p : (p as any).detach();
    }
    for (const [k, b] of this._buffers) {
      if (b !== null && !this._non_persistent_buffers_set.has(k)) destination[prefix + k] = keep_vars || is_lazy(b) ? b : (b as any).detach();
    }
    const extra = (this as any).get_extra_state;
    if (typeof extra === 'function') destination[prefix + '_extra_state'] = extra.call(this);
  }

  /**
   * The module's state: a plain object from names ('fc1.weight', 'bn.running_mean' …) to tensors,
   * in PyTorch's order, with PyTorch's keys (so weights move between the two by name). Tensors are
   * detached aliases of the parameters (keep_vars: the parameters themselves). A non-enumerable
   * `_metadata` holds each module's version, as PyTorch's OrderedDict does.
   *
   * Args: destination (object to fill), prefix (''), keep_vars (false).
   */
  state_dict(destination?: Record<string, Tensor> | null, prefix?: string, keep_vars?: boolean): Record<string, Tensor>;
  state_dict(options: { destination?: Record<string, Tensor> | null; prefix?: string; keep_vars?: boolean }): Record<string, Tensor>;
  state_dict(...args: any[]): Record<string, Tensor> {
    let destination: Record<string, Tensor> | null = null;
    let prefix = '';
    let keep_vars = false;
    const last = args[args.length - 1];
    if (args.length && last && typeof last === 'object' && !Object.keys(last).some((k) => !['destination', 'prefix', 'keep_vars'].includes(k)) && (args.length > 1 || 'prefix' in last || 'keep_vars' in last || 'destination' in last)) {
      args.pop();
      if (last.destination !== undefined) destination = last.destination;
      if (last.prefix !== undefined) prefix = last.prefix;
      if (last.keep_vars !== undefined) keep_vars = last.keep_vars;
    }
    if (args[0] !== undefined && args[0] !== null) destination = args[0];
    if (args[1] !== undefined) prefix = args[1];
    if (args[2] !== undefined) keep_vars = args[2];
    if (destination === null) {
      destination = {};
      Object.defineProperty(destination, '_metadata', { value: {}, writable: true, enumerable: false, configurable: true });
    }
    this._stateDict(destination, prefix, keep_vars);
    return destination;
  }
  /** @internal */
  _stateDict(dest: Record<string, Tensor>, prefix: string, keep_vars: boolean): void {
    this._sync();
    const meta = (dest as any)._metadata;
    if (meta) meta[prefix.slice(0, -1)] = { version: (this.constructor as typeof Module)._version };
    this._save_to_state_dict(dest, prefix, keep_vars);
    for (const [name, m] of this._modules) if (m !== null) m._stateDict(dest, `${prefix}${name}.`, keep_vars);
    for (const hook of this._state_dict_hooks.values()) hook(this, dest, prefix, {});
  }
  /** Registers hook(module, state_dict, prefix, local_metadata) run after state_dict() fills this module's part. */
  _register_state_dict_hook(hook: Hook): RemovableHandle {
    const h = new RemovableHandle((id) => this._state_dict_hooks.delete(id));
    this._state_dict_hooks.set(h.id, hook);
    return h;
  }
  /** Registers hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs) run before loading. */
  _register_load_state_dict_pre_hook(hook: Hook): RemovableHandle {
    const h = new RemovableHandle((id) => this._load_state_dict_pre_hooks.delete(id));
    this._load_state_dict_pre_hooks.set(h.id, hook);
    return h;
  }

  /** @internal Copies this module's own entries from state_dict (PyTorch's _load_from_state_dict). */
  _load_from_state_dict(
    state_dict: Map<string, any>, prefix: string, local_metadata: Record<string, unknown>, strict: boolean,
    missing_keys: string[], unexpected_keys: string[], error_msgs: string[],
  ): void {
    for (const hook of this._load_state_dict_pre_hooks.values()) {
      hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs);
    }
    const local: [string, Tensor][] = [];
    for (const [k, p] of this._parameters) if (p !== null) local.push([k, p]);
    for (const [k, b] of this._buffers) if (b !== null && !this._non_persistent_buffers_set.has(k)) local.push([k, b]);
    for (const [name, param] of local) {
      const key = prefix + name;
      if (!state_dict.has(key)) {
        if (strict) missing_keys.push(key);
        continue;
      }
      const input = state_dict.get(key);
      if (!(input instanceof Tensor)) {
        error_msgs.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${describe(input)}`);
        continue;
      }
      if (is_lazy(input)) {
        error_msgs.push(`While copying the parameter named "${key}", the checkpoint holds an uninitialized parameter: run a forward pass on the lazy module before saving its state_dict.`);
        continue;
      }
      if (is_lazy(param)) {
        (param as any).materialize(input.shape, { dtype: input.dtype });
      }
      const ps = param.shape;
      const is = input.shape;
      const sameShape = ps.length === is.length && ps.every((d, i) => d === is[i]);
      // PyTorch accepts a 1-element 0-d/1-d mismatch only for legacy buffers; keep the strict rule.
      if (!sameShape) {
        error_msgs.push(
          `size mismatch for ${key}: copying a param with shape torch.Size([${is.join(', ')}]) from checkpoint, ` +
            `the shape in current model is torch.Size([${ps.join(', ')}]).`,
        );
        continue;
      }
      try {
        noGrad(() => (param as any).copy_(input));
      } catch (e) {
        error_msgs.push(
          `While copying the parameter named "${key}", whose dimensions in the model are torch.Size([${ps.join(', ')}]) ` +
            `and whose dimensions in the checkpoint are torch.Size([${is.join(', ')}]), an exception occurred : ${(e as Error).message}.`,
        );
      }
    }
    const setExtra = (this as any).set_extra_state;
    if (typeof setExtra === 'function') {
      const key = prefix + '_extra_state';
      if (state_dict.has(key)) setExtra.call(this, state_dict.get(key));
      else if (strict) missing_keys.push(key);
    }
    if (strict) {
      for (const key of state_dict.keys()) {
        if (!key.startsWith(prefix) || key === prefix + '_extra_state') continue;
        const input_name = key.slice(prefix.length).split('.', 1)[0];
        if (!this._modules.has(input_name) && !local.some(([n]) => n === input_name)) unexpected_keys.push(key);
      }
    }
  }

  /**
   * Copies parameters and buffers from `state_dict` (a plain object or a Map, e.g. torch.load's
   * result) into this module. With strict (default), missing or unexpected keys are an error.
   * Returns {missing_keys, unexpected_keys}.
   *
   * Example:
   *   model.load_state_dict(torch.load('model.pth'));
   */
  load_state_dict(state_dict: Record<string, any> | Map<string, any>, strict?: boolean): { missing_keys: string[]; unexpected_keys: string[] };
  load_state_dict(state_dict: Record<string, any> | Map<string, any>, options: { strict?: boolean }): { missing_keys: string[]; unexpected_keys: string[] };
  load_state_dict(state_dict: Record<string, any> | Map<string, any>, s: boolean | { strict?: boolean } = true): { missing_keys: string[]; unexpected_keys: string[] } {
    const strict = typeof s === 'object' && s !== null ? s.strict ?? true : s;
    let sd: Map<string, any>;
    let metadata: Record<string, any> = {};
    if (state_dict instanceof Map) {
      sd = state_dict;
      metadata = (state_dict as any)._metadata ?? {};
    } else if (state_dict !== null && typeof state_dict === 'object' && !(state_dict instanceof Tensor)) {
      sd = new Map(Object.entries(state_dict));
      metadata = (state_dict as any)._metadata ?? {};
    } else {
      throw new TypeError(`Expected state_dict to be dict-like, got ${describe(state_dict)}.`);
    }
    const missing_keys: string[] = [];
    const unexpected_keys: string[] = [];
    const error_msgs: string[] = [];
    const load = (m: Module, prefix: string): void => {
      m._sync();
      const local_metadata = metadata[prefix.slice(0, -1)] ?? {};
      m._load_from_state_dict(sd, prefix, local_metadata, true, missing_keys, unexpected_keys, error_msgs);
      for (const [name, child] of m._modules) if (child !== null) load(child, `${prefix}${name}.`);
    };
    load(this, '');
    if (strict) {
      if (unexpected_keys.length) error_msgs.unshift(`Unexpected key(s) in state_dict: ${unexpected_keys.map((k) => `"${k}"`).join(', ')}. `);
      if (missing_keys.length) error_msgs.unshift(`Missing key(s) in state_dict: ${missing_keys.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (error_msgs.length) {
      throw new TorchError(`Error(s) in loading state_dict for ${this._get_name()}:\n\t${error_msgs.join('\n\t')}`);
    }
    return { missing_keys, unexpected_keys };
  }

  // ------------------------------------------------------------------ printing

  /** @internal The class name shown in the printout. */
  _get_name(): string {
    return this.constructor.name;
  }
  /** The layer's own settings in the printout (`in_features=784, out_features=128, bias=True`). */
  extra_repr(): string {
    return '';
  }
  /** PyTorch's printout of the module tree. */
  toString(): string {
    this._sync();
    const extra = this.extra_repr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines: string[] = [];
    for (const [key, m] of this._modules) {
      childLines.push(`(${key}): ${addindent(m === null ? 'None' : m.toString(), 2)}`);
    }
    const lines = [...extraLines, ...childLines];
    let main = `${this._get_name()}(`;
    if (lines.length) {
      if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0];
      else main += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${main})`;
  }
  [inspectSymbol](): string {
    return this.toString();
  }

  /** True when any parameter or buffer of this module (not its children) is still uninitialized (lazy modules). */
  has_uninitialized_params(): boolean {
    this._sync();
    for (const p of this._parameters.values()) if (p !== null && is_lazy(p)) return true;
    for (const b of this._buffers.values()) if (b !== null && is_lazy(b)) return true;
    return false;
  }
}

function memberArgs(args: any[]): { prefix: string; recurse: boolean; remove_duplicate: boolean } {
  const out = { prefix: '', recurse: true, remove_duplicate: true };
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object') {
    args = args.slice(0, -1);
    for (const k of Object.keys(last)) {
      if (!(k in out)) throw new TypeError(`got an unexpected keyword argument '${k}' (valid arguments: prefix, recurse, remove_duplicate)`);
      if (last[k] !== undefined) (out as any)[k] = last[k];
    }
  }
  if (args[0] !== undefined) out.prefix = args[0];
  if (args[1] !== undefined) out.recurse = args[1];
  if (args[2] !== undefined) out.remove_duplicate = args[2];
  return out;
}

/**
 * The wiring of register_full_backward_hook: inputs and outputs pass through an identity
 * (view_as) so that their gradients are exactly the module's grad_input / grad_output; tensor hooks
 * on them collect the gradients and call the module hooks once every input gradient is known.
 */
class BackwardHookState {
  private grad_outputs: (Tensor | null)[] = [];
  private grad_inputs: (Tensor | null)[] = [];
  private inputIdx: number[] = [];
  private pending = 0;
  private nOut = 0;
  constructor(private readonly module: Module) {}

  private static hookable(t: unknown): t is Tensor {
    return t instanceof Tensor && requiresGrad(t);
  }
  private static registerHook(t: Tensor, fn: (g: Tensor) => Tensor | void): void {
    t.register_hook(fn);
  }

  setupInputs(args: any[]): any[] {
    const out = args.slice();
    for (let i = 0; i < args.length; i++) {
      if (BackwardHookState.hookable(args[i])) {
        const x = (args[i] as any).view_as(args[i]) as Tensor;
        const slot = this.grad_inputs.length;
        this.grad_inputs.push(null);
        this.inputIdx.push(i);
        BackwardHookState.registerHook(x, (g) => this.onGradInput(slot, g));
        out[i] = x;
      } else {
        this.grad_inputs.push(null);
      }
    }
    this.pending = this.inputIdx.length;
    return out;
  }

  setupOutputs(result: any): any {
    const outs = Array.isArray(result) ? result : [result];
    const wrapped = outs.map((t, j) => {
      if (!BackwardHookState.hookable(t)) return t;
      this.nOut++;
      this.grad_outputs[j] = null;
      const y = (t as any).view_as(t) as Tensor;
      BackwardHookState.registerHook(y, (g) => {
        this.grad_outputs[j] = g;
        if (this.pending === 0) this.fire();
      });
      return y;
    });
    return Array.isArray(result) ? wrapped : wrapped[0];
  }

  private onGradInput(slot: number, g: Tensor): Tensor | void {
    this.grad_inputs[slot] = g;
    this.pending--;
    if (this.pending > 0) return;
    const r = this.fire();
    if (r) {
      const v = r[slot];
      if (v instanceof Tensor) return v;
    }
  }

  private fire(): (Tensor | null)[] | null {
    let res: (Tensor | null)[] | null = null;
    for (const hook of this.module._backward_hooks.values()) {
      const r = hook(this.module, this.grad_inputs, this.grad_outputs);
      if (r !== undefined && r !== null) {
        res = Array.isArray(r) ? r : [r];
        this.grad_inputs = res;
      }
    }
    return res;
  }
}

export { Parameter, UninitializedParameter, RemovableHandle };
