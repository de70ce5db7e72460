/**
 * Normalization layers: BatchNorm1d/2d/3d (+ Lazy, SyncBatchNorm: statistics across processes),
 * InstanceNorm1d/2d/3d (+ Lazy), LayerNorm, GroupNorm, LocalResponseNorm, RMSNorm. Running
 * statistics are buffers (running_mean, running_var, num_batches_tracked) with PyTorch's keys.
 */
import { Module } from '../module';
import { Parameter, UninitializedParameter, UninitializedBuffer, emptyParam } from '../parameter';
import { Tensor } from '../../tensor';
import { int64 } from '../../dtype';
import type { dtype } from '../../dtype';
import type { DeviceLike } from '../../device';
import * as ops from '../../generated/ops';
import * as init from '../init';
import * as F from '../functional/normalization';
import { noGrad } from '../_autograd';
import { Args, parseArgs, pyFloat, pyRepr, positiveInt } from './utils';
import { LazyModuleMixin } from './lazy';
import { native } from '../../binding';
import * as dist from '../../distributed';

type NormO = { num_features: number; eps: number; momentum: number | null; affine: boolean; track_running_stats: boolean; device: DeviceLike | null; dtype: dtype | null };
type NormP = [num_features: number, eps: number, momentum: number | null, affine: boolean, track_running_stats: boolean, device: DeviceLike | null, dtype: dtype | null];
const NORM_NAMES = ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats', 'device', 'dtype'];

/** Base of BatchNorm and InstanceNorm (PyTorch's _NormBase). */
export class _NormBase extends Module {
  static _version = 2;
  num_features!: number;
  eps!: number;
  momentum!: number | null;
  affine!: boolean;
  track_running_stats!: boolean;
  weight!: Parameter | null;
  bias!: Parameter | null;
  running_mean!: Tensor | null;
  running_var!: Tensor | null;
  num_batches_tracked!: Tensor | null;

  /** @internal */
  _setup(cls: string, args: any[], dflt: Record<string, unknown>, lazy = false): void {
    const names = lazy ? NORM_NAMES.slice(1) : NORM_NAMES;
    const a = parseArgs(cls, names, args, dflt, lazy ? 0 : 1);
    this.num_features = lazy ? 0 : positiveInt(a.num_features, 'num_features', cls);
    this.eps = a.eps;
    this.momentum = a.momentum;
    this.affine = a.affine;
    this.track_running_stats = a.track_running_stats;
    const fk = { device: a.device ?? null, dtype: a.dtype ?? null };
    if (this.affine) {
      this.weight = lazy ? new UninitializedParameter(true, fk.device, fk.dtype) : emptyParam([this.num_features], fk);
      this.bias = lazy ? new UninitializedParameter(true, fk.device, fk.dtype) : emptyParam([this.num_features], fk);
    } else {
      this.register_parameter('weight', null);
      this.register_parameter('bias', null);
    }
    if (this.track_running_stats) {
      const opt = { dtype: fk.dtype, device: fk.device };
      this.register_buffer('running_mean', lazy ? new UninitializedBuffer(false, fk.device, fk.dtype) : ops.zeros([this.num_features], opt));
      this.register_buffer('running_var', lazy ? new UninitializedBuffer(false, fk.device, fk.dtype) : ops.ones([this.num_features], opt));
      this.register_buffer('num_batches_tracked', ops.zeros([], { dtype: int64, device: fk.device }));
    } else {
      this.register_buffer('running_mean', null);
      this.register_buffer('running_var', null);
      this.register_buffer('num_batches_tracked', null);
    }
    if (!lazy) this.reset_parameters();
  }
  /** Resets running_mean to 0, running_var to 1, num_batches_tracked to 0. */
  reset_running_stats(): void {
    if (!this.track_running_stats) return;
    noGrad(() => {
      (this.running_mean as any).zero_();
      (this.running_var as any).fill_(1);
      (this.num_batches_tracked as any).zero_();
    });
  }
  /** Resets the running statistics, weight to 1 and bias to 0. */
  reset_parameters(): void {
    if (this.has_uninitialized_params()) return;
    this.reset_running_stats();
    if (this.affine) {
      init.ones_(this.weight as Tensor);
      init.zeros_(this.bias as Tensor);
    }
  }
  extra_repr(): string {
    return `${this.num_features}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, affine=${pyRepr(this.affine)}, track_running_stats=${pyRepr(this.track_running_stats)}`;
  }
  _load_from_state_dict(sd: Map<string, any>, prefix: string, meta: Record<string, any>, strict: boolean, missing: string[], unexpected: string[], errors: string[]): void {
    const version = meta.version;
    if ((version === undefined || version === null || version < 2) && this.track_running_stats) {
      const key = prefix + 'num_batches_tracked';
      if (!sd.has(key)) sd.set(key, ops.zeros([], { dtype: int64 }));
    }
    super._load_from_state_dict(sd, prefix, meta, strict, missing, unexpected, errors);
  }
  /** @internal Lazy variants: infer num_features from input.shape[1] and materialize. */
  initialize_parameters(input: Tensor): void {
    if (!this.has_uninitialized_params()) return;
    this.num_features = input.shape[1];
    if (this.affine) {
      (this.weight as any).materialize([this.num_features]);
      (this.bias as any).materialize([this.num_features]);
    }
    if (this.track_running_stats) {
      (this.running_mean as any).materialize([this.num_features]);
      (this.running_var as any).materialize([this.num_features]);
    }
    this.reset_parameters();
  }
}

/** Base of BatchNorm1d/2d/3d (PyTorch's _BatchNorm). */
export class _BatchNorm extends _NormBase {
  /** @internal */
  _check_input_dim(_input: Tensor): void {}
  forward(input: Tensor): Tensor {
    this._check_input_dim(input);
    let eaf = this.momentum === null ? 0.0 : this.momentum;
    if (this.training && this.track_running_stats && this.num_batches_tracked !== null) {
      (this.num_batches_tracked as any).add_(1);
      if (this.momentum === null) eaf = 1.0 / Number(this.num_batches_tracked.item());
    }
    const bnTraining = this.training ? true : this.running_mean === null && this.running_var === null;
    const useStats = !this.training || this.track_running_stats;
    return F.batch_norm(input, useStats ? this.running_mean : null, useStats ? this.running_var : null, this.weight, this.bias, bnTraining, eaf, this.eps);
  }
}
const BN_DEFAULTS = { eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true };
function dimCheck(ok: number[], msg: string) {
  return (input: Tensor): void => {
    const d = input.dim();
    if (!ok.includes(d)) throw new RangeError(`expected ${msg} input (got ${d}D input)`);
  };
}
/**
 * Batch normalization over (N, C) or (N, C, L) inputs.
 * Args: num_features, eps=1e-5, momentum=0.1 (null: cumulative average), affine=true, track_running_stats=true, device, dtype.
 */
export class BatchNorm1d extends _BatchNorm {
  constructor(...args: Args<NormP, NormO>) { super(); this._setup('BatchNorm1d', args, BN_DEFAULTS); }
  _check_input_dim(input: Tensor): void { dimCheck([2, 3], '2D or 3D')(input); }
}
/**
 * Batch normalization over (N, C, H, W) inputs.
 * Args: num_features, eps=1e-5, momentum=0.1, affine=true, track_running_stats=true, device, dtype.
 * Example: const bn = new nn.BatchNorm2d(32);
 */
export class BatchNorm2d extends _BatchNorm {
  constructor(...args: Args<NormP, NormO>) { super(); this._setup('BatchNorm2d', args, BN_DEFAULTS); }
  _check_input_dim(input: Tensor): void { dimCheck([4], '4D')(input); }
}
/** Batch normalization over (N, C, D, H, W) inputs. Args as BatchNorm2d. */
export class BatchNorm3d extends _BatchNorm {
  constructor(...args: Args<NormP, NormO>) { super(); this._setup('BatchNorm3d', args, BN_DEFAULTS); }
  _check_input_dim(input: Tensor): void { dimCheck([5], '5D')(input); }
}
type LazyNormP = NormP extends [unknown, ...infer R] ? R : never;
/** BatchNorm1d with num_features inferred from the first input. */
export class LazyBatchNorm1d extends BatchNorm1d {
  constructor(...args: Args<LazyNormP, Omit<NormO, 'num_features'>>) { super(1); this._relazy('LazyBatchNorm1d', args, BatchNorm1d); }
}
/** BatchNorm2d with num_features inferred from the first input. */
export class LazyBatchNorm2d extends BatchNorm2d {
  constructor(...args: Args<LazyNormP, Omit<NormO, 'num_features'>>) { super(1); this._relazy('LazyBatchNorm2d', args, BatchNorm2d); }
}
/** BatchNorm3d with num_features inferred from the first input. */
export class LazyBatchNorm3d extends BatchNorm3d {
  constructor(...args: Args<LazyNormP, Omit<NormO, 'num_features'>>) { super(1); this._relazy('LazyBatchNorm3d', args, BatchNorm3d); }
}
/**
 * SyncBatchNorm: batch normalization whose training statistics are those of the whole batch
 * across the processes of a group (torch.distributed): each forward all_gathers every rank's
 * per-channel mean, sum of squared deviations and count, and backward all_reduces the gradient
 * sums, so outputs, input gradients and running statistics equal BatchNorm on the concatenated
 * batch. Weight and bias gradients are this rank's share (DistributedDataParallel averages them),
 * as PyTorch's. In eval mode, with no initialized process group, or a group of one, it is
 * BatchNorm.
 *
 * Difference from PyTorch 1.13 (deliberate extension): PyTorch requires CUDA inputs; here any
 * device the group's backend takes works, CPU tensors over Gloo included. PyTorch also raises
 * when no process group is initialized; here that is plain BatchNorm.
 *
 * Args:
 *   num_features: C of an (N, C, ...) input.
 *   eps: added to the variance (1e-5). momentum: running-stats factor (0.1; null: cumulative).
 *   affine: learnable weight and bias (true). track_running_stats: (true).
 *   process_group: the group to synchronize over (default: the world).
 *   device, dtype: of the parameters and buffers.
 *
 * Shape: input (N, C, +), output the same.
 *
 * Example:
 *   const model = nn.SyncBatchNorm.convert_sync_batchnorm(net);
 *   const ddp = new nn.parallel.DistributedDataParallel(model);
 */
export class SyncBatchNorm extends _BatchNorm {
  process_group!: dist.ProcessGroup | null;
  constructor(...args: any[]) {
    super();
    const a = parseArgs('SyncBatchNorm', ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats', 'process_group', 'device', 'dtype'], args, { ...BN_DEFAULTS, process_group: null }, 1);
    const { process_group, ...rest } = a;
    if (process_group !== null && process_group !== undefined && !(process_group instanceof dist.ProcessGroup)) {
      throw new TypeError("SyncBatchNorm: argument 'process_group' must be a torch.distributed.ProcessGroup");
    }
    this._setup('SyncBatchNorm', [rest], BN_DEFAULTS);
    Object.defineProperty(this, 'process_group', { value: process_group ?? null, writable: true, enumerable: false });
  }
  _check_input_dim(input: Tensor): void {
    if (input.dim() < 2) throw new RangeError(`expected at least 2D input (got ${input.dim()}D input)`);
  }
  forward(input: Tensor): Tensor {
    this._check_input_dim(input);
    if (input.shape[1] === 0) throw new RangeError('SyncBatchNorm number of input channels should be non-zero');
    let eaf = this.momentum === null ? 0.0 : this.momentum;
    if (this.training && this.track_running_stats && this.num_batches_tracked !== null) {
      (this.num_batches_tracked as any).add_(1);
      if (this.momentum === null) eaf = 1.0 / Number(this.num_batches_tracked.item());
    }
    const bnTraining = this.training ? true : this.running_mean === null && this.running_var === null;
    const useStats = !this.training || this.track_running_stats;
    const rm = useStats ? this.running_mean : null;
    const rv = useStats ? this.running_var : null;
    let group: dist.ProcessGroup | null = null;
    if (bnTraining && this.training && dist.is_initialized()) {
      group = this.process_group ?? dist.group.WORLD;
      if (dist.get_world_size(group) <= 1) group = null;
    }
    if (group === null) return F.batch_norm(input, rm, rv, this.weight, this.bias, bnTraining, eaf, this.eps);
    return new Tensor(native._sync_batch_norm(input._h, this.weight?._h ?? null, this.bias?._h ?? null, rm?._h ?? null, rv?._h ?? null,
      this.eps, eaf, dist._native_group(group)));
  }

  /**
   * Replaces every BatchNorm*d of `module` (recursively, `module` itself included) by a
   * SyncBatchNorm over `process_group` that shares its weight, bias and running statistics, as
   * PyTorch's. Returns the converted module (a new one when `module` itself was a BatchNorm).
   *
   * Example: const sync = nn.SyncBatchNorm.convert_sync_batchnorm(model, process_group);
   */
  static convert_sync_batchnorm(module: Module, process_group: dist.ProcessGroup | null = null): Module {
    if (!(module instanceof Module)) throw new TypeError('convert_sync_batchnorm: module must be an nn.Module');
    let out: Module = module;
    if (module instanceof _BatchNorm) {
      const s = new SyncBatchNorm(module.num_features, module.eps, module.momentum, module.affine, module.track_running_stats, process_group);
      if (module.affine) {
        noGrad(() => {
          s.weight = module.weight;
          s.bias = module.bias;
        });
      }
      s.running_mean = module.running_mean;
      s.running_var = module.running_var;
      s.num_batches_tracked = module.num_batches_tracked;
      if ((module as any).qconfig !== undefined) (s as any).qconfig = (module as any).qconfig;
      out = s;
    }
    for (const [name, child] of module.named_children()) {
      out.add_module(name, SyncBatchNorm.convert_sync_batchnorm(child, process_group));
    }
    return out;
  }
}

/** Base of InstanceNorm1d/2d/3d. */
export class _InstanceNorm extends _NormBase {
  /** @internal */ _nobatch = 0;
  forward(input: Tensor): Tensor {
    const nb = this._nobatch;
    const d = input.dim();
    if (d !== nb && d !== nb + 1) throw new RangeError(`expected ${nb}D or ${nb + 1}D input (got ${d}D input)`);
    const fdim = d - nb;
    if (input.shape[fdim] !== this.num_features && this.affine) {
      throw new RangeError(`expected input's size at dim=${fdim} to match num_features (${this.num_features}), but got: ${input.shape[fdim]}.`);
    }
    const run = (x: Tensor): Tensor => F.instance_norm(x, this.running_mean, this.running_var, this.weight, this.bias,
      this.training || !this.track_running_stats, this.momentum ?? 0.1, this.eps);
    if (d === nb) {
      const u = ops.unsqueeze(input, 0);
      const r = run(u);
      const out = ops.squeeze(r, 0);
      u.dispose();
      r.dispose();
      return out;
    }
    return run(input);
  }
}
const IN_DEFAULTS = { eps: 1e-5, momentum: 0.1, affine: false, track_running_stats: false };
/** Instance normalization over (N, C, L) or (C, L). Args: num_features, eps=1e-5, momentum=0.1, affine=false, track_running_stats=false. */
export class InstanceNorm1d extends _InstanceNorm {
  constructor(...args: Args<NormP, NormO>) { super(); Object.defineProperty(this, '_nobatch', { value: 2, enumerable: false }); this._setup('InstanceNorm1d', args, IN_DEFAULTS); }
}
/** Instance normalization over (N, C, H, W) or (C, H, W). */
export class InstanceNorm2d extends _InstanceNorm {
  constructor(...args: Args<NormP, NormO>) { super(); Object.defineProperty(this, '_nobatch', { value: 3, enumerable: false }); this._setup('InstanceNorm2d', args, IN_DEFAULTS); }
}
/** Instance normalization over (N, C, D, H, W) or (C, D, H, W). */
export class InstanceNorm3d extends _InstanceNorm {
  constructor(...args: Args<NormP, NormO>) { super(); Object.defineProperty(this, '_nobatch', { value: 4, enumerable: false }); this._setup('InstanceNorm3d', args, IN_DEFAULTS); }
}
/** InstanceNorm1d with num_features inferred from the first input. */
export class LazyInstanceNorm1d extends InstanceNorm1d {
  constructor(...args: Args<LazyNormP, Omit<NormO, 'num_features'>>) { super(1); this._relazy('LazyInstanceNorm1d', args, InstanceNorm1d, IN_DEFAULTS); }
}
/** InstanceNorm2d with num_features inferred from the first input. */
export class LazyInstanceNorm2d extends InstanceNorm2d {
  constructor(...args: Args<LazyNormP, Omit<NormO, 'num_features'>>) { super(1); this._relazy('LazyInstanceNorm2d', args, InstanceNorm2d, IN_DEFAULTS); }
}
/** InstanceNorm3d with num_features inferred from the first input. */
export class LazyInstanceNorm3d extends InstanceNorm3d {
  constructor(...args: Args<LazyNormP, Omit<NormO, 'num_features'>>) { super(1); this._relazy('LazyInstanceNorm3d', args, InstanceNorm3d, IN_DEFAULTS); }
}

export interface _NormBase {
  /** @internal */ _relazy(cls: string, args: any[], become: Function, dflt?: Record<string, unknown>): void;
}
_NormBase.prototype._relazy = function (this: _NormBase, cls: string, args: any[], become: Function, dflt: Record<string, unknown> = BN_DEFAULTS): void {
  for (const k of ['weight', 'bias']) if (this._parameters.has(k)) { this._parameters.delete(k); delete (this as any)[k]; }
  for (const k of ['running_mean', 'running_var', 'num_batches_tracked']) if (this._buffers.has(k)) { this._buffers.delete(k); delete (this as any)[k]; }
  this._setup(cls, args, dflt, true);
  if (cls.includes('Instance')) {
    // PyTorch's LazyInstanceNorm keeps num_batches_tracked out unless tracking; _setup did that.
  }
  LazyModuleMixin.install(this, become);
};

/**
 * Layer normalization over the last dimensions (normalized_shape).
 * Args: normalized_shape (int or tuple), eps=1e-5, elementwise_affine=true, bias=true, device, dtype.
 */
export class LayerNorm extends Module {
  normalized_shape!: number[];
  eps!: number;
  elementwise_affine!: boolean;
  weight!: Parameter | null;
  bias!: Parameter | null;
  constructor(...args: Args<[normalized_shape: number | number[], eps: number, elementwise_affine: boolean, bias: boolean, device: DeviceLike | null, dtype: dtype | null],
    { normalized_shape: number | number[]; eps: number; elementwise_affine: boolean; bias: boolean; device: DeviceLike | null; dtype: dtype | null }>) {
    super();
    const a = parseArgs('LayerNorm', ['normalized_shape', 'eps', 'elementwise_affine', 'bias', 'device', 'dtype'], args, { eps: 1e-5, elementwise_affine: true, bias: true }, 1);
    this.normalized_shape = typeof a.normalized_shape === 'number' ? [a.normalized_shape] : [...a.normalized_shape];
    this.eps = a.eps;
    this.elementwise_affine = a.elementwise_affine;
    if (this.elementwise_affine) {
      this.weight = emptyParam(this.normalized_shape, a);
      if (a.bias) this.bias = emptyParam(this.normalized_shape, a);
      else this.register_parameter('bias', null);
    } else {
      this.register_parameter('weight', null);
      this.register_parameter('bias', null);
    }
    this.reset_parameters();
  }
  reset_parameters(): void {
    if (this.weight) init.ones_(this.weight);
    if (this.bias) init.zeros_(this.bias);
  }
  forward(input: Tensor): Tensor {
    return F.layer_norm(input, this.normalized_shape, this.weight, this.bias, this.eps);
  }
  extra_repr(): string {
    return `${pyRepr(this.normalized_shape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyRepr(this.elementwise_affine)}`;
  }
}

/**
 * Group normalization: channels split in num_groups groups, each normalized.
 * Args: num_groups, num_channels, eps=1e-5, affine=true, device, dtype.
 */
export class GroupNorm extends Module {
  num_groups!: number;
  num_channels!: number;
  eps!: number;
  affine!: boolean;
  weight!: Parameter | null;
  bias!: Parameter | null;
  constructor(...args: Args<[num_groups: number, num_channels: number, eps: number, affine: boolean, device: DeviceLike | null, dtype: dtype | null],
    { num_groups: number; num_channels: number; eps: number; affine: boolean; device: DeviceLike | null; dtype: dtype | null }>) {
    super();
    const a = parseArgs('GroupNorm', ['num_groups', 'num_channels', 'eps', 'affine', 'device', 'dtype'], args, { eps: 1e-5, affine: true }, 2);
    this.num_groups = positiveInt(a.num_groups, 'num_groups', 'GroupNorm');
    this.num_channels = positiveInt(a.num_channels, 'num_channels', 'GroupNorm');
    if (this.num_channels % this.num_groups !== 0) throw new RangeError('num_channels must be divisible by num_groups');
    this.eps = a.eps;
    this.affine = a.affine;
    if (this.affine) {
      this.weight = emptyParam([this.num_channels], a);
      this.bias = emptyParam([this.num_channels], a);
    } else {
      this.register_parameter('weight', null);
      this.register_parameter('bias', null);
    }
    this.reset_parameters();
  }
  reset_parameters(): void {
    if (this.weight) init.ones_(this.weight);
    if (this.bias) init.zeros_(this.bias);
  }
  forward(input: Tensor): Tensor {
    return F.group_norm(input, this.num_groups, this.weight, this.bias, this.eps);
  }
  extra_repr(): string {
    return `${this.num_groups}, ${this.num_channels}, eps=${pyFloat(this.eps)}, affine=${pyRepr(this.affine)}`;
  }
}

/** Local response normalization across channels. Args: size, alpha=1e-4, beta=0.75, k=1.0. */
export class LocalResponseNorm extends Module {
  size!: number;
  alpha!: number;
  beta!: number;
  k!: number;
  constructor(...args: Args<[size: number, alpha: number, beta: number, k: number], { size: number; alpha: number; beta: number; k: number }>) {
    super();
    const a = parseArgs('LocalResponseNorm', ['size', 'alpha', 'beta', 'k'], args, { alpha: 1e-4, beta: 0.75, k: 1.0 }, 1);
    this.size = a.size;
    this.alpha = a.alpha;
    this.beta = a.beta;
    this.k = a.k;
  }
  forward(input: Tensor): Tensor {
    return F.local_response_norm(input, this.size, this.alpha, this.beta, this.k);
  }
  extra_repr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}

/**
 * Root-mean-square layer normalization (PyTorch 2.4's nn.RMSNorm).
 * Args: normalized_shape, eps=null (the dtype's machine epsilon), elementwise_affine=true, device, dtype.
 */
export class RMSNorm extends Module {
  normalized_shape!: number[];
  eps!: number | null;
  elementwise_affine!: boolean;
  weight!: Parameter | null;
  constructor(...args: Args<[normalized_shape: number | number[], eps: number | null, elementwise_affine: boolean, device: DeviceLike | null, dtype: dtype | null],
    { normalized_shape: number | number[]; eps: number | null; elementwise_affine: boolean; device: DeviceLike | null; dtype: dtype | null }>) {
    super();
    const a = parseArgs('RMSNorm', ['normalized_shape', 'eps', 'elementwise_affine', 'device', 'dtype'], args, { eps: null, elementwise_affine: true }, 1);
    this.normalized_shape = typeof a.normalized_shape === 'number' ? [a.normalized_shape] : [...a.normalized_shape];
    this.eps = a.eps;
    this.elementwise_affine = a.elementwise_affine;
    if (this.elementwise_affine) this.weight = emptyParam(this.normalized_shape, a);
    else this.register_parameter('weight', null);
    this.reset_parameters();
  }
  reset_parameters(): void {
    if (this.weight) init.ones_(this.weight);
  }
  forward(input: Tensor): Tensor {
    return F.rms_norm(input, this.normalized_shape, this.weight, this.eps);
  }
  extra_repr(): string {
    return `${pyRepr(this.normalized_shape)}, eps=${this.eps === null ? 'None' : pyFloat(this.eps)}, elementwise_affine=${pyRepr(this.elementwise_affine)}`;
  }
}
export { UninitializedParameter };
