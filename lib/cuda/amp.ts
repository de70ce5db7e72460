/**
 * torch.cuda.amp (GradScaler, autocast) and torch.amp.GradScaler: PyTorch's dynamic loss scaling
 * (torch/cuda/amp/grad_scaler.py, same rules, messages and state_dict keys) over the ATen ops
 * _amp_foreach_non_finite_check_and_unscale_ and _amp_update_scale_ (native/cuda/cuda.cc).
 */
import { native } from '../binding';
import { Tensor } from '../tensor';
import { float32, float16, int32 } from '../dtype';
import { full } from '../generated/ops';
import { autocast as torchAutocast, AutocastMode, AutocastOptions } from './autocast';

/** What GradScaler needs of an optimizer: its parameter groups and step(). */
export interface OptimizerLike {
  param_groups: { params: Tensor[] }[];
  step(...args: any[]): any;
}

const READY = 0, UNSCALED = 1, STEPPED = 2;
interface OptState {
  stage: number;
  found_inf_per_device: Map<string, Tensor>;
}

export interface GradScalerOptions {
  init_scale?: number;
  growth_factor?: number;
  backoff_factor?: number;
  growth_interval?: number;
  enabled?: boolean;
}

/**
 * Dynamic loss scaling for mixed-precision training (torch.amp.GradScaler).
 *
 * Args:
 *   device: 'cuda' (torch.cuda.amp.GradScaler) or 'cpu'.
 *   init_scale (2**16), growth_factor (2.0), backoff_factor (0.5), growth_interval (2000), enabled (true).
 *
 * Example:
 *   const scaler = new torch.cuda.amp.GradScaler();
 *   scaler.scale(loss).backward(); scaler.step(opt); scaler.update();
 */
export class GradScaler {
  private _enabled: boolean;
  private readonly _device: string;
  private _init_scale: number;
  private _growth_factor: number;
  private _backoff_factor: number;
  private _growth_interval: number;
  private _init_growth_tracker = 0;
  private _scale: Tensor | null = null;
  private _growth_tracker: Tensor | null = null;
  private _per_optimizer_states = new Map<OptimizerLike, OptState>();

  constructor(device?: string | GradScalerOptions, opts: GradScalerOptions = {}) {
    if (device !== null && typeof device === 'object') {
      opts = device;
      device = 'cuda';
    }
    this._device = device ?? 'cuda';
    if (this._device !== 'cuda' && this._device !== 'cpu') throw new RangeError(`GradScaler: unsupported device '${this._device}'`);
    for (const k of Object.keys(opts)) {
      if (!['init_scale', 'growth_factor', 'backoff_factor', 'growth_interval', 'enabled'].includes(k)) {
        throw new TypeError(`GradScaler() got an unexpected keyword argument '${k}'`);
      }
    }
    this._enabled = opts.enabled ?? true;
    if (this._enabled && this._device === 'cuda' && !native._cuda_info()[0]) {
      process.emitWarning('torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.', 'UserWarning');
      this._enabled = false;
    }
    this._init_scale = opts.init_scale ?? 2.0 ** 16;
    this._growth_factor = opts.growth_factor ?? 2.0;
    this._backoff_factor = opts.backoff_factor ?? 0.5;
    this._growth_interval = opts.growth_interval ?? 2000;
    if (this._enabled) {
      if (!(this._growth_factor > 1.0)) throw new RangeError('The growth factor must be > 1.0.');
      if (!(this._backoff_factor < 1.0)) throw new RangeError('The backoff factor must be < 1.0.');
      if (!Number.isInteger(this._growth_interval) || this._growth_interval <= 0) throw new RangeError('growth_interval must be a positive integer');
    }
  }

  private state(opt: OptimizerLike): OptState {
    let s = this._per_optimizer_states.get(opt);
    if (!s) {
      s = { stage: READY, found_inf_per_device: new Map() };
      this._per_optimizer_states.set(opt, s);
    }
    return s;
  }

  private check(funcname: string): [Tensor, Tensor] {
    const fix = 'This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration.';
    if (this._scale === null) throw new Error(`Attempted ${funcname} but _scale is None.  ` + fix);
    if (this._growth_tracker === null) throw new Error(`Attempted ${funcname} but _growth_tracker is None.  ` + fix);
    return [this._scale, this._growth_tracker];
  }

  private lazyInit(dev: string): void {
    this._scale = full([1], this._init_scale, { dtype: float32, device: dev });
    this._growth_tracker = full([1], this._init_growth_tracker, { dtype: int32, device: dev });
  }

  /**
   * Multiplies outputs (a tensor, or arrays / plain objects of tensors) by the scale factor.
   * Returns them unchanged when disabled.
   */
  scale<T>(outputs: T): T {
    if (!this._enabled) return outputs;
    const one = (t: Tensor): Tensor => {
      const dev = t.device.toString();
      if (this._device === 'cuda' && !t.is_cuda) throw new Error('GradScaler.scale() expects CUDA tensors');
      if (this._scale === null) this.lazyInit(dev);
      return t.mul(this._scale!.to(dev, { non_blocking: true }));
    };
    const walk = (v: any): any => {
      if (v instanceof Tensor) return one(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
        const o: any = {};
        for (const [k, x] of Object.entries(v)) o[k] = walk(x);
        return o;
      }
      throw new TypeError('outputs must be a Tensor or an iterable of Tensors');
    };
    return walk(outputs);
  }

  private unscaleGrads(opt: OptimizerLike, inv_scale: Tensor, found_inf: Tensor, allow_fp16: boolean): Map<string, Tensor> {
    const perDev = new Map<string, { grads: Tensor[]; found: Tensor; inv: Tensor }>();
    for (const group of opt.param_groups) {
      for (const p of group.params) {
        const g: Tensor | null | undefined = (p as any).grad;
        if (g === null || g === undefined) continue;
        if (!allow_fp16 && g.dtype === float16) throw new Error('Attempting to unscale FP16 gradients.');
        const dev = g.device.toString();
        let e = perDev.get(dev);
        if (!e) {
          e = { grads: [], found: found_inf.to(dev), inv: inv_scale.to(dev) };
          perDev.set(dev, e);
        }
        e.grads.push(g);
      }
    }
    const out = new Map<string, Tensor>();
    for (const [dev, e] of perDev) {
      native._amp_foreach_non_finite_check_and_unscale_(e.grads.map((g) => g._h), e.found._h, e.inv._h);
      out.set(dev, e.found);
    }
    return out;
  }

  /** Divides ("unscales") the optimizer's gradients by the scale factor, in place. */
  unscale_(optimizer: OptimizerLike): void {
    if (!this._enabled) return;
    this.check('unscale_()');
    const st = this.state(optimizer);
    if (st.stage === UNSCALED) throw new Error('unscale_() has already been called on this optimizer since the last update().');
    if (st.stage === STEPPED) throw new Error('unscale_() is being called after step().');
    const inv_scale = this._scale!.double().reciprocal().float();
    const found_inf = full([1], 0.0, { dtype: float32, device: this._scale!.device });
    st.found_inf_per_device = this.unscaleGrads(optimizer, inv_scale, found_inf, false);
    st.stage = UNSCALED;
  }

  /** Unscales the gradients (unless unscale_ was called) and runs optimizer.step() unless they hold inf/NaN. */
  step(optimizer: OptimizerLike, ...args: any[]): any {
    if (!this._enabled) return optimizer.step(...args);
    const last = args[args.length - 1];
    if (last && typeof last === 'object' && 'closure' in last) throw new Error('Closure use is not currently supported if GradScaler is enabled.');
    this.check('step()');
    const st = this.state(optimizer);
    if (st.stage === STEPPED) throw new Error('step() has already been called since the last update().');
    if (st.stage === READY) this.unscale_(optimizer);
    if (st.found_inf_per_device.size === 0) throw new Error('No inf checks were recorded for this optimizer.');
    let retval: any;
    let infs = 0;
    for (const f of st.found_inf_per_device.values()) infs += Number(f.item());
    if (!infs) retval = optimizer.step(...args);
    st.stage = STEPPED;
    return retval;
  }

  /**
   * Updates the scale: multiplies it by backoff_factor if any step saw inf/NaN gradients, by
   * growth_factor after growth_interval clean steps; or sets it to `new_scale`.
   */
  update(new_scale?: number | Tensor): void {
    if (!this._enabled) return;
    const [scale, tracker] = this.check('update()');
    if (new_scale !== undefined && new_scale !== null) {
      if (typeof new_scale === 'number') scale.fill_(new_scale);
      else {
        if (!(new_scale instanceof Tensor) || new_scale.numel() !== 1 || new_scale.dtype !== float32) {
          throw new TypeError('new_scale should be a float or a 1-element float32 tensor with requires_grad=False.');
        }
        scale.copy_(new_scale);
      }
    } else {
      const infs: Tensor[] = [];
      for (const st of this._per_optimizer_states.values()) for (const f of st.found_inf_per_device.values()) infs.push(f.to(scale.device));
      if (infs.length === 0) throw new Error('No inf checks were recorded prior to update.');
      let combined = infs[0];
      for (let i = 1; i < infs.length; i++) combined = combined.add(infs[i]);
      native._amp_update_scale_(scale._h, tracker._h, combined._h, this._growth_factor, this._backoff_factor, this._growth_interval);
    }
    this._per_optimizer_states = new Map();
  }

  /** The current scale (init_scale before the first scale(); 1.0 when disabled). */
  get_scale(): number {
    if (!this._enabled) return 1.0;
    return this._scale === null ? this._init_scale : Number(this._scale.item());
  }
  get_growth_factor(): number {
    return this._growth_factor;
  }
  set_growth_factor(v: number): void {
    this._growth_factor = v;
  }
  get_backoff_factor(): number {
    return this._backoff_factor;
  }
  set_backoff_factor(v: number): void {
    this._backoff_factor = v;
  }
  get_growth_interval(): number {
    return this._growth_interval;
  }
  set_growth_interval(v: number): void {
    this._growth_interval = v;
  }
  /** @internal */
  _get_growth_tracker(): number {
    if (!this._enabled) return 0;
    return this._growth_tracker === null ? this._init_growth_tracker : Number(this._growth_tracker.item());
  }
  is_enabled(): boolean {
    return this._enabled;
  }
  /** {scale, growth_factor, backoff_factor, growth_interval, _growth_tracker}; {} when disabled. */
  state_dict(): Record<string, number> {
    if (!this._enabled) return {};
    return {
      scale: this.get_scale(),
      growth_factor: this._growth_factor,
      backoff_factor: this._backoff_factor,
      growth_interval: this._growth_interval,
      _growth_tracker: this._get_growth_tracker(),
    };
  }
  load_state_dict(state_dict: Record<string, number>): void {
    if (!this._enabled) return;
    if (Object.keys(state_dict).length === 0) {
      throw new Error('The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler.');
    }
    this._init_scale = state_dict.scale;
    if (this._scale !== null) this._scale.fill_(state_dict.scale);
    this._growth_factor = state_dict.growth_factor;
    this._backoff_factor = state_dict.backoff_factor;
    this._growth_interval = state_dict.growth_interval;
    this._init_growth_tracker = state_dict._growth_tracker;
    if (this._growth_tracker !== null) this._growth_tracker.fill_(state_dict._growth_tracker);
  }
}

/** torch.cuda.amp.autocast({enabled, dtype, cache_enabled}, fn?) ≡ torch.autocast('cuda', …). */
export function autocast<T>(opts: AutocastOptions | undefined, fn: () => T): T;
export function autocast(opts?: AutocastOptions): AutocastMode;
export function autocast(opts?: any, fn?: any): any {
  return torchAutocast('cuda', opts ?? {}, fn);
}
