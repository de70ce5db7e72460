/**
 * Disposal scopes: tidy() (tfjs's), dispose_scope() for `using` (TorchSharp's DisposeScope), and
 * dispose()/live_tensors(). Each Tensor records itself in the innermost open scope when it is
 * created (lib/tensor.ts keeps the stack, `_scopes`); closing a scope disposes what it recorded,
 * except the tensors kept, which move to the enclosing scope.
 */
import { native } from './binding';
import { Tensor, _scopes as scopes } from './tensor';
import { describe } from './_utils';

/**
 * The DisposeScope behind each open dispose_scope() list (tidy's lists have none), held weakly so
 * that an abandoned scope can be collected (see `abandoned`).
 */
const owners = new Map<Tensor[], WeakRef<DisposeScope>>();

/**
 * Closes the scope `list` and every scope opened after it that is still open (a dispose_scope()
 * left undisposed inside a tidy() or another scope is closed with it, and reported): disposes
 * their tensors except `keep`, which move to the enclosing scope.
 */
function closeFrom(list: Tensor[], keep: Set<Tensor>): void {
  const i = scopes.lastIndexOf(list);
  const closing = i >= 0 ? scopes.splice(i) : [list];
  for (let k = closing.length - 1; k >= 0; k--) {
    const l = closing[k];
    const owner = owners.get(l);
    if (owner !== undefined && l !== list) {
      owner.deref()?._closedBy();
      process.emitWarning('a torch.dispose_scope() opened inside another scope was not disposed; it is closed with the enclosing scope', 'TorchScopeWarning');
    }
    owners.delete(l);
    closeScope(l, keep);
  }
}

/**
 * Runs `fn` and disposes every tensor created inside it, except the tensors found in its
 * return value (a Tensor, or arrays, plain objects, Maps, Sets and nn.Modules holding tensors, at
 * any depth), which move to the enclosing scope. Like tfjs's tidy and TorchSharp's DisposeScope.
 * A dispose_scope() opened inside `fn` and not disposed is closed with it.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`tidy(): argument 'fn' must be a function, not ${describe(fn)}`);
  const scope: Tensor[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    closeFrom(scope, new Set());
    throw e;
  }
  if (result && typeof (result as any).then === 'function') {
    closeFrom(scope, new Set());
    throw new TypeError('tidy() cannot be given an async function: tensors would be freed while the promise is pending');
  }
  const keep = new Set<Tensor>();
  collectTensors(result, keep, true);
  closeFrom(scope, keep);
  return result;
}

/**
 * Open dispose_scope()s whose object was collected without dispose() (an exception thrown between
 * dispose_scope() and dispose(), outside `using`): their lists leave the stack, so later tensors
 * are no longer recorded in them, and the leak is reported. Their tensors are left to GC: code
 * after the throw may still be using them.
 */
const abandoned = new FinalizationRegistry<Tensor[]>((list) => {
  const i = scopes.lastIndexOf(list);
  if (i < 0) return;
  scopes.splice(i, 1);
  owners.delete(list);
  process.emitWarning('a torch.dispose_scope() was never disposed (use `using`, or call dispose() in a finally block); its tensors are left to GC', 'TorchScopeWarning');
});

/**
 * A disposal scope for `using`: every tensor created until the scope is disposed is freed then,
 * except those passed to `keep()`.
 *   { using scope = torch.dispose_scope(); const y = f(x); out = scope.keep(y); }
 */
export class DisposeScope {
  private readonly list: Tensor[] = [];
  private readonly kept = new Set<Tensor>();
  private open = true;
  constructor() {
    scopes.push(this.list);
    owners.set(this.list, new WeakRef(this));
    abandoned.register(this, this.list, this);
  }
  /** Keeps `value`'s tensors alive past the scope (they move to the enclosing scope). */
  keep<T>(value: T): T {
    collectTensors(value, this.kept, true);
    return value;
  }
  dispose(): void {
    if (!this.open) return;
    this.open = false;
    abandoned.unregister(this);
    closeFrom(this.list, this.kept);
  }
  /** @internal Marks the scope closed by an enclosing scope. */
  _closedBy(): void {
    this.open = false;
    abandoned.unregister(this);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}
/** torch.dispose_scope(): see {@link DisposeScope}. */
export function dispose_scope(): DisposeScope {
  return new DisposeScope();
}

/**
 * Adds the tensors held by `v` to `out`: a Tensor, arrays, plain objects, Maps (keys and values)
 * and Sets, at any depth (each container is visited once, so cycles end), and with `modules`, an
 * nn.Module's parameters and buffers (recognized by its methods: nn sits above this module).
 */
function collectTensors(v: unknown, out: Set<Tensor>, modules = false): void {
  const seen = new Set<object>();
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    // (Modules are callable objects: typeof 'function')
    if (x === null || (typeof x !== 'object' && typeof x !== 'function')) continue;
    if (x instanceof Tensor) {
      out.add(x);
      continue;
    }
    if (seen.has(x)) continue;
    seen.add(x);
    if (Array.isArray(x)) for (const e of x) stack.push(e);
    else if (x instanceof Map) for (const [k, e] of x) stack.push(k, e);
    else if (x instanceof Set) for (const e of x) stack.push(e);
    else {
      const proto = Object.getPrototypeOf(x);
      if (typeof x === 'object' && (proto === Object.prototype || proto === null)) for (const e of Object.values(x)) stack.push(e);
      else if (modules && typeof (x as any).parameters === 'function' && typeof (x as any).buffers === 'function' && typeof (x as any).named_modules === 'function') {
        for (const t of (x as any).parameters()) out.add(t);
        for (const t of (x as any).buffers()) out.add(t);
      }
    }
  }
}

/** Disposes a closed scope's tensors except `keep`; kept tensors it made move to the enclosing scope. */
function closeScope(list: Tensor[], keep: Set<Tensor>): void {
  const kept = keptHandles(keep);
  disposeAllExcept(list, kept);
  if (scopes.length) {
    const outer = scopes[scopes.length - 1];
    for (const t of list) if (t._h >= 0 && kept.has(t._h)) outer.push(t);
  }
}

/**
 * The native handles of the tensors to keep. Scopes compare handles, not JS objects: an
 * nn.Parameter made from a tensor created in the scope is another object over the same handle.
 */
function keptHandles(keep: Set<Tensor>): Set<number> {
  const hs = new Set<number>();
  for (const t of keep) if (t._h >= 0) hs.add(t._h);
  return hs;
}

function disposeAllExcept(list: Tensor[], keep: Set<number>): void {
  const hs: number[] = [];
  for (const t of list) {
    if (t._h >= 0 && !keep.has(t._h)) {
      hs.push(t._h);
      t._h = -1;
    }
  }
  if (hs.length) native._free_many(hs);
}

/**
 * @internal Removes `t` from every open tidy()/dispose_scope() scope, so that long-lived state made
 * while a scope is open (optimizer state) is not freed when the scope ends.
 */
export function _keep_alive(t: Tensor): void {
  for (const s of scopes) {
    const i = s.lastIndexOf(t);
    if (i >= 0) s.splice(i, 1);
  }
}

/** Disposes every tensor found in `value` (a Tensor, arrays or plain objects of them). */
export function dispose(value: unknown): void {
  const s = new Set<Tensor>();
  collectTensors(value, s);
  for (const t of s) t.dispose();
}

/** The number of tensors alive in native memory and their bytes (torch-node's addition). */
export function live_tensors(): { count: number; bytes: number } {
  const [count, bytes] = native._live();
  return { count, bytes };
}
