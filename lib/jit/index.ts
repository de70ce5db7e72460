/**
 * torch.jit: TorchScript modules, run by libtorch's own JIT (torch::jit::load, torch::jit::Module,
 * its tracer, serializer, freezing and inference passes).
 *
 *   const m = torch.jit.load('model.pt');          // a model scripted or traced in Python
 *   const y = m(x);  m.embed(x);                    // forward and every exported method
 *   const z = await m.forward_async(x);             // on the libuv pool (eval mode)
 *   const t = torch.jit.trace(model, [x]);          // a torch-node module or function, traced
 *   torch.jit.save(t, 'traced.pt');                 // loads in Python's torch.jit.load
 *
 * Values cross as PyTorch converts IValues: Tensor ⇄ Tensor, int/float ⇄ number (a bigint is taken
 * as an int), bool ⇄ boolean, str ⇄ string, None/Optional ⇄ null (undefined is taken as None),
 * List and Tuple ⇄ Array, Dict[str, V] ⇄ plain object (other key types come back as a Map; a Map
 * or an object with numeric keys is taken for Dict[int, V]), a NamedTuple from an Array or
 * {field: value}, a module or object ⇄ ScriptModule. Arguments are converted to the types of the
 * method's schema; a value that does not fit, a missing method or a wrong argument count is a
 * TorchError with libtorch's schema message. Keyword arguments go in a trailing plain object whose
 * keys are all argument names of the method (unless that position takes a Dict).
 */
import { native } from '../binding';
import { Tensor } from '../tensor';
import { describe } from '../_utils';
import { dtype, float32, float64, float16, bfloat16 } from '../dtype';
import { device, deviceString } from '../device';
import { TorchError } from '../errors';
import { Module } from '../nn/module';
import { Parameter } from '../nn/parameter';
import * as ops from '../generated/ops';
import { noGrad } from '../nn/_autograd';

type External = object;
interface Members {
  type: string;
  is_module: boolean;
  training: boolean;
  parameters: [string[], number[]];
  buffers: [string[], number[]];
  children: [string[], External[]];
  attributes: string[];
  methods: string[];
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Argument names and types of each method (without self), read once per method per module type. */
const argCache = new Map<string, [string, string][]>();
function methodArgs(c: External, type: string, name: string): [string, string][] {
  const key = `${type}\0${name}`;
  let a = argCache.get(key);
  if (a === undefined) {
    a = parseSchemaArgs(native._jit_schema(c, name));
    argCache.set(key, a);
  }
  return a;
}

/** `name(Type self, Tensor x, int n=2, Dict(str, Tensor)? opts=None) -> ...` → [[x, Tensor], ...]. */
function parseSchemaArgs(schema: string): [string, string][] {
  const open = schema.indexOf('(');
  let depth = 0;
  let cur = '';
  const parts: string[] = [];
  for (let i = open + 1; i < schema.length; i++) {
    const ch = schema[i];
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') {
      if (depth === 0) break;
      depth--;
    }
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  const out: [string, string][] = [];
  for (const p of parts) {
    if (p === '*') continue;
    const decl = p.split('=')[0].trim();
    const sp = decl.lastIndexOf(' ');
    out.push([decl.slice(sp + 1), decl.slice(0, sp)]);
  }
  return out.slice(1);
}

/** Splits a call's arguments into positional ones and a trailing keyword object (see file comment). */
function splitArgs(c: External, type: string, name: string, args: any[]): [any[], Record<string, unknown> | null] {
  if (args.length === 0) return [args, null];
  const last = args[args.length - 1];
  if (!isPlain(last)) return [args, null];
  const sig = methodArgs(c, type, name);
  const keys = Object.keys(last);
  if (keys.length === 0 && args.length - 1 >= sig.length) return [args.slice(0, -1), {}];
  if (!keys.length || !keys.every((k) => sig.some((s) => s[0] === k))) return [args, null];
  const slot = sig[args.length - 1];
  if (slot !== undefined && /Dict|Any|\bt\b/.test(slot[1])) return [args, null];
  return [args.slice(0, -1), last];
}

function gradEnabled(): boolean {
  return native._async_grad_enabled();
}

const wrapTensor = (h: number): Tensor => new Tensor(h);

/**
 * torch.jit.ScriptModule: a TorchScript module (libtorch's torch::jit::Module) with the nn.Module
 * interface: callable, forward and every exported method (each also as `<name>_async`),
 * parameters/buffers/submodules registered as in PyTorch (so named_parameters, state_dict,
 * load_state_dict, zero_grad and torch.optim work on them), other attributes as properties (read
 * and written through the module), train()/eval(), to(device|dtype), code/graph printouts and
 * save(). Parameters are the module's own tensors: a backward through forward fills their .grad,
 * and an optimizer step updates what the module computes with.
 */
export class ScriptModule extends Module {
  /** Submodules, parameters, buffers, attributes and methods of the TorchScript module, by name. */
  [attr: string]: any;
  /** @internal the torch::jit::Module */
  declare _c: External;
  /** @internal the TorchScript class's qualified name */
  declare _type: string;
  /** @internal method names */
  declare _methods: string[];

  /** @internal Wraps a native module; use torch.jit.load or torch.jit.trace to make one. */
  constructor(c: External) {
    super();
    const m: Members = native._jit_members(c);
    const hide = (k: string, v: unknown): void => {
      Object.defineProperty(this, k, { value: v, writable: true, enumerable: false, configurable: true });
    };
    hide('_c', c);
    hide('_type', m.type);
    hide('_methods', m.methods);
    this.training = m.training;
    const [pn, ph] = m.parameters;
    for (let i = 0; i < pn.length; i++) {
      const p = new Tensor(ph[i]);
      Object.setPrototypeOf(p, Parameter.prototype);
      this._setEntry(this._parameters, pn[i], p as Parameter);
    }
    const [bn, bh] = m.buffers;
    for (let i = 0; i < bn.length; i++) this._setEntry(this._buffers, bn[i], new Tensor(bh[i]));
    const [cn, ch] = m.children;
    for (let i = 0; i < cn.length; i++) this._setEntry(this._modules, cn[i], new ScriptModule(ch[i]));
    for (const a of m.attributes) {
      if (a in this && !Object.prototype.hasOwnProperty.call(Module.prototype, a) && !(a in ScriptModule.prototype)) continue;
      Object.defineProperty(this, a, {
        get: () => native._jit_getattr(c, a),
        set: (v: unknown) => native._jit_setattr(c, a, v),
        enumerable: false,
        configurable: true,
      });
    }
    for (const name of m.methods) {
      if (name !== 'forward') hide(name, this._method(name));
      hide(`${name}_async`, (...args: any[]) => this._call_async(name, args));
    }
  }

  /** @internal A callable for method `name`, with code/graph/schema properties. */
  _method(name: string): (...args: any[]) => any {
    const fn = (...args: any[]): any => this._call(name, args);
    const c = this._c;
    Object.defineProperty(fn, 'name', { value: name });
    Object.defineProperties(fn, {
      code: { get: () => native._jit_code(c, name) },
      graph: { get: () => native._jit_graph(c, name, false) },
      schema: { get: () => native._jit_schema(c, name) },
    });
    return fn;
  }

  /** @internal */
  _call(name: string, args: any[]): any {
    const [pos, kw] = splitArgs(this._c, this._type, name, args);
    return native._jit_call(this._c, name, pos, kw);
  }

  /** @internal */
  _call_async(name: string, args: any[]): Promise<any> {
    try {
      for (const [n, sub] of this.named_modules()) {
        if (sub.training) {
          throw new TorchError(
            `${name}_async() needs eval mode: ${n === '' ? this._get_name() : `submodule '${n}' (${sub._get_name()})`} is in training mode. ` +
              'In training mode a forward may update module state (BatchNorm running stats), which concurrent calls would race on; call model.eval() first.',
          );
        }
      }
      const [pos, kw] = splitArgs(this._c, this._type, name, args);
      return new Promise((resolve, reject) => {
        native._jit_call_async(this._c, name, pos, kw, gradEnabled(), (err: Error | null, v: any) => (err ? reject(err) : resolve(v)));
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Runs the module's TorchScript forward (libtorch's interpreter) on the JS thread. */
  forward(...args: any[]): any {
    if (!this._methods.includes('forward')) throw new TorchError(`'${this._type}' object has no attribute or method 'forward'`);
    return this._call('forward', args);
  }

  /**
   * Runs forward on the libuv thread pool and resolves to its result (torch-node's addition, the
   * serving path for Python-trained models). Eval mode only, as nn.Module.forward_async; inputs
   * are converted when called, so they may be disposed once this returns. Concurrent calls are
   * safe. Forward hooks are not run (as the synchronous `m.forward(x)`).
   */
  forward_async(...args: any[]): Promise<any> {
    return this._call_async('forward', args);
  }

  /** The names of the module's TorchScript methods (forward and the exported ones). */
  _method_names(): string[] {
    return [...this._methods];
  }

  /** forward's TorchScript source (PyTorch's `module.code`). */
  get code(): string {
    return native._jit_code(this._c, 'forward');
  }
  /** forward's graph IR (PyTorch's `module.graph`). */
  get graph(): string {
    return native._jit_graph(this._c, 'forward', false);
  }
  /** forward's graph with calls to submodules inlined (PyTorch's `module.inlined_graph`). */
  get inlined_graph(): string {
    return native._jit_graph(this._c, 'forward', true);
  }
  /** The TorchScript class name the module was compiled from (PyTorch's `original_name`). */
  get original_name(): string {
    return baseName(this._type);
  }

  _get_name(): string {
    return baseName(this._type);
  }

  /** Sets training mode on this module and its descendants (libtorch's Module::train). */
  train(mode: boolean | { mode?: boolean } = true): this {
    if (typeof mode === 'object' && mode !== null) mode = mode.mode ?? true;
    if (typeof mode !== 'boolean') throw new TypeError('training mode is expected to be boolean');
    native._jit_train(this._c, mode);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /**
   * Moves and/or casts the parameters and buffers in place (libtorch's Module::to): to(device),
   * to(dtype), to(device, dtype), to({device, dtype, non_blocking}). Parameter and buffer tensors
   * keep their identity. Returns this.
   */
  to(...args: any[]): this {
    let dev: string | null = null;
    let dt: dtype | null = null;
    let nb = false;
    for (const a of args) {
      if (a === undefined || a === null) continue;
      if (a instanceof dtype) dt = a;
      else if (a instanceof Tensor) {
        dev = deviceString(a.device);
        dt = a.dtype;
      } else if (typeof a === 'string' || a instanceof device) dev = deviceString(a);
      else if (typeof a === 'boolean') nb = a;
      else if (isPlain(a)) {
        if (a.device != null) dev = deviceString(a.device as any);
        if (a.dtype != null) dt = a.dtype as dtype;
        if (a.non_blocking !== undefined) nb = Boolean(a.non_blocking);
      } else throw new TypeError(`to() received an invalid argument: ${describe(a)}`);
    }
    if (dt !== null && !(dt instanceof dtype)) throw new TypeError(`to(): argument 'dtype' must be torch.dtype, not ${describe(dt)}`);
    if (dt !== null && !(dt.is_floating_point || dt.is_complex)) throw new TypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${dt}`);
    native._jit_to(this._c, dev, dt === null ? null : dt._code, nb);
    return this;
  }
  float(): this {
    return this.to(float32);
  }
  double(): this {
    return this.to(float64);
  }
  half(): this {
    return this.to(float16);
  }
  bfloat16(): this {
    return this.to(bfloat16);
  }
  type(dst_type: dtype): this {
    return this.to(dst_type);
  }

  /** Saves the module as a TorchScript archive (torch.jit.save(this, f)). */
  save(f: string | { write(b: Uint8Array): unknown }, _extra_files?: Record<string, string | Uint8Array>): void {
    save(this, f, _extra_files);
  }

  toString(): string {
    return `RecursiveScriptModule(original_name=${baseName(this._type)})`;
  }
}

function baseName(qualified: string): string {
  const parts = qualified.split('.').filter((p) => !/^___torch_mangle_\d+$/.test(p));
  return parts[parts.length - 1] ?? qualified;
}

const wrapModule = (c: External): ScriptModule => new ScriptModule(c);
native._jit_init(Tensor, wrapTensor, wrapModule);

export type MapLocation = string | device | null | undefined;

/**
 * torch.jit.load(f, map_location=None, _extra_files=None): loads a TorchScript archive written by
 * torch.jit.save (Python's or torch-node's) and returns a ScriptModule.
 *
 * Args:
 *   f (string | Uint8Array): a path, or the archive's bytes.
 *   map_location (string | torch.device): device to put the tensors on (default: where saved).
 *   _extra_files (object): names to read from the archive's extra/ folder; their contents are
 *     written back into the object as Buffers.
 *
 * Example:
 *   const m = torch.jit.load('model.pt', { map_location: 'cpu' });
 *   const y = m(torch.randn(1, 3, 224, 224));
 */
export function load(f: string | Uint8Array, map_location?: MapLocation | { map_location?: MapLocation; _extra_files?: Record<string, unknown> }, _extra_files?: Record<string, unknown> | null): ScriptModule {
  if (isPlain(map_location) && !(map_location instanceof device)) {
    const o = map_location as { map_location?: MapLocation; _extra_files?: Record<string, unknown> };
    for (const k of Object.keys(o)) if (k !== 'map_location' && k !== '_extra_files') throw new TypeError(`load() got an unexpected keyword argument '${k}'`);
    _extra_files = o._extra_files ?? _extra_files;
    map_location = o.map_location;
  }
  let loc: string | null = null;
  if (map_location !== undefined && map_location !== null) {
    if (typeof map_location !== 'string' && !(map_location instanceof device)) {
      throw new TypeError(`torch.jit.load(): map_location must be a string or torch.device, not ${describe(map_location)}`);
    }
    loc = deviceString(map_location as any);
  }
  if (typeof f !== 'string' && !(f instanceof Uint8Array)) throw new TypeError(`torch.jit.load(): argument 'f' must be a path or a Buffer, not ${describe(f)}`);
  const names = _extra_files ? Object.keys(_extra_files) : null;
  let c: any, files: any;
  try {
    [c, files] = native._jit_load(f, loc, names);
  } catch (e) {
    // libtorch's importer trusts the archive's pickles: a malformed one fails one of its internal
    // asserts ("isInt() INTERNAL ASSERT FAILED ... please report a bug"). That is a bad file, not
    // a bug to report: say so, and keep libtorch's check.
    if (!(e instanceof TorchError)) throw e;
    const m = /^(.*?) INTERNAL ASSERT FAILED at "([^"]*)":(\d+)/.exec(e.message);
    const what = m ? `its contents fail libtorch's check ${m[1]} (${m[2].replace(/^.*\//, '')}:${m[3]})`
      : e.message.trim() === '' ? "libtorch's importer stopped without a message"
        : /_M_range_check|basic_string|^std::/.test(e.message) ? `an index in it is out of range (${e.message.trim()})` : null;
    if (what === null) throw e;
    throw new TorchError(`torch.jit.load(): the file is not a valid TorchScript archive: ${what}`);
  }
  if (_extra_files) for (const k of Object.keys(files)) _extra_files[k] = files[k];
  return new ScriptModule(c);
}

/**
 * torch.jit.save(m, f, _extra_files=None): writes `m` as a TorchScript archive that PyTorch's
 * torch.jit.load reads. f: a path, or an object with write(Buffer) (a stream).
 */
export function save(m: ScriptModule, f: string | { write(b: Uint8Array): unknown }, _extra_files?: Record<string, string | Uint8Array> | null): void {
  if (!(m instanceof ScriptModule)) {
    throw new TypeError(`torch.jit.save(): expected a ScriptModule (from torch.jit.load or torch.jit.trace), not ${(m as any) instanceof Module ? (m as any)._get_name() : describe(m)}`);
  }
  if (typeof f === 'string') native._jit_save(m._c, f, _extra_files ?? null);
  else if (f !== null && typeof f === 'object' && typeof (f as any).write === 'function') f.write(native._jit_save(m._c, null, _extra_files ?? null));
  else throw new TypeError(`torch.jit.save(): argument 'f' must be a path or a writable stream, not ${describe(f)}`);
}

export interface TraceOptions {
  /** Re-run the inputs through the traced module and compare with the original (default true). */
  check_trace?: boolean;
  /** Tolerance of that check (relative and absolute; default 1e-5). */
  check_tolerance?: number;
  /** Passed to the tracer: refuse mutable containers as outputs (default true). */
  strict?: boolean;
}

/**
 * torch.jit.trace(func, example_inputs, {check_trace, check_tolerance, strict}): runs `func` (a
 * torch-node nn.Module or a function of tensors) once under libtorch's tracer and returns a
 * ScriptModule whose forward replays the recorded ops. A module's parameters and buffers become
 * the traced module's (same names, same tensors); any other tensor the function reads is recorded
 * as a constant. Outputs: a Tensor, or an Array of Tensors (a tuple). As in PyTorch, control flow
 * and non-tensor values are fixed at trace time.
 *
 * Example:
 *   const traced = torch.jit.trace(model, [torch.randn(1, 784)]);
 *   torch.jit.save(traced, 'mlp.pt');   // Python: torch.jit.load('mlp.pt')
 */
export function trace(func: Module | ((...xs: Tensor[]) => Tensor | Tensor[]), example_inputs: Tensor | Tensor[], options: TraceOptions = {}): ScriptModule {
  if (typeof func !== 'function') throw new TypeError(`torch.jit.trace(): argument 'func' must be an nn.Module or a function, not ${describe(func)}`);
  if (func instanceof ScriptModule) return func;
  const inputs = example_inputs instanceof Tensor ? [example_inputs] : example_inputs;
  if (!Array.isArray(inputs) || !inputs.every((t) => t instanceof Tensor)) {
    throw new TypeError('torch.jit.trace(): example_inputs must be a Tensor or an array of Tensors');
  }
  const check = options.check_trace ?? true;
  const tol = options.check_tolerance ?? 1e-5;
  const names: string[] = [];
  const state: Tensor[] = [];
  const isParam: boolean[] = [];
  if (func instanceof Module) {
    for (const [n, p] of func.named_parameters()) {
      names.push(n);
      state.push(p);
      isParam.push(true);
    }
    for (const [n, b] of func.named_buffers()) {
      names.push(n);
      state.push(b);
      isParam.push(false);
    }
  }
  const tupleOut = [false];
  const flatten = (out: unknown): Tensor[] => {
    if (out instanceof Tensor) return [out];
    if (Array.isArray(out) && out.every((t) => t instanceof Tensor)) {
      tupleOut[0] = true;
      return out;
    }
    throw new TypeError(`torch.jit.trace(): the traced function must return a Tensor or an array of Tensors, not ${describe(out)}`);
  };
  const call = (): unknown => (func as any)(...inputs);
  const c = native._jit_trace(() => flatten(call()).map((t) => t._h), inputs.map((t) => t._h), names, state.map((t) => t._h), isParam, tupleOut, options.strict ?? true, func instanceof Module ? func.named_modules().map(([n, sub]) => [n, sub._get_name()]) : null);
  const m = new ScriptModule(c);
  if (func instanceof Module) {
    // the traced tree mirrors the module paths that hold state: copy their training flags, in
    // pre-order (each _jit_train also sets the descendants, which come later)
    for (const [n, sub] of m.named_modules()) {
      let orig: Module | null = func;
      if (n !== '') {
        try {
          orig = func.get_submodule(n);
        } catch {
          orig = null;
        }
      }
      const mode = orig ? orig.training : func.training;
      native._jit_train((sub as ScriptModule)._c, mode);
      for (const d of sub.modules()) d.training = mode;
    }
  } else {
    m.eval();
  }
  if (check) {
    const a = flatten(noGrad(() => call()));
    const got = noGrad(() => m(...inputs));
    const b = got instanceof Tensor ? [got] : (got as Tensor[]);
    for (let i = 0; i < a.length; i++) {
      if (!(b[i] instanceof Tensor) || !ops.allclose(a[i], b[i], tol, tol, true)) {
        throw new TorchError(
          `torch.jit.trace: Tracing failed sanity checks! ERROR: Graphs differed across invocations: output ${i} of the traced module does not match the function's ` +
            '(the function may depend on something other than its tensor inputs, e.g. randomness or data-dependent control flow); pass {check_trace: false} to skip this check',
        );
      }
    }
  }
  return m;
}

/**
 * torch.jit.script: compiles Python source in PyTorch. torch-node cannot compile JavaScript to
 * TorchScript; a ScriptModule is returned as is, anything else is refused with a TorchError that
 * points to torch.jit.trace.
 */
export function script(obj: unknown): ScriptModule {
  if (obj instanceof ScriptModule) return obj;
  throw new TorchError(
    'torch.jit.script cannot compile JavaScript: TorchScript is a subset of Python. Use torch.jit.trace(module, example_inputs) ' +
      'to record a torch-node module or function, or script the model in Python and load it with torch.jit.load(path).',
  );
}

/**
 * torch.jit.freeze(mod, preserved_attrs=None, optimize_numerics=true): a copy of an eval-mode
 * module with its parameters and attributes inlined as constants and the graph optimized
 * (libtorch's torch::jit::freeze). Methods other than forward are kept only if named in
 * preserved_attrs.
 */
export function freeze(mod: ScriptModule, preserved_attrs?: string[] | null, optimize_numerics = true): ScriptModule {
  if (!(mod instanceof ScriptModule)) throw new TypeError(`torch.jit.freeze(): expected a ScriptModule, not ${describe(mod)}`);
  return new ScriptModule(native._jit_freeze(mod._c, preserved_attrs ?? null, optimize_numerics));
}

/**
 * torch.jit.optimize_for_inference(mod, other_methods=None): freezes the module (if not frozen)
 * and runs libtorch's inference passes (conv/batchnorm folding, MKLDNN layouts where built).
 */
export function optimize_for_inference(mod: ScriptModule, other_methods?: string[] | null): ScriptModule {
  if (!(mod instanceof ScriptModule)) throw new TypeError(`torch.jit.optimize_for_inference(): expected a ScriptModule, not ${describe(mod)}`);
  return new ScriptModule(native._jit_optimize_for_inference(mod._c, other_methods ?? null));
}

/**
 * torch.jit.set_fusion_strategy(strategy): the fuser's specialization policy, a list of
 * ['STATIC' | 'DYNAMIC', depth] pairs. Returns the previous strategy.
 */
export function set_fusion_strategy(strategy: [('STATIC' | 'DYNAMIC'), number][]): [string, number][] {
  return native._jit_set_fusion_strategy(strategy);
}

/** torch.jit.is_scripting(): false outside TorchScript (always, in JS). */
export function is_scripting(): boolean {
  return false;
}

export { ScriptModule as RecursiveScriptModule };
