/**
 * torch.autocast: mixed precision over libtorch's autocast state (thread-local: it applies to the
 * ops run synchronously on the JS thread).
 *
 *   // a scope function
 *   const y = torch.autocast('cpu', {dtype: torch.bfloat16}, () => model.forward(x));
 *   // a guard for `using`
 *   { using _ac = torch.autocast('cuda'); loss = model.forward(x); }
 */
import { native } from '../binding';
import { dtype, dtypeFromCode, bfloat16 } from '../dtype';

export interface AutocastOptions {
  /** the lower precision: float16 (cuda default) or bfloat16 (cpu default, the only one CPU supports) */
  dtype?: dtype | null;
  /** false turns autocast off inside the scope (default true) */
  enabled?: boolean;
  /** cache casts of leaf tensors inside the scope (default: torch.is_autocast_cache_enabled()) */
  cache_enabled?: boolean | null;
}

/** An entered autocast region; leave it with exit() or `using`. */
export class AutocastMode {
  readonly device_type: string;
  readonly fast_dtype: dtype;
  private prev: [boolean, number, boolean] | null;
  /** @internal use torch.autocast() */
  constructor(device_type: string, opts: AutocastOptions = {}) {
    if (device_type !== 'cpu' && device_type !== 'cuda') {
      throw new RangeError(`User specified an unsupported autocast device_type '${device_type}'`);
    }
    for (const k of Object.keys(opts)) {
      if (!['dtype', 'enabled', 'cache_enabled'].includes(k)) throw new TypeError(`autocast() got an unexpected keyword argument '${k}'`);
    }
    let enabled = opts.enabled ?? true;
    if (typeof enabled !== 'boolean') throw new TypeError("autocast(): argument 'enabled' must be bool");
    const [, code] = native._autocast_state(device_type);
    let fast = dtypeFromCode(code);
    if (opts.dtype !== undefined && opts.dtype !== null) {
      if (!(opts.dtype instanceof dtype)) throw new TypeError("autocast(): argument 'dtype' must be torch.dtype");
      fast = opts.dtype;
    }
    const cache = opts.cache_enabled ?? is_autocast_cache_enabled();
    if (device_type === 'cuda' && enabled && !native._cuda_info()[0]) {
      process.emitWarning("User provided device_type of 'cuda', but CUDA is not available. Disabling", 'UserWarning');
      enabled = false;
    }
    if (device_type === 'cpu' && fast !== bfloat16 && enabled) {
      process.emitWarning(
        'In CPU autocast, but the target dtype is not supported. Disabling autocast.\nCPU Autocast only supports dtype of torch.bfloat16 currently.',
        'UserWarning',
      );
      enabled = false;
      fast = dtypeFromCode(code); // libtorch refuses to hold a non-bfloat16 CPU dtype
    }
    if (device_type === 'cuda' && enabled && fast === bfloat16) {
      const cap = native._cuda_get_device_capability(null);
      if (cap[0] < 8) throw new Error('Current CUDA Device does not support bfloat16. Please switch dtype to float16.');
    }
    this.device_type = device_type;
    this.fast_dtype = fast;
    this.prev = native._autocast_enter(device_type, enabled, fast._code, Boolean(cache));
  }
  /** Leaves the region, restoring the previous autocast state. Idempotent. */
  exit(): void {
    if (!this.prev) return;
    const [en, code, cache] = this.prev;
    this.prev = null;
    native._autocast_exit(this.device_type, en, code, cache);
  }
  [Symbol.dispose](): void {
    this.exit();
  }
}

/**
 * torch.autocast(device_type, {dtype, enabled, cache_enabled}, fn?): with `fn`, runs it with
 * autocast on and returns its result; without, returns an entered {@link AutocastMode} for `using`.
 *
 * Args:
 *   device_type: 'cuda' or 'cpu'.
 *   dtype: float16 (cuda default) or bfloat16.
 *   enabled: whether autocasting is on in the region (default true).
 *   cache_enabled: whether casts of leaf tensors are cached in the region.
 */
export function autocast<T>(device_type: string, opts: AutocastOptions | undefined, fn: () => T): T;
export function autocast<T>(device_type: string, fn: () => T): T;
export function autocast(device_type: string, opts?: AutocastOptions): AutocastMode;
export function autocast(device_type: string, a?: any, b?: any): any {
  const fn = typeof a === 'function' ? a : b;
  const opts = typeof a === 'function' ? {} : a ?? {};
  const mode = new AutocastMode(device_type, opts);
  if (typeof fn !== 'function') return mode;
  let r: any;
  try {
    r = fn();
  } finally {
    mode.exit();
  }
  if (r && typeof r.then === 'function') {
    throw new TypeError('autocast() cannot be given an async function: the autocast state would leak into other code while it waits');
  }
  return r;
}

/** Whether CUDA autocast is on (torch.is_autocast_enabled). */
export function is_autocast_enabled(): boolean {
  return native._autocast_state('cuda')[0];
}
/** Whether CPU autocast is on. */
export function is_autocast_cpu_enabled(): boolean {
  return native._autocast_state('cpu')[0];
}
/** The CUDA autocast dtype (float16 by default). */
export function get_autocast_gpu_dtype(): dtype {
  return dtypeFromCode(native._autocast_state('cuda')[1]);
}
/** The CPU autocast dtype (bfloat16 by default). */
export function get_autocast_cpu_dtype(): dtype {
  return dtypeFromCode(native._autocast_state('cpu')[1]);
}
/** Whether autocast caches casts of leaf tensors. */
export function is_autocast_cache_enabled(): boolean {
  return native._autocast_state('cpu')[2];
}
