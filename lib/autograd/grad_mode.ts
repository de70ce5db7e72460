/**
 * Grad-mode scopes: torch.no_grad, torch.enable_grad, torch.set_grad_enabled, torch.inference_mode.
 *
 * Each works two ways:
 * - as a scope function: `torch.no_grad(() => model.forward(x))` runs the function with the mode
 *   set and restores the previous mode afterwards (also when it throws);
 * - as a `using` guard: `{ using _ = torch.no_grad(); ... }` sets the mode now and restores it when
 *   the block ends (the guard's `[Symbol.dispose]`, also callable as `guard.exit()`).
 *
 * The modes are libtorch's thread-local c10::GradMode and c10::InferenceMode, so they apply to the
 * JS thread (each worker_thread has its own). The scope function must be synchronous: a mode cannot
 * follow an `await`, so passing an async function is a TypeError (use a guard around the awaited
 * code instead, knowing that other code running during the await sees the mode too).
 */
import { native } from '../binding';

// Symbol.dispose in vm contexts (jest), before class Tensor takes its [Symbol.dispose] key.
import '../_polyfill';

function checkSync(name: string, r: unknown): void {
  if (r !== null && (typeof r === 'object' || typeof r === 'function') && typeof (r as any).then === 'function') {
    throw new TypeError(
      `${name}() cannot be given an async function: the mode would not follow the await. ` +
        `Use \`using _ = torch.${name}()\` around synchronous code instead.`,
    );
  }
}

/** A grad-mode guard: restores the previous mode on `[Symbol.dispose]()` / `exit()`. */
export class GradModeGuard {
  private done = false;
  /** @internal */
  constructor(private readonly prev: boolean) {}
  /** Restores the grad mode that was in effect when the guard was made. Idempotent. */
  exit(): void {
    if (this.done) return;
    this.done = true;
    native._set_grad_enabled(this.prev);
  }
  [Symbol.dispose](): void {
    this.exit();
  }
}

/** An inference-mode guard (c10::InferenceMode). Guards must be exited in reverse order (LIFO). */
export class InferenceModeGuard {
  private done = false;
  /** @internal */
  constructor(private readonly depth: number) {}
  /** Leaves the inference-mode scope. Idempotent; RangeError when an inner guard is still open. */
  exit(): void {
    if (this.done) return;
    native._inference_mode_exit(this.depth);
    this.done = true;
  }
  [Symbol.dispose](): void {
    this.exit();
  }
}

function withGradMode<T>(name: string, mode: boolean, fn: (() => T) | undefined): T | GradModeGuard {
  if (fn === undefined || fn === null) return new GradModeGuard(native._set_grad_enabled(mode));
  if (typeof fn !== 'function') throw new TypeError(`${name}(): expected a function or nothing, got ${typeof fn}`);
  const prev = native._set_grad_enabled(mode);
  let r: T;
  try {
    r = fn();
  } finally {
    native._set_grad_enabled(prev);
  }
  checkSync(name, r);
  return r;
}

/**
 * torch.no_grad: disables gradient recording. Results computed inside have requires_grad=false,
 * even when the inputs require grad.
 *
 * Example:
 *   const y = torch.no_grad(() => x.mul(2));   // y.requires_grad === false
 *   { using _ = torch.no_grad(); const z = x.mul(2); }
 */
export function no_grad(): GradModeGuard;
export function no_grad<T>(fn: () => T): T;
export function no_grad<T>(fn?: () => T): T | GradModeGuard {
  return withGradMode('no_grad', false, fn);
}

/** torch.enable_grad: enables gradient recording (inside a no_grad scope, for instance). */
export function enable_grad(): GradModeGuard;
export function enable_grad<T>(fn: () => T): T;
export function enable_grad<T>(fn?: () => T): T | GradModeGuard {
  return withGradMode('enable_grad', true, fn);
}

/**
 * torch.set_grad_enabled(mode): sets gradient recording on or off now. The returned guard restores
 * the previous mode when disposed (`using _ = torch.set_grad_enabled(false)`); with a function,
 * `set_grad_enabled(mode, fn)` runs it under `mode` and restores the previous mode.
 *
 * Args:
 *   mode (boolean): whether to enable grad.
 */
export function set_grad_enabled(mode: boolean | { mode: boolean }): GradModeGuard;
export function set_grad_enabled<T>(mode: boolean, fn: () => T): T;
export function set_grad_enabled<T>(mode: boolean | { mode: boolean }, fn?: () => T): T | GradModeGuard {
  if (mode !== null && typeof mode === 'object') mode = mode.mode;
  if (typeof mode !== 'boolean') throw new TypeError(`set_grad_enabled(): argument 'mode' must be a boolean, not ${typeof mode}`);
  return withGradMode('set_grad_enabled', mode, fn);
}

/** torch.is_grad_enabled(): whether gradient recording is on for this thread. */
export function is_grad_enabled(): boolean {
  return native._is_grad_enabled();
}

/**
 * torch.inference_mode(mode = true): like no_grad, and also skips version counting and view
 * tracking (c10::InferenceMode). Tensors made inside are inference tensors: they cannot be used
 * in autograd later.
 *
 * Forms: `inference_mode(fn)`, `inference_mode(mode, fn)`, and as guards `inference_mode()`,
 * `inference_mode(false)`, `inference_mode({mode})`.
 *
 * Example:
 *   const y = torch.inference_mode(() => model.forward(x));
 */
export function inference_mode(mode?: boolean | { mode?: boolean }): InferenceModeGuard;
export function inference_mode<T>(fn: () => T): T;
export function inference_mode<T>(mode: boolean, fn: () => T): T;
export function inference_mode<T>(a?: boolean | { mode?: boolean } | (() => T), b?: () => T): T | InferenceModeGuard {
  let mode = true;
  let fn: (() => T) | undefined;
  if (typeof a === 'function') fn = a;
  else {
    if (typeof a === 'boolean') mode = a;
    else if (a !== undefined && a !== null) {
      if (typeof a !== 'object') throw new TypeError(`inference_mode(): argument 'mode' must be a boolean, not ${typeof a}`);
      if (a.mode !== undefined) mode = Boolean(a.mode);
    }
    if (b !== undefined && b !== null) {
      if (typeof b !== 'function') throw new TypeError(`inference_mode(): expected a function, got ${typeof b}`);
      fn = b;
    }
  }
  const depth: number = native._inference_mode_enter(mode);
  if (fn === undefined) return new InferenceModeGuard(depth);
  let r: T;
  try {
    r = fn();
  } finally {
    native._inference_mode_exit(depth);
  }
  checkSync('inference_mode', r);
  return r;
}

/** torch.is_inference_mode_enabled(): whether an inference_mode scope is active on this thread. */
export function is_inference_mode_enabled(): boolean {
  return native._is_inference_mode_enabled();
}
